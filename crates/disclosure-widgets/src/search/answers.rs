//! 搜索即服务 in the search widget: the answer cards of a query (what they hold), where
//! their links lead, and fetching their data — each file only when a query first calls
//! for it ([`disclosure_core::answers::wanted`]), then kept for the page's life.

use std::cell::RefCell;
use std::rc::Rc;

use disclosure_core::answers::{consultation_cards, fee_card, number_card, wanted};
use disclosure_core::consultation::Consultation;
use disclosure_core::fees::{FeeFile, FeeItem};
use disclosure_core::lookup::LookupEntry;
use time::Date;
use yew::AttrValue;

use crate::labels::Lang;
use crate::page::{fetch_json, with_slash};

/// The cards shown above the results of `query`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnswerCards {
    /// The query they answer: cards for another query are dropped.
    pub query: String,
    /// The document bearing the number typed (and another version), in force first.
    pub numbers: Vec<LookupEntry>,
    /// The fee items named, at most [`disclosure_core::answers::MAX_FEE_ITEMS`]…
    pub fees: Vec<FeeItem>,
    /// …of this many matching.
    pub fee_total: usize,
    /// The fee words, for the link to the whole fee list.
    pub fee_words: String,
    /// Consultations open today on the topic.
    pub consultations: Vec<Consultation>,
}

impl AnswerCards {
    /// How many cards there are (the number card, the fee card, one per consultation).
    pub fn count(&self) -> usize {
        usize::from(!self.numbers.is_empty())
            + usize::from(!self.fees.is_empty())
            + self.consultations.len()
    }
}

/// The pages the cards link to, from the host's `data-*` attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerLinks {
    /// The validity lookup (`?wh=` a number).
    pub validity_page: AttrValue,
    /// The fee-list browser (`?fq=` words).
    pub fees_page: AttrValue,
    /// The consultation form (`?zq=` an id).
    pub consultation_page: AttrValue,
}

impl Default for AnswerLinks {
    fn default() -> Self {
        AnswerLinks {
            validity_page: AttrValue::Static("validity.html"),
            fees_page: AttrValue::Static("fees.html"),
            consultation_page: AttrValue::Static("consultation.html"),
        }
    }
}

/// Where the cards' data lives, and what of it was fetched already.
#[derive(Default)]
pub struct AnswerSources {
    /// Folder of `validity.json` and `fees.json`.
    pub data_url: String,
    /// The opinion API (`…/api/`); without it, no consultation card.
    pub api_url: Option<String>,
    validity: Option<Rc<Vec<LookupEntry>>>,
    fees: Option<Rc<Vec<FeeItem>>>,
    consultations: Option<Rc<Vec<Consultation>>>,
}

impl AnswerSources {
    /// Nothing fetched yet, from `data_url` and (for consultations) `api_url`.
    pub fn new(data_url: String, api_url: Option<String>) -> AnswerSources {
        AnswerSources {
            data_url,
            api_url,
            ..AnswerSources::default()
        }
    }
}

/// The sources a widget shares between its searches.
pub type SharedSources = Rc<RefCell<AnswerSources>>;

/// The cards of `query` for `today`, fetching what they need the first time; `None` when
/// the query calls for none. A file that cannot be fetched gives no card (the results
/// still show, and the next query tries again).
pub async fn answer(sources: SharedSources, query: String, today: Date) -> Option<AnswerCards> {
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
            cards.fees = found.into_iter().cloned().collect();
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

/// Errors are not shown (the card is left out), so their wording's language is moot.
const QUIET: Lang = Lang::Chinese;

/// The data of one kind of card: kept in `slot` once fetched; else fetched from the URL
/// `locate` gives (none: the card is not offered), read as `T` and made into what the
/// card uses by `prepare` (`None`: not usable). A failure keeps nothing, so the next query
/// tries again.
async fn fetch_once<T: serde::de::DeserializeOwned, U>(
    sources: &SharedSources,
    slot: fn(&mut AnswerSources) -> &mut Option<Rc<U>>,
    locate: impl FnOnce(&AnswerSources) -> Option<String>,
    what: crate::page::Named,
    prepare: impl FnOnce(T) -> Option<U>,
) -> Option<Rc<U>> {
    let (known, url) = {
        let mut held = sources.borrow_mut();
        (slot(&mut held).clone(), locate(&held))
    };
    if known.is_some() {
        return known;
    }
    let fetched: T = fetch_json(&url?, what, QUIET).await.ok()?;
    let prepared = Rc::new(prepare(fetched)?);
    *slot(&mut sources.borrow_mut()) = Some(prepared.clone());
    Some(prepared)
}

async fn validity(sources: &SharedSources) -> Option<Rc<Vec<LookupEntry>>> {
    fetch_once(
        sources,
        |s| &mut s.validity,
        |s| Some(format!("{}validity.json", with_slash(&s.data_url))),
        ("文件库", "The register"),
        |entries: Vec<LookupEntry>| Some(entries),
    )
    .await
}

async fn fees(sources: &SharedSources) -> Option<Rc<Vec<FeeItem>>> {
    fetch_once(
        sources,
        |s| &mut s.fees,
        |s| Some(format!("{}fees.json", with_slash(&s.data_url))),
        ("收费清单", "The fee lists"),
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
        ("意见征集", "The consultations"),
        |all: Vec<Consultation>| Some(all),
    )
    .await
}
