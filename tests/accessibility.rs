//! axe-core (WCAG 2.0/2.1 A and AA rules) on the embedded widgets in every state a citizen
//! meets: empty, with results, failed to load, a form with errors, a receipt. Also the
//! keyboard alone: every control is reached by Tab, in order, with a visible focus. And the
//! screenshots of each widget that `embed/README.md` shows ([`screenshot`]).

use disclosure_core::consultation::{Clause, Consultation};
use disclosure_e2e::{click, dist, in_shadow, submit_form, type_into, until, Session};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use time::OffsetDateTime;

/// The rule source: `AXE_CORE_JS`, which `cargo xtask test` sets after installing it.
fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/tools/node_modules/axe-core/axe.min.js"
        )
        .into()
    });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (cargo xtask test installs axe-core)"))
}

/// Runs axe on the whole page, shadow roots included; panics listing every violation.
async fn no_violations(client: &Client, state: &str) {
    let result = violations(client).await;
    assert_eq!(
        result,
        json!([]),
        "axe violations in state “{state}”: {result:#}"
    );
}

/// axe's WCAG 2.0/2.1 A and AA violations on the page, as JSON.
async fn violations(client: &Client) -> Value {
    client
        .execute(&format!("{};return true;", axe_source()), vec![])
        .await
        .unwrap();
    client
        .execute_async(
            "const done = arguments[0];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                                 resultTypes: ['violations'] })
                .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help,
                    nodes: v.nodes.map(n => JSON.stringify(n.target) + ' ' + n.failureSummary) }))))
                .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));",
            vec![],
        )
        .await
        .unwrap()
}

fn open_consultation() -> Consultation {
    let today = OffsetDateTime::now_utc().date();
    Consultation {
        id: "a11y-parking".into(),
        title: "宁乡市城区机动车停放服务收费管理办法（征求意见稿）".into(),
        department: "宁乡市发展和改革局".into(),
        start: today - time::Duration::days(5),
        end: today + time::Duration::days(25),
        draft_url: "../drafts/2026-parking.html".into(),
        explanation_url: Some("../drafts/2026-parking-explanation.html".into()),
        clauses: vec![Clause {
            number: 1,
            title: "适用范围".into(),
        }],
        results_published: None,
        summary: String::new(),
    }
}

/// The plain example page with an open consultation, every widget loaded and empty.
async fn plain_page_loaded() -> Session {
    let session = Session::start(&dist()).await;
    session
        .site
        .store
        .save_consultation(&open_consultation())
        .await
        .unwrap();
    let client = &session.client;
    client.set_window_size(1100, 900).await.unwrap();
    client
        .goto(&session.site.url("/examples/plain.html"))
        .await
        .unwrap();
    until(client, "search box", "return root('nx-policy-search') && root('nx-policy-search').querySelector('#nx-search-input');").await;
    until(client, "fee list", "const s = root('nx-fee-list') && root('nx-fee-list').querySelector('.nx-fees__status'); return s && s.textContent.startsWith('共');").await;
    until(client, "consultations", "return root('nx-consultation') && root('nx-consultation').querySelector('.nx-consult__item');").await;
    session
}

/// Saves a screenshot of one widget: into `target/screenshots/`, or, with
/// `UPDATE_SCREENSHOTS=1`, over the integration guide's own copies in `embed/screenshots/`.
/// Why not always the guide's: a machine without a CJK font (a fresh Debian has none) draws
/// every Chinese character as a box, and a plain test run would leave those pictures as
/// changes in the checkout.
async fn screenshot(client: &Client, tag: &str, name: &str) {
    let element = client.find(Locator::Css(tag)).await.unwrap();
    let png = element.screenshot().await.unwrap();
    let folder = match std::env::var_os("UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
        true => concat!(env!("CARGO_MANIFEST_DIR"), "/../embed/screenshots"),
        false => concat!(env!("CARGO_MANIFEST_DIR"), "/../target/screenshots"),
    };
    std::fs::create_dir_all(folder).unwrap();
    std::fs::write(format!("{folder}/{name}.png"), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_widget_state_passes_axe_at_wcag_2_1_aa() {
    let session = plain_page_loaded().await;
    let client = &session.client;
    // axe looks inside shadow roots: an unlabelled field in one is found.
    client
        .execute(
            "const probe = document.createElement('div'); probe.id = 'axe-probe';
             probe.attachShadow({ mode: 'open' }).append(document.createElement('input'));
             document.body.append(probe);",
            vec![],
        )
        .await
        .unwrap();
    let seen = violations(client).await.to_string();
    assert!(
        seen.contains("\"label\""),
        "axe did not see into a shadow root: {seen}"
    );
    client
        .execute("document.getElementById('axe-probe').remove();", vec![])
        .await
        .unwrap();
    no_violations(client, "empty").await;

    // Results everywhere.
    type_into(client, "nx-policy-search", "#nx-search-input", "收费清单").await;
    submit_form(client, "nx-policy-search").await;
    until(client, "search results", "const s = root('nx-policy-search').querySelector('.nx-search__status'); return s.textContent.startsWith('找到');").await;
    type_into(
        client,
        "nx-validity-lookup",
        "#nx-validity-input",
        "宁住建发[2020]05号",
    )
    .await;
    until(
        client,
        "validity answer",
        "return root('nx-validity-lookup').querySelector('.nx-validity__title');",
    )
    .await;
    type_into(client, "nx-fee-list", "#nx-fees-filter", "道路").await;
    until(
        client,
        "fee filter",
        "return root('nx-fee-list').querySelector('.nx-fees__warning');",
    )
    .await;
    no_violations(client, "results").await;
    // Answer cards above the results (issue 14): a number and a fee.
    for (query, card) in [("宁住建发2020年5号", "number"), ("身份证工本费", "fee")] {
        type_into(client, "nx-policy-search", "#nx-search-input", query).await;
        submit_form(client, "nx-policy-search").await;
        until(
            client,
            "an answer card",
            &format!("return root('nx-policy-search').querySelector('.nx-answer--{card}');"),
        )
        .await;
        no_violations(client, &format!("the {card} card")).await;
    }
    screenshot(client, "nx-policy-search", "policy-search").await;
    screenshot(client, "nx-validity-lookup", "validity-lookup").await;
    screenshot(client, "nx-fee-list", "fee-list").await;

    // Form errors, then a receipt.
    in_shadow(
        client,
        "root('nx-consultation').querySelector('.nx-consult__item-title a').click();",
        vec![],
    )
    .await;
    until(
        client,
        "the form",
        "return root('nx-consultation').querySelector('#nx-opinion-text');",
    )
    .await;
    submit_form(client, "nx-consultation").await;
    until(
        client,
        "form errors",
        "return root('nx-consultation').querySelector('.nx-consult__summary');",
    )
    .await;
    type_into(client, "nx-consultation", "#nx-opinion-phone", "138abc").await;
    no_violations(client, "form errors").await;
    screenshot(client, "nx-consultation", "consultation-form-errors").await;
    type_into(client, "nx-consultation", "#nx-opinion-phone", "").await;
    type_into(
        client,
        "nx-consultation",
        "#nx-opinion-text",
        "建议夜间停车免费。",
    )
    .await;
    submit_form(client, "nx-consultation").await;
    until(
        client,
        "receipt",
        "return root('nx-consultation').querySelector('.nx-consult__receipt-number');",
    )
    .await;
    no_violations(client, "receipt").await;
    screenshot(client, "nx-consultation", "consultation-receipt").await;

    // Failed to load: widgets pointed at missing data and a missing API.
    client
        .execute(
            "for (const [tag, attribute] of [['nx-fee-list', 'data-index'], ['nx-validity-lookup', 'data-index'], ['nx-consultation', 'data-api']]) {
               const broken = document.createElement(tag);
               broken.setAttribute(attribute, '/missing/');
               document.querySelector('main').append(broken);
             }",
            vec![],
        )
        .await
        .unwrap();
    until(client, "errors shown", "return [...document.querySelectorAll('nx-fee-list, nx-validity-lookup, nx-consultation')].slice(-3).every(h => h.shadowRoot && h.shadowRoot.querySelector('[role=alert]'));").await;
    no_violations(client, "error").await;
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_alone_reaches_every_control_with_a_visible_focus() {
    let session = plain_page_loaded().await;
    let client = &session.client;
    // Tab through the page; record each focused control inside a widget and its outline.
    let mut visited: Vec<String> = Vec::new();
    client
        .execute("document.body.focus();", vec![])
        .await
        .unwrap();
    while !visited.iter().any(|v| v.starts_with("nx-consultation")) {
        assert!(
            visited.len() < 300,
            "Tab never reached the consultation widget: {visited:?}"
        );
        client
            .active_element()
            .await
            .unwrap()
            .send_keys(&Key::Tab.to_string())
            .await
            .unwrap();
        let focused = client
            .execute(
                "let e = document.activeElement; const host = e && e.shadowRoot ? e.tagName.toLowerCase() : '';
                 while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
                 if (!host) return [];
                 const style = getComputedStyle(e);
                 return [host, e.id || e.className || e.tagName, style.outlineStyle, parseFloat(style.outlineWidth)];",
                vec![],
            )
            .await
            .unwrap();
        visited.push(String::new());
        if let Some([host, name, outline, width]) = focused
            .as_array()
            .map(|a| a.as_slice())
            .and_then(|a| <&[Value; 4]>::try_from(a).ok())
        {
            assert!(
                outline != "none" && width.as_f64().unwrap_or(0.0) >= 2.0,
                "no visible focus on {host} {name}: {outline} {width}"
            );
            *visited.last_mut().unwrap() =
                format!("{} {}", host.as_str().unwrap(), name.as_str().unwrap_or(""));
        }
    }
    // Enter on the consultation's link opens it, with its form.
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    until(
        client,
        "the form opened by Enter",
        "return root('nx-consultation').querySelector('#nx-opinion-text');",
    )
    .await;
    // The order follows the page: search first, then the validity lookup, then the fee list.
    let first = |tag: &str| visited.iter().position(|v| v.starts_with(tag));
    let order = [
        first("nx-policy-search"),
        first("nx-validity-lookup"),
        first("nx-fee-list"),
        first("nx-consultation"),
    ];
    assert!(order.iter().all(Option::is_some), "{visited:?}");
    assert!(
        order.windows(2).all(|pair| pair[0] < pair[1]),
        "{visited:?}"
    );
    assert!(
        visited.iter().any(|v| v.contains("nx-fees-filter")),
        "{visited:?}"
    );
    client.clone().close().await.unwrap();
}

/// Waits for the element `locator` and returns its text.
async fn text_of(client: &Client, locator: Locator<'_>) -> String {
    client
        .wait()
        .for_element(locator)
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The plain pages (no JavaScript): the library of normative documents and the fee lists
/// built with the data, and the consultations with their form, rendered by the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_pages_pass_axe() {
    let session = Session::start(&dist()).await;
    let client = &session.client;
    client
        .goto(&session.site.url("/data/library.html"))
        .await
        .unwrap();
    assert_eq!(text_of(client, Locator::Css("h1")).await, "行政规范性文件库");
    no_violations(client, "the library's plain page").await;
    client
        .goto(&session.site.url("/data/fees.html"))
        .await
        .unwrap();
    assert_eq!(text_of(client, Locator::Css("h1")).await, "宁乡市收费目录清单");
    no_violations(client, "the fee lists' plain page").await;

    // The consultations, rendered by the server: the list, one with its form, the form
    // refused beside a field, then sent as a plain form post to its receipt page.
    session
        .site
        .store
        .save_consultation(&open_consultation())
        .await
        .unwrap();
    client
        .goto(&session.site.url("/consultations/"))
        .await
        .unwrap();
    no_violations(client, "the consultations' plain list").await;
    client
        .goto(&session.site.url("/consultations/a11y-parking"))
        .await
        .unwrap();
    no_violations(client, "a consultation's plain page with its form").await;
    // Only spaces: the browser's own check lets it through, the server's does not.
    let send = |text: &'static str| async move {
        client
            .find(Locator::Css("#text"))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
        click(client, "form button[type=submit]").await;
    };
    send("   ").await;
    let error = text_of(client, Locator::Css("#text-error")).await;
    assert!(error.contains("请填写意见内容"), "{error}");
    no_violations(client, "the plain form with an error").await;
    send("建议增设夜间公共停车位").await;
    let heading = text_of(client, Locator::XPath("//h1[text()='意见已收到']")).await;
    assert_eq!(heading, "意见已收到");
    no_violations(client, "the plain receipt page").await;
    assert_eq!(
        session.site.store.opinions_of("a11y-parking").await.unwrap().len(),
        1
    );
    client.clone().close().await.unwrap();
}
