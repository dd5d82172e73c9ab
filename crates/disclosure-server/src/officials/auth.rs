//! Officials' accounts and sessions: argon2id password hashes, roles, the session cookie
//! (HttpOnly, SameSite=Strict, Secure behind HTTPS), the idle timeout, the CSRF token every
//! state-changing request carries, and the slow-down and lockout after wrong passwords.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::db::unix_now;
use crate::opinions::contact::sha256_hex;
use crate::opinions::error::ApiError;
use crate::opinions::extract::Client;
use crate::opinions::store::StoreError;
use crate::opinions::Api;
use crate::proxy::ClientView;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "nx_session";
/// The header carrying the session's CSRF token on every POST, PUT and DELETE.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The path the cookie is sent to: the console's API only.
pub const COOKIE_PATH: &str = "/api/officials";
/// A session unused for this long ends (seconds).
pub const IDLE_SECONDS: i64 = 30 * 60;
/// A session ends this long after sign-in whatever its use (seconds).
pub const MAX_SESSION_SECONDS: i64 = 12 * 60 * 60;
/// Wrong passwords in a row that lock an account.
pub const LOCK_AFTER: i64 = 5;
/// How long a locked account stays locked (seconds).
pub const LOCK_SECONDS: i64 = 15 * 60;
/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What an official may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 起草人员: drafts consultations.
    Editor,
    /// 审核人员: moderates opinions and responds to them.
    Reviewer,
    /// 发布人员: opens consultations and publishes results.
    Publisher,
    /// 管理员: accounts and the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Editor, Role::Reviewer, Role::Publisher, Role::Admin];

    /// The stored and typed spelling.
    pub fn key(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Publisher => "publisher",
            Role::Admin => "admin",
        }
    }

    /// The role in words.
    pub fn word(self) -> &'static str {
        match self {
            Role::Editor => "起草人员",
            Role::Reviewer => "审核人员",
            Role::Publisher => "发布人员",
            Role::Admin => "管理员",
        }
    }

    /// The refusal when a request needs this role.
    fn refusal(self) -> &'static str {
        match self {
            Role::Editor => "您的账户没有起草意见征集的权限（需要“起草人员”角色）。",
            Role::Reviewer => "您的账户没有审核、答复意见的权限（需要“审核人员”角色）。",
            Role::Publisher => "您的账户没有开始征集或公布结果的权限（需要“发布人员”角色）。",
            Role::Admin => "您的账户没有管理账户和查看审计日志的权限（需要“管理员”角色）。",
        }
    }
}

/// A role name that is none of the four.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected editor, reviewer, publisher or admin")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(text: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == text.trim())
            .ok_or_else(|| UnknownRole(text.to_string()))
    }
}

/// The roles of an account, as stored (comma-separated keys), unknown keys ignored.
pub fn parse_roles(stored: &str) -> Vec<Role> {
    let mut roles: Vec<Role> = stored.split(',').filter_map(|r| r.parse().ok()).collect();
    roles.sort();
    roles.dedup();
    roles
}

/// The stored spelling of a set of roles.
pub fn roles_key(roles: &[Role]) -> String {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(",")
}

/// Why a password could not be hashed or an account not made.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("账户名应为2至32个字母、数字、“.”“-”“_”或汉字")]
    BadName,
    #[error("密码至少{MIN_PASSWORD_CHARS}个字符")]
    ShortPassword,
    #[error("账户至少要有一个角色")]
    NoRole,
    #[error("账户“{0}”已存在")]
    Exists(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks an account name: 2 to 32 letters, digits, `.`, `-`, `_` or Han characters.
pub fn check_name(name: &str) -> Result<(), AccountError> {
    let count = name.chars().count();
    let fine = (2..=32).contains(&count)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if fine {
        Ok(())
    } else {
        Err(AccountError::BadName)
    }
}

/// The argon2id hash (PHC string, with its salt and parameters) of a password of at least
/// [`MIN_PASSWORD_CHARS`] characters. CPU-heavy: call it off the async threads.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::ShortPassword);
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches a stored hash (false for a hash that cannot be read).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash checked when the name is unknown, so a wrong name costs as long as a wrong
/// password and the time does not tell which names exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-used").unwrap_or_default())
}

/// How long the answer to the `failures`-th wrong password in a row is held back
/// (milliseconds): 200 ms more for each, at most 2 s.
pub fn slow_down_millis(failures: i64) -> u64 {
    (failures.clamp(1, 10) as u64) * 200
}

/// Wrong passwords from one client address, whatever the accounts: an address trying
/// many names (password spraying) is stopped as one account would be.
#[derive(Debug, Default)]
pub struct AddressFailures {
    /// Per address: the start of its window (Unix seconds) and the failures in it.
    seen: std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, (i64, u32)>>,
}

/// Wrong passwords one address may send within [`ADDRESS_WINDOW_SECONDS`].
pub const ADDRESS_FAILURES: u32 = 20;
/// The window of [`ADDRESS_FAILURES`] (seconds).
pub const ADDRESS_WINDOW_SECONDS: i64 = 10 * 60;

impl AddressFailures {
    /// Seconds until `address` may try again, when it used up its failures.
    pub fn blocked(&self, address: std::net::IpAddr, now: i64) -> Option<u64> {
        let seen = self.seen.lock().ok()?;
        let (start, count) = *seen.get(&address)?;
        let left = start + ADDRESS_WINDOW_SECONDS - now;
        (count >= ADDRESS_FAILURES && left > 0).then_some(left as u64)
    }

    /// Counts a wrong password from `address`; old windows are forgotten as it grows.
    pub fn record(&self, address: std::net::IpAddr, now: i64) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now - *start < ADDRESS_WINDOW_SECONDS);
        }
        let entry = seen.entry(address).or_insert((now, 0));
        if now - entry.0 >= ADDRESS_WINDOW_SECONDS {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }
}

/// A signed-in official, on a request whose CSRF token matched when it changes state.
#[derive(Debug, Clone)]
pub struct Session {
    pub name: String,
    pub roles: Vec<Role>,
    pub csrf: String,
    /// The client, for the audit log.
    pub client: ClientView,
    /// SHA-256 of the session's token.
    pub token_hash: String,
}

impl Session {
    /// Ok when the account holds `role`; 403 with the role named otherwise.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.roles.contains(&role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(role.refusal()))
        }
    }

    /// The client's address as the audit log records it.
    pub fn address(&self) -> String {
        self.client.address.to_string()
    }
}

/// The value of the session cookie in a request's `Cookie` headers.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

/// The `Set-Cookie` value of a new session: HttpOnly, SameSite=Strict, sent to the
/// console's API only, and Secure when the client came over HTTPS (as the trusted proxy
/// reports it).
pub fn session_cookie(token: &str, client: &ClientView) -> String {
    cookie::Cookie::build((SESSION_COOKIE, token.to_string()))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .path(COOKIE_PATH)
        .secure(client.proto.as_deref() == Some("https"))
        .build()
        .to_string()
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn expired_cookie(client: &ClientView) -> String {
    let mut cookie = cookie::Cookie::build((SESSION_COOKIE, ""))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .path(COOKIE_PATH)
        .secure(client.proto.as_deref() == Some("https"))
        .build();
    cookie.make_removal();
    cookie.to_string()
}

const SIGNED_OUT: &str = "请先登录。";
const EXPIRED: &str = "登录已超时（30分钟未操作或已登录超过12小时），请重新登录。";
const BAD_CSRF: &str = "请求缺少有效的防伪令牌（CSRF），请刷新页面后重试。";

impl FromRequestParts<Arc<Api>> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, api: &Arc<Api>) -> Result<Self, ApiError> {
        // The Origin check of every state-changing request, as for citizens' posts.
        let Client(client) = Client::from_request_parts(parts, api).await?;
        let token = session_token(parts).ok_or(ApiError::SignedOut(SIGNED_OUT))?;
        let token_hash = sha256_hex(token.as_bytes());
        // A cookie of another server, or of a session that ended, is simply unknown here.
        let row = api
            .store
            .session(&token_hash)
            .await?
            .ok_or(ApiError::SignedOut(EXPIRED))?;
        let now = unix_now();
        if row.disabled || now - row.last_seen > IDLE_SECONDS || now - row.created_at > MAX_SESSION_SECONDS
        {
            api.store.end_session(&token_hash, None).await?;
            return Err(ApiError::SignedOut(EXPIRED));
        }
        let changes_state = ![Method::GET, Method::HEAD, Method::OPTIONS].contains(&parts.method);
        if changes_state {
            let given = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !bool::from(given.as_bytes().ct_eq(row.csrf.as_bytes())) {
                return Err(ApiError::Forbidden(BAD_CSRF));
            }
        }
        if now - row.last_seen >= 30 {
            api.store.touch_session(&token_hash, now).await?;
        }
        Ok(Session {
            name: row.official,
            roles: parse_roles(&row.roles),
            csrf: row.csrf,
            client,
            token_hash,
        })
    }
}
