//! The widgets embedded with one module script and four custom elements, in a plain portal
//! page and in a hostile one (global CSS that breaks shared DOM, a 10px root font, a fixed
//! header, an elder-mode toolbar), both under a strict Content-Security-Policy: each widget
//! renders inside its shadow root and works; the page's styles do not reach in; theming
//! and the root font do.

use std::time::Duration;

use disclosure_core::consultation::Consultation;
use disclosure_e2e::{dist, in_shadow, submit_form, type_into, until, Session};
use serde_json::json;

async fn every_widget_works(session: &Session) {
    let client = &session.client;
    // Search: a Chinese fragment, submitted.
    until(client, "search box", "return root('nx-policy-search') && root('nx-policy-search').querySelector('#nx-search-input');").await;
    type_into(client, "nx-policy-search", "#nx-search-input", "收费清单").await;
    submit_form(client, "nx-policy-search").await;
    let found = until(
        client,
        "search results",
        "const s = root('nx-policy-search').querySelector('.nx-search__status'); return s && s.textContent.startsWith('找到') && s.textContent;",
    )
    .await;
    assert!(found.as_str().unwrap().contains("收费清单"), "{found}");

    // A second search widget, opened on its own query, uses the same worker.
    client
        .execute(
            "history.replaceState(null, '', location.pathname);
             const second = document.createElement('nx-policy-search');
             second.id = 'second-search';
             second.setAttribute('data-index', '../data/');
             second.setAttribute('data-worker', '../worker_loader.js');
             second.setAttribute('data-query', '政务公开');
             document.querySelector('main').append(second);",
            vec![],
        )
        .await
        .unwrap();
    let second = until(
        client,
        "the second search widget's results",
        "const s = root('#second-search') && root('#second-search').querySelector('.nx-search__status'); return s && s.textContent.startsWith('找到') && s.textContent;",
    )
    .await;
    assert!(second.as_str().unwrap().contains("政务公开"), "{second}");
    // One search worker for the page, whether the page's idle time or the first query
    // started it: its loader is fetched once.
    let workers = session
        .site
        .requested_paths()
        .iter()
        .filter(|path| path.ends_with("worker_loader.js"))
        .count();
    assert_eq!(workers, 1, "one search worker for the page");

    // Validity lookup: a bracket variant of a number.
    until(client, "validity lookup loaded", "return root('nx-validity-lookup') && root('nx-validity-lookup').querySelector('#nx-validity-input');").await;
    type_into(
        client,
        "nx-validity-lookup",
        "#nx-validity-input",
        "宁住建发[2020]05号",
    )
    .await;
    let title = until(
        client,
        "validity answer",
        "const t = root('nx-validity-lookup').querySelector('.nx-validity__title'); return t && t.textContent;",
    )
    .await;
    assert_eq!(title, "宁乡市公共租赁住房管理办法（暂行）");

    // Fee list: loads, filters.
    until(client, "fee list loaded", "const s = root('nx-fee-list') && root('nx-fee-list').querySelector('.nx-fees__status'); return s && s.textContent.startsWith('共') && s.textContent;").await;
    type_into(client, "nx-fee-list", "#nx-fees-filter", "护照").await;
    let narrowed = until(
        client,
        "fee filter",
        "const s = root('nx-fee-list').querySelector('.nx-fees__status').textContent; return s.includes('符合条件') && s;",
    )
    .await;
    assert!(
        narrowed.as_str().unwrap().ends_with("符合条件的 2 项"),
        "{narrowed}"
    );

    // Consultation: the list from the API.
    let item = until(
        client,
        "consultations",
        "const i = root('nx-consultation') && root('nx-consultation').querySelector('.nx-consult__item-title'); return i && i.textContent;",
    )
    .await;
    assert!(item.as_str().unwrap().contains("征求意见稿"), "{item}");
}

async fn start() -> Session {
    let session = Session::start(&dist()).await;
    let consultations: Vec<Consultation> = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../index/consultations/consultations.json"
        ))
        .unwrap(),
    )
    .unwrap();
    for consultation in &consultations {
        session
            .site
            .store
            .save_consultation(consultation)
            .await
            .unwrap();
    }
    session
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widgets_work_in_a_plain_portal_page_under_a_strict_policy() {
    let session = start().await;
    let client = &session.client;
    client
        .goto(&session.site.url("/examples/plain.html"))
        .await
        .unwrap();
    every_widget_works(&session).await;
    // A page with every kind loads one UI module, the one with every widget.
    assert!(session.site.was_requested_code("app_bg.wasm"));
    assert!(
        !session.site.was_requested_code("search_ui_bg.wasm"),
        "a page with other widgets does not load the search's own module as well"
    );
    // 320 CSS pixels wide (a phone, or 200% zoom of 640): every widget reflows, none
    // scrolls sideways.
    client.set_window_size(320, 800).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let overflowing = client
        .execute(
            "return [...document.querySelectorAll('nx-policy-search, nx-validity-lookup, nx-fee-list, nx-consultation')]
                .filter(host => host.scrollWidth > host.clientWidth + 1 || host.getBoundingClientRect().right > window.innerWidth + 1)
                .map(host => host.tagName);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflowing, json!([]));
    assert!(
        client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![]
            )
            .await
            .unwrap()
            == json!(true)
    );
    // Nothing of ours on window: the module keeps its names to itself.
    let leaked = client
        .execute("return ['wasm_bindgen', 'mount_widget', 'init', '__wbg_init'].filter(n => n in window);", vec![])
        .await
        .unwrap();
    assert_eq!(leaked, json!([]));
    client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widgets_keep_their_looks_in_a_hostile_page_and_follow_its_elder_mode() {
    let session = start().await;
    let client = &session.client;
    client
        .goto(&session.site.url("/examples/hostile.html"))
        .await
        .unwrap();
    every_widget_works(&session).await;

    // The page's `* { box-sizing: content-box }`, `div { display: flex }` and
    // `button { all: unset }` stop at the shadow boundary.
    let inside = in_shadow(
        client,
        "const fees = root('nx-fee-list');
         return [getComputedStyle(fees.querySelector('input')).boxSizing,
                 getComputedStyle(fees.querySelector('.nx-fees__field')).display,
                 getComputedStyle(fees.querySelector('.nx-fees__tab')).cursor];",
        vec![],
    )
    .await;
    assert_eq!(inside, json!(["border-box", "flex", "pointer"]));
    let field_display = in_shadow(client, "return getComputedStyle(root('nx-validity-lookup').querySelector('.nx-validity')).display;", vec![]).await;
    assert_eq!(field_display, "block");

    // A 10px root font cannot shrink the widgets below 16px; the elder-mode toolbar,
    // which sets a 20px root, enlarges them.
    let size = "return parseFloat(getComputedStyle(root('nx-fee-list').querySelector('.nx-fees')).fontSize);";
    assert_eq!(in_shadow(client, size, vec![]).await.as_f64(), Some(16.0));
    client
        .execute("document.getElementById('elder-mode').click();", vec![])
        .await
        .unwrap();
    assert_eq!(in_shadow(client, size, vec![]).await.as_f64(), Some(20.0));

    // Theming through the documented custom properties, set by the page on the element.
    let accent = in_shadow(
        client,
        "return getComputedStyle(root('nx-fee-list').querySelector('.nx-fees__tab--selected')).backgroundColor;",
        vec![],
    )
    .await;
    assert_eq!(accent, "rgb(142, 17, 23)");
    client.clone().close().await.unwrap();
}

/// A browser that cannot run the UI module (here, a page whose policy forbids compiling
/// WebAssembly, as older portal templates do): each element says so in its language,
/// links to its plain page, and keeps showing the host's own fallback content.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_widget_that_cannot_run_says_so_with_a_link_to_its_plain_page() {
    let session = Session::start(&dist()).await;
    let client = &session.client;
    client
        .goto(&session.site.url("/examples/no-wasm.html"))
        .await
        .unwrap();
    let message = until(
        client,
        "the validity lookup's message",
        "const box = root('nx-validity-lookup') && root('nx-validity-lookup').querySelector('.nx-unavailable');
         return box && [box.textContent, box.querySelector('a').getAttribute('href'), box.getAttribute('role')];",
    )
    .await;
    let text = message[0].as_str().unwrap();
    assert!(
        text.contains("无法在当前浏览器中运行") && text.contains("文字版"),
        "{message}"
    );
    assert_eq!(message[1], "../data/library.html");
    assert_eq!(message[2], "status");
    // The host's own content still shows (through the slot), beside the message.
    let shown = client
        .execute(
            "return document.querySelector('.host-fallback').getBoundingClientRect().height > 0;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(shown, json!(true));
    // The fee list sits in a section with lang="en": its message is in English, and
    // without data-fallback it links the plain page written beside its data.
    let english = until(
        client,
        "the fee list's message",
        "const box = root('nx-fee-list') && root('nx-fee-list').querySelector('.nx-unavailable');
         return box && [box.textContent, box.querySelector('a').href];",
    )
    .await;
    assert!(
        english[0]
            .as_str()
            .unwrap()
            .contains("cannot run in this browser"),
        "{english}"
    );
    assert_eq!(english[1], session.site.url("/data/fees.html"));

    // The UI runs but the search engine cannot load (its Wasm is missing): after a while
    // the search says so, with the plain page, instead of searching for ever.
    client
        .goto(&session.site.url("/examples/broken-engine.html"))
        .await
        .unwrap();
    let probe = "const box = root('nx-policy-search') && root('nx-policy-search').querySelector('.nx-search__error');
         return box && [box.textContent, box.querySelector('a') && box.querySelector('a').getAttribute('href')];";
    let mut silent = serde_json::Value::Null;
    // ENGINE_SILENCE_MS is 20 s; allow 45.
    for _ in 0..90 {
        silent = in_shadow(client, probe, vec![]).await;
        if !silent.is_null() && silent != json!(false) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let shown = in_shadow(
        client,
        "const r = root('nx-policy-search'); return r && r.innerHTML.slice(0, 3000);",
        vec![],
    )
    .await;
    assert!(
        silent[0]
            .as_str()
            .is_some_and(|text| text.contains("未能及时启动")),
        "{silent} — the widget shows {shown}"
    );
    assert_eq!(silent[1], "../data/library.html");
    client.clone().close().await.unwrap();
}

/// The language follows the element, its ancestors and the page, and changes re-label
/// the widgets in place; a widget moved in the page keeps what the citizen typed and is
/// not mounted twice; the portal toolbar's point-and-read reads the text inside a widget
/// through `composedPath()`, as the guide tells portal teams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn languages_moves_and_the_toolbars_point_and_read_reach_inside_the_widgets() {
    let session = start().await;
    let client = &session.client;
    client
        .goto(&session.site.url("/examples/hostile.html"))
        .await
        .unwrap();
    let lang = "const section = root('nx-validity-lookup') && root('nx-validity-lookup').querySelector('.nx-validity'); return section && section.getAttribute('lang');";
    assert_eq!(until(client, "the validity lookup", lang).await, "zh-CN");
    client
        .execute("document.documentElement.lang = 'en';", vec![])
        .await
        .unwrap();
    let relabelled = until(
        client,
        "English labels",
        &format!("const tag = (() => {{ {lang} }})(); return tag === 'en' && tag;"),
    )
    .await;
    assert_eq!(relabelled, "en");
    // The element's own lang wins over the page's.
    client
        .execute(
            "document.querySelector('nx-validity-lookup').setAttribute('lang', 'zh-CN');",
            vec![],
        )
        .await
        .unwrap();
    let own = until(
        client,
        "Chinese labels again",
        &format!("const tag = (() => {{ {lang} }})(); return tag === 'zh-CN' && tag;"),
    )
    .await;
    assert_eq!(own, "zh-CN");

    // Moved into a wrapper, as a toolbar's zoom does: same state, one widget.
    type_into(client, "nx-validity-lookup", "#nx-validity-input", "宁政发").await;
    client
        .execute(
            "const element = document.querySelector('nx-validity-lookup');
             const wrapper = document.createElement('div');
             element.before(wrapper); wrapper.append(element);",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = in_shadow(
        client,
        "const shadow = root('nx-validity-lookup');
         return [shadow.querySelector('#nx-validity-input').value, shadow.querySelectorAll('.nx-validity').length];",
        vec![],
    )
    .await;
    assert_eq!(after, json!(["宁政发", 1]));

    // 指读 with 大字幕: the caption shows the text of the node under the pointer.
    client
        .execute("document.getElementById('point-read').click();", vec![])
        .await
        .unwrap();
    let pointed = until(
        client,
        "a fee list tab",
        "const tab = root('nx-fee-list') && root('nx-fee-list').querySelector('.nx-fees__tab');
         if (!tab) return null;
         tab.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
         return tab.textContent.trim();",
    )
    .await;
    let caption = client
        .execute(
            "return document.getElementById('caption').textContent;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(caption, pointed);
    client.clone().close().await.unwrap();
}

/// A page that defined one of the names first, loads the script twice, takes an element
/// out while the module loads and changes an attribute while a search is in flight: one
/// widget each, the page's own element left alone, no error, nothing on `window`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_scripts_a_name_taken_and_an_element_moved_while_loading_give_one_widget_each() {
    let session = start().await;
    let client = &session.client;
    client
        .goto(&session.site.url("/examples/twice.html"))
        .await
        .unwrap();
    // Back in the page after the module loaded: mounted then, once.
    let lookups = until(
        client,
        "the validity lookup, put back",
        "const shadow = root('nx-validity-lookup'); return shadow && shadow.querySelectorAll('.nx-validity').length;",
    )
    .await;
    assert_eq!(lookups, 1);
    // The portal's own nx-fee-list is its own.
    let own = client
        .execute(
            "const element = document.querySelector('nx-fee-list');
             return [element.shadowRoot === null, element.textContent];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(own, json!([true, "本站自己的收费清单组件"]));
    // A search, and its language changed while it is in flight.
    until(client, "search box", "return root('nx-policy-search') && root('nx-policy-search').querySelector('#nx-search-input');").await;
    type_into(client, "nx-policy-search", "#nx-search-input", "收费清单").await;
    submit_form(client, "nx-policy-search").await;
    client
        .execute(
            "document.querySelector('nx-policy-search').setAttribute('lang', 'en');",
            vec![],
        )
        .await
        .unwrap();
    let found = until(
        client,
        "results in English",
        "const s = root('nx-policy-search').querySelector('.nx-search__status'); return s && /result/i.test(s.textContent) && s.textContent;",
    )
    .await;
    assert!(found.as_str().unwrap().contains("收费清单"), "{found}");
    let widgets = in_shadow(
        client,
        "return root('nx-policy-search').querySelectorAll('.nx-search').length;",
        vec![],
    )
    .await;
    assert_eq!(widgets, 1);
    let checks = client
        .execute(
            "return [window.__pageErrors, ['wasm_bindgen', 'mount_widget', 'init', '__wbg_init'].filter(n => n in window)];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        checks,
        json!([[], []]),
        "errors on the page, or names left on window"
    );
    client.clone().close().await.unwrap();
}

/// Issue 18: `data-warm="focus"` leaves the engine alone while the page is idle (a portal
/// whose readers mostly never search saves them its ~700 KB); focus on the box warms it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_widget_told_to_warm_on_focus_waits_for_it() {
    let session = Session::start(&dist()).await;
    let (site, client) = (&session.site, &session.client);
    // A page of the portal without a search of its own, which embeds one.
    client.goto(&site.url("/fees.html")).await.unwrap();
    client
        .execute(
            "const search = document.createElement('nx-policy-search');
             search.setAttribute('data-warm', 'focus');
             document.body.append(search);
             const script = document.createElement('script');
             script.type = 'module';
             script.src = 'nx-widgets.js';
             document.head.append(script);",
            vec![],
        )
        .await
        .unwrap();
    until(client, "search box", "return root('nx-policy-search') && root('nx-policy-search').querySelector('#nx-search-input');").await;
    // Longer than the idle warming's own time-out (3 s).
    tokio::time::sleep(Duration::from_millis(4_000)).await;
    assert!(
        !site.was_requested_code("worker_bg.wasm"),
        "the engine stays on the server until the box is used"
    );
    in_shadow(
        client,
        "root('nx-policy-search').querySelector('#nx-search-input').focus();",
        vec![],
    )
    .await;
    for _ in 0..200 {
        if site.was_requested_code("worker_bg.wasm") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        site.was_requested_code("worker_bg.wasm"),
        "focus warms the engine"
    );
    client.clone().close().await.unwrap();
}
