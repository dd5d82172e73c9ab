//! What an answer to an opinion post means for the opinion waiting in the browser's
//! outbox. The rule lives here, in plain Rust, so it is tested natively and the widget
//! only acts on the outcome.
//!
//! Only the API's own JSON is believed: a portal's proxy, a firewall or a login page may
//! answer in its place with any status and an HTML page, and such an answer says nothing
//! about whether the opinion arrived. So an answer is the API's when its `Content-Type` is
//! JSON *and* its body has the shape the API gives that status (a receipt, or a refusal
//! with an `error` sentence); anything else is "not received" and the opinion stays in
//! the outbox. A refusal retrying cannot fix (400, 403, 404, 409, 413, 422) is never sent
//! again by itself.

use crate::consultation::{Receipt, Refusal};

/// The longest wait a `Retry-After` may ask for, in seconds; a larger value is taken as
/// this (an hour), so an opinion is never parked for days by a bad header.
pub const MAX_RETRY_AFTER_S: u64 = 3600;

/// The wait after a 429 without a readable `Retry-After`, in seconds.
pub const DEFAULT_RETRY_AFTER_S: u64 = 60;

/// Why an opinion was not received (it stays in the outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReceived {
    /// The request did not reach any server, or no answer came back.
    Network,
    /// The API's 429: this address sent its share for the minute.
    TooFrequent { seconds: u64 },
    /// The API's own 5xx: the database failed; the opinion was not stored.
    ServerBusy { status: u16 },
    /// An answer that is not the API's (a proxy's error page, a login page …).
    ForeignAnswer { status: u16 },
}

impl NotReceived {
    /// What the citizen reads, in Chinese.
    pub fn chinese(&self) -> String {
        match self {
            NotReceived::Network => "网络或服务器暂时无法连接。".to_string(),
            NotReceived::TooFrequent { seconds } => {
                format!("提交过于频繁，请 {seconds} 秒后再试。")
            }
            NotReceived::ServerBusy { status } => {
                format!("服务器暂时无法处理（HTTP {status}），意见尚未保存。")
            }
            NotReceived::ForeignAnswer { status } => format!(
                "收到的不是意见系统的答复（HTTP {status}，可能来自网站的网关或防火墙），意见尚未送达。"
            ),
        }
    }

    /// What the citizen reads, in English.
    pub fn english(&self) -> String {
        match self {
            NotReceived::Network => "The network or the server cannot be reached.".to_string(),
            NotReceived::TooFrequent { seconds } => {
                format!("Too many opinions were sent; please try again in {seconds} seconds.")
            }
            NotReceived::ServerBusy { status } => {
                format!("The server cannot take it right now (HTTP {status}); it is not stored yet.")
            }
            NotReceived::ForeignAnswer { status } => format!(
                "The answer did not come from the opinion service (HTTP {status}, perhaps the site's gateway or firewall); the opinion has not arrived."
            ),
        }
    }
}

/// What to do with an opinion after one attempt to send it.
#[derive(Debug, Clone, PartialEq)]
pub enum PostOutcome {
    /// Stored: it leaves the outbox, the receipt is shown.
    Received(Receipt),
    /// The API refused it for a reason retrying cannot fix: it leaves the outbox and the
    /// draft stays for the citizen to correct.
    Refused { status: u16, refusal: Refusal },
    /// Not received; sent again by itself, after `after_s` seconds when the server said
    /// how long (429), else after the outbox's own growing wait.
    Retry {
        why: NotReceived,
        after_s: Option<u64>,
    },
    /// Not received, and sending it again unchanged will not help by itself (something in
    /// front of the API refuses it): it stays in the outbox until the citizen sends it again
    /// or the page is opened anew.
    Held { why: NotReceived },
}

/// Statuses whose cause retrying cannot fix: a malformed or unauthorised request, a
/// missing consultation, a conflict, a body too large, an invalid opinion.
fn final_status(status: u16) -> bool {
    matches!(
        status,
        400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 414 | 422 | 431
    )
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        let essence = value.split(';').next().unwrap_or("").trim();
        essence.eq_ignore_ascii_case("application/json")
            || essence.to_ascii_lowercase().ends_with("+json")
    })
}

/// The seconds of a `Retry-After` given as a number (dates are not used by the API).
fn retry_after_seconds(value: Option<&str>) -> u64 {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_RETRY_AFTER_S)
        .clamp(1, MAX_RETRY_AFTER_S)
}

/// An answer to an opinion post as the caller read it: its status, `Content-Type` and
/// `Retry-After` headers, and its body parsed (by the caller's own JSON parser: the
/// browser's in the widget) as a receipt and as a refusal, `None` where it is not one.
#[derive(Debug, Clone, Default)]
pub struct Answer<'a> {
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub retry_after: Option<&'a str>,
    pub receipt: Option<Receipt>,
    pub refusal: Option<Refusal>,
}

/// What an answer means for the opinion (see the module's rule).
pub fn classify_answer(answer: Answer<'_>) -> PostOutcome {
    let Answer {
        status,
        content_type,
        retry_after,
        receipt,
        refusal,
    } = answer;
    let json = is_json(content_type);
    if let (true, 200 | 201, Some(receipt)) = (json, status, &receipt) {
        if !receipt.receipt.is_empty() {
            return PostOutcome::Received(receipt.clone());
        }
    }
    let refusal = refusal.filter(|refusal| json && !refusal.error.trim().is_empty());
    match (refusal, status) {
        (Some(_), 429) => PostOutcome::Retry {
            why: NotReceived::TooFrequent {
                seconds: retry_after_seconds(retry_after),
            },
            after_s: Some(retry_after_seconds(retry_after)),
        },
        (Some(_), 500..=599) => PostOutcome::Retry {
            why: NotReceived::ServerBusy { status },
            after_s: None,
        },
        (Some(refusal), 400..=499) => PostOutcome::Refused { status, refusal },
        // Not the API's own answer (or an API answer of a shape it never gives).
        (_, status) if final_status(status) => PostOutcome::Held {
            why: NotReceived::ForeignAnswer { status },
        },
        (_, status) => PostOutcome::Retry {
            why: NotReceived::ForeignAnswer { status },
            after_s: None,
        },
    }
}

/// The outcome when no answer came at all (the fetch failed).
pub fn network_failure() -> PostOutcome {
    PostOutcome::Retry {
        why: NotReceived::Network,
        after_s: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json");

    /// The answer as the widget reads it, parsing the body with serde_json here.
    fn classify_answer(
        status: u16,
        content_type: Option<&str>,
        retry_after: Option<&str>,
        body: &str,
    ) -> PostOutcome {
        super::classify_answer(Answer {
            status,
            content_type,
            retry_after,
            receipt: serde_json::from_str(body).ok(),
            refusal: serde_json::from_str(body).ok(),
        })
    }
    const RECEIPT: &str = r#"{"receipt":"YJ20261130-7K3M9Q","secret":"ab12","received_at":"2026-11-30T01:00:00Z","repeated":false}"#;
    const REFUSAL: &str = r#"{"error":"这项意见征集已于2026-11-01结束，不再接收意见。"}"#;

    #[test]
    fn a_receipt_of_the_api_is_received() {
        let PostOutcome::Received(receipt) =
            classify_answer(201, Some("application/json; charset=utf-8"), None, RECEIPT)
        else {
            panic!()
        };
        assert_eq!(receipt.receipt, "YJ20261130-7K3M9Q");
        assert!(matches!(
            classify_answer(200, JSON, None, RECEIPT),
            PostOutcome::Received(_)
        ));
    }

    #[test]
    fn too_frequent_waits_as_long_as_the_server_says() {
        let outcome = classify_answer(
            429,
            JSON,
            Some("17"),
            r#"{"error":"提交过于频繁，请在17秒后再试。"}"#,
        );
        assert_eq!(
            outcome,
            PostOutcome::Retry {
                why: NotReceived::TooFrequent { seconds: 17 },
                after_s: Some(17)
            }
        );
        let PostOutcome::Retry { why, .. } = outcome else {
            panic!()
        };
        assert_eq!(why.chinese(), "提交过于频繁，请 17 秒后再试。");
        // Missing, garbage or absurd Retry-After values.
        for (header, expected) in [
            (None, 60),
            (Some("soon"), 60),
            (Some("0"), 1),
            (Some("99999999"), 3600),
        ] {
            let PostOutcome::Retry { after_s, .. } = classify_answer(429, JSON, header, REFUSAL)
            else {
                panic!()
            };
            assert_eq!(after_s, Some(expected), "{header:?}");
        }
    }

    #[test]
    fn the_apis_refusals_leave_the_outbox_and_are_never_retried() {
        for status in [400, 403, 404, 409, 413, 422] {
            let outcome = classify_answer(status, JSON, None, REFUSAL);
            assert!(
                matches!(outcome, PostOutcome::Refused { status: s, .. } if s == status),
                "{status}: {outcome:?}"
            );
        }
    }

    #[test]
    fn the_apis_own_server_errors_are_retried() {
        let body = r#"{"error":"系统暂时无法处理，请稍后重试。"}"#;
        assert_eq!(
            classify_answer(503, JSON, None, body),
            PostOutcome::Retry {
                why: NotReceived::ServerBusy { status: 503 },
                after_s: None
            }
        );
    }

    #[test]
    fn answers_that_are_not_the_apis_are_not_received_whatever_their_status() {
        let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        for (status, content_type, body) in [
            (502, Some("text/html"), page),
            (504, Some("text/html"), ""),
            (200, Some("text/html"), "<html>请登录</html>"),
            (201, Some("text/html"), RECEIPT),
            (200, JSON, r#"{"ok":true}"#),
            (302, None, ""),
            (429, Some("text/html"), "<h1>Too Many Requests</h1>"),
            (500, JSON, "{}"),
        ] {
            let outcome = classify_answer(status, content_type, None, body);
            assert_eq!(
                outcome,
                PostOutcome::Retry {
                    why: NotReceived::ForeignAnswer { status },
                    after_s: None
                },
                "{status} {content_type:?} {body}"
            );
        }
        // A proxy or firewall refusing it: kept, but not sent again by itself.
        for status in [400, 403, 404, 409, 413] {
            let outcome = classify_answer(
                status,
                Some("text/html"),
                None,
                "<h1>Request Entity Too Large</h1>",
            );
            assert_eq!(
                outcome,
                PostOutcome::Held {
                    why: NotReceived::ForeignAnswer { status }
                }
            );
        }
        assert_eq!(
            classify_answer(403, JSON, None, r#"{"message":"blocked by WAF"}"#),
            PostOutcome::Held {
                why: NotReceived::ForeignAnswer { status: 403 }
            }
        );
        assert!(NotReceived::ForeignAnswer { status: 502 }
            .chinese()
            .contains("HTTP 502"));
    }

    #[test]
    fn no_answer_is_a_network_failure() {
        assert_eq!(
            network_failure(),
            PostOutcome::Retry {
                why: NotReceived::Network,
                after_s: None
            }
        );
        assert!(!NotReceived::Network.english().is_empty());
    }
}
