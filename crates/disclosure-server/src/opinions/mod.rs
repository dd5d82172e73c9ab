//! The opinion API (意见征集): consultations, opinions with receipts, the officials'
//! responses and the published results. Every refusal is a JSON object whose `error` is a
//! sentence for the citizen; nothing here logs a name, a phone, an e-mail or an opinion.

pub mod contact;
pub mod error;
pub mod extract;
pub mod limits;
pub mod pages;
pub mod store;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use disclosure_core::consultation::{
    mask_name, normalise_receipt, published_text, withheld_sentence, Consultation,
    ConsultationStatus, LiveCounts, Moderation, OpinionDraft, OpinionStatus, PublicOpinion,
    PublishedOpinion,
    Receipt, ResultsPage, Verdict, WithheldCount, WithholdReason, REDACTION_REASON,
};
use disclosure_core::personal_data::redact_detected;
use disclosure_core::text::csv_line;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::proxy::TrustedProxies;
use contact::{sha256_hex, Contact, ContactKey};
use error::ApiError;
use extract::{BodyShape, Client, JsonBody, Official};
use limits::RateLimiter;
use crate::officials::consultations::{Meta, Stage};
use crate::officials::db::{rfc3339_now, Action, AuditEntry, ReviewRecord};
use store::{NewOpinion, Store, Stored};

/// The largest request body read; an opinion of 5,000 characters with its contacts is
/// well under it.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How the operator configured the API.
pub struct Settings {
    pub contact_key: ContactKey,
    /// The officials' bearer token; without one the officials' routes refuse everyone.
    pub admin_token: Option<String>,
    /// Portal origins allowed to post besides the server's own pages.
    pub allowed_origins: Vec<String>,
    pub submissions_per_minute: u32,
    /// The reverse proxies whose forwarding headers say who the client is.
    pub trusted_proxies: TrustedProxies,
}

/// What every handler of the API shares (the officials' console in `crate::officials`
/// included).
pub struct Api {
    pub(crate) store: Store,
    pub(crate) settings: Settings,
    limiter: RateLimiter,
    /// Wrong passwords per client address, for the console's sign-in.
    pub(crate) sign_in_failures: crate::officials::auth::AddressFailures,
}

type Shared = State<Arc<Api>>;

/// The API's routes, under `/api`, with `/healthz`, `/readyz` and `/metrics`; every request
/// is counted in the store's metrics.
pub fn api(store: Store, settings: Settings) -> Router {
    let limiter = store.rate_limiter(settings.submissions_per_minute);
    let metrics = store.metrics().clone();
    let health = crate::observe::routes(store.clone(), metrics.clone());
    let state = Arc::new(Api {
        store,
        settings,
        limiter,
        sign_in_failures: Default::default(),
    });
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/consultations", get(list_consultations))
        .route("/api/consultations/{id}", get(one_consultation))
        .route("/api/consultations/{id}/opinions", post(submit_opinion))
        .route("/api/consultations/{id}/results", get(results))
        .route("/api/consultations/{id}/counts", get(live_counts))
        .route("/api/receipts", post(look_up_receipt))
        .merge(pages::routes())
        // The bearer token serves scripted exports only; everything else officials do goes
        // through the console's sessions and roles (`crate::officials`).
        .route(
            "/api/admin/consultations/{id}/opinions",
            get(admin_opinions),
        )
        .route(
            "/api/admin/consultations/{id}/opinions.csv",
            get(admin_export),
        )
        .merge(crate::officials::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
        .merge(health)
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            crate::observe::count_requests,
        ))
}

/// China Standard Time, in which periods and receipts are dated.
fn now_in_china() -> OffsetDateTime {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset)
}

pub(crate) fn today() -> Date {
    now_in_china().date()
}


/// A consultation as the API shows it, with its status today and, when its period is
/// shorter than the rules ask, the reason officials gave.
#[derive(Serialize)]
struct ConsultationView {
    #[serde(flatten)]
    consultation: Consultation,
    status: ConsultationStatus,
    status_word: &'static str,
    period_days: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_period_reason: Option<String>,
}

fn view(consultation: Consultation, meta: Option<&Meta>) -> ConsultationView {
    let status = consultation.status_on(today());
    ConsultationView {
        period_days: consultation.period_days(),
        status_word: status.word(),
        status,
        short_period_reason: meta
            .and_then(|m| m.short_period_reason.clone())
            .filter(|r| !r.trim().is_empty()),
        consultation,
    }
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../../openapi.json"),
    )
}

async fn list_consultations(State(api): Shared) -> Result<Json<Vec<ConsultationView>>, ApiError> {
    Ok(Json(visible_consultations(&api).await?))
}

/// Every consultation citizens may see (not the drafts officials are still writing), with
/// its status today.
async fn visible_consultations(api: &Api) -> Result<Vec<ConsultationView>, ApiError> {
    let all = api.store.consultations().await?;
    let metas = api.store.consultation_metas().await?;
    Ok(all
        .into_iter()
        .filter(|c| metas.get(&c.id).is_none_or(|m| m.stage != Stage::Draft))
        .map(|c| {
            let meta = metas.get(&c.id);
            view(c, meta)
        })
        .collect())
}

/// A consultation citizens may see: drafts still being written in the console are not
/// found.
pub(crate) async fn find_consultation(api: &Api, id: &str) -> Result<Consultation, ApiError> {
    let not_found = ApiError::NotFound("没有找到这项意见征集，请从意见征集列表进入。");
    let consultation = api.store.consultation(id).await?.ok_or(not_found)?;
    match api.store.consultation_meta(id).await? {
        Some(meta) if meta.stage == Stage::Draft => Err(ApiError::NotFound(
            "没有找到这项意见征集，请从意见征集列表进入。",
        )),
        _ => Ok(consultation),
    }
}

async fn one_consultation(
    State(api): Shared,
    Path(id): Path<String>,
) -> Result<Json<ConsultationView>, ApiError> {
    let consultation = find_consultation(&api, &id).await?;
    let meta = api.store.consultation_meta(&id).await?;
    Ok(Json(view(consultation, meta.as_ref())))
}

/// The body of an opinion post: the draft, and the honeypot field people never see.
#[derive(Deserialize)]
struct OpinionPost {
    #[serde(flatten)]
    draft: OpinionDraft,
    #[serde(default)]
    website: String,
}

impl BodyShape for OpinionPost {
    const MALFORMED: &'static str = "提交的内容格式不正确，请刷新页面后重新提交。";
}

/// The idempotency key a post must carry: 8 to 100 characters.
fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| (8..=100).contains(&k.len()))
        .map(str::to_string)
        .ok_or(ApiError::BadRequest(
            "请求缺少提交编号（Idempotency-Key，8至100个字符），请刷新页面后重新提交。",
        ))
}

async fn submit_opinion(
    State(api): Shared,
    Client(client): Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(post): JsonBody<OpinionPost>,
) -> Result<Response, ApiError> {
    let (status, receipt) = accept_opinion(&api, &client, &id, || idempotency_key(&headers), post).await?;
    Ok((status, Json(receipt)).into_response())
}

/// Takes an opinion for consultation `id` from `client`, whether it came as JSON from the
/// widget or as a plain HTML form: the per-address limit, the idempotency key (`key`, read
/// after the limit is counted), the honeypot, the period, the form's rules, then the store.
/// 201 with a new receipt, 200 with the receipt of the same opinion sent before.
async fn accept_opinion(
    api: &Api,
    client: &crate::proxy::ClientView,
    id: &str,
    key: impl FnOnce() -> Result<String, ApiError>,
    post: OpinionPost,
) -> Result<(StatusCode, Receipt), ApiError> {
    if let Err(limited) = api.limiter.check(client.address).await {
        if matches!(limited, limits::Limited::TooFrequent(_)) {
            api.store.metrics().rate_limited.inc();
        }
        return Err(limited.into());
    }
    let key = key()?;
    if !post.website.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "提交未通过检查，请刷新页面后重新提交。",
        ));
    }
    let consultation = find_consultation(api, id).await?;
    match consultation.status_on(today()) {
        ConsultationStatus::Open => {}
        ConsultationStatus::NotStarted => {
            return Err(ApiError::Conflict(format!(
                "这项意见征集自{}开始，目前尚未开始接收意见。",
                consultation.start
            )))
        }
        _ => {
            return Err(ApiError::Conflict(format!(
                "这项意见征集已于{}结束，不再接收意见。",
                consultation.end
            )))
        }
    }
    let mut draft = post.draft;
    draft.consultation_id = consultation.id.clone();
    let valid = draft.validate(&consultation).map_err(ApiError::Invalid)?;
    let contact = Contact {
        phone: valid.phone.clone(),
        email: valid.email.clone(),
    };
    let sealed = if contact.is_empty() {
        None
    } else {
        Some(api.settings.contact_key.seal(&contact)?)
    };
    let content = serde_json::to_vec(&(
        &valid.consultation_id,
        valid.clause,
        &valid.text,
        &valid.name,
        &contact,
    ))
    .map_err(contact::ContactError::Json)?;
    let secret = api.settings.contact_key.receipt_secret(&key);
    let opinion = NewOpinion {
        day: today(),
        idempotency_key: key,
        content_hash: sha256_hex(&content),
        secret_hash: sha256_hex(secret.as_bytes()),
        consultation_id: valid.consultation_id,
        clause: valid.clause,
        text: valid.text,
        name: valid.name,
        contact: sealed,
        received_at: rfc3339_now(),
    };
    api.store.metrics().opinions_received.inc();
    let (status, receipt, received_at, repeated) = match api.store.submit(opinion).await? {
        Stored::Created {
            receipt,
            received_at,
        } => (StatusCode::CREATED, receipt, received_at, false),
        Stored::Repeated {
            receipt,
            received_at,
        } => (StatusCode::OK, receipt, received_at, true),
        Stored::KeyReused => {
            return Err(ApiError::Conflict(
                "这个提交编号已用于另一条意见，请刷新页面后重新提交。".to_string(),
            ))
        }
    };
    Ok((
        status,
        Receipt {
            receipt,
            secret,
            received_at,
            repeated,
        },
    ))
}

#[derive(Deserialize)]
struct ReceiptQuery {
    receipt: String,
    secret: String,
}

impl BodyShape for ReceiptQuery {
    const MALFORMED: &'static str = "请填写回执编号和查询码。";
}

/// Looks up an opinion by its receipt and secret (a POST, so neither lands in access logs).
async fn look_up_receipt(
    State(api): Shared,
    JsonBody(query): JsonBody<ReceiptQuery>,
) -> Result<Json<OpinionStatus>, ApiError> {
    let not_found = ApiError::NotFound("回执编号或查询码不正确，请核对后再查。");
    let receipt = normalise_receipt(&query.receipt).ok_or(ApiError::BadRequest(
        "回执编号的格式应如 YJ20261127-7K3M9Q，请核对。",
    ))?;
    let Some(opinion) = api.store.opinion(&receipt).await? else {
        return Err(not_found);
    };
    if sha256_hex(query.secret.trim().as_bytes()) != opinion.secret_hash {
        return Err(not_found);
    }
    let consultation = find_consultation(&api, &opinion.consultation_id).await?;
    let published = consultation.results_published.is_some();
    let withheld = match api.store.review(&receipt).await?.map(|(_, r)| r.moderation) {
        Some(Some(Moderation::Withhold { reason })) if published => Some(reason.word()),
        _ => None,
    };
    let state = match (published, withheld) {
        (true, Some(_)) => "未予公开",
        (true, None) => "已反馈",
        (false, _) => "已收到，正在研究",
    };
    Ok(Json(OpinionStatus {
        receipt: opinion.receipt,
        consultation_title: consultation.title.clone(),
        clause: consultation.clause_label(opinion.clause),
        consultation_id: opinion.consultation_id,
        text: opinion.text,
        received_at: opinion.received_at,
        state: state.to_string(),
        verdict: opinion
            .verdict
            .filter(|_| published)
            .map(|v| v.word().to_string()),
        reason: opinion.reason.filter(|_| published),
        withheld: withheld.map(str::to_string),
    }))
}

async fn results(State(api): Shared, Path(id): Path<String>) -> Result<Json<ResultsPage>, ApiError> {
    let consultation = find_consultation(&api, &id).await?;
    results_of(&api, &consultation)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound("这项意见征集的结果尚未公布。"))
}

/// The published results of `consultation`, or none before publication.
async fn results_of(api: &Api, consultation: &Consultation) -> Result<Option<ResultsPage>, ApiError> {
    let Some(published) = consultation.results_published else {
        return Ok(None);
    };
    let opinions = api.store.reviews_of(&consultation.id).await?;
    let statement = api.store.statement(&consultation.id).await?;
    Ok(Some(published_results(
        consultation,
        published,
        &opinions,
        statement,
    )))
}

/// While a consultation is open (and after): how many opinions arrived, in total and per
/// clause, and nothing of what they say.
async fn live_counts(State(api): Shared, Path(id): Path<String>) -> Result<Json<LiveCounts>, ApiError> {
    let consultation = find_consultation(&api, &id).await?;
    let clauses = api.store.clauses_received(&id).await?;
    Ok(Json(LiveCounts {
        consultation_id: consultation.id.clone(),
        total: clauses.len() as u64,
        per_clause: consultation.count_per_clause(clauses),
    }))
}

/// The results as published: counts per clause of every opinion received, the officials'
/// statement, the published opinions with the reviewer's redactions applied (and the
/// personal-data screen run again over them) and names masked, and the withheld ones
/// counted by reason. Phones and e-mail addresses never appear. An opinion without a
/// reviewer's decision is not published (publication waits for every decision).
pub fn published_results(
    consultation: &Consultation,
    published: Date,
    opinions: &[ReviewRecord],
    statement: String,
) -> ResultsPage {
    let mut withheld: Vec<(WithholdReason, u64)> = Vec::new();
    let mut shown = Vec::new();
    for opinion in opinions {
        match &opinion.moderation {
            Some(Moderation::Publish { redactions }) => {
                let (text, redacted) = published_text(&opinion.text, redactions);
                shown.push(PublicOpinion {
                    opinion: PublishedOpinion {
                        clause: consultation.clause_label(opinion.clause),
                        text,
                        name: mask_name(opinion.name.as_deref().unwrap_or("")),
                        verdict: opinion.verdict,
                        reason: redact_detected(opinion.reason.as_deref().unwrap_or_default()),
                    },
                    redaction_reason: redacted.then(|| REDACTION_REASON.to_string()),
                });
            }
            Some(Moderation::Withhold { reason }) => {
                match withheld.iter_mut().find(|(r, _)| r == reason) {
                    Some((_, count)) => *count += 1,
                    None => withheld.push((*reason, 1)),
                }
            }
            None => {}
        }
    }
    withheld.sort();
    ResultsPage {
        consultation_id: consultation.id.clone(),
        published,
        total: opinions.len() as u64,
        per_clause: consultation.count_per_clause(opinions.iter().map(|o| o.clause)),
        opinions: shown,
        statement,
        withheld: withheld
            .into_iter()
            .map(|(reason, count)| WithheldCount {
                reason,
                count,
                sentence: withheld_sentence(count, reason),
            })
            .collect(),
    }
}

/// An opinion as officials see it, contacts opened.
#[derive(Serialize)]
struct AdminOpinion {
    receipt: String,
    clause: String,
    text: String,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    received_at: String,
    verdict: Option<Verdict>,
    reason: Option<String>,
}

async fn admin_list(api: &Api, id: &str) -> Result<Vec<AdminOpinion>, ApiError> {
    let consultation = find_consultation(api, id).await?;
    let opinions = api.store.opinions_of(id).await?;
    opinions
        .into_iter()
        .map(|opinion| {
            let contact = match &opinion.contact {
                Some(sealed) => api.settings.contact_key.open(sealed)?,
                None => Contact::default(),
            };
            Ok(AdminOpinion {
                clause: consultation.clause_label(opinion.clause),
                receipt: opinion.receipt,
                text: opinion.text,
                name: opinion.name,
                phone: contact.phone,
                email: contact.email,
                received_at: opinion.received_at,
                verdict: opinion.verdict,
                reason: opinion.reason,
            })
        })
        .collect()
}

/// The scripted export by bearer token (JSON), audited as the token's.
async fn admin_opinions(
    State(api): Shared,
    _: Official,
    Client(client): Client,
    Path(id): Path<String>,
) -> Result<Json<Vec<AdminOpinion>>, ApiError> {
    let list = admin_list(&api, &id).await?;
    audit_export(&api, "token", &client.address.to_string(), &id, "JSON").await?;
    Ok(Json(list))
}

/// The scripted export by bearer token (CSV), audited as the token's.
async fn admin_export(
    State(api): Shared,
    _: Official,
    Client(client): Client,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let csv = opinions_csv(&api, &id).await?;
    audit_export(&api, "token", &client.address.to_string(), &id, "CSV").await?;
    Ok(csv)
}

/// Writes the audit row of an export with contact data.
pub(crate) async fn audit_export(
    api: &Api,
    actor: &str,
    address: &str,
    id: &str,
    format: &str,
) -> Result<(), ApiError> {
    let detail = format!("导出意见（{format}，含联系方式）");
    api.store
        .audit(&AuditEntry {
            actor,
            action: Action::Export,
            object: id,
            address,
            detail: &detail,
        })
        .await?;
    Ok(())
}

/// Every opinion of a consultation with its contacts, as a CSV download (UTF-8 with BOM,
/// for Excel).
pub(crate) async fn opinions_csv(api: &Api, id: &str) -> Result<Response, ApiError> {
    let mut csv = String::from(
        "\u{FEFF}回执编号,条款,意见内容,姓名,电话,电子邮箱,提交时间,处理结果,理由\r\n",
    );
    for o in admin_list(api, id).await? {
        let cells = [
            o.receipt,
            o.clause,
            o.text,
            o.name.unwrap_or_default(),
            o.phone.unwrap_or_default(),
            o.email.unwrap_or_default(),
            o.received_at,
            o.verdict.map(|v| v.word().to_string()).unwrap_or_default(),
            o.reason.unwrap_or_default(),
        ];
        csv.push_str(&csv_line(cells.iter().map(String::as_str)));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"opinions-{}.csv\"",
                    id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
                ),
            ),
        ],
        csv,
    )
        .into_response())
}

/// Whether a consultation's period is over, so its results may be published.
pub(crate) fn period_over(consultation: &Consultation) -> bool {
    !matches!(
        consultation.status_on(today()),
        ConsultationStatus::Open | ConsultationStatus::NotStarted
    )
}

/// Today in China Standard Time, as `YYYY-MM-DD`.
pub(crate) fn today_text() -> String {
    today().to_string()
}


