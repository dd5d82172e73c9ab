//! The decision-consultation feedback form (意见征集): the consultations with their period
//! and status, the form for an open one, and the published results of an answered one.
//!
//! An opinion is never lost: the draft is saved in the browser as it is typed; a submitted
//! opinion waits in the browser's outbox, with the idempotency key it was first sent with,
//! until the server has answered, across failures and reloads.

pub mod view;

use std::rc::Rc;

use disclosure_core::consultation::{
    Consultation, ConsultationStatus, OpinionDraft, PublishedResults,
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
use view::{ConsultationView, Consultations, Sending};

/// The consultations and their results, as errors name them.
const CONSULTATIONS: Named = ("意见征集", "The consultations");
const RESULTS: Named = ("意见采纳情况", "The results");

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

#[function_component(ConsultationWidget)]
pub fn consultation_widget(props: &ConsultationWidgetProps) -> Html {
    let api = with_slash(&props.api_url);
    let consultations = use_state(|| Consultations::Loading);
    let selected = use_state(|| address_parameter("zq"));
    let draft = use_state(OpinionDraft::default);
    let errors = use_state(|| Rc::new(Vec::new()));
    let sending = use_state(|| Sending::Idle);
    let results = use_state(|| None::<Rc<PublishedResults>>);
    let attempt = use_state(|| 0u32);

    {
        let consultations = consultations.clone();
        let url = format!("{api}consultations");
        let lang = props.lang;
        use_effect_with(*attempt, move |_| {
            consultations.set(Consultations::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                consultations.set(
                    match fetch_json::<Vec<Consultation>>(&url, CONSULTATIONS, lang).await {
                        Ok(all) => Consultations::Ready(Rc::new(all)),
                        Err(message) => Consultations::Failed(message),
                    },
                );
            });
        });
    }

    // Opening a consultation: its saved draft, a waiting opinion sent again, its results.
    {
        let lang_for_results = props.lang;
        let (draft, errors, sending, results) = (
            draft.clone(),
            errors.clone(),
            sending.clone(),
            results.clone(),
        );
        let api = api.clone();
        let opened = match (&*consultations, &*selected) {
            (Consultations::Ready(all), Some(id)) => all.iter().find(|c| &c.id == id).cloned(),
            _ => None,
        };
        use_effect_with(opened, move |opened| {
            errors.set(Rc::new(Vec::new()));
            results.set(None);
            let Some(consultation) = opened.clone() else {
                return;
            };
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
                let lang = lang_for_results;
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(published) = fetch_json::<PublishedResults>(&url, RESULTS, lang).await
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
        let selected = selected.clone();
        Callback::from(move |id: Option<String>| {
            if id.is_none() {
                replace_address_parameters(&[]);
            }
            selected.set(id);
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
    let on_copy = Callback::from(|text: String| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
        }
    });
    let on_retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    html! {
        <ContextProvider<Lang> context={props.lang}>
        <ConsultationView consultations={(*consultations).clone()} selected={(*selected).clone().map(AttrValue::from)}
            today={today()} draft={(*draft).clone()} errors={(*errors).clone()} sending={(*sending).clone()}
            results={(*results).clone()} retention_days={props.retention_days}
                        {on_select} {on_draft} {on_submit} {on_copy} {on_retry} />
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
