//! The search widget's view in a real browser: results with highlights, facets, the
//! empty and error states, and document text that stays text.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use disclosure_core::fees::FeeItem;
use disclosure_search::{FacetCount, Facets, HighlightedText, Hit, MatchKind, SearchResults};
use disclosure_widgets::protocol::LoadFailure;
use disclosure_widgets::search::answers::{AnswerCards, AnswerLinks, FeeLine};
use disclosure_widgets::search::state::{FacetKind, SearchAction, SearchState};
use disclosure_widgets::search::view::{SearchView, SearchViewProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::{Callback, NodeRef};

wasm_bindgen_test_configure!(run_in_browser);

fn hit(id: &str, title: &str, highlights: Vec<std::ops::Range<usize>>) -> Hit {
    Hit {
        id: id.into(),
        title: HighlightedText {
            text: title.into(),
            highlights,
        },
        snippet: HighlightedText {
            text: "现将收费清单予以公布。".into(),
            highlights: vec![2..6],
        },
        url: Some(format!("/{id}.html")),
        category: Some("通知公告".into()),
        department: Some("宁乡市财政局".into()),
        doc_number: Some("宁财发〔2023〕5号".into()),
        published: Some("2023-03-15".into()),
        interpretation_url: Some(format!("/{id}-jd.html")),
        validity: None,
        match_kind: MatchKind::Exact,
    }
}

fn results(hits: Vec<Hit>) -> SearchResults {
    SearchResults {
        total_exact: hits.len(),
        hits,
        facets: Facets {
            categories: vec![FacetCount {
                value: "通知公告".into(),
                count: 2,
            }],
            departments: vec![FacetCount {
                value: "宁乡市财政局".into(),
                count: 2,
            }],
            years: vec![FacetCount {
                value: "2023".into(),
                count: 2,
            }],
            ..Facets::default()
        },
    }
}

/// Renders the view for `state`; returns its root and the actions it emitted.
async fn render(state: SearchState) -> (Element, Rc<RefCell<Vec<SearchAction>>>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let emitted = Rc::new(RefCell::new(Vec::new()));
    let sink = emitted.clone();
    let props = SearchViewProps {
        state,
        on_action: Callback::from(move |action| sink.borrow_mut().push(action)),
        on_engage: Callback::noop(),
        root: NodeRef::default(),
        fallback_url: Some("/data/library.html".into()),
        today: time::macros::date!(2026 - 11 - 30),
        links: AnswerLinks::default(),
    };
    yew::Renderer::<SearchView>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    (root, emitted)
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .expect(selector)
        .unchecked_into::<HtmlElement>()
        .click();
}

fn searched(query: &str, results: SearchResults) -> SearchState {
    let mut state = SearchState {
        typed: query.into(),
        ..SearchState::default()
    };
    state.request.query = query.into();
    state.results = Some(Rc::new(results));
    answered(state)
}

/// `state` with its results answering its request, as after the worker's answer (else
/// the widget says 正在搜索: the results shown are an earlier search's).
fn answered(mut state: SearchState) -> SearchState {
    state.answered = Some(state.request.clone());
    state
}

#[wasm_bindgen_test]
async fn renders_results_with_marked_matches_and_announces_the_count() {
    let state = searched(
        "收费清单",
        results(vec![hit(
            "fee-2023",
            "宁乡市2023年行政事业性收费清单",
            vec![13..17],
        )]),
    );
    let (root, _) = render(state).await;
    assert_eq!(texts(&root, ".nx-result__title mark"), ["收费清单"]);
    assert_eq!(texts(&root, ".nx-result__snippet mark"), ["收费清单"]);
    assert_eq!(
        texts(&root, "[role=status]"),
        ["找到 1 条与“收费清单”相关的结果"]
    );
    let link = root.query_selector(".nx-result__title a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/fee-2023.html")
    );
    assert_eq!(texts(&root, ".nx-result__interpretation"), ["查看政策解读"]);
    assert!(texts(&root, ".nx-result__meta")
        .concat()
        .contains("宁财发〔2023〕5号"));
    assert_eq!(
        root.query_selector("label[for=nx-search-input]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "搜索政策文件"
    );
}

#[wasm_bindgen_test]
async fn document_text_with_markup_stays_text() {
    let title = "<script>alert('xss')</script><img src=x onerror=alert(1)>通知";
    let state = searched("通知", results(vec![hit("markup", title, vec![])]));
    let (root, _) = render(state).await;
    assert!(root.query_selector("script, img").unwrap().is_none());
    assert_eq!(texts(&root, ".nx-result__title a"), [title]);
}

#[wasm_bindgen_test]
async fn facets_show_counts_and_narrow_the_search() {
    let mut state = searched(
        "收费",
        results(vec![hit("fee-2023", "收费清单", vec![0..2])]),
    );
    state.request.category = Some("通知公告".into());
    let (root, emitted) = render(answered(state)).await;
    assert_eq!(
        texts(&root, ".nx-facets legend"),
        ["分类", "发文机关", "年份"]
    );
    let pressed = root
        .query_selector(".nx-facet[aria-pressed=true]")
        .unwrap()
        .unwrap();
    assert!(pressed.text_content().unwrap().contains("通知公告"));
    assert!(texts(&root, ".nx-facet")
        .iter()
        .any(|t| t.contains("2023年") && t.contains("2 条")));
    click(&root, ".nx-facets__group:nth-of-type(3) .nx-facet");
    click(&root, ".nx-facets__clear");
    assert_eq!(
        *emitted.borrow(),
        [
            SearchAction::Toggle(FacetKind::Year, "2023".into()),
            SearchAction::ClearFilters
        ]
    );
}

#[wasm_bindgen_test]
async fn no_results_helps_and_offers_to_drop_filters() {
    let mut state = searched("不存在的词", SearchResults::default());
    state.request.department = Some("宁乡市财政局".into());
    let (root, emitted) = render(answered(state)).await;
    assert_eq!(
        texts(&root, "[role=status]"),
        ["没有找到与“不存在的词”相关的结果"]
    );
    assert!(texts(&root, ".nx-search__empty")
        .concat()
        .contains("少用几个词"));
    click(&root, ".nx-search__empty button");
    assert_eq!(*emitted.borrow(), [SearchAction::ClearFilters]);
}

#[wasm_bindgen_test]
async fn a_failed_load_says_why_and_offers_a_retry() {
    let state = SearchState {
        failure: Some(LoadFailure::Status(404)),
        ..SearchState::default()
    };
    let (root, emitted) = render(state).await;
    assert!(texts(&root, "[role=alert]")
        .concat()
        .contains("搜索索引文件不存在"));
    click(&root, "[role=alert] button");
    assert_eq!(*emitted.borrow(), [SearchAction::Retry]);
}

#[wasm_bindgen_test]
async fn a_silent_engine_offers_the_plain_page_and_a_retry() {
    let state = SearchState {
        failure: Some(LoadFailure::EngineSilent),
        ..SearchState::default()
    };
    let (root, _) = render(state).await;
    assert!(texts(&root, "[role=alert]")
        .concat()
        .contains("未能及时启动"));
    let link = root.query_selector("[role=alert] a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/data/library.html")
    );
    // Other failures are about the index, not the browser: no plain-page link.
    let (root, _) = render(SearchState {
        failure: Some(LoadFailure::Status(503)),
        ..SearchState::default()
    })
    .await;
    assert!(root.query_selector("[role=alert] a").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn typing_and_submitting_emit_actions() {
    let (root, emitted) = render(SearchState::default()).await;
    let form = root
        .query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlFormElement>();
    form.request_submit().unwrap();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(*emitted.borrow(), [SearchAction::Submit { explicit: true }]);
}

/// Issue 13, items 6 and 7: suggestions in a WAI-ARIA combobox, and 您是不是要找.
#[wasm_bindgen_test]
async fn suggestions_are_a_combobox_and_partial_matches_offer_the_title_meant() {
    let mut state = searched("个税法", {
        let mut partial = hit("iit", "中华人民共和国个人所得税法", vec![]);
        partial.match_kind = MatchKind::Partial;
        SearchResults {
            total_exact: 0,
            ..results(vec![partial])
        }
    });
    state.suggestions = vec!["个税法".into(), "个人所得税法".into()];
    state.suggestions_open = true;
    state.active_suggestion = Some(1);
    let (root, emitted) = render(state).await;
    let input = root.query_selector("input").unwrap().unwrap();
    assert_eq!(input.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(
        input.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let listbox = input.get_attribute("aria-controls").unwrap();
    assert_eq!(
        root.query_selector(&format!("#{listbox}"))
            .unwrap()
            .and_then(|list| list.get_attribute("role"))
            .as_deref(),
        Some("listbox")
    );
    assert_eq!(texts(&root, "[role=option]"), ["个税法", "个人所得税法"]);
    let active = input.get_attribute("aria-activedescendant").unwrap();
    let chosen = root.query_selector(&format!("#{active}")).unwrap().unwrap();
    assert_eq!(
        chosen.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert!(texts(&root, "[aria-live=polite]")
        .concat()
        .contains("有 2 条搜索建议"));
    // Keys: Down moves, Escape closes, Enter on the active option picks it.
    for key in ["ArrowDown", "Escape", "Enter"] {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    }
    click(&root, "[role=option]");
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(
        *emitted.borrow(),
        [
            SearchAction::MoveSuggestion(1),
            SearchAction::CloseSuggestions,
            SearchAction::PickSuggestion(1),
            SearchAction::PickSuggestion(0),
        ]
    );
    // 您是不是要找: the best partial match's title, as a link that searches it.
    assert!(texts(&root, ".nx-search__meant")
        .concat()
        .contains("您是不是要找：中华人民共和国个人所得税法"));
    let meant = root.query_selector(".nx-search__meant a").unwrap().unwrap();
    assert!(meant.get_attribute("href").unwrap().starts_with("?q="));
}

/// A validity record as the lookup file writes it.
fn record(json: &str) -> disclosure_core::lookup::LookupEntry {
    serde_json::from_str(json).expect("a valid record")
}

const REPEALED: &str = r#"{"i":"nx-2020-gfxwj-zfbz","t":"宁乡市公共租赁住房管理办法（暂行）","n":"宁住建发〔2020〕5号","e":"2020-03-20","c":[{"k":"repealed","n":"宁住建发〔2022〕9号","t":"宁乡市公共租赁住房管理办法","d":"2022-06-10"}]}"#;

#[wasm_bindgen_test]
async fn each_hit_shows_its_status_today_and_the_in_force_filter_its_count() {
    let mut repealed = hit(
        "nx-2020-gfxwj-zfbz",
        "宁乡市公共租赁住房管理办法（暂行）",
        vec![],
    );
    repealed.validity = Some(record(REPEALED));
    let mut in_force = hit("nx-2022-gfxwj-zfbz", "宁乡市公共租赁住房管理办法", vec![]);
    in_force.validity = Some(record(
        r#"{"i":"nx-2022-gfxwj-zfbz","t":"宁乡市公共租赁住房管理办法","n":"宁住建发〔2022〕9号","e":"2022-06-10","u":"2027-06-09"}"#,
    ));
    let notice = hit("notice", "通知", vec![]);
    let mut found = results(vec![in_force, repealed, notice]);
    found.facets.in_force = 1;
    found.facets.not_in_force = 1;
    let (root, emitted) = render(searched("公共租赁住房", found)).await;
    let statuses = texts(&root, ".nx-result .nx-status__word");
    assert_eq!(
        statuses,
        ["效力状态：有效", "效力状态：废止"],
        "the notice has none"
    );
    assert_eq!(texts(&root, ".nx-result .nx-status__icon"), ["✓", "✕"]);
    let change = texts(&root, ".nx-result__change");
    assert_eq!(change.len(), 1);
    assert!(
        change[0].contains("宁住建发〔2022〕9号") && change[0].contains("废止"),
        "{change:?}"
    );
    let filter = texts(&root, ".nx-facet--in-force");
    assert!(
        filter[0].contains("只看现行有效") && filter[0].contains("1 条"),
        "{filter:?}"
    );
    click(&root, ".nx-facet--in-force");
    assert_eq!(*emitted.borrow(), [SearchAction::ToggleInForce]);
}

#[wasm_bindgen_test]
async fn answer_cards_come_first_with_a_heading_and_are_announced() {
    let mut state = searched(
        "宁住建发2020年5号",
        results(vec![hit("x", "宁乡市公共租赁住房管理办法（暂行）", vec![])]),
    );
    state.cards = Some(Rc::new(AnswerCards {
        query: "宁住建发2020年5号".into(),
        numbers: vec![record(REPEALED)],
        fees: vec![FeeLine::from(
            &serde_json::from_str::<FeeItem>(
                r#"{"d":"公安","n":"居民身份证工本费","s":"临时居民身份证","a":1000,"u":"元/证"}"#,
            )
            .unwrap(),
        )],
        fee_total: 4,
        fee_words: "身份证工本费".into(),
        consultations: vec![serde_json::from_str(
            r#"{"id":"tcgl","title":"宁乡市城区停车管理办法（征求意见稿）","department":"宁乡市住房和城乡建设局","start":"2026-11-01","end":"2027-01-15","draft_url":"/drafts/tcgl.html"}"#,
        ).unwrap()],
    }));
    let (root, _) = render(state).await;
    // Above the results, under their own heading, inside the results' column.
    let main = root.query_selector(".nx-search__main").unwrap().unwrap();
    let first = main.first_element_child().unwrap();
    assert_eq!(first.class_name(), "nx-answers");
    assert_eq!(texts(&root, ".nx-answers__heading"), ["直达答案"]);
    assert_eq!(texts(&root, ".nx-answer").len(), 3);
    let number = &texts(&root, ".nx-answer--number")[0];
    assert!(
        number.contains("废止") && number.contains("宁住建发〔2022〕9号"),
        "{number}"
    );
    let fee = &texts(&root, ".nx-answer--fee")[0];
    assert!(
        fee.contains("居民身份证工本费（临时居民身份证）：10 元/证"),
        "{fee}"
    );
    assert!(fee.contains("共4项"), "{fee}");
    let consultation = &texts(&root, ".nx-answer--consultation")[0];
    assert!(
        consultation.contains("截止日期 2027-01-15") && consultation.contains("我要提意见"),
        "{consultation}"
    );
    // Every card is reached by keyboard through its links.
    let links = root.query_selector_all(".nx-answer a[href]").unwrap();
    assert!(links.length() >= 3);
    let hrefs: Vec<String> = (0..links.length())
        .map(|i| {
            links
                .item(i)
                .unwrap()
                .unchecked_into::<Element>()
                .get_attribute("href")
                .unwrap()
        })
        .collect();
    assert!(
        hrefs.iter().any(|h| h.starts_with("validity.html?wh=")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h.starts_with("fees.html?fq=")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h == "consultation.html?zq=tcgl"),
        "{hrefs:?}"
    );
    // The live region counts them with the results.
    let status = texts(&root, ".nx-search__status");
    assert!(status[0].contains("另有 3 条直达答案"), "{status:?}");
}

/// The messages between page and worker come back as they went, through the codecs of
/// the two ends (answers as the worker's JSON text, requests as values): fields left out
/// of validity records, failures, suggestions and cards.
#[wasm_bindgen_test]
fn worker_messages_cross_as_they_were_sent() {
    use disclosure_widgets::protocol::{MessageCodec, WorkerAnswer, WorkerCodec};
    use gloo_worker::Codec;

    let mut repealed = hit(
        "nx-2020-gfxwj-zfbz",
        "宁乡市公共租赁住房管理办法（暂行）",
        vec![0..3],
    );
    repealed.validity = Some(record(REPEALED));
    let mut bare = hit("notice", "通知", vec![]);
    bare.url = None;
    let answers = [
        WorkerAnswer {
            suggestions: vec!["收费清单".into()],
            ..WorkerAnswer::of(7, Ok(results(vec![repealed, bare])))
        },
        WorkerAnswer::of(8, Err(LoadFailure::EngineSilent)),
        WorkerAnswer::of(9, Err(LoadFailure::Status(404))),
        WorkerAnswer {
            cards: Some(AnswerCards {
                query: "身份证工本费".into(),
                fees: vec![FeeLine {
                    name: "居民身份证工本费".into(),
                    standard: "20元/证".into(),
                    basis: vec!["发改价格〔2003〕2322号".into()],
                    ..FeeLine::default()
                }],
                fee_total: 1,
                ..AnswerCards::default()
            }),
            ..WorkerAnswer::of(0, Ok(SearchResults::default()))
        },
    ];
    for answer in answers {
        let sent = WorkerCodec::encode(&answer);
        // One string for `postMessage` to copy, not a tree of objects.
        assert!(sent.is_string(), "{sent:?}");
        let decoded: WorkerAnswer = MessageCodec::decode(sent);
        assert_eq!(decoded, answer);
    }
    let request = disclosure_widgets::protocol::WorkerRequest::Prepare {
        data_url: "https://example.org/data/".into(),
    };
    let decoded: disclosure_widgets::protocol::WorkerRequest =
        WorkerCodec::decode(MessageCodec::encode(&request));
    assert_eq!(decoded, request);
}
