//! 搜索即服务 in the search widget: the answer cards of a query (what they hold) and where
//! their links lead. The worker finds them (`worker/cards.rs`: deciding and matching fold
//! text, which the worker links anyway) and sends them beside the results.

use disclosure_core::consultation::Consultation;
use disclosure_core::fees::FeeItem;
use disclosure_core::lookup::LookupEntry;
use serde::{Deserialize, Serialize};
use yew::AttrValue;

/// The cards shown above the results of `query`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AnswerCards {
    /// The query they answer: cards for another query are dropped.
    pub query: String,
    /// The document bearing the number typed (and another version), in force first.
    pub numbers: Vec<LookupEntry>,
    /// The fee items named, at most [`disclosure_core::answers::MAX_FEE_ITEMS`]…
    pub fees: Vec<FeeLine>,
    /// …of this many matching.
    pub fee_total: usize,
    /// The fee words, for the link to the whole fee list.
    pub fee_words: String,
    /// Consultations open today on the topic.
    pub consultations: Vec<Consultation>,
}

/// A fee item as its card shows it, written by the worker: the page then reads no fee
/// list (whose legal bases are document numbers, parsed with the text folding and its
/// tables the page's module does without).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeeLine {
    /// The item's full name (`居民身份证工本费（临时居民身份证）`).
    pub name: String,
    /// The amount with its unit, or the words (`10元/证`, `免收`).
    pub standard: String,
    /// Each legal basis as the list shows it.
    pub basis: Vec<String>,
}

impl From<&FeeItem> for FeeLine {
    fn from(item: &FeeItem) -> FeeLine {
        FeeLine {
            name: item.full_name(),
            standard: item.standard.describe(&item.unit),
            basis: item.basis.iter().map(|basis| basis.cell()).collect(),
        }
    }
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
