//! The decision-consultation feedback form (意见征集): the consultations with their period
//! and status, the form for an open one, and the published results of an answered one.
//!
//! An opinion is never lost: the draft is saved in the browser as it is typed; a submitted
//! opinion waits in the browser's outbox, with the idempotency key it was first sent with,
//! until the server has answered, across failures and reloads.

pub mod view;

use std::rc::Rc;

use disclosure_core::consultation::{
    CatalogueYear, Consultation, ConsultationStatus, LiveCounts, OpinionDraft, OpinionStatus,
    Receipt, Refusal, ResultsPage,
};
use disclosure_core::post_answer::{classify_answer, network_failure, Answer, PostOutcome};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::labels::Lang;
use crate::page::Named;
use crate::page::{
    address_parameter, fetch_json, forget, parse_json, recall, remember,
    replace_address_parameters, to_json, today, with_slash,
};
use view::{Catalogue, ConsultationView, Consultations, Lookup, Sending};

/// The consultations, as errors name them.
const CONSULTATIONS: Named = ("意见征集", "The consultations");

#[derive(Properties, PartialEq, Clone)]
pub struct ConsultationWidgetProps {
    /// Where the opinion API answers (`/api/` on the project's server).
    #[prop_or(AttrValue::Static("/api/"))]
    pub api_url: AttrValue,
    /// How long the server keeps contact data after publication, for the notice.
    #[prop_or(180)]
    pub retention_days: u32,
    #[prop_or_default]
    pub lang: Lang,
}

/// A consultation as the API lists it: the consultation, and the reason officials gave
/// when its period is shorter than 30 days.
#[derive(Deserialize)]
struct Listed {
    #[serde(flatten)]
    consultation: Consultation,
    #[serde(default)]
    short_period_reason: Option<String>,
}

/// The year's catalogue of major decisions, as errors name it.
const CATALOGUE: Named = ("重大行政决策事项目录", "The catalogue of major decisions");

/// An opinion handed to the server but not yet answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    key: String,
    draft: OpinionDraft,
}

fn draft_slot(consultation: &str) -> String {
    format!("nx-opinion-draft:{consultation}")
}

fn outbox_slot(consultation: &str) -> String {
    format!("nx-opinion-outbox:{consultation}")
}

/// Where the last receipt of a consultation is kept until the citizen dismisses it.
fn receipt_slot(consultation: &str) -> String {
    format!("nx-opinion-receipt:{consultation}")
}

#[function_component(ConsultationWidget)]
pub fn consultation_widget(props: &ConsultationWidgetProps) -> Html {
    let api = with_slash(&props.api_url);
    let consultations = use_state(|| Consultations::Loading);
    let selected = use_state(|| address_parameter("zq"));
    let draft = use_state(OpinionDraft::default);
    let errors = use_state(|| Rc::new(Vec::new()));
    let sending = use_state(|| Sending::Idle);
    let results = use_state(|| None::<Rc<ResultsPage>>);
    let counts = use_state(|| None::<Rc<LiveCounts>>);
    let reasons = use_state(|| Rc::new(std::collections::BTreeMap::<String, String>::new()));
    let attempt = use_state(|| 0u32);
    let kept = use_state(|| None::<Receipt>);
    let lookup = use_state(Lookup::default);
    // The year's catalogue of major decisions, shown instead of the list (`?ml=2026`).
    let catalogue_year = use_state(|| address_parameter("ml").and_then(|y| y.parse::<i32>().ok()));
    let catalogue = use_state(|| None::<Catalogue>);
    {
        let catalogue = catalogue.clone();
        let api = api.clone();
        let lang = props.lang;
        use_effect_with((*catalogue_year, *attempt), move |(year, _)| {
            catalogue.set(None);
            if let Some(year) = *year {
                replace_address_parameters(&[("ml", &year.to_string())]);
                catalogue.set(Some(Catalogue::Loading(year)));
                let url = format!("{api}catalogue/{year}");
                wasm_bindgen_futures::spawn_local(async move {
                    catalogue.set(Some(match fetch_json::<CatalogueYear>(&url).await {
                        Ok(found) => Catalogue::Ready(Rc::new(found)),
                        Err(error) => Catalogue::Failed(year, error.sentence(CATALOGUE, lang)),
                    }));
                });
            }
        });
    }

    {
        let (consultations, reasons) = (consultations.clone(), reasons.clone());
        let url = format!("{api}consultations");
        let lang = props.lang;
        use_effect_with(*attempt, move |_| {
            consultations.set(Consultations::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                consultations.set(
                    match fetch_json::<Vec<Listed>>(&url).await {
                        Ok(all) => {
                            reasons.set(Rc::new(
                                all.iter()
                                    .filter_map(|l| {
                                        let reason = l.short_period_reason.clone()?;
                                        Some((l.consultation.id.clone(), reason))
                                    })
                                    .collect(),
                            ));
                            Consultations::Ready(Rc::new(
                                all.into_iter().map(|l| l.consultation).collect(),
                            ))
                        }
                        Err(error) => Consultations::Failed(error.sentence(CONSULTATIONS, lang)),
                    },
                );
            });
        });
    }

    // Opening a consultation: its saved draft, a waiting opinion sent again, its results.
    {
        let (draft, errors, sending, results, counts) = (
            draft.clone(),
            errors.clone(),
            sending.clone(),
            results.clone(),
            counts.clone(),
        );
        let (kept, lookup) = (kept.clone(), lookup.clone());
        let api = api.clone();
        let opened = match (&*consultations, &*selected) {
            (Consultations::Ready(all), Some(id)) => all.iter().find(|c| &c.id == id).cloned(),
            _ => None,
        };
        use_effect_with(opened, move |opened| {
            errors.set(Rc::new(Vec::new()));
            results.set(None);
            counts.set(None);
            lookup.set(Lookup::Idle);
            let Some(consultation) = opened.clone() else {
                return;
            };
            kept.set(recall(&receipt_slot(&consultation.id)).and_then(|text| parse_json::<Receipt>(&text)));
            // While open: how many opinions arrived, per clause (never what they say).
            if consultation.status_on(today()) == ConsultationStatus::Open {
                let url = format!("{api}consultations/{}/counts", consultation.id);
                let counts = counts.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(live) = fetch_json::<LiveCounts>(&url).await {
                        counts.set(Some(Rc::new(live)));
                    }
                });
            }
            replace_address_parameters(&[("zq", &consultation.id)]);
            let saved = recall(&draft_slot(&consultation.id))
                .and_then(|text| parse_json::<OpinionDraft>(&text));
            draft.set(saved.unwrap_or_else(|| OpinionDraft {
                consultation_id: consultation.id.clone(),
                ..Default::default()
            }));
            let pending = recall(&outbox_slot(&consultation.id))
                .and_then(|text| parse_json::<Pending>(&text));
            if consultation.status_on(today()) == ConsultationStatus::Answered {
                let url = format!("{api}consultations/{}/results", consultation.id);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(published) = fetch_json::<ResultsPage>(&url).await
                    {
                        results.set(Some(Rc::new(published)));
                    }
                });
            }
            match pending {
                Some(pending) => deliver(api, pending, sending, errors, draft),
                None => sending.set(Sending::Idle),
            }
        });
    }

    let on_select = {
        let (selected, catalogue_year) = (selected.clone(), catalogue_year.clone());
        Callback::from(move |id: Option<String>| {
            if id.is_none() {
                replace_address_parameters(&[]);
            }
            catalogue_year.set(None);
            selected.set(id);
        })
    };
    let on_catalogue = {
        let (selected, catalogue_year) = (selected.clone(), catalogue_year.clone());
        Callback::from(move |year: Option<i32>| {
            if year.is_none() {
                replace_address_parameters(&[]);
            }
            selected.set(None);
            catalogue_year.set(year);
        })
    };
    let on_draft = {
        let draft = draft.clone();
        Callback::from(move |next: OpinionDraft| {
            // Saved as typed, so a reload or a closed tab loses nothing.
            if let Some(text) = to_json(&next) {
                remember(&draft_slot(&next.consultation_id), &text);
            }
            draft.set(next);
        })
    };
    let on_submit = {
        let (draft, errors, sending) = (draft.clone(), errors.clone(), sending.clone());
        let consultations = consultations.clone();
        let api = api.clone();
        Callback::from(move |_| {
            let Consultations::Ready(all) = &*consultations else {
                return;
            };
            let Some(consultation) = all.iter().find(|c| c.id == draft.consultation_id) else {
                return;
            };
            if let Err(found) = draft.validate(consultation) {
                errors.set(Rc::new(found));
                sending.set(Sending::Idle);
                return;
            }
            errors.set(Rc::new(Vec::new()));
            // The same draft sent again (after a proxy refused it, say) keeps the key it
            // waits under in the outbox, so it can never be stored twice.
            let key = recall(&outbox_slot(&consultation.id))
                .and_then(|text| parse_json::<Pending>(&text))
                .filter(|waiting| waiting.draft == *draft)
                .map_or_else(new_key, |waiting| waiting.key);
            let pending = Pending {
                key,
                draft: (*draft).clone(),
            };
            if let Some(text) = to_json(&pending) {
                remember(&outbox_slot(&consultation.id), &text);
            }
            deliver(
                api.clone(),
                pending,
                sending.clone(),
                errors.clone(),
                draft.clone(),
            );
        })
    };
    let on_dismiss = {
        let (kept, lookup, selected) = (kept.clone(), lookup.clone(), selected.clone());
        Callback::from(move |_| {
            if let Some(id) = &*selected {
                forget(&receipt_slot(id));
            }
            kept.set(None);
            lookup.set(Lookup::Idle);
        })
    };
    let on_lookup = {
        let lookup = lookup.clone();
        let url = format!("{api}receipts");
        let lang = props.lang;
        Callback::from(move |(receipt, secret): (String, String)| {
            let (lookup, url) = (lookup.clone(), url.clone());
            if receipt.trim().is_empty() || secret.trim().is_empty() {
                lookup.set(Lookup::Failed(
                    lang.pick("请填写回执编号和查询码。", "Give the receipt number and the secret.").to_string(),
                ));
                return;
            }
            lookup.set(Lookup::Busy);
            wasm_bindgen_futures::spawn_local(async move {
                lookup.set(look_up(&url, &receipt, &secret, lang).await);
            });
        })
    };
    let on_retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    html! {
        <ContextProvider<Lang> context={props.lang}>
        <ConsultationView consultations={(*consultations).clone()} selected={(*selected).clone().map(AttrValue::from)}
            today={today()} draft={(*draft).clone()} errors={(*errors).clone()} sending={(*sending).clone()}
            results={(*results).clone()} counts={(*counts).clone()} retention_days={props.retention_days}
            catalogue={(*catalogue).clone()} {on_catalogue}
            short_period_reason={selected.as_ref().and_then(|id| reasons.get(id)).cloned().map(AttrValue::from)}
                        {on_select} {on_draft} {on_submit} {on_retry}
            kept={(*kept).clone()} lookup={(*lookup).clone()} {on_lookup} {on_dismiss} />
        </ContextProvider<Lang>>
    }
}

/// A random idempotency key from the browser's cryptographic generator: the server derives
/// the receipt's secret from it, so it must not be guessable.
fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends a pending opinion until the server answers: while it is not received the
/// citizen is told why and that it waits in the browser, and it is sent again with the
/// same key — after as long as a 429 asks, else after 1, 2, 4 … 15 seconds. What the
/// answers mean is `disclosure_core::post_answer`'s rule.
fn deliver(
    api: String,
    pending: Pending,
    sending: UseStateHandle<Sending>,
    errors: UseStateHandle<Rc<Vec<disclosure_core::consultation::FieldError>>>,
    draft: UseStateHandle<OpinionDraft>,
) {
    sending.set(Sending::InFlight);
    wasm_bindgen_futures::spawn_local(async move {
        let consultation = pending.draft.consultation_id.clone();
        let url = format!("{api}consultations/{consultation}/opinions");
        let mut wait_ms = 1000;
        loop {
            match post(&url, &pending).await {
                PostOutcome::Received(receipt) => {
                    forget(&outbox_slot(&consultation));
                    forget(&draft_slot(&consultation));
                    draft.set(OpinionDraft {
                        consultation_id: consultation.clone(),
                        ..Default::default()
                    });
                    // Kept until the citizen dismisses it, so a reload does not lose it.
                    if let Some(text) = to_json(&receipt) {
                        remember(&receipt_slot(&consultation), &text);
                    }
                    sending.set(Sending::Received(receipt));
                    return;
                }
                PostOutcome::Refused { refusal, .. } => {
                    // The opinion itself was refused: it leaves the outbox, the draft stays
                    // for the citizen to correct.
                    forget(&outbox_slot(&consultation));
                    if refusal.fields.is_empty() {
                        sending.set(Sending::Refused(refusal.error));
                    } else {
                        errors.set(Rc::new(refusal.fields));
                        sending.set(Sending::Idle);
                    }
                    return;
                }
                PostOutcome::Held { why } => {
                    // Kept in the outbox (sent again on the next visit, or when the citizen
                    // sends it again, with the same key), never retried in a loop.
                    sending.set(Sending::Held(why));
                    return;
                }
                PostOutcome::Retry { why, after_s } => {
                    sending.set(Sending::Waiting(why));
                    let wait = after_s.map_or(wait_ms, |seconds| seconds * 1000);
                    yew::platform::time::sleep(std::time::Duration::from_millis(wait)).await;
                    wait_ms = (wait_ms * 2).min(15_000);
                }
            }
        }
    });
}

/// The receipt lookup's question.
#[derive(Serialize)]
struct LookupQuery<'a> {
    receipt: &'a str,
    secret: &'a str,
}

/// Asks the server about an opinion (a POST, so neither number lands in access logs).
async fn look_up(url: &str, receipt: &str, secret: &str, lang: Lang) -> Lookup {
    let unreachable = || {
        Lookup::Failed(
            lang.pick("暂时无法连接，请检查网络后重试。", "The server cannot be reached; check your connection and try again.")
                .to_string(),
        )
    };
    let Some(body) = to_json(&LookupQuery { receipt: receipt.trim(), secret: secret.trim() }) else {
        return unreachable();
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let Ok(headers) = web_sys::Headers::new() else {
        return unreachable();
    };
    let _ = headers.set("Content-Type", "application/json");
    init.set_headers(&headers);
    let Some(window) = web_sys::window() else {
        return unreachable();
    };
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await else {
        return unreachable();
    };
    let response: web_sys::Response = response.unchecked_into();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let Some(text) = text else {
        return unreachable();
    };
    if response.status() == 200 {
        if let Some(found) = parse_json::<OpinionStatus>(&text) {
            return Lookup::Found(Rc::new(found));
        }
    }
    match parse_json::<Refusal>(&text) {
        Some(refusal) if !refusal.error.is_empty() => Lookup::Failed(refusal.error),
        _ => Lookup::Failed(
            lang.pick(
                format!("暂时无法查询（HTTP {}），请稍后重试。", response.status()),
                format!("The lookup failed (HTTP {}); try again later.", response.status()),
            ),
        ),
    }
}

async fn post(url: &str, pending: &Pending) -> PostOutcome {
    let Some(body) = to_json(&pending.draft) else {
        return network_failure();
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let Ok(headers) = web_sys::Headers::new() else {
        return network_failure();
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Idempotency-Key", &pending.key);
    init.set_headers(&headers);
    let Some(window) = web_sys::window() else {
        return network_failure();
    };
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await else {
        return network_failure();
    };
    let response: web_sys::Response = response.unchecked_into();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let (content_type, retry_after) = (header("content-type"), header("retry-after"));
    let Ok(promise) = response.text() else {
        return network_failure();
    };
    let Some(text) = JsFuture::from(promise).await.ok().and_then(|t| t.as_string()) else {
        // The answer broke off: nothing says the opinion arrived.
        return network_failure();
    };
    classify_answer(Answer {
        status: response.status(),
        content_type: content_type.as_deref(),
        retry_after: retry_after.as_deref(),
        receipt: parse_json(&text),
        refusal: parse_json(&text),
    })
}
