//! The search widget's view in a real browser: results with highlights, facets, the
//! empty and error states, and document text that stays text.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use disclosure_search::{FacetCount, Facets, HighlightedText, Hit, MatchKind, SearchResults};
use disclosure_widgets::protocol::LoadFailure;
use disclosure_widgets::search::state::{FacetKind, SearchAction, SearchState};
use disclosure_widgets::search::view::{SearchView, SearchViewProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::Callback;

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
        fallback_url: Some("/data/library.html".into()),
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
    let (root, emitted) = render(state).await;
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
    let (root, emitted) = render(state).await;
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
