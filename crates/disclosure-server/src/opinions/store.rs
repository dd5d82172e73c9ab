//! Where opinions are kept: SQLite by default, PostgreSQL when `DATABASE_URL` says so,
//! through one code path (sqlx's Any driver) and one set of migrations.
//!
//! Every opinion goes through a single writer task that commits in groups: the opinions
//! that arrive while one transaction commits go together into the next. Each caller is
//! answered only after the commit that holds its opinion has returned, so an answer of 201
//! always means the opinion is on disk (SQLite in WAL mode with `synchronous=FULL`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use disclosure_core::consultation::{Consultation, Verdict};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use time::Date;
use tokio::sync::{mpsc, oneshot};

use super::limits::RateLimiter;
use crate::observe::Metrics;

mod backup;
mod writer;

/// The most opinions committed in one transaction.
const GROUP_LIMIT: usize = 256;

/// How often a group is tried again after a transient failure (a deadlock between two
/// instances, a dropped connection) before its senders are told to retry.
const GROUP_TRIES: u32 = 3;

/// How many fresh receipt numbers an opinion is given when its number is taken.
const RECEIPT_TRIES: u32 = 8;

/// Why the store could not do what was asked. Each is logged for the operator; the
/// citizen sees "try again later".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database: {0}")]
    Open(#[source] sqlx::Error),
    #[error("cannot create or update the schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A whole group commit failed; every opinion in it shares the cause.
    #[error("a group of opinions failed to commit: {0}")]
    Commit(Arc<sqlx::Error>),
    #[error("a stored consultation cannot be read: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("no randomness for a receipt number: {0}")]
    Randomness(getrandom::Error),
    #[error("{RECEIPT_TRIES} receipt numbers in a row were taken")]
    ReceiptsExhausted,
    #[error("the opinion writer has stopped")]
    WriterStopped,
    #[error("backup and restore here are for SQLite; for PostgreSQL use pg_dump and pg_restore")]
    NotSqlite,
    #[error("{0} exists already; name a new file, or restore into an empty data folder")]
    Exists(std::path::PathBuf),
    #[error("{0}: {1}")]
    Io(std::path::PathBuf, #[source] std::io::Error),
    #[error("{0} is not a sound opinion database: {1}")]
    Damaged(std::path::PathBuf, String),
}

impl StoreError {
    /// Errors worth trying the same group again for: a deadlock or serialization failure
    /// between instances, a connection lost or not to be had. A full disk or a constraint
    /// is not.
    fn is_transient(&self) -> bool {
        let error = match self {
            StoreError::Database(e) => e,
            StoreError::Commit(e) => e.as_ref(),
            _ => return false,
        };
        match error {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Protocol(_) => true,
            sqlx::Error::Database(db) => {
                matches!(db.code().as_deref(), Some("40001" | "40P01" | "57P01" | "08006"))
            }
            _ => false,
        }
    }
}

/// An opinion ready to store.
#[derive(Debug, Clone)]
pub struct NewOpinion {
    /// The day of the receipt number (China Standard Time); the store draws the number,
    /// and draws again if it is taken.
    pub day: Date,
    pub idempotency_key: String,
    pub content_hash: String,
    pub secret_hash: String,
    pub consultation_id: String,
    pub clause: Option<u32>,
    pub text: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub received_at: String,
}

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Newly committed.
    Created {
        receipt: String,
        received_at: String,
    },
    /// The same opinion was committed before under this idempotency key.
    Repeated {
        receipt: String,
        received_at: String,
    },
    /// The key was used before for a different opinion.
    KeyReused,
}

/// One stored opinion, as officials and the receipt lookup see it.
#[derive(Debug, Clone)]
pub struct OpinionRecord {
    pub receipt: String,
    pub secret_hash: String,
    pub consultation_id: String,
    pub clause: Option<u32>,
    pub text: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub received_at: String,
    pub verdict: Option<Verdict>,
    pub reason: Option<String>,
    pub responded_at: Option<String>,
}

struct Submission {
    opinion: NewOpinion,
    reply: oneshot::Sender<Result<Stored, Arc<StoreError>>>,
}

/// The database and its writer.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// PostgreSQL only: connections that commit without waiting for the disk, for the
    /// shared rate-limit counts (never for opinions).
    relaxed: Option<AnyPool>,
    writer: mpsc::Sender<Submission>,
    backend: Backend,
    metrics: Metrics,
    /// When the writer last finished a group, for the readiness check.
    writer_progress: Arc<std::sync::Mutex<Instant>>,
}

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// One file, one server process.
    Sqlite,
    /// One database shared by any number of server processes.
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names.
    pub fn of(url: &str) -> Backend {
        if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

/// The migrations, embedded at build time. On PostgreSQL sqlx runs them under an advisory
/// lock, so instances starting at once apply each migration once.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Connects, creates or updates the schema, and starts the writer.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_observed(url, Metrics::default()).await
    }

    /// As [`Store::open`], counting commits, group sizes and the queue in `metrics`.
    pub async fn open_observed(url: &str, metrics: Metrics) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url);
        let sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL lets readers run beside the writer; FULL makes every commit
                        // reach the disk before it returns; the timeout rides out a busy file.
                        connection.execute("PRAGMA journal_mode = WAL").await?;
                        connection.execute("PRAGMA synchronous = FULL").await?;
                        connection.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(StoreError::Open)?;
        MIGRATOR.run(&pool).await?;
        let relaxed = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(
                AnyPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            connection.execute("SET synchronous_commit = off").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await
                    .map_err(StoreError::Open)?,
            ),
        };
        let (writer, submissions) = mpsc::channel(4096);
        let writer_progress = Arc::new(std::sync::Mutex::new(Instant::now()));
        tokio::spawn(writer::write_in_groups(
            pool.clone(),
            submissions,
            metrics.clone(),
            writer_progress.clone(),
        ));
        Ok(Store {
            pool,
            relaxed,
            writer,
            backend,
            metrics,
            writer_progress,
        })
    }

    /// The database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The metrics the writer keeps.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The per-address limit fit for this database: in the database on PostgreSQL, where
    /// instances share it; in memory on SQLite, which one process serves.
    pub fn rate_limiter(&self, per_minute: u32) -> RateLimiter {
        match &self.relaxed {
            Some(pool) => RateLimiter::shared(per_minute, pool.clone()),
            None => RateLimiter::per_minute(per_minute),
        }
    }

    /// Stores an opinion; returns only after it is committed (or refused).
    pub async fn submit(&self, opinion: NewOpinion) -> Result<Stored, Arc<StoreError>> {
        let (reply, answer) = oneshot::channel();
        self.metrics.queue_depth.inc();
        let sent = self.writer.send(Submission { opinion, reply }).await;
        if sent.is_err() {
            self.metrics.queue_depth.dec();
            return Err(Arc::new(StoreError::WriterStopped));
        }
        answer
            .await
            .map_err(|_| Arc::new(StoreError::WriterStopped))?
    }

    /// Whether the database answers, every embedded migration is applied, and the writer
    /// is not stuck (it finished a group within `stuck_after` whenever opinions wait).
    pub async fn readiness(&self, stuck_after: Duration) -> Result<(), Readiness> {
        let applied: i64 = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get::<i64, _>("n"))
            .map_err(|e| Readiness::Database(e.to_string()))?;
        let embedded = MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).count();
        if (applied as usize) < embedded {
            return Err(Readiness::Migrations { applied, embedded });
        }
        if self.writer.is_closed() {
            return Err(Readiness::WriterStopped);
        }
        let waiting = self.writer.max_capacity() - self.writer.capacity();
        let idle = self
            .writer_progress
            .lock()
            .map(|at| at.elapsed())
            .unwrap_or_default();
        if waiting > 0 && idle > stuck_after {
            return Err(Readiness::WriterStuck {
                waiting,
                seconds: idle.as_secs(),
            });
        }
        Ok(())
    }

    /// Adds or replaces the consultations officials publish.
    pub async fn save_consultation(&self, consultation: &Consultation) -> Result<(), StoreError> {
        let body = serde_json::to_string(consultation)?;
        let published = consultation.results_published.map(|d| d.to_string());
        sqlx::query(
            "INSERT INTO consultations (id, body, results_published) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body,
             results_published = COALESCE(consultations.results_published, excluded.results_published)",
        )
        .bind(&consultation.id)
        .bind(body)
        .bind(published)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn consultations(&self) -> Result<Vec<Consultation>, StoreError> {
        let rows = sqlx::query("SELECT body, results_published FROM consultations ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(consultation_of).collect()
    }

    pub async fn consultation(&self, id: &str) -> Result<Option<Consultation>, StoreError> {
        let row = sqlx::query("SELECT body, results_published FROM consultations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(consultation_of).transpose()
    }

    pub async fn publish_results(&self, id: &str, day: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE consultations SET results_published = $1 WHERE id = $2")
            .bind(day)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn opinions_of(
        &self,
        consultation_id: &str,
    ) -> Result<Vec<OpinionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT_OPINION} WHERE consultation_id = $1 ORDER BY received_at, receipt"
        ))
        .bind(consultation_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(opinion_of).collect()
    }

    pub async fn opinion(&self, receipt: &str) -> Result<Option<OpinionRecord>, StoreError> {
        let row = sqlx::query(&format!("{SELECT_OPINION} WHERE receipt = $1"))
            .bind(receipt)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(opinion_of).transpose()
    }

    pub async fn respond(
        &self,
        receipt: &str,
        verdict: Verdict,
        reason: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE opinions SET verdict = $1, reason = $2, responded_at = $3 WHERE receipt = $4",
        )
        .bind(verdict_word(verdict))
        .bind(reason)
        .bind(at)
        .bind(receipt)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Erases the contact data of opinions on consultations whose results were published
    /// on or before `published_by` (`YYYY-MM-DD`); returns how many opinions lost theirs.
    pub async fn erase_contacts(&self, published_by: &str) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE opinions SET contact = NULL WHERE contact IS NOT NULL AND consultation_id IN
             (SELECT id FROM consultations WHERE results_published IS NOT NULL AND results_published <= $1)",
        )
        .bind(published_by)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// How many opinions carry an idempotency key, for the crash tests.
    pub async fn count_by_key(&self, key: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM opinions WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }

    /// How many opinions a consultation has, for the crash tests and the backup check.
    pub async fn count_opinions(&self, consultation_id: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM opinions WHERE consultation_id = $1")
            .bind(consultation_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }
}

/// Why `/readyz` answers 503.
#[derive(Debug, thiserror::Error)]
pub enum Readiness {
    #[error("the database does not answer: {0}")]
    Database(String),
    #[error("{applied} of {embedded} migrations applied")]
    Migrations { applied: i64, embedded: usize },
    #[error("the opinion writer has stopped")]
    WriterStopped,
    #[error("{waiting} opinion(s) wait and the writer has committed nothing for {seconds} s")]
    WriterStuck { waiting: usize, seconds: u64 },
}

const SELECT_OPINION: &str = "SELECT receipt, secret_hash, consultation_id, clause, body, name, contact, received_at, verdict, reason, responded_at FROM opinions";

fn consultation_of(row: &AnyRow) -> Result<Consultation, StoreError> {
    let body: String = row.try_get("body")?;
    let mut consultation: Consultation = serde_json::from_str(&body)?;
    let published: Option<String> = row.try_get("results_published")?;
    if let Some(day) = published {
        consultation.results_published = disclosure_core::parse_date(&day).ok();
    }
    Ok(consultation)
}

fn opinion_of(row: &AnyRow) -> Result<OpinionRecord, StoreError> {
    let get = |name: &str| row.try_get::<Option<String>, _>(name);
    let clause: Option<i64> = row.try_get("clause")?;
    Ok(OpinionRecord {
        receipt: get("receipt")?.unwrap_or_default(),
        secret_hash: get("secret_hash")?.unwrap_or_default(),
        consultation_id: get("consultation_id")?.unwrap_or_default(),
        clause: clause.and_then(|n| u32::try_from(n).ok()),
        text: get("body")?.unwrap_or_default(),
        name: get("name")?,
        contact: get("contact")?,
        received_at: get("received_at")?.unwrap_or_default(),
        verdict: get("verdict")?.as_deref().and_then(verdict_of),
        reason: get("reason")?,
        responded_at: get("responded_at")?,
    })
}

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Adopted => "adopted",
        Verdict::PartlyAdopted => "partly_adopted",
        Verdict::NotAdopted => "not_adopted",
    }
}

fn verdict_of(word: &str) -> Option<Verdict> {
    match word {
        "adopted" => Some(Verdict::Adopted),
        "partly_adopted" => Some(Verdict::PartlyAdopted),
        "not_adopted" => Some(Verdict::NotAdopted),
        _ => None,
    }
}

impl Store {
    /// The connection pool, for the officials' tables (accounts, sessions, the audit log,
    /// moderation), whose queries live in `crate::officials::db`; opinions are still
    /// written by the writer task alone.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

#[cfg(test)]
mod tests {
    use super::writer::{draw_receipt, write_group};
    use super::*;

    fn opinion(key: &str) -> NewOpinion {
        NewOpinion {
            day: time::macros::date!(2026 - 11 - 30),
            idempotency_key: key.into(),
            content_hash: format!("hash-{key}"),
            secret_hash: "s".into(),
            consultation_id: "c".into(),
            clause: None,
            text: "意见".into(),
            name: None,
            contact: None,
            received_at: "2026-11-30T00:00:00Z".into(),
        }
    }

    fn submission(key: &str) -> Submission {
        Submission {
            opinion: opinion(key),
            reply: oneshot::channel().0,
        }
    }

    #[tokio::test]
    async fn a_taken_receipt_number_is_drawn_again_for_that_opinion_alone() {
        let dir = std::env::temp_dir().join(format!("disclosure-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
        let store = Store::open(&url).await.unwrap();
        let Stored::Created { receipt: taken, .. } = store.submit(opinion("first-key")).await.unwrap()
        else {
            panic!("created");
        };
        // The next draw repeats the taken number once, then draws afresh.
        let mut repeat = Some(taken.clone());
        let mut draw = move |day: Date| match repeat.take() {
            Some(receipt) => Ok(receipt),
            None => draw_receipt(day),
        };
        let group = [submission("second-key"), submission("third-key")];
        let outcomes = write_group(&store.pool, &group, &mut draw).await.unwrap();
        assert_eq!(outcomes.len(), 2);
        for outcome in &outcomes {
            let Stored::Created { receipt, .. } = outcome else {
                panic!("both created: {outcomes:?}");
            };
            assert_ne!(receipt, &taken);
        }
        assert_eq!(store.count_opinions("c").await.unwrap(), 3);
        // A number that is always taken ends in a clear error, not a loop.
        let mut always = |_: Date| Ok(taken.clone());
        let error = write_group(&store.pool, &[submission("fourth-key")], &mut always)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::ReceiptsExhausted), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_full_disk_refuses_the_opinion_and_stores_nothing() {
        let dir = std::env::temp_dir().join(format!("disclosure-full-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
        let store = Store::open(&url).await.unwrap();
        assert!(matches!(store.submit(opinion("before-full")).await.unwrap(), Stored::Created { .. }));
        // The file may not grow any more, on every connection of the pool: SQLITE_FULL,
        // as when the disk fills.
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut connection = store.pool.acquire().await.unwrap();
            let pages: i64 = sqlx::query("PRAGMA page_count")
                .fetch_one(&mut *connection)
                .await
                .unwrap()
                .try_get(0)
                .unwrap();
            sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
                .execute(&mut *connection)
                .await
                .unwrap();
            held.push(connection);
        }
        drop(held);
        let mut big = opinion("when-full");
        big.text = "很长的意见。".repeat(5000);
        let error = store.submit(big).await.unwrap_err();
        assert!(error.to_string().contains("full"), "{error}");
        assert!(!error.is_transient(), "a full disk is not retried in a loop");
        assert_eq!(store.count_by_key("when-full").await.unwrap(), 0);
        assert_eq!(store.count_opinions("c").await.unwrap(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
