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

async fn validity(sources: &SharedSources) -> Option<Rc<Vec<LookupEntry>>> {
    let (known, url) = {
        let s = sources.borrow();
        (
            s.validity.clone(),
            format!("{}validity.json", with_slash(&s.data_url)),
        )
    };
    if known.is_some() {
        return known;
    }
    let entries: Vec<LookupEntry> = fetch_json(&url, ("文件库", "The register"), QUIET)
        .await
        .ok()?;
    let entries = Rc::new(entries);
    sources.borrow_mut().validity = Some(entries.clone());
    Some(entries)
}

async fn fees(sources: &SharedSources) -> Option<Rc<Vec<FeeItem>>> {
    let (known, url) = {
        let s = sources.borrow();
        (
            s.fees.clone(),
            format!("{}fees.json", with_slash(&s.data_url)),
        )
    };
    if known.is_some() {
        return known;
    }
    let file: FeeFile = fetch_json(&url, ("收费清单", "The fee lists"), QUIET)
        .await
        .ok()?;
    if !file.is_readable() {
        return None;
    }
    let items = Rc::new(
        file.lists
            .into_iter()
            .flat_map(|list| list.items)
            .collect::<Vec<_>>(),
    );
    sources.borrow_mut().fees = Some(items.clone());
    Some(items)
}

async fn consultations(sources: &SharedSources) -> Option<Rc<Vec<Consultation>>> {
    let (known, api) = {
        let s = sources.borrow();
        (s.consultations.clone(), s.api_url.clone())
    };
    if known.is_some() {
        return known;
    }
    let url = format!("{}consultations", with_slash(&api?));
    let all: Vec<Consultation> = fetch_json(&url, ("意见征集", "The consultations"), QUIET)
        .await
        .ok()?;
    let all = Rc::new(all);
    sources.borrow_mut().consultations = Some(all.clone());
    Some(all)
}
