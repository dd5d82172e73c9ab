//! The console drawn from its state by function components. Every control has a visible
//! label, every screen one `h1`, and what happens is announced in one status region; the
//! opinion's text is text nodes with `mark` elements around the screen's matches, never
//! markup built from strings.

use std::rc::Rc;

use disclosure_core::consultation::{Moderation, Verdict, WithholdReason};
use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::{
    redactions, segments, AccountRow, AuditRow, ConsoleState, ConsultationRow, Me, ReviewItem,
    ReviewPage, Screen,
};

/// What an official asked for; the app turns each into a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SignIn { name: String, password: String },
    SignOut,
    Go(Screen),
    Moderate {
        receipt: String,
        revision: i64,
        moderation: Moderation,
    },
    Respond {
        receipt: String,
        revision: i64,
        verdict: Verdict,
        reason: String,
    },
    Statement { id: String, text: String },
    Publish(String),
    /// Creates (`id` none) or changes a consultation; `form` is the API's JSON.
    Save {
        id: Option<String>,
        revision: i64,
        form: Value,
    },
    /// Uploads the file chosen in `input` as the consultation's `role` (draft, explanation).
    Upload {
        id: String,
        role: String,
        input: NodeRef,
    },
    Open(String),
    CreateAccount {
        name: String,
        password: String,
        roles: Vec<String>,
    },
    Unlock(String),
    /// Opens an opinion's contacts (audited).
    Contacts(String),
    /// Gives an account these roles.
    SetRoles { name: String, roles: Vec<String> },
    /// Disables or enables an account.
    Disable { name: String, disabled: bool },
    /// Adds a decision to the catalogue (`form` is the API's JSON).
    AddDecision(Value),
    /// Changes a decision seen at `revision`.
    EditDecision { id: String, revision: i64, form: Value },
    /// Something the official typed is wrong before any request: say so.
    Complain(String),
}

#[derive(Properties, PartialEq)]
pub struct ConsoleViewProps {
    pub state: Rc<ConsoleState>,
    pub on: Callback<Command>,
}

/// Every `select` names its selected option: Yew inserts children last first, and a browser
/// selects the first option inserted, so without it the last option would be chosen.
fn input_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .or_else(|| node.cast::<HtmlTextAreaElement>().map(|t| t.value()))
        .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
        .unwrap_or_default()
}

fn checked(node: &NodeRef) -> bool {
    node.cast::<HtmlInputElement>()
        .map(|i| i.checked())
        .unwrap_or(false)
}

/// The whole console.
#[function_component(ConsoleView)]
pub fn console_view(props: &ConsoleViewProps) -> Html {
    let state = &props.state;
    let Some(screen) = state.screen.clone() else {
        return html! { <main id="main" class="console__main"><p role="status">{ "正在载入……" }</p></main> };
    };
    let notice = match &state.notice {
        Some(n) => html! {
            <p class={classes!("console__notice", n.error.then_some("console__notice--error"))}>{ &n.text }</p>
        },
        None => html! {},
    };
    let body = match (&screen, &state.me) {
        (Screen::SignIn, _) | (_, None) => html! { <SignIn busy={state.busy} on={props.on.clone()} /> },
        (Screen::Consultations, Some(me)) => consultation_list(me, &state.consultations, &props.on),
        (Screen::Review(_), Some(me)) => match &state.review {
            Some(page) => html! { <Review me={me.clone()} page={page.clone()} contacts={state.contacts.clone()} busy={state.busy} on={props.on.clone()} /> },
            None => html! { <p>{ "正在载入意见……" }</p> },
        },
        (Screen::Edit(id), Some(me)) => {
            let row = state.editing.clone().filter(|row| Some(&row.id) == id.as_ref());
            if id.is_some() && row.is_none() {
                html! { <p>{ "正在载入……" }</p> }
            } else {
                let key = row.as_ref().map(|r| format!("{}-{}", r.id, r.revision)).unwrap_or_default();
                html! { <Editor key={key} me={me.clone()} row={row} busy={state.busy} on={props.on.clone()} /> }
            }
        }
        (Screen::Accounts, Some(_)) => html! { <Accounts rows={state.accounts.clone()} busy={state.busy} on={props.on.clone()} /> },
        (Screen::Audit, Some(_)) => audit(&state.audit),
        (Screen::Catalogue(year), Some(me)) => html! {
            <Catalogue year={*year} me={me.clone()} rows={state.catalogue.clone()} busy={state.busy} on={props.on.clone()} />
        },
    };
    html! {
        <>
            <header class="console__header">
                <p class="console__site">{ "宁乡市人民政府 · 意见征集工作台" }</p>
                { state.me.as_ref().map(|me| nav(me, &screen, &props.on)).unwrap_or_default() }
            </header>
            <main id="main" class="console__main">
                <h1>{ screen.title() }</h1>
                <div role="status" aria-live="polite" class="console__status">{ notice }</div>
                { body }
            </main>
        </>
    }
}

fn nav(me: &Me, screen: &Screen, on: &Callback<Command>) -> Html {
    let go = |target: Screen, label: &'static str| {
        let current = std::mem::discriminant(screen) == std::mem::discriminant(&target);
        let onclick = on.reform(move |_| Command::Go(target.clone()));
        html! { <li><button type="button" class="console__nav-button" aria-current={current.then_some("page")} {onclick}>{ label }</button></li> }
    };
    let roles: Vec<String> = me.roles.iter().map(|r| r.word.clone()).collect();
    html! {
        <nav class="console__nav" aria-label="工作台导航">
            <ul>
                { go(Screen::Consultations, "意见征集") }
                { go(Screen::Catalogue(this_year()), "重大决策事项目录") }
                { if me.can("admin") { html! { <>{ go(Screen::Accounts, "账户管理") }{ go(Screen::Audit, "审计日志") }</> } } else { html! {} } }
                <li class="console__who">{ format!("{}（{}）", me.name, roles.join("、")) }</li>
                <li><button type="button" class="console__nav-button" onclick={on.reform(|_| Command::SignOut)}>{ "退出登录" }</button></li>
            </ul>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    busy: bool,
    on: Callback<Command>,
}

#[function_component(SignIn)]
fn sign_in(props: &SignInProps) -> Html {
    let name = use_node_ref();
    let password = use_node_ref();
    let onsubmit = {
        let (name, password, on) = (name.clone(), password.clone(), props.on.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on.emit(Command::SignIn {
                name: input_value(&name),
                password: input_value(&password),
            });
        })
    };
    html! {
        <form class="console__form" {onsubmit}>
            <p><label for="sign-in-name">{ "账户名" }</label>
               <input id="sign-in-name" ref={name} autocomplete="username" required=true /></p>
            <p><label for="sign-in-password">{ "密码" }</label>
               <input id="sign-in-password" ref={password} type="password" autocomplete="current-password" required=true /></p>
            <p><button type="submit" class="console__button console__button--primary" disabled={props.busy}>{ "登录" }</button></p>
        </form>
    }
}

fn consultation_list(me: &Me, rows: &[ConsultationRow], on: &Callback<Command>) -> Html {
    let new = if me.can("editor") {
        html! { <p><button type="button" class="console__button" onclick={on.reform(|_| Command::Go(Screen::Edit(None)))}>{ "新建意见征集" }</button></p> }
    } else {
        html! {}
    };
    let rows = rows.iter().map(|row| {
        let review = if row.stage == "open" && (me.can("reviewer") || me.can("publisher")) {
            let id = row.id.clone();
            html! { <button type="button" class="console__button" aria-label={format!("审核“{}”的意见", row.title)} onclick={on.reform(move |_| Command::Go(Screen::Review(id.clone())))}>{ "审核意见" }</button> }
        } else {
            html! {}
        };
        let edit = {
            let id = row.id.clone();
            html! { <button type="button" class="console__button" aria-label={format!("查看和编辑“{}”", row.title)} onclick={on.reform(move |_| Command::Go(Screen::Edit(Some(id.clone()))))}>{ "查看/编辑" }</button> }
        };
        html! {
            <tr>
                <th scope="row">{ &row.title }<br /><span class="console__muted">{ &row.id }</span></th>
                <td>{ &row.department }</td>
                <td>{ format!("{} 至 {}", row.start, row.end) }</td>
                <td>{ &row.status_word }</td>
                <td>{ row.opinions }</td>
                <td class="console__actions">{ review }{ edit }</td>
            </tr>
        }
    });
    html! {
        <>
            { new }
            <table class="console__table">
                <caption>{ "全部意见征集" }</caption>
                <thead><tr><th scope="col">{ "标题" }</th><th scope="col">{ "起草部门" }</th><th scope="col">{ "征集期" }</th><th scope="col">{ "状态" }</th><th scope="col">{ "意见数" }</th><th scope="col">{ "操作" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewProps {
    me: Me,
    page: ReviewPage,
    /// Contacts opened so far, by receipt.
    contacts: std::collections::BTreeMap<String, String>,
    busy: bool,
    on: Callback<Command>,
}

#[function_component(Review)]
fn review(props: &ReviewProps) -> Html {
    let page = &props.page;
    let statement = use_node_ref();
    let save_statement = {
        let (statement, on, id) = (statement.clone(), props.on.clone(), page.consultation_id.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on.emit(Command::Statement {
                id: id.clone(),
                text: input_value(&statement),
            });
        })
    };
    let publish = if props.me.can("publisher") {
        let id = page.consultation_id.clone();
        html! { <p><button type="button" class="console__button console__button--primary" disabled={props.busy} onclick={props.on.reform(move |_| Command::Publish(id.clone()))}>{ "公布征集结果" }</button></p> }
    } else {
        html! {}
    };
    html! {
        <>
            <h2>{ &page.title }</h2>
            <p>{ format!("{} · 共{}条意见，未审核{}条，拟公开而未答复{}条。", page.status_word, page.total, page.unreviewed, page.unanswered) }</p>
            <form class="console__form" onsubmit={save_statement}>
                <p><label for="statement">{ "意见采纳情况说明（公布在结果上方）" }</label>
                   <textarea id="statement" ref={statement} rows="4" value={page.statement.clone()} /></p>
                <p><button type="submit" class="console__button" disabled={props.busy}>{ "保存说明" }</button></p>
            </form>
            { publish }
            if props.me.can("reviewer") {
                <p><a href={format!("/api/officials/consultations/{}/opinions.csv", page.consultation_id)} download="opinions.csv">{ "导出全部意见（含联系方式，CSV；导出会记入审计日志）" }</a></p>
            }
            <h2>{ "逐条审核" }</h2>
            { for page.opinions.iter().map(|item| html! {
                <OpinionCard key={format!("{}-{}", item.receipt, item.revision)} item={item.clone()} busy={props.busy} on={props.on.clone()}
                    contact={props.contacts.get(&item.receipt).cloned()} />
            }) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct OpinionCardProps {
    item: ReviewItem,
    /// The contacts, once opened.
    contact: Option<String>,
    busy: bool,
    on: Callback<Command>,
}

fn decision_words(moderation: &Option<Moderation>) -> String {
    match moderation {
        None => "未审核".to_string(),
        Some(Moderation::Publish { redactions }) if redactions.is_empty() => "公开".to_string(),
        Some(Moderation::Publish { redactions }) => format!("公开，隐去{}处（涉及个人信息）", redactions.len()),
        Some(Moderation::Withhold { reason }) => format!("不予公开：{}", reason.word()),
    }
}

#[function_component(OpinionCard)]
fn opinion_card(props: &OpinionCardProps) -> Html {
    let item = &props.item;
    let extra = use_node_ref();
    let reason = use_node_ref();
    let verdict = use_node_ref();
    let answer = use_node_ref();
    let id = |what: &str| format!("{what}-{}", item.receipt);
    let publish = {
        let (extra, on, item) = (extra.clone(), props.on.clone(), item.clone());
        Callback::from(move |_: MouseEvent| {
            let (spans, missing) = redactions(&item.text, &item.detected, &input_value(&extra));
            if !missing.is_empty() {
                on.emit(Command::Complain(format!("意见中没有这些文字：{}", missing.join("、"))));
                return;
            }
            on.emit(Command::Moderate {
                receipt: item.receipt.clone(),
                revision: item.revision,
                moderation: Moderation::Publish { redactions: spans },
            });
        })
    };
    let withhold = {
        let (reason, on, item) = (reason.clone(), props.on.clone(), item.clone());
        Callback::from(move |_: MouseEvent| match WithholdReason::from_key(&input_value(&reason)) {
            Some(reason) => on.emit(Command::Moderate {
                receipt: item.receipt.clone(),
                revision: item.revision,
                moderation: Moderation::Withhold { reason },
            }),
            None => on.emit(Command::Complain("请选择不予公开的理由。".to_string())),
        })
    };
    let respond = {
        let (verdict, answer, on, item) = (verdict.clone(), answer.clone(), props.on.clone(), item.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let chosen = match input_value(&verdict).as_str() {
                "adopted" => Verdict::Adopted,
                "partly_adopted" => Verdict::PartlyAdopted,
                _ => Verdict::NotAdopted,
            };
            on.emit(Command::Respond {
                receipt: item.receipt.clone(),
                revision: item.revision,
                verdict: chosen,
                reason: input_value(&answer),
            });
        })
    };
    let text = segments(&item.text, &item.detected).into_iter().map(|(run, kind)| match kind {
        Some(kind) => html! { <mark class="console__match">{ run }<span class="console__kind">{ format!("（{kind}）") }</span></mark> },
        None => html! { { run } },
    });
    let found = if item.detected.is_empty() {
        "未发现个人信息".to_string()
    } else {
        let kinds: Vec<&str> = item.detected.iter().map(|m| m.word.as_str()).collect();
        format!("发现个人信息{}处：{}（公开时将全部隐去）", kinds.len(), kinds.join("、"))
    };
    let verdict_now = item.verdict.map(|v| v.word()).unwrap_or("未答复");
    let heading = format!("回执 {} · {}", item.receipt, item.clause);
    html! {
        <article class="console__opinion" aria-labelledby={id("h")}>
            <h3 id={id("h")}>{ heading }</h3>
            <p class="console__muted">{ format!("{} · {}{}", item.received_at, item.name.clone().unwrap_or_else(|| "未署名".into()), if item.has_contact { " · 留有联系方式" } else { "" }) }</p>
            <p class="console__text">{ for text }</p>
            if item.has_contact {
                if let Some(contact) = &props.contact {
                    <p>{ format!("联系方式：{contact}") }</p>
                } else {
                    <p><button type="button" class="console__button" disabled={props.busy}
                        onclick={{ let (on, receipt) = (props.on.clone(), item.receipt.clone()); Callback::from(move |_| on.emit(Command::Contacts(receipt.clone()))) }}>
                        { "查看联系方式（记入审计日志）" }</button></p>
                }
            }
            <p><strong>{ found }</strong></p>
            <p>{ format!("审核：{}", decision_words(&item.moderation)) }{ item.moderated_by.as_ref().map(|b| format!("（{b}）")).unwrap_or_default() }</p>
            { item.preview.as_ref().map(|p| html! { <p>{ "公开文本：" }<q class="console__preview">{ p.clone() }</q></p> }).unwrap_or_default() }
            <div class="console__decide">
                <p><label for={id("extra")}>{ "另外需要隐去的文字（每行一处，可不填）" }</label>
                   <textarea id={id("extra")} ref={extra} rows="2" /></p>
                <p><button type="button" class="console__button" disabled={props.busy} onclick={publish}>{ "审核通过，公开" }</button></p>
                <p><label for={id("reason")}>{ "不予公开的理由" }</label>
                   <select id={id("reason")} ref={reason}>
                       <option value="" selected=true>{ "请选择" }</option>
                       { for WithholdReason::ALL.iter().map(|r| html! { <option value={r.key()}>{ r.word() }</option> }) }
                   </select>
                   { " " }<button type="button" class="console__button" disabled={props.busy} onclick={withhold}>{ "不予公开" }</button></p>
            </div>
            <form class="console__form" onsubmit={respond}>
                <p>{ format!("答复：{verdict_now}") }</p>
                <p><label for={id("verdict")}>{ "采纳情况" }</label>
                   <select id={id("verdict")} ref={verdict}>
                       <option value="adopted" selected={matches!(item.verdict, None | Some(Verdict::Adopted))}>{ "采纳" }</option>
                       <option value="partly_adopted" selected={item.verdict == Some(Verdict::PartlyAdopted)}>{ "部分采纳" }</option>
                       <option value="not_adopted" selected={item.verdict == Some(Verdict::NotAdopted)}>{ "未采纳" }</option>
                   </select></p>
                <p><label for={id("answer")}>{ "理由（未采纳、部分采纳时必填）" }</label>
                   <textarea id={id("answer")} ref={answer} rows="2" value={item.reason.clone().unwrap_or_default()} /></p>
                <p><button type="submit" class="console__button" disabled={props.busy}>{ "保存答复" }</button></p>
            </form>
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    me: Me,
    row: Option<ConsultationRow>,
    busy: bool,
    on: Callback<Command>,
}

#[function_component(Editor)]
fn editor(props: &EditorProps) -> Html {
    let (id, title, department, start) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let (end, clauses, reason, draft_link) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let explanation_link = use_node_ref();
    let file = use_node_ref();
    let role = use_node_ref();
    let row = props.row.clone();
    let editable = props.me.can("editor");
    let onsubmit = {
        let (id, title, department, start, end, clauses, reason, draft_link) = (
            id.clone(), title.clone(), department.clone(), start.clone(), end.clone(), clauses.clone(), reason.clone(), draft_link.clone(),
        );
        let (on, row, explanation_link) = (props.on.clone(), row.clone(), explanation_link.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let clauses: Vec<Value> = input_value(&clauses)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .enumerate()
                .map(|(n, title)| json!({"number": n + 1, "title": title}))
                .collect();
            let link = input_value(&draft_link);
            let mut form = json!({
                "id": input_value(&id).trim(), "title": input_value(&title), "department": input_value(&department),
                "start": input_value(&start), "end": input_value(&end), "clauses": clauses,
                "short_period_reason": input_value(&reason),
            });
            if !link.trim().is_empty() {
                form["draft_url"] = json!(link.trim());
            }
            let explanation = input_value(&explanation_link);
            if !explanation.trim().is_empty() {
                form["explanation_url"] = json!(explanation.trim());
            }
            on.emit(Command::Save {
                id: row.as_ref().map(|r| r.id.clone()),
                revision: row.as_ref().map_or(0, |r| r.revision),
                form,
            });
        })
    };
    let value = |f: fn(&ConsultationRow) -> String| row.as_ref().map(f).unwrap_or_default();
    let clause_lines = row
        .as_ref()
        .map(|r| r.clauses.iter().map(|c| c.title.clone()).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    let uploaded_link = row.as_ref().map(|r| r.draft_url.clone()).filter(|u| !u.starts_with("/api/")).unwrap_or_default();
    let explanation_link_value = row
        .as_ref()
        .and_then(|r| r.explanation_url.clone())
        .filter(|u| !u.starts_with("/api/"))
        .unwrap_or_default();
    let files = match &row {
        Some(row) => {
            let upload = {
                let (on, id, file, role) = (props.on.clone(), row.id.clone(), file.clone(), role.clone());
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    on.emit(Command::Upload { id: id.clone(), role: input_value(&role), input: file.clone() });
                })
            };
            let open = if row.stage == "draft" && props.me.can("publisher") {
                let id = row.id.clone();
                html! { <p><button type="button" class="console__button console__button--primary" disabled={props.busy} onclick={props.on.reform(move |_| Command::Open(id.clone()))}>{ "开始征集（向公众公开）" }</button></p> }
            } else {
                html! {}
            };
            html! {
                <section aria-labelledby="files-heading">
                    <h2 id="files-heading">{ "征求意见稿和起草说明" }</h2>
                    <ul>{ for row.files.iter().map(|f| html! {
                        <li><a href={format!("/api/officials/consultations/{}/file/{}", row.id, f.id)}>{ &f.file_name }</a>
                            { format!("（{}，{}，{}字节）", if f.role == "draft" { "征求意见稿" } else { "起草说明" }, f.kind.to_uppercase(), f.size) }</li>
                    }) }</ul>
                    if editable {
                        <form class="console__form" onsubmit={upload}>
                            <p><label for="upload-role">{ "文件用途" }</label>
                               <select id="upload-role" ref={role}><option value="draft" selected=true>{ "征求意见稿" }</option><option value="explanation">{ "起草说明" }</option></select></p>
                            <p><label for="upload-file">{ "文件（PDF、DOC、DOCX或OFD，不超过20MB）" }</label>
                               <input id="upload-file" ref={file} type="file" accept=".pdf,.doc,.docx,.ofd" /></p>
                            <p><button type="submit" class="console__button" disabled={props.busy}>{ "上传" }</button></p>
                        </form>
                    }
                    { open }
                </section>
            }
        }
        None => html! { <p>{ "保存后可上传征求意见稿和起草说明。" }</p> },
    };
    let status = row.as_ref().map(|r| html! { <p>{ format!("状态：{} · 已收到意见{}条", r.status_word, r.opinions) }</p> }).unwrap_or_default();
    html! {
        <>
            { status }
            <form class="console__form" {onsubmit}>
                <fieldset disabled={!editable}>
                    <legend>{ "基本信息" }</legend>
                    <p><label for="c-id">{ "编号（小写字母、数字、连字符）" }</label>
                       <input id="c-id" ref={id} value={value(|r| r.id.clone())} readonly={row.is_some()} required=true /></p>
                    <p><label for="c-title">{ "标题" }</label><input id="c-title" ref={title} value={value(|r| r.title.clone())} required=true /></p>
                    <p><label for="c-department">{ "起草部门" }</label><input id="c-department" ref={department} value={value(|r| r.department.clone())} required=true /></p>
                    <p><label for="c-start">{ "开始日期" }</label><input id="c-start" ref={start} type="date" value={value(|r| r.start.clone())} required=true /></p>
                    <p><label for="c-end">{ "截止日期" }</label><input id="c-end" ref={end} type="date" value={value(|r| r.end.clone())} required=true /></p>
                    <p><label for="c-reason">{ "征集期少于30天的理由（将向公众公开）" }</label>
                       <textarea id="c-reason" ref={reason} rows="2" value={value(|r| r.short_period_reason.clone().unwrap_or_default())} /></p>
                    <p><label for="c-clauses">{ "条款标题（每行一条，依次为第1条、第2条……）" }</label>
                       <textarea id="c-clauses" ref={clauses} rows="5" value={clause_lines} /></p>
                    <p><label for="c-link">{ "征求意见稿链接（不上传文件时填写）" }</label><input id="c-link" ref={draft_link} value={uploaded_link} /></p>
                    <p><label for="c-explanation">{ "起草说明链接（不上传文件时填写）" }</label><input id="c-explanation" ref={explanation_link} value={explanation_link_value} /></p>
                    <p><button type="submit" class="console__button console__button--primary" disabled={props.busy}>{ "保存" }</button></p>
                </fieldset>
            </form>
            { files }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AccountsProps {
    rows: Vec<AccountRow>,
    busy: bool,
    on: Callback<Command>,
}

const ROLES: [(&str, &str); 4] = [
    ("editor", "起草人员"),
    ("reviewer", "审核人员"),
    ("publisher", "发布人员"),
    ("admin", "管理员"),
];

#[function_component(Accounts)]
fn accounts(props: &AccountsProps) -> Html {
    let name = use_node_ref();
    let password = use_node_ref();
    let boxes = [use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref()];
    let onsubmit = {
        let (name, password, boxes, on) = (name.clone(), password.clone(), boxes.clone(), props.on.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let roles = ROLES
                .iter()
                .zip(boxes.iter())
                .filter(|(_, node)| checked(node))
                .map(|((key, _), _)| key.to_string())
                .collect();
            on.emit(Command::CreateAccount { name: input_value(&name), password: input_value(&password), roles });
        })
    };
    let rows = props.rows.iter().map(|row| {
        html! { <AccountLine key={row.name.clone()} row={row.clone()} busy={props.busy} on={props.on.clone()} /> }
    });
    html! {
        <>
            <table class="console__table">
                <caption>{ "账户" }</caption>
                <thead><tr><th scope="col">{ "账户名" }</th><th scope="col">{ "角色" }</th><th scope="col">{ "状态" }</th><th scope="col">{ "操作" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <h2>{ "新建账户" }</h2>
            <form class="console__form" {onsubmit}>
                <p><label for="a-name">{ "账户名" }</label><input id="a-name" ref={name} autocomplete="off" required=true /></p>
                <p><label for="a-password">{ "初始密码（至少10个字符）" }</label><input id="a-password" ref={password} type="password" autocomplete="new-password" required=true /></p>
                <fieldset>
                    <legend>{ "角色" }</legend>
                    { for ROLES.iter().zip(boxes.iter()).map(|((key, word), node)| html! {
                        <p><input type="checkbox" id={format!("role-{key}")} ref={node.clone()} />{ " " }<label for={format!("role-{key}")}>{ *word }</label></p>
                    }) }
                </fieldset>
                <p><button type="submit" class="console__button console__button--primary" disabled={props.busy}>{ "创建账户" }</button></p>
            </form>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AccountLineProps {
    row: AccountRow,
    busy: bool,
    on: Callback<Command>,
}

/// One account: its roles as checkboxes to change, its state, unlock and disable.
#[function_component(AccountLine)]
fn account_line(props: &AccountLineProps) -> Html {
    let row = &props.row;
    let boxes = [use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref()];
    let unlock = if row.locked {
        let name = row.name.clone();
        html! { <button type="button" class="console__button" aria-label={format!("解锁账户{}", row.name)} onclick={props.on.reform(move |_| Command::Unlock(name.clone()))}>{ "解锁" }</button> }
    } else {
        html! {}
    };
    let toggle = {
        let (name, disabled) = (row.name.clone(), !row.disabled);
        let label = if row.disabled { "启用" } else { "停用" };
        html! { <button type="button" class="console__button" aria-label={format!("{label}账户{}", row.name)} onclick={props.on.reform(move |_| Command::Disable { name: name.clone(), disabled })}>{ label }</button> }
    };
    let save = {
        let (name, boxes, on) = (row.name.clone(), boxes.clone(), props.on.clone());
        Callback::from(move |_: MouseEvent| {
            let roles = ROLES
                .iter()
                .zip(boxes.iter())
                .filter(|(_, node)| checked(node))
                .map(|((key, _), _)| key.to_string())
                .collect();
            on.emit(Command::SetRoles { name: name.clone(), roles });
        })
    };
    let state = match (row.disabled, row.locked) {
        (true, _) => "已停用",
        (false, true) => "已锁定",
        _ => "正常",
    };
    html! {
        <tr>
            <th scope="row">{ &row.name }</th>
            <td>
                <fieldset class="console__roles">
                    <legend>{ format!("{}的角色", row.name) }</legend>
                    { for ROLES.iter().zip(boxes.iter()).map(|((key, word), node)| {
                        let id = format!("roles-{}-{key}", row.name);
                        html! { <span class="console__role"><input type="checkbox" id={id.clone()} ref={node.clone()} checked={row.roles.iter().any(|r| r.key == *key)} />{ " " }<label for={id}>{ *word }</label></span> }
                    }) }
                    <button type="button" class="console__button" aria-label={format!("保存{}的角色", row.name)} disabled={props.busy} onclick={save}>{ "保存角色" }</button>
                </fieldset>
            </td>
            <td>{ state }</td>
            <td class="console__actions">{ unlock }{ toggle }</td>
        </tr>
    }
}

fn audit(rows: &[AuditRow]) -> Html {
    html! {
        <>
            <p><a href="/api/officials/audit.csv" download="audit-log.csv">{ "下载审计日志（CSV）" }</a></p>
            <table class="console__table">
                <caption>{ "最近的操作（最新在前）" }</caption>
                <thead><tr><th scope="col">{ "时间" }</th><th scope="col">{ "账户" }</th><th scope="col">{ "操作" }</th><th scope="col">{ "对象" }</th><th scope="col">{ "来源地址" }</th><th scope="col">{ "说明" }</th></tr></thead>
                <tbody>{ for rows.iter().map(|r| html! {
                    <tr><td>{ &r.at }</td><td>{ &r.actor }</td><td>{ &r.action }</td><td>{ &r.object }</td><td>{ &r.address }</td><td>{ &r.detail }</td></tr>
                }) }</tbody>
            </table>
        </>
    }
}

/// The current year in the browser's calendar.
fn this_year() -> i32 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::new_0().get_full_year() as i32
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        2026
    }
}

const STAGES: [(&str, &str); 4] = [
    ("drafting", "拟定中"),
    ("consulting", "征求意见中"),
    ("deliberating", "审议中"),
    ("published", "已公布"),
];

fn stage_options(current: &str) -> Html {
    STAGES
        .iter()
        .map(|(key, word)| html! { <option value={*key} selected={*key == current}>{ *word }</option> })
        .collect()
}

#[derive(Properties, PartialEq)]
struct CatalogueProps {
    year: i32,
    me: Me,
    rows: Vec<crate::state::DecisionRow>,
    busy: bool,
    on: Callback<Command>,
}

/// The year's catalogue: every decision with its stage; publishers add decisions and move
/// them to the next stage.
#[function_component(Catalogue)]
fn catalogue(props: &CatalogueProps) -> Html {
    let (title, department, stage, consultation) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let stage_refs = use_mut_ref(Vec::<NodeRef>::new);
    let editable = props.me.can("publisher");
    let year = props.year;
    let years = {
        let on = props.on.clone();
        html! {
            <p>
                <button type="button" class="console__button" onclick={on.reform(move |_| Command::Go(Screen::Catalogue(year - 1)))}>{ format!("{}年度", year - 1) }</button>
                { " " }
                <button type="button" class="console__button" onclick={on.reform(move |_| Command::Go(Screen::Catalogue(year + 1)))}>{ format!("{}年度", year + 1) }</button>
            </p>
        }
    };
    let form_of = |row: &crate::state::DecisionRow, stage: String| {
        json!({"year": row.year, "title": row.title, "department": row.department, "stage": stage,
               "consultation_id": row.consultation_id, "decision_url": row.decision_url})
    };
    let mut refs = stage_refs.borrow_mut();
    while refs.len() < props.rows.len() {
        refs.push(NodeRef::default());
    }
    let rows = props.rows.iter().zip(refs.iter()).map(|(row, node)| {
        let change = if editable {
            let (on, row2, node2) = (props.on.clone(), row.clone(), node.clone());
            let form = form_of(row, String::new());
            let select_id = format!("stage-{}", row.id);
            html! {
                <>
                    <label for={select_id.clone()} class="console__inline-label">{ "阶段" }</label>
                    <select id={select_id} ref={node.clone()}>{ stage_options(&row.stage) }</select>
                    { " " }
                    <button type="button" class="console__button" aria-label={format!("更新“{}”的阶段", row.title)} onclick={Callback::from(move |_| {
                        let mut form = form.clone();
                        form["stage"] = json!(input_value(&node2));
                        on.emit(Command::EditDecision { id: row2.id.clone(), revision: row2.revision, form });
                    })}>{ "更新" }</button>
                </>
            }
        } else {
            html! {}
        };
        html! {
            <tr>
                <th scope="row">{ &row.title }</th>
                <td>{ &row.department }</td>
                <td>{ &row.stage_word }</td>
                <td>{ row.consultation_id.clone().unwrap_or_else(|| "—".into()) }</td>
                <td class="console__actions">{ change }</td>
            </tr>
        }
    });
    let add = if editable {
        let (on, title_in, department_in, stage_in, consultation_in) =
            (props.on.clone(), title.clone(), department.clone(), stage.clone(), consultation.clone());
        let onsubmit = Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let linked = input_value(&consultation_in);
            on.emit(Command::AddDecision(json!({
                "year": year, "title": input_value(&title_in), "department": input_value(&department_in),
                "stage": input_value(&stage_in),
                "consultation_id": (!linked.trim().is_empty()).then(|| linked.trim().to_string()),
            })));
        });
        html! {
            <>
                <h2>{ "新增决策事项" }</h2>
                <form class="console__form" {onsubmit}>
                    <p><label for="d-title">{ "决策事项名称" }</label><input id="d-title" ref={title} required=true /></p>
                    <p><label for="d-department">{ "承办单位" }</label><input id="d-department" ref={department} required=true /></p>
                    <p><label for="d-stage">{ "阶段" }</label><select id="d-stage" ref={stage}>{ stage_options("drafting") }</select></p>
                    <p><label for="d-consultation">{ "对应的意见征集编号（可不填）" }</label><input id="d-consultation" ref={consultation} /></p>
                    <p><button type="submit" class="console__button console__button--primary" disabled={props.busy}>{ "加入目录" }</button></p>
                </form>
            </>
        }
    } else {
        html! {}
    };
    html! {
        <>
            <h2>{ format!("{year}年度") }</h2>
            { years }
            <table class="console__table">
                <caption>{ format!("{year}年度重大行政决策事项（{}项）", props.rows.len()) }</caption>
                <thead><tr><th scope="col">{ "决策事项" }</th><th scope="col">{ "承办单位" }</th><th scope="col">{ "阶段" }</th><th scope="col">{ "意见征集" }</th><th scope="col">{ "操作" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { add }
        </>
    }
}
