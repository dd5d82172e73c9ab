//! The year's catalogue of major decisions (年度重大行政决策事项目录, seed 二(七)): officials
//! list each decision with its department and stage, and link it to its consultation; the
//! public reads a year's list at `/api/catalogue/{year}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use disclosure_core::consultation::{
    CatalogueEntry, CatalogueForm, CatalogueYear, DecisionStage,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::auth::{Role, Session};
use super::db::{append_audit, random_hex, rfc3339_now, Action, AuditEntry, Refused};
use crate::opinions::error::ApiError;
use crate::opinions::extract::{BodyShape, JsonBody};
use crate::opinions::store::{Store, StoreError};
use crate::opinions::Api;

fn stage_key(stage: DecisionStage) -> &'static str {
    match stage {
        DecisionStage::Drafting => "drafting",
        DecisionStage::Consulting => "consulting",
        DecisionStage::Deliberating => "deliberating",
        DecisionStage::Published => "published",
    }
}

fn stage_of(key: &str) -> Option<DecisionStage> {
    [
        DecisionStage::Drafting,
        DecisionStage::Consulting,
        DecisionStage::Deliberating,
        DecisionStage::Published,
    ]
    .into_iter()
    .find(|s| stage_key(*s) == key)
}

/// A catalogue entry with the revision an edit must name.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEntry {
    #[serde(flatten)]
    pub entry: CatalogueEntry,
    pub revision: i64,
}

/// The catalogue's queries.
impl Store {
    /// The entries of a year, in the order added, with whether each consultation's results
    /// are published.
    pub async fn catalogue(&self, year: i32) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id, d.year, d.title, d.department, d.stage, d.consultation_id, d.decision_url,
             d.revision, c.results_published FROM decision_catalogue d
             LEFT JOIN consultations c ON c.id = d.consultation_id
             WHERE d.year = $1 ORDER BY d.created_at, d.id",
        )
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in &rows {
            let stage: String = row.try_get("stage")?;
            let Some(stage) = stage_of(&stage) else {
                continue;
            };
            let year: i64 = row.try_get("year")?;
            entries.push(StoredEntry {
                entry: CatalogueEntry {
                    id: row.try_get("id")?,
                    stage_word: stage.word().to_string(),
                    results_published: row
                        .try_get::<Option<String>, _>("results_published")?
                        .is_some(),
                    form: CatalogueForm {
                        year: year as i32,
                        title: row.try_get("title")?,
                        department: row.try_get("department")?,
                        stage,
                        consultation_id: row.try_get("consultation_id")?,
                        decision_url: row.try_get("decision_url")?,
                    },
                },
                revision: row.try_get("revision")?,
            });
        }
        Ok(entries)
    }

    /// Adds an entry under `id` (fresh random hex). Audited.
    pub async fn add_decision(
        &self,
        id: &str,
        form: &CatalogueForm,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        let mut transaction = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO decision_catalogue (id, year, title, department, stage, consultation_id,
             decision_url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(i64::from(form.year))
        .bind(form.title.trim())
        .bind(form.department.trim())
        .bind(stage_key(form.stage))
        .bind(&form.consultation_id)
        .bind(&form.decision_url)
        .bind(rfc3339_now())
        .execute(&mut *transaction)
        .await?;
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Changes an entry seen at `revision`. Audited.
    pub async fn edit_decision(
        &self,
        id: &str,
        revision: i64,
        form: &CatalogueForm,
        audit: &AuditEntry<'_>,
    ) -> Result<Result<i64, Refused>, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE decision_catalogue SET year = $1, title = $2, department = $3, stage = $4,
             consultation_id = $5, decision_url = $6, revision = revision + 1
             WHERE id = $7 AND revision = $8",
        )
        .bind(i64::from(form.year))
        .bind(form.title.trim())
        .bind(form.department.trim())
        .bind(stage_key(form.stage))
        .bind(&form.consultation_id)
        .bind(&form.decision_url)
        .bind(id)
        .bind(revision)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            let row = sqlx::query("SELECT revision FROM decision_catalogue WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *transaction)
                .await?;
            return Ok(Err(match row {
                None => Refused::NotFound,
                Some(row) => Refused::Stale(row.try_get("revision")?),
            }));
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(Ok(revision + 1))
    }
}

/// The catalogue's routes (state: the opinion API's).
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/api/catalogue/{year}", get(public_year))
        .route("/api/officials/catalogue", post(add))
        .route("/api/officials/catalogue/{id}", put(edit))
        .route("/api/officials/catalogue/year/{year}", get(official_year))
}

type Shared = State<Arc<Api>>;

fn year_of(text: &str) -> Result<i32, ApiError> {
    text.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or(ApiError::NotFound("没有这一年度的重大行政决策事项目录。"))
}

async fn public_year(
    State(api): Shared,
    Path(year): Path<String>,
) -> Result<Json<CatalogueYear>, ApiError> {
    let year = year_of(&year)?;
    let entries = api.store.catalogue(year).await?;
    Ok(Json(CatalogueYear {
        year,
        entries: entries.into_iter().map(|e| e.entry).collect(),
    }))
}

async fn official_year(
    State(api): Shared,
    _: Session,
    Path(year): Path<String>,
) -> Result<Json<Vec<StoredEntry>>, ApiError> {
    Ok(Json(api.store.catalogue(year_of(&year)?).await?))
}

impl BodyShape for CatalogueForm {
    const MALFORMED: &'static str = "目录事项应含 year、title、department、stage（drafting、consulting、deliberating、published）。";
}

async fn check_form(api: &Api, form: &CatalogueForm) -> Result<(), ApiError> {
    form.check().map_err(|e| ApiError::InvalidResponse(e.0))?;
    if let Some(id) = &form.consultation_id {
        if api.store.consultation(id).await?.is_none() {
            return Err(ApiError::InvalidResponse(format!("没有编号为“{id}”的意见征集")));
        }
    }
    Ok(())
}

/// The answer to an addition or change.
#[derive(Serialize)]
struct Saved {
    id: String,
    revision: i64,
}

async fn add(
    State(api): Shared,
    session: Session,
    JsonBody(form): JsonBody<CatalogueForm>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    session.require(Role::Publisher)?;
    check_form(&api, &form).await?;
    let address = session.address();
    let detail = format!("{}年度：新增事项（{}）", form.year, form.stage.word());
    let id = random_hex(8)?;
    api.store
        .add_decision(
            &id,
            &form,
            &AuditEntry {
                actor: &session.name,
                action: Action::CatalogueEdit,
                object: &id,
                address: &address,
                detail: &detail,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Saved { id, revision: 0 })))
}

#[derive(Deserialize)]
struct Edit {
    revision: i64,
    #[serde(flatten)]
    form: CatalogueForm,
}

impl BodyShape for Edit {
    const MALFORMED: &'static str = "目录事项的修改应含 revision、year、title、department、stage。";
}

async fn edit(
    State(api): Shared,
    session: Session,
    Path(id): Path<String>,
    JsonBody(edit): JsonBody<Edit>,
) -> Result<Json<Saved>, ApiError> {
    session.require(Role::Publisher)?;
    check_form(&api, &edit.form).await?;
    let address = session.address();
    let detail = format!("{}年度：阶段为{}", edit.form.year, edit.form.stage.word());
    let revision = api
        .store
        .edit_decision(
            &id,
            edit.revision,
            &edit.form,
            &AuditEntry {
                actor: &session.name,
                action: Action::CatalogueEdit,
                object: &id,
                address: &address,
                detail: &detail,
            },
        )
        .await?
        .map_err(|refused| match refused {
            Refused::NotFound | Refused::Published => ApiError::NotFound("目录中没有这一事项。"),
            Refused::Stale(now) => ApiError::Conflict(format!(
                "这一事项刚被他人修改（现为第{now}版），您的修改未保存。请刷新后再改。"
            )),
        })?;
    Ok(Json(Saved { id, revision }))
}
