//! Where opinions are kept: SQLite by default, PostgreSQL when `DATABASE_URL` says so,
//! through one code path (sqlx's Any driver) and one set of migrations.
//!
//! Every opinion goes through a single writer task that commits in groups: the opinions
//! that arrive while one transaction commits go together into the next. Each caller is
//! answered only after the commit that holds its opinion has returned, so an answer of 201
//! always means the opinion is on disk (SQLite in WAL mode with `synchronous=FULL`).

use std::time::Duration;

use disclosure_core::consultation::{Consultation, Verdict};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use tokio::sync::{mpsc, oneshot};

/// The most opinions committed in one transaction.
const GROUP_LIMIT: usize = 256;

/// An opinion ready to store.
#[derive(Debug, Clone)]
pub struct NewOpinion {
    pub receipt: String,
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
    reply: oneshot::Sender<Result<Stored, String>>,
}

/// The database and its writer.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    writer: mpsc::Sender<Submission>,
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

impl Store {
    /// Connects, creates the schema on first start, and starts the writer.
    pub async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let sqlite = is_sqlite(url);
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
            .map_err(|e| format!("cannot open the database: {e}"))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| format!("cannot create the schema: {e}"))?;
        let (writer, submissions) = mpsc::channel(4096);
        tokio::spawn(write_in_groups(pool.clone(), submissions));
        Ok(Store { pool, writer })
    }

    /// Stores an opinion; returns only after it is committed (or refused).
    pub async fn submit(&self, opinion: NewOpinion) -> Result<Stored, String> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Submission { opinion, reply })
            .await
            .map_err(|_| "the writer has stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the writer has stopped".to_string())?
    }

    /// Adds or replaces the consultations officials publish.
    pub async fn save_consultation(&self, consultation: &Consultation) -> Result<(), String> {
        let body = serde_json::to_string(consultation).map_err(|e| e.to_string())?;
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
        .await
        .map_err(|e| e.to_string())?;
        Ok(())
    }

    pub async fn consultations(&self) -> Result<Vec<Consultation>, String> {
        let rows = sqlx::query("SELECT body, results_published FROM consultations ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        rows.iter().map(consultation_of).collect()
    }

    pub async fn consultation(&self, id: &str) -> Result<Option<Consultation>, String> {
        let row = sqlx::query("SELECT body, results_published FROM consultations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        row.as_ref().map(consultation_of).transpose()
    }

    pub async fn publish_results(&self, id: &str, day: &str) -> Result<bool, String> {
        let done = sqlx::query("UPDATE consultations SET results_published = $1 WHERE id = $2")
            .bind(day)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn opinions_of(&self, consultation_id: &str) -> Result<Vec<OpinionRecord>, String> {
        let rows = sqlx::query(&format!(
            "{SELECT_OPINION} WHERE consultation_id = $1 ORDER BY received_at, receipt"
        ))
        .bind(consultation_id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        rows.iter().map(opinion_of).collect()
    }

    pub async fn opinion(&self, receipt: &str) -> Result<Option<OpinionRecord>, String> {
        let row = sqlx::query(&format!("{SELECT_OPINION} WHERE receipt = $1"))
            .bind(receipt)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        row.as_ref().map(opinion_of).transpose()
    }

    pub async fn respond(
        &self,
        receipt: &str,
        verdict: Verdict,
        reason: &str,
        at: &str,
    ) -> Result<bool, String> {
        let done = sqlx::query(
            "UPDATE opinions SET verdict = $1, reason = $2, responded_at = $3 WHERE receipt = $4",
        )
        .bind(verdict_word(verdict))
        .bind(reason)
        .bind(at)
        .bind(receipt)
        .execute(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(done.rows_affected() > 0)
    }

    /// Erases the contact data of opinions on consultations whose results were published
    /// on or before `published_by` (`YYYY-MM-DD`); returns how many opinions lost theirs.
    pub async fn erase_contacts(&self, published_by: &str) -> Result<u64, String> {
        let done = sqlx::query(
            "UPDATE opinions SET contact = NULL WHERE contact IS NOT NULL AND consultation_id IN
             (SELECT id FROM consultations WHERE results_published IS NOT NULL AND results_published <= $1)",
        )
        .bind(published_by)
        .execute(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(done.rows_affected())
    }

    /// How many opinions carry an idempotency key, for the crash test.
    pub async fn count_by_key(&self, key: &str) -> Result<i64, String> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM opinions WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        row.try_get::<i64, _>("n").map_err(|e| e.to_string())
    }
}

const SELECT_OPINION: &str = "SELECT receipt, secret_hash, consultation_id, clause, body, name, contact, received_at, verdict, reason, responded_at FROM opinions";

fn consultation_of(row: &AnyRow) -> Result<Consultation, String> {
    let body: String = row.try_get("body").map_err(|e| e.to_string())?;
    let mut consultation: Consultation = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    let published: Option<String> = row
        .try_get("results_published")
        .map_err(|e| e.to_string())?;
    if let Some(day) = published {
        consultation.results_published = disclosure_core::parse_date(&day).ok();
    }
    Ok(consultation)
}

fn opinion_of(row: &AnyRow) -> Result<OpinionRecord, String> {
    let get = |name: &str| -> Result<Option<String>, String> {
        row.try_get::<Option<String>, _>(name)
            .map_err(|e| e.to_string())
    };
    let clause: Option<i64> = row.try_get("clause").map_err(|e| e.to_string())?;
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

/// The writer: takes what has queued up, commits it in one transaction, answers each.
async fn write_in_groups(pool: AnyPool, mut submissions: mpsc::Receiver<Submission>) {
    while let Some(first) = submissions.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP_LIMIT {
            match submissions.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        match write_group(&pool, &group).await {
            Ok(outcomes) => {
                for (submission, outcome) in group.into_iter().zip(outcomes) {
                    let _ = submission.reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                eprintln!(
                    "opinion store: a group of {} failed to commit: {error}",
                    group.len()
                );
                for submission in group {
                    let _ = submission.reply.send(Err(error.clone()));
                }
            }
        }
    }
}

async fn write_group(pool: &AnyPool, group: &[Submission]) -> Result<Vec<Stored>, String> {
    let mut transaction = pool.begin().await.map_err(|e| e.to_string())?;
    let mut outcomes = Vec::with_capacity(group.len());
    for Submission { opinion, .. } in group {
        let inserted = sqlx::query(
            "INSERT INTO opinions (receipt, idempotency_key, content_hash, secret_hash, consultation_id,
             clause, body, name, contact, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT DO NOTHING",
        )
        .bind(&opinion.receipt)
        .bind(&opinion.idempotency_key)
        .bind(&opinion.content_hash)
        .bind(&opinion.secret_hash)
        .bind(&opinion.consultation_id)
        .bind(opinion.clause.map(i64::from))
        .bind(&opinion.text)
        .bind(&opinion.name)
        .bind(&opinion.contact)
        .bind(&opinion.received_at)
        .execute(&mut *transaction)
        .await
        .map_err(|e| e.to_string())?;
        if inserted.rows_affected() == 1 {
            outcomes.push(Stored::Created {
                receipt: opinion.receipt.clone(),
                received_at: opinion.received_at.clone(),
            });
            continue;
        }
        let existing = sqlx::query(
            "SELECT receipt, content_hash, received_at FROM opinions WHERE idempotency_key = $1",
        )
        .bind(&opinion.idempotency_key)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(|e| e.to_string())?;
        outcomes.push(match existing {
            Some(row) => {
                let hash: String = row.try_get("content_hash").map_err(|e| e.to_string())?;
                if hash == opinion.content_hash {
                    Stored::Repeated {
                        receipt: row.try_get("receipt").map_err(|e| e.to_string())?,
                        received_at: row.try_get("received_at").map_err(|e| e.to_string())?,
                    }
                } else {
                    Stored::KeyReused
                }
            }
            // The receipt number itself collided (one in hundreds of millions a day).
            None => return Err("receipt number collision; retry".to_string()),
        });
    }
    transaction.commit().await.map_err(|e| e.to_string())?;
    Ok(outcomes)
}
