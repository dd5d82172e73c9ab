//! 搜索即服务: the answer cards a search query calls for, above the results. Each card is
//! asked for only when the query calls for it, so its data is fetched only then:
//! a document number (any spelling [`Citation`] reads) → the validity of that document;
//! a fee item (`身份证工本费`, `不动产登记费多少钱`) → the matching items of the fee lists; words
//! of a title → the consultations open today whose title holds them.

use time::Date;

use crate::consultation::{Consultation, ConsultationStatus};
use crate::docnum::{Citation, DocNumber};
use crate::fees::{search_key, FeeItem};
use crate::lookup::{lookup, LookupEntry, LookupOutcome};
use crate::text::is_han;

/// A query longer than this (in characters) is a pasted text, not a question: no card.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many versions of a numbered document are shown on its card.
pub const MAX_NUMBER_VERSIONS: usize = 2;
/// At most this many fee items are shown on the fee card (the list holds the rest).
pub const MAX_FEE_ITEMS: usize = 3;
/// At most this many open consultations are shown.
pub const MAX_CONSULTATIONS: usize = 2;

/// Words that ask about a fee; one of them (or `费` in the text) makes a query a fee query.
const FEE_ASKING: [&str; 6] = ["多少钱", "收费", "价格", "收多少", "要交多少", "交多少"];

/// Words around a fee item's name that are not part of it, removed before matching.
const FEE_FILLERS: [&str; 23] = [
    "要多少钱",
    "收费标准",
    "怎么收费",
    "如何收费",
    "多少钱",
    "要交多少",
    "交多少",
    "收多少",
    "是多少",
    "要多少",
    "价格",
    "标准",
    "需要",
    "办理",
    "补办",
    "申请",
    "缴纳",
    "要交",
    "收费",
    "办",
    "的",
    "吗",
    "呢",
];

/// Words of a consultation notice that are not its topic.
const CONSULTATION_FILLERS: [&str; 8] = [
    "征求意见稿",
    "公开征求",
    "征求意见",
    "意见征集",
    "征集意见",
    "草案",
    "意见",
    "关于",
];

/// What cards a query calls for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wanted {
    /// The document number the query reads as (a citation's number included).
    pub number: Option<DocNumber>,
    /// The fee item's words (`身份证工本费`), folded, when the query asks about a fee.
    pub fee: Option<String>,
    /// The topic a consultation's title may hold (folded, fillers removed), for any query
    /// of at least two Han characters that is not a number.
    pub topic: Option<String>,
}

impl Wanted {
    /// Whether no card is called for.
    pub fn is_empty(&self) -> bool {
        self.number.is_none() && self.fee.is_none() && self.topic.is_none()
    }
}

/// The cards `query` calls for. A date (`2023年4月27日`), an amount (`20元`), a phone number
/// or a long serial is no document number; text over [`MAX_QUERY_CHARS`] calls for nothing.
pub fn wanted(query: &str) -> Wanted {
    let query = query.trim();
    if query.is_empty() || query.chars().count() > MAX_QUERY_CHARS {
        return Wanted::default();
    }
    if let Some(number) = Citation::parse(query).and_then(|citation| citation.number) {
        return Wanted {
            number: Some(number),
            ..Wanted::default()
        };
    }
    let key = search_key(query);
    let fee = (key.contains('费') || FEE_ASKING.iter().any(|word| key.contains(word)))
        .then(|| strip(&key, &FEE_FILLERS))
        .filter(|words| han_count(words) >= 2);
    let topic = Some(strip(&key, &CONSULTATION_FILLERS)).filter(|topic| han_count(topic) >= 2);
    Wanted {
        number: None,
        fee,
        topic,
    }
}

fn strip(text: &str, fillers: &[&str]) -> String {
    let mut text: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || is_han(*c))
        .collect();
    // Longest first, so `要多少钱` goes whole before `多少钱` leaves `要` behind.
    let mut fillers = fillers.to_vec();
    fillers.sort_by_key(|filler| std::cmp::Reverse(filler.chars().count()));
    for filler in fillers {
        text = text.replace(filler, "");
    }
    text
}

fn han_count(text: &str) -> usize {
    text.chars().filter(|c| is_han(*c)).count()
}

/// The documents bearing the number `query` names, in force first then newest (at most
/// [`MAX_NUMBER_VERSIONS`]); empty when none does.
pub fn number_card<'a>(
    entries: &'a [LookupEntry],
    query: &str,
    today: Date,
) -> Vec<&'a LookupEntry> {
    match lookup(entries, query, today) {
        LookupOutcome::ByNumber { mut found, .. } => {
            found.truncate(MAX_NUMBER_VERSIONS);
            found
        }
        _ => Vec::new(),
    }
}

/// The fee items whose name holds the fee words, or whose name the words hold
/// (`身份证工本费` → 居民身份证工本费; `补办身份证工本费要多少钱` → the same), each name once,
/// with how many matched in all (the card shows [`MAX_FEE_ITEMS`]).
pub fn fee_card<'a>(items: &'a [FeeItem], words: &str) -> (Vec<&'a FeeItem>, usize) {
    let words = search_key(words);
    if han_count(&words) < 2 {
        return (Vec::new(), 0);
    }
    let mut found: Vec<&FeeItem> = Vec::new();
    for item in items {
        let name = search_key(&item.item);
        let full = search_key(&item.full_name());
        let matches = full.contains(words.as_str())
            || (han_count(&name) >= 2 && words.contains(name.as_str()));
        if matches && !found.iter().any(|f| f.full_name() == item.full_name()) {
            found.push(item);
        }
    }
    let total = found.len();
    found.truncate(MAX_FEE_ITEMS);
    (found, total)
}

/// The consultations open on `today` whose title holds `topic` (at most
/// [`MAX_CONSULTATIONS`], the one closing soonest first).
pub fn consultation_cards<'a>(
    consultations: &'a [Consultation],
    topic: &str,
    today: Date,
) -> Vec<&'a Consultation> {
    let topic = search_key(topic);
    if han_count(&topic) < 2 {
        return Vec::new();
    }
    let mut found: Vec<&Consultation> = consultations
        .iter()
        .filter(|c| c.status_on(today) == ConsultationStatus::Open)
        .filter(|c| search_key(&c.title).contains(topic.as_str()))
        .collect();
    found.sort_by_key(|c| c.end);
    found.truncate(MAX_CONSULTATIONS);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_any_spelling_call_for_the_number_card() {
        for query in [
            "宁政发〔2019〕3号",
            "宁政发2019年3号",
            "宁政发〔2019〕3号文件全文",
            "国务院第656号令",
            "《关于进一步加强行政规范性文件管理的通知》（宁政发〔2019〕3号）",
        ] {
            let wanted = wanted(query);
            assert!(wanted.number.is_some(), "{query}");
            assert_eq!((wanted.fee, wanted.topic), (None, None), "{query}");
        }
    }

    #[test]
    fn look_alikes_call_for_no_number_card_and_never_panic() {
        let long = "费".repeat(10_000);
        for query in [
            "2023年4月27日",
            "20元",
            "13812345678",
            "0731-87654321",
            "202304270001",
            "《！？》",
            "《》",
            long.as_str(),
            "",
            "   ",
        ] {
            assert_eq!(wanted(query).number, None, "{query}");
        }
        assert!(wanted(&long).is_empty());
        assert_eq!(wanted("20元").fee, None, "no item named");
    }

    #[test]
    fn fee_questions_name_the_item() {
        assert_eq!(wanted("身份证工本费").fee.as_deref(), Some("身份证工本费"));
        assert_eq!(
            wanted("不动产登记费多少钱").fee.as_deref(),
            Some("不动产登记费")
        );
        assert_eq!(wanted("补办身份证要多少钱").fee.as_deref(), Some("身份证"));
        assert_eq!(wanted("停车管理办法").fee, None, "no fee asked about");
    }

    #[test]
    fn topics_leave_out_the_words_of_a_consultation_notice() {
        assert_eq!(
            wanted("停车管理办法征求意见稿").topic.as_deref(),
            Some("停车管理办法")
        );
        assert_eq!(wanted("意见").topic, None);
    }
}
