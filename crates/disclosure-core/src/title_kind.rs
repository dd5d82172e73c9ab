//! The word a document's name ends with to say what kind of document it is (法, 条例,
//! 办法, 解释 …): `土地复垦条例`, `个人所得税法`, and the short names people give them
//! (`人防法`, `民诉法解释`). A legal basis written without 书名号 is recognised by it, and a
//! search for a short name ending in it is a search for the document it names.

/// The kind words, `法` last: it ends `办法`, which is the kind of `管理办法`. Sources: the
/// names the Legislation Law and the State Council's rules on regulations give documents
/// (法, 条例, 规定, 办法, 细则, 决定, 规则), the normative documents' usual names (通知, 意见,
/// 批复, 目录, 标准) and the judicial interpretations' (解释).
pub const KIND_WORDS: [&str; 13] = [
    "条例", "规定", "办法", "细则", "决定", "通知", "意见", "批复", "规则", "目录", "标准", "解释",
    "法",
];

/// The kind word `name` ends with, if any (`个税法` → `法`).
pub fn kind_word(name: &str) -> Option<&'static str> {
    KIND_WORDS.iter().copied().find(|kind| name.ends_with(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_end_with_their_kind() {
        assert_eq!(kind_word("人防法"), Some("法"));
        assert_eq!(kind_word("市容环卫条例"), Some("条例"));
        assert_eq!(kind_word("民诉法解释"), Some("解释"));
        assert_eq!(kind_word("征收管理办法"), Some("办法"));
        assert_eq!(kind_word("医保"), None);
        assert_eq!(kind_word(""), None);
    }
}
