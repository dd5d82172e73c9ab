//! The officials' console API (issue 16) over HTTP on a SQLite file, and on the PostgreSQL
//! server named by `DISCLOSURE_TEST_POSTGRES_URL` when set: moderation before publication
//! (no detected personal data in the published JSON), roles, sessions, CSRF, lockout and
//! the audit log.

use std::net::SocketAddr;

use disclosure_core::consultation::{Clause, Consultation};
use disclosure_core::personal_data::detect;
use disclosure_server::officials::add_account_from_cli;
use disclosure_server::officials::auth::Role;
use disclosure_server::opinions::contact::ContactKey;
use disclosure_server::opinions::store::Store;
use disclosure_server::opinions::{api, Settings};
use disclosure_server::proxy::TrustedProxies;
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

const TOKEN: &str = "export-token-for-scripts";
const CONTACT_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const PASSWORD: &str = "correct horse battery";

struct Server {
    base: String,
    /// The database, for the test that ages a session.
    url: String,
    store: Store,
    client: reqwest::Client,
    /// Makes ids and account names unique, so runs can share a PostgreSQL database.
    run: String,
}

/// A signed-in official: the session cookie and the CSRF token.
struct Official {
    cookie: String,
    csrf: String,
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
        explanation_url: None,
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
    async fn start(url: &str) -> Server {
        let store = Store::open(url).await.expect("the database opens");
        let run = format!(
            "{}{}",
            std::process::id(),
            OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000
        );
        let settings = Settings {
            contact_key: ContactKey::from_hex(CONTACT_KEY).unwrap(),
            admin_token: Some(TOKEN.into()),
            allowed_origins: Vec::new(),
            submissions_per_minute: 1000,
            // The tests connect from 127.0.0.1, which may then say it forwards HTTPS.
            trusted_proxies: TrustedProxies::parse(&["127.0.0.1".to_string()]).unwrap(),
        };
        let site = std::env::temp_dir().join(format!("disclosure-officials-site-{run}"));
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("index.html"), "<!DOCTYPE html><title>t</title>").unwrap();
        std::fs::create_dir_all(site.join("admin")).unwrap();
        std::fs::write(site.join("admin/index.html"), "<!DOCTYPE html><title>console</title>").unwrap();
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
            url: url.to_string(),
            base: format!("http://{address}"),
            store,
            client: reqwest::Client::new(),
            run,
        }
    }

    fn name(&self, who: &str) -> String {
        format!("{who}{}", self.run)
    }

    async fn add(&self, who: &str, roles: &[Role]) -> String {
        let name = self.name(who);
        add_account_from_cli(&self.store, &name, roles, PASSWORD.to_string())
            .await
            .unwrap();
        name
    }

    async fn sign_in_raw(&self, name: &str, password: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/officials/session", self.base))
            .json(&json!({"name": name, "password": password}))
            .send()
            .await
            .unwrap()
    }

    async fn sign_in(&self, name: &str) -> Official {
        let response = self.sign_in_raw(name, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let cookie = cookie.split(';').next().unwrap().to_string();
        let body: Value = response.json().await.unwrap();
        Official {
            cookie,
            csrf: body["csrf"].as_str().unwrap().to_string(),
        }
    }

    /// A request as the console makes it: the cookie, and the CSRF token on changes.
    async fn call(
        &self,
        who: &Official,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", &who.cookie);
        if method != reqwest::Method::GET {
            request = request.header("x-csrf-token", &who.csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn submit(&self, consultation: &str, key: &str, clause: Option<u32>, text: &str) -> Value {
        let response = self
            .client
            .post(format!("{}/api/consultations/{consultation}/opinions", self.base))
            .header("Idempotency-Key", key)
            .json(&json!({"clause": clause, "text": text, "name": "王小明", "phone": "13900001111"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }
}

/// Opinions with each kind of personal data the screen finds, and the data itself.
const PERSONAL: [(&str, &str); 8] = [
    ("我的电话13812345678，请联系我", "13812345678"),
    ("办公室座机0731-88888888可以打", "0731-88888888"),
    ("身份证430124199001011236是我的", "430124199001011236"),
    ("邮箱zhang.san@example.com。", "zhang.san@example.com"),
    ("退费请打到卡号6222021234567890128", "6222021234567890128"),
    ("车牌湘A12345经常被贴条", "湘A12345"),
    ("住在玉潭街道金色家园小区3栋2单元1201室", "3栋2单元1201室"),
    ("家住某某村3组15号门口停满了车", "3组15号"),
];

async fn the_console_api(server: &Server) {
    let admin = server.add("admin", &[Role::Admin]).await;
    let editor = server.add("editor", &[Role::Editor]).await;
    let reviewer = server.add("reviewer", &[Role::Reviewer]).await;
    let second = server.add("second", &[Role::Reviewer]).await;
    let publisher = server.add("publisher", &[Role::Publisher]).await;
    let id = format!("console-{}", server.run);
    server
        .store
        .save_consultation(&consultation(&id, -10, 20))
        .await
        .unwrap();

    // Citizens write opinions with personal data in them, and two plain ones.
    let mut receipts = Vec::new();
    for (n, (text, _)) in PERSONAL.iter().enumerate() {
        let clause = [None, Some(1), Some(2)][n % 3];
        let receipt = server
            .submit(&id, &format!("key-{}-{n:02}", server.run), clause, text)
            .await;
        receipts.push(receipt);
    }
    let plain = server
        .submit(&id, &format!("key-{}-plain", server.run), Some(2), "建议夜间免费停车")
        .await;
    let spam = server
        .submit(&id, &format!("key-{}-spam", server.run), None, "建议夜间免费停车")
        .await;

    // While open, the page shows counts, in total and per clause, and nothing else.
    let counts = server
        .client
        .get(format!("{}/api/consultations/{id}/counts", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let counts: Value = serde_json::from_str(&counts).unwrap();
    assert_eq!(counts["total"], 10);
    assert_eq!(
        counts["per_clause"],
        json!([["总体意见", 4], ["第1条 适用范围", 3], ["第2条 收费标准", 3]])
    );
    assert!(!counts.to_string().contains("停车") && !counts.to_string().contains("13812345678"));

    // The console's page cannot be framed; its API's answers are never cached.
    let page = server.client.get(format!("{}/admin/", server.base)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));

    // Signed out: 401; a cookie from another server: 401; the export token cannot review.
    let list = format!("/api/officials/consultations/{id}/opinions");
    let anonymous = server.client.get(format!("{}{list}", server.base)).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let foreign = Official {
        cookie: "nx_session=0123456789abcdef0123456789abcdef".into(),
        csrf: "x".into(),
    };
    let (status, body) = server.call(&foreign, reqwest::Method::GET, &list, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body["error"].as_str().unwrap().contains("重新登录"));
    let token = server
        .client
        .get(format!("{}{list}", server.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::UNAUTHORIZED);

    // The reviewer sees each opinion with the screen's matches, without contacts.
    let reviewing = server.sign_in(&reviewer).await;
    let no_store = server
        .client
        .get(format!("{}{list}", server.base))
        .header("cookie", &reviewing.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(no_store.headers()["cache-control"], "no-store");
    let (status, page) = server.call(&reviewing, reqwest::Method::GET, &list, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 10);
    assert_eq!(page["unreviewed"], 10);
    assert!(!page.to_string().contains("13900001111"));
    let opinions = page["opinions"].as_array().unwrap().clone();
    let find = |receipt: &Value| {
        opinions
            .iter()
            .find(|o| o["receipt"] == receipt["receipt"])
            .unwrap()
            .clone()
    };
    for (n, receipt) in receipts.iter().enumerate() {
        let opinion = find(receipt);
        let detected = opinion["detected"].as_array().unwrap();
        assert!(!detected.is_empty(), "{n}: {opinion}");
    }
    assert!(find(&plain)["detected"].as_array().unwrap().is_empty());

    // Contacts open for a reviewer only, and the view is audited.
    let contacts = format!(
        "/api/officials/opinions/{}/contacts",
        plain["receipt"].as_str().unwrap()
    );
    let (status, contact) = server.call(&reviewing, reqwest::Method::GET, &contacts, None).await;
    assert_eq!((status, contact["phone"].as_str()), (StatusCode::OK, Some("13900001111")));

    // Role enforcement, CSRF.
    let editing = server.sign_in(&editor).await;
    let (status, body) = server.call(&editing, reqwest::Method::GET, &list, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"].as_str().unwrap().contains("审核人员"));
    let moderation = |receipt: &Value| {
        format!(
            "/api/officials/opinions/{}/moderation",
            receipt["receipt"].as_str().unwrap()
        )
    };
    let publish_all = |o: &Value| {
        let spans: Vec<Value> = o["detected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| json!({"start": m["start"], "end": m["end"]}))
            .collect();
        json!({"decision": "publish", "redactions": spans, "revision": o["revision"]})
    };
    let first = find(&receipts[0]);
    let no_csrf = server
        .client
        .put(format!("{}{}", server.base, moderation(&receipts[0])))
        .header("cookie", &reviewing.cookie)
        .json(&publish_all(&first))
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    assert!(no_csrf.text().await.unwrap().contains("CSRF"));
    let (status, _) = server
        .call(&editing, reqwest::Method::PUT, &moderation(&receipts[0]), Some(publish_all(&first)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Bad redactions are refused precisely: beyond the end, missing a match.
    let length = first["text"].as_str().unwrap().chars().count();
    let (status, body) = server
        .call(
            &reviewing,
            reqwest::Method::PUT,
            &moderation(&receipts[0]),
            Some(json!({"decision": "publish", "redactions": [{"start": 4, "end": length + 3}], "revision": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("超出了意见全文"));
    let (status, body) = server
        .call(
            &reviewing,
            reqwest::Method::PUT,
            &moderation(&receipts[0]),
            Some(json!({"decision": "publish", "redactions": [], "revision": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("手机号码尚未隐去"), "{body}");

    // Two reviewers on one opinion: the second, who saw the old revision, is refused.
    let seconding = server.sign_in(&second).await;
    let (status, done) = server
        .call(&reviewing, reqwest::Method::PUT, &moderation(&receipts[0]), Some(publish_all(&first)))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["revision"], 1);
    let (status, body) = server
        .call(
            &seconding,
            reqwest::Method::PUT,
            &moderation(&receipts[0]),
            Some(json!({"decision": "withhold", "reason": "abuse", "revision": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"].as_str().unwrap().contains("另一位审核人员"));

    // Ten answers to one opinion at the same moment: exactly one is kept, the others are
    // told someone else answered, and the audit log holds one row for it.
    let racing = find(&receipts[1]);
    let raced_path = moderation(&receipts[1]);
    let attempts = (0..10).map(|n| {
        let body = if n % 2 == 0 {
            publish_all(&racing)
        } else {
            json!({"decision": "withhold", "reason": "unrelated", "revision": racing["revision"]})
        };
        let who = if n % 2 == 0 { &reviewing } else { &seconding };
        server.call(who, reqwest::Method::PUT, &raced_path, Some(body))
    });
    let outcomes = futures_util::future::join_all(attempts).await;
    let kept = outcomes.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused = outcomes.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
    assert_eq!((kept, refused), (1, 9), "{outcomes:?}");

    // The rest: each published with its matches redacted, the repeat withheld.
    for receipt in receipts.iter().skip(2).chain([&plain]) {
        let (status, body) = server
            .call(&reviewing, reqwest::Method::PUT, &moderation(receipt), Some(publish_all(&find(receipt))))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // The raced one, published in the end whatever won the race.
    let (_, page) = server.call(&reviewing, reqwest::Method::GET, &list, None).await;
    let raced = page["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["receipt"] == receipts[1]["receipt"])
        .unwrap()
        .clone();
    let (status, body) = server
        .call(&reviewing, reqwest::Method::PUT, &moderation(&receipts[1]), Some(publish_all(&raced)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Publication waits for every decision, then for every response, and for the period.
    let publishing = server.sign_in(&publisher).await;
    let publish = format!("/api/officials/consultations/{id}/publish");
    let (status, body) = server.call(&publishing, reqwest::Method::POST, &publish, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"].as_str().unwrap().contains("结束后"), "{body}");
    server
        .store
        .save_consultation(&consultation(&id, -40, -1))
        .await
        .unwrap();
    let (status, body) = server.call(&publishing, reqwest::Method::POST, &publish, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"].as_str().unwrap().contains("1条意见未审核"), "{body}");
    let (status, _) = server
        .call(
            &reviewing,
            reqwest::Method::PUT,
            &moderation(&spam),
            Some(json!({"decision": "withhold", "reason": "duplicate", "revision": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server.call(&publishing, reqwest::Method::POST, &publish, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"].as_str().unwrap().contains("9条拟公开的意见未答复"), "{body}");
    let (_, page) = server.call(&reviewing, reqwest::Method::GET, &list, None).await;
    for opinion in page["opinions"].as_array().unwrap() {
        if opinion["moderation"]["decision"] != "publish" {
            continue;
        }
        let (status, body) = server
            .call(
                &reviewing,
                reqwest::Method::PUT,
                &format!("/api/officials/opinions/{}/response", opinion["receipt"].as_str().unwrap()),
                Some(json!({"verdict": "not_adopted", "reason": "与上位法不符", "revision": opinion["revision"]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, _) = server
        .call(
            &publishing,
            reqwest::Method::PUT,
            &format!("/api/officials/consultations/{id}/statement"),
            Some(json!({"statement": "共收到意见10条，经研究，采纳0条。"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = server.call(&editing, reqwest::Method::POST, &publish, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an editor cannot publish");
    let (status, body) = server.call(&publishing, reqwest::Method::POST, &publish, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // The published JSON holds none of the personal data, and the screen finds nothing in it.
    let results = server
        .client
        .get(format!("{}/api/consultations/{id}/results", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (_, data) in PERSONAL {
        assert!(!results.contains(data), "{data} in {results}");
    }
    assert!(!results.contains("13900001111") && !results.contains("王小明"));
    let results: Value = serde_json::from_str(&results).unwrap();
    for opinion in results["opinions"].as_array().unwrap() {
        let text = opinion["text"].as_str().unwrap();
        assert!(detect(text).is_empty(), "{text}");
    }
    assert_eq!(results["total"], 10);
    assert_eq!(results["opinions"].as_array().unwrap().len(), 9);
    assert_eq!(results["opinions"][0]["redaction_reason"], "涉及个人信息");
    assert_eq!(results["opinions"][0]["name"], "王**");
    assert!(results["opinions"][0]["text"].as_str().unwrap().contains("＊＊＊"));
    assert_eq!(results["statement"], "共收到意见10条，经研究，采纳0条。");
    assert_eq!(results["withheld"][0]["sentence"], "1 条意见因与已提交的意见重复未予公开");

    // The author of the withheld opinion reads why.
    let lookup: Value = server
        .client
        .post(format!("{}/api/receipts", server.base))
        .json(&json!({"receipt": spam["receipt"], "secret": spam["secret"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lookup["state"], "未予公开");
    assert_eq!(lookup["withheld"], "与已提交的意见重复");

    // After publication nothing changes.
    let (status, _) = server
        .call(&reviewing, reqwest::Method::PUT, &moderation(&spam), Some(json!({"decision": "withhold", "reason": "abuse", "revision": 1})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The export token still exports (audited as the token's).
    let export = server
        .client
        .get(format!("{}/api/admin/consultations/{id}/opinions.csv", server.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);

    // A wrong password 50 times: slowed down, then locked; the right one stays refused.
    let victim = server.add("victim", &[Role::Reviewer]).await;
    let mut statuses = Vec::new();
    for _ in 0..50 {
        statuses.push(server.sign_in_raw(&victim, "wrong password!").await.status());
    }
    assert_eq!(statuses[..4], [StatusCode::UNAUTHORIZED; 4]);
    assert!(statuses[4..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let locked = server.sign_in_raw(&victim, PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.headers().contains_key("retry-after"));
    assert!(locked.text().await.unwrap().contains("锁定"));

    // One address trying many names is stopped as one account would be, and only it.
    let sprayer = |n: usize| {
        server
            .client
            .post(format!("{}/api/officials/session", server.base))
            .header("x-forwarded-for", "203.0.113.7")
            .json(&json!({"name": format!("guess{n}"), "password": "wrong password!"}))
            .send()
    };
    for n in 0..20 {
        assert_eq!(sprayer(n).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(sprayer(20).await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    let from_there = server
        .client
        .post(format!("{}/api/officials/session", server.base))
        .header("x-forwarded-for", "203.0.113.7")
        .json(&json!({"name": admin, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(from_there.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(from_there.headers().contains_key("retry-after"));

    // The admin unlocks it; accounts are made in the console too; sign-out ends the session.
    let administering = server.sign_in(&admin).await;
    let (status, _) = server
        .call(&administering, reqwest::Method::PUT, &format!("/api/officials/accounts/{victim}"), Some(json!({"unlock": true})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    server.sign_in(&victim).await;
    let newcomer = server.name("newcomer");
    let (status, body) = server
        .call(
            &administering,
            reqwest::Method::POST,
            "/api/officials/accounts",
            Some(json!({"name": newcomer, "password": "short", "roles": ["editor"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = server
        .call(
            &administering,
            reqwest::Method::POST,
            "/api/officials/accounts",
            Some(json!({"name": newcomer, "password": PASSWORD, "roles": ["editor"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = server.call(&editing, reqwest::Method::POST, "/api/officials/accounts", Some(json!({"name": "x", "password": PASSWORD, "roles": ["admin"]}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = server.call(&editing, reqwest::Method::DELETE, "/api/officials/session", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = server.call(&editing, reqwest::Method::GET, "/api/officials/session", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A session idle for longer than the timeout ends.
    let idle = server.sign_in(&reviewer).await;
    let pool = sqlx::AnyPool::connect(&server.url).await.unwrap();
    sqlx::query("UPDATE sessions SET last_seen = last_seen - 3600 WHERE official = $1")
        .bind(&reviewer)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let (status, body) = server.call(&idle, reqwest::Method::GET, "/api/officials/session", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("登录已超时"), "{body}");

    // Behind an HTTPS proxy the cookie is Secure.
    let secure = server
        .client
        .post(format!("{}/api/officials/session", server.base))
        .header("x-forwarded-proto", "https")
        .json(&json!({"name": admin, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(secure.headers()["set-cookie"].to_str().unwrap().contains("Secure"));

    // The audit log has every step, with no opinion text or contact in it.
    let (status, log) = server.call(&administering, reqwest::Method::GET, "/api/officials/audit", None).await;
    assert_eq!(status, StatusCode::OK);
    let mine: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["object"].as_str().unwrap().contains(&server.run) || row["actor"].as_str().unwrap().contains(&server.run))
        .collect();
    let has = |action: &str, object: &str| {
        mine.iter()
            .any(|row| row["action"] == action && row["object"].as_str().unwrap().contains(object))
    };
    for (action, object) in [
        ("account_create", admin.as_str()),
        ("sign_in", reviewer.as_str()),
        ("sign_in_failed", victim.as_str()),
        ("sign_in_locked", victim.as_str()),
        ("view_contacts", plain["receipt"].as_str().unwrap()),
        ("moderate", spam["receipt"].as_str().unwrap()),
        ("respond", plain["receipt"].as_str().unwrap()),
        ("statement", id.as_str()),
        ("publish", id.as_str()),
        ("export", id.as_str()),
        ("account_update", victim.as_str()),
        ("sign_out", editor.as_str()),
    ] {
        assert!(has(action, object), "{action} {object} missing from the audit log");
    }
    let raced_rows = mine
        .iter()
        .filter(|row| row["action"] == "moderate" && row["object"] == receipts[1]["receipt"])
        .count();
    assert_eq!(raced_rows, 2, "the race's one winner and the final decision");
    let text = serde_json::to_string(&mine).unwrap();
    assert!(!text.contains("13900001111") && !text.contains("停车") && !text.contains("13812345678"));
    assert!(mine.iter().all(|row| !row["address"].as_str().unwrap().is_empty()));
    let (status, csv) = server.call(&administering, reqwest::Method::GET, "/api/officials/audit.csv", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.as_str().unwrap().starts_with('\u{FEFF}'));
}

#[tokio::test]
async fn the_console_api_on_a_sqlite_file() {
    let dir = std::env::temp_dir().join(format!("disclosure-officials-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let server = Server::start(&url).await;
    the_console_api(&server).await;
    authoring(&server).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_console_api_on_postgresql() {
    let Ok(url) = std::env::var("DISCLOSURE_TEST_POSTGRES_URL") else {
        eprintln!("DISCLOSURE_TEST_POSTGRES_URL is not set; `cargo xtask test` starts PostgreSQL and sets it");
        return;
    };
    let server = Server::start(&url).await;
    the_console_api(&server).await;
    authoring(&server).await;
}

/// Consultations written in the console: a draft unseen by citizens, uploads checked by
/// content and size, opening by a publisher, and after it only an extension.
async fn authoring(server: &Server) {
    use reqwest::Method;
    let editor = server.sign_in(&server.name("editor")).await;
    let reviewer = server.sign_in(&server.name("reviewer")).await;
    let publisher = server.sign_in(&server.name("publisher")).await;
    let today = OffsetDateTime::now_utc().date();
    let id = format!("authored-{}", server.run);
    let mut form = json!({
        "id": id, "title": "宁乡市城区防汛应急管理办法（征求意见稿）", "department": "宁乡市水利局",
        "start": (today + Duration::days(1)).to_string(), "end": (today + Duration::days(15)).to_string(),
        "clauses": [{"number": 1, "title": "适用范围"}, {"number": 2, "title": "应急响应"}]
    });
    let (status, body) = server.call(&editor, Method::POST, "/api/officials/consultations", Some(form.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("须说明理由"));
    form["short_period_reason"] = json!("汛期将至，需尽快出台");
    let (status, _) = server.call(&reviewer, Method::POST, "/api/officials/consultations", Some(form.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = server.call(&editor, Method::POST, "/api/officials/consultations", Some(form.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["stage"].as_str(), body["status_word"].as_str()), (Some("draft"), Some("起草中")));
    let (status, _) = server.call(&editor, Method::POST, "/api/officials/consultations", Some(form.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT, "the id is taken");

    // Citizens do not see a draft.
    let public = format!("{}/api/consultations/{id}", server.base);
    assert_eq!(server.client.get(&public).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let list = server.client.get(format!("{}/api/consultations", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(!list.contains(&id));

    // It cannot open without a draft; uploads are checked by content and size.
    let open = format!("/api/officials/consultations/{id}/open");
    let (status, body) = server.call(&publisher, Method::POST, &open, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"].as_str().unwrap().contains("征求意见稿"), "{body}");
    let upload = |who: &Official, name: &str, bytes: Vec<u8>| {
        server
            .client
            .post(format!("{}/api/officials/consultations/{id}/files/draft", server.base))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .header("x-file-name", name)
            .body(bytes)
            .send()
    };
    let exe = upload(&editor, "draft.pdf", b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00".to_vec()).await.unwrap();
    assert_eq!(exe.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(exe.text().await.unwrap().contains("按文件内容检查"));
    if let Ok(huge) = upload(&editor, "big.pdf", vec![b'%'; 25 * 1024 * 1024]).await {
        assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    let by_reviewer = upload(&reviewer, "draft.pdf", b"%PDF-1.7\n".to_vec()).await.unwrap();
    assert_eq!(by_reviewer.status(), StatusCode::FORBIDDEN);
    let name = "%E9%98%B2%E6%B1%9B%E5%8A%9E%E6%B3%95.exe";
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    let uploaded = upload(&editor, name, pdf.clone()).await.unwrap();
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let uploaded: Value = uploaded.json().await.unwrap();
    assert_eq!(uploaded["files"][0]["file_name"], "防汛办法.pdf");
    let draft_url = uploaded["draft_url"].as_str().unwrap().to_string();
    assert_eq!(
        server.client.get(format!("{}{draft_url}", server.base)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "a draft's file is not public before it opens"
    );

    // Only a publisher opens it; then citizens see it, the reason, and the file.
    let (status, _) = server.call(&editor, Method::POST, &open, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = server.call(&publisher, Method::POST, &open, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let seen: Value = server.client.get(&public).send().await.unwrap().json().await.unwrap();
    assert_eq!(seen["short_period_reason"], "汛期将至，需尽快出台");
    assert_eq!(seen["period_days"], 15);
    let file = server.client.get(format!("{}{draft_url}", server.base)).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    let disposition = file.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''%E9%98%B2"), "{disposition}");
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);

    // After opening: the start stays, the end only grows (logged), clauses stay once
    // opinions arrived, and an edit from an old revision is refused.
    server
        .store
        .save_consultation(&{
            let mut c = server.store.consultation(&id).await.unwrap().unwrap();
            c.start = today;
            c
        })
        .await
        .unwrap();
    let (_, current) = server.call(&editor, Method::GET, &format!("/api/officials/consultations/{id}"), None).await;
    form["start"] = json!(today.to_string());
    let submitted = server.submit(&id, &format!("key-{}-authored", server.run), Some(1), "建议提前预警").await;
    assert!(submitted["receipt"].is_string());
    let edit = |changes: Value| {
        let mut body = form.clone();
        for (k, v) in changes.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let path = format!("/api/officials/consultations/{id}");
    let revision = current["revision"].as_i64().unwrap();
    let (status, body) = server
        .call(&editor, Method::PUT, &path, Some(edit(json!({"revision": revision, "clauses": [{"number": 1, "title": "适用范围"}]}))))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("条款不能再修改"), "{body}");
    let (status, body) = server
        .call(&editor, Method::PUT, &path, Some(edit(json!({"revision": revision, "end": (today + Duration::days(10)).to_string()}))))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"].as_str().unwrap().contains("只能延后"), "{body}");
    let later = (today + Duration::days(40)).to_string();
    let (status, body) = server
        .call(&editor, Method::PUT, &path, Some(edit(json!({"revision": revision, "end": later.clone()}))))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["draft_url"].as_str(), Some(draft_url.as_str()), "the upload stays");
    let (status, body) = server
        .call(&editor, Method::PUT, &path, Some(edit(json!({"revision": revision, "end": later, "title": "旧版本的修改"}))))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // The JSON import adds what is missing and overwrites nothing.
    let mut imported = server.store.consultation(&id).await.unwrap().unwrap();
    imported.title = "导入文件里的旧标题".into();
    assert!(!server.store.import_consultation(&imported).await.unwrap());
    assert_ne!(server.store.consultation(&id).await.unwrap().unwrap().title, "导入文件里的旧标题");

    // The year's catalogue of major decisions, linked to the consultation.
    let year = today.year();
    let entry = json!({"year": year, "title": "城区防汛应急管理办法", "department": "宁乡市水利局",
        "stage": "consulting", "consultation_id": id});
    let (status, _) = server.call(&editor, Method::POST, "/api/officials/catalogue", Some(entry.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut unknown = entry.clone();
    unknown["consultation_id"] = json!("no-such-consultation");
    let (status, _) = server.call(&publisher, Method::POST, "/api/officials/catalogue", Some(unknown)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, saved) = server.call(&publisher, Method::POST, "/api/officials/catalogue", Some(entry.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let entry_id = saved["id"].as_str().unwrap().to_string();
    let mut deliberating = entry.clone();
    deliberating["stage"] = json!("deliberating");
    deliberating["revision"] = json!(0);
    let path = format!("/api/officials/catalogue/{entry_id}");
    let (status, _) = server.call(&publisher, Method::PUT, &path, Some(deliberating.clone())).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.call(&publisher, Method::PUT, &path, Some(deliberating)).await;
    assert_eq!(status, StatusCode::CONFLICT, "an edit from an old revision");
    let catalogue: Value = server
        .client
        .get(format!("{}/api/catalogue/{year}", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = catalogue["entries"].as_array().unwrap().iter().find(|e| e["id"] == entry_id.as_str()).unwrap();
    assert_eq!((listed["stage_word"].as_str(), listed["consultation_id"].as_str()), (Some("审议中"), Some(id.as_str())));

    let admin = server.sign_in(&server.name("admin")).await;
    let (_, log) = server.call(&admin, Method::GET, "/api/officials/audit", None).await;
    for (action, object) in [
        ("consultation_create", id.as_str()),
        ("upload", id.as_str()),
        ("consultation_open", id.as_str()),
        ("period_extend", id.as_str()),
        ("catalogue_edit", entry_id.as_str()),
    ] {
        assert!(
            log.as_array().unwrap().iter().any(|row| row["action"] == action && row["object"] == object),
            "{action} missing"
        );
    }
}

/// `disclosure-server user add NAME --role ROLE` reads the password from standard input and
/// keeps only its argon2id hash; a short password or an unknown role is refused.
#[tokio::test]
async fn the_first_admin_is_made_on_the_command_line() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("disclosure-officials-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let add = |name: &str, role: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_disclosure-server"))
            .arg("--data")
            .arg(&dir)
            .args(["user", "add", name, "--role", role])
            .env_remove("DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A refused role is refused before the password is read: the server may have closed
        // its end already, and a broken pipe is then its answer, not the test's failure.
        let written = child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes());
        if let Err(error) = written {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        }
        let out = child.wait_with_output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (ok, said) = add("wang.admin", "admin", PASSWORD);
    assert!(ok, "{said}");
    let (ok, said) = add("li.short", "reviewer", "short");
    assert!(!ok && said.contains("密码至少10个字符"), "{said}");
    let (ok, said) = add("zhao", "boss", PASSWORD);
    assert!(!ok && said.contains("boss"), "{said}");
    let (ok, said) = add("wang.admin", "admin", PASSWORD);
    assert!(!ok && said.contains("已存在"), "{said}");
    let url = format!("sqlite://{}?mode=rwc", dir.join("opinions.db").display());
    let store = Store::open(&url).await.unwrap();
    let account = store.account("wang.admin").await.unwrap().unwrap();
    assert!(account.password_hash.starts_with("$argon2id$"), "{}", account.password_hash);
    assert_eq!(account.roles, "admin");
    let file = std::fs::read(dir.join("opinions.db")).unwrap();
    let needle = PASSWORD.as_bytes();
    assert!(!file.windows(needle.len()).any(|w| w == needle), "the password is in the file");
    let _ = std::fs::remove_dir_all(&dir);
}
