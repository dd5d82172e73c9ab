//! The consultation form in a real browser: the validation of each field shown beside it
//! and in a summary, the live count, the waiting notice, the receipt, the list with status
//! words, and published results with masked names, all markup shown as text.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use disclosure_core::consultation::{
    withheld_sentence, CatalogueEntry, CatalogueForm, CatalogueYear, Clause, Consultation,
    DecisionStage, LiveCounts, OpinionDraft, OpinionStatus, PublicOpinion, PublishedOpinion, Receipt,
    ResultsPage, Verdict, WithheldCount, WithholdReason,
};
use disclosure_widgets::consultation::view::{
    Catalogue, ConsultationView, ConsultationViewProps, Consultations, Lookup, Sending,
};
use disclosure_core::post_answer::NotReceived;
use time::macros::date;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn consultation(id: &str, start: time::Date, end: time::Date) -> Consultation {
    Consultation {
        id: id.into(),
        title: format!("{id} 管理办法（征求意见稿）"),
        department: "宁乡市发展和改革局".into(),
        start,
        end,
        draft_url: "drafts/a.html".into(),
        explanation_url: None,
        clauses: vec![Clause {
            number: 1,
            title: "适用范围".into(),
        }],
        results_published: None,
        summary: String::new(),
    }
}

fn all() -> Consultations {
    let mut answered = consultation("answered", date!(2026 - 08 - 01), date!(2026 - 08 - 31));
    answered.results_published = Some(date!(2026 - 09 - 20));
    Consultations::Ready(Rc::new(vec![
        consultation("open", date!(2026 - 11 - 01), date!(2026 - 12 - 31)),
        consultation("closed", date!(2026 - 09 - 01), date!(2026 - 09 - 30)),
        consultation("future", date!(2027 - 01 - 01), date!(2027 - 01 - 31)),
        answered,
    ]))
}

struct Setup {
    selected: Option<&'static str>,
    draft: OpinionDraft,
    sending: Sending,
    results: Option<Rc<ResultsPage>>,
    validate: bool,
}

thread_local! {
    /// The catalogue the next render shows (none: the list or a consultation).
    static CATALOGUE: std::cell::RefCell<Option<Catalogue>> = const { std::cell::RefCell::new(None) };
    /// The kept receipt and the lookup the next render shows.
    static KEPT: std::cell::RefCell<(Option<Receipt>, Lookup)> = std::cell::RefCell::new((None, Lookup::Idle));
}

async fn render(setup: Setup) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let errors = match (&all(), setup.validate) {
        (Consultations::Ready(list), true) => {
            setup.draft.validate(&list[0]).err().unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let props = ConsultationViewProps {
        consultations: all(),
        selected: setup.selected.map(AttrValue::Static),
        today: date!(2026 - 11 - 27),
        draft: setup.draft,
        errors: Rc::new(errors),
        sending: setup.sending,
        results: setup.results,
        counts: Some(Rc::new(LiveCounts {
            consultation_id: "open".into(),
            total: 3,
            per_clause: vec![("总体意见".into(), 1), ("第1条 适用范围".into(), 2)],
        })),
        short_period_reason: Some(AttrValue::Static("涉及汛期安全，需尽快出台")),
        catalogue: CATALOGUE.with(|c| c.borrow_mut().take()),
        on_catalogue: Callback::noop(),
        kept: KEPT.with(|k| k.borrow().0.clone()),
        lookup: KEPT.with(|k| k.borrow().1.clone()),
        on_lookup: Callback::noop(),
        on_dismiss: Callback::noop(),
        retention_days: 180,
        on_select: Callback::noop(),
        on_draft: Callback::noop(),
        on_submit: Callback::noop(),
        on_retry: Callback::noop(),
    };
    yew::Renderer::<ConsultationView>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    root
}

fn open_form(draft: OpinionDraft, validate: bool, sending: Sending) -> Setup {
    Setup {
        selected: Some("open"),
        draft,
        sending,
        results: None,
        validate,
    }
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn attribute(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.get_attribute(name))
}

#[wasm_bindgen_test]
async fn the_list_shows_each_consultation_with_its_status_word() {
    let root = render(Setup {
        selected: None,
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: None,
        validate: false,
    })
    .await;
    assert_eq!(
        texts(&root, ".nx-consult__badge"),
        ["征集中", "已结束", "未开始", "已反馈"]
    );
    assert!(texts(&root, ".nx-consult__meta")[0].contains("2026-11-01 至 2026-12-31（61天）"));
}

#[wasm_bindgen_test]
async fn an_empty_opinion_and_bad_contacts_are_named_beside_their_fields_and_in_a_summary() {
    let draft = OpinionDraft {
        consultation_id: "open".into(),
        text: "   ".into(),
        phone: "138abc".into(),
        email: "someone@".into(),
        ..Default::default()
    };
    let root = render(open_form(draft, true, Sending::Idle)).await;
    let summary = texts(&root, "[role=alert]").concat();
    assert!(summary.contains("有 3 处需要修改"), "{summary}");
    assert_eq!(
        attribute(&root, "#nx-opinion-text", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attribute(&root, "#nx-opinion-text", "aria-describedby").as_deref(),
        Some("nx-opinion-count nx-opinion-text-error")
    );
    assert_eq!(texts(&root, "#nx-opinion-text-error"), ["请填写意见内容"]);
    assert!(texts(&root, "#nx-opinion-phone-error")[0].contains("只能包含数字"));
    assert!(texts(&root, "#nx-opinion-email-error")[0].contains("域名"));
    assert_eq!(attribute(&root, "#nx-opinion-name", "aria-invalid"), None);
    // The summary links to the fields.
    assert_eq!(
        attribute(&root, ".nx-consult__summary a", "href").as_deref(),
        Some("#nx-opinion-text")
    );
}

#[wasm_bindgen_test]
async fn the_count_is_live_and_says_how_far_over_the_limit_the_text_is() {
    let draft = OpinionDraft {
        consultation_id: "open".into(),
        text: "字".repeat(5001),
        ..Default::default()
    };
    let root = render(open_form(draft, true, Sending::Idle)).await;
    assert_eq!(
        texts(&root, "#nx-opinion-count"),
        ["已输入 5001 字，最多 5000 字，超出 1 字"]
    );
    assert!(texts(&root, "#nx-opinion-text-error")[0].contains("请删减1字"));
}

#[wasm_bindgen_test]
async fn a_waiting_opinion_is_explained_and_a_receipt_can_be_copied() {
    let draft = OpinionDraft {
        consultation_id: "open".into(),
        text: "建议".into(),
        ..Default::default()
    };
    let root = render(open_form(draft.clone(), false, Sending::Waiting(NotReceived::Network))).await;
    assert!(texts(&root, ".nx-consult__waiting")[0].contains("已保存在本机"));
    // A 429 says how long to wait, not that the network is down.
    let too_frequent = Sending::Waiting(NotReceived::TooFrequent { seconds: 42 });
    let root = render(open_form(draft.clone(), false, too_frequent)).await;
    let note = &texts(&root, ".nx-consult__waiting")[0];
    assert!(note.contains("提交过于频繁，请 42 秒后再试") && !note.contains("无法连接"), "{note}");
    // A proxy's page refusing it: kept, announced as an alert, not retried by itself.
    let held = Sending::Held(NotReceived::ForeignAnswer { status: 413 });
    let root = render(open_form(draft.clone(), false, held)).await;
    let note = &texts(&root, ".nx-consult__held[role=alert]")[0];
    assert!(note.contains("HTTP 413") && note.contains("已保存在本机"), "{note}");
    let receipt = Receipt {
        receipt: "YJ20261127-7K3M9Q".into(),
        secret: "a1b2c3".into(),
        received_at: String::new(),
        repeated: false,
    };
    let root = render(open_form(draft, false, Sending::Received(receipt))).await;
    assert_eq!(
        texts(&root, ".nx-consult__receipt-number"),
        ["YJ20261127-7K3M9Q"]
    );
    assert_eq!(texts(&root, ".nx-consult__receipt-secret"), ["a1b2c3"]);
    assert_eq!(
        texts(&root, ".nx-consult__receipt button"),
        ["复制回执编号和查询码"]
    );
}

#[wasm_bindgen_test]
async fn a_closed_or_future_consultation_takes_no_opinion() {
    let root = render(Setup {
        selected: Some("closed"),
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: None,
        validate: false,
    })
    .await;
    assert!(root.query_selector("form").unwrap().is_none());
    assert!(texts(&root, ".nx-consult__notice")[0].contains("已于2026-09-30结束"));
    let root = render(Setup {
        selected: Some("future"),
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: None,
        validate: false,
    })
    .await;
    assert!(texts(&root, ".nx-consult__notice")[0].contains("将于2027-01-01开始"));
}

#[wasm_bindgen_test]
async fn published_results_show_counts_verdicts_and_masked_names_as_text() {
    let results = ResultsPage {
        consultation_id: "answered".into(),
        published: date!(2026 - 09 - 20),
        total: 3,
        per_clause: vec![("总体意见".into(), 2), ("第1条 适用范围".into(), 1)],
        opinions: vec![
            PublicOpinion {
                opinion: PublishedOpinion {
                    clause: "总体意见".into(),
                    text: "<script>alert(1)</script>".into(),
                    name: "张*".into(),
                    verdict: Some(Verdict::Adopted),
                    reason: String::new(),
                },
                redaction_reason: None,
            },
            PublicOpinion {
                opinion: PublishedOpinion {
                    clause: "第1条 适用范围".into(),
                    text: "扩大范围，电话＊＊＊".into(),
                    name: String::new(),
                    verdict: Some(Verdict::NotAdopted),
                    reason: "超出本办法调整范围".into(),
                },
                redaction_reason: Some("涉及个人信息".into()),
            },
        ],
        statement: "共收到意见3条，采纳1条。".into(),
        withheld: vec![WithheldCount {
            reason: WithholdReason::Duplicate,
            count: 1,
            sentence: withheld_sentence(1, WithholdReason::Duplicate),
        }],
    };
    let root = render(Setup {
        selected: Some("answered"),
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: Some(Rc::new(results)),
        validate: false,
    })
    .await;
    assert_eq!(
        texts(&root, ".nx-consult__counts caption"),
        ["共收到意见 3 条"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__statement p"),
        ["共收到意见3条，采纳1条。"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__withheld li"),
        ["1 条意见因与已提交的意见重复未予公开"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__redacted"),
        ["（＊＊＊处涉及个人信息，已隐去）"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__opinion .nx-consult__meta"),
        ["总体意见 · 张*", "第1条 适用范围 · 匿名"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__verdict")[1],
        "处理结果：未采纳。理由：超出本办法调整范围"
    );
    assert!(root
        .query_selector(".nx-consult__opinions script")
        .unwrap()
        .is_none());
    assert_eq!(
        texts(&root, ".nx-consult__text")[0],
        "<script>alert(1)</script>"
    );
}

#[wasm_bindgen_test]
async fn an_open_consultation_shows_live_counts_and_why_its_period_is_short() {
    let root = render(open_form(OpinionDraft::default(), false, Sending::Idle)).await;
    assert_eq!(
        texts(&root, ".nx-consult__live"),
        ["目前已收到意见 3 条（总体意见 1 条；第1条 适用范围 2 条）"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__short-reason"),
        ["涉及汛期安全，需尽快出台"]
    );
}

#[wasm_bindgen_test]
async fn the_catalogue_lists_each_decision_with_its_stage_and_links() {
    let entry = |title: &str, stage, consultation: Option<&str>, results_published| CatalogueEntry {
        id: title.into(),
        form: CatalogueForm {
            year: 2026,
            title: title.into(),
            department: "宁乡市水利局".into(),
            stage,
            consultation_id: consultation.map(str::to_string),
            decision_url: None,
        },
        stage_word: String::new(),
        results_published,
    };
    CATALOGUE.with(|c| {
        *c.borrow_mut() = Some(Catalogue::Ready(Rc::new(CatalogueYear {
            year: 2026,
            entries: vec![
                entry("城区防汛应急管理办法", DecisionStage::Consulting, Some("open"), false),
                entry("沩水风光带管理规定", DecisionStage::Published, Some("answered"), true),
                entry("<b>停车</b>收费调整", DecisionStage::Drafting, None, false),
            ],
        })))
    });
    let root = render(Setup {
        selected: None,
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: None,
        validate: false,
    })
    .await;
    assert_eq!(texts(&root, "h2"), ["2026年度重大行政决策事项目录"]);
    assert_eq!(
        texts(&root, ".nx-consult__catalogue tbody td:nth-child(3)"),
        ["征求意见中", "已公布", "拟定中"]
    );
    assert_eq!(
        texts(&root, ".nx-consult__catalogue tbody a"),
        ["意见征集", "意见征集及采纳情况"]
    );
    assert_eq!(attribute(&root, ".nx-consult__catalogue tbody a", "href").as_deref(), Some("?zq=open"));
    assert_eq!(texts(&root, ".nx-consult__catalogue tbody th")[2], "<b>停车</b>收费调整");
    // The list links to this year's catalogue.
    let root = render(Setup {
        selected: None,
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: None,
        validate: false,
    })
    .await;
    assert_eq!(texts(&root, ".nx-consult__catalogue-link"), ["2026年度重大行政决策事项目录"]);
}

#[wasm_bindgen_test]
async fn a_kept_receipt_shows_after_a_reload_and_the_lookup_shows_what_became_of_it() {
    let receipt = Receipt {
        receipt: "YJ20261127-7K3M9Q".into(),
        secret: "a1b2c3".into(),
        received_at: String::new(),
        repeated: false,
    };
    let found = OpinionStatus {
        receipt: receipt.receipt.clone(),
        consultation_id: "open".into(),
        consultation_title: "open 管理办法（征求意见稿）".into(),
        clause: "第1条 适用范围".into(),
        text: "<i>建议</i>".into(),
        received_at: "2026-11-27T01:00:00Z".into(),
        state: "未予公开".into(),
        verdict: None,
        reason: None,
        withheld: Some("与已提交的意见重复".into()),
    };
    KEPT.with(|k| *k.borrow_mut() = (Some(receipt), Lookup::Found(Rc::new(found))));
    let root = render(open_form(OpinionDraft::default(), false, Sending::Idle)).await;
    assert_eq!(texts(&root, ".nx-consult__kept-number"), ["YJ20261127-7K3M9Q"]);
    assert!(root.query_selector("#nx-opinion-text").unwrap().is_some(), "the form stays below");
    assert_eq!(
        texts(&root, ".nx-consult__kept-actions button"),
        ["查询处理情况", "不再保留此回执"]
    );
    assert_eq!(texts(&root, ".nx-consult__found-state"), ["未予公开"]);
    assert_eq!(texts(&root, ".nx-consult__found-withheld"), ["与已提交的意见重复"]);
    assert!(root.query_selector(".nx-consult__found i").unwrap().is_none());
    // The list has the lookup form, each field labelled.
    KEPT.with(|k| *k.borrow_mut() = (None, Lookup::Failed("回执编号或查询码不正确，请核对后再查。".into())));
    let root = render(Setup {
        selected: None,
        draft: OpinionDraft::default(),
        sending: Sending::Idle,
        results: None,
        validate: false,
    })
    .await;
    assert_eq!(texts(&root, ".nx-consult__lookup label"), ["回执编号", "查询码"]);
    assert_eq!(texts(&root, ".nx-consult__lookup [role=alert]"), ["回执编号或查询码不正确，请核对后再查。"]);
    KEPT.with(|k| *k.borrow_mut() = (None, Lookup::Idle));
}
