//! The officials' console (`/admin/`, issue 16) end to end in headless Chromium: an editor
//! and publisher drafts a consultation, uploads its draft and opens it; citizens send
//! opinions with a phone number and an ID number in the text; a reviewer redacts one,
//! withholds the other and responds; the publisher publishes. The published results hold
//! no phone or ID, the audit log has each step, axe finds nothing on any screen, and the
//! sign-in works from the keyboard alone. And the citizen's side: the kept receipt, the
//! lookup by receipt, the copy button without a clipboard.

use std::time::Duration;

use disclosure_core::consultation::Consultation;
use disclosure_e2e::{dist, Session};
use disclosure_server::officials::add_account_from_cli;
use disclosure_server::officials::auth::Role;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use time::{OffsetDateTime, UtcOffset};

const PASSWORD: &str = "a long enough password";
const PHONE: &str = "13812345678";
const ID_NUMBER: &str = "430124199001011236";

/// axe-core's WCAG 2.0/2.1 A and AA violations on the page (none expected).
async fn no_violations(client: &Client, screen: &str) {
    let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../target/tools/node_modules/axe-core/axe.min.js").into()
    });
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (cargo xtask test installs axe-core)"));
    client.execute(&format!("{source};return true;"), vec![]).await.unwrap();
    let violations = client
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
        .unwrap();
    assert_eq!(violations, json!([]), "axe violations on “{screen}”: {violations:#}");
}

/// Every control of the page is reached by Tab alone, in document order, and shows a focus
/// outline: the console is usable from the keyboard.
async fn keyboard_reaches_everything(client: &Client, screen: &str) {
    let controls: Vec<Value> = client
        .execute(
            "window.__nxSeen = [];
             document.addEventListener('focusin', e => window.__nxSeen.push(e.target), { capture: true });
             const all = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled])')]
                 .filter(e => e.offsetParent !== null || e === document.activeElement);
             window.__nxAll = all;
             all[0].focus();
             return all.map(e => e.id || e.textContent.trim());",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default();
    // Date fields take a Tab stop for each of their parts.
    let mut tabs = KeyActions::new("keyboard".to_string());
    for _ in 0..controls.len() * 3 {
        tabs = tabs
            .then(KeyAction::Down { value: Key::Tab.into() })
            .then(KeyAction::Up { value: Key::Tab.into() });
    }
    client.perform_actions(tabs).await.unwrap();
    let missed: Value = client
        .execute(
            "const seen = new Set(window.__nxSeen);
             const outlined = window.__nxSeen.every(e => { e.focus(); return getComputedStyle(e).outlineStyle !== 'none'; });
             return { missed: window.__nxAll.filter(e => !seen.has(e)).map(e => e.id || e.textContent.trim()), outlined };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(missed["missed"], json!([]), "not reached by Tab on “{screen}” (of {controls:?})");
    assert_eq!(missed["outlined"], json!(true), "a control without a visible focus on “{screen}”");
}

/// Waits until the page's text contains `text`.
async fn until_text(client: &Client, text: &str) {
    for _ in 0..300 {
        let body: String = client
            .execute("return document.body.innerText;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if body.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let body = client.execute("return document.body.innerText;", vec![]).await.unwrap();
    panic!("“{text}” did not appear: {body}");
}

/// Sets a field's value as typing would (the console reads values when a form is sent).
async fn fill(client: &Client, css: &str, value: &str) {
    client
        .execute(
            "const [css, value] = arguments; const field = document.querySelector(css);
             field.focus(); field.value = value;
             field.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap();
}

/// Clicks the button labelled `text` inside `scope`, waiting up to 15 s for it to appear
/// (a list the console fetches after signing in comes a moment later).
async fn click_text(client: &Client, scope: &str, text: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::XPath(&format!("{scope}//button[normalize-space()='{text}']")))
        .await
        .unwrap_or_else(|e| panic!("no button “{text}” in {scope}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn sign_in(client: &Client, base: &str, name: &str) {
    client.goto(&format!("{base}/admin/")).await.unwrap();
    client.wait().for_element(Locator::Css("#sign-in-name")).await.unwrap();
    fill(client, "#sign-in-name", name).await;
    fill(client, "#sign-in-password", PASSWORD).await;
    click_text(client, "//form", "登录").await;
    until_text(client, "退出登录").await;
}

async fn sign_out(client: &Client) {
    click_text(client, "//nav", "退出登录").await;
    until_text(client, "已退出登录").await;
}

/// A fetch from the page (same origin), answered as JSON text.
async fn fetch(client: &Client, method: &str, path: &str, body: Option<Value>, key: &str) -> (u64, String) {
    let answer = client
        .execute_async(
            "const [method, path, body, key, done] = arguments;
             const init = { method, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key } };
             if (body !== null) init.body = JSON.stringify(body);
             fetch(path, init).then(async r => done([r.status, await r.text()])).catch(e => done([0, String(e)]));",
            vec![json!(method), json!(path), body.unwrap_or(Value::Null), json!(key)],
        )
        .await
        .unwrap();
    (answer[0].as_u64().unwrap_or(0), answer[1].as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_run_a_consultation_and_publish_results_without_personal_data() {
    let dist = dist();
    assert!(
        dist.join("admin/index.html").is_file(),
        "{} holds no console: run `cargo xtask test`, which builds it",
        dist.display()
    );
    let session = Session::start(&dist).await;
    let (site, client) = (&session.site, &session.client);
    let base = site.url("").trim_end_matches('/').to_string();
    for (name, roles) in [
        ("wang.fb", vec![Role::Editor, Role::Publisher]),
        ("li.sh", vec![Role::Reviewer]),
        ("zhao.gl", vec![Role::Admin]),
    ] {
        add_account_from_cli(&site.store, name, &roles, PASSWORD.to_string()).await.unwrap();
    }

    // The sign-in page: accessible, and usable by keyboard alone.
    client.goto(&format!("{base}/admin/")).await.unwrap();
    let name = client.wait().for_element(Locator::Css("#sign-in-name")).await.unwrap();
    no_violations(client, "sign-in").await;
    name.send_keys("wang.fb").await.unwrap();
    let active = |client: &Client| {
        let client = client.clone();
        async move {
            client
                .execute("return document.activeElement.id || document.activeElement.textContent;", vec![])
                .await
                .unwrap()
        }
    };
    name.send_keys(&Key::Tab.to_string()).await.unwrap();
    assert_eq!(active(client).await, json!("sign-in-password"));
    client
        .find(Locator::Css("#sign-in-password"))
        .await
        .unwrap()
        .send_keys(&format!("{PASSWORD}{}", Key::Enter))
        .await
        .unwrap();
    until_text(client, "退出登录").await;
    no_violations(client, "consultation list").await;

    // A new consultation, its draft uploaded (checked by content), opened.
    let today = OffsetDateTime::now_utc()
        .to_offset(UtcOffset::from_hms(8, 0, 0).unwrap())
        .date();
    click_text(client, "//main", "新建意见征集").await;
    client.wait().for_element(Locator::Css("#c-id")).await.unwrap();
    no_violations(client, "new consultation").await;
    keyboard_reaches_everything(client, "new consultation").await;
    fill(client, "#c-id", "e2e-flood").await;
    fill(client, "#c-title", "宁乡市城区防汛应急管理办法（征求意见稿）").await;
    fill(client, "#c-department", "宁乡市水利局").await;
    fill(client, "#c-start", &today.to_string()).await;
    fill(client, "#c-end", &(today + time::Duration::days(29)).to_string()).await;
    fill(client, "#c-clauses", "适用范围\n应急响应").await;
    click_text(client, "//form", "保存").await;
    until_text(client, "可以上传征求意见稿了").await;
    let pdf = std::env::temp_dir().join(format!("e2e-draft-{}.pdf", std::process::id()));
    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n").unwrap();
    client
        .wait()
        .for_element(Locator::Css("#upload-file"))
        .await
        .unwrap()
        .send_keys(&pdf.display().to_string())
        .await
        .unwrap();
    click_text(client, "//section", "上传").await;
    until_text(client, "文件已上传").await;
    until_text(client, "e2e-draft").await;
    no_violations(client, "consultation with its draft").await;
    click_text(client, "//section", "开始征集（向公众公开）").await;
    until_text(client, "意见征集已开始").await;
    let _ = std::fs::remove_file(&pdf);

    // Citizens send opinions with a phone number and an ID number in the text.
    let mut receipts = Vec::new();
    for (n, text) in [
        format!("建议汛期加强巡查，有问题请打我电话{PHONE}。"),
        format!("我的身份证号{ID_NUMBER}，要求赔偿。"),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, body) = fetch(
            client,
            "POST",
            "/api/consultations/e2e-flood/opinions",
            Some(json!({"clause": 2, "text": text, "phone": "13900001111"})),
            &format!("e2e-console-{n:04}"),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        receipts.push(body["receipt"].as_str().unwrap().to_string());
    }
    sign_out(client).await;

    // The period ends; the reviewer redacts one, withholds the other and responds.
    let mut closed = site.store.consultation("e2e-flood").await.unwrap().unwrap();
    closed.start = today - time::Duration::days(30);
    closed.end = today - time::Duration::days(1);
    site.store.save_consultation(&closed).await.unwrap();
    sign_in(client, &base, "li.sh").await;
    click_text(client, "//main", "审核意见").await;
    until_text(client, "逐条审核").await;
    until_text(client, "（手机号码）").await;
    until_text(client, "（身份证号码）").await;
    no_violations(client, "review").await;
    keyboard_reaches_everything(client, "review").await;
    let card = |receipt: &str| format!("//article[@aria-labelledby='h-{receipt}']");
    click_text(client, &card(&receipts[0]), "查看联系方式（记入审计日志）").await;
    until_text(client, "电话 13900001111").await;
    click_text(client, &card(&receipts[0]), "审核通过，公开").await;
    until_text(client, "的审核结果").await;
    until_text(client, "公开，隐去1处").await;
    client
        .execute(
            "document.getElementById(arguments[0]).value = 'abuse';",
            vec![json!(format!("reason-{}", receipts[1]))],
        )
        .await
        .unwrap();
    click_text(client, &card(&receipts[1]), "不予公开").await;
    until_text(client, "不予公开：含有辱骂或人身攻击内容").await;
    client
        .execute(
            "document.getElementById(arguments[0]).value = 'partly_adopted';",
            vec![json!(format!("verdict-{}", receipts[0]))],
        )
        .await
        .unwrap();
    fill(client, &format!("#answer-{}", receipts[0]), "已增加汛期巡查的规定，联系方式不予公开。").await;
    click_text(client, &card(&receipts[0]), "保存答复").await;
    until_text(client, "答复：部分采纳").await;
    fill(client, "#statement", "共收到意见2条，部分采纳1条，1条因含有人身攻击内容未予公开。").await;
    click_text(client, "//main", "保存说明").await;
    until_text(client, "已保存意见采纳情况说明").await;
    // A reviewer cannot publish: the button is not even there.
    assert!(client
        .find(Locator::XPath("//button[normalize-space()='公布征集结果']"))
        .await
        .is_err());
    sign_out(client).await;

    // The publisher publishes.
    sign_in(client, &base, "wang.fb").await;
    click_text(client, "//main", "审核意见").await;
    until_text(client, "逐条审核").await;
    click_text(client, "//main", "公布征集结果").await;
    until_text(client, "征集结果已公布").await;

    // The year's catalogue of major decisions: the publisher lists the decision, linked to
    // its consultation, and moves it on a stage.
    click_text(client, "//nav", "重大决策事项目录").await;
    client.wait().for_element(Locator::Css("#d-title")).await.unwrap();
    fill(client, "#d-title", "城区防汛应急管理办法").await;
    fill(client, "#d-department", "宁乡市水利局").await;
    fill(client, "#d-consultation", "e2e-flood").await;
    click_text(client, "//form", "加入目录").await;
    until_text(client, "已加入目录").await;
    until_text(client, "城区防汛应急管理办法").await;
    no_violations(client, "catalogue").await;
    let select = client.find(Locator::Css("select[id^='stage-']")).await.unwrap();
    let select_id = select.attr("id").await.unwrap().unwrap();
    client
        .execute("document.getElementById(arguments[0]).value = 'deliberating';", vec![json!(select_id)])
        .await
        .unwrap();
    click_text(client, "//tbody", "更新").await;
    until_text(client, "已更新目录事项").await;
    let (status, catalogue) = fetch(client, "GET", &format!("/api/catalogue/{}", today.year()), None, "x").await;
    assert_eq!(status, 200, "{catalogue}");
    let catalogue: Value = serde_json::from_str(&catalogue).unwrap();
    assert_eq!(catalogue["entries"][0]["stage_word"], "审议中");
    assert_eq!(catalogue["entries"][0]["consultation_id"], "e2e-flood");

    // The published JSON and page hold neither the phone nor the ID number.
    let (status, results) = fetch(client, "GET", "/api/consultations/e2e-flood/results", None, "x").await;
    assert_eq!(status, 200, "{results}");
    assert!(!results.contains(PHONE) && !results.contains(ID_NUMBER), "{results}");
    let results: Value = serde_json::from_str(&results).unwrap();
    assert_eq!(results["total"], 2);
    assert!(results["opinions"][0]["text"].as_str().unwrap().contains("＊＊＊"));
    assert_eq!(results["withheld"][0]["sentence"], "1 条意见因含有辱骂或人身攻击内容未予公开");
    client
        .goto(&format!("{base}/consultation.html?zq=e2e-flood"))
        .await
        .unwrap();
    until_text(client, "＊＊＊").await;
    let page: String = client
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(!page.contains(PHONE) && !page.contains(ID_NUMBER) && !page.contains("13900001111"), "{page}");

    // The admin's audit log has each step.
    client.goto(&format!("{base}/admin/")).await.unwrap();
    until_text(client, "退出登录").await;
    sign_out(client).await;
    sign_in(client, &base, "zhao.gl").await;
    // The admin gives the reviewer the publisher's role too.
    click_text(client, "//nav", "账户管理").await;
    until_text(client, "新建账户").await;
    until_text(client, "li.sh").await;
    no_violations(client, "accounts").await;
    client
        .execute("document.getElementById('roles-li.sh-publisher').click();", vec![])
        .await
        .unwrap();
    client
        .find(Locator::XPath("//button[@aria-label='保存li.sh的角色']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until_text(client, "角色已保存").await;
    let account = site.store.account("li.sh").await.unwrap().unwrap();
    assert_eq!(account.roles, "reviewer,publisher");
    click_text(client, "//nav", "审计日志").await;
    until_text(client, "最近的操作").await;
    no_violations(client, "audit log").await;
    for action in [
        "sign_in",
        "consultation_create",
        "upload",
        "consultation_open",
        "view_contacts",
        "moderate",
        "respond",
        "statement",
        "publish",
        "catalogue_edit",
        "account_update",
        "sign_out",
    ] {
        until_text(client, action).await;
    }
    let log: String = client
        .execute("return document.querySelector('table').innerText;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(!log.contains(PHONE) && !log.contains(ID_NUMBER) && !log.contains("汛期加强巡查"));
    client.clone().close().await.unwrap();
}

/// The citizen's side: an opinion sent through the widget leaves a receipt that a reload
/// does not lose, the lookup by receipt number and secret answers from the widget, and
/// where the page has no clipboard API the copy button says so and selects the text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_keeps_the_receipt_and_looks_the_opinion_up() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    let today = OffsetDateTime::now_utc()
        .to_offset(UtcOffset::from_hms(8, 0, 0).unwrap())
        .date();
    site.store
        .save_consultation(&Consultation {
            id: "e2e-receipt".into(),
            title: "宁乡市城区停车管理办法（征求意见稿）".into(),
            department: "宁乡市城市管理和综合执法局".into(),
            start: today - time::Duration::days(3),
            end: today + time::Duration::days(27),
            draft_url: "drafts/2026-parking.html".into(),
            explanation_url: None,
            clauses: Vec::new(),
            results_published: None,
            summary: String::new(),
        })
        .await
        .unwrap();
    let base = site.url("").trim_end_matches('/').to_string();
    client
        .goto(&format!("{base}/consultation.html?zq=e2e-receipt"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("#nx-opinion-text"))
        .await
        .unwrap()
        .send_keys("建议增加夜间停车位")
        .await
        .unwrap();
    click_text(client, "//form", "提交意见").await;
    let receipt = client
        .wait()
        .for_element(Locator::Css(".nx-consult__receipt-number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.starts_with("YJ"), "{receipt}");

    // A reload keeps the receipt, above an empty form.
    client.refresh().await.unwrap();
    let kept = client
        .wait()
        .for_element(Locator::Css(".nx-consult__kept-number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(kept, receipt);
    assert!(client.find(Locator::Css("#nx-opinion-text")).await.is_ok());

    // No clipboard API (a page on plain HTTP): the copy button says so and selects the text.
    client
        .execute("Object.defineProperty(navigator, 'clipboard', { value: undefined });", vec![])
        .await
        .unwrap();
    click_text(client, "//section[contains(@class,'nx-consult__kept')]", "复制回执编号和查询码").await;
    until_text(client, "无法自动复制").await;
    let selected: Value = client
        .execute(
            "const a = document.activeElement;
             return [a.className, a.value.substring(a.selectionStart, a.selectionEnd)];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(selected[0], "nx-consult__copy-text");
    assert!(selected[1].as_str().unwrap().contains(&receipt), "{selected}");

    // The lookup answers from the widget.
    click_text(client, "//section[contains(@class,'nx-consult__kept')]", "查询处理情况").await;
    until_text(client, "已收到，正在研究").await;
    no_violations(client, "kept receipt and lookup").await;

    // Dismissed, it is gone for good.
    click_text(client, "//section[contains(@class,'nx-consult__kept')]", "不再保留此回执").await;
    client.refresh().await.unwrap();
    client.wait().for_element(Locator::Css("#nx-opinion-text")).await.unwrap();
    assert!(client.find(Locator::Css(".nx-consult__kept")).await.is_err());

    // The lookup form of the list, with a wrong secret.
    client.goto(&format!("{base}/consultation.html")).await.unwrap();
    client.wait().for_element(Locator::Css("#nx-lookup-receipt")).await.unwrap();
    fill(client, "#nx-lookup-receipt", &receipt).await;
    fill(client, "#nx-lookup-secret", "wrong").await;
    click_text(client, "//section[contains(@class,'nx-consult__lookup')]", "查询").await;
    until_text(client, "回执编号或查询码不正确").await;
    no_violations(client, "list with the lookup").await;

    // The year's catalogue of major decisions, its own view.
    client
        .find(Locator::Css(".nx-consult__catalogue-link a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until_text(client, "年度重大行政决策事项目录").await;
    until_text(client, "返回意见征集列表").await;
    no_violations(client, "catalogue").await;
    client.clone().close().await.unwrap();
}
