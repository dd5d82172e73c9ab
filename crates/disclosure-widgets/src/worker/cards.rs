//! 搜索即服务 in the worker: the answer cards of a query ([`AnswerCards`]) — what the query
//! calls for ([`disclosure_core::answers::wanted`]), then the data of each kind of card,
//! fetched the first time a query calls for it and kept while the worker lives.
//!
//! Here rather than in the page's module: deciding and matching fold text
//! ([`disclosure_core::text::fold`], with OpenCC's tables and NFKC), which the worker links
//! for its engine anyway, and read the fee lists and the register; in the page's module
//! they were more than half of its Wasm (262 → about 120 KB of brotli without them), bytes
//! a phone downloads before it can show anything (issue 18).

use std::cell::RefCell;
use std::rc::Rc;

use disclosure_core::answers::{consultation_cards, fee_card, number_card, wanted};
use disclosure_core::consultation::Consultation;
use disclosure_core::fees::{FeeFile, FeeItem};
use disclosure_core::lookup::LookupEntry;
use serde::de::DeserializeOwned;

use crate::page::with_slash;
use crate::protocol::{CardsQuery, LoadFailure};
use crate::search::answers::{AnswerCards, FeeLine};

/// Where the cards' data lives, and what of it was fetched already.
#[derive(Default)]
pub(super) struct AnswerSources {
    /// Folder of `validity.json` and `fees.json` (absolute).
    data_url: String,
    /// The opinion API (`…/api/`, absolute); without it, no consultation card.
    api_url: Option<String>,
    validity: Held<Vec<LookupEntry>>,
    fees: Held<Vec<FeeItem>>,
    consultations: Held<Vec<Consultation>>,
}

/// What the worker knows of one kind of card's data.
pub(super) enum Held<U> {
    /// Not fetched yet, or the last fetch failed in a way that may pass (the network, a
    /// server's error, a file that did not read): the next query calling for it asks again.
    Unknown,
    /// The host has no such file (404, 410): a portal without fee lists, or without the
    /// opinion API. Not asked again while the worker lives — every query naming a fee
    /// would otherwise cost a request; a page opened after a build that adds the file
    /// finds it.
    Absent,
    Fetched(Rc<U>),
}

impl<U> Default for Held<U> {
    fn default() -> Held<U> {
        Held::Unknown
    }
}

/// The sources the worker keeps between queries.
pub(super) type SharedSources = Rc<RefCell<AnswerSources>>;

/// The cards of `asked`, fetching what they need the first time (from `sources`, emptied
/// first when `asked` names other places: another widget of the page); `None` when the
/// query calls for none. A file that cannot be fetched or read gives no card (the results
/// still show, and the next query tries again).
pub(super) async fn answer(sources: SharedSources, asked: CardsQuery) -> Option<AnswerCards> {
    {
        let mut held = sources.borrow_mut();
        if held.data_url != asked.data_url || held.api_url != asked.api_url {
            *held = AnswerSources {
                data_url: asked.data_url.clone(),
                api_url: asked.api_url.clone(),
                ..AnswerSources::default()
            };
        }
    }
    let (query, today) = (asked.query, asked.today);
    let wanted = wanted(&query);
    if wanted.is_empty() {
        return None;
    }
    let mut cards = AnswerCards {
        query: query.clone(),
        ..AnswerCards::default()
    };
    if wanted.number.is_some() {
        if let Some(entries) = validity(&sources).await {
            cards.numbers = number_card(&entries, &query, today)
                .into_iter()
                .cloned()
                .collect();
        }
    }
    if let Some(words) = &wanted.fee {
        if let Some(items) = fees(&sources).await {
            let (found, total) = fee_card(&items, words);
            cards.fees = found.into_iter().map(FeeLine::from).collect();
            cards.fee_total = total;
            cards.fee_words = words.clone();
        }
    }
    if let Some(topic) = &wanted.topic {
        if let Some(all) = consultations(&sources).await {
            cards.consultations = consultation_cards(&all, topic, today)
                .into_iter()
                .cloned()
                .collect();
        }
    }
    Some(cards)
}

/// The data of one kind of card: kept in `slot` once fetched; else fetched from the URL
/// `locate` gives (none: the card is not offered), read as JSON of `T` and made into what
/// the card uses by `prepare` (`None`: not usable). A file the host does not have is
/// remembered as [`Held::Absent`]; any other failure keeps nothing, so the next query
/// tries again.
async fn fetch_once<T: DeserializeOwned, U>(
    sources: &SharedSources,
    slot: fn(&mut AnswerSources) -> &mut Held<U>,
    locate: impl Fn(&AnswerSources) -> Option<String>,
    prepare: impl FnOnce(T) -> Option<U>,
) -> Option<Rc<U>> {
    let url = {
        let mut held = sources.borrow_mut();
        match slot(&mut held) {
            Held::Fetched(known) => return Some(known.clone()),
            Held::Absent => return None,
            Held::Unknown => locate(&held)?,
        }
    };
    // Kept only if the sources still name that file: another widget of the page may have
    // asked for its own meanwhile.
    let keep = |known: Held<U>| {
        let mut held = sources.borrow_mut();
        if locate(&held).as_deref() == Some(url.as_str()) {
            *slot(&mut held) = known;
        }
    };
    let bytes = match super::http::fetch_whole(&url, web_sys::RequestCache::Default).await {
        Ok(bytes) => bytes,
        Err(LoadFailure::Status(404 | 410)) => {
            keep(Held::Absent);
            return None;
        }
        Err(_) => return None,
    };
    let fetched: T = serde_json::from_slice(&bytes).ok()?;
    let prepared = Rc::new(prepare(fetched)?);
    keep(Held::Fetched(prepared.clone()));
    Some(prepared)
}

async fn validity(sources: &SharedSources) -> Option<Rc<Vec<LookupEntry>>> {
    fetch_once(
        sources,
        |s| &mut s.validity,
        |s| Some(format!("{}validity.json", with_slash(&s.data_url))),
        |entries: Vec<LookupEntry>| Some(entries),
    )
    .await
}

async fn fees(sources: &SharedSources) -> Option<Rc<Vec<FeeItem>>> {
    fetch_once(
        sources,
        |s| &mut s.fees,
        |s| Some(format!("{}fees.json", with_slash(&s.data_url))),
        |file: FeeFile| {
            file.is_readable()
                .then(|| file.lists.into_iter().flat_map(|list| list.items).collect())
        },
    )
    .await
}

async fn consultations(sources: &SharedSources) -> Option<Rc<Vec<Consultation>>> {
    fetch_once(
        sources,
        |s| &mut s.consultations,
        |s| {
            s.api_url
                .as_ref()
                .map(|api| format!("{}consultations", with_slash(api)))
        },
        |all: Vec<Consultation>| Some(all),
    )
    .await
}
