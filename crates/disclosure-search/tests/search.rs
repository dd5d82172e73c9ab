//! The search core end to end on a small corpus: build, pack, open, query.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::sync::OnceLock;

use disclosure_search::{MatchKind, SearchIndex, SearchRequest, SortOrder};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::open(common::build_mini().pack).expect("the pack opens"))
}

fn ids(request: SearchRequest) -> Vec<String> {
    index()
        .search(&request)
        .expect("search succeeds")
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

fn query(text: &str) -> SearchRequest {
    SearchRequest {
        query: text.to_string(),
        ..SearchRequest::default()
    }
}

#[test]
fn a_title_fragment_finds_its_documents() {
    let found = ids(query("收费清单"));
    assert_eq!(&found[..2], ["fee-2023", "fee-2022"]);
    assert!(found.contains(&"fee-notice".to_string()));
}

#[test]
fn the_document_bearing_a_title_outranks_those_quoting_it() {
    let results = index()
        .search(&query("宁乡市2023年行政事业性收费清单"))
        .unwrap();
    assert_eq!(results.hits[0].id, "fee-2023");
    assert_eq!(results.hits[1].id, "fee-notice");
    assert_eq!(results.total_exact, 2);
}

#[test]
fn a_document_number_is_found_however_its_brackets_are_typed() {
    for typed in [
        "宁政发〔2019〕3号",
        "宁政发[2019]3号",
        "宁政发（2019）3号",
        "宁政发【２０１９】３号",
        // Spellings the tokens alone would not match (issue 13): the number parsed.
        "宁政发2019年3号",
        "宁政发〔2019〕3号文件",
        "宁政发〔2019〕第03号",
        "宁政发20193号",
        "寧政發〔2019〕3號",
    ] {
        assert_eq!(
            ids(query(typed)).first().map(String::as_str),
            Some("norm-2019-3"),
            "{typed}"
        );
    }
    assert_eq!(ids(query("国务院令第641号"))[0], "order-641");
}

#[test]
fn a_body_phrase_and_two_words_are_found() {
    assert_eq!(ids(query("灵活就业人员"))[0], "fund-2022");
    assert_eq!(ids(query("公积金 灵活就业"))[0], "fund-2022");
    assert_eq!(ids(query("\"统一登记、统一编号\""))[0], "norm-2019-3");
}

#[test]
fn a_mistyped_title_falls_back_to_a_partial_match() {
    let results = index().search(&query("城镇排水与污水处里条例")).unwrap();
    assert_eq!(results.total_exact, 0);
    assert_eq!(results.hits[0].id, "order-641");
    assert_eq!(results.hits[0].match_kind, MatchKind::Partial);
}

#[test]
fn exact_matches_come_before_partial_ones() {
    let results = index().search(&query("收费清单 不动产")).unwrap();
    assert_eq!(results.hits[0].id, "fee-2023");
    assert_eq!(results.hits[0].match_kind, MatchKind::Exact);
    assert!(results.hits[1..]
        .iter()
        .all(|hit| hit.match_kind == MatchKind::Partial));
}

#[test]
fn filters_narrow_and_sort_orders() {
    let by_department = SearchRequest {
        department: Some("宁乡市财政局".into()),
        ..query("收费")
    };
    assert_eq!(ids(by_department), ["fee-2023", "fee-2022"]);
    let by_category = SearchRequest {
        category: Some("政策解读".into()),
        ..query("收费清单")
    };
    assert_eq!(ids(by_category), ["guide-jd"]);
    let by_year = SearchRequest {
        year_from: Some(2023),
        year_to: Some(2023),
        ..query("收费清单")
    };
    let found = ids(by_year);
    assert!(!found.contains(&"fee-2022".to_string()) && found.contains(&"fee-2023".to_string()));
    let newest = SearchRequest {
        sort: SortOrder::Newest,
        ..query("收费")
    };
    assert_eq!(
        ids(newest),
        ["fee-notice", "guide-jd", "fee-2023", "fee-2022"]
    );
}

#[test]
fn facets_count_the_exact_matches() {
    let results = index().search(&query("收费清单")).unwrap();
    let facets = &results.facets;
    let count = |list: &[disclosure_search::FacetCount], value: &str| {
        list.iter().find(|f| f.value == value).map(|f| f.count)
    };
    assert_eq!(count(&facets.categories, "通知公告"), Some(3));
    assert_eq!(count(&facets.categories, "政策解读"), Some(1));
    assert_eq!(facets.categories[0].value, "通知公告");
    assert_eq!(count(&facets.departments, "宁乡市财政局"), Some(2));
    let years: Vec<&str> = facets.years.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(years, ["2023", "2022"]);
    let narrowed = index()
        .search(&SearchRequest {
            department: Some("宁乡市财政局".into()),
            ..query("收费清单")
        })
        .unwrap();
    assert_eq!(narrowed.facets.departments.len(), 1);
    assert_eq!(narrowed.total_exact, 2);
}

#[test]
fn paging_returns_the_next_hits() {
    let all = ids(SearchRequest {
        limit: 10,
        ..query("宁乡市")
    });
    let second_page = ids(SearchRequest {
        offset: 2,
        limit: 2,
        ..query("宁乡市")
    });
    assert_eq!(second_page, all[2..4]);
}

#[test]
fn hits_carry_highlights_not_markup() {
    let results = index().search(&query("测试转义")).unwrap();
    let hit = &results.hits[0];
    assert!(hit.title.text.starts_with("<script>"));
    let title: Vec<char> = hit.title.text.chars().collect();
    let marked: String = title[hit.title.highlights[0].clone()].iter().collect();
    assert_eq!(marked, "测试转义");
    let results = index().search(&query("原样显示")).unwrap();
    assert!(results.hits[0]
        .snippet
        .text
        .contains("<img src=x onerror=alert(1)>"));
}

#[test]
fn a_single_character_finds_the_words_it_starts() {
    assert!(ids(query("税")).is_empty());
    assert!(ids(query("缴")).contains(&"fund-2022".to_string()));
}

#[test]
fn odd_input_gives_results_or_nothing_never_an_error() {
    let long = "收费".repeat(5_000);
    for text in [
        "",
        "   ",
        "\"",
        "((",
        "title:收费^2",
        "：；！？",
        "\u{0}\u{FFFF}",
        "😀😀",
        long.as_str(),
        "\"收费清单",
    ] {
        assert!(index().search(&query(text)).is_ok(), "{text:?}");
    }
    assert!(ids(query("：；！？")).is_empty());
    assert_eq!(ids(query("\"收费清单"))[0], "fee-2023");
}

#[test]
fn pinyin_and_initials_find_the_titles_that_read_so() {
    for typed in [
        "shoufeiqingdan",
        "shoufei qingdan",
        "shou4fei4 qing1dan1",
        "sfqd",
    ] {
        let found = ids(query(typed));
        assert_eq!(&found[..2], ["fee-2023", "fee-2022"], "{typed}");
    }
    // Mixed with digits: the digits must be in the title too.
    assert_eq!(
        ids(query("2022 shoufei")).first().map(String::as_str),
        Some("fee-2022")
    );
    // A Han query never matches by pronunciation (收废 sounds like 收费): only partially.
    let homophone = index().search(&query("收废清单")).unwrap();
    assert_eq!(homophone.total_exact, 0);
    assert!(homophone
        .hits
        .iter()
        .all(|hit| hit.match_kind == MatchKind::Partial));
    for odd in [
        "aaaaaaaaaa",
        "she4hui4",
        "😀 ab",
        &"x".repeat(10_000),
        "PM2.5",
    ] {
        index()
            .search(&query(odd))
            .expect("any Latin input gives an answer");
    }
}

/// Issue 13, item 2: spaced pinyin whose syllables repeat (`shui` twice in 排水与污水处理)
/// is read whole; a query's repeated words count once, its syllables do not.
#[test]
fn spaced_pinyin_with_a_repeated_syllable_is_read_whole() {
    let index = index_with_kinds(
        &[
            (
                "sewage",
                "城镇排水与污水处理条例",
                "行政法规",
                "为了加强对城镇排水与污水处理的管理，制定本条例。",
            ),
            (
                "other",
                "城市绿化条例",
                "行政法规",
                "为了促进城市绿化事业的发展，制定本条例。",
            ),
        ],
        "",
    );
    for typed in ["pai shui yu wu shui chu li", "paishuiyuwushuichuli"] {
        let found = ids_in(&index, typed);
        assert_eq!(
            found.first().map(String::as_str),
            Some("sewage"),
            "{typed}: {found:?}"
        );
    }
}

/// A portal document of `id`, `title` and `body`, as the builder takes it.
fn document(id: &str, title: &str, body: &str) -> disclosure_core::PortalDocument {
    portal_document(serde_json::json!({ "id": id, "title": title, "body": body }))
}

/// A portal document from a record's fields as an official's file gives them (`laws.jsonl`'s
/// names: `issuer`, `date`, `level` …), validated as the builder takes it.
fn portal_document(fields: serde_json::Value) -> disclosure_core::PortalDocument {
    let record: disclosure_core::DocumentRecord = serde_json::from_value(fields).unwrap();
    disclosure_core::PortalDocument::try_from(record).unwrap()
}

/// The id of the hit at `offset` of `text`'s ranking, asked alone on a page of one hit: the
/// ranking's own order, which no reordering within a page moves.
fn ranked_alone_at(index: &SearchIndex, text: &str, offset: usize) -> String {
    let page = index
        .search(&SearchRequest {
            offset,
            limit: 1,
            ..query(text)
        })
        .unwrap();
    page.hits[0].id.clone()
}

/// Versions of one law under one title (the 会计法 of 2017, amended, and that of 2024):
/// the newest comes first on a page ranked by relevance, whichever the ranking scored
/// higher.
#[test]
fn the_newest_version_of_a_law_comes_first() {
    let version = |id: &str, date: &str, body: &str| {
        portal_document(serde_json::json!({
            "id": id, "title": "中华人民共和国会计法", "date": date, "body": body,
        }))
    };
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    // The older text says 会计凭证 more often: the ranking scores it higher.
    builder
        .add(&version(
            "2017",
            "2017-11-04",
            "会计凭证。会计凭证。会计凭证。会计账簿。",
        ))
        .unwrap();
    builder
        .add(&version(
            "2024",
            "2024-06-28",
            "会计凭证和会计账簿的规定，以及其他很多条文。",
        ))
        .unwrap();
    builder
        .add(&document(
            "other",
            "会计基础工作规范",
            "会计凭证的保管，另有规定。",
        ))
        .unwrap();
    let index = SearchIndex::open(builder.finish().unwrap().pack).unwrap();
    // The ranking alone puts the older first.
    assert_eq!(ranked_alone_at(&index, "会计凭证", 0), "2017");
    let found = ids_in(&index, "会计凭证");
    let at = |id: &str| found.iter().position(|found| found == id).unwrap();
    assert!(at("2024") < at("2017"), "{found:?}");
    assert_eq!(found.len(), 3, "{found:?}");
}

/// A law the National People's Congress enacted (the 慈善法 of 2016) and its Standing
/// Committee amended (that of 2023) name two issuers: still versions of one law, the newest
/// first; two departments' documents of one title stay in the ranking's order.
#[test]
fn a_law_its_standing_committee_amended_is_a_version_of_it() {
    let issued = |id: &str, title: &str, issuer: &str, date: &str, body: &str| {
        portal_document(serde_json::json!({
            "id": id, "title": title, "issuer": issuer, "date": date, "body": body,
        }))
    };
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    // The older texts say 公开募捐 more often: the ranking scores them higher.
    for (id, title, issuer, date, body) in [
        (
            "2016",
            "中华人民共和国慈善法",
            "全国人民代表大会",
            "2016-03-16",
            "公开募捐。公开募捐。公开募捐。",
        ),
        (
            "2023",
            "中华人民共和国慈善法",
            "全国人民代表大会常务委员会",
            "2023-12-29",
            "公开募捐的规定，以及其他很多条文。",
        ),
        (
            "notice-a",
            "关于公开募捐的通知",
            "民政部",
            "2020-01-01",
            "公开募捐。公开募捐。",
        ),
        (
            "notice-b",
            "关于公开募捐的通知",
            "财政部",
            "2024-01-01",
            "公开募捐的一些事项和很多别的话。",
        ),
    ] {
        builder.add(&issued(id, title, issuer, date, body)).unwrap();
    }
    let index = SearchIndex::open(builder.finish().unwrap().pack).unwrap();
    // The ranking alone puts the older first (after the two notices, whose titles hold the
    // words).
    assert_eq!(ranked_alone_at(&index, "公开募捐", 2), "2016");
    let found = ids_in(&index, "公开募捐");
    let at = |id: &str| found.iter().position(|found| found == id).unwrap();
    assert!(at("2023") < at("2016"), "{found:?}");
    assert!(at("notice-a") < at("notice-b"), "{found:?}");
}

/// Issue 13, item 8: a long phrase matched by its rarest tokens' positions counts as exact
/// only where it stands contiguously; a document holding its words apart comes after.
#[test]
fn a_long_phrase_held_apart_is_not_an_exact_match() {
    let document = |id: &str, body: &str| document(id, &format!("文件{id}"), body);
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    // The words apart, several times over (a high BM25), in a short body.
    builder
        .add(&document(
            "apart",
            "甲乙丙丁戊己庚辛子丑。寅辛壬卯。辰壬癸巳。甲乙丙丁戊己庚辛子丑。",
        ))
        .unwrap();
    builder
        .add(&document(
            "together",
            "前言后语很长的一段话。甲乙丙丁戊己庚辛壬癸。后面还有很多别的文字和内容。",
        ))
        .unwrap();
    // 辛壬 and 壬癸 common, so the positions of the four rarest tokens are checked.
    for n in 0..6 {
        builder
            .add(&document(&format!("common{n}"), "辛壬 壬癸 其他"))
            .unwrap();
    }
    let index = SearchIndex::open(builder.finish().unwrap().pack).unwrap();
    let results = index.search(&query("甲乙丙丁戊己庚辛壬癸")).unwrap();
    assert_eq!(results.hits[0].id, "together");
    assert_eq!(results.hits[0].match_kind, MatchKind::Exact);
    let apart = results.hits.iter().find(|hit| hit.id == "apart");
    assert!(apart.is_none_or(|hit| hit.match_kind == MatchKind::Partial));
    assert_eq!(results.total_exact, 1);
}

/// Issue 13, item 3a: a short name finds the title holding its characters in order.
#[test]
fn a_short_name_finds_the_title_holding_its_characters_in_order() {
    let found = ids(query("宁乡收费清单"));
    assert_eq!(&found[..2], ["fee-2023", "fee-2022"]);
    // Characters out of order are no short name of it.
    let results = index().search(&query("单清费收乡宁")).unwrap();
    assert!(results
        .hits
        .iter()
        .all(|hit| hit.match_kind == MatchKind::Partial));
}

/// Issue 13, item 3a: the short name of an interpretation (`人损解释`) names its subject's
/// characters close together and its kind at the end of a long title: it finds that title
/// before one that holds `人损` as typed, across two words (`案外人损失`).
#[test]
fn a_short_name_finds_its_kind_at_the_end_of_a_long_title() {
    let index = small_index(
        &[
            (
                "stray",
                "最高人民法院关于当事人申请财产保全错误造成案外人损失应否承担赔偿责任问题的解释",
                "申请人应当承担赔偿责任。",
            ),
            (
                "rules",
                "最高人民法院关于司法解释工作的规定",
                "最高人民法院发布的司法解释，具有法律效力。",
            ),
            (
                "injury",
                "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释（一）",
                "因生命、身体、健康遭受侵害，赔偿权利人起诉请求赔偿义务人赔偿物质损害和精神损害的，人民法院应予受理。",
            ),
        ],
        "",
    );
    // Also as people write it: the series' number in brackets, `司法解释` for the `解释` a
    // title says.
    for typed in [
        "人损解释",
        "人损解释（一）",
        "人损司法解释",
        "人损司法解释（一）",
    ] {
        let found = ids_in(&index, typed);
        assert_eq!(found[0], "injury", "{typed}: {found:?}");
    }
}

/// A short name that puts the words of a title in another order (`陆源污染防治条例` of
/// 防治陆源污染物污染损害海洋环境管理条例, as people shorten `防治X…条例`) finds that title
/// before the titles holding a few of its characters as typed (水污染防治条例).
#[test]
fn a_short_name_in_another_word_order_finds_its_title() {
    let index = small_index(
        &[
            (
                "water",
                "北京市水污染防治条例",
                "第一条 为了防治水污染，制定本条例。",
            ),
            (
                "land",
                "中华人民共和国防治陆源污染物污染损害海洋环境管理条例",
                "第一条 为了加强对陆地污染源的监督管理，防治陆源污染物污染损害海洋环境，制定本条例。",
            ),
        ],
        "",
    );
    let found = ids_in(&index, "陆源污染防治条例");
    assert_eq!(found.first().map(String::as_str), Some("land"), "{found:?}");
}

/// Issue 13, item 3a: a short name of a law that a text holds as typed across two words
/// (`违反人防法律` holds `人防法`) still finds first the law it abbreviates.
#[test]
fn a_short_name_held_across_words_in_a_body_finds_the_law_first() {
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    builder
        .add(&document(
            "property",
            "某市物业管理条例",
            "禁止拆除人防工程设施等违反人防法律、法规的行为。",
        ))
        .unwrap();
    builder
        .add(&document(
            "law",
            "中华人民共和国人民防空法",
            "为了有效地组织人民防空，保护人民的生命和财产安全，制定本法。",
        ))
        .unwrap();
    let index = SearchIndex::open(builder.finish().unwrap().pack).unwrap();
    // Typed bare or in 书名号 with a question mark.
    for typed in ["人防法", "《人防法》？"] {
        let found: Vec<String> = index
            .search(&query(typed))
            .unwrap()
            .hits
            .into_iter()
            .map(|hit| hit.id)
            .collect();
        assert_eq!(found, ["law", "property"], "{typed}");
    }
}

/// An interpretation of a series issued as a 规定 is still called a 解释 (`公司法解释三`):
/// the short name finds that title, the number deciding among the series; a short name
/// without a number keeps to titles holding its own characters.
#[test]
fn a_short_name_of_an_interpretation_finds_one_issued_as_a_rule() {
    let index = small_index(
        &[
            (
                "second",
                "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（二）",
                "公司解散和清算案件。",
            ),
            (
                "third",
                "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（三）",
                "公司设立、出资、股权确认等纠纷案件。",
            ),
            (
                "civil",
                "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释",
                "民事诉讼案件的审理。",
            ),
            (
                "pending",
                "最高人民法院关于修改后的民事诉讼法施行时未结案件适用法律若干问题的规定",
                "修改后的民事诉讼法施行时尚未审结的案件。",
            ),
        ],
        "",
    );
    for typed in ["公司法解释三", "公司法司法解释三", "公司法解释（三）"] {
        assert_eq!(ids_in(&index, typed)[0], "third", "{typed}");
    }
    assert_eq!(ids_in(&index, "民诉法解释")[0], "civil");
}

/// A short name never takes its characters from the `中华人民共和国` that national laws'
/// titles begin with (as folding reads it, in traditional characters too): `国安法` is the
/// national security law, though the `国` of `共和国` and the `安…法` of `核安全法` stand as
/// close, in a shorter title.
#[test]
fn a_short_name_reads_no_character_of_the_national_prefix() {
    for nuclear in ["中华人民共和国核安全法", "中華人民共和國核安全法"] {
        let index = small_index(
            &[
                (
                    "nuclear",
                    nuclear,
                    "为了保障核安全，预防与应对核事故，制定本法。",
                ),
                (
                    "security",
                    "中华人民共和国国家安全法",
                    "为了维护国家安全，保卫人民民主专政的政权，制定本法。",
                ),
            ],
            "",
        );
        let found = ids_in(&index, "国安法");
        assert_eq!(found[0], "security", "{nuclear}: {found:?}");
    }
}

/// The day a request is made on.
fn on(day: time::Date, request: SearchRequest) -> SearchRequest {
    SearchRequest {
        today: Some(day),
        ..request
    }
}

#[test]
fn hits_carry_their_validity_record_and_the_status_is_the_days() {
    let results = index()
        .search(&on(
            time::macros::date!(2026 - 11 - 30),
            query("宁政发〔2019〕3号"),
        ))
        .unwrap();
    let hit = &results.hits[0];
    assert_eq!(hit.id, "norm-2019-3");
    let record = hit
        .validity
        .as_ref()
        .expect("the record travels with the hit");
    // Computed for the day from the dates, not a stored word.
    assert_eq!(
        record.status_on(time::macros::date!(2024 - 03 - 21)).word(),
        "有效"
    );
    assert_eq!(
        record.status_on(time::macros::date!(2026 - 11 - 30)).word(),
        "失效"
    );
    // A document with no record (a notice) carries none.
    let notice = index().search(&query("收费公示")).unwrap();
    assert!(notice
        .hits
        .iter()
        .any(|h| h.id == "fee-notice" && h.validity.is_none()));
}

#[test]
fn versions_in_force_rank_first_among_equals() {
    let fees = query("行政事业性收费清单");
    // Before 2023-04-01 the 2023 list is not yet in force and the 2022 list is.
    let before = ids(on(time::macros::date!(2023 - 03 - 20), fees.clone()));
    assert_eq!(&before[..2], ["fee-2022", "fee-2023"]);
    // From then on the 2022 list is repealed.
    let after = ids(on(time::macros::date!(2023 - 04 - 01), fees.clone()));
    assert_eq!(&after[..2], ["fee-2023", "fee-2022"]);
    // A repealed document stays findable: the filter is the citizen's choice.
    assert!(after.contains(&"fee-2022".to_string()));
}

#[test]
fn only_in_force_narrows_and_the_counts_say_how_many() {
    let day = time::macros::date!(2024 - 01 - 01);
    let all = index().search(&on(day, query("收费清单"))).unwrap();
    assert_eq!(all.facets.in_force, 1, "the 2023 list");
    assert_eq!(all.facets.not_in_force, 1, "the repealed 2022 list");
    let in_force = SearchRequest {
        in_force_only: true,
        ..on(day, query("收费清单"))
    };
    let found = index().search(&in_force).unwrap();
    let found: Vec<&str> = found
        .hits
        .iter()
        .filter(|hit| hit.match_kind == MatchKind::Exact)
        .map(|hit| hit.id.as_str())
        .collect();
    assert_eq!(found, ["fee-2023"]);
    // Without a day nothing is counted, and the filter cannot apply.
    let undated = index().search(&query("收费清单")).unwrap();
    assert_eq!(
        (undated.facets.in_force, undated.facets.not_in_force),
        (0, 0)
    );
}

/// An index of `(id, title, body)` documents with the synonym groups of `synonyms`
/// (written as `index/synonyms.txt` is).
fn small_index(documents: &[(&str, &str, &str)], synonyms: &str) -> SearchIndex {
    let documents: Vec<(&str, &str, &str, &str)> = documents
        .iter()
        .map(|(id, title, body)| (*id, *title, "", *body))
        .collect();
    index_with_kinds(&documents, synonyms)
}

/// An index of `(id, title, kind of law, body)` documents (the kind as the corpus's
/// `level`: 法律, 地方性法规 …; empty for none).
fn index_with_kinds(documents: &[(&str, &str, &str, &str)], synonyms: &str) -> SearchIndex {
    index_with_records(documents, synonyms, None)
}

/// [`index_with_kinds`], with the validity records `validity` (the lookup file's JSON)
/// when given.
fn index_with_records(
    documents: &[(&str, &str, &str, &str)],
    synonyms: &str,
    validity: Option<&str>,
) -> SearchIndex {
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    let (groups, problems) = disclosure_search::synonyms::parse_synonyms("s.txt", synonyms);
    assert!(problems.is_empty(), "{problems:?}");
    builder.set_synonyms(groups).unwrap();
    if let Some(validity) = validity {
        builder.set_validity(serde_json::from_str(validity).unwrap());
    }
    for (id, title, kind, body) in documents {
        let level = (!kind.is_empty()).then_some(kind);
        let document = portal_document(serde_json::json!({
            "id": id, "title": title, "body": body, "level": level,
        }));
        builder.add(&document).unwrap();
    }
    SearchIndex::open(builder.finish().unwrap().pack).unwrap()
}

fn ids_in(index: &SearchIndex, text: &str) -> Vec<String> {
    index
        .search(&query(text))
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

/// Issue 13, item 4: a question finds the national documents on its topic — the
/// regulation naming it at the head of its title and the interpretation every court
/// applies, which bind alike (`disclosure_core::authority`) — before a province's
/// regulation, however often that repeats the question's words.
#[test]
fn a_question_finds_the_national_documents_on_its_topic_first() {
    let index = index_with_kinds(
        &[
            (
                "local",
                "河南省工伤保险条例",
                "地方性法规",
                "工伤认定申请。工伤认定结论。工伤认定期限。认定工伤的材料。",
            ),
            (
                "interpretation",
                "最高人民法院关于审理工伤保险行政案件若干问题的规定",
                "司法解释",
                "人民法院审理工伤认定行政案件，认定工伤。",
            ),
            (
                "law",
                "工伤保险条例",
                "行政法规",
                "为了保障因工作遭受事故伤害的职工获得医疗救治和经济补偿，制定本条例。职工发生事故伤害，所在单位应当提出工伤认定申请。",
            ),
            ("other", "道路运输条例", "行政法规", "运输经营者应当依法经营。"),
        ],
        "",
    );
    let found = ids_in(&index, "工伤怎么认定");
    let mut first_two = found.iter().take(2).cloned().collect::<Vec<String>>();
    first_two.sort();
    assert_eq!(first_two, ["interpretation", "law"], "{found:?}");
    assert!(found.contains(&"local".to_string()));
}

/// A question or an everyday word that names a place (`河南工伤怎么认定`, `在河南…`,
/// `河南失业金`) asks for the rules that bind there: the place's own regulation binds its
/// citizens as the national law does (`disclosure_core::place`), and comes first where the
/// texts say as much; another province's does not. Without a place, the national
/// documents first, as above.
#[test]
fn a_query_naming_a_place_finds_the_rule_of_that_place_first() {
    let index = index_with_kinds(
        &[
            (
                "henan",
                "河南省工伤保险条例",
                "地方性法规",
                "为了保障职工获得医疗救治和经济补偿，根据《工伤保险条例》，结合本省实际，制定本条例。",
            ),
            (
                "guangdong",
                "广东省工伤保险条例",
                "地方性法规",
                "为了保障职工获得医疗救治和经济补偿，根据《工伤保险条例》，结合本省实际，制定本条例。工伤认定申请。工伤认定结论。",
            ),
            (
                "law",
                "工伤保险条例",
                "行政法规",
                "为了保障因工作遭受事故伤害的职工获得医疗救治和经济补偿，制定本条例。职工发生事故伤害，所在单位应当提出工伤认定申请。工伤认定。",
            ),
            ("other", "道路运输条例", "行政法规", "运输经营者应当依法经营。河南的运输。"),
        ],
        "工伤赔偿 工伤保险",
    );
    for asked in ["河南工伤怎么认定", "在河南受了工伤怎么认定", "河南工伤赔偿"]
    {
        let found = ids_in(&index, asked);
        assert_eq!(
            found.first().map(String::as_str),
            Some("henan"),
            "{asked}: {found:?}"
        );
    }
    let found = ids_in(&index, "工伤赔偿");
    assert_eq!(found.first().map(String::as_str), Some("law"), "{found:?}");
}

/// The place's own rule on a matter comes before the national law on it when the texts
/// hold the question's words about as closely: a citizen who names 上海 asks how 上海 does
/// it, and 上海's implementing measures say it for him (the national law in more words).
#[test]
fn a_query_naming_a_place_finds_its_implementing_measures_before_the_law() {
    let index = index_with_kinds(
        &[
            (
                "law",
                "中华人民共和国农民专业合作社法",
                "法律",
                "第一条 为了规范农民专业合作社的组织和行为，制定本法。第二条 农民专业合作社的成员以农民为主体。农民专业合作社的成员中，农民至少应当占成员总数的百分之八十。成员总数二十人以下的，可以有一个企业成员。",
            ),
            (
                "shanghai",
                "上海市实施《中华人民共和国农民专业合作社法》办法",
                "地方性法规",
                "第一条 根据《中华人民共和国农民专业合作社法》，结合本市实际，制定本办法。第二条 本市农民专业合作社的成员中，农民应当占成员总数的百分之八十以上。",
            ),
            ("other", "上海市养老服务条例", "地方性法规", "第一条 为了发展养老服务，制定本条例。"),
        ],
        "农民合作社 农民专业合作社",
    );
    let found = ids_in(&index, "在上海办农民合作社，成员里农民至少要占多少");
    assert_eq!(
        found.first().map(String::as_str),
        Some("shanghai"),
        "{found:?}"
    );
    let found = ids_in(&index, "办农民合作社，成员里农民至少要占多少");
    assert_eq!(found.first().map(String::as_str), Some("law"), "{found:?}");
}

/// A city's regulation names in its header the province that approved it; a citizen who
/// names the city (`宁波老人坐公交免费吗`) is bound by that province's rules too, and not by
/// another province's.
#[test]
fn a_query_naming_a_city_finds_its_province_s_rule_too() {
    let elderly = "第一条 为了保障老年人合法权益，制定本条例。第二条 七十周岁以上的老年人免费乘坐城市公共交通。";
    let index = index_with_kinds(
        &[
            (
                "ningbo",
                "宁波市养犬管理条例",
                "地方性法规",
                "2019年9月26日浙江省第十三届人民代表大会常务委员会第十四次会议批准\n\n第一条 为了规范养犬行为，制定本条例。",
            ),
            ("shandong", "山东省老年人权益保障条例", "地方性法规", elderly),
            ("zhejiang", "浙江省老年人权益保障条例", "地方性法规", elderly),
            (
                "law",
                "中华人民共和国老年人权益保障法",
                "法律",
                "第一条 为了保障老年人合法权益，发展老龄事业，制定本法。",
            ),
        ],
        "老人 老年人",
    );
    let found = ids_in(&index, "宁波老人坐公交免费吗");
    assert_eq!(
        found.first().map(String::as_str),
        Some("zhejiang"),
        "{found:?}"
    );
}

/// Issue 13, item 4: a lone character a question leaves between its words (`税` of
/// `买新车要交多少税`) is no word to look for in texts, where it is everywhere, but the law
/// on the topic names it in its title with the question's other characters: the tax law
/// on vehicles comes before a law on another tax.
#[test]
fn a_question_finds_the_law_whose_title_names_its_lone_character() {
    let index = index_with_kinds(
        &[
            (
                "competition",
                "中华人民共和国反垄断法",
                "法律",
                "经营者不得强迫消费者买新车时购买指定的保险。消费者买新车，可以自主选择。",
            ),
            (
                "tariff",
                "中华人民共和国关税法",
                "法律",
                "进口货物的收货人为关税的纳税人，应当依法缴纳税款。",
            ),
            (
                "vehicle",
                "中华人民共和国车辆购置税法",
                "法律",
                "在中华人民共和国境内购置汽车、摩托车的单位和个人，为车辆购置税的纳税人。",
            ),
            (
                "other",
                "城市绿化条例",
                "行政法规",
                "为了促进城市绿化事业的发展，制定本条例。",
            ),
        ],
        "",
    );
    let found = ids_in(&index, "买新车要交多少税");
    let at = |id: &str| found.iter().position(|found| found == id);
    assert!(at("vehicle").is_some(), "{found:?}");
    assert!(
        at("vehicle") < at("tariff").or(Some(usize::MAX)),
        "{found:?}"
    );
}

/// Issue 13, item 4: a two-character word of a question that no law uses (`卖盐`) counts
/// as its characters in titles, as a lone character does: the law naming `盐` comes
/// before the laws holding only the question's other word (`私人`, common in laws).
#[test]
fn a_word_no_law_uses_finds_the_title_naming_its_characters() {
    let index = index_with_kinds(
        &[
            (
                "diplomats",
                "中华人民共和国外交特权与豁免条例",
                "行政法规",
                "外交代表的私人住所不受侵犯。外交代表的私人行李免受查验。",
            ),
            (
                "salt",
                "食盐专营办法",
                "行政法规",
                "国家实行食盐专营管理。未经许可，任何单位和个人不得经营食盐批发业务。",
            ),
            (
                "other",
                "城市绿化条例",
                "行政法规",
                "为了促进城市绿化事业的发展，制定本条例。",
            ),
            (
                "police",
                "中华人民共和国人民警察法",
                "法律",
                "人民警察依法履行职责，不得为私人利益使用警械。",
            ),
            (
                "courts",
                "中华人民共和国人民法院组织法",
                "法律",
                "人民法院是审判机关，保护公民私人财产。",
            ),
        ],
        "",
    );
    let found = ids_in(&index, "私人可以卖盐吗");
    let at = |id: &str| found.iter().position(|found| found == id);
    assert!(at("salt").is_some(), "{found:?}");
    assert!(
        at("salt") < at("diplomats").or(Some(usize::MAX)),
        "{found:?}"
    );
}

/// Issue 13, item 4: a question whose words no title holds is answered by the law that
/// governs its topic (its title names none of the words, its long body says them once)
/// before a city's short regulation that repeats them: relevance times legal force.
#[test]
fn a_question_no_title_holds_finds_the_national_law_before_local_rules() {
    let long_law = format!(
        "{}饲养的动物造成他人损害的，动物饲养人或者管理人应当承担侵权责任。宠物狗咬人造成损害的，饲养人应当赔偿。{}",
        "民事主体的人身权利、财产权利以及其他合法权益受法律保护。".repeat(20),
        "当事人应当遵循诚信原则。".repeat(20),
    );
    let index = index_with_kinds(
        &[
            (
                "city",
                "某市养犬管理规定",
                "地方性法规",
                "宠物狗咬人的，由公安机关处理。宠物狗咬人致伤需要赔偿的，养犬人承担费用。",
            ),
            ("law", "中华人民共和国民法典", "法律", &long_law),
            (
                "other",
                "城市绿化条例",
                "行政法规",
                "为了促进城市绿化事业的发展，制定本条例。",
            ),
        ],
        "",
    );
    let found = ids_in(&index, "宠物狗咬人怎么赔偿");
    assert_eq!(found[..2], ["law", "city"], "{found:?}");
    // A phrase of the city's text with a word questions use and laws too (`需要`) is a
    // phrase looked up: the document holding it comes first.
    let found = ids_in(&index, "咬人致伤需要赔偿");
    assert_eq!(found[0], "city", "{found:?}");
    // A word no title and no text holds as typed: the laws on its topic fill the page.
    let found = ids_in(&index, "狗咬人赔偿");
    assert_eq!(found[..2], ["law", "city"], "{found:?}");
    // A word both texts hold and no title (as `扰民` is held by a noise law and by cities'
    // rules): the law first, though the city's short text says it twice.
    let found = ids_in(&index, "狗咬人");
    assert_eq!(found[..2], ["law", "city"], "{found:?}");
    // Without a kind, documents weigh alike: the denser local text comes first.
    let unknown = small_index(
        &[
            (
                "city",
                "某市养犬管理规定",
                "宠物狗咬人的，由公安机关处理。宠物狗咬人致伤的，养犬人承担费用。",
            ),
            ("law", "中华人民共和国民法典", &long_law),
        ],
        "",
    );
    assert_eq!(ids_in(&unknown, "宠物狗咬人怎么赔偿")[0], "city");
}

/// Issue 13, item 3b: an everyday word no title holds (`噪音扰民`) finds the law whose title
/// names what its synonyms say (`噪声`) before a document that merely mentions the word.
#[test]
fn an_everyday_word_finds_the_law_its_synonyms_name() {
    let index = index_with_kinds(
        &[
            (
                "civility",
                "某市文明行为促进条例",
                "地方性法规",
                "文明行为包括：不得噪音扰民，不得高空抛物，不得随地吐痰。",
            ),
            (
                "law",
                "中华人民共和国噪声污染防治法",
                "法律",
                "为了防治噪声污染，保障公众健康，制定本法。",
            ),
            (
                "other",
                "城市绿化条例",
                "行政法规",
                "为了促进城市绿化事业的发展，制定本条例。",
            ),
        ],
        "噪音 噪声\n",
    );
    let found = ids_in(&index, "噪音扰民");
    assert_eq!(found[0], "law", "{found:?}");
    // Two documents match (one by its synonym's title, one holding the word), each counted
    // once, though the topic ranking finds both again.
    assert_eq!(index.search(&query("噪音扰民")).unwrap().total_exact, 2);
    assert!(found.contains(&"civility".to_string()));
    // A phrase cut from a text (`不得噪音扰`) that merely holds
    // a term is a phrase looked up, not an everyday word: the text holding it first.
    let found = ids_in(&index, "不得噪音扰");
    assert_eq!(found[0], "civility", "{found:?}");
}

/// Issue 13, item 3b: an everyday word no text holds, one character off a term of the
/// synonym list (`收废铁`, `收废品`), finds the law on that term's topic before the texts
/// holding part of it (`废铁`).
#[test]
fn an_everyday_word_one_character_off_a_term_finds_the_terms_law() {
    let index = index_with_kinds(
        &[
            (
                "scrap",
                "废旧金属收购业治安管理办法",
                "行政法规",
                "为了加强对废旧金属收购业的治安管理，制定本办法。",
            ),
            (
                "iron",
                "城市废铁回收利用规定",
                "行政法规",
                "废铁回收利用，应当登记。",
            ),
        ],
        "收废品 废品站 收破烂 废旧金属收购\n",
    );
    let found = ids_in(&index, "收废铁");
    assert_eq!(
        found.first().map(String::as_str),
        Some("scrap"),
        "{found:?}"
    );
}

/// Issue 13, item 3b: an everyday word of digits and Han characters that is a term whole
/// (`70年产权`) finds the law on what its synonyms say, before a text holding its pieces.
#[test]
fn an_everyday_word_with_digits_finds_the_law_its_synonyms_name() {
    let index = index_with_kinds(
        &[
            (
                "land",
                "城镇国有土地使用权出让和转让暂行条例",
                "行政法规",
                "土地使用权出让最高年限按下列用途确定：居住用地七十年。",
            ),
            (
                "plant",
                "某市工业园区条例",
                "地方性法规",
                "年产70万吨以上的企业，应当明确产权。",
            ),
        ],
        "70年产权 七十年产权 土地使用权出让最高年限\n",
    );
    let found = ids_in(&index, "70年产权");
    assert_eq!(found.first().map(String::as_str), Some("land"), "{found:?}");
}

/// Issue 13, item 3b: an everyday word longer than one's form, with a term of the list in
/// it (`家电能效标签`), that no text holds finds the law on what its synonyms say, before a
/// text holding its pieces; a phrase a text holds stays a phrase.
#[test]
fn a_longer_everyday_word_no_text_holds_finds_the_law_its_synonyms_name() {
    let index = index_with_kinds(
        &[
            (
                "energy",
                "中华人民共和国节约能源法",
                "法律",
                "国家对家用电器等用能产品实行能源效率标识管理。",
            ),
            (
                "meter",
                "某市计量条例",
                "地方性法规",
                "计量器具应当贴有标签。家电维修应当登记。商品能效标签应当清晰。",
            ),
        ],
        "能效标签 能效标识 能源效率标识\n",
    );
    let found = ids_in(&index, "家电能效标签");
    assert_eq!(
        found.first().map(String::as_str),
        Some("energy"),
        "{found:?}"
    );
    let found = ids_in(&index, "商品能效标签");
    assert_eq!(
        found.first().map(String::as_str),
        Some("meter"),
        "{found:?}"
    );
}

/// An everyday phrase longer than an everyday word that no text holds (`买二手船过户`, six
/// characters, no question word) finds the law on its topic, not the title sharing a word
/// of it by chance; a title typed with a slip in it (`某市航道管理浙例`) still finds that
/// title first.
#[test]
fn a_short_phrase_no_text_holds_finds_its_topic_and_a_slip_its_title() {
    let index = index_with_kinds(
        &[
            (
                "ship",
                "中华人民共和国船舶登记条例",
                "行政法规",
                "买卖二手船舶的，双方应当办理船舶过户登记。船舶过户登记由船籍港船舶登记机关办理。",
            ),
            (
                "car",
                "买卖二手车过户管理办法",
                "部门规章",
                "二手车交易市场经营者应当规范经营。",
            ),
            (
                "waterway",
                "某市航道管理条例",
                "地方性法规",
                "航道的规划、建设、养护和管理适用本条例。",
            ),
        ],
        "过户 转移登记\n",
    );
    let found = ids_in(&index, "买二手船过户");
    assert_eq!(found.first().map(String::as_str), Some("ship"), "{found:?}");
    let found = ids_in(&index, "某市航道管理浙例");
    assert_eq!(
        found.first().map(String::as_str),
        Some("waterway"),
        "{found:?}"
    );
}

/// A citizen's `国外` (`连国外的网`) is no title's word: titles hold it only across the end of
/// the national prefix (`中华人民共和国外交特权与豁免条例`), so the law whose text says it comes
/// first, and a title fragment typed across that seam still finds its title.
#[test]
fn a_bigram_titles_hold_only_across_the_national_prefix_names_no_law() {
    let index = index_with_kinds(
        &[
            (
                "diplomats",
                "中华人民共和国外交特权与豁免条例",
                "法律",
                "外交代表享有豁免。使馆馆舍不受侵犯。",
            ),
            (
                "network",
                "计算机信息网络国际联网管理暂行规定",
                "行政法规",
                "个人不得自行建立信道连接国外的网络。",
            ),
        ],
        "",
    );
    let found = ids_in(&index, "个人能不能自己连国外的网");
    assert_eq!(
        found.first().map(String::as_str),
        Some("network"),
        "{found:?}"
    );
    let found = ids_in(&index, "和国外交特权");
    assert_eq!(
        found.first().map(String::as_str),
        Some("diplomats"),
        "{found:?}"
    );
}

/// Issue 13, items 3b and 4: a Latin short form no text holds (`KTV`) finds the law on what
/// its synonyms say; a question asked with `找谁` is a question (its topic's law first).
#[test]
fn a_latin_everyday_word_and_a_question_asking_whom_find_their_laws() {
    let index = index_with_kinds(
        &[
            (
                "venues",
                "娱乐场所管理条例",
                "行政法规",
                "本条例所称娱乐场所，是指以营利为目的，并向公众开放的歌舞娱乐场所。",
            ),
            (
                "wages",
                "保障农民工工资支付条例",
                "行政法规",
                "施工总承包单位应当按照规定支付农民工工资。",
            ),
            (
                "city",
                "某市建筑市场条例",
                "地方性法规",
                "包工头不得拖欠。包工头应当登记。工钱按月结清。",
            ),
        ],
        "KTV 歌舞娱乐场所\n包工头 施工总承包单位\n工钱 农民工工资\n",
    );
    assert_eq!(ids_in(&index, "KTV")[0], "venues");
    assert_eq!(ids_in(&index, "包工头跑了工钱找谁要")[0], "wages");
}

/// Issue 13, item 4: a question's content words look in titles through their synonyms
/// (`低保` → `最低生活保障`) before the bodies that mention them fill the page.
#[test]
fn a_question_reaches_titles_through_synonyms_before_bodies() {
    let mut documents: Vec<(String, String, String)> = (0..12)
        .map(|n| {
            (
                format!("mention{n}"),
                format!("某县社会救助工作规定{n}"),
                "低保对象的认定和低保金的发放，申请低保的家庭。".to_string(),
            )
        })
        .collect();
    documents.push((
        "law".into(),
        "城市居民最低生活保障条例".into(),
        "为了规范城市居民最低生活保障制度，保障城市居民基本生活，制定本条例。".into(),
    ));
    let documents: Vec<(&str, &str, &str)> = documents
        .iter()
        .map(|(id, title, body)| (id.as_str(), title.as_str(), body.as_str()))
        .collect();
    let index = small_index(&documents, "低保 最低生活保障\n");
    let found = ids_in(&index, "低保怎么申请");
    assert_eq!(found[0], "law", "{found:?}");
    // A question with nothing else than its question words still answers, never fails.
    for text in [
        "怎么办？",
        "吗",
        "被的了吗",
        "怎么投诉",
        "请问一下怎么样了呢",
    ] {
        index.search(&query(text)).unwrap();
    }
}

/// A search never shows nothing when some title shares its characters: a question in
/// words no document uses (`房子`, where laws say `房屋` and `房产`) finds the titles holding
/// most of its characters, lone ones included (`税`), as the laws on its topic; a word no
/// document uses, as matches not of the whole query.
#[test]
fn words_no_document_uses_find_the_titles_sharing_their_characters() {
    let index = small_index(
        &[
            ("tax", "房产税暂行条例", "房产税由产权所有人缴纳。"),
            ("fund", "住房公积金管理条例", "职工缴存住房公积金。"),
            ("roads", "公路管理条例", "公路的养护。"),
        ],
        "",
    );
    let results = index.search(&query("自己住的房子要交税吗")).unwrap();
    let found: Vec<&str> = results.hits.iter().map(|hit| hit.id.as_str()).collect();
    assert_eq!(found.first(), Some(&"tax"), "{found:?}");
    assert!(!found.contains(&"roads"), "{found:?}");
    let results = index.search(&query("房子")).unwrap();
    let found: Vec<&str> = results.hits.iter().map(|hit| hit.id.as_str()).collect();
    assert!(
        found.contains(&"tax") && !found.contains(&"roads"),
        "{found:?}"
    );
    assert_eq!(results.total_exact, 0);
    // Text sharing no character with any title still finds nothing.
    assert!(ids_in(&index, "电梯").is_empty());
}

/// Issue 13 (exact means exact): a fragment typed with the punctuation of a title
/// (`残疾人保障法》`, the end of a law's name quoted in another title) finds first the
/// titles holding it so, before the law's own title, which holds its words but not the
/// mark.
#[test]
fn a_title_fragment_with_its_punctuation_finds_the_titles_holding_it_so_first() {
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    builder
        .add(&document(
            "law",
            "中华人民共和国残疾人保障法",
            "第一条 为了维护残疾人的合法权益，制定本法。",
        ))
        .unwrap();
    builder
        .add(&document(
            "local",
            "某市实施《中华人民共和国残疾人保障法》办法",
            "第一条 根据《中华人民共和国残疾人保障法》，结合本市实际，制定本办法。",
        ))
        .unwrap();
    let index = SearchIndex::open(builder.finish().unwrap().pack).unwrap();
    let results = index.search(&query("残疾人保障法》")).unwrap();
    assert_eq!(results.hits[0].id, "local");
    // Without the mark, the law's own title, nearest in length, comes first as before; so
    // it does for its whole name between the marks, which names the law.
    let results = index.search(&query("残疾人保障法")).unwrap();
    assert_eq!(results.hits[0].id, "law");
    let results = index
        .search(&query("《中华人民共和国残疾人保障法》"))
        .unwrap();
    assert_eq!(results.hits[0].id, "law");
}

/// Issue 13 (everyday words): among the titles a word's synonyms name, the one that binds
/// most widely first — a State Council regulation before a city's rules on the same stalls.
#[test]
fn titles_found_through_synonyms_come_widest_binding_first() {
    let mut builder = disclosure_search::writer::IndexBuilder::new().unwrap();
    builder
        .set_synonyms(vec![vec![
            "摆地摊".to_string(),
            "流动摊贩摆卖点".to_string(),
            "摊贩".to_string(),
        ]])
        .unwrap();
    let record = |id: &str, title: &str, category: &str| {
        portal_document(serde_json::json!({
            "id": id, "title": title, "category": category, "body": "第一条 为了规范经营秩序，制定本规定。",
        }))
    };
    builder
        .add(&record("city", "某市流动摊贩摆卖点管理规定", "地方性法规"))
        .unwrap();
    builder
        .add(&record("national", "国务院关于摊贩经营的规定", "行政法规"))
        .unwrap();
    let index = SearchIndex::open(builder.finish().unwrap().pack).unwrap();
    let found: Vec<String> = index
        .search(&query("摆地摊"))
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect();
    assert_eq!(found[..2], ["national", "city"]);
}

/// "More hits" (a larger page) keeps the hits already shown in their order: whether the
/// titles of a query's synonyms join its own titles does not depend on the page's size.
/// `省水` is held as typed only across a word's end (`河南省水文条例`) by 12 titles; the
/// law on saving water came first in a page of 20 and nowhere in a page of 10.
#[test]
fn a_larger_page_keeps_the_first_page_in_its_order() {
    let provinces = [
        "河南", "山东", "浙江", "江苏", "湖南", "湖北", "广东", "福建", "四川", "河北", "山西",
        "陕西",
    ];
    let titles: Vec<(String, String)> = provinces
        .iter()
        .enumerate()
        .map(|(at, province)| (format!("p{at}"), format!("{province}省水文条例")))
        .collect();
    let mut documents: Vec<(&str, &str, &str)> = titles
        .iter()
        .map(|(id, title)| (id.as_str(), title.as_str(), "水文监测。"))
        .collect();
    documents.push(("saving", "节约用水条例", "节约用水，提高用水效率。"));
    let index = small_index(&documents, "省水 节约用水\n");
    let first = first_page_kept(&index, "省水");
    assert_eq!(first.len(), 10);
}

/// The ids of the first page of 10 hits of `text`, after checking that a page of 20
/// starts with them in their order.
fn first_page_kept(index: &SearchIndex, text: &str) -> Vec<String> {
    let page = |limit: usize| -> Vec<String> {
        let request = SearchRequest {
            limit,
            ..query(text)
        };
        let hits = index.search(&request).unwrap().hits;
        hits.into_iter().map(|hit| hit.id).collect()
    };
    let (first, larger) = (page(10), page(20));
    assert_eq!(first[..], larger[..first.len()], "{larger:?}");
    first
}

/// A title fragment that starts or stops inside a number holds the title as typed: the
/// title indexes its words' beginnings and ends (`tokenizer::word_affixes`).
#[test]
fn a_title_fragment_cut_inside_a_number_finds_its_title() {
    let index = small_index(
        &[
            ("hotline", "济南市12345市民服务热线条例", "热线。"),
            ("2018", "中华人民共和国宪法修正案（2018年）", "修正。"),
            ("1999", "中华人民共和国宪法修正案（1999年）", "修正。"),
            ("other", "城市市民公约", "市民。"),
        ],
        "",
    );
    for (fragment, id) in [("345市民", "hotline"), ("宪法修正案（201", "2018")] {
        let results = index.search(&query(fragment)).unwrap();
        assert_eq!(results.total_exact, 1, "{fragment}");
        assert_eq!(results.hits[0].id, id, "{fragment}");
    }
}

/// "More hits" keeps the first page also when synonyms' titles join the query's own: each
/// synonym's titles are weighed whole, not cut at the page asked for, so the national law
/// deep in one synonym's list (a long title, ranked last by closeness of length) comes
/// first in a page of 10 as in one of 20.
#[test]
fn a_larger_page_keeps_the_first_page_with_synonyms_too() {
    let cities = [
        "长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "益阳", "郴州", "永州", "怀化",
        "娄底", "吉首", "宁乡",
    ];
    let titles: Vec<(String, String)> = cities
        .iter()
        .enumerate()
        .map(|(at, city)| (format!("c{at}"), format!("{city}市节约用水条例")))
        .collect();
    let mut documents: Vec<(&str, &str, &str, &str)> = titles
        .iter()
        .map(|(id, title)| (id.as_str(), title.as_str(), "地方性法规", "节约用水。"))
        .collect();
    documents.push((
        "national",
        "国务院关于城镇居民生活用水与工业用水节约用水管理的若干规定",
        "行政法规",
        "节约用水。",
    ));
    documents.push(("own", "省水器具目录", "", "省水器具。"));
    let index = index_with_kinds(&documents, "省水器具 节约用水\n");
    let first = first_page_kept(&index, "省水器具");
    assert!(first.contains(&"national".to_string()), "{first:?}");
}

/// A one-digit number of a query is no end of a longer one in a title: `2019年1月` holds
/// `…2019年1月…` as typed, not `…2019年11月…`.
#[test]
fn a_one_digit_number_is_no_part_of_a_longer_one() {
    let index = small_index(
        &[
            ("january", "宁乡市2019年1月财政收支情况", "收支。"),
            ("november", "宁乡市2019年11月财政收支情况", "收支。"),
        ],
        "",
    );
    let results = index.search(&query("2019年1月财政收支")).unwrap();
    assert_eq!(results.total_exact, 1);
    assert_eq!(results.hits[0].id, "january");
}

/// A citizen's everyday word or question is answered by the rules in force on the day
/// asked: a repealed regulation comes after the one that replaced it (the 信访条例 of 2005,
/// repealed by the 信访工作条例 of 2022), though its shorter title names the topic more
/// nearly; on a day before the repeal the everyday word still finds it first.
#[test]
fn a_citizens_words_find_the_rule_in_force_before_the_one_it_replaced() {
    let index = index_with_records(
        &[
            (
                "old",
                "信访条例",
                "行政法规",
                "信访人对信访事项处理意见不服的，可以请求复查。信访工作机构应当登记。",
            ),
            (
                "new",
                "信访工作条例",
                "行政法规",
                "信访人对信访事项处理意见不服的，可以请求复查。",
            ),
            (
                "other",
                "道路运输条例",
                "行政法规",
                "运输经营者应当依法经营。",
            ),
        ],
        "上访 信访",
        Some(
            r#"[
              {"i": "old", "t": "信访条例", "p": "2005-01-10", "e": "2005-05-01",
               "c": [{"k": "repealed", "n": "", "t": "信访工作条例", "d": "2022-05-01"}]},
              {"i": "new", "t": "信访工作条例", "p": "2022-02-25", "e": "2022-05-01"}
            ]"#,
        ),
    );
    let first = |typed: &str, day: time::Date| {
        index.search(&on(day, query(typed))).unwrap().hits[0]
            .id
            .clone()
    };
    let today = time::macros::date!(2026 - 11 - 30);
    assert_eq!(first("上访", today), "new");
    assert_eq!(first("上访", time::macros::date!(2021 - 01 - 01)), "old");
    assert_eq!(first("上访不服处理意见怎么办", today), "new");
}

/// A title naming an everyday word's topic at its head moves first only while it is in
/// force: 个体户 finds the 促进个体工商户发展条例 before the 个体工商户条例 it repealed,
/// whose title names 个体工商户 first.
#[test]
fn a_repealed_title_naming_the_topic_at_its_head_does_not_move_first() {
    let index = index_with_records(
        &[
            (
                "old",
                "个体工商户条例",
                "行政法规",
                "个体工商户应当依法经营。个体工商户可以个人经营。",
            ),
            (
                "new",
                "促进个体工商户发展条例",
                "行政法规",
                "国家持续深化个体工商户登记制度改革。",
            ),
        ],
        "个体户 个体工商户",
        Some(
            r#"[
              {"i": "old", "t": "个体工商户条例", "p": "2016-02-06", "e": "2016-02-06",
               "c": [{"k": "repealed", "t": "促进个体工商户发展条例", "d": "2022-11-01"}]},
              {"i": "new", "t": "促进个体工商户发展条例", "p": "2022-10-01", "e": "2022-11-01"}
            ]"#,
        ),
    );
    let first = |day: time::Date| {
        index.search(&on(day, query("个体户"))).unwrap().hits[0]
            .id
            .clone()
    };
    assert_eq!(first(time::macros::date!(2026 - 11 - 30)), "new");
    assert_eq!(first(time::macros::date!(2021 - 01 - 01)), "old");
}
