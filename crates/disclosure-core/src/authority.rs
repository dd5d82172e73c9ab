//! How widely a kind of document binds: the order of legal force (效力位阶) of the
//! Legislation Law (《中华人民共和国立法法》, 2023: 第九十八条 to 第一百零三条), which decides
//! which document answers a citizen's question on a topic first.
//!
//! A question in everyday words (`被狗咬伤谁赔偿`, `养老保险交满多少年`) is answered by the law
//! that governs its topic; the many local regulations and interpretations that apply that
//! law repeat its words, often more densely in shorter texts, and would otherwise come
//! first. The search multiplies a topic's relevance by this weight (see
//! `disclosure-search`'s topic ranking); it never filters by it.

/// The weight of a document of `kind` (its category as the source names it: 宪法, 法律,
/// 行政法规, 司法解释, 部门规章, 地方性法规 …), in thousandths: 1000 for the Constitution and the
/// laws of the National People's Congress, down to 250 for local regulations, rules and
/// normative documents. A kind the list does not know (政策解读, 通知公告, a portal's own
/// categories) weighs as the local documents it usually is, so a portal of local documents
/// alone keeps its order.
///
/// The steps (1000, 800, 500, 250) are coarse on purpose. The order of laws, regulations,
/// rules and local documents is the Legislation Law's; interpretations, which it does not
/// rank, were placed by the project's questions (below). The gaps were first chosen on the
/// development questions (`index/eval/questions-dev.json`), then moved where the
/// training draws showed it (below).
pub fn weight_per_mille(kind: Option<&str>) -> u64 {
    match kind.map(str::trim) {
        Some("宪法" | "法律" | "宪法相关法") => 1000,
        // Interpretations of the Supreme People's Court and Procuratorate have the force of
        // law in every court of the country (《最高人民法院关于司法解释工作的规定》第五条): a
        // citizen's dispute is decided by them, as widely as by an administrative regulation.
        // At 500 the laws they interpret outranked them on the very questions they answer
        // (where to sue for a divorce, how many copies make selling pirated discs a crime):
        // the development and training questions gained 3 of 455 in the top 10 at 700.
        // Administrative regulations are the State Council's rules for one matter
        // (《立法法》2023 第七十二条): a citizen's question on that matter is answered there,
        // while the laws above them name its words too, in passing. With regulations and
        // interpretations at 700 the laws still came first on such questions (opening a
        // bank account for a relative: 个人存款账户实名制规定 12th, after seven laws; 9th at
        // 800). At 800, on the training and development draws (780 questions), 6 more found
        // their document in the top 10 and 21 more first, and 2 of 440 everyday words fewer
        // in the top 10 (850 and 925 gave about the same, 925 a little less).
        Some("行政法规" | "司法解释") => 800,
        // Departmental rules bind nationwide within their field, below the regulations
        // (《立法法》2023 第九十九条).
        Some("部门规章") => 500,
        _ => LOCAL,
    }
}

/// The weight of local regulations, local rules, normative documents and unknown kinds.
pub const LOCAL: u64 = 250;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_laws_weigh_most_and_unknown_kinds_as_local_ones() {
        let order =
            ["法律", "行政法规", "部门规章", "地方性法规"].map(|kind| weight_per_mille(Some(kind)));
        assert!(order.windows(2).all(|pair| pair[0] > pair[1]), "{order:?}");
        assert_eq!(weight_per_mille(Some(" 宪法 ")), 1000);
        // A regulation on a citizen's matter is not buried under the laws that mention it.
        assert!(weight_per_mille(Some("行政法规")) * 5 >= 4 * 1000);
        assert_eq!(
            weight_per_mille(Some("司法解释")),
            weight_per_mille(Some("行政法规"))
        );
        for local in [Some("规范性文件"), Some("通知公告"), Some(""), None] {
            assert_eq!(weight_per_mille(local), LOCAL);
        }
    }
}
