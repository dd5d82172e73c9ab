//! The opinion API over HTTP against a real SQLite file, and against the PostgreSQL server
//! named by `DISCLOSURE_TEST_POSTGRES_URL` (which `cargo xtask test` starts on 127.0.0.1).

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;

use disclosure_core::consultation::{Clause, Consultation};
use disclosure_server::opinions::contact::ContactKey;
use disclosure_server::opinions::store::{NewOpinion, Store, Stored};
use disclosure_server::opinions::{api, Settings};
use disclosure_server::proxy::TrustedProxies;
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

const TOKEN: &str = "officials-test-token";
const CONTACT_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

struct Server {
    base: String,
    store: Store,
    client: reqwest::Client,
    /// Makes ids unique, so runs can share a PostgreSQL database.
    run: String,
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disclosure-api-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn consultation(id: &str, start: i64, end: i64) -> Consultation {
    let today = OffsetDateTime::now_utc().date();
    Consultation {
        id: id.into(),
        title: "宁乡市城区停车管理办法（征求意见稿）".into(),
        department: "宁乡市城市管理和综合执法局".into(),
        start: today + Duration::days(start),
        end: today + Duration::days(end),
        draft_url: "/zqyj/parking-draft.html".into(),
        explanation_url: Some("/zqyj/parking-explanation.html".into()),
        clauses: vec![
            Clause {
                number: 1,
                title: "适用范围".into(),
            },
            Clause {
                number: 2,
                title: "收费标准".into(),
            },
        ],
        results_published: None,
        summary: String::new(),
    }
}

impl Server {
    async fn start(database_url: &str, per_minute: u32) -> Server {
        let store = Store::open(database_url).await.expect("the database opens");
        Server::serve(store, per_minute, &[], None).await
    }

    /// Serves `store` with the officials' token, a fixed contact key (instances of one
    /// database must share it), `trusted` proxies, and the consultations of `run` (made
    /// when `None`).
    async fn serve(store: Store, per_minute: u32, trusted: &[&str], run: Option<String>) -> Server {
        let run = match run {
            Some(run) => run,
            None => {
                let run = format!(
                    "{}-{}",
                    std::process::id(),
                    OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
                );
                for (name, start, end) in
                    [("open", -10, 20), ("closed", -40, -10), ("future", 5, 40)]
                {
                    store
                        .save_consultation(&consultation(&format!("{name}-{run}"), start, end))
                        .await
                        .unwrap();
                }
                run
            }
        };
        let settings = Settings {
            contact_key: ContactKey::from_hex(CONTACT_KEY).unwrap(),
            admin_token: Some(TOKEN.into()),
            allowed_origins: vec!["https://www.ningxiang.gov.cn".into()],
            submissions_per_minute: per_minute,
            trusted_proxies: TrustedProxies::parse(
                &trusted.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
            .unwrap(),
        };
        let site = scratch("site");
        std::fs::write(site.join("index.html"), "<!DOCTYPE html><title>t</title>").unwrap();
        let app = disclosure_server::app(&site, api(store.clone(), settings));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap()
        });
        Server {
            base: format!("http://{address}"),
            store,
            client: reqwest::Client::new(),
            run,
        }
    }

    fn id(&self, name: &str) -> String {
        format!("{name}-{}", self.run)
    }

    async fn post(&self, consultation: &str, key: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!(
                "{}/api/consultations/{consultation}/opinions",
                self.base
            ))
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, String) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }
}

async fn the_whole_api(server: Server) {
    let open = server.id("open");

    // Consultations with their status today.
    let (status, list) = server.get("/api/consultations", None).await;
    assert_eq!(status, StatusCode::OK);
    let list: Value = serde_json::from_str(&list).unwrap();
    let words: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"].as_str().unwrap().ends_with(&server.run))
        .map(|c| c["status_word"].as_str().unwrap())
        .collect();
    assert_eq!(words.len(), 3);
    for word in ["征集中", "已结束", "未开始"] {
        assert!(words.contains(&word), "{words:?}");
    }
    let (status, body) = server.get("/api/consultations/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("没有找到这项意见征集"));

    // An opinion, its receipt, and a retry that makes no second opinion.
    let opinion = json!({"clause": 2, "text": "<script>alert(1)</script>建议夜间免费停车", "name": "欧阳娜娜",
        "phone": "138 0000 1234", "email": "citizen@example.com"});
    let (status, first) = server.post(&open, "key-0001-abcdef", opinion.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let receipt = first["receipt"].as_str().unwrap().to_string();
    assert!(receipt.starts_with("YJ"));
    let (status, again) = server.post(&open, "key-0001-abcdef", opinion.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["receipt"], first["receipt"]);
    assert_eq!(again["secret"], first["secret"]);
    assert_eq!(again["repeated"], true);
    let (status, reused) = server
        .post(&open, "key-0001-abcdef", json!({"text": "另一条意见"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(reused["error"]
        .as_str()
        .unwrap()
        .contains("已用于另一条意见"));
    let (status, _) = server
        .post(&open, "key-0002-abcdef", json!({"text": "总体同意"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Each bad input gets a precise refusal.
    let field = |v: &Value| v["fields"][0]["field"].as_str().unwrap_or("").to_string();
    let (status, empty) = server
        .post(&open, "key-bad-0001", json!({"text": "   "}))
        .await;
    assert_eq!(
        (status, field(&empty)),
        (StatusCode::UNPROCESSABLE_ENTITY, "text".into())
    );
    assert_eq!(empty["fields"][0]["message"], "请填写意见内容");
    let (status, long) = server
        .post(&open, "key-bad-0002", json!({"text": "字".repeat(5001)}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("5001"));
    let (status, phone) = server
        .post(
            &open,
            "key-bad-0003",
            json!({"text": "好", "phone": "138abc"}),
        )
        .await;
    assert_eq!(
        (status, field(&phone)),
        (StatusCode::UNPROCESSABLE_ENTITY, "phone".into())
    );
    let (status, email) = server
        .post(&open, "key-bad-0004", json!({"text": "好", "email": "a@"}))
        .await;
    assert_eq!(
        (status, field(&email)),
        (StatusCode::UNPROCESSABLE_ENTITY, "email".into())
    );
    let (status, honeypot) = server
        .post(
            &open,
            "key-bad-0005",
            json!({"text": "好", "website": "http://spam"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{honeypot}");
    let (status, unknown) = server
        .post("nope", "key-bad-0006", json!({"text": "好"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");
    let (status, closed) = server
        .post(&server.id("closed"), "key-bad-0007", json!({"text": "好"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(closed["error"].as_str().unwrap().contains("不再接收意见"));
    let (status, future) = server
        .post(&server.id("future"), "key-bad-0008", json!({"text": "好"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(future["error"].as_str().unwrap().contains("尚未开始"));
    let url = format!("{}/api/consultations/{open}/opinions", server.base);
    let malformed = server
        .client
        .post(&url)
        .header("Idempotency-Key", "key-bad-0009")
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(malformed.text().await.unwrap().contains("格式不正确"));
    let huge = server
        .client
        .post(&url)
        .header("Idempotency-Key", "key-bad-0010")
        .header("content-type", "application/json")
        .body(vec![b'x'; 10 * 1024 * 1024])
        .send()
        .await;
    if let Ok(huge) = huge {
        assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(huge.text().await.unwrap().contains("过大"));
    }
    let no_key = server
        .client
        .post(&url)
        .json(&json!({"text": "好"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), StatusCode::BAD_REQUEST);
    assert!(no_key.text().await.unwrap().contains("Idempotency-Key"));
    let foreign = server
        .client
        .post(&url)
        .header("Idempotency-Key", "key-bad-0011")
        .header("Origin", "https://evil.example")
        .json(&json!({"text": "好"}))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let portal = server
        .client
        .post(&url)
        .header("Idempotency-Key", "key-ok-portal")
        .header("Origin", "https://www.ningxiang.gov.cn")
        .json(&json!({"text": "门户页面提交"}))
        .send()
        .await
        .unwrap();
    assert_eq!(portal.status(), StatusCode::CREATED);

    // The citizen looks the opinion up by receipt and secret.
    let lookup = |receipt: String, secret: String| {
        server
            .client
            .post(format!("{}/api/receipts", server.base))
            .json(&json!({"receipt": receipt, "secret": secret}))
            .send()
    };
    let found = lookup(
        receipt.to_lowercase(),
        first["secret"].as_str().unwrap().into(),
    )
    .await
    .unwrap();
    assert_eq!(found.status(), StatusCode::OK);
    let found: Value = found.json().await.unwrap();
    assert_eq!(found["clause"], "第2条 收费标准");
    assert_eq!(found["text"], "<script>alert(1)</script>建议夜间免费停车");
    assert_eq!(found["state"], "已收到，正在研究");
    let wrong = lookup(receipt.clone(), "0000".into()).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);

    // Contacts are sealed at rest.
    let stored = server.store.opinion(&receipt).await.unwrap().unwrap();
    let sealed = stored.contact.unwrap();
    assert!(!sealed.contains("13800001234") && !sealed.contains("citizen"));

    // Officials: a token is needed; the list opens the contacts; the CSV export.
    let admin = format!("/api/admin/consultations/{open}/opinions");
    assert_eq!(server.get(&admin, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.get(&admin, Some("wrong")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, opinions) = server.get(&admin, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    let opinions: Value = serde_json::from_str(&opinions).unwrap();
    assert_eq!(opinions.as_array().unwrap().len(), 3);
    assert!(opinions.to_string().contains("13800001234"));
    let (status, csv) = server.get(&format!("{admin}.csv"), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        csv.starts_with('\u{FEFF}')
            && csv.contains("citizen@example.com")
            && csv.contains(&receipt)
    );

    // Results of a closed consultation: responses, masked names, no contacts.
    let closed_id = server.id("closed");
    let mut closed_receipts = Vec::new();
    for (n, (name, phone)) in [("张三", "13900001111"), ("欧阳娜娜", ""), ("", "")]
        .iter()
        .enumerate()
    {
        let key = ContactKey::from_hex(&ContactKey::generate_hex().unwrap()).unwrap();
        let contact = (!phone.is_empty()).then(|| {
            key.seal(&disclosure_server::opinions::contact::Contact {
                phone: Some(phone.to_string()),
                email: None,
            })
            .unwrap()
        });
        let stored = server
            .store
            .submit(NewOpinion {
                day: time::macros::date!(2026 - 11 - 01),
                idempotency_key: format!("closed-{}-{n}", server.run),
                content_hash: "x".into(),
                secret_hash: "y".into(),
                consultation_id: closed_id.clone(),
                clause: (n == 0).then_some(1),
                text: format!("意见{n}"),
                name: (!name.is_empty()).then(|| name.to_string()),
                contact,
                // Distinct times: results list opinions in the order received.
                received_at: format!("2026-11-01T00:00:0{n}Z"),
            })
            .await
            .unwrap();
        let Stored::Created { receipt, .. } = stored else {
            panic!("a new opinion is created: {stored:?}");
        };
        assert!(receipt.starts_with("YJ20261101-"), "{receipt}");
        closed_receipts.push(receipt);
    }
    let first_closed = closed_receipts[0].as_str();
    // The token serves scripted exports only: moderation, responses and publication need a
    // signed-in official of the right role (tests/officials.rs checks them and the results).
    let by_token = server
        .client
        .put(format!(
            "{}/api/admin/opinions/{first_closed}/response",
            server.base
        ))
        .bearer_auth(TOKEN)
        .json(&json!({"verdict": "adopted"}))
        .send()
        .await
        .unwrap();
    assert!(!by_token.status().is_success());
    assert_eq!(
        server
            .get(&format!("/api/consultations/{closed_id}/results"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    server
        .store
        .publish_results(&closed_id, "2026-12-01")
        .await
        .unwrap();

    // Retention: contacts of published consultations go; others stay.
    let erased = server.store.erase_contacts("9999-12-31").await.unwrap();
    assert!(erased >= 1);
    assert!(server
        .store
        .opinion(first_closed)
        .await
        .unwrap()
        .unwrap()
        .contact
        .is_none());
    assert!(server
        .store
        .opinion(&receipt)
        .await
        .unwrap()
        .unwrap()
        .contact
        .is_some());

    // The OpenAPI document is served.
    let (status, openapi) = server.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(openapi.contains("\"openapi\": \"3.1.0\""));
}

#[tokio::test]
async fn the_api_on_a_sqlite_file() {
    let dir = scratch("sqlite");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    the_whole_api(Server::start(&url, 1000).await).await;
    // The schema was created in the file, and the opinions are in it after reopening.
    let reopened = Store::open(&url).await.unwrap();
    assert!(!reopened.consultations().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_api_on_postgresql() {
    // A database of its own: the whole API's fixed keys are new in it.
    let Some(url) = fresh_postgres_database("whole_api").await else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    the_whole_api(Server::start(&url, 1000).await).await;
}

/// Posts an opinion as a reverse proxy would forward it: extra headers, a fresh key.
async fn post_forwarded(
    server: &Server,
    consultation: &str,
    key: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Value, Option<String>) {
    let mut request = server
        .client
        .post(format!("{}/api/consultations/{consultation}/opinions", server.base))
        .header("Idempotency-Key", key)
        .json(&json!({"text": "建议增设无障碍通道"}));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, response.json().await.unwrap_or(Value::Null), retry)
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_citizen_has_a_limit_and_the_portal_may_post() {
    let dir = scratch("proxy");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let store = Store::open(&url).await.unwrap();
    let server = Server::serve(store, 2, &["127.0.0.1"], None).await;
    let open = server.id("open");
    // Two citizens behind the proxy: each has their own two a minute.
    for n in 0..2 {
        for citizen in ["198.51.100.1", "198.51.100.2"] {
            let (status, body, _) = post_forwarded(
                &server,
                &open,
                &format!("proxy-{citizen}-{n}"),
                &[("x-forwarded-for", citizen)],
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    }
    let (status, body, retry) = post_forwarded(
        &server,
        &open,
        "proxy-third-0001",
        &[("forwarded", "for=198.51.100.1;proto=https")],
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(retry.is_some());
    // A forged address left of the real one buys nothing.
    let (status, _, _) = post_forwarded(
        &server,
        &open,
        "proxy-forged-001",
        &[("x-forwarded-for", "203.0.113.77, 198.51.100.1")],
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // The portal's own page, as nginx forwards it (Host rewritten to the upstream).
    let portal = [
        ("origin", "https://www.county.gov.cn"),
        ("x-forwarded-for", "198.51.100.3"),
        ("x-forwarded-host", "www.county.gov.cn"),
        ("x-forwarded-proto", "https"),
    ];
    let (status, body, _) = post_forwarded(&server, &open, "proxy-portal-001", &portal).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _, _) = post_forwarded(
        &server,
        &open,
        "proxy-foreign-01",
        &[
            ("origin", "https://evil.example"),
            ("x-forwarded-for", "198.51.100.4"),
            ("x-forwarded-host", "www.county.gov.cn"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A browser's own word that the page is same-origin passes any proxy.
    let (status, _, _) = post_forwarded(
        &server,
        &open,
        "proxy-samesite-1",
        &[("origin", "https://portal.example"), ("sec-fetch-site", "same-origin"), ("x-forwarded-for", "198.51.100.5")],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // A thousand entries or garbage: an answer, never a 500.
    let long: String = (0..1000).map(|n| format!("for=10.9.{}.{}", n / 256, n % 256)).collect::<Vec<_>>().join(", ");
    for (n, (name, value)) in [
        ("forwarded", long.as_str()),
        ("x-forwarded-for", "not-an-address, [::1"),
        ("forwarded", "for=;;;==,,,proto=gopher"),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, body, _) =
            post_forwarded(&server, &open, &format!("proxy-odd-{n:04}"), &[(name, value)]).await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::TOO_MANY_REQUESTS,
            "{status} {body}"
        );
    }
}

#[tokio::test]
async fn from_an_untrusted_peer_forwarding_headers_are_ignored() {
    let dir = scratch("untrusted");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let server = Server::serve(Store::open(&url).await.unwrap(), 2, &[], None).await;
    let open = server.id("open");
    let mut statuses = Vec::new();
    for n in 0..3 {
        let spoofed = format!("203.0.113.{n}");
        let (status, _, _) = post_forwarded(
            &server,
            &open,
            &format!("untrusted-key-{n}"),
            &[("x-forwarded-for", &spoofed), ("forwarded", &format!("for={spoofed}"))],
        )
        .await;
        statuses.push(status);
    }
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CREATED, StatusCode::TOO_MANY_REQUESTS]
    );
    // Nor does a forwarded host make a foreign page the site's own.
    let (status, _, _) = post_forwarded(
        &server,
        &open,
        "untrusted-host-1",
        &[("origin", "https://evil.example"), ("x-forwarded-host", "evil.example")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn health_readiness_and_metrics_show_no_personal_data() {
    let dir = scratch("observe");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let server = Server::start(&url, 1000).await;
    let (status, body) = server.get("/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    let (status, body) = server.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = server
        .post(
            &server.id("open"),
            "metrics-key-0001",
            json!({"text": "我的电话13812345678，住在玉潭街道", "name": "王秘密", "phone": "13912345678", "email": "m@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = server.post(&server.id("closed"), "metrics-key-0002", json!({"text": "晚了"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, metrics) = server.get("/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "disclosure_opinions_committed_total 1",
        "disclosure_opinions_received_total 1",
        "disclosure_opinion_commit_seconds_bucket",
        "disclosure_opinion_group_size_count 1",
        "disclosure_opinion_queue_depth 0",
        "disclosure_rate_limited_total 0",
        r#"route="/api/consultations/{id}/opinions""#,
        r#"status="409""#,
    ] {
        assert!(metrics.contains(expected), "{expected} missing from\n{metrics}");
    }
    for secret in ["13812345678", "王秘密", "13912345678", "m@example.com", "玉潭", &server.run] {
        assert!(!metrics.contains(secret), "the metrics show {secret}");
    }
}

/// A database of its own on the PostgreSQL server of `DISCLOSURE_TEST_POSTGRES_URL`, so
/// instances start on an empty schema.
async fn fresh_postgres_database(name: &str) -> Option<String> {
    let url = std::env::var("DISCLOSURE_TEST_POSTGRES_URL").ok()?;
    Some(common::spawn::fresh_database(&url, &format!("{name}_{}", std::process::id())).await)
}

#[tokio::test]
async fn two_instances_on_postgresql_share_the_limit_and_one_key_is_one_opinion() {
    let Some(url) = fresh_postgres_database("two_instances").await else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    // Both start at once on an empty database: the migrations run once, under a lock.
    let (a, b) = tokio::join!(Store::open(&url), Store::open(&url));
    let (a, b) = (a.unwrap(), b.unwrap());
    let first = Server::serve(a, 3, &["127.0.0.1"], None).await;
    let second = Server::serve(b, 3, &["127.0.0.1"], Some(first.run.clone())).await;
    let open = first.id("open");
    // One citizen, balanced across both: three a minute in all, not three each.
    let citizen = [("x-forwarded-for", "198.51.100.20")];
    let mut statuses = Vec::new();
    for n in 0..4 {
        let server = if n % 2 == 0 { &first } else { &second };
        statuses.push(post_forwarded(server, &open, &format!("shared-limit-{n}"), &citizen).await.0);
    }
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CREATED, StatusCode::CREATED, StatusCode::TOO_MANY_REQUESTS]
    );
    // The same key sent to both at once: one opinion, the same receipt from both.
    for n in 0..20 {
        let key = format!("both-at-once-{n:03}");
        let from = [("x-forwarded-for", format!("198.51.100.{}", 100 + n))];
        let from = [(from[0].0, from[0].1.as_str())];
        let (one, other) = tokio::join!(
            post_forwarded(&first, &open, &key, &from),
            post_forwarded(&second, &open, &key, &from)
        );
        for (status, body, _) in [&one, &other] {
            assert!(
                *status == StatusCode::CREATED || *status == StatusCode::OK,
                "{status} {body}"
            );
        }
        assert_eq!(one.1["receipt"], other.1["receipt"], "{key}");
        assert_eq!(one.1["secret"], other.1["secret"], "{key}");
        assert_eq!(first.store.count_by_key(&key).await.unwrap(), 1, "{key}");
    }
}

#[tokio::test]
async fn postgresql_connections_dropped_mid_commit_give_a_retry_never_a_500_or_a_lost_opinion() {
    let Some(url) = fresh_postgres_database("dropped").await else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    let server = Server::serve(Store::open(&url).await.unwrap(), 100_000, &[], None).await;
    let open = server.id("open");
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    let dropping = tokio::spawn(async move {
        // The database drops every other connection of the server, again and again.
        for _ in 0..15 {
            tokio::time::sleep(std::time::Duration::from_millis(40)).await;
            let _ = sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .execute(&admin)
            .await;
        }
    });
    let mut statuses = std::collections::BTreeMap::new();
    let mut receipts = Vec::new();
    for n in 0..60 {
        let key = format!("dropped-{n:04}-key");
        // As the widget does: the same key again until the API answers with a receipt.
        for _ in 0..50 {
            let (status, body) = server.post(&open, &key, json!({"text": format!("意见{n}")})).await;
            *statuses.entry(status.as_u16()).or_insert(0) += 1;
            if status.is_success() {
                receipts.push((key.clone(), body["receipt"].as_str().unwrap().to_string()));
                break;
            }
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    dropping.await.unwrap();
    eprintln!("answers while connections were dropped: {statuses:?}");
    assert_eq!(receipts.len(), 60, "{statuses:?}");
    for (key, receipt) in &receipts {
        assert_eq!(server.store.count_by_key(key).await.unwrap(), 1, "{key}");
        assert!(server.store.opinion(receipt).await.unwrap().is_some(), "{receipt}");
    }
    let (status, _) = server.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK, "ready again once the database is back");
}

/// The consultations as plain pages and the opinion form as a plain HTML form POST: the
/// same rules and idempotency as the JSON API, errors beside the fields, a receipt page.
#[tokio::test]
async fn plain_pages_take_opinions_without_javascript() {
    let dir = scratch("plain");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let server = Server::start(&url, 1000).await;
    let open = server.id("open");
    let mut hostile = consultation(&server.id("hostile"), -1, 10);
    hostile.title = "<script>alert(1)</script>停车办法".into();
    server.store.save_consultation(&hostile).await.unwrap();

    let (status, list) = server.get("/consultations/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("宁乡市城区停车管理办法（征求意见稿）") && list.contains("征集中"));
    assert!(!list.contains("<script>alert") && list.contains("&lt;script&gt;"));
    let (status, page) = server.get(&format!("/consultations/{open}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<form method=\"post\"") && page.contains("第2条 收费标准"), "{page}");
    let key = page
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(key.len(), 32);
    let post = |fields: Vec<(&'static str, String)>| {
        server
            .client
            .post(format!("{}/consultations/{open}", server.base))
            .form(&fields)
            .send()
    };
    // Refused beside its field, what was typed kept.
    let refused = post(vec![("key", key.clone()), ("text", " ".into()), ("phone", "138abc".into()), ("name", "王五".into())])
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("id=\"text-error\"") && refused.contains("aria-invalid=\"true\""), "{refused}");
    assert!(refused.contains("value=\"王五\"") && refused.contains(&key));
    // Accepted: a receipt page; the same page sent again stores nothing more.
    let fields = vec![("key", key.clone()), ("clause", "2".to_string()), ("text", "建议<b>夜间</b>免费".to_string()), ("phone", "13800001234".to_string())];
    let first = post(fields.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.text().await.unwrap();
    assert!(first.contains("意见已收到") && first.contains("回执编号"));
    let again = post(fields).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert!(again.text().await.unwrap().contains("此前已经收到"));
    assert_eq!(server.store.count_by_key(&key).await.unwrap(), 1);
    // The honeypot, an expired form and a closed consultation are refused as pages.
    let trapped = post(vec![("key", "trap-key-000001".into()), ("text", "好".into()), ("website", "http://spam".into())]).await.unwrap();
    assert_eq!(trapped.status(), StatusCode::BAD_REQUEST);
    let expired = post(vec![("text", "好".into())]).await.unwrap();
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    assert!(expired.text().await.unwrap().contains("表单已过期"));
    let (_, closed) = server.get(&format!("/consultations/{}", server.id("closed")), None).await;
    assert!(closed.contains("已结束") && !closed.contains("<form"));
    let (status, _) = server.get("/consultations/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn too_many_submissions_from_one_address_get_429_with_retry_after() {
    let dir = scratch("limit");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let server = Server::start(&url, 2).await;
    let open = server.id("open");
    for n in 0..2 {
        let (status, _) = server
            .post(&open, &format!("limit-key-{n:04}"), json!({"text": "好"}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let response = server
        .client
        .post(format!("{}/api/consultations/{open}/opinions", server.base))
        .header("Idempotency-Key", "limit-key-9999")
        .json(&json!({"text": "好"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert!(response.text().await.unwrap().contains("秒后再试"));
}
