//! What the consultation widget shows, as pure function components of the consultations,
//! the form and what became of the submission: tested in a browser without any network.

use std::rc::Rc;

use disclosure_core::consultation::{
    Consultation, ConsultationStatus, FieldError, OpinionDraft, OpinionField, PublishedResults,
    Receipt, Verdict, MAX_OPINION_CHARS,
};
use disclosure_core::post_answer::NotReceived;
use time::Date;
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
    /// The results of the selected consultation, once fetched.
    pub results: Option<Rc<PublishedResults>>,
    /// How long contact data is kept after the results are published.
    pub retention_days: u32,
    pub on_select: Callback<Option<String>>,
    pub on_draft: Callback<OpinionDraft>,
    pub on_submit: Callback<()>,
    pub on_copy: Callback<String>,
    pub on_retry: Callback<()>,
}

#[function_component(ConsultationView)]
pub fn consultation_view(props: &ConsultationViewProps) -> Html {
    let lang = use_lang();
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
    if all.is_empty() {
        return html! { <p class="nx-consult__status">{ lang.pick("目前没有意见征集。", "No consultation at present.") }</p> };
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
            html! { <OpinionForm consultation={consultation.clone()} draft={props.draft.clone()}
            errors={props.errors.clone()} sending={props.sending.clone()} retention_days={props.retention_days}
            on_draft={props.on_draft.clone()} on_submit={props.on_submit.clone()} on_copy={props.on_copy.clone()} /> }
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
            </dl>
            <ul class="nx-consult__links">
                <li><a href={consultation.draft_url.clone()}>{ lang.pick("查看征求意见稿", "Read the draft") }</a></li>
                if let Some(url) = &consultation.explanation_url {
                    <li><a href={url.clone()}>{ lang.pick("查看起草说明", "Read the explanation") }</a></li>
                }
            </ul>
            { below }
        </article>
    }
}

fn results_view(results: &PublishedResults, lang: Lang) -> Html {
    html! {
        <section class="nx-consult__results" aria-labelledby="nx-consult-results">
            <h3 id="nx-consult-results">{ lang.pick(format!("意见采纳情况（{}公布）", results.published), format!("What became of the opinions (published {})", results.published)) }</h3>
            <table class="nx-consult__counts">
                <caption>{ lang.pick(format!("共收到意见 {} 条", results.total), format!("{} opinions received", results.total)) }</caption>
                <thead><tr><th scope="col">{ lang.pick("条款", "Clause") }</th><th scope="col">{ lang.pick("意见数", "Opinions") }</th></tr></thead>
                <tbody>
                    { for results.per_clause.iter().map(|(label, count)| html! {
                        <tr><th scope="row">{ label.clone() }</th><td>{ count }</td></tr>
                    }) }
                </tbody>
            </table>
            <ol class="nx-consult__opinions">
                { for results.opinions.iter().map(|opinion| html! {
                    <li class="nx-consult__opinion">
                        <p class="nx-consult__meta">
                            { format!("{} · {}", opinion.clause, if opinion.name.is_empty() { lang.pick("匿名", "anonymous") } else { opinion.name.as_str() }) }
                        </p>
                        <p class="nx-consult__text">{ opinion.text.clone() }</p>
                        <p class="nx-consult__verdict">
                            { verdict_sentence(opinion.verdict, &opinion.reason, lang) }
                        </p>
                    </li>
                }) }
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
    pub on_copy: Callback<String>,
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
        return receipt_view(receipt, &props.on_copy, lang);
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

fn receipt_view(receipt: &Receipt, on_copy: &Callback<String>, lang: Lang) -> Html {
    let text = lang.pick(
        format!("回执编号：{}  查询码：{}", receipt.receipt, receipt.secret),
        format!("Receipt: {}  Secret: {}", receipt.receipt, receipt.secret),
    );
    let onclick = {
        let text = text.clone();
        on_copy.reform(move |_| text.clone())
    };
    html! {
        <div class="nx-consult__receipt" role="status" tabindex="-1">
            <h3>{ lang.pick("意见已提交", "Your opinion has arrived") }</h3>
            <p>{ lang.pick("感谢您的意见。请保存下面的回执编号和查询码，可凭它们查询意见的处理情况。",
                "Thank you. Keep the receipt number and secret below: with them you can see what becomes of your opinion.") }</p>
            <dl class="nx-consult__facts">
                <div><dt>{ lang.pick("回执编号", "Receipt") }</dt><dd class="nx-consult__receipt-number">{ receipt.receipt.clone() }</dd></div>
                <div><dt>{ lang.pick("查询码", "Secret") }</dt><dd class="nx-consult__receipt-secret">{ receipt.secret.clone() }</dd></div>
            </dl>
            <button type="button" class="nx-button" {onclick}>{ lang.pick("复制回执编号和查询码", "Copy the receipt and secret") }</button>
        </div>
    }
}
