//! A document's validity status as every widget shows it: the word of the national and
//! Hunan lists with an icon (never colour alone), the detail (dates), and the sentence
//! saying which document changed it. The status itself is computed by the core
//! ([`disclosure_core::validity`]) for the citizen's day.

use disclosure_core::validity::{Change, ChangeKind, Status};
use yew::prelude::*;

use crate::labels::Lang;

#[derive(Properties, PartialEq)]
pub struct DocTitleProps {
    pub title: AttrValue,
    pub url: Option<AttrValue>,
    pub class: Classes,
}

/// A document's title as a heading, a link when the document has an address.
#[function_component(DocTitle)]
pub fn doc_title(props: &DocTitleProps) -> Html {
    html! {
        <h3 class={props.class.clone()}>
            if let Some(url) = &props.url {
                <a href={url.clone()}>{ props.title.clone() }</a>
            } else {
                { props.title.clone() }
            }
        </h3>
    }
}

/// 效力状态：有效（有效期至…）, with its icon, in `lang`. A plain function, not a
/// component: each hit of a search shows one, and a new list of hits created and destroyed
/// ten components more for it.
pub fn status_line(status: &Status, lang: Lang) -> Html {
    html! {
        <p class={classes!("nx-status", status_class(status))}>
            <span class="nx-status__icon" aria-hidden="true">{ status_icon(status) }</span>
            <span class="nx-status__word">{ lang.pick(format!("效力状态：{}", status.word()), format!("Status: {} ({})", status.word_en(), status.word())) }</span>
            <span class="nx-status__detail">{ status_detail(status, lang) }</span>
        </p>
    }
}

/// The icon beside the word: status is never told by colour alone.
fn status_icon(status: &Status) -> &'static str {
    match status {
        Status::InForce { .. } => "✓",
        Status::NotYetInForce { .. } => "⏳",
        Status::Amended { .. } => "✎",
        Status::PartlyRepealed { .. } => "◐",
        Status::Repealed { .. } | Status::Expired { .. } => "✕",
    }
}

fn status_class(status: &Status) -> &'static str {
    if status.in_force() {
        "nx-status--in-force"
    } else {
        "nx-status--not-in-force"
    }
}

fn status_detail(status: &Status, lang: Lang) -> String {
    match (status, lang) {
        (Status::NotYetInForce { from }, Lang::Chinese) => format!("（自{from}起施行）"),
        (Status::NotYetInForce { from }, Lang::English) => format!(" (in force from {from})"),
        (Status::InForce { until: Some(until) }, Lang::Chinese) => format!("（有效期至{until}）"),
        (Status::InForce { until: Some(until) }, Lang::English) => {
            format!(" (valid until {until})")
        }
        (Status::InForce { until: None }, _) => String::new(),
        (
            Status::Amended { change, .. }
            | Status::PartlyRepealed { change, .. }
            | Status::Repealed { change },
            _,
        ) => change
            .on
            .map(|on| lang.pick(format!("（自{on}起）"), format!(" (since {on})")))
            .unwrap_or_default(),
        (Status::Expired { since }, Lang::Chinese) => format!("（有效期届满，自{since}起失效）"),
        (Status::Expired { since }, Lang::English) => {
            format!(" (its term ended; expired since {since})")
        }
    }
}

pub fn status_change(status: &Status) -> Option<&Change> {
    match status {
        Status::Amended { change, .. }
        | Status::PartlyRepealed { change, .. }
        | Status::Repealed { change } => Some(change),
        _ => None,
    }
}

/// "由《…》（宁政发〔2022〕9号）废止，自2022-06-10起。"
pub fn change_sentence(change: &Change, lang: Lang) -> String {
    if lang == Lang::English {
        return english_change_sentence(change);
    }
    let verb = change.kind.verb();
    let by = change.by_whom().unwrap_or_else(|| "已被".to_string());
    let since = change
        .on
        .map(|on| format!("，自{on}起"))
        .unwrap_or_default();
    format!("{by}{verb}{since}。")
}

/// "Repealed by 《…》 (宁政发〔2022〕9号) on 2022-06-10."
fn english_change_sentence(change: &Change) -> String {
    let verb = match change.kind {
        ChangeKind::Amended => "Amended",
        ChangeKind::PartlyRepealed => "Partly repealed",
        ChangeKind::Repealed => "Repealed",
    };
    let by = match (&change.by_title, &change.by_number) {
        (Some(title), Some(number)) => format!(" by 《{title}》 ({number})"),
        (Some(title), None) => format!(" by 《{title}》"),
        (None, Some(number)) => format!(" by {number}"),
        (None, None) => String::new(),
    };
    let since = change.on.map(|on| format!(" on {on}")).unwrap_or_default();
    format!("{verb}{by}{since}.")
}
