//! The consultations as plain pages: semantic HTML that works without JavaScript, prints
//! well and is what a search engine indexes (`/consultations/`, `/consultations/{id}`),
//! and the opinion form as a plain HTML form POST, taken by the same code as the widget's
//! JSON ([`super::accept_opinion`]): the same limit, honeypot, period, rules and
//! idempotency — the key travels in a hidden field made when the form is drawn, so sending
//! the page twice stores one opinion. maud writes the pages and escapes every value.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use disclosure_core::consultation::{
    Consultation, ConsultationStatus, FieldError, OpinionDraft, OpinionField, Receipt,
    ResultsPage, MAX_OPINION_CHARS,
};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;

use super::error::ApiError;
use super::extract::Client;
use super::{accept_opinion, find_consultation, results_of, today, visible_consultations, Api, OpinionPost};

/// Styles of the plain pages: readable at any size, 16px floor, printable.
const STYLE: &str = "body{font:max(1rem,16px)/1.6 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}\
a{color:#0b4f9c}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #767676;padding:.4rem;text-align:left}\
label{display:block;font-weight:bold;margin-top:1rem}input,select,textarea{font:inherit;width:100%;max-width:40rem;box-sizing:border-box;padding:.4rem;border:1px solid #555}\
.error{color:#a00000}.honeypot{position:absolute;left:-10000px}button{font:inherit;margin-top:1rem;padding:.5rem 1.5rem}\
@media print{form,nav{display:none}}";

/// The routes of the plain pages.
pub fn routes() -> Router<Arc<Api>> {
    Router::new()
        .route("/consultations/", get(list))
        .route("/consultations/{id}", get(one).post(send))
}

fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - 意见征集" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav aria-label="意见征集" { a href="/consultations/" { "全部意见征集" } }
                main { (body) }
            }
        }
    }
}

/// An error as a page: the same sentence the API gives, with its status.
fn error_page(error: ApiError) -> Response {
    let status = error.status();
    let message = error.message();
    let body = page(
        "无法完成",
        html! {
            h1 { "无法完成" }
            p role="alert" { (message) }
            p { a href="/consultations/" { "返回意见征集列表" } }
        },
    );
    (status, body).into_response()
}

async fn list(State(api): State<Arc<Api>>) -> Response {
    let views = match visible_consultations(&api).await {
        Ok(views) => views,
        Err(error) => return error_page(error),
    };
    page(
        "意见征集",
        html! {
            h1 { "意见征集" }
            @if views.is_empty() {
                p { "目前没有意见征集。" }
            } @else {
                ul {
                    @for view in &views {
                        li {
                            a href={ "/consultations/" (view.consultation.id) } { (view.consultation.title) }
                            br;
                            (view.consultation.department) "，" (view.consultation.start) " 至 " (view.consultation.end)
                            "（" (view.period_days) " 天），" strong { (view.status_word) }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

async fn one(State(api): State<Arc<Api>>, Path(id): Path<String>) -> Response {
    match consultation_page(&api, &id, &OpinionDraft::default(), &[], &fresh_key()).await {
        Ok(markup) => markup.into_response(),
        Err(error) => error_page(error),
    }
}

/// A random idempotency key for one drawing of the form (16 bytes, hex).
fn fresh_key() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness the key is empty and the post is refused as a bad request.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    hex::encode(bytes)
}

/// The page of one consultation: its facts, its results once published, and the form
/// while it is open (with `draft` and `errors` when a post was refused).
async fn consultation_page(
    api: &Api,
    id: &str,
    draft: &OpinionDraft,
    errors: &[FieldError],
    key: &str,
) -> Result<Markup, ApiError> {
    let consultation = find_consultation(api, id).await?;
    let meta = api.store.consultation_meta(id).await?;
    let view = super::view(consultation.clone(), meta.as_ref());
    let results = results_of(api, &consultation).await?;
    let received = api.store.clauses_received(id).await?.len();
    Ok(page(
        &consultation.title,
        html! {
            h1 { (consultation.title) }
            dl {
                dt { "发布单位" } dd { (consultation.department) }
                dt { "征集期" } dd { (consultation.start) " 至 " (consultation.end) "（" (view.period_days) " 天）" }
                dt { "状态" } dd { (view.status_word) }
                @if let Some(reason) = &view.short_period_reason {
                    dt { "征集期少于30日的说明" } dd { (reason) }
                }
                dt { "征求意见稿" } dd { a href=(consultation.draft_url) { "查看征求意见稿" } }
                @if let Some(explanation) = &consultation.explanation_url {
                    dt { "起草说明" } dd { a href=(explanation) { "查看起草说明" } }
                }
            }
            @match &results {
                Some(results) => (results_section(results)),
                None => p { "已收到意见 " (received) " 条（意见内容在征集结束、审核后公布）。" },
            }
            @if consultation.status_on(today()) == ConsultationStatus::Open {
                (form(&consultation, draft, errors, key))
            }
        },
    ))
}

fn results_section(results: &ResultsPage) -> Markup {
    html! {
        section aria-labelledby="results" {
            h2 id="results" { "意见采纳情况（" (results.published) " 公布）" }
            @if !results.statement.trim().is_empty() {
                p { (results.statement) }
            }
            table {
                caption { "共收到意见 " (results.total) " 条" }
                thead { tr { th scope="col" { "条款" } th scope="col" { "意见数" } } }
                tbody {
                    @for (clause, count) in &results.per_clause {
                        tr { th scope="row" { (clause) } td { (count) } }
                    }
                }
            }
            @for withheld in &results.withheld {
                p { (withheld.sentence) }
            }
            ol {
                @for public in &results.opinions {
                    li {
                        p { strong { (public.opinion.clause) } "　" (if public.opinion.name.is_empty() { "匿名" } else { public.opinion.name.as_str() }) }
                        p { (public.opinion.text) }
                        @if let Some(reason) = &public.redaction_reason {
                            p { "（部分内容" (reason) "，已隐去）" }
                        }
                        @if let Some(verdict) = public.opinion.verdict {
                            p { "处理结果：" (verdict.word())
                                @if !public.opinion.reason.is_empty() { "。理由：" (public.opinion.reason) } }
                        }
                    }
                }
            }
        }
    }
}

/// The id of a field, and of its error text.
fn field_id(field: OpinionField) -> &'static str {
    match field {
        OpinionField::Clause => "clause",
        OpinionField::Text => "text",
        OpinionField::Name => "name",
        OpinionField::Phone => "phone",
        OpinionField::Email => "email",
    }
}

fn form(consultation: &Consultation, draft: &OpinionDraft, errors: &[FieldError], key: &str) -> Markup {
    let error = |field: OpinionField| errors.iter().find(|e| e.field == field);
    let described = |field: OpinionField| error(field).map(|_| format!("{}-error", field_id(field)));
    let message = |field: OpinionField| {
        html! {
            @if let Some(e) = error(field) {
                p id={ (field_id(field)) "-error" } class="error" { (e.message) }
            }
        }
    };
    html! {
        section aria-labelledby="give-opinion" {
            h2 id="give-opinion" { "提交意见" }
            @if !errors.is_empty() {
                div role="alert" {
                    p { "意见未能提交，有 " (errors.len()) " 处需要修改：" }
                    ul { @for e in errors { li { a href={ "#" (field_id(e.field)) } { (e.message) } } } }
                }
            }
            form method="post" action={ "/consultations/" (consultation.id) } {
                input type="hidden" name="key" value=(key);
                label for="clause" { "针对条款" }
                select id="clause" name="clause" aria-invalid=[error(OpinionField::Clause).map(|_| "true")] aria-describedby=[described(OpinionField::Clause)] {
                    option value="" selected[draft.clause.is_none()] { "总体意见" }
                    @for clause in &consultation.clauses {
                        option value=(clause.number) selected[draft.clause == Some(clause.number)] { "第" (clause.number) "条 " (clause.title) }
                    }
                }
                (message(OpinionField::Clause))
                label for="text" { "意见内容（必填，最多 " (MAX_OPINION_CHARS) " 字）" }
                textarea id="text" name="text" rows="8" required aria-invalid=[error(OpinionField::Text).map(|_| "true")] aria-describedby=[described(OpinionField::Text)] { (draft.text) }
                (message(OpinionField::Text))
                label for="name" { "姓名（选填，公布时只显示姓氏）" }
                input id="name" name="name" autocomplete="name" value=(draft.name) aria-invalid=[error(OpinionField::Name).map(|_| "true")] aria-describedby=[described(OpinionField::Name)];
                (message(OpinionField::Name))
                label for="phone" { "电话（选填，不公布）" }
                input id="phone" name="phone" type="tel" autocomplete="tel" value=(draft.phone) aria-invalid=[error(OpinionField::Phone).map(|_| "true")] aria-describedby=[described(OpinionField::Phone)];
                (message(OpinionField::Phone))
                label for="email" { "电子邮箱（选填，不公布）" }
                input id="email" name="email" type="email" autocomplete="email" value=(draft.email) aria-invalid=[error(OpinionField::Email).map(|_| "true")] aria-describedby=[described(OpinionField::Email)];
                (message(OpinionField::Email))
                div class="honeypot" aria-hidden="true" {
                    label for="website" { "请勿填写此项" }
                    input id="website" name="website" tabindex="-1" autocomplete="off";
                }
                p { "我们收集的姓名、电话和电子邮箱仅用于就您的意见与您联系，电话和邮箱不公布，结果公布后按规定期限删除。" }
                button type="submit" { "提交意见" }
            }
        }
    }
}

/// The form as posted (`application/x-www-form-urlencoded`).
#[derive(Deserialize)]
struct PlainPost {
    #[serde(default)]
    key: String,
    #[serde(default)]
    clause: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
}

async fn send(
    State(api): State<Arc<Api>>,
    client: Result<Client, ApiError>,
    Path(id): Path<String>,
    form: Result<Form<PlainPost>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Client(client) = match client {
        Ok(client) => client,
        Err(error) => return error_page(error),
    };
    let Ok(Form(form)) = form else {
        return error_page(ApiError::BadRequest("提交的内容无法读取，请返回重新填写后提交。"));
    };
    let draft = OpinionDraft {
        consultation_id: id.clone(),
        // A clause that is not a number is left for the rules to refuse as none of the
        // draft's clauses.
        clause: match form.clause.trim() {
            "" => None,
            number => Some(number.parse().unwrap_or(u32::MAX)),
        },
        text: form.text,
        name: form.name,
        phone: form.phone,
        email: form.email,
    };
    let key = form.key.trim().to_string();
    let post = OpinionPost {
        draft: draft.clone(),
        website: form.website,
    };
    let checked_key = || {
        if (8..=100).contains(&key.len()) {
            Ok(key.clone())
        } else {
            Err(ApiError::BadRequest("表单已过期，请刷新页面后重新提交。"))
        }
    };
    match accept_opinion(&api, &client, &id, checked_key, post).await {
        Ok((status, receipt)) => (status, receipt_page(&receipt)).into_response(),
        Err(ApiError::Invalid(errors)) => {
            match consultation_page(&api, &id, &draft, &errors, &key).await {
                Ok(markup) => (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response(),
                Err(error) => error_page(error),
            }
        }
        Err(error) => error_page(error),
    }
}

fn receipt_page(receipt: &Receipt) -> Markup {
    page(
        "意见已收到",
        html! {
            h1 { "意见已收到" }
            @if receipt.repeated {
                p { "这条意见此前已经收到，无需重复提交。" }
            }
            dl {
                dt { "回执编号" } dd { strong { (receipt.receipt) } }
                dt { "查询码" } dd { strong { (receipt.secret) } }
                dt { "收到时间" } dd { (receipt.received_at) }
            }
            p { "请记下回执编号和查询码，可凭此查询意见的处理情况。" }
        },
    )
}
