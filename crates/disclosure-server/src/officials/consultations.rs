//! Consultations authored in the console: an editor drafts one (title, department, period,
//! numbered clauses, the reason for a period under 30 days), uploads the draft and its
//! explanation (PDF, DOC, DOCX or OFD, told by content, at most [`MAX_UPLOAD_BYTES`]); a
//! publisher opens it, after which the period may only be extended (logged) and the clauses
//! stay once opinions arrived. Drafts are seen by officials only.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use disclosure_core::consultation::{
    check_change, Consultation, ConsultationForm, DocumentKind, PeriodChange, NORMAL_PERIOD_DAYS,
};
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::auth::{Role, Session};
use super::db::{append_audit, random_hex, Action, AuditEntry, Refused};
use crate::opinions::contact::sha256_hex;
use crate::opinions::error::ApiError;
use crate::opinions::extract::{BodyShape, JsonBody};
use crate::opinions::store::{Store, StoreError};
use crate::opinions::{today, Api};

/// The largest draft or explanation accepted (bytes): 20 MiB.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// Where a consultation stands in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Being written; citizens do not see it.
    Draft,
    /// Opened by a publisher (or imported from the JSON file): public.
    Open,
}

/// What the console keeps beside a consultation's body.
#[derive(Debug, Clone)]
pub struct Meta {
    pub stage: Stage,
    pub short_period_reason: Option<String>,
    pub revision: i64,
}

/// A file as listed (without its bytes).
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub id: String,
    /// `draft` or `explanation`.
    pub role: String,
    pub kind: String,
    pub file_name: String,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

/// A file with its bytes, to serve.
pub struct StoredFile {
    pub kind: DocumentKind,
    pub file_name: String,
    pub content: Vec<u8>,
}

fn kind_of(key: &str) -> Option<DocumentKind> {
    [
        DocumentKind::Pdf,
        DocumentKind::Doc,
        DocumentKind::Docx,
        DocumentKind::Ofd,
    ]
    .into_iter()
    .find(|k| k.extension() == key)
}

fn meta_of(row: &sqlx::any::AnyRow) -> Result<Meta, StoreError> {
    let state: Option<String> = row.try_get("state")?;
    Ok(Meta {
        stage: if state.as_deref() == Some("draft") {
            Stage::Draft
        } else {
            Stage::Open
        },
        short_period_reason: row.try_get("short_period_reason")?,
        revision: row.try_get("revision")?,
    })
}

/// An upload to store with the consultation that names it.
pub struct NewFile<'a> {
    /// Random hex, in the file's address.
    pub id: &'a str,
    /// `draft` or `explanation`.
    pub role: &'a str,
    pub kind: DocumentKind,
    pub name: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: &'a str,
}

/// The authored consultations' queries.
impl Store {
    /// The console's data of every consultation, by id.
    pub async fn consultation_metas(&self) -> Result<HashMap<String, Meta>, StoreError> {
        let rows = sqlx::query("SELECT id, state, short_period_reason, revision FROM consultations")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get::<String, _>("id")?, meta_of(row)?)))
            .collect()
    }

    /// The console's data of one consultation.
    pub async fn consultation_meta(&self, id: &str) -> Result<Option<Meta>, StoreError> {
        let row = sqlx::query("SELECT state, short_period_reason, revision FROM consultations WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(meta_of).transpose()
    }

    /// Stores a new consultation as a draft; false when the id is taken. Audited.
    pub async fn create_draft(
        &self,
        consultation: &Consultation,
        reason: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "INSERT INTO consultations (id, body, state, short_period_reason) VALUES ($1, $2, 'draft', $3)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&consultation.id)
        .bind(serde_json::to_string(consultation)?)
        .bind(reason)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Replaces a consultation's body and reason, if still at `revision` and not published;
    /// with `file`, stores that upload in the same transaction. Audited.
    pub async fn revise_consultation(
        &self,
        consultation: &Consultation,
        reason: &str,
        revision: i64,
        file: Option<NewFile<'_>>,
        audit: &AuditEntry<'_>,
    ) -> Result<Result<i64, Refused>, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE consultations SET body = $1, short_period_reason = $2, revision = revision + 1
             WHERE id = $3 AND revision = $4 AND results_published IS NULL",
        )
        .bind(serde_json::to_string(consultation)?)
        .bind(reason)
        .bind(&consultation.id)
        .bind(revision)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            let row = sqlx::query("SELECT revision, results_published FROM consultations WHERE id = $1")
                .bind(&consultation.id)
                .fetch_optional(&mut *transaction)
                .await?;
            return Ok(Err(match row {
                None => Refused::NotFound,
                Some(row) if row.try_get::<Option<String>, _>("results_published")?.is_some() => {
                    Refused::Published
                }
                Some(row) => Refused::Stale(row.try_get("revision")?),
            }));
        }
        if let Some(NewFile {
            id,
            role,
            kind,
            name,
            content,
            uploaded_by: by,
        }) = file
        {
            sqlx::query(
                "INSERT INTO consultation_files (id, consultation_id, role, kind, file_name, size, sha256,
                 content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(&consultation.id)
            .bind(role)
            .bind(kind.extension())
            .bind(name)
            .bind(content.len() as i64)
            .bind(sha256_hex(content))
            .bind(content.to_vec())
            .bind(by)
            .bind(super::db::rfc3339_now())
            .execute(&mut *transaction)
            .await?;
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(Ok(revision + 1))
    }

    /// Opens a draft to the public; false when it is not a draft. Audited.
    pub async fn open_draft(&self, id: &str, audit: &AuditEntry<'_>) -> Result<bool, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE consultations SET state = 'open', revision = revision + 1 WHERE id = $1 AND state = 'draft'",
        )
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// The files uploaded for a consultation, newest first.
    pub async fn files_of(&self, id: &str) -> Result<Vec<FileInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, role, kind, file_name, size, uploaded_by, uploaded_at FROM consultation_files
             WHERE consultation_id = $1 ORDER BY uploaded_at DESC, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FileInfo {
                    id: row.try_get("id")?,
                    role: row.try_get("role")?,
                    kind: row.try_get("kind")?,
                    file_name: row.try_get("file_name")?,
                    size: row.try_get("size")?,
                    uploaded_by: row.try_get("uploaded_by")?,
                    uploaded_at: row.try_get("uploaded_at")?,
                })
            })
            .collect()
    }

    /// One uploaded file of a consultation, with its bytes.
    pub async fn file(&self, id: &str, file_id: &str) -> Result<Option<StoredFile>, StoreError> {
        let row = sqlx::query(
            "SELECT kind, file_name, content FROM consultation_files WHERE consultation_id = $1 AND id = $2",
        )
        .bind(id)
        .bind(file_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let kind: String = row.try_get("kind")?;
        let Some(kind) = kind_of(&kind) else {
            return Ok(None);
        };
        Ok(Some(StoredFile {
            kind,
            file_name: row.try_get("file_name")?,
            content: row.try_get("content")?,
        }))
    }

    /// Adds an imported consultation (the `--consultations` JSON file) unless one with its
    /// id exists: the database is the record, and a restart must not undo what officials
    /// changed in the console. Returns whether it was added.
    pub async fn import_consultation(&self, consultation: &Consultation) -> Result<bool, StoreError> {
        let published = consultation.results_published.map(|d| d.to_string());
        let done = sqlx::query(
            "INSERT INTO consultations (id, body, results_published) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&consultation.id)
        .bind(serde_json::to_string(consultation)?)
        .bind(published)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}

/// The console's routes for consultations (state: the opinion API's).
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route(
            "/api/officials/consultations",
            get(list).post(create),
        )
        .route(
            "/api/officials/consultations/{id}",
            get(one).put(edit),
        )
        .route("/api/officials/consultations/{id}/open", post(open))
        .route(
            "/api/officials/consultations/{id}/files/{role}",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/api/officials/consultations/{id}/file/{file_id}",
            get(official_file),
        )
        .route("/api/consultations/{id}/files/{file_id}", get(public_file))
}

type Shared = State<Arc<Api>>;

fn stale(refused: Refused) -> ApiError {
    match refused {
        Refused::NotFound => ApiError::NotFound("没有找到这项意见征集。"),
        Refused::Stale(now) => ApiError::Conflict(format!(
            "这项意见征集刚被他人修改（现为第{now}版），您的修改未保存。请刷新后再改。"
        )),
        Refused::Published => ApiError::Conflict("结果已公布，这项意见征集不能再修改。".to_string()),
    }
}

/// A consultation in the console: the body, its stage, reason, revision, files, and the
/// number of opinions received.
#[derive(Serialize)]
struct Authored {
    #[serde(flatten)]
    consultation: Consultation,
    stage: Stage,
    status_word: &'static str,
    short_period_reason: Option<String>,
    revision: i64,
    opinions: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    files: Vec<FileInfo>,
}

async fn authored(api: &Api, consultation: Consultation, meta: Meta, files: bool) -> Result<Authored, ApiError> {
    let opinions = api.store.count_opinions(&consultation.id).await?;
    let files = if files {
        api.store.files_of(&consultation.id).await?
    } else {
        Vec::new()
    };
    Ok(Authored {
        status_word: match meta.stage {
            Stage::Draft => "起草中",
            Stage::Open => consultation.status_on(today()).word(),
        },
        stage: meta.stage,
        short_period_reason: meta.short_period_reason,
        revision: meta.revision,
        opinions,
        files,
        consultation,
    })
}

async fn list(State(api): Shared, _: Session) -> Result<Json<Vec<Authored>>, ApiError> {
    let mut metas = api.store.consultation_metas().await?;
    let mut all = Vec::new();
    for consultation in api.store.consultations().await? {
        if let Some(meta) = metas.remove(&consultation.id) {
            all.push(authored(&api, consultation, meta, false).await?);
        }
    }
    Ok(Json(all))
}

/// A consultation and its console data, drafts included.
async fn find_any(api: &Api, id: &str) -> Result<(Consultation, Meta), ApiError> {
    let not_found = || ApiError::NotFound("没有找到这项意见征集。");
    let consultation = api.store.consultation(id).await?.ok_or_else(not_found)?;
    let meta = api.store.consultation_meta(id).await?.ok_or_else(not_found)?;
    Ok((consultation, meta))
}

async fn one(State(api): Shared, _: Session, Path(id): Path<String>) -> Result<Json<Authored>, ApiError> {
    let (consultation, meta) = find_any(&api, &id).await?;
    Ok(Json(authored(&api, consultation, meta, true).await?))
}

impl BodyShape for ConsultationForm {
    const MALFORMED: &'static str = "意见征集的内容格式不正确：须有 id、title、department、start、end（YYYY-MM-DD），clauses 为 [{number, title}]。";
}

async fn create(
    State(api): Shared,
    session: Session,
    JsonBody(form): JsonBody<ConsultationForm>,
) -> Result<(StatusCode, Json<Authored>), ApiError> {
    session.require(Role::Editor)?;
    form.check().map_err(|e| ApiError::InvalidResponse(e.0))?;
    let consultation = form.to_consultation(None, None);
    let address = session.address();
    let created = api
        .store
        .create_draft(
            &consultation,
            form.short_period_reason.trim(),
            &AuditEntry {
                actor: &session.name,
                action: Action::ConsultationCreate,
                object: &consultation.id,
                address: &address,
                detail: &format!("{} 至 {}", consultation.start, consultation.end),
            },
        )
        .await?;
    if !created {
        return Err(ApiError::Conflict(format!(
            "编号“{}”已被另一项意见征集使用，请换一个。",
            consultation.id
        )));
    }
    let (consultation, meta) = find_any(&api, &consultation.id).await?;
    Ok((StatusCode::CREATED, Json(authored(&api, consultation, meta, true).await?)))
}

#[derive(Deserialize)]
struct Edit {
    revision: i64,
    #[serde(flatten)]
    form: ConsultationForm,
}

impl BodyShape for Edit {
    const MALFORMED: &'static str = "修改内容格式不正确：须有 revision 和意见征集的各项内容。";
}

async fn edit(
    State(api): Shared,
    session: Session,
    Path(id): Path<String>,
    JsonBody(edit): JsonBody<Edit>,
) -> Result<Json<Authored>, ApiError> {
    session.require(Role::Editor)?;
    let (before, meta) = find_any(&api, &id).await?;
    let opinions = api.store.count_opinions(&id).await?;
    let change = check_change(&before, &edit.form, meta.stage == Stage::Open, opinions.max(0) as u64)
        .map_err(|e| ApiError::InvalidResponse(e.0))?;
    // Uploaded files stay unless the form names a link instead.
    let after = edit.form.to_consultation(
        edit.form.draft_url.clone().or(Some(before.draft_url.clone())),
        edit.form.explanation_url.clone().or(before.explanation_url.clone()),
    );
    let (action, detail) = match change {
        PeriodChange::Extended => (
            Action::PeriodExtend,
            format!("征集截止日期由{}延长至{}", before.end, after.end),
        ),
        PeriodChange::Unchanged => (Action::ConsultationEdit, "修改内容".to_string()),
    };
    let address = session.address();
    api.store
        .revise_consultation(
            &after,
            edit.form.short_period_reason.trim(),
            edit.revision,
            None,
            &AuditEntry {
                actor: &session.name,
                action,
                object: &id,
                address: &address,
                detail: &detail,
            },
        )
        .await?
        .map_err(stale)?;
    let (consultation, meta) = find_any(&api, &id).await?;
    Ok(Json(authored(&api, consultation, meta, true).await?))
}

async fn open(State(api): Shared, session: Session, Path(id): Path<String>) -> Result<Json<Authored>, ApiError> {
    session.require(Role::Publisher)?;
    let (consultation, meta) = find_any(&api, &id).await?;
    if meta.stage != Stage::Draft {
        return Err(ApiError::Conflict("这项意见征集已经开始。".to_string()));
    }
    if consultation.draft_url.trim().is_empty() {
        return Err(ApiError::Conflict(
            "还没有征求意见稿：请先上传草案文件或填写草案链接，再开始征集。".to_string(),
        ));
    }
    if consultation.start < today() {
        return Err(ApiError::Conflict(format!(
            "开始日期（{}）已过，请先把开始日期改为今天或以后。",
            consultation.start
        )));
    }
    if consultation.period_days() < NORMAL_PERIOD_DAYS
        && meta.short_period_reason.as_deref().unwrap_or("").trim().is_empty()
    {
        return Err(ApiError::Conflict(format!(
            "征集期少于{NORMAL_PERIOD_DAYS}天，须先填写理由。"
        )));
    }
    let address = session.address();
    let opened = api
        .store
        .open_draft(
            &id,
            &AuditEntry {
                actor: &session.name,
                action: Action::ConsultationOpen,
                object: &id,
                address: &address,
                detail: &format!("{} 至 {}", consultation.start, consultation.end),
            },
        )
        .await?;
    if !opened {
        return Err(ApiError::Conflict("这项意见征集已经开始。".to_string()));
    }
    let (consultation, meta) = find_any(&api, &id).await?;
    Ok(Json(authored(&api, consultation, meta, true).await?))
}

/// An uploaded file's bytes: 413 over [`MAX_UPLOAD_BYTES`].
struct Upload(Bytes);

impl FromRequest<Arc<Api>> for Upload {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &Arc<Api>) -> Result<Self, ApiError> {
        Bytes::from_request(request, state)
            .await
            .map(Upload)
            .map_err(|rejection| match rejection {
                BytesRejection::FailedToBufferBody(_) => {
                    ApiError::FileTooLarge(MAX_UPLOAD_BYTES / (1024 * 1024))
                }
                _ => ApiError::BadRequest("无法读取上传的文件，请重试。"),
            })
    }
}

/// The uploaded name, from `X-File-Name` (percent-encoded UTF-8), reduced to a plain name
/// with the extension of the kind the content showed.
fn clean_name(headers: &HeaderMap, kind: DocumentKind) -> String {
    let given = headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|v| percent_decode_str(v).decode_utf8_lossy().into_owned())
        .unwrap_or_default();
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let stem: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(100)
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "征求意见稿" } else { stem };
    format!("{stem}.{}", kind.extension())
}

async fn upload(
    State(api): Shared,
    session: Session,
    Path((id, role)): Path<(String, String)>,
    headers: HeaderMap,
    Upload(bytes): Upload,
) -> Result<(StatusCode, Json<Authored>), ApiError> {
    session.require(Role::Editor)?;
    if role != "draft" && role != "explanation" {
        return Err(ApiError::NotFound("上传的文件应为征求意见稿（draft）或起草说明（explanation）。"));
    }
    let kind = DocumentKind::sniff(&bytes).ok_or_else(|| {
        ApiError::Unsupported(
            "文件内容不是PDF、DOC、DOCX或OFD格式（按文件内容检查，与扩展名无关），未上传。".to_string(),
        )
    })?;
    let (mut consultation, meta) = find_any(&api, &id).await?;
    let file_id = random_hex(16)?;
    let name = clean_name(&headers, kind);
    let url = format!("/api/consultations/{id}/files/{file_id}");
    if role == "draft" {
        consultation.draft_url = url;
    } else {
        consultation.explanation_url = Some(url);
    }
    let address = session.address();
    let detail = format!(
        "{}：{}（{}字节）",
        if role == "draft" { "征求意见稿" } else { "起草说明" },
        kind.extension(),
        bytes.len()
    );
    api.store
        .revise_consultation(
            &consultation,
            meta.short_period_reason.as_deref().unwrap_or(""),
            meta.revision,
            Some(NewFile {
                id: &file_id,
                role: &role,
                kind,
                name: &name,
                content: &bytes,
                uploaded_by: &session.name,
            }),
            &AuditEntry {
                actor: &session.name,
                action: Action::Upload,
                object: &id,
                address: &address,
                detail: &detail,
            },
        )
        .await?
        .map_err(stale)?;
    let (consultation, meta) = find_any(&api, &id).await?;
    Ok((StatusCode::CREATED, Json(authored(&api, consultation, meta, true).await?)))
}

/// A stored file as a download: its media type, `Content-Disposition: attachment` with the
/// name (RFC 6266, UTF-8 in `filename*`), `nosniff`, and a sandbox so nothing in it runs in
/// the portal's origin.
fn serve(file: StoredFile) -> Response {
    let ascii = format!("document.{}", file.kind.extension());
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(&file.file_name, NON_ALPHANUMERIC)
    );
    (
        [
            (header::CONTENT_TYPE, file.kind.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        file.content,
    )
        .into_response()
}

async fn official_file(
    State(api): Shared,
    _: Session,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let file = api
        .store
        .file(&id, &file_id)
        .await?
        .ok_or(ApiError::NotFound("没有这个文件。"))?;
    Ok(serve(file))
}

/// A file of a consultation citizens can see (not of a draft).
async fn public_file(
    State(api): Shared,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let not_found = ApiError::NotFound("没有这个文件。");
    match api.store.consultation_meta(&id).await? {
        Some(meta) if meta.stage == Stage::Open => {}
        _ => return Err(not_found),
    }
    let file = api.store.file(&id, &file_id).await?.ok_or(not_found)?;
    Ok(serve(file))
}
