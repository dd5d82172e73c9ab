//! The officials' half of a consultation, under `/api/officials` (the console's API):
//! signing in and out, reviewing opinions (each screened for personal data, redacted or
//! withheld with a reason), responding, the 意见采纳情况说明, publishing the results once
//! every opinion is reviewed, accounts and the audit log. Every request needs a session
//! (cookie) and the role of the action; every state-changing one its CSRF token; every
//! action is one row of the audit log, written in the same transaction as the action.

pub mod auth;
pub mod catalogue;
pub mod consultations;
pub mod db;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use disclosure_core::consultation::{
    check_redactions, normalise_receipt, published_text, Moderation, Verdict, MAX_OPINION_CHARS,
};
use disclosure_core::personal_data::detect;
use disclosure_core::text::csv_line;
use serde::{Deserialize, Serialize};

use crate::opinions::contact::{sha256_hex, Contact};
use crate::opinions::error::ApiError;
use crate::opinions::extract::{BodyShape, Client, JsonBody};
use crate::opinions::{
    audit_export, find_consultation, opinions_csv, period_over, today, today_text, Api,
};
use auth::{Role, Session};
use db::{unix_now, Action, AuditEntry, NotReady, Refused};

type Shared = State<Arc<Api>>;

/// The console's API routes (state: the opinion API's).
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route(
            "/api/officials/session",
            get(who_am_i).post(sign_in).delete(sign_out),
        )
        .route(
            "/api/officials/consultations/{id}/opinions",
            get(review_list),
        )
        .route(
            "/api/officials/consultations/{id}/opinions.csv",
            get(export_csv),
        )
        .route(
            "/api/officials/consultations/{id}/statement",
            put(write_statement),
        )
        .route("/api/officials/consultations/{id}/publish", post(publish))
        .route(
            "/api/officials/opinions/{receipt}/contacts",
            get(view_contacts),
        )
        .route(
            "/api/officials/opinions/{receipt}/moderation",
            put(moderate),
        )
        .route("/api/officials/opinions/{receipt}/response", put(respond))
        .route(
            "/api/officials/accounts",
            get(list_accounts).post(create_account),
        )
        .route("/api/officials/accounts/{name}", put(update_account))
        .route("/api/officials/audit", get(read_audit))
        .route("/api/officials/audit.csv", get(export_audit))
        .merge(consultations::routes())
        .merge(catalogue::routes())
        .layer(axum::middleware::map_response(private_answer))
}

/// Answers of the console's API hold opinions, contacts and accounts: no cache keeps them.
async fn private_answer(uri: axum::http::Uri, mut response: Response) -> Response {
    if uri.path().starts_with("/api/officials/") {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    response
}

/// The console's page (`/admin/…`) may not be framed by another page (clickjacking a
/// signed-in official), and tells browsers to send no referrer elsewhere.
pub async fn console_page_headers(uri: axum::http::Uri, mut response: Response) -> Response {
    if uri.path().starts_with("/admin") {
        let headers = response.headers_mut();
        headers.insert(
            header::X_FRAME_OPTIONS,
            axum::http::HeaderValue::from_static("DENY"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static("frame-ancestors 'none'"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            axum::http::HeaderValue::from_static("same-origin"),
        );
    }
    response
}

fn entry<'a>(
    session: &'a Session,
    address: &'a str,
    action: Action,
    object: &'a str,
    detail: &'a str,
) -> AuditEntry<'a> {
    AuditEntry {
        actor: &session.name,
        action,
        object,
        address,
        detail,
    }
}

/// A role as the console shows it.
#[derive(Serialize)]
struct RoleView {
    key: &'static str,
    word: &'static str,
}

fn role_views(roles: &[Role]) -> Vec<RoleView> {
    roles
        .iter()
        .map(|r| RoleView {
            key: r.key(),
            word: r.word(),
        })
        .collect()
}

/// The signed-in official, with the CSRF token to send back.
#[derive(Serialize)]
struct SessionView {
    name: String,
    roles: Vec<RoleView>,
    csrf: String,
    idle_minutes: i64,
}

async fn who_am_i(session: Session) -> Json<SessionView> {
    Json(SessionView {
        roles: role_views(&session.roles),
        name: session.name,
        csrf: session.csrf,
        idle_minutes: auth::IDLE_SECONDS / 60,
    })
}

#[derive(Deserialize)]
struct SignIn {
    name: String,
    password: String,
}

impl BodyShape for SignIn {
    const MALFORMED: &'static str = "请填写账户名和密码。";
}

const WRONG_PASSWORD: &str = "账户名或密码不正确。";

async fn sign_in(
    State(api): Shared,
    Client(client): Client,
    JsonBody(form): JsonBody<SignIn>,
) -> Result<Response, ApiError> {
    let address = client.address.to_string();
    let name = form.name.trim().to_string();
    let now = unix_now();
    if let Some(seconds) = api.sign_in_failures.blocked(client.address, now) {
        api.store
            .audit(&AuditEntry {
                actor: "",
                action: Action::SignInLocked,
                object: "（该地址）",
                address: &address,
                detail: "该地址密码错误次数过多，暂停登录",
            })
            .await?;
        return Err(ApiError::TooFrequent(seconds));
    }
    let account = api.store.account(&name).await?;
    if let Some(account) = &account {
        if account.locked_until > now {
            api.store
                .audit(&AuditEntry {
                    actor: &account.name,
                    action: Action::SignInLocked,
                    object: &account.name,
                    address: &address,
                    detail: "账户锁定期间尝试登录",
                })
                .await?;
            return Err(ApiError::Locked((account.locked_until - now) as u64));
        }
    }
    let hash = account
        .as_ref()
        .filter(|a| !a.disabled)
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| auth::decoy_hash().to_string());
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || auth::verify_password(&hash, &password))
        .await
        .unwrap_or(false);
    let Some(account) = account.filter(|a| matches && !a.disabled) else {
        let known = api.store.account(&name).await?.is_some();
        let actor = if known { name.as_str() } else { "" };
        let object = if known { name.as_str() } else { "（未知账户）" };
        let (failures, locked) = api
            .store
            .record_failure(
                &name,
                auth::LOCK_AFTER,
                now + auth::LOCK_SECONDS,
                &AuditEntry {
                    actor,
                    action: Action::SignInFailed,
                    object,
                    address: &address,
                    detail: "密码错误或账户不可用",
                },
            )
            .await?;
        api.sign_in_failures.record(client.address, now);
        tokio::time::sleep(std::time::Duration::from_millis(auth::slow_down_millis(failures))).await;
        if locked {
            return Err(ApiError::Locked(auth::LOCK_SECONDS as u64));
        }
        return Err(ApiError::SignedOut(WRONG_PASSWORD));
    };
    let token = db::random_hex(32)?;
    let csrf = db::random_hex(32)?;
    api.store
        .start_session(
            &account.name,
            &sha256_hex(token.as_bytes()),
            &csrf,
            &AuditEntry {
                actor: &account.name,
                action: Action::SignIn,
                object: &account.name,
                address: &address,
                detail: "",
            },
        )
        .await?;
    let roles = auth::parse_roles(&account.roles);
    let view = SessionView {
        name: account.name,
        roles: role_views(&roles),
        csrf,
        idle_minutes: auth::IDLE_SECONDS / 60,
    };
    Ok((
        [(header::SET_COOKIE, auth::session_cookie(&token, &client))],
        Json(view),
    )
        .into_response())
}

async fn sign_out(State(api): Shared, session: Session) -> Result<Response, ApiError> {
    let address = session.address();
    api.store
        .end_session(
            &session.token_hash,
            Some(&entry(&session, &address, Action::SignOut, &session.name, "")),
        )
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::expired_cookie(&session.client))],
    )
        .into_response())
}

/// A piece of personal data the screen found, for the reviewer's highlight.
#[derive(Serialize)]
struct Found {
    kind: disclosure_core::personal_data::PersonalDataKind,
    word: &'static str,
    /// Characters, end exclusive.
    start: usize,
    end: usize,
}

/// An opinion on the review screen: its text with the screen's matches, the decision and
/// response so far, and the revision a change must name. No contacts (see
/// `/contacts`, audited).
#[derive(Serialize)]
struct ReviewView {
    receipt: String,
    clause: String,
    text: String,
    name: Option<String>,
    has_contact: bool,
    received_at: String,
    detected: Vec<Found>,
    moderation: Option<Moderation>,
    moderated_by: Option<String>,
    /// The text as it would be published now.
    preview: Option<String>,
    verdict: Option<Verdict>,
    reason: Option<String>,
    responded_by: Option<String>,
    revision: i64,
}

/// Opinions of a consultation for review, with progress counts.
#[derive(Serialize)]
struct ReviewPage {
    consultation_id: String,
    title: String,
    status_word: &'static str,
    total: usize,
    unreviewed: usize,
    unanswered: usize,
    statement: String,
    opinions: Vec<ReviewView>,
}

fn require_any(session: &Session, roles: &[Role]) -> Result<(), ApiError> {
    match roles.iter().find(|r| session.roles.contains(r)) {
        Some(_) => Ok(()),
        None => session.require(roles[0]),
    }
}

async fn review_list(
    State(api): Shared,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<ReviewPage>, ApiError> {
    require_any(&session, &[Role::Reviewer, Role::Publisher])?;
    let consultation = find_consultation(&api, &id).await?;
    let records = api.store.reviews_of(&id).await?;
    let opinions: Vec<ReviewView> = records
        .into_iter()
        .map(|r| {
            let preview = match &r.moderation {
                Some(Moderation::Publish { redactions }) => Some(published_text(&r.text, redactions).0),
                _ => None,
            };
            ReviewView {
                clause: consultation.clause_label(r.clause),
                detected: detect(&r.text)
                    .into_iter()
                    .map(|m| Found {
                        kind: m.kind,
                        word: m.kind.word(),
                        start: m.chars.start,
                        end: m.chars.end,
                    })
                    .collect(),
                receipt: r.receipt,
                text: r.text,
                name: r.name,
                has_contact: r.has_contact,
                received_at: r.received_at,
                moderation: r.moderation,
                moderated_by: r.moderated_by,
                preview,
                verdict: r.verdict,
                reason: r.reason,
                responded_by: r.responded_by,
                revision: r.revision,
            }
        })
        .collect();
    Ok(Json(ReviewPage {
        consultation_id: consultation.id.clone(),
        title: consultation.title.clone(),
        status_word: consultation.status_on(today()).word(),
        total: opinions.len(),
        unreviewed: opinions.iter().filter(|o| o.moderation.is_none()).count(),
        unanswered: opinions
            .iter()
            .filter(|o| matches!(o.moderation, Some(Moderation::Publish { .. })) && o.verdict.is_none())
            .count(),
        statement: api.store.statement(&id).await?,
        opinions,
    }))
}

async fn export_csv(
    State(api): Shared,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    session.require(Role::Reviewer)?;
    let csv = opinions_csv(&api, &id).await?;
    audit_export(&api, &session.name, &session.address(), &id, "CSV").await?;
    Ok(csv)
}

fn receipt_of(text: &str) -> Result<String, ApiError> {
    normalise_receipt(text).ok_or(ApiError::NotFound("没有这个回执编号。"))
}

/// An opinion's contacts, opened for a reviewer; each view is audited (the row names the
/// receipt, never the contact).
async fn view_contacts(
    State(api): Shared,
    session: Session,
    Path(receipt): Path<String>,
) -> Result<Json<Contact>, ApiError> {
    session.require(Role::Reviewer)?;
    let receipt = receipt_of(&receipt)?;
    let opinion = api
        .store
        .opinion(&receipt)
        .await?
        .ok_or(ApiError::NotFound("没有这个回执编号。"))?;
    let contact = match &opinion.contact {
        Some(sealed) => api.settings.contact_key.open(sealed)?,
        None => Contact::default(),
    };
    let address = session.address();
    api.store
        .audit(&entry(
            &session,
            &address,
            Action::ViewContacts,
            &receipt,
            "查看联系方式",
        ))
        .await?;
    Ok(Json(contact))
}

#[derive(Deserialize)]
struct ModerationBody {
    /// The revision the reviewer saw.
    revision: i64,
    #[serde(flatten)]
    moderation: Moderation,
}

impl BodyShape for ModerationBody {
    const MALFORMED: &'static str = "审核结果应为 {\"decision\":\"publish\",\"redactions\":[…]} 或 {\"decision\":\"withhold\",\"reason\":\"abuse|advertising|unrelated|duplicate\"}，并附 revision。";
}

/// The answer to a change of an opinion: its new revision.
#[derive(Serialize)]
struct Revised {
    receipt: String,
    revision: i64,
}

fn refusal(refused: Refused) -> ApiError {
    match refused {
        Refused::NotFound => ApiError::NotFound("没有这个回执编号。"),
        Refused::Stale(now) => ApiError::Conflict(format!(
            "另一位审核人员刚刚处理了这条意见（现为第{now}版），您的修改未保存。请刷新后查看再处理。"
        )),
        Refused::Published => {
            ApiError::Conflict("结果已公布，意见的审核和答复不能再修改。".to_string())
        }
    }
}

async fn moderate(
    State(api): Shared,
    session: Session,
    Path(receipt): Path<String>,
    JsonBody(body): JsonBody<ModerationBody>,
) -> Result<Json<Revised>, ApiError> {
    session.require(Role::Reviewer)?;
    let receipt = receipt_of(&receipt)?;
    let (_, record) = api
        .store
        .review(&receipt)
        .await?
        .ok_or(ApiError::NotFound("没有这个回执编号。"))?;
    let detail = match &body.moderation {
        Moderation::Publish { redactions } => {
            check_redactions(&record.text, redactions)
                .map_err(|e| ApiError::InvalidResponse(e.to_string()))?;
            format!("公开，隐去{}处", redactions.len())
        }
        Moderation::Withhold { reason } => format!("不予公开：{}", reason.word()),
    };
    let address = session.address();
    let revision = api
        .store
        .moderate(
            &receipt,
            body.revision,
            &body.moderation,
            &session.name,
            &entry(&session, &address, Action::Moderate, &receipt, &detail),
        )
        .await?
        .map_err(refusal)?;
    Ok(Json(Revised { receipt, revision }))
}

#[derive(Deserialize)]
struct ResponseBody {
    revision: i64,
    verdict: Verdict,
    #[serde(default)]
    reason: String,
}

impl BodyShape for ResponseBody {
    const MALFORMED: &'static str =
        "处理结果应为 adopted、partly_adopted 或 not_adopted，并附理由和 revision。";
}

async fn respond(
    State(api): Shared,
    session: Session,
    Path(receipt): Path<String>,
    JsonBody(body): JsonBody<ResponseBody>,
) -> Result<Json<Revised>, ApiError> {
    session.require(Role::Reviewer)?;
    body.verdict
        .check_reason(&body.reason)
        .map_err(|e| ApiError::InvalidResponse(e.to_string()))?;
    let receipt = receipt_of(&receipt)?;
    let address = session.address();
    let revision = api
        .store
        .respond_reviewed(
            &receipt,
            body.revision,
            body.verdict,
            body.reason.trim(),
            &session.name,
            &entry(&session, &address, Action::Respond, &receipt, body.verdict.word()),
        )
        .await?
        .map_err(refusal)?;
    Ok(Json(Revised { receipt, revision }))
}

#[derive(Deserialize)]
struct StatementBody {
    statement: String,
}

impl BodyShape for StatementBody {
    const MALFORMED: &'static str = "请填写意见采纳情况说明（statement）。";
}

async fn write_statement(
    State(api): Shared,
    session: Session,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StatementBody>,
) -> Result<StatusCode, ApiError> {
    require_any(&session, &[Role::Reviewer, Role::Publisher])?;
    let statement = body.statement.trim();
    if statement.chars().count() > MAX_OPINION_CHARS {
        return Err(ApiError::InvalidResponse(format!(
            "意见采纳情况说明不能超过{MAX_OPINION_CHARS}字"
        )));
    }
    find_consultation(&api, &id).await?;
    let address = session.address();
    let written = api
        .store
        .set_statement(
            &id,
            statement,
            &entry(&session, &address, Action::Statement, &id, "撰写意见采纳情况说明"),
        )
        .await?;
    if written {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::Conflict(
            "结果已公布，意见采纳情况说明不能再修改。".to_string(),
        ))
    }
}

async fn publish(
    State(api): Shared,
    session: Session,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    session.require(Role::Publisher)?;
    let consultation = find_consultation(&api, &id).await?;
    if !period_over(&consultation) {
        return Err(ApiError::Conflict(
            "意见征集期结束后才能公布结果。".to_string(),
        ));
    }
    let address = session.address();
    api.store
        .publish_reviewed(
            &id,
            &today_text(),
            &entry(&session, &address, Action::Publish, &id, "公布征集结果"),
        )
        .await?
        .map_err(|not_ready| {
            ApiError::Conflict(match not_ready {
                NotReady::AlreadyPublished => "这项意见征集的结果已经公布。".to_string(),
                NotReady::Unreviewed(n) => {
                    format!("还有{n}条意见未审核（公开或不予公开），全部审核后才能公布结果。")
                }
                NotReady::Unanswered(n) => {
                    format!("还有{n}条拟公开的意见未答复（采纳情况），全部答复后才能公布结果。")
                }
            })
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// An account as admins see it (never the hash).
#[derive(Serialize)]
struct AccountView {
    name: String,
    roles: Vec<RoleView>,
    locked: bool,
    disabled: bool,
    created_at: String,
}

async fn list_accounts(
    State(api): Shared,
    session: Session,
) -> Result<Json<Vec<AccountView>>, ApiError> {
    session.require(Role::Admin)?;
    let now = unix_now();
    Ok(Json(
        api.store
            .accounts()
            .await?
            .into_iter()
            .map(|a| AccountView {
                roles: role_views(&auth::parse_roles(&a.roles)),
                locked: a.locked_until > now,
                disabled: a.disabled,
                name: a.name,
                created_at: a.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
struct NewAccount {
    name: String,
    password: String,
    roles: Vec<Role>,
}

impl BodyShape for NewAccount {
    const MALFORMED: &'static str =
        "请填写账户名、密码和角色（editor、reviewer、publisher、admin）。";
}

fn account_refusal(error: auth::AccountError) -> ApiError {
    match error {
        auth::AccountError::Store(e) => e.into(),
        auth::AccountError::Hash(_) => ApiError::Conflict("暂时无法设置密码，请稍后重试。".to_string()),
        other => ApiError::InvalidResponse(other.to_string()),
    }
}

async fn hash_off_thread(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|_| ApiError::Conflict("暂时无法设置密码，请稍后重试。".to_string()))?
        .map_err(account_refusal)
}

async fn create_account(
    State(api): Shared,
    session: Session,
    JsonBody(body): JsonBody<NewAccount>,
) -> Result<StatusCode, ApiError> {
    session.require(Role::Admin)?;
    let name = body.name.trim().to_string();
    auth::check_name(&name).map_err(account_refusal)?;
    if body.roles.is_empty() {
        return Err(account_refusal(auth::AccountError::NoRole));
    }
    let hash = hash_off_thread(body.password).await?;
    let roles = auth::roles_key(&body.roles);
    let detail = format!("角色：{roles}");
    let address = session.address();
    let created = api
        .store
        .create_account(
            &name,
            &hash,
            &roles,
            &entry(&session, &address, Action::AccountCreate, &name, &detail),
        )
        .await?;
    if created {
        Ok(StatusCode::CREATED)
    } else {
        Err(ApiError::Conflict(auth::AccountError::Exists(name).to_string()))
    }
}

#[derive(Deserialize)]
struct AccountChange {
    #[serde(default)]
    roles: Option<Vec<Role>>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    unlock: bool,
}

impl BodyShape for AccountChange {
    const MALFORMED: &'static str = "账户修改应含 roles、disabled、password 或 unlock。";
}

async fn update_account(
    State(api): Shared,
    session: Session,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<AccountChange>,
) -> Result<StatusCode, ApiError> {
    session.require(Role::Admin)?;
    if body.roles.as_ref().is_some_and(Vec::is_empty) {
        return Err(account_refusal(auth::AccountError::NoRole));
    }
    if name == session.name
        && (body.disabled == Some(true)
            || body.roles.as_ref().is_some_and(|r| !r.contains(&Role::Admin)))
    {
        return Err(ApiError::Conflict(
            "不能停用自己的账户或取消自己的管理员角色，请由另一位管理员操作。".to_string(),
        ));
    }
    let hash = match body.password {
        Some(password) => Some(hash_off_thread(password).await?),
        None => None,
    };
    let roles = body.roles.as_deref().map(auth::roles_key);
    let mut changes = Vec::new();
    if let Some(roles) = &roles {
        changes.push(format!("角色：{roles}"));
    }
    if let Some(disabled) = body.disabled {
        changes.push(if disabled { "停用" } else { "启用" }.to_string());
    }
    if hash.is_some() {
        changes.push("重设密码".to_string());
    }
    if body.unlock {
        changes.push("解锁".to_string());
    }
    let detail = changes.join("；");
    let address = session.address();
    let done = api
        .store
        .update_account(
            &name,
            roles.as_deref(),
            body.disabled,
            hash.as_deref(),
            body.unlock,
            &entry(&session, &address, Action::AccountUpdate, &name, &detail),
        )
        .await?;
    if done {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("没有这个账户。"))
    }
}

/// The most audit rows one request reads.
const AUDIT_ROWS: i64 = 10_000;

async fn read_audit(
    State(api): Shared,
    session: Session,
) -> Result<Json<Vec<db::AuditRow>>, ApiError> {
    session.require(Role::Admin)?;
    Ok(Json(api.store.audit_log(AUDIT_ROWS).await?))
}

async fn export_audit(State(api): Shared, session: Session) -> Result<Response, ApiError> {
    session.require(Role::Admin)?;
    let mut csv = String::from("\u{FEFF}时间,账户,操作,对象,来源地址,说明\r\n");
    for row in api.store.audit_log(AUDIT_ROWS).await? {
        let cells = [row.at, row.actor, row.action, row.object, row.address, row.detail];
        csv.push_str(&csv_line(cells.iter().map(String::as_str)));
    }
    let address = session.address();
    api.store
        .audit(&entry(&session, &address, Action::Export, "audit_log", "导出审计日志（CSV）"))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\""),
        ],
        csv,
    )
        .into_response())
}

/// Creates an account from the command line (`disclosure-server user add`), audited as
/// done there. Errors: a bad name, a short password, no role, a name taken, the store.
pub async fn add_account_from_cli(
    store: &crate::opinions::store::Store,
    name: &str,
    roles: &[Role],
    password: String,
) -> Result<(), auth::AccountError> {
    let name = name.trim();
    auth::check_name(name)?;
    if roles.is_empty() {
        return Err(auth::AccountError::NoRole);
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| auth::AccountError::Hash(e.to_string()))??;
    let roles = auth::roles_key(roles);
    let detail = format!("角色：{roles}（命令行创建）");
    let created = store
        .create_account(
            name,
            &hash,
            &roles,
            &AuditEntry {
                actor: "（命令行）",
                action: Action::AccountCreate,
                object: name,
                address: "local",
                detail: &detail,
            },
        )
        .await?;
    if created {
        Ok(())
    } else {
        Err(auth::AccountError::Exists(name.to_string()))
    }
}
