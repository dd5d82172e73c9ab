//! The opinion API over HTTP against a real SQLite file, and against the PostgreSQL server
//! named by `DISCLOSURE_TEST_POSTGRES_URL` (which `cargo xtask test` starts on 127.0.0.1).

use std::net::SocketAddr;
use std::path::PathBuf;

use disclosure_core::consultation::{Clause, Consultation};
use disclosure_server::opinions::contact::ContactKey;
use disclosure_server::opinions::store::{NewOpinion, Store, Stored};
use disclosure_server::opinions::{api, Settings};
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

const TOKEN: &str = "officials-test-token";

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
        let run = format!(
            "{}-{}",
            std::process::id(),
            OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
        );
        for (name, start, end) in [("open", -10, 20), ("closed", -40, -10), ("future", 5, 40)] {
            store
                .save_consultation(&consultation(&format!("{name}-{run}"), start, end))
                .await
                .unwrap();
        }
        let settings = Settings {
            contact_key: ContactKey::from_hex(&ContactKey::generate_hex().unwrap()).unwrap(),
            admin_token: Some(TOKEN.into()),
            allowed_origins: vec!["https://www.ningxiang.gov.cn".into()],
            submissions_per_minute: per_minute,
            trusted_proxies: Default::default(),
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
    let respond = |receipt: &str, body: Value, token: &str| {
        server
            .client
            .put(format!(
                "{}/api/admin/opinions/{receipt}/response",
                server.base
            ))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let refused = respond(
        first_closed,
        json!({"verdict": "not_adopted"}),
        TOKEN,
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("须说明理由"));
    let done = respond(
        first_closed,
        json!({"verdict": "not_adopted", "reason": "与上位法不符"}),
        TOKEN,
    )
    .await
    .unwrap();
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let open_publish = server
        .client
        .post(format!(
            "{}/api/admin/consultations/{open}/publish",
            server.base
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(open_publish.status(), StatusCode::CONFLICT);
    assert_eq!(
        server
            .get(&format!("/api/consultations/{closed_id}/results"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let published = server
        .client
        .post(format!(
            "{}/api/admin/consultations/{closed_id}/publish",
            server.base
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), StatusCode::OK);
    let (status, results) = server
        .get(&format!("/api/consultations/{closed_id}/results"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !results.contains("13900001111")
            && !results.contains("张三")
            && !results.contains("欧阳娜娜")
    );
    let results: Value = serde_json::from_str(&results).unwrap();
    assert_eq!(results["total"], 3);
    assert_eq!(
        results["per_clause"],
        json!([
            ["总体意见", 2],
            ["第1条 适用范围", 1],
            ["第2条 收费标准", 0]
        ])
    );
    let names: Vec<&str> = results["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["张*", "欧阳**", ""]);
    assert_eq!(results["opinions"][0]["verdict"], "not_adopted");
    assert_eq!(results["opinions"][0]["reason"], "与上位法不符");

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
    let Ok(url) = std::env::var("DISCLOSURE_TEST_POSTGRES_URL") else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    the_whole_api(Server::start(&url, 1000).await).await;
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
