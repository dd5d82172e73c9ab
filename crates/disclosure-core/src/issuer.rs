//! When two documents of one title come from one enactor, so that they are versions of
//! one law rather than two bodies' documents that happen to share a generic title.
//!
//! The search puts the version in force and newest first among hits of one title
//! (`disclosure-search`'s `engine/versions.rs`); it must not reorder two departments'
//! notices that share a title (`关于做好安全生产工作的通知`). But a law's versions do not
//! always name the same issuer: the National People's Congress enacts a basic law and its
//! Standing Committee amends it (《中华人民共和国立法法》2023 第十条: the Standing Committee
//! partially supplements and amends the laws the Congress enacted), so the corpus has the
//! 慈善法 of 2016 from `全国人民代表大会` and that of 2023 from `全国人民代表大会常务委员会`,
//! and a provincial congress and its standing committee both enact its local regulations
//! (第八十条), so one may amend what the other made (北京市制定地方性法规条例);
//! a regulation may be re-issued jointly (征兵工作条例: `国务院`, then `国务院、中央军事委员会`);
//! and a record may lack its issuer. Before this rule the older 慈善法 ranked above the one
//! in force for a question about it.

/// The Standing Committee's suffix of a people's congress (`全国人民代表大会常务委员会`,
/// `北京市人民代表大会常务委员会`).
const STANDING_COMMITTEE: &str = "常务委员会";

/// What separates joint issuers in the corpus (`国务院、中央军事委员会`).
const JOINT: [char; 3] = ['、', '，', ','];

/// A people's congress (`全国人民代表大会`, `北京市人民代表大会`): with [`STANDING_COMMITTEE`]
/// after it, its standing committee.
const PEOPLES_CONGRESS: &str = "人民代表大会";

/// Whether documents of one title issued by `a` and by `b` are versions of one law: the
/// same issuer; either unknown (a record without one, or only separators); a people's
/// congress and its own standing committee (`全国人民代表大会` and `全国人民代表大会常务委员会`,
/// the same place's); or joint issuers of which one side's are all among the other's
/// (`国务院` and `国务院、中央军事委员会`, as the corpus records the 征兵工作条例 of 2001 and of
/// 2023). Issuers compare with surrounding spaces trimmed. Two different bodies (`教育部`,
/// `财政部`; `北京市人民代表大会`, `上海市人民代表大会常务委员会`) are not one. Accepted: a
/// department's notice and a joint one it signed, under one generic title, count as
/// versions (the page then shows the one in force and newest first among them).
pub fn one_enactor(a: Option<&str>, b: Option<&str>) -> bool {
    let (a, b) = (
        a.map(issuers).unwrap_or_default(),
        b.map(issuers).unwrap_or_default(),
    );
    if a.is_empty() || b.is_empty() {
        return true;
    }
    a.iter().all(|issuer| b.contains(issuer)) || b.iter().all(|issuer| a.contains(issuer))
}

/// The joint issuers of `text`, each as its legislature: a people's congress's standing
/// committee as the congress (they enact one body of law); another standing committee
/// (a CPPCC's, a party's) as itself.
fn issuers(text: &str) -> Vec<&str> {
    text.split(JOINT)
        .map(str::trim)
        .filter(|issuer| !issuer.is_empty())
        .map(|issuer| match issuer.strip_suffix(STANDING_COMMITTEE) {
            Some(congress) if congress.ends_with(PEOPLES_CONGRESS) => congress,
            _ => issuer,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_congress_and_its_standing_committee_are_one_enactor() {
        let same = |a: &str, b: &str| one_enactor(Some(a), Some(b));
        assert!(same("全国人民代表大会", "全国人民代表大会常务委员会"));
        assert!(same("北京市人民代表大会常务委员会", "北京市人民代表大会"));
        assert!(same(" 国务院 ", "国务院"));
        assert!(same("国务院", "国务院、中央军事委员会"));
        assert!(one_enactor(None, Some("教育部")));
        assert!(one_enactor(Some(""), Some("教育部")));
        // Different bodies, even of one kind, are not.
        assert!(!same("教育部", "财政部"));
        assert!(!same("北京市人民代表大会", "上海市人民代表大会常务委员会"));
        assert!(!same("教育部、财政部", "教育部、人力资源社会保障部"));
        assert!(!same("国务院办公厅", "国务院"));
        // Only a people's congress's standing committee is its congress.
        assert!(!same(
            "中国人民政治协商会议全国委员会常务委员会",
            "中国人民政治协商会议全国委员会"
        ));
        // Separators alone name no issuer; a joint notice and one of its signers' is accepted.
        assert!(same("、", "财政部"));
        assert!(same("教育部", "教育部、财政部"));
    }
}
