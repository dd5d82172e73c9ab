//! The policy search widget in the demo portal, in headless Chromium, as a citizen uses
//! it: typing a Chinese fragment, narrowing by a facet, the keyboard alone, linked
//! searches and documents whose text looks like markup.

use std::time::Duration;

use disclosure_e2e::{click, dist, query_string, settled_status, texts, Session};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

async fn settle_after_change(client: &Client, before: &str) -> String {
    for _ in 0..100 {
        let status = settled_status(client).await;
        if status != before {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the results did not change from {before:?}");
}

/// The value of the form control with `id`.
async fn value_of(client: &Client, id: &str) -> serde_json::Value {
    let script = format!("return document.getElementById('{id}').value");
    client.execute(&script, vec![]).await.unwrap()
}

/// Presses Tab, at most 30 times, until `condition` (JavaScript about the focused element)
/// holds; whether it came to hold.
async fn tab_until(client: &Client, condition: &str) -> bool {
    for _ in 0..30 {
        let focused = client.active_element().await.unwrap();
        focused.send_keys(&Key::Tab.to_string()).await.unwrap();
        let holds: serde_json::Value = client
            .execute(&format!("return {condition};"), vec![])
            .await
            .unwrap();
        if holds == true {
            return true;
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_searches_the_demo_portal() {
    let session = Session::start(&dist()).await;
    let client = &session.client;

    // Typing a fragment of a title finds the documents that bear it.
    let input = session.open("/", "#nx-search-input").await;
    input.send_keys("收费清单").await.unwrap();
    let status = settled_status(&client).await;
    assert!(status.starts_with("找到"), "{status}");
    let titles = texts(&client, ".nx-result__title").await;
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("宁乡市2023年行政事业性收费清单")),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("宁乡市2023年涉企行政事业性收费清单")),
        "{titles:?}"
    );
    assert!(texts(&client, ".nx-result__title mark")
        .await
        .contains(&"收费清单".to_string()));
    assert!(query_string(client).await.contains("q="));

    // A facet narrows the results, and the URL keeps it.
    let facet = client
        .find(Locator::XPath(
            "//button[contains(@class,'nx-facet')][.//span[text()='宁乡市财政局']]",
        ))
        .await
        .unwrap();
    facet.click().await.unwrap();
    let narrowed = settle_after_change(&client, &status).await;
    assert!(narrowed.starts_with("找到"), "{narrowed}");
    let meta = texts(&client, ".nx-result__meta").await;
    assert!(
        !meta.is_empty() && meta.iter().all(|m| m.contains("宁乡市财政局")),
        "{meta:?}"
    );
    assert!(query_string(client).await.contains("department="));

    // Back returns to the search before the facet.
    client.back().await.unwrap();
    let restored = settle_after_change(&client, &narrowed).await;
    assert_eq!(restored, status);

    // Document text that looks like markup shows as text and runs nothing.
    let input = client.find(Locator::Css("#nx-search-input")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("测试转义").await.unwrap();
    settle_after_change(&client, &status).await;
    let titles = texts(&client, ".nx-result__title").await;
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("<script>alert('xss')</script>测试转义的通知")),
        "{titles:?}"
    );
    let injected: serde_json::Value = client
        .execute(
            "return document.querySelectorAll('.nx-results script, .nx-results img').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(injected, 0);
    let snippets = texts(&client, ".nx-result__snippet").await;
    assert!(
        snippets
            .iter()
            .any(|s| s.contains("<img src=x onerror=alert(1)>")),
        "{snippets:?}"
    );

    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_alone_completes_a_search_and_links_open_searches() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);

    session.open("/", "#nx-search-input").await;
    // Tab from the top of the page until the search box has the focus.
    let reached = tab_until(client, "document.activeElement.id === 'nx-search-input'").await;
    assert!(reached, "Tab never reached the search box");
    let active = client.active_element().await.unwrap();
    active
        .send_keys(&format!("住房公积金{}", Key::Enter))
        .await
        .unwrap();
    let status = settled_status(&client).await;
    assert!(status.starts_with("找到"), "{status}");
    // The next Tab stops go through the sort control to the first result's link.
    let on_result = tab_until(
        client,
        "!!document.activeElement.closest('.nx-result__title')",
    )
    .await;
    assert!(on_result, "Tab never reached a result");
    let focused = client.active_element().await.unwrap().text().await.unwrap();
    assert!(focused.contains("住房公积金"), "{focused}");

    // A link with ?q= opens the search at once.
    client
        .goto(&site.url("/?q=%E5%85%AC%E7%A7%AF%E9%87%91&sort=newest"))
        .await
        .unwrap();
    let status = settled_status(&client).await;
    assert!(status.starts_with("找到"), "{status}");
    assert_eq!(value_of(client, "nx-search-input").await, "公积金");
    assert_eq!(value_of(client, "nx-search-sort").await, "newest");

    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_and_the_head_load_when_the_page_is_idle_and_the_body_only_for_a_query() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist().join("data/manifest.json")).expect("a manifest"),
    )
    .expect("the manifest is JSON");
    let head_file = manifest["head"].as_str().expect("a head file").to_string();
    let head_bytes = manifest["head_bytes"].as_u64().expect("a head length");
    let probe = format!("bytes={head_bytes}-{head_bytes}");
    let pack_bytes = manifest["pack_bytes"].as_u64().expect("a pack length");
    let several = format!("bytes={0}-{0},{1}-{1}", head_bytes + 1, pack_bytes - 1);
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    let input = session.open("/", "#nx-search-input").await;
    // Nobody touches the box: once the page is idle the engine downloads and compiles,
    // and the worker fetches the manifest and the head and opens the index.
    // The page asks for the head itself (search/warm.rs), so the worker's own asks are
    // waited for: the probes beside the head.
    for _ in 0..200 {
        if site.was_requested_code("worker_bg.wasm") && site.pack_host.requests().len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        site.was_requested_code("worker_bg.wasm"),
        "the engine loads while the page is idle"
    );
    assert!(site.was_requested("manifest.json"));
    // The search page's UI is the search alone: the other widgets' code stays unloaded.
    assert!(site.was_requested_code("search_ui_bg.wasm"));
    assert!(
        !site.was_requested_code("app_bg.wasm"),
        "the search page loads no other widget's code"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut warmed: Vec<(bool, Option<String>)> = site
        .pack_host
        .requests()
        .iter()
        .map(|request| (request.head, request.range.clone()))
        .collect();
    warmed.sort();
    assert_eq!(
        warmed,
        [(false, Some(probe)), (false, Some(several)), (true, None)],
        "warming fetches the head only, once, whole from its file (and, beside it, one \
         byte of the pack: whether the host serves ranges, and two in one request: whether \
         it serves several at once)"
    );
    assert!(site.was_requested(&head_file));
    // Focus and the pointer warm nothing more: the body's ranges wait for a query.
    input.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(site.pack_host.requests().len(), 3);
    input.send_keys("公积金").await.unwrap();
    let status = settled_status(&client).await;
    assert!(status.starts_with("找到"), "{status}");
    assert!(
        site.pack_host.requests().len() > 3,
        "the query fetches its ranges"
    );
    // A second visit: the page is asked again, its code is not (the build names it with
    // its content hash, and the server lets the browser keep such an address), nor the
    // head; the manifest is (it names the current pack).
    let before = site.requested_paths().len();
    session.open("/?q=收费清单", "#nx-search-input").await;
    let status = settled_status(&client).await;
    assert!(status.starts_with("找到"), "{status}");
    let again: Vec<String> = site.requested_paths()[before..].to_vec();
    let code: Vec<&String> = again
        .iter()
        .filter(|path| {
            [".js", ".wasm", ".css", ".head"]
                .iter()
                .any(|e| path.ends_with(e))
        })
        .collect();
    assert!(code.is_empty(), "asked again on a second visit: {code:?}");
    assert!(
        again.iter().any(|path| path.ends_with("manifest.json")),
        "{again:?}"
    );
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_index_says_so_and_offers_a_retry() {
    let empty = std::env::temp_dir().join(format!("disclosure-no-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&empty);
    std::fs::create_dir_all(&empty).unwrap();
    for entry in std::fs::read_dir(dist()).unwrap().flatten() {
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), empty.join(entry.file_name())).unwrap();
        }
    }
    let session = Session::start(&empty).await;
    let (site, client) = (&session.site, &session.client);
    client
        .goto(&site.url("/?q=%E6%94%B6%E8%B4%B9"))
        .await
        .unwrap();
    let status = settled_status(&client).await;
    assert_eq!(status, "搜索失败");
    let alert = texts(&client, "[role=alert]").await.concat();
    assert!(alert.contains("搜索索引文件不存在"), "{alert}");
    click(client, "[role=alert] button").await;
    assert_eq!(settled_status(&client).await, "搜索失败");
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_validity_lookup_answers_a_bracket_variant_with_the_status_of_today() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    let input = session.open("/validity.html", "#nx-validity-input").await;
    input.send_keys("宁住建发[2020]05号").await.unwrap();
    let title = client
        .wait()
        .for_element(Locator::Css(".nx-validity__title"))
        .await
        .unwrap();
    assert_eq!(
        title.text().await.unwrap(),
        "宁乡市公共租赁住房管理办法（暂行）"
    );
    let status = texts(&client, ".nx-status").await.concat();
    assert!(status.contains("✕") && status.contains("废止"), "{status}");
    let change = texts(&client, ".nx-validity__change").await.concat();
    assert!(change.contains("宁住建发〔2022〕9号"), "{change}");
    assert!(query_string(client).await.starts_with("wh="));

    // ?wh= opens a lookup directly; a document not yet in force says from when.
    client
        .goto(
            &site.url(
                "/validity.html?wh=%E5%AE%81%E6%94%BF%E5%8F%91%EF%BC%882030%EF%BC%891%E5%8F%B7",
            ),
        )
        .await
        .unwrap();
    let status = client
        .wait()
        .for_element(Locator::Css(".nx-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        status.contains("尚未生效") && status.contains("2030-01-01"),
        "{status}"
    );

    // Text that is not a number gets a clear message.
    client
        .goto(&site.url("/validity.html?wh=%E3%80%94%E3%80%95"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css(".nx-validity__input"))
        .await
        .unwrap();
    let mut message = String::new();
    for _ in 0..100 {
        message = texts(&client, ".nx-validity__status").await.concat();
        if !message.is_empty() && !message.starts_with("正在") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(message.contains("不是文号"), "{message}");
    client.clone().close().await.unwrap();
}

/// Issue 13: pinyin typed into the box finds the title that reads so, and suggestions
/// as you type form a combobox whose option the keyboard alone searches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinyin_finds_titles_and_suggestions_are_chosen_by_keyboard() {
    let session = Session::start(&dist()).await;
    let client = &session.client;
    let input = session.open("/", "#nx-search-input").await;
    input.send_keys("shoufei qingdan").await.unwrap();
    let status = settled_status(client).await;
    assert!(status.starts_with("找到"), "{status}");
    let titles = texts(client, ".nx-result__title").await;
    assert!(titles.iter().any(|t| t.contains("收费清单")), "{titles:?}");

    // Suggestions for a fragment: a listbox the box controls, announced.
    input.clear().await.unwrap();
    input.send_keys("收费").await.unwrap();
    let mut options = Vec::new();
    for _ in 0..100 {
        options = texts(client, "#nx-search-suggestions [role=option]").await;
        if !options.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!options.is_empty(), "no suggestions for 收费");
    assert_eq!(
        input.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    input.send_keys(&Key::Down.to_string()).await.unwrap();
    let active = input.attr("aria-activedescendant").await.unwrap();
    assert!(active.is_some(), "Down makes an option active");
    let before = settled_status(client).await;
    input.send_keys(&Key::Enter.to_string()).await.unwrap();
    let status = settle_after_change(client, &before).await;
    assert!(
        status.contains(&options[0]),
        "{status} searches {:?}",
        options[0]
    );
    assert_eq!(
        input.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    // Focus never left the box.
    let focused: serde_json::Value = client
        .execute(
            "return document.activeElement && document.activeElement.id",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, "nx-search-input");
}

/// Issue 14: results say whether each document is in force today, 只看现行有效 narrows them,
/// a 文号 or a fee typed in the search box gets its answer card first — on a phone's
/// screen the first result stays above the fold — and the library is browsed by issuer
/// and exported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_answers_with_validity_and_cards_and_the_library_exports() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    client.set_window_size(360, 640).await.unwrap();

    // A repealed document stays findable, marked 废止 with what repealed it.
    let input = session.open("/", "#nx-search-input").await;
    input.send_keys("公共租赁住房管理办法").await.unwrap();
    let status = settled_status(client).await;
    assert!(status.starts_with("找到"), "{status}");
    let repealed = texts(client, "li[data-doc-id='nx-2020-gfxwj-zfbz']")
        .await
        .concat();
    assert!(
        repealed.contains("废止") && repealed.contains("宁住建发〔2022〕9号"),
        "{repealed}"
    );
    let ids: serde_json::Value = client
        .execute(
            "return [...document.querySelectorAll('.nx-result')].map(r => r.dataset.docId)",
            vec![],
        )
        .await
        .unwrap();
    let ids: Vec<String> = serde_json::from_value(ids).unwrap();
    let at = |id: &str| ids.iter().position(|i| i == id);
    assert!(
        at("nx-2022-gfxwj-zfbz") < at("nx-2020-gfxwj-zfbz"),
        "the version in force first: {ids:?}"
    );

    // 只看现行有效: the repealed version goes, and the URL keeps the filter.
    click(client, ".nx-facet--in-force").await;
    let narrowed = settle_after_change(client, &status).await;
    assert!(narrowed.starts_with("找到"), "{narrowed}");
    let statuses = texts(client, ".nx-result .nx-status__word").await;
    assert!(
        !statuses.is_empty()
            && statuses.iter().all(|s| {
                ["效力状态：有效", "效力状态：已修改", "效力状态：部分失效"].contains(&s.as_str())
            }),
        "{statuses:?}"
    );
    assert!(query_string(client).await.contains("inforce=1"));

    // A number in a spelling people type: its card comes first, the first result still on
    // the first screen of a 360×640 phone.
    let input = session
        .open(
            "/?q=%E5%AE%81%E4%BD%8F%E5%BB%BA%E5%8F%912020%E5%B9%B45%E5%8F%B7%E6%96%87",
            "#nx-search-input",
        )
        .await;
    drop(input);
    let card = client
        .wait()
        .for_element(Locator::Css(".nx-answer--number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        card.contains("宁乡市公共租赁住房管理办法（暂行）") && card.contains("废止"),
        "{card}"
    );
    let first: serde_json::Value = client
        .execute(
            "const main = document.querySelector('.nx-search__main');
             const result = document.querySelector('.nx-result');
             // As a phone shows it once the citizen has typed: the search box at the top.
             document.querySelector('.nx-search__form').scrollIntoView({ block: 'start' });
             return [main.firstElementChild.className,
                     result ? result.getBoundingClientRect().top : 1e9,
                     window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(first[0], "nx-answers");
    assert!(
        first[1].as_f64().unwrap() < first[2].as_f64().unwrap(),
        "the first result is below the fold: {first}"
    );

    // A fee: amount, unit and basis from the fee list.
    let input = session.open("/", "#nx-search-input").await;
    input.send_keys("身份证工本费多少钱").await.unwrap();
    let fee = client
        .wait()
        .for_element(Locator::Css(".nx-answer--fee"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fee.contains("居民身份证工本费") && fee.contains("20 元/证"),
        "{fee}"
    );
    assert!(fee.contains("发改价格〔2003〕2322号"), "{fee}");

    // The library: browsed by issuer, its list of documents in force exported as CSV.
    client.set_window_size(1280, 900).await.unwrap();
    client.goto(&site.url("/validity.html")).await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("#nx-library-issuer"))
        .await
        .unwrap();
    client
        .execute(
            "const select = document.getElementById('nx-library-issuer');
             const option = [...select.options].find(o => o.value.includes('住房和城乡建设局'));
             select.value = option.value;
             select.dispatchEvent(new Event('change', { bubbles: true }));
             window.__csv = null;
             const create = URL.createObjectURL;
             URL.createObjectURL = blob => { blob.text().then(t => window.__csv = t); return create(blob); };",
            vec![],
        )
        .await
        .unwrap();
    let mut issuers = Vec::new();
    for _ in 0..100 {
        issuers = texts(client, ".nx-library__results .nx-validity__meta").await;
        if !issuers.is_empty() && issuers.iter().all(|m| m.contains("宁乡市住房和城乡建设局"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !issuers.is_empty() && issuers.iter().all(|m| m.contains("宁乡市住房和城乡建设局")),
        "{issuers:?}"
    );
    click(client, ".nx-library__list .nx-button").await;
    let mut csv = serde_json::Value::Null;
    for _ in 0..100 {
        csv = client.execute("return window.__csv", vec![]).await.unwrap();
        if !csv.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let csv = csv.as_str().unwrap_or_default().to_string();
    assert!(csv.contains("宁乡市公共租赁住房管理办法"), "{csv}");
    client.clone().close().await.unwrap();
}
