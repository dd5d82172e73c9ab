//! The consultation form in the demo portal, in headless Chromium, against the opinion API
//! on a real SQLite file: an opinion and its receipt, a draft that survives a reload, an
//! opinion sent while the server is down that arrives exactly once when it is back, and
//! the published results of an answered consultation.

use std::time::Duration;

use disclosure_core::consultation::{Clause, Consultation, Moderation};
use disclosure_e2e::proxies::ReverseProxy;
use disclosure_e2e::{click, dist, texts, Session, Site};
use disclosure_server::officials::db::{Action, AuditEntry};
use disclosure_server::opinions::store::{NewOpinion, Stored};
use fantoccini::{Client, Locator};
use time::OffsetDateTime;

fn consultation(id: &str, from: i64, to: i64) -> Consultation {
    let today = OffsetDateTime::now_utc().date();
    Consultation {
        id: id.into(),
        title: "宁乡市城区机动车停放服务收费管理办法（征求意见稿）".into(),
        department: "宁乡市发展和改革局".into(),
        start: today + time::Duration::days(from),
        end: today + time::Duration::days(to),
        draft_url: "drafts/2026-parking.html".into(),
        explanation_url: None,
        clauses: vec![Clause {
            number: 3,
            title: "收费标准".into(),
        }],
        results_published: None,
        summary: String::new(),
    }
}

/// Waits for an element and returns its text.
async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opinion_is_never_lost_and_arrives_once() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    site.store
        .save_consultation(&consultation("parking", -5, 25))
        .await
        .unwrap();

    // Typing, then a reload: the draft is still there.
    let text = session
        .open("/consultation.html?zq=parking", "#nx-opinion-text")
        .await;
    text.send_keys("建议夜间停车免费").await.unwrap();
    client.refresh().await.unwrap();
    let restored = client
        .wait()
        .for_element(Locator::Css("#nx-opinion-text"))
        .await
        .unwrap();
    let mut value = String::new();
    for _ in 0..50 {
        value = restored.prop("value").await.unwrap().unwrap_or_default();
        if !value.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(value, "建议夜间停车免费");

    // An empty submission is refused beside the field, without a request.
    restored.clear().await.unwrap();
    restored.send_keys(" ").await.unwrap();
    click(client, ".nx-consult__form button[type=submit]").await;
    assert!(text_of(client, "#nx-opinion-text-error")
        .await
        .contains("请填写意见内容"));

    // Submitted: a receipt.
    restored.send_keys("建议夜间停车免费").await.unwrap();
    client
        .find(Locator::Css("#nx-opinion-phone"))
        .await
        .unwrap()
        .send_keys("13800001234")
        .await
        .unwrap();
    click(client, ".nx-consult__form button[type=submit]").await;
    let receipt = text_of(client, ".nx-consult__receipt-number").await;
    assert!(receipt.starts_with("YJ"), "{receipt}");
    assert_eq!(site.store.opinions_of("parking").await.unwrap().len(), 1);

    // The server goes down; the opinion waits in the browser and arrives once it is back.
    client.refresh().await.unwrap();
    let text = client
        .wait()
        .for_element(Locator::Css("#nx-opinion-text"))
        .await
        .unwrap();
    text.send_keys("公示期应延长到60天").await.unwrap();
    site.stop().await;
    click(client, ".nx-consult__form button[type=submit]").await;
    let waiting = text_of(client, ".nx-consult__waiting").await;
    assert!(waiting.contains("已保存在本机"), "{waiting}");
    site.restart().await;
    let second = text_of(client, ".nx-consult__receipt-number").await;
    assert_ne!(second, receipt);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stored = site.store.opinions_of("parking").await.unwrap();
    let texts_stored: Vec<&str> = stored.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts_stored, ["建议夜间停车免费", "公示期应延长到60天"]);

    // An answered consultation shows its results, the name masked.
    let mut answered = consultation("greenway", -60, -30);
    site.store.save_consultation(&answered).await.unwrap();
    let stored = site
        .store
        .submit(NewOpinion {
            day: time::macros::date!(2026 - 10 - 01),
            idempotency_key: "e2e-greenway-1".into(),
            content_hash: "h".into(),
            secret_hash: "s".into(),
            consultation_id: "greenway".into(),
            clause: Some(3),
            text: "<b>增加</b>夜间照明".into(),
            name: Some("欧阳娜娜".into()),
            contact: None,
            received_at: "2026-10-01T00:00:00Z".into(),
        })
        .await
        .unwrap();
    // Only opinions a reviewer let through are published (issue 16).
    let Stored::Created { receipt, .. } = stored else {
        panic!("a new opinion: {stored:?}");
    };
    let review = AuditEntry {
        actor: "e2e",
        action: Action::Moderate,
        object: &receipt,
        address: "127.0.0.1",
        detail: "",
    };
    let publish = Moderation::Publish { redactions: Vec::new() };
    site.store
        .moderate(&receipt, 0, &publish, "e2e", &review)
        .await
        .unwrap()
        .unwrap();
    answered.results_published = Some(OffsetDateTime::now_utc().date());
    site.store.save_consultation(&answered).await.unwrap();
    session
        .open("/consultation.html?zq=greenway", ".nx-consult__results")
        .await;
    let opinion = texts(client, ".nx-consult__opinion").await.concat();
    assert!(
        opinion.contains("欧阳**") && !opinion.contains("娜娜"),
        "{opinion}"
    );
    assert!(opinion.contains("<b>增加</b>夜间照明"), "{opinion}");
    client.clone().close().await.unwrap();
}

/// Behind Debian's nginx and Caddy with the configurations of `deploy/`, the server
/// trusting 127.0.0.1 as its proxy: each citizen (a loopback address of their own) has
/// their own limit instead of sharing the proxy's, the portal's own page may post though
/// the proxy rewrites Host, a foreign page may not, and a browser sends an opinion through
/// nginx and gets its receipt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opinions_post_through_nginx_and_caddy() {
    let session = Session::on(Site::start_behind_proxy(&dist(), 3).await).await;
    let (site, client) = (&session.site, &session.client);
    site.store
        .save_consultation(&consultation("proxied", -5, 25))
        .await
        .unwrap();
    let path = "/api/consultations/proxied/opinions";
    let opinion = r#"{"text":"建议在玉潭街道增设公共停车位"}"#;
    for (n, proxy) in [
        ReverseProxy::nginx(site.address).await,
        ReverseProxy::caddy(site.address).await,
    ]
    .into_iter()
    .enumerate()
    {
        let citizen = |k: u8| std::net::IpAddr::from([127, 0, (n + 1) as u8, k]);
        let key = |k: &str| format!("{}-{k}-0000000", proxy.name);
        let mut statuses = Vec::new();
        for k in 0..4 {
            let key = key(&format!("first{k}"));
            statuses.push(proxy.post_from(citizen(2), path, &[("Idempotency-Key", &key)], opinion).await);
        }
        assert_eq!(statuses, [201, 201, 201, 429], "{}: one citizen's limit", proxy.name);
        let key2 = key("second");
        let status = proxy.post_from(citizen(3), path, &[("Idempotency-Key", &key2)], opinion).await;
        assert_eq!(status, 201, "{}: another citizen behind the same proxy", proxy.name);
        // The portal's own page (its origin is the proxy's address), without the
        // browser's Sec-Fetch-Site: the forwarded host decides.
        let own = format!("http://{}", proxy.address);
        let key3 = key("own-page");
        let status = proxy
            .post_from(citizen(4), path, &[("Idempotency-Key", &key3), ("Origin", &own)], opinion)
            .await;
        assert_eq!(status, 201, "{}: the portal's own page", proxy.name);
        let key4 = key("foreign");
        let status = proxy
            .post_from(citizen(5), path, &[("Idempotency-Key", &key4), ("Origin", "https://evil.example")], opinion)
            .await;
        assert_eq!(status, 403, "{}: a foreign page", proxy.name);
        // A forged X-Forwarded-For from a citizen does not get them a fresh limit.
        let mut forged = Vec::new();
        for k in 0..4 {
            let key = key(&format!("forged{k}"));
            let spoof = format!("203.0.113.{k}");
            forged.push(
                proxy
                    .post_from(citizen(6), path, &[("Idempotency-Key", &key), ("X-Forwarded-For", &spoof)], opinion)
                    .await,
            );
        }
        assert_eq!(forged, [201, 201, 201, 429], "{}: forged addresses", proxy.name);

        if proxy.name == "nginx" {
            // A citizen's browser on the portal through nginx.
            client
                .goto(&proxy.url("/consultation.html?zq=proxied"))
                .await
                .unwrap();
            let text = client
                .wait()
                .at_most(Duration::from_secs(40))
                .for_element(Locator::Css("#nx-opinion-text"))
                .await
                .unwrap();
            text.send_keys("经由门户网站代理提交的意见").await.unwrap();
            click(client, ".nx-consult__form button[type=submit]").await;
            let receipt = text_of(client, ".nx-consult__receipt-number").await;
            assert!(receipt.starts_with("YJ"), "{receipt}");
        }
    }
    let stored = site.store.opinions_of("proxied").await.unwrap();
    assert!(stored.iter().any(|o| o.text == "经由门户网站代理提交的意见"));
}
