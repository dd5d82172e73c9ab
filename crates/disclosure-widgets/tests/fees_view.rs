//! The fee-list browser's view in a real browser: tabs with counts for the four catalogues
//! and the 涉企 list, each list's name, version and notice, what changed in this version
//! (本次调整), the accessible table grouped by department, filtering on a Chinese
//! fragment, a legal basis no longer in force flagged in words (a citation's title shown
//! with it), the empty, loading and error states, and markup shown as text.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use disclosure_core::fees::{
    Basis, FeeChanges, FeeFile, FeeItem, FeeList, FeeListKind, Level, Standard, FEES_FORMAT,
};
use disclosure_core::validity::Status;
use disclosure_widgets::fees::prepare;
use disclosure_widgets::fees::view::{FeeChoice, FeeRecords, FeeView, FeeViewProps, ROWS_AT_FIRST};
use time::macros::date;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn item(
    department: &str,
    name: &str,
    sub: &str,
    fen: u64,
    basis: &str,
    enterprise: bool,
) -> FeeItem {
    FeeItem {
        department: department.into(),
        item: name.into(),
        sub_item: sub.into(),
        standard: Standard::Amount(fen),
        unit: "元/证".into(),
        basis: vec![basis.into()],
        fund_management: "缴入国库".into(),
        level: Some(Level::Central),
        enterprise,
        remarks: String::new(),
        unit_nature: String::new(),
        nature: String::new(),
        service: String::new(),
    }
}

fn file(extra: usize) -> FeeFile {
    let mut admin = vec![
        item(
            "公安",
            "居民身份证工本费",
            "临时居民身份证",
            1000,
            "发改价格〔2003〕2322号",
            false,
        ),
        item(
            "公安",
            "机动车号牌工本费",
            "汽车号牌",
            10000,
            "发改价格〔2004〕2831号",
            true,
        ),
        item(
            "住房城乡建设",
            "城市道路占用费",
            "",
            300,
            "宁发改价费〔2016〕8号",
            true,
        ),
        item(
            "自然资源",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            8000,
            "发改价格规〔2016〕2559号",
            false,
        ),
    ];
    for n in 0..extra {
        admin.push(item(
            "税务",
            &format!("测试收费{n}"),
            "",
            100,
            "财综〔2010〕98号",
            false,
        ));
    }
    // The road-occupation fee cites its basis the way bureaus write it, title and all.
    admin[2].basis = vec![Basis::from(
        "宁乡市发展和改革局《关于城市道路占用费和挖掘修复费收费标准的通知》（宁发改价费〔2016〕8号）",
    )];
    let mut previous = admin.clone();
    previous[0].standard = Standard::Amount(1500);
    previous.push(item(
        "外事",
        "代填签证申请表",
        "",
        500,
        "财综〔2003〕45号",
        false,
    ));
    previous.remove(3);
    let mut whole = FeeList::new(FeeListKind::Administrative, admin);
    whole.name = "宁乡市行政事业性收费目录清单（2025年版）".into();
    whole.version = Some("2025-03-01".into());
    whole.notice = Some("宁财综〔2025〕3号".into());
    let mut before = FeeList::new(FeeListKind::Administrative, previous);
    before.version = Some("2024-01-01".into());
    whole.changes = Some(FeeChanges::between(&before, &whole));
    let mut deposit = item(
        "住房城乡建设",
        "农民工工资保证金",
        "",
        0,
        "人社部发〔2021〕65号",
        true,
    );
    deposit.standard = Standard::Words("按施工合同额的1%存储".into());
    let mut service = item(
        "交通运输",
        "机动车检测服务费",
        "",
        9000,
        "湘发改价费规〔2022〕643号",
        true,
    );
    service.unit_nature = "事业单位".into();
    service.nature = "经营服务性".into();
    service.service = "机动车安全技术检验".into();
    FeeFile {
        format: FEES_FORMAT.into(),
        lists: vec![
            whole,
            FeeList::new(
                FeeListKind::Fund,
                vec![item(
                    "税务",
                    "地方教育附加",
                    "",
                    0,
                    "财综〔2010〕98号",
                    true,
                )],
            ),
            FeeList::new(FeeListKind::Deposit, vec![deposit]),
            FeeList::new(FeeListKind::PricedService, vec![service]),
        ],
    }
}

struct Rendered {
    root: Element,
    choices: Rc<RefCell<Vec<FeeChoice>>>,
}

async fn render(records: FeeRecords, choice: FeeChoice) -> Rendered {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let choices = Rc::new(RefCell::new(Vec::new()));
    let seen = choices.clone();
    let mut basis = HashMap::new();
    basis.insert(
        "宁发改价费〔2016〕8号".to_string(),
        Status::Expired {
            since: date!(2021 - 04 - 01),
        },
    );
    let props = FeeViewProps {
        records,
        basis: Rc::new(basis),
        choice,
        validity_page: AttrValue::Static("validity.html"),
        county: AttrValue::Static("宁乡市"),
        on_choice: Callback::from(move |choice| seen.borrow_mut().push(choice)),
        on_download: Callback::noop(),
        on_print: Callback::noop(),
        on_retry: Callback::noop(),
    };
    yew::Renderer::<FeeView>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    Rendered { root, choices }
}

fn ready(extra: usize) -> FeeRecords {
    FeeRecords::Ready(Rc::new(prepare(&file(extra))))
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn the_whole_list_shows_as_an_accessible_table_grouped_by_department() {
    let Rendered { root, .. } = render(ready(0), FeeChoice::default()).await;
    assert_eq!(
        texts(&root, "[role=tab]"),
        [
            "行政事业性收费（4项）",
            "涉企行政事业性收费（2项）",
            "政府性基金（1项）",
            "涉企保证金（1项）",
            "政府定价的经营服务性收费（1项）"
        ]
    );
    let selected = root
        .query_selector("[role=tab][aria-selected=true]")
        .unwrap()
        .unwrap();
    assert_eq!(selected.id(), "nx-fees-tab-admin");
    assert_eq!(
        texts(&root, ".nx-fees__list caption"),
        ["宁乡市行政事业性收费目录清单，共 4 项"]
    );
    assert_eq!(
        root.query_selector_all(".nx-fees__list thead th[scope=col]")
            .unwrap()
            .length(),
        7
    );
    assert_eq!(
        texts(&root, "th[scope=rowgroup]"),
        ["公安（2项）", "住房城乡建设（1项）", "自然资源（1项）"]
    );
    assert_eq!(
        root.query_selector_all(".nx-fees__list tbody th[scope=row]")
            .unwrap()
            .length(),
        4
    );
    assert_eq!(texts(&root, "[role=status]"), ["共 4 项"]);
    assert!(texts(&root, ".nx-fees__standard").contains(&"10 元/证".to_string()));
    // Every cell names its column for the card layout of narrow screens.
    let first_cell = root.query_selector(".nx-fees__row td").unwrap().unwrap();
    assert_eq!(
        first_cell.get_attribute("data-label").as_deref(),
        Some("部门")
    );
}

#[wasm_bindgen_test]
async fn a_chinese_fragment_narrows_the_list_and_says_how_many_match() {
    let choice = FeeChoice {
        filter: disclosure_core::fees::FeeFilter {
            text: "身份".into(),
            ..Default::default()
        },
        ..FeeChoice::default()
    };
    let Rendered { root, .. } = render(ready(0), choice).await;
    assert_eq!(
        texts(&root, ".nx-fees__list tbody th[scope=row]"),
        ["居民身份证工本费临时居民身份证"]
    );
    assert_eq!(texts(&root, "[role=status]"), ["共 4 项，符合条件的 1 项"]);
    assert!(texts(&root, ".nx-fees__list caption")[0].contains("含“身份”"));
}

#[wasm_bindgen_test]
async fn a_basis_links_to_the_validity_lookup_and_one_no_longer_in_force_is_flagged() {
    let Rendered { root, .. } = render(ready(0), FeeChoice::default()).await;
    let links = root.query_selector_all(".nx-fees__basis a").unwrap();
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
    assert!(hrefs.contains(
        &"validity.html?wh=%E5%AE%81%E5%8F%91%E6%94%B9%E4%BB%B7%E8%B4%B9%E3%80%942016%E3%80%958%E5%8F%B7".to_string()
    ), "{hrefs:?}");
    assert_eq!(
        texts(&root, ".nx-fees__warning"),
        ["⚠ 该依据文件已失效，此项收费请向执收部门核实"]
    );
}

#[wasm_bindgen_test]
async fn nothing_found_explains_what_to_do_and_markup_in_data_is_text() {
    let choice = FeeChoice {
        filter: disclosure_core::fees::FeeFilter {
            text: "不存在的收费".into(),
            ..Default::default()
        },
        ..FeeChoice::default()
    };
    let Rendered { root, .. } = render(ready(0), choice).await;
    let empty = texts(&root, ".nx-fees__empty").concat();
    assert!(
        empty.contains("没有符合条件的收费项目") && empty.contains("12345"),
        "{empty}"
    );
    assert_eq!(
        root.query_selector_all(".nx-fees__list").unwrap().length(),
        0
    );

    let Rendered { root, .. } = render(ready(0), FeeChoice::default()).await;
    assert!(root.query_selector("script, img").unwrap().is_none());
    assert!(root
        .text_content()
        .unwrap()
        .contains("<script>alert(1)</script>"));
}

#[wasm_bindgen_test]
async fn a_long_list_draws_its_first_rows_and_offers_the_rest() {
    let Rendered { root, choices } = render(ready(250), FeeChoice::default()).await;
    assert_eq!(
        root.query_selector_all(".nx-fees__row").unwrap().length() as usize,
        ROWS_AT_FIRST
    );
    let more = root.query_selector(".nx-fees__more").unwrap().unwrap();
    assert_eq!(
        more.text_content().unwrap(),
        format!("显示其余 {} 项", 254 - ROWS_AT_FIRST)
    );
    more.unchecked_into::<HtmlElement>().click();
    assert_eq!(choices.borrow().last().unwrap().shown, usize::MAX);
}

#[wasm_bindgen_test]
async fn arrow_keys_move_between_the_lists() {
    let Rendered { root, choices } = render(ready(0), FeeChoice::default()).await;
    let tablist = root.query_selector("[role=tablist]").unwrap().unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowLeft");
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    tablist.dispatch_event(&event).unwrap();
    assert_eq!(
        choices.borrow().last().unwrap().list,
        FeeListKind::PricedService
    );
}

#[wasm_bindgen_test]
async fn loading_and_failure_are_said_in_words_with_a_way_to_retry() {
    let Rendered { root, .. } = render(FeeRecords::Loading, FeeChoice::default()).await;
    assert_eq!(texts(&root, "[role=status]"), ["正在载入收费清单…"]);
    let Rendered { root, .. } = render(
        FeeRecords::Failed("收费清单暂时无法连接，请检查网络后重试。".into()),
        FeeChoice::default(),
    )
    .await;
    assert_eq!(
        texts(&root, "[role=alert] p"),
        ["收费清单暂时无法连接，请检查网络后重试。"]
    );
    assert_eq!(texts(&root, "[role=alert] button"), ["重新载入"]);
}

#[wasm_bindgen_test]
async fn each_of_the_four_catalogues_shows_with_its_name_version_and_notice() {
    for (kind, name, row) in [
        (
            FeeListKind::Administrative,
            "宁乡市行政事业性收费目录清单（2025年版）",
            "居民身份证工本费临时居民身份证",
        ),
        (
            FeeListKind::Fund,
            "宁乡市政府性基金目录清单",
            "地方教育附加",
        ),
        (
            FeeListKind::Deposit,
            "宁乡市涉企保证金目录清单",
            "农民工工资保证金",
        ),
        (
            FeeListKind::PricedService,
            "宁乡市政府定价的经营服务性收费目录清单",
            "机动车检测服务费",
        ),
    ] {
        let choice = FeeChoice {
            list: kind,
            ..FeeChoice::default()
        };
        let Rendered { root, .. } = render(ready(0), choice).await;
        assert_eq!(texts(&root, ".nx-fees__name"), [name], "{kind:?}");
        assert!(
            texts(&root, ".nx-fees__list tbody th[scope=row]")
                .iter()
                .any(|name| name.starts_with(row)),
            "{kind:?}"
        );
    }
    // The priced services name the unit's nature, the service and the fee's nature.
    let choice = FeeChoice {
        list: FeeListKind::PricedService,
        ..FeeChoice::default()
    };
    let Rendered { root, .. } = render(ready(0), choice).await;
    assert_eq!(
        texts(&root, ".nx-fees__unit-nature"),
        ["单位性质：事业单位"]
    );
    assert_eq!(
        texts(&root, ".nx-fees__service"),
        ["服务内容：机动车安全技术检验"]
    );
    assert_eq!(texts(&root, ".nx-fees__nature"), ["收费性质：经营服务性"]);
    let Rendered { root, .. } = render(ready(0), FeeChoice::default()).await;
    assert_eq!(
        texts(&root, ".nx-fees__meta"),
        ["版本日期：2025-03-01发布文号：宁财综〔2025〕3号"]
    );
    // A basis cited with its title shows the title, and its number still links and warns.
    assert!(texts(&root, ".nx-fees__basis-title").contains(
        &"宁乡市发展和改革局《关于城市道路占用费和挖掘修复费收费标准的通知》".to_string()
    ));
    assert_eq!(texts(&root, ".nx-fees__warning").len(), 1);
}

#[wasm_bindgen_test]
async fn the_changes_of_this_version_list_each_item_added_removed_and_changed() {
    let Rendered { root, .. } = render(ready(0), FeeChoice::default()).await;
    let summary = texts(&root, ".nx-fees__changes summary").concat();
    assert_eq!(
        summary,
        "本次调整（动态调整情况说明）：新增 1 项，取消 1 项，调整 1 项"
    );
    assert_eq!(
        texts(&root, ".nx-fees__changes caption"),
        ["与 2024-01-01 版相比"]
    );
    let rows: Vec<String> = texts(&root, ".nx-fees__change");
    assert_eq!(
        rows,
        [
            "新增自然资源<script>alert(1)</script>（<img src=x onerror=alert(1)>）80 元/证",
            "取消外事代填签证申请表5 元/证",
            "调整公安居民身份证工本费（临时居民身份证）收费标准15 元/证10 元/证",
        ]
    );
    // A list without a previous version has no changes view.
    let choice = FeeChoice {
        list: FeeListKind::Fund,
        ..FeeChoice::default()
    };
    let Rendered { root, .. } = render(ready(0), choice).await;
    assert!(root.query_selector(".nx-fees__changes").unwrap().is_none());
}
