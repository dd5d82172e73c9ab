//! Limits on who may post how often: a per-address window and the browser's Origin.
//!
//! On SQLite (one file, one process) the windows are counted in memory. On PostgreSQL,
//! where several instances share one database, they are counted in the database's
//! `submission_windows` table, so a client cannot get N times the limit by being balanced
//! across N instances; those counts are written without waiting for the disk
//! (`synchronous_commit = off`), as losing a minute's counts in a crash costs nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sqlx::{AnyPool, Row};

use super::store::StoreError;

/// The length of a window, in seconds.
const WINDOW_SECONDS: u64 = 60;

/// Why a submission may not go ahead now.
#[derive(Debug, thiserror::Error)]
pub enum Limited {
    /// The address sent its share for this window; it may try again in this many seconds.
    #[error("too many submissions; retry in {0} s")]
    TooFrequent(u64),
    /// The shared counter could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// At most `limit` submissions per address in each minute.
pub struct RateLimiter {
    limit: u32,
    counter: Counter,
}

enum Counter {
    Memory(Mutex<HashMap<IpAddr, (Instant, u32)>>),
    Database(AnyPool),
}

impl RateLimiter {
    /// A limiter for one process, in memory (a restart forgives everyone).
    pub fn per_minute(limit: u32) -> RateLimiter {
        RateLimiter {
            limit,
            counter: Counter::Memory(Mutex::new(HashMap::new())),
        }
    }

    /// A limiter shared by every instance on the database of `pool`; old windows are
    /// deleted once a minute by a background task.
    pub fn shared(limit: u32, pool: AnyPool) -> RateLimiter {
        let sweeper = pool.clone();
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(WINDOW_SECONDS));
            loop {
                every_minute.tick().await;
                let before = (unix_seconds() / WINDOW_SECONDS).saturating_sub(1) as i64;
                if let Err(error) =
                    sqlx::query("DELETE FROM submission_windows WHERE window_start < $1")
                        .bind(before)
                        .execute(&sweeper)
                        .await
                {
                    tracing::warn!(%error, "cannot delete old submission windows");
                }
            }
        });
        RateLimiter {
            limit,
            counter: Counter::Database(pool),
        }
    }

    /// Counts a submission from `address`.
    pub async fn check(&self, address: IpAddr) -> Result<(), Limited> {
        match &self.counter {
            Counter::Memory(seen) => self.check_in_memory(seen, address),
            Counter::Database(pool) => self.check_in_database(pool, address).await,
        }
    }

    fn check_in_memory(
        &self,
        seen: &Mutex<HashMap<IpAddr, (Instant, u32)>>,
        address: IpAddr,
    ) -> Result<(), Limited> {
        let window = Duration::from_secs(WINDOW_SECONDS);
        let now = Instant::now();
        let mut seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let (start, count) = seen.entry(address).or_insert((now, 0));
        if now.duration_since(*start) >= window {
            *start = now;
            *count = 0;
        }
        if *count >= self.limit {
            let left = window.saturating_sub(now.duration_since(*start));
            return Err(Limited::TooFrequent(left.as_secs().max(1)));
        }
        *count += 1;
        Ok(())
    }

    async fn check_in_database(&self, pool: &AnyPool, address: IpAddr) -> Result<(), Limited> {
        let now = unix_seconds();
        let window = now / WINDOW_SECONDS;
        let row = sqlx::query(
            "INSERT INTO submission_windows (address, window_start, submissions) VALUES ($1, $2, 1)
             ON CONFLICT (address, window_start)
             DO UPDATE SET submissions = submission_windows.submissions + 1
             RETURNING submissions",
        )
        .bind(address.to_string())
        .bind(window as i64)
        .fetch_one(pool)
        .await
        .map_err(StoreError::from)?;
        let submissions: i64 = row.try_get("submissions").map_err(StoreError::from)?;
        if submissions > i64::from(self.limit) {
            let left = (window + 1) * WINDOW_SECONDS - now;
            return Err(Limited::TooFrequent(left.max(1)));
        }
        Ok(())
    }
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Whether a browser post may come from `origin`: the server's own pages (as the client
/// addressed them: `host` and, when a trusted proxy said it, `proto`), a portal the
/// operator named, or any page the browser itself calls same-origin (`Sec-Fetch-Site`,
/// which pages cannot forge, and which survives a proxy that rewrites `Host`). Posts
/// without an Origin header (not from a browser page, or through a proxy that strips it)
/// pass; the honeypot and the rate limit still apply to them.
pub fn origin_allowed(
    origin: Option<&str>,
    host: Option<&str>,
    proto: Option<&str>,
    fetch_site: Option<&str>,
    allowed: &[String],
) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    if fetch_site == Some("same-origin") {
        return true;
    }
    let own = host.is_some_and(|host| match proto {
        Some(proto) => origin.eq_ignore_ascii_case(&format!("{proto}://{host}")),
        None => {
            origin.eq_ignore_ascii_case(&format!("http://{host}"))
                || origin.eq_ignore_ascii_case(&format!("https://{host}"))
        }
    });
    own || allowed
        .iter()
        .any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_window_refuses_beyond_its_limit_and_says_when_to_retry() {
        let limiter = RateLimiter::per_minute(2);
        let address: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(limiter.check(address).await.is_ok());
        assert!(limiter.check(address).await.is_ok());
        let Err(Limited::TooFrequent(wait)) = limiter.check(address).await else {
            panic!("the third is refused");
        };
        assert!((1..=60).contains(&wait));
        assert!(limiter.check("127.0.0.2".parse().unwrap()).await.is_ok());
    }

    #[test]
    fn origins_are_the_servers_own_or_named() {
        let allowed = vec!["https://www.ningxiang.gov.cn".to_string()];
        let host = Some("127.0.0.1:8080");
        assert!(origin_allowed(None, host, None, None, &allowed));
        assert!(origin_allowed(
            Some("http://127.0.0.1:8080"),
            host,
            None,
            None,
            &allowed
        ));
        assert!(origin_allowed(
            Some("https://www.ningxiang.gov.cn"),
            Some("x"),
            None,
            None,
            &allowed
        ));
        assert!(!origin_allowed(
            Some("https://evil.example"),
            host,
            None,
            None,
            &allowed
        ));
        // Behind a proxy that said the scheme, only that scheme is the site's own.
        let public = Some("www.county.gov.cn");
        assert!(origin_allowed(
            Some("https://www.county.gov.cn"),
            public,
            Some("https"),
            None,
            &[]
        ));
        assert!(!origin_allowed(
            Some("http://www.county.gov.cn"),
            public,
            Some("https"),
            None,
            &[]
        ));
        // The browser's own word that the page is same-origin.
        assert!(origin_allowed(
            Some("https://www.county.gov.cn"),
            host,
            None,
            Some("same-origin"),
            &[]
        ));
        assert!(!origin_allowed(
            Some("https://evil.example"),
            host,
            None,
            Some("cross-site"),
            &[]
        ));
    }
}
