//! The officials' tables (migration 0003): accounts, sessions, the append-only audit log,
//! and the moderation columns of opinions. Every change an official makes is written in
//! one transaction with its audit row, so the log is never missing an action that took
//! effect, and an action that failed leaves nothing half-written.

use disclosure_core::consultation::{CharSpan, Moderation, Verdict, WithholdReason};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::opinions::store::{Store, StoreError};

/// What an official did, as the audit log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SignIn,
    SignInFailed,
    SignInLocked,
    SignOut,
    ViewContacts,
    Export,
    Moderate,
    Respond,
    Statement,
    Publish,
    AccountCreate,
    AccountUpdate,
    ConsultationCreate,
    ConsultationEdit,
    /// An opened consultation's end moved later.
    PeriodExtend,
    ConsultationOpen,
    Upload,
    CatalogueEdit,
}

impl Action {
    /// The stored spelling.
    pub fn key(self) -> &'static str {
        match self {
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
            Action::SignInLocked => "sign_in_locked",
            Action::SignOut => "sign_out",
            Action::ViewContacts => "view_contacts",
            Action::Export => "export",
            Action::Moderate => "moderate",
            Action::Respond => "respond",
            Action::Statement => "statement",
            Action::Publish => "publish",
            Action::AccountCreate => "account_create",
            Action::AccountUpdate => "account_update",
            Action::ConsultationCreate => "consultation_create",
            Action::ConsultationEdit => "consultation_edit",
            Action::PeriodExtend => "period_extend",
            Action::ConsultationOpen => "consultation_open",
            Action::Upload => "upload",
            Action::CatalogueEdit => "catalogue_edit",
        }
    }
}

/// One row of the audit log about to be written: who, what, which object, from where, and
/// a note without personal data.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: Action,
    pub object: &'a str,
    pub address: &'a str,
    pub detail: &'a str,
}

/// One row of the audit log as admins read it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub address: String,
    pub detail: String,
}

/// Now, in seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Now, RFC 3339 in UTC.
pub(crate) fn rfc3339_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Hex of `n` fresh random bytes.
pub fn random_hex(n: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(StoreError::Randomness)?;
    Ok(hex::encode(bytes))
}

/// Appends one audit row on `connection` (inside the caller's transaction).
pub async fn append_audit(
    connection: &mut AnyConnection,
    entry: &AuditEntry<'_>,
) -> Result<(), StoreError> {
    let micros = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000;
    let id = format!("{micros:020}-{}", random_hex(4)?);
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, object, address, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(rfc3339_now())
    .bind(entry.actor)
    .bind(entry.action.key())
    .bind(entry.object)
    .bind(entry.address)
    .bind(entry.detail)
    .execute(connection)
    .await?;
    Ok(())
}

/// An account as stored.
#[derive(Debug, Clone)]
pub struct Account {
    pub name: String,
    pub password_hash: String,
    /// Comma-separated role keys.
    pub roles: String,
    pub failures: i64,
    /// Unix seconds; 0 when not locked.
    pub locked_until: i64,
    pub disabled: bool,
    pub created_at: String,
}

fn account_of(row: &AnyRow) -> Result<Account, StoreError> {
    Ok(Account {
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        roles: row.try_get("roles")?,
        failures: row.try_get("failures")?,
        locked_until: row.try_get("locked_until")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

/// A session found by its token, with its account.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub official: String,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub roles: String,
    pub disabled: bool,
}

/// An opinion as the moderation screen needs it (contacts excluded: opening them is an
/// audited action of its own).
#[derive(Debug, Clone)]
pub struct ReviewRecord {
    pub receipt: String,
    pub clause: Option<u32>,
    pub text: String,
    pub name: Option<String>,
    pub has_contact: bool,
    pub received_at: String,
    pub verdict: Option<Verdict>,
    pub reason: Option<String>,
    pub moderation: Option<Moderation>,
    pub moderated_by: Option<String>,
    pub responded_by: Option<String>,
    pub revision: i64,
}

const SELECT_REVIEW: &str = "SELECT receipt, clause, body, name, contact, received_at, verdict, reason, \
     moderation, redactions, withheld_reason, moderated_by, responded_by, revision FROM opinions";

fn review_of(row: &AnyRow) -> Result<ReviewRecord, StoreError> {
    let clause: Option<i64> = row.try_get("clause")?;
    let verdict: Option<String> = row.try_get("verdict")?;
    let moderation: Option<String> = row.try_get("moderation")?;
    let redactions: Option<String> = row.try_get("redactions")?;
    let withheld: Option<String> = row.try_get("withheld_reason")?;
    let moderation = match moderation.as_deref() {
        Some("publish") => Some(Moderation::Publish {
            redactions: match redactions {
                Some(json) => serde_json::from_str::<Vec<CharSpan>>(&json)?,
                None => Vec::new(),
            },
        }),
        Some("withhold") => withheld
            .as_deref()
            .and_then(WithholdReason::from_key)
            .map(|reason| Moderation::Withhold { reason }),
        _ => None,
    };
    Ok(ReviewRecord {
        receipt: row.try_get("receipt")?,
        clause: clause.and_then(|n| u32::try_from(n).ok()),
        text: row.try_get("body")?,
        name: row.try_get("name")?,
        has_contact: row.try_get::<Option<String>, _>("contact")?.is_some(),
        received_at: row.try_get("received_at")?,
        verdict: verdict.and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok()),
        reason: row.try_get("reason")?,
        moderation,
        moderated_by: row.try_get("moderated_by")?,
        responded_by: row.try_get("responded_by")?,
        revision: row.try_get("revision")?,
    })
}

/// Why a change to an opinion was not made.
#[derive(Debug)]
pub enum Refused {
    /// No opinion has this receipt.
    NotFound,
    /// Someone changed the opinion since the caller read it (revision now this).
    Stale(i64),
    /// The results are published; opinions are final.
    Published,
}

/// Why publication was refused: opinions still waiting for a decision or a response.
#[derive(Debug)]
pub enum NotReady {
    AlreadyPublished,
    Unreviewed(i64),
    Unanswered(i64),
}

/// The officials' queries, on the store's pool.
impl Store {
    /// Appends one audit row on its own (an action with nothing else to write: a sign-in,
    /// a view of contact data, an export).
    pub async fn audit(&self, entry: &AuditEntry<'_>) -> Result<(), StoreError> {
        let mut connection = self.pool().acquire().await?;
        append_audit(&mut connection, entry).await
    }

    /// The audit log, newest first, at most `limit` rows.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor, action, object, address, detail FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditRow {
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    object: row.try_get("object")?,
                    address: row.try_get("address")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect()
    }

    /// The account named `name`, if any.
    pub async fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query("SELECT * FROM officials WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(account_of).transpose()
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query("SELECT * FROM officials ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(account_of).collect()
    }

    /// Creates an account; false when the name is taken. Audited.
    pub async fn create_account(
        &self,
        name: &str,
        password_hash: &str,
        roles: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "INSERT INTO officials (name, password_hash, roles, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(password_hash)
        .bind(roles)
        .bind(rfc3339_now())
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Changes an account (each `Some` field), ending its sessions when it is disabled or
    /// its password changes; false when there is no such account. Audited.
    pub async fn update_account(
        &self,
        name: &str,
        roles: Option<&str>,
        disabled: Option<bool>,
        password_hash: Option<&str>,
        unlock: bool,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let exists = sqlx::query("SELECT name FROM officials WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *transaction)
            .await?
            .is_some();
        if !exists {
            return Ok(false);
        }
        if let Some(roles) = roles {
            sqlx::query("UPDATE officials SET roles = $1 WHERE name = $2")
                .bind(roles)
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        if let Some(disabled) = disabled {
            sqlx::query("UPDATE officials SET disabled = $1 WHERE name = $2")
                .bind(i64::from(disabled))
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        if let Some(hash) = password_hash {
            sqlx::query("UPDATE officials SET password_hash = $1 WHERE name = $2")
                .bind(hash)
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        if unlock {
            sqlx::query("UPDATE officials SET failures = 0, locked_until = 0 WHERE name = $1")
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        if disabled == Some(true) || password_hash.is_some() {
            sqlx::query("DELETE FROM sessions WHERE official = $1")
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Counts a wrong password: one more failure, and at `lock_after` failures in a row the
    /// account is locked until `lock_until` (the count starts again). Returns the failures in
    /// a row and whether this one locked the account. Audited.
    pub async fn record_failure(
        &self,
        name: &str,
        lock_after: i64,
        lock_until: i64,
        audit: &AuditEntry<'_>,
    ) -> Result<(i64, bool), StoreError> {
        let mut transaction = self.pool().begin().await?;
        let row = sqlx::query("SELECT failures FROM officials WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *transaction)
            .await?;
        let failures = match row {
            Some(row) => row.try_get::<i64, _>("failures")? + 1,
            None => 0,
        };
        let locks = failures >= lock_after;
        // No row: an unknown name, audited but with nothing to count.
        if failures > 0 {
            sqlx::query("UPDATE officials SET failures = $1, locked_until = $2 WHERE name = $3")
                .bind(if locks { 0 } else { failures })
                .bind(if locks { lock_until } else { 0 })
                .bind(name)
                .execute(&mut *transaction)
                .await?;
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok((failures, locks))
    }

    /// A successful sign-in: the failures are forgotten and the session stored. Audited.
    pub async fn start_session(
        &self,
        name: &str,
        token_hash: &str,
        csrf: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        let now = unix_now();
        let mut transaction = self.pool().begin().await?;
        sqlx::query("UPDATE officials SET failures = 0, locked_until = 0 WHERE name = $1")
            .bind(name)
            .execute(&mut *transaction)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, official, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(name)
        .bind(csrf)
        .bind(now)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// The session of a token hash, with its account's roles.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT s.official, s.csrf, s.created_at, s.last_seen, o.roles, o.disabled
             FROM sessions s JOIN officials o ON o.name = s.official WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(SessionRow {
                official: row.try_get("official")?,
                csrf: row.try_get("csrf")?,
                created_at: row.try_get("created_at")?,
                last_seen: row.try_get("last_seen")?,
                roles: row.try_get("roles")?,
                disabled: row.try_get::<i64, _>("disabled")? != 0,
            })
        })
        .transpose()
    }

    /// Records activity on a session (the idle timeout counts from here).
    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends a session; audited when `audit` is given (a sign-out, not an expiry).
    pub async fn end_session(
        &self,
        token_hash: &str,
        audit: Option<&AuditEntry<'_>>,
    ) -> Result<(), StoreError> {
        let mut transaction = self.pool().begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *transaction)
            .await?;
        if let Some(audit) = audit {
            append_audit(&mut transaction, audit).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// The opinions of a consultation for review, in the order received.
    pub async fn reviews_of(&self, consultation_id: &str) -> Result<Vec<ReviewRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT_REVIEW} WHERE consultation_id = $1 ORDER BY received_at, receipt"
        ))
        .bind(consultation_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(review_of).collect()
    }

    /// One opinion for review, with its consultation's id.
    pub async fn review(&self, receipt: &str) -> Result<Option<(String, ReviewRecord)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT consultation_id, {} WHERE receipt = $1",
            SELECT_REVIEW.trim_start_matches("SELECT ")
        ))
        .bind(receipt)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| Ok((row.try_get("consultation_id")?, review_of(&row)?)))
            .transpose()
    }

    /// The clause numbers of every opinion a consultation received (for live counts).
    pub async fn clauses_received(&self, consultation_id: &str) -> Result<Vec<Option<u32>>, StoreError> {
        let rows = sqlx::query("SELECT clause FROM opinions WHERE consultation_id = $1")
            .bind(consultation_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let clause: Option<i64> = row.try_get("clause")?;
                Ok(clause.and_then(|n| u32::try_from(n).ok()))
            })
            .collect()
    }

    /// Records a reviewer's decision on an opinion seen at `revision`. Audited.
    pub async fn moderate(
        &self,
        receipt: &str,
        revision: i64,
        moderation: &Moderation,
        by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<Result<i64, Refused>, StoreError> {
        let (word, redactions, reason) = match moderation {
            Moderation::Publish { redactions } => {
                ("publish", Some(serde_json::to_string(redactions)?), None)
            }
            Moderation::Withhold { reason } => ("withhold", None, Some(reason.key())),
        };
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE opinions SET moderation = $1, redactions = $2, withheld_reason = $3,
             moderated_by = $4, moderated_at = $5, revision = revision + 1
             WHERE receipt = $6 AND revision = $7 AND consultation_id IN
             (SELECT id FROM consultations WHERE results_published IS NULL)",
        )
        .bind(word)
        .bind(redactions)
        .bind(reason)
        .bind(by)
        .bind(rfc3339_now())
        .bind(receipt)
        .bind(revision)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            let refused = why_unchanged(&mut transaction, receipt).await?;
            return Ok(Err(refused));
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(Ok(revision + 1))
    }

    /// Records a reviewer's response to an opinion seen at `revision`. Audited.
    pub async fn respond_reviewed(
        &self,
        receipt: &str,
        revision: i64,
        verdict: Verdict,
        reason: &str,
        by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<Result<i64, Refused>, StoreError> {
        let verdict = serde_json::to_value(verdict)?;
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE opinions SET verdict = $1, reason = $2, responded_at = $3, responded_by = $4,
             revision = revision + 1
             WHERE receipt = $5 AND revision = $6 AND consultation_id IN
             (SELECT id FROM consultations WHERE results_published IS NULL)",
        )
        .bind(verdict.as_str().unwrap_or_default().to_string())
        .bind(reason)
        .bind(rfc3339_now())
        .bind(by)
        .bind(receipt)
        .bind(revision)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            let refused = why_unchanged(&mut transaction, receipt).await?;
            return Ok(Err(refused));
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(Ok(revision + 1))
    }

    /// The 意见采纳情况说明 of a consultation (empty when none was written).
    pub async fn statement(&self, consultation_id: &str) -> Result<String, StoreError> {
        let row = sqlx::query("SELECT statement FROM consultations WHERE id = $1")
            .bind(consultation_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(row) => row.try_get::<Option<String>, _>("statement")?.unwrap_or_default(),
            None => String::new(),
        })
    }

    /// Writes the 意见采纳情况说明 of a consultation not yet published; false otherwise.
    /// Audited.
    pub async fn set_statement(
        &self,
        consultation_id: &str,
        statement: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE consultations SET statement = $1 WHERE id = $2 AND results_published IS NULL",
        )
        .bind(statement)
        .bind(consultation_id)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Publishes the results on `day` when every opinion has a decision and every opinion
    /// to be published a response; in one transaction with its audit row.
    pub async fn publish_reviewed(
        &self,
        consultation_id: &str,
        day: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<Result<(), NotReady>, StoreError> {
        let mut transaction = self.pool().begin().await?;
        let count = |sql: &'static str| {
            sqlx::query(sql).bind(consultation_id.to_string())
        };
        let unreviewed: i64 = count(
            "SELECT COUNT(*) AS n FROM opinions WHERE consultation_id = $1 AND moderation IS NULL",
        )
        .fetch_one(&mut *transaction)
        .await?
        .try_get("n")?;
        if unreviewed > 0 {
            return Ok(Err(NotReady::Unreviewed(unreviewed)));
        }
        let unanswered: i64 = count(
            "SELECT COUNT(*) AS n FROM opinions WHERE consultation_id = $1 AND moderation = 'publish' AND verdict IS NULL",
        )
        .fetch_one(&mut *transaction)
        .await?
        .try_get("n")?;
        if unanswered > 0 {
            return Ok(Err(NotReady::Unanswered(unanswered)));
        }
        let done = sqlx::query(
            "UPDATE consultations SET results_published = $1 WHERE id = $2 AND results_published IS NULL",
        )
        .bind(day)
        .bind(consultation_id)
        .execute(&mut *transaction)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(Err(NotReady::AlreadyPublished));
        }
        append_audit(&mut transaction, audit).await?;
        transaction.commit().await?;
        Ok(Ok(()))
    }
}

/// After an update that changed no row: which of the reasons it was.
async fn why_unchanged(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    receipt: &str,
) -> Result<Refused, StoreError> {
    let row = sqlx::query(
        "SELECT o.revision, c.results_published FROM opinions o
         LEFT JOIN consultations c ON c.id = o.consultation_id WHERE o.receipt = $1",
    )
    .bind(receipt)
    .fetch_optional(&mut **transaction)
    .await?;
    Ok(match row {
        None => Refused::NotFound,
        Some(row) => {
            let published: Option<String> = row.try_get("results_published")?;
            if published.is_some() {
                Refused::Published
            } else {
                Refused::Stale(row.try_get("revision")?)
            }
        }
    })
}
