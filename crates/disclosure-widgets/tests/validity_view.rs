//! The validity lookup's view in a real browser: a bracket variant finds the canonical
//! document with its status as a word and an icon, versions in force first, and the
//! messages for what is not a number or not found.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use disclosure_core::library::{Library, LibraryAction, LibraryQuery, StatusGroup};
use disclosure_core::lookup::{LookupChange, LookupEntry};
use disclosure_core::validity::{ChangeKind, Term};
use disclosure_widgets::validity::view::{Records, ValidityView, ValidityViewProps};
use std::cell::RefCell;
use time::macros::date;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement};
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn entry(id: &str, title: &str, number: &str, key: &str, effective: &str) -> LookupEntry {
    LookupEntry {
        id: id.into(),
        title: title.into(),
        number: Some(number.into()),
        key: Some(key.into()),
        issuer: Some("宁乡市住房和城乡建设局".into()),
        published: Some(effective.into()),
        effective: effective.into(),
        until: None,
        term: Term::Normative,
        changes: vec![],
        url: Some(format!("/{id}.html")),
        interpretation_url: None,
    }
}

fn entries() -> Rc<Vec<LookupEntry>> {
    let mut old = entry(
        "rent-2020",
        "宁乡市公共租赁住房管理办法（暂行）",
        "宁住建发〔2020〕5号",
        "宁住建发〔2020〕5号",
        "2020-03-20",
    );
    old.changes = vec![LookupChange {
        kind: ChangeKind::Repealed,
        by_number: Some("宁住建发〔2022〕9号".into()),
        by_title: Some("宁乡市公共租赁住房管理办法".into()),
        on: Some("2022-06-10".into()),
    }];
    Rc::new(vec![
        old,
        entry(
            "rent-2022",
            "宁乡市公共租赁住房管理办法",
            "宁住建发〔2022〕9号",
            "宁住建发〔2022〕9号",
            "2022-06-10",
        ),
    ])
}

async fn render(query: &str, records: Records) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = ValidityViewProps {
        records,
        query: AttrValue::from(query.to_string()),
        today: date!(2023 - 01 - 01),
        on_query: Callback::noop(),
        on_retry: Callback::noop(),
        library: None,
        library_query: LibraryQuery::default(),
        on_library: Callback::noop(),
        on_download: Callback::noop(),
        on_print: Callback::noop(),
        printing: false,
        feed_url: None,
    };
    yew::Renderer::<ValidityView>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    root
}

fn text(root: &Element, selector: &str) -> String {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

#[wasm_bindgen_test]
async fn a_bracket_variant_finds_the_repealed_document_and_what_replaced_it() {
    let root = render("宁住建发[2020]05号", Records::Ready(entries())).await;
    assert_eq!(
        text(&root, "[role=status]"),
        "找到文号为“宁住建发〔2020〕5号”的文件"
    );
    assert_eq!(
        text(&root, ".nx-validity__title"),
        "宁乡市公共租赁住房管理办法（暂行）"
    );
    assert_eq!(text(&root, ".nx-status__icon"), "✕");
    assert!(text(&root, ".nx-status__word").contains("废止"));
    let change = text(&root, ".nx-validity__change");
    assert!(
        change.contains(
            "由《宁乡市公共租赁住房管理办法》（宁住建发〔2022〕9号）废止，自2022-06-10起"
        ),
        "{change}"
    );
    let link = root
        .query_selector(".nx-validity__change a")
        .unwrap()
        .unwrap();
    assert!(link.get_attribute("href").unwrap().starts_with("?wh="));
}

#[wasm_bindgen_test]
async fn title_words_list_every_version_in_force_first() {
    let root = render("公共租赁住房", Records::Ready(entries())).await;
    assert_eq!(
        text(&root, ".nx-validity__title"),
        "宁乡市公共租赁住房管理办法|宁乡市公共租赁住房管理办法（暂行）"
    );
    assert_eq!(text(&root, ".nx-status__icon"), "✓|✕");
    assert!(text(&root, ".nx-validity__meta").contains("有效期至2027-06-09"));
}

#[wasm_bindgen_test]
async fn says_what_is_not_a_number_and_what_is_not_found() {
    let root = render("宁政发〔20l9〕3号", Records::Ready(entries())).await;
    assert!(text(&root, "[role=status]").contains("这不是文号的格式"));
    let root = render("宁政发〔2019〕3号", Records::Ready(entries())).await;
    assert!(text(&root, "[role=status]").contains("没有找到文号为“宁政发〔2019〕3号”的文件"));
    let root = render(
        "x",
        Records::Failed("文件库暂时无法连接，请检查网络后重试。".into()),
    )
    .await;
    assert!(text(&root, "[role=alert]").contains("文件库暂时无法连接"));
}

/// The library with nothing typed: every document, its filters with counts, the count in
/// the live region, pages, and the published lists' buttons; each control labelled.
#[wasm_bindgen_test]
async fn with_nothing_typed_the_library_browses_by_issuer_year_and_status() {
    let today = date!(2023 - 01 - 01);
    let mut many: Vec<LookupEntry> = entries().as_ref().clone();
    for n in 1..=25 {
        let mut e = entry(
            &format!("n{n}"),
            &format!("宁乡市第{n}号管理办法"),
            &format!("宁政发〔2021〕{n}号"),
            &format!("宁政发〔2021〕{n}号"),
            "2021-05-01",
        );
        e.issuer = Some("宁乡市人民政府".into());
        many.push(e);
    }
    let library = Rc::new(Library::new(&many, today));
    let actions = Rc::new(RefCell::new(Vec::<LibraryAction>::new()));
    let printed = Rc::new(RefCell::new(Vec::<StatusGroup>::new()));
    let render_library = |query: LibraryQuery| {
        let library = library.clone();
        let actions = actions.clone();
        let printed = printed.clone();
        async move {
            let document = web_sys::window().unwrap().document().unwrap();
            let root = document.create_element("div").unwrap();
            document.body().unwrap().append_child(&root).unwrap();
            let props = ValidityViewProps {
                records: Records::Ready(Rc::new(Vec::new())),
                query: AttrValue::from(""),
                today,
                on_query: Callback::noop(),
                on_retry: Callback::noop(),
                library: Some(library),
                library_query: query,
                on_library: Callback::from(move |a| actions.borrow_mut().push(a)),
                on_download: Callback::noop(),
                on_print: Callback::from(move |g| printed.borrow_mut().push(g)),
                printing: false,
                feed_url: Some(AttrValue::from("data/validity-changes.atom")),
            };
            yew::Renderer::<ValidityView>::with_root_and_props(root.clone(), props).render();
            yew::platform::time::sleep(Duration::from_millis(10)).await;
            root
        }
    };
    let root = render_library(LibraryQuery::default()).await;
    assert_eq!(
        text(&root, "[role=status]"),
        "文件库共 27 份文件，符合条件的 27 份，第 1 / 2 页"
    );
    assert_eq!(
        root.query_selector_all(".nx-library .nx-validity__title")
            .unwrap()
            .length(),
        20
    );
    // Newest first: the 2022 version leads.
    assert!(text(&root, ".nx-validity__title").starts_with("宁乡市公共租赁住房管理办法|"));
    let status = text(&root, "#nx-library-status option");
    assert_eq!(
        status,
        "全部（27）|现行有效（26）|尚未生效（0）|已废止（1）|已失效（0）"
    );
    assert!(text(&root, "#nx-library-issuer option").contains("宁乡市人民政府（25）"));
    assert!(text(&root, "#nx-library-year option").contains("2021年（25）"));
    // Every control has its label.
    for id in [
        "nx-library-text",
        "nx-library-issuer",
        "nx-library-year",
        "nx-library-status",
        "nx-library-sort",
    ] {
        assert!(
            root.query_selector(&format!("label[for={id}]"))
                .unwrap()
                .is_some(),
            "{id}"
        );
    }
    // Choosing a status and the next page become actions.
    let select: HtmlSelectElement = root
        .query_selector("#nx-library-status")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("repealed");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let next: HtmlElement = root
        .query_selector(".nx-library__pages button:last-child")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    next.click();
    // The last page's "next" stays focusable and does nothing; the feed is linked.
    assert_eq!(
        text(&root, ".nx-library__pages [aria-disabled=true]"),
        "上一页"
    );
    assert_eq!(
        root.query_selector(".nx-library__feed")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("data/validity-changes.atom")
    );
    let print: HtmlElement = root
        .query_selector(".nx-library__list:nth-child(2) button:last-child")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(print.text_content().unwrap(), "打印“已废止”目录");
    print.click();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(
        *actions.borrow(),
        [
            LibraryAction::Status(Some(StatusGroup::Repealed)),
            LibraryAction::Page(1)
        ]
    );
    assert_eq!(*printed.borrow(), [StatusGroup::Repealed]);
    // A filtered view says what it found.
    let root = render_library(
        LibraryQuery::default().apply(LibraryAction::Status(Some(StatusGroup::Repealed))),
    )
    .await;
    assert_eq!(
        text(&root, "[role=status]"),
        "文件库共 27 份文件，符合条件的 1 份"
    );
    assert_eq!(
        text(&root, ".nx-library .nx-validity__title"),
        "宁乡市公共租赁住房管理办法（暂行）"
    );
    assert!(root.query_selector(".nx-library__pages").unwrap().is_none());
    assert_eq!(
        text(&root, ".nx-library__caption"),
        "已废止的行政规范性文件目录（1 份）"
    );
    // On the last page, "next" does nothing.
    actions.borrow_mut().clear();
    let root = render_library(LibraryQuery::default().apply(LibraryAction::Page(1))).await;
    assert_eq!(
        text(&root, "[role=status]"),
        "文件库共 27 份文件，符合条件的 27 份，第 2 / 2 页"
    );
    let next: HtmlElement = root
        .query_selector(".nx-library__pages button:last-child")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(next.get_attribute("aria-disabled").as_deref(), Some("true"));
    next.click();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    assert!(actions.borrow().is_empty());
    assert_eq!(
        root.query_selector_all(".nx-library .nx-validity__title")
            .unwrap()
            .length(),
        7
    );
}
