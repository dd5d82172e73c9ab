//! The single writer of opinions: it takes what has queued up, commits it in one
//! transaction (inserting in idempotency-key order, drawing a new receipt number for an
//! opinion whose number is taken, retrying the group on transient errors), and answers each
//! caller only after the commit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use disclosure_core::consultation::receipt_number;
use sqlx::{AnyPool, Row};
use time::Date;
use tokio::sync::mpsc;

use super::{NewOpinion, StoreError, Stored, Submission, GROUP_LIMIT, GROUP_TRIES, RECEIPT_TRIES};
use crate::observe::Metrics;

/// The writer: takes what has queued up, commits it in one transaction, answers each.
pub(super) async fn write_in_groups(
    pool: AnyPool,
    mut submissions: mpsc::Receiver<Submission>,
    metrics: Metrics,
    progress: Arc<std::sync::Mutex<Instant>>,
) {
    while let Some(first) = submissions.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP_LIMIT {
            match submissions.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        metrics.queue_depth.dec_by(group.len() as i64);
        metrics.group_size.observe(group.len() as f64);
        let started = Instant::now();
        let mut tries = 0;
        let result = loop {
            tries += 1;
            match write_group(&pool, &group, &mut draw_receipt).await {
                Err(error) if error.is_transient() && tries < GROUP_TRIES => {
                    tracing::warn!(opinions = group.len(), %error, "group commit failed, trying again");
                    tokio::time::sleep(Duration::from_millis(50 * u64::from(tries))).await;
                }
                other => break other,
            }
        };
        metrics
            .commit_seconds
            .observe(started.elapsed().as_secs_f64());
        if let Ok(mut at) = progress.lock() {
            *at = Instant::now();
        }
        match result {
            Ok(outcomes) => {
                let created = outcomes
                    .iter()
                    .filter(|o| matches!(o, Stored::Created { .. }))
                    .count();
                metrics.opinions_committed.inc_by(created as u64);
                for (submission, outcome) in group.into_iter().zip(outcomes) {
                    let _ = submission.reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                tracing::error!(opinions = group.len(), %error, "group commit failed");
                let error = Arc::new(error);
                for submission in group {
                    let _ = submission.reply.send(Err(error.clone()));
                }
            }
        }
    }
}

/// A receipt number for `day` from fresh randomness.
pub(super) fn draw_receipt(day: Date) -> Result<String, StoreError> {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).map_err(StoreError::Randomness)?;
    Ok(receipt_number(day, random))
}

/// Commits one group. Rows are inserted in the order of their idempotency keys, so two
/// instances committing overlapping groups take their locks in the same order and never
/// deadlock; the answers keep the order of `group`.
pub(super) async fn write_group(
    pool: &AnyPool,
    group: &[Submission],
    draw: &mut (dyn FnMut(Date) -> Result<String, StoreError> + Send),
) -> Result<Vec<Stored>, StoreError> {
    let mut order: Vec<usize> = (0..group.len()).collect();
    order.sort_by(|a, b| {
        group[*a]
            .opinion
            .idempotency_key
            .cmp(&group[*b].opinion.idempotency_key)
    });
    let mut transaction = pool.begin().await?;
    let mut outcomes: Vec<Option<Stored>> = vec![None; group.len()];
    for index in order {
        let opinion = &group[index].opinion;
        outcomes[index] = Some(insert_one(&mut transaction, opinion, draw).await?);
    }
    transaction
        .commit()
        .await
        .map_err(|e| StoreError::Commit(Arc::new(e)))?;
    Ok(outcomes.into_iter().flatten().collect())
}

/// Inserts one opinion in the group's transaction. Under a key already stored (by this
/// group, an earlier one, or another instance, whose commit this waits for) it answers
/// with that opinion's receipt; when only the receipt number was taken, it draws another.
async fn insert_one(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    opinion: &NewOpinion,
    draw: &mut (dyn FnMut(Date) -> Result<String, StoreError> + Send),
) -> Result<Stored, StoreError> {
    for _ in 0..RECEIPT_TRIES {
        let receipt = draw(opinion.day)?;
        let inserted = sqlx::query(
            "INSERT INTO opinions (receipt, idempotency_key, content_hash, secret_hash, consultation_id,
             clause, body, name, contact, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT DO NOTHING",
        )
        .bind(&receipt)
        .bind(&opinion.idempotency_key)
        .bind(&opinion.content_hash)
        .bind(&opinion.secret_hash)
        .bind(&opinion.consultation_id)
        .bind(opinion.clause.map(i64::from))
        .bind(&opinion.text)
        .bind(&opinion.name)
        .bind(&opinion.contact)
        .bind(&opinion.received_at)
        .execute(&mut **transaction)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Stored::Created {
                receipt,
                received_at: opinion.received_at.clone(),
            });
        }
        let existing = sqlx::query(
            "SELECT receipt, content_hash, received_at FROM opinions WHERE idempotency_key = $1",
        )
        .bind(&opinion.idempotency_key)
        .fetch_optional(&mut **transaction)
        .await?;
        if let Some(row) = existing {
            let hash: String = row.try_get("content_hash")?;
            return Ok(if hash == opinion.content_hash {
                Stored::Repeated {
                    receipt: row.try_get("receipt")?,
                    received_at: row.try_get("received_at")?,
                }
            } else {
                Stored::KeyReused
            });
        }
        // Not the key: the receipt number was taken (one in hundreds of millions a day).
        tracing::warn!("receipt number taken; drawing another");
    }
    Err(StoreError::ReceiptsExhausted)
}
