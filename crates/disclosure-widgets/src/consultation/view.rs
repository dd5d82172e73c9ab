//! What the consultation widget shows, as pure function components of the consultations,
//! the form and what became of the submission: tested in a browser without any network.

use std::rc::Rc;

use disclosure_core::consultation::{
    CatalogueYear, Consultation, ConsultationStatus, DecisionStage, FieldError, LiveCounts,
    OpinionDraft, OpinionField, OpinionStatus, Receipt, ResultsPage, Verdict, WithholdReason,
    MAX_OPINION_CHARS,
};
use disclosure_core::post_answer::NotReceived;
use time::Date;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::labels::{use_lang, Lang};

/// Where the list of consultations stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Consultations {
    Loading,
    Ready(Rc<Vec<Consultation>>),
    Failed(String),
}

/// The year's catalogue of major decisions (年度重大行政决策事项目录), as the page holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Catalogue {
    Loading(i32),
    Ready(Rc<CatalogueYear>),
    Failed(i32, String),
}

/// Where the citizen's lookup of an opinion by receipt number and secret stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Lookup {
    #[default]
    Idle,
    Busy,
    Found(Rc<OpinionStatus>),
    /// The sentence saying why nothing was found.
    Failed(String),
}

/// What became of the opinion being sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Sending {
    /// Not sent yet (or corrected after a refusal).
    Idle,
    InFlight,
    /// Not received (why): the opinion waits in the browser and is sent again by itself,
    /// with the same key, until it arrives.
    Waiting(NotReceived),
    /// Not received, and something in front of the API refuses it: the opinion waits in
    /// the browser until the citizen sends it again (same key) or opens the page anew.
    Held(NotReceived),
    Received(Receipt),
    /// The server refused it for a reason the citizen can act on.
    Refused(String),
}

#[derive(Properties, PartialEq)]
pub struct ConsultationViewProps {
    pub consultations: Consultations,
    /// The consultation opened, by id.
    pub selected: Option<AttrValue>,
    pub today: Date,
    pub draft: OpinionDraft,
    /// Problems found in the draft, by the page or by the server.
    pub errors: Rc<Vec<FieldError>>,
    pub sending: Sending,
    /// The results of the selected consultation, once fetched: the officials' statement,
    /// the counts, the published opinions (redacted) and the withheld ones counted.
    pub results: Option<Rc<ResultsPage>>,
    /// While the selected consultation is open: the opinions received so far, counted.
    #[prop_or_default]
    pub counts: Option<Rc<LiveCounts>>,
    /// Why the selected consultation's period is shorter than 30 days, when it is.
    #[prop_or_default]
    pub short_period_reason: Option<AttrValue>,
    /// The year's catalogue of major decisions, shown instead of the list when asked for.
    #[prop_or_default]
    pub catalogue: Option<Catalogue>,
    /// Opens the catalogue of a year, or closes it (`None`).
    #[prop_or_default]
    pub on_catalogue: Callback<Option<i32>>,
    /// How long contact data is kept after the results are published.
    pub retention_days: u32,
    pub on_select: Callback<Option<String>>,
    pub on_draft: Callback<OpinionDraft>,
    pub on_submit: Callback<()>,
    pub on_retry: Callback<()>,
    /// The last receipt of the selected consultation, kept in the browser until the
    /// citizen dismisses it, so a reload does not lose it.
    #[prop_or_default]
    pub kept: Option<Receipt>,
    #[prop_or_default]
    pub lookup: Lookup,
    /// Looks an opinion up by receipt number and secret.
    #[prop_or_default]
    pub on_lookup: Callback<(String, String)>,
    /// Forgets the kept receipt.
    #[prop_or_default]
    pub on_dismiss: Callback<()>,
}

#[function_component(ConsultationView)]
pub fn consultation_view(props: &ConsultationViewProps) -> Html {
    let lang = use_lang();
    if let Some(catalogue) = &props.catalogue {
        return html! {
            <section class="nx-consult" lang={lang.tag()} aria-label={lang.pick("意见征集", "Public consultations")}>
                { catalogue_view(props, catalogue, lang) }
            </section>
        };
    }
    let body = match &props.consultations {
        Consultations::Loading => html! {
            <p class="nx-consult__status" role="status">{ lang.pick("正在载入意见征集…", "Loading the consultations…") }</p>
        },
        Consultations::Failed(message) => html! {
            <div class="nx-consult__error" role="alert">
                <p>{ message.clone() }</p>
                <button type="button" class="nx-button" onclick={props.on_retry.reform(|_| ())}>{ lang.pick("重新载入", "Load again") }</button>
            </div>
        },
        Consultations::Ready(all) => match props
            .selected
            .as_ref()
            .and_then(|id| all.iter().find(|c| c.id == id.as_str()))
        {
            Some(consultation) => detail(props, consultation, lang),
            None if props.selected.is_some() => html! {
                <>
                    <p class="nx-consult__error" role="alert">{ lang.pick("没有找到这项意见征集，请从下面的列表中选择。", "This consultation was not found; choose one below.") }</p>
                    { list(props, all, lang) }
                </>
            },
            None => list(props, all, lang),
        },
    };
    html! { <section class="nx-consult" lang={lang.tag()} aria-label={lang.pick("意见征集", "Public consultations")}>{ body }</section> }
}

fn period(consultation: &Consultation, lang: Lang) -> String {
    let (start, end, days) = (
        consultation.start,
        consultation.end,
        consultation.period_days(),
    );
    lang.pick(
        format!("{start} 至 {end}（{days}天）"),
        format!("{start} to {end} ({days} days)"),
    )
}

/// A consultation's status in the labels' language.
fn status_word(status: ConsultationStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (status, Lang::Chinese) => status.word(),
        (ConsultationStatus::NotStarted, Lang::English) => "Not started",
        (ConsultationStatus::Open, Lang::English) => "Open",
        (ConsultationStatus::Closed, Lang::English) => "Closed",
        (ConsultationStatus::Answered, Lang::English) => "Answered",
    }
}

fn list(props: &ConsultationViewProps, all: &[Consultation], lang: Lang) -> Html {
    let lookup = html! { <LookupForm lookup={props.lookup.clone()} on_lookup={props.on_lookup.clone()} /> };
    if all.is_empty() {
        return html! { <>
            <p class="nx-consult__status">{ lang.pick("目前没有意见征集。", "No consultation at present.") }</p>
            { lookup }
        </> };
    }
    let items = all.iter().map(|consultation| {
        let status = consultation.status_on(props.today);
        let onclick = {
            let id = consultation.id.clone();
            props.on_select.reform(move |event: MouseEvent| {
                event.prevent_default();
                Some(id.clone())
            })
        };
        html! {
            <li class="nx-consult__item" key={consultation.id.clone()}>
                <h3 class="nx-consult__item-title">
                    <a href={format!("?zq={}", consultation.id)} {onclick}>{ consultation.title.clone() }</a>
                </h3>
                <p class="nx-consult__meta">
                    <span class={classes!("nx-consult__badge", status_class(status))}>{ status_word(status, lang) }</span>
                    { format!(" {} · {} {}", consultation.department, lang.pick("征集时间", "open"), period(consultation, lang)) }
                </p>
            </li>
        }
    });
    html! {
        <>
            <h2 class="nx-consult__heading">{ lang.pick("意见征集", "Public consultations") }</h2>
            <ul class="nx-consult__list">{ for items }</ul>
            { catalogue_link(props, lang) }
            { lookup }
        </>
    }
}

/// The link from the list to this year's catalogue of major decisions.
fn catalogue_link(props: &ConsultationViewProps, lang: Lang) -> Html {
    let year = props.today.year();
    let onclick = props.on_catalogue.reform(move |event: MouseEvent| {
        event.prevent_default();
        Some(year)
    });
    html! {
        <p class="nx-consult__catalogue-link">
            <a href={format!("?ml={year}")} {onclick}>{ lang.pick(format!("{year}年度重大行政决策事项目录"), format!("Major decisions of {year}")) }</a>
        </p>
    }
}

fn stage_word(stage: DecisionStage, lang: Lang) -> &'static str {
    match (stage, lang) {
        (stage, Lang::Chinese) => stage.word(),
        (DecisionStage::Drafting, Lang::English) => "Being drafted",
        (DecisionStage::Consulting, Lang::English) => "Open for comment",
        (DecisionStage::Deliberating, Lang::English) => "Under deliberation",
        (DecisionStage::Published, Lang::English) => "Published",
    }
}

/// The year's catalogue: each decision with its department, stage and links to its
/// consultation and results; other years a click away.
fn catalogue_view(props: &ConsultationViewProps, catalogue: &Catalogue, lang: Lang) -> Html {
    let year = match catalogue {
        Catalogue::Loading(year) | Catalogue::Failed(year, _) => *year,
        Catalogue::Ready(found) => found.year,
    };
    let back = props.on_catalogue.reform(|event: MouseEvent| {
        event.prevent_default();
        None
    });
    let go = |to: i32| {
        let onclick = props.on_catalogue.reform(move |_| Some(to));
        html! { <button type="button" class="nx-button" {onclick}>{ lang.pick(format!("{to}年度"), format!("{to}")) }</button> }
    };
    let body = match catalogue {
        Catalogue::Loading(_) => html! { <p class="nx-consult__status" role="status">{ lang.pick("正在载入目录…", "Loading the catalogue…") }</p> },
        Catalogue::Failed(_, message) => html! {
            <div class="nx-consult__error" role="alert">
                <p>{ message.clone() }</p>
                <button type="button" class="nx-button" onclick={props.on_catalogue.reform(move |_| Some(year))}>{ lang.pick("重新载入", "Load again") }</button>
            </div>
        },
        Catalogue::Ready(found) if found.entries.is_empty() => html! {
            <p class="nx-consult__status">{ lang.pick("本年度目录尚未公布。", "This year's catalogue is not published yet.") }</p>
        },
        Catalogue::Ready(found) => html! {
            <table class="nx-consult__counts nx-consult__catalogue">
                <caption>{ lang.pick(format!("共 {} 项", found.entries.len()), format!("{} decisions", found.entries.len())) }</caption>
                <thead><tr>
                    <th scope="col">{ lang.pick("决策事项", "Decision") }</th>
                    <th scope="col">{ lang.pick("承办单位", "Department") }</th>
                    <th scope="col">{ lang.pick("阶段", "Stage") }</th>
                    <th scope="col">{ lang.pick("相关信息", "Links") }</th>
                </tr></thead>
                <tbody>
                    { for found.entries.iter().map(|entry| {
                        let consultation = entry.form.consultation_id.clone().map(|id| {
                            let onclick = props.on_select.reform({ let id = id.clone(); move |event: MouseEvent| { event.prevent_default(); Some(id.clone()) } });
                            let label = if entry.results_published {
                                lang.pick("意见征集及采纳情况", "Consultation and results")
                            } else {
                                lang.pick("意见征集", "Consultation")
                            };
                            html! { <a href={format!("?zq={id}")} {onclick}>{ label }</a> }
                        });
                        let decision = entry.form.decision_url.clone().map(|url| html! {
                            <a href={url}>{ lang.pick("决策文件", "The decision") }</a>
                        });
                        html! {
                            <tr>
                                <th scope="row">{ entry.form.title.clone() }</th>
                                <td>{ entry.form.department.clone() }</td>
                                <td>{ stage_word(entry.form.stage, lang) }</td>
                                <td>{ consultation.unwrap_or_default() }{ " " }{ decision.unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <>
            <p><a href="?" onclick={back}>{ lang.pick("← 返回意见征集列表", "← All consultations") }</a></p>
            <h2 class="nx-consult__heading">{ lang.pick(format!("{year}年度重大行政决策事项目录"), format!("Major decisions of {year}")) }</h2>
            <p class="nx-consult__years">{ go(year - 1) }{ " " }{ go(year + 1) }</p>
            { body }
        </>
    }
}

fn status_class(status: ConsultationStatus) -> &'static str {
    match status {
        ConsultationStatus::Open => "nx-consult__badge--open",
        _ => "nx-consult__badge--closed",
    }
}

fn detail(props: &ConsultationViewProps, consultation: &Consultation, lang: Lang) -> Html {
    let status = consultation.status_on(props.today);
    let back = props.on_select.reform(|event: MouseEvent| {
        event.prevent_default();
        None
    });
    let below = match status {
        ConsultationStatus::Open => {
            html! { <>
            { props.counts.as_ref().map(|counts| live_counts(counts, lang)).unwrap_or_default() }
            <OpinionForm consultation={consultation.clone()} draft={props.draft.clone()}
            errors={props.errors.clone()} sending={props.sending.clone()} retention_days={props.retention_days}
            on_draft={props.on_draft.clone()} on_submit={props.on_submit.clone()} />
            </> }
        }
        ConsultationStatus::NotStarted => html! {
            <p class="nx-consult__notice">{ lang.pick(format!("本次意见征集将于{}开始，届时可在此提交意见。", consultation.start),
                format!("This consultation opens on {}; opinions can be sent here from then.", consultation.start)) }</p>
        },
        ConsultationStatus::Closed => html! {
            <p class="nx-consult__notice">{ lang.pick(format!("本次意见征集已于{}结束。意见采纳情况将在整理后公布。", consultation.end),
                format!("This consultation closed on {}. What became of the opinions will be published.", consultation.end)) }</p>
        },
        ConsultationStatus::Answered => match &props.results {
            Some(results) => results_view(results, lang),
            None => {
                html! { <p class="nx-consult__status" role="status">{ lang.pick("正在载入意见采纳情况…", "Loading the results…") }</p> }
            }
        },
    };
    html! {
        <article class="nx-consult__detail">
            <p><a href="?" onclick={back}>{ lang.pick("← 返回意见征集列表", "← All consultations") }</a></p>
            <h2 class="nx-consult__heading">{ consultation.title.clone() }</h2>
            <dl class="nx-consult__facts">
                <div><dt>{ lang.pick("状态", "Status") }</dt><dd><span class={classes!("nx-consult__badge", status_class(status))}>{ status_word(status, lang) }</span></dd></div>
                <div><dt>{ lang.pick("征集部门", "Department") }</dt><dd>{ consultation.department.clone() }</dd></div>
                <div><dt>{ lang.pick("征集时间", "Open") }</dt><dd>{ period(consultation, lang) }</dd></div>
                if let Some(reason) = &props.short_period_reason {
                    <div><dt>{ lang.pick("征集期少于30天的原因", "Why the period is under 30 days") }</dt><dd class="nx-consult__short-reason">{ reason.clone() }</dd></div>
                }
            </dl>
            <ul class="nx-consult__links">
                <li><a href={consultation.draft_url.clone()}>{ lang.pick("查看征求意见稿", "Read the draft") }</a></li>
                if let Some(url) = &consultation.explanation_url {
                    <li><a href={url.clone()}>{ lang.pick("查看起草说明", "Read the explanation") }</a></li>
                }
            </ul>
            if let (Some(kept), false) = (&props.kept, matches!(props.sending, Sending::Received(_))) {
                { kept_view(props, kept, lang) }
            }
            { below }
        </article>
    }
}

/// "目前已收到意见 3 条（总体意见 1 条；第1条 适用范围 2 条）", as 中国人大网 shows while a
/// draft is open: counts only, never an opinion.
fn live_counts(counts: &LiveCounts, lang: Lang) -> Html {
    let parts: Vec<String> = counts
        .per_clause
        .iter()
        .map(|(label, n)| lang.pick(format!("{label} {n} 条"), format!("{label}: {n}")))
        .collect();
    html! {
        <p class="nx-consult__live">
            { lang.pick(format!("目前已收到意见 {} 条（{}）", counts.total, parts.join("；")),
                format!("{} opinions received so far ({})", counts.total, parts.join("; "))) }
        </p>
    }
}

/// Why opinions were not published, in English.
fn withheld_english(reason: WithholdReason) -> &'static str {
    match reason {
        WithholdReason::Abuse => "abusive",
        WithholdReason::Advertising => "advertising",
        WithholdReason::Unrelated => "unrelated to the draft",
        WithholdReason::Duplicate => "a repeat of another opinion",
    }
}

fn results_view(results: &ResultsPage, lang: Lang) -> Html {
    html! {
        <section class="nx-consult__results" aria-labelledby="nx-consult-results">
            <h3 id="nx-consult-results">{ lang.pick(format!("意见采纳情况（{}公布）", results.published), format!("What became of the opinions (published {})", results.published)) }</h3>
            if !results.statement.trim().is_empty() {
                <section class="nx-consult__statement" aria-labelledby="nx-consult-statement">
                    <h4 id="nx-consult-statement">{ lang.pick("意见采纳情况说明", "Statement on the opinions") }</h4>
                    <p>{ results.statement.clone() }</p>
                </section>
            }
            <table class="nx-consult__counts">
                <caption>{ lang.pick(format!("共收到意见 {} 条", results.total), format!("{} opinions received", results.total)) }</caption>
                <thead><tr><th scope="col">{ lang.pick("条款", "Clause") }</th><th scope="col">{ lang.pick("意见数", "Opinions") }</th></tr></thead>
                <tbody>
                    { for results.per_clause.iter().map(|(label, count)| html! {
                        <tr><th scope="row">{ label.clone() }</th><td>{ count }</td></tr>
                    }) }
                </tbody>
            </table>
            if !results.withheld.is_empty() {
                <ul class="nx-consult__withheld">
                    { for results.withheld.iter().map(|w| html! {
                        <li>{ lang.pick(w.sentence.clone(), format!("{} opinion(s) not published: {}", w.count, withheld_english(w.reason))) }</li>
                    }) }
                </ul>
            }
            <ol class="nx-consult__opinions">
                { for results.opinions.iter().map(|public| { let opinion = &public.opinion; html! {
                    <li class="nx-consult__opinion">
                        <p class="nx-consult__meta">
                            { format!("{} · {}", opinion.clause, if opinion.name.is_empty() { lang.pick("匿名", "anonymous") } else { opinion.name.as_str() }) }
                        </p>
                        <p class="nx-consult__text">{ opinion.text.clone() }</p>
                        if public.redaction_reason.is_some() {
                            <p class="nx-consult__redacted">{ lang.pick("（＊＊＊处涉及个人信息，已隐去）", "(＊＊＊ marks personal information, hidden)") }</p>
                        }
                        <p class="nx-consult__verdict">
                            { verdict_sentence(opinion.verdict, &opinion.reason, lang) }
                        </p>
                    </li>
                } }) }
            </ol>
        </section>
    }
}

/// "处理结果：未采纳。理由：…" in the labels' language.
fn verdict_sentence(verdict: Option<Verdict>, reason: &str, lang: Lang) -> String {
    let word = match (verdict, lang) {
        (Some(verdict), Lang::Chinese) => verdict.word(),
        (None, Lang::Chinese) => "未答复",
        (Some(Verdict::Adopted), Lang::English) => "adopted",
        (Some(Verdict::PartlyAdopted), Lang::English) => "partly adopted",
        (Some(Verdict::NotAdopted), Lang::English) => "not adopted",
        (None, Lang::English) => "not answered",
    };
    match (reason.is_empty(), lang) {
        (true, Lang::Chinese) => format!("处理结果：{word}"),
        (false, Lang::Chinese) => format!("处理结果：{word}。理由：{reason}"),
        (true, Lang::English) => format!("Outcome: {word}"),
        (false, Lang::English) => format!("Outcome: {word}. Reason: {reason}"),
    }
}

#[derive(Properties, PartialEq)]
pub struct OpinionFormProps {
    pub consultation: Consultation,
    pub draft: OpinionDraft,
    pub errors: Rc<Vec<FieldError>>,
    pub sending: Sending,
    pub retention_days: u32,
    pub on_draft: Callback<OpinionDraft>,
    pub on_submit: Callback<()>,
}

fn field_id(field: OpinionField) -> &'static str {
    match field {
        OpinionField::Clause => "nx-opinion-clause",
        OpinionField::Text => "nx-opinion-text",
        OpinionField::Name => "nx-opinion-name",
        OpinionField::Phone => "nx-opinion-phone",
        OpinionField::Email => "nx-opinion-email",
    }
}

/// The opinion form: clause, text with a live count, optional contacts, what is collected
/// and why, errors beside their fields and in a summary, and the state of the submission.
#[function_component(OpinionForm)]
pub fn opinion_form(props: &OpinionFormProps) -> Html {
    let lang = use_lang();
    if let Sending::Received(receipt) = &props.sending {
        return receipt_view(receipt, lang);
    }
    let message = |error: &FieldError| {
        if error.english.is_empty() {
            error.message.clone()
        } else {
            lang.pick(error.message.clone(), error.english.clone())
        }
    };
    let error_of = |field: OpinionField| props.errors.iter().find(|e| e.field == field);
    let update = |apply: fn(&mut OpinionDraft, String)| {
        let draft = props.draft.clone();
        let on_draft = props.on_draft.clone();
        Callback::from(move |value: String| {
            let mut next = draft.clone();
            apply(&mut next, value);
            on_draft.emit(next);
        })
    };
    let input_value = |event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value();
    let on_text = update(|d, v| d.text = v)
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlTextAreaElement>().value());
    let on_name = update(|d, v| d.name = v).reform(input_value);
    let on_phone = update(|d, v| d.phone = v).reform(input_value);
    let on_email = update(|d, v| d.email = v).reform(input_value);
    let on_clause = update(|d, v| d.clause = v.parse().ok())
        .reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
    let onsubmit = props
        .on_submit
        .reform(|event: SubmitEvent| event.prevent_default());
    let count = props.draft.text.trim().chars().count();
    let described = |field: OpinionField, hint: &str| -> String {
        match error_of(field) {
            Some(_) => format!("{hint} {}-error", field_id(field))
                .trim()
                .to_string(),
            None => hint.to_string(),
        }
    };
    let error_text = |field: OpinionField| match error_of(field) {
        Some(error) => {
            html! { <p id={format!("{}-error", field_id(field))} class="nx-consult__field-error">{ message(error) }</p> }
        }
        None => Html::default(),
    };
    let invalid = |field: OpinionField| error_of(field).map(|_| "true");
    let summary = if props.errors.is_empty() {
        Html::default()
    } else {
        html! {
            <div class="nx-consult__summary" role="alert">
                <p>{ lang.pick(format!("意见未能提交，有 {} 处需要修改：", props.errors.len()), format!("Not sent: {} things to correct:", props.errors.len())) }</p>
                <ul>
                    { for props.errors.iter().map(|e| html! {
                        <li><a href={format!("#{}", field_id(e.field))}>{ message(e) }</a></li>
                    }) }
                </ul>
            </div>
        }
    };
    let sending_note = match &props.sending {
        Sending::InFlight => {
            html! { <p class="nx-consult__status" role="status">{ lang.pick("正在提交…", "Sending…") }</p> }
        }
        Sending::Waiting(why) => html! {
            <p class="nx-consult__waiting" role="status">
                { lang.pick(why.chinese(), why.english()) }
                { lang.pick("您的意见已保存在本机，将自动重新提交，不会重复提交。请不要关闭或清除本页面的浏览器数据。",
                    " Your opinion is kept in this browser and will be sent again by itself, never twice. Do not clear this page's browser data.") }
            </p>
        },
        Sending::Held(why) => html! {
            <p class="nx-consult__waiting nx-consult__held" role="alert">
                { lang.pick(why.chinese(), why.english()) }
                { lang.pick("您的意见已保存在本机，没有丢失。请稍后再点击“提交意见”重新提交（不会重复提交）；如多次出现，请联系网站管理部门。",
                    " Your opinion is kept in this browser. Press “Send” again later (it will never arrive twice); if this keeps happening, contact the site's administrators.") }
            </p>
        },
        Sending::Refused(message) => {
            html! { <p class="nx-consult__error" role="alert">{ message.clone() }</p> }
        }
        _ => Html::default(),
    };
    let selected_clause = props
        .draft
        .clause
        .map(|n| n.to_string())
        .unwrap_or_default();
    html! {
        <form class="nx-consult__form" {onsubmit} novalidate=true aria-labelledby="nx-opinion-heading">
            <h3 id="nx-opinion-heading">{ lang.pick("提交意见", "Send your opinion") }</h3>
            { summary }
            <div class="nx-consult__field">
                <label for={field_id(OpinionField::Clause)}>{ lang.pick("针对条款", "On") }</label>
                <select id={field_id(OpinionField::Clause)} onchange={on_clause}
                    aria-invalid={invalid(OpinionField::Clause)} aria-describedby={described(OpinionField::Clause, "")}>
                    <option value="" selected={selected_clause.is_empty()}>{ lang.pick("总体意见", "The draft as a whole") }</option>
                    { for props.consultation.clauses.iter().map(|clause| html! {
                        <option value={clause.number.to_string()} selected={selected_clause == clause.number.to_string()}>
                            { lang.pick(format!("第{}条 {}", clause.number, clause.title), format!("Clause {}: {}", clause.number, clause.title)) }
                        </option>
                    }) }
                </select>
                { error_text(OpinionField::Clause) }
            </div>
            <div class="nx-consult__field">
                <label for={field_id(OpinionField::Text)}>{ lang.pick("意见内容（必填）", "Your opinion (required)") }</label>
                <textarea id={field_id(OpinionField::Text)} rows="8" value={props.draft.text.clone()} oninput={on_text}
                    required=true aria-required="true" aria-invalid={invalid(OpinionField::Text)}
                    aria-describedby={described(OpinionField::Text, "nx-opinion-count")} />
                <p id="nx-opinion-count" class={classes!("nx-consult__count", (count > MAX_OPINION_CHARS).then_some("nx-consult__count--over"))}>
                    { lang.pick(format!("已输入 {count} 字，最多 {MAX_OPINION_CHARS} 字"), format!("{count} of at most {MAX_OPINION_CHARS} characters")) }
                    if count > MAX_OPINION_CHARS { { lang.pick(format!("，超出 {} 字", count - MAX_OPINION_CHARS), format!(", {} too many", count - MAX_OPINION_CHARS)) } }
                </p>
                { error_text(OpinionField::Text) }
            </div>
            <fieldset class="nx-consult__contact">
                <legend>{ lang.pick("联系方式（选填）", "How to reach you (optional)") }</legend>
                <div class="nx-consult__field">
                    <label for={field_id(OpinionField::Name)}>{ lang.pick("姓名", "Name") }</label>
                    <input id={field_id(OpinionField::Name)} type="text" autocomplete="name" value={props.draft.name.clone()}
                        oninput={on_name} aria-invalid={invalid(OpinionField::Name)} aria-describedby={described(OpinionField::Name, "")} />
                    { error_text(OpinionField::Name) }
                </div>
                <div class="nx-consult__field">
                    <label for={field_id(OpinionField::Phone)}>{ lang.pick("电话", "Phone") }</label>
                    <input id={field_id(OpinionField::Phone)} type="tel" autocomplete="tel" inputmode="tel" value={props.draft.phone.clone()}
                        oninput={on_phone} aria-invalid={invalid(OpinionField::Phone)} aria-describedby={described(OpinionField::Phone, "")} />
                    { error_text(OpinionField::Phone) }
                </div>
                <div class="nx-consult__field">
                    <label for={field_id(OpinionField::Email)}>{ lang.pick("电子邮箱", "E-mail") }</label>
                    <input id={field_id(OpinionField::Email)} type="email" autocomplete="email" value={props.draft.email.clone()}
                        oninput={on_email} aria-invalid={invalid(OpinionField::Email)} aria-describedby={described(OpinionField::Email, "")} />
                    { error_text(OpinionField::Email) }
                </div>
            </fieldset>
            // A field people never see: software that fills every field gives itself away.
            <div class="nx-consult__trap" aria-hidden="true">
                <label for="nx-opinion-website">{ lang.pick("请勿填写", "Leave empty") }</label>
                <input id="nx-opinion-website" name="website" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <p class="nx-consult__privacy">
                { lang.pick(
                    format!("个人信息说明：姓名、电话和电子邮箱均为选填，仅用于工作人员就您的意见与您联系；电话和电子邮箱加密保存，不会公开，并在结果公布{}天后删除。公布意见采纳情况时，姓名只显示姓氏（如“张*”）。", props.retention_days),
                    format!("About your details: name, phone and e-mail are optional and used only by officials to contact you about your opinion; phone and e-mail are stored encrypted, never published, and erased {} days after the results are published. Published results show only your surname (such as “张*”).", props.retention_days),
                ) }
            </p>
            { sending_note }
            <button type="submit" class="nx-button nx-button--primary" disabled={props.sending == Sending::InFlight}>{ lang.pick("提交意见", "Send") }</button>
        </form>
    }
}

/// The receipt number and secret as one line, to copy or note.
fn receipt_line(receipt: &Receipt, lang: Lang) -> String {
    lang.pick(
        format!("回执编号：{}  查询码：{}", receipt.receipt, receipt.secret),
        format!("Receipt: {}  Secret: {}", receipt.receipt, receipt.secret),
    )
}

fn receipt_view(receipt: &Receipt, lang: Lang) -> Html {
    let text = receipt_line(receipt, lang);
    html! {
        <div class="nx-consult__receipt" role="status" tabindex="-1">
            <h3>{ lang.pick("意见已提交", "Your opinion has arrived") }</h3>
            <p>{ lang.pick("感谢您的意见。请保存下面的回执编号和查询码，可凭它们查询意见的处理情况。",
                "Thank you. Keep the receipt number and secret below: with them you can see what becomes of your opinion.") }</p>
            <dl class="nx-consult__facts">
                <div><dt>{ lang.pick("回执编号", "Receipt") }</dt><dd class="nx-consult__receipt-number">{ receipt.receipt.clone() }</dd></div>
                <div><dt>{ lang.pick("查询码", "Secret") }</dt><dd class="nx-consult__receipt-secret">{ receipt.secret.clone() }</dd></div>
            </dl>
            <CopyButton text={text} />
            <p class="nx-consult__privacy">{ lang.pick("回执也保存在本浏览器中，重新打开本页仍可看到，直到您选择不再保留。",
                "The receipt is also kept in this browser: it shows again when you come back, until you choose to forget it.") }</p>
        </div>
    }
}

/// The last receipt kept in the browser, shown above the consultation after a reload:
/// copy it, look the opinion up, or forget it.
fn kept_view(props: &ConsultationViewProps, receipt: &Receipt, lang: Lang) -> Html {
    let look_up = {
        let numbers = (receipt.receipt.clone(), receipt.secret.clone());
        props.on_lookup.reform(move |_| numbers.clone())
    };
    html! {
        <section class="nx-consult__kept" aria-labelledby="nx-consult-kept">
            <h3 id="nx-consult-kept">{ lang.pick("您上次提交意见的回执", "The receipt of your last opinion") }</h3>
            <dl class="nx-consult__facts">
                <div><dt>{ lang.pick("回执编号", "Receipt") }</dt><dd class="nx-consult__kept-number">{ receipt.receipt.clone() }</dd></div>
                <div><dt>{ lang.pick("查询码", "Secret") }</dt><dd class="nx-consult__kept-secret">{ receipt.secret.clone() }</dd></div>
            </dl>
            <CopyButton text={receipt_line(receipt, lang)} />
            <p class="nx-consult__kept-actions">
                <button type="button" class="nx-button" onclick={look_up}>{ lang.pick("查询处理情况", "See what became of it") }</button>
                { " " }
                <button type="button" class="nx-button" onclick={props.on_dismiss.reform(|_| ())}>{ lang.pick("不再保留此回执", "Forget this receipt") }</button>
            </p>
            { lookup_result(&props.lookup, lang) }
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Not,
    Done,
    Failed,
}

#[derive(Properties, PartialEq)]
struct CopyButtonProps {
    text: String,
}

/// Copies `text` with the clipboard API; where there is none (a page on plain HTTP) or it
/// refuses, says so and shows the text selected, to be copied or noted by hand.
#[function_component(CopyButton)]
fn copy_button(props: &CopyButtonProps) -> Html {
    let lang = use_lang();
    let copied = use_state(|| Copied::Not);
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with(*copied, move |copied| {
            if *copied == Copied::Failed {
                if let Some(area) = field.cast::<HtmlTextAreaElement>() {
                    let _ = area.focus();
                    area.select();
                }
            }
        });
    }
    let onclick = {
        let (copied, text) = (copied.clone(), props.text.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(if copy_text(&text).await { Copied::Done } else { Copied::Failed });
            });
        })
    };
    let note = match *copied {
        Copied::Not => String::new(),
        Copied::Done => lang.pick("已复制到剪贴板。", "Copied to the clipboard.").to_string(),
        Copied::Failed => lang
            .pick("无法自动复制。下面的内容已选中，请按 Ctrl+C 复制或手动记下。",
                "Copying did not work. The text below is selected: press Ctrl+C or note it by hand.")
            .to_string(),
    };
    html! {
        <>
            <button type="button" class="nx-button" {onclick}>{ lang.pick("复制回执编号和查询码", "Copy the receipt and secret") }</button>
            <p class="nx-consult__copy-note" role="status">{ note }</p>
            if *copied == Copied::Failed {
                <textarea ref={field} class="nx-consult__copy-text" readonly=true rows="2"
                    aria-label={lang.pick("回执编号和查询码", "Receipt and secret")} value={props.text.clone()} />
            }
        </>
    }
}

/// Writes `text` to the clipboard; false when the API is missing (not a secure context:
/// web-sys's getter assumes it exists, so it is read through `Reflect`) or refuses.
async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null());
    let Some(clipboard) = clipboard else {
        return false;
    };
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

#[derive(Properties, PartialEq)]
struct LookupFormProps {
    lookup: Lookup,
    on_lookup: Callback<(String, String)>,
}

/// The form to look an opinion up by receipt number and secret, and what was found.
#[function_component(LookupForm)]
fn lookup_form(props: &LookupFormProps) -> Html {
    let lang = use_lang();
    let (receipt, secret) = (use_node_ref(), use_node_ref());
    let onsubmit = {
        let (receipt, secret, on_lookup) = (receipt.clone(), secret.clone(), props.on_lookup.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |node: &NodeRef| node.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            on_lookup.emit((value(&receipt), value(&secret)));
        })
    };
    html! {
        <section class="nx-consult__lookup" aria-labelledby="nx-consult-lookup">
            <h3 id="nx-consult-lookup">{ lang.pick("查询意见处理情况", "What became of my opinion?") }</h3>
            <form {onsubmit}>
                <div class="nx-consult__field">
                    <label for="nx-lookup-receipt">{ lang.pick("回执编号", "Receipt number") }</label>
                    <input id="nx-lookup-receipt" ref={receipt} type="text" autocomplete="off" spellcheck="false" />
                </div>
                <div class="nx-consult__field">
                    <label for="nx-lookup-secret">{ lang.pick("查询码", "Secret") }</label>
                    <input id="nx-lookup-secret" ref={secret} type="text" autocomplete="off" spellcheck="false" />
                </div>
                <button type="submit" class="nx-button" disabled={props.lookup == Lookup::Busy}>{ lang.pick("查询", "Look up") }</button>
            </form>
            { lookup_result(&props.lookup, lang) }
        </section>
    }
}

/// The server's words for where an opinion stands, in English.
fn english_state(word: &str) -> &str {
    match word {
        "已收到，正在研究" => "Received; being considered",
        "已反馈" => "Answered",
        "未予公开" => "Not published",
        "采纳" => "adopted",
        "部分采纳" => "partly adopted",
        "未采纳" => "not adopted",
        other => other,
    }
}

fn lookup_result(lookup: &Lookup, lang: Lang) -> Html {
    match lookup {
        Lookup::Idle => Html::default(),
        Lookup::Busy => html! { <p class="nx-consult__status" role="status">{ lang.pick("正在查询…", "Looking it up…") }</p> },
        Lookup::Failed(message) => html! { <p class="nx-consult__error" role="alert">{ message.clone() }</p> },
        Lookup::Found(found) => {
            let word = |w: &str| lang.pick(w.to_string(), english_state(w).to_string());
            html! {
                <div class="nx-consult__found" role="status">
                    <dl class="nx-consult__facts">
                        <div><dt>{ lang.pick("回执编号", "Receipt") }</dt><dd>{ found.receipt.clone() }</dd></div>
                        <div><dt>{ lang.pick("意见征集", "Consultation") }</dt><dd>{ found.consultation_title.clone() }</dd></div>
                        <div><dt>{ lang.pick("条款", "Clause") }</dt><dd>{ found.clause.clone() }</dd></div>
                        <div><dt>{ lang.pick("处理状态", "State") }</dt><dd class="nx-consult__found-state">{ word(&found.state) }</dd></div>
                        if let Some(verdict) = &found.verdict {
                            <div><dt>{ lang.pick("处理结果", "Outcome") }</dt><dd>{ word(verdict) }</dd></div>
                        }
                        if let Some(reason) = found.reason.as_ref().filter(|r| !r.is_empty()) {
                            <div><dt>{ lang.pick("理由", "Reason") }</dt><dd>{ reason.clone() }</dd></div>
                        }
                        if let Some(withheld) = &found.withheld {
                            <div><dt>{ lang.pick("未予公开的原因", "Why it was not published") }</dt><dd class="nx-consult__found-withheld">{ withheld.clone() }</dd></div>
                        }
                    </dl>
                    <p class="nx-consult__text">{ found.text.clone() }</p>
                </div>
            }
        }
    }
}
