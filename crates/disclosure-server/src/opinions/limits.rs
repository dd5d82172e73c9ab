//! Limits on who may post how often: a per-address window and the browser's Origin.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `limit` submissions per address in each window; kept in memory, which is right
/// for one server process (a restart forgives everyone).
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn per_minute(limit: u32) -> RateLimiter {
        RateLimiter {
            limit,
            window: Duration::from_secs(60),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a submission from `address`; `Err(seconds)` says how long until it may try again.
    pub fn check(&self, address: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 100_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let (start, count) = seen.entry(address).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            *start = now;
            *count = 0;
        }
        if *count >= self.limit {
            let left = self.window.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

/// Whether a browser post may come from `origin`: the server's own pages, or a portal the
/// operator named. Posts without an Origin header (not from a browser page) pass; the
/// honeypot and the rate limit still apply to them.
pub fn origin_allowed(origin: Option<&str>, host: Option<&str>, allowed: &[String]) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let own = host.is_some_and(|host| {
        origin == format!("http://{host}") || origin == format!("https://{host}")
    });
    own || allowed.iter().any(|a| a.trim_end_matches('/') == origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_refuses_beyond_its_limit_and_says_when_to_retry() {
        let limiter = RateLimiter::per_minute(2);
        let address: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(limiter.check(address).is_ok());
        assert!(limiter.check(address).is_ok());
        let wait = limiter.check(address).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check("127.0.0.2".parse().unwrap()).is_ok());
    }

    #[test]
    fn origins_are_the_servers_own_or_named() {
        let allowed = vec!["https://www.ningxiang.gov.cn".to_string()];
        assert!(origin_allowed(None, Some("127.0.0.1:8080"), &allowed));
        assert!(origin_allowed(
            Some("http://127.0.0.1:8080"),
            Some("127.0.0.1:8080"),
            &allowed
        ));
        assert!(origin_allowed(
            Some("https://www.ningxiang.gov.cn"),
            Some("x"),
            &allowed
        ));
        assert!(!origin_allowed(
            Some("https://evil.example"),
            Some("127.0.0.1:8080"),
            &allowed
        ));
    }
}
