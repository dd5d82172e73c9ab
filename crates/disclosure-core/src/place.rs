//! The place a local document binds in, and the place a citizen's query names.
//!
//! Why: more than half of a national collection is local regulations, each binding in one
//! province, city or county, and the search ranks a topic's documents by how widely they
//! bind ([`crate::authority`]: a national law before the local rules that repeat its
//! words). A citizen who names a place (`广东失业金`, `在上海注册公司名字能跟别人重名吗`)
//! asks for the rules that bind there, and the place's own regulation is then as much the
//! answer as the national law; so is its province's (`宁波老人满70岁进公园免费吗` is
//! answered by 浙江省's). The place of a document is its issuing organ's
//! (`广东省人民代表大会常务委员会` → 广东省) or, for a local document without one, the one
//! its title starts with; a city's regulation names in its header the province that
//! approved it ([`approving_province`]). The places a query can name are those of the
//! collection's documents, so a portal of one county knows its county without a table of
//! China's divisions.

use std::ops::Range;

use crate::text::{fold, is_han};

/// A place of China's administrative divisions as an organ's name starts with it: its
/// full name (`广东省`, `景宁畲族自治县`) and the short name citizens type (`广东`, `景宁`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Place {
    full: String,
    short: String,
}

/// The endings of a division's name, longest first where one ends another.
const DIVISION_ENDINGS: [&str; 12] = [
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "省",
    "市",
    "县",
    "区",
    "州",
    "盟",
    "旗",
];

/// Organs that bind the whole country, though their names hold a division's ending
/// (`国家市场监督管理总局`, `中国人民银行`).
const NATIONAL_STARTS: [&str; 6] = ["国家", "全国", "中国", "中华", "国务院", "最高"];

/// What follows a place in an organ's name: its people's congress, government, courts,
/// or a department (`宁乡市教育局`, `湖南省发展和改革委员会`).
const ORGAN_STARTS: [&str; 5] = ["人民", "人大", "政府", "党委", "中级"];
const ORGAN_ENDS: [char; 12] = [
    '局', '委', '办', '厅', '院', '会', '室', '处', '所', '站', '队', '心',
];

/// The 55 minority nationalities whose names an autonomous division's name holds
/// (`景宁畲族自治县`, `新疆维吾尔自治区`): citizens leave them out (`景宁`, `新疆`).
const NATIONALITIES: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// At most this many characters come before a division's ending (`彭水苗族土家族自治县`).
const MAX_NAME_CHARS: usize = 8;

/// Characters before a short name that make it a place the query is about (`在上海`,
/// `回广东`, `我是山东农村的`), not a destination (`去北京上访`) or part of a word
/// (`没开封`).
const BEFORE_SHORT: [char; 3] = ['在', '回', '是'];

/// Organs of a place's own government that, after its short name, make it the place a query
/// is about wherever the name stands (`给滨州人大提立法建议`, `向上海法院起诉`, `找济南交警`):
/// the organ acts under that place's rules. Each begins no word that also follows a place's
/// name as a word of another kind.
#[rustfmt::skip]
const ORGANS_AFTER_SHORT: [&str; 14] = [
    "人大", "政府", "市政府", "省政府", "法院", "检察院", "公安", "交警", "税务", "人社",
    "城管", "市场监管", "住建", "卫健委",
];

impl Place {
    /// The place a division's full name names: `广东省` (广东), `景宁畲族自治县` (景宁);
    /// `None` for a name without a division's ending after two to eight characters.
    pub fn from_full_name(full: &str) -> Option<Place> {
        let (place, rest) = Place::leading(full)?;
        rest.is_empty().then_some(place)
    }

    /// The division `text` starts with, and the rest of it: the shortest start of two to
    /// eight characters followed by a division's ending (`广东省…`, `内蒙古自治区…`).
    /// `None` for a national organ's name (`国家市场监督管理总局`) or none.
    fn leading(text: &str) -> Option<(Place, &str)> {
        if NATIONAL_STARTS.iter().any(|start| text.starts_with(start)) {
            return None;
        }
        let (name_end, ending) = text
            .char_indices()
            .skip(2)
            .take(MAX_NAME_CHARS - 1)
            .find_map(|(at, _)| {
                DIVISION_ENDINGS
                    .iter()
                    .find(|ending| text[at..].starts_with(**ending))
                    .map(|ending| (at, *ending))
            })?;
        let end = name_end + ending.len();
        let place = Place {
            full: text[..end].to_string(),
            short: without_nationalities(&text[..name_end]),
        };
        Some((place, &text[end..]))
    }

    /// The place `issuer` (an organ's name) starts with: `广东省人民代表大会常务委员会` →
    /// 广东省 (广东), `景宁畲族自治县人民代表大会` → 景宁畲族自治县 (景宁), `宁乡市教育局` →
    /// 宁乡市; `None` for a national organ (`国务院`, `国家市场监督管理总局`) or a name that
    /// does not start with a division followed by an organ.
    pub fn of_issuer(issuer: &str) -> Option<Place> {
        let issuer = fold(issuer.trim());
        let (place, organ) = Place::leading(&issuer)?;
        let is_organ = ORGAN_STARTS.iter().any(|start| organ.starts_with(start))
            || organ.ends_with(ORGAN_ENDS);
        (!organ.is_empty() && is_organ).then_some(place)
    }

    /// The place a document binds in: its issuing organ's (`department`,
    /// [`Place::of_issuer`]), else, for a local document (`local`: of a kind that binds
    /// locally, [`crate::authority::LOCAL`]), the division its title starts with
    /// (`上海市企业名称登记管理规定`, whose source names no organ). `None` for a national
    /// document.
    pub fn of_document(department: Option<&str>, title: &str, local: bool) -> Option<Place> {
        if let Some(place) = department.and_then(Place::of_issuer) {
            return Some(place);
        }
        let title = fold(title.trim());
        match local {
            true => Place::leading(&title)
                .filter(|(_, rest)| !rest.is_empty())
                .map(|(place, _)| place),
            false => None,
        }
    }

    /// The full name: `广东省`.
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The short name citizens type: `广东`.
    pub fn short(&self) -> &str {
        &self.short
    }

    /// Where folded `query` names this place: the byte range of its full name anywhere,
    /// or of its short name at the start of the query or of a clause (`…的，山东…`), after
    /// [`BEFORE_SHORT`] (`在上海`) or before one of [`ORGANS_AFTER_SHORT`] (`给滨州人大`), the
    /// first; `None` when it does not.
    pub fn named_in(&self, query: &str) -> Option<Range<usize>> {
        let full = query.find(&self.full).map(|at| at..at + self.full.len());
        let short = query.match_indices(&self.short).find_map(|(at, _)| {
            let before = query[..at].chars().next_back();
            let end = at + self.short.len();
            let alone = before.is_none_or(|c| !c.is_alphanumeric() || BEFORE_SHORT.contains(&c))
                || ORGANS_AFTER_SHORT
                    .iter()
                    .any(|organ| query[end..].starts_with(organ));
            alone.then_some(at..end)
        });
        match (full, short) {
            (Some(full), Some(short)) if short.start < full.start => Some(short),
            (Some(full), _) => Some(full),
            (None, short) => short,
        }
    }
}

/// What separates a province from a city in a [`column_value`]: `浙江省/宁波市`.
const PATH_SEPARATOR: char = '/';

/// A document's place as the search index holds it: its own full name, after that of the
/// province that approved it when there is one (`浙江省/宁波市`, `广东省`).
pub fn column_value(place: &Place, province: Option<&Place>) -> String {
    match province.filter(|province| *province != place) {
        Some(province) => format!("{}{PATH_SEPARATOR}{}", province.full, place.full),
        None => place.full.clone(),
    }
}

/// The places of a [`column_value`], the province first; empty for a value that names no
/// division.
pub fn places_of_value(value: &str) -> Vec<Place> {
    value
        .split(PATH_SEPARATOR)
        .map(Place::from_full_name)
        .collect::<Option<Vec<Place>>>()
        .unwrap_or_default()
}

/// The province whose people's congress standing committee approved a regulation, as the
/// first lines of its `body` say (`2019年9月26日浙江省第十三届人民代表大会常务委员会第十四次
/// 会议批准`): a city's or an autonomous county's regulation takes effect on that approval
/// (《立法法》2023 第八十一条、第八十五条), and binds in a place inside the province. `None`
/// when the header says no such thing.
pub fn approving_province(body: &str) -> Option<Place> {
    const HEADER_CHARS: usize = 300;
    const COMMITTEE: &str = "人民代表大会常务委员会";
    let header: String = fold(&body.chars().take(HEADER_CHARS).collect::<String>());
    header.match_indices(COMMITTEE).find_map(|(at, _)| {
        let after: String = header[at + COMMITTEE.len()..].chars().take(24).collect();
        let approved = after
            .split(['。', '\n', '；'])
            .next()
            .is_some_and(|clause| clause.contains("批准"));
        if !approved {
            return None;
        }
        // `浙江省第十三届`: the session's number is not the province's name.
        let before = &header[..at];
        let before = match before.rfind('第') {
            Some(session) if before[session..].ends_with('届') => &before[..session],
            _ => before,
        };
        // The run of characters naming it, after the date's 日 or the 经 of 经…批准.
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_han(*c))
            .last()
            .map_or(before.len(), |(at, _)| at);
        let name = before[start..].trim_start_matches(['日', '经']);
        Place::from_full_name(name)
            .filter(|province| province.full.ends_with('省') || province.full.ends_with("自治区"))
    })
}

/// The place among `places` that `query` (as typed) names first (`重庆觉得执法人员乱罚款`
/// → 重庆市); of two named at one spot, the longer name (`郑州市` before a `郑州` county of
/// another place). `None` when it names none, or nothing but a place (`上海`): there is
/// nothing then to prefer its rules for.
pub fn named_place<'a>(query: &str, places: &'a [Place]) -> Option<&'a Place> {
    let query = fold(query);
    let (place, range) = places
        .iter()
        .filter_map(|place| place.named_in(&query).map(|range| (place, range)))
        .min_by_key(|(_, range)| (range.start, std::cmp::Reverse(range.end)))?;
    let rest = [&query[..range.start], &query[range.end..]];
    rest.iter()
        .any(|text| text.chars().any(char::is_alphanumeric))
        .then_some(place)
}

/// `name` without the nationalities an autonomous division names after its place
/// (`景宁畲族` → 景宁, `彭水苗族土家族` → 彭水, `新疆维吾尔` → 新疆), never shorter than two
/// characters.
fn without_nationalities(name: &str) -> String {
    let mut name = name;
    loop {
        // `畲族` or `维吾尔`: the 族 is optional; the longest name that fits, so `土家族`
        // is not read as `家` after `土`.
        let bare = name.strip_suffix('族').unwrap_or(name);
        let rest = NATIONALITIES
            .iter()
            .filter_map(|nationality| bare.strip_suffix(nationality))
            .filter(|rest| rest.chars().count() >= 2)
            .min_by_key(|rest| rest.len());
        match rest {
            Some(rest) => name = rest,
            None => return name.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(issuer: &str) -> Option<(String, String)> {
        Place::of_issuer(issuer).map(|place| (place.full, place.short))
    }

    #[test]
    fn an_organ_names_the_place_it_binds_in() {
        let pair = |full: &str, short: &str| Some((full.to_string(), short.to_string()));
        assert_eq!(
            place("广东省人民代表大会常务委员会"),
            pair("广东省", "广东")
        );
        assert_eq!(place("上海市人民代表大会"), pair("上海市", "上海"));
        assert_eq!(place("宁乡市教育局"), pair("宁乡市", "宁乡"));
        assert_eq!(place("湖南省发展和改革委员会"), pair("湖南省", "湖南"));
        assert_eq!(place("杭州市人民政府"), pair("杭州市", "杭州"));
        assert_eq!(
            place("景宁畲族自治县人民代表大会"),
            pair("景宁畲族自治县", "景宁")
        );
        assert_eq!(
            place("彭水苗族土家族自治县人民代表大会"),
            pair("彭水苗族土家族自治县", "彭水")
        );
        assert_eq!(
            place("新疆维吾尔自治区人民政府"),
            pair("新疆维吾尔自治区", "新疆")
        );
        assert_eq!(
            place("内蒙古自治区人民代表大会常务委员会"),
            pair("内蒙古自治区", "内蒙古")
        );
        for national in [
            "国务院",
            "全国人民代表大会常务委员会",
            "国家市场监督管理总局",
            "中国人民银行",
            "最高人民法院",
            "住房和城乡建设部",
            "",
            "市",
        ] {
            assert_eq!(place(national), None, "{national}");
        }
    }

    #[test]
    fn a_local_document_without_an_organ_binds_where_its_title_says() {
        let full = |place: Option<Place>| place.map(|place| place.full);
        assert_eq!(
            full(Place::of_document(None, "上海市企业名称登记管理规定", true)).as_deref(),
            Some("上海市")
        );
        assert_eq!(
            full(Place::of_document(
                Some("广东省人民代表大会"),
                "珠江三角洲条例",
                true
            ))
            .as_deref(),
            Some("广东省")
        );
        // A national document names no place, whatever its title starts with.
        assert_eq!(
            Place::of_document(None, "上海市企业名称登记管理规定", false),
            None
        );
        assert_eq!(
            Place::of_document(Some("国务院"), "城市绿化条例", false),
            None
        );
        assert_eq!(Place::of_document(None, "城市绿化条例", true), None);
        assert_eq!(
            Place::from_full_name("景宁畲族自治县").map(|place| place.short),
            Some("景宁".to_string())
        );
        assert_eq!(Place::from_full_name("广东省人大"), None);
    }

    #[test]
    fn a_city_regulation_names_the_province_that_approved_it() {
        let province = |body: &str| approving_province(body).map(|place| place.full);
        assert_eq!(
            province("2019年9月26日浙江省第十三届人民代表大会常务委员会第十四次会议批准\n\n第一条")
                .as_deref(),
            Some("浙江省")
        );
        assert_eq!(
            province("（经山东省人民代表大会常务委员会批准）").as_deref(),
            Some("山东省")
        );
        // A province's own regulation is adopted, not approved; a national law names none.
        assert_eq!(
            province("2020年浙江省第十三届人民代表大会常务委员会第二十次会议通过"),
            None
        );
        assert_eq!(
            province("第一条 为了保障公民权利，经国务院批准，制定本法。"),
            None
        );
        let (zhejiang, ningbo) = (
            Place::from_full_name("浙江省").unwrap(),
            Place::from_full_name("宁波市").unwrap(),
        );
        let value = column_value(&ningbo, Some(&zhejiang));
        assert_eq!(value, "浙江省/宁波市");
        assert_eq!(places_of_value(&value), [zhejiang.clone(), ningbo]);
        assert_eq!(column_value(&zhejiang, Some(&zhejiang)), "浙江省");
        assert_eq!(places_of_value("不是地名"), []);
    }

    #[test]
    fn a_query_names_a_place_by_its_full_name_or_where_a_short_one_stands_alone() {
        let places: Vec<Place> = [
            "广东省人民代表大会",
            "上海市人民代表大会",
            "开封市人民代表大会",
            "北京市人民政府",
        ]
        .iter()
        .filter_map(|issuer| Place::of_issuer(issuer))
        .collect();
        let named = |query: &str| named_place(query, &places).map(|place| place.full().to_string());
        assert_eq!(named("广东失业金").as_deref(), Some("广东省"));
        assert_eq!(
            named("在上海注册公司名字能跟别人重名吗").as_deref(),
            Some("上海市")
        );
        assert_eq!(named("华侨孩子回广东上学").as_deref(), Some("广东省"));
        assert_eq!(
            named("我是广东农村的，村里账目多久公开").as_deref(),
            Some("广东省")
        );
        assert_eq!(named("村里的账，广东怎么规定").as_deref(), Some("广东省"));
        assert_eq!(named("上海市住宅物业").as_deref(), Some("上海市"));
        assert_eq!(named("廣東失業金").as_deref(), Some("广东省"));
        // Wherever it stands, before an organ of the place's government.
        assert_eq!(
            named("普通市民能不能给开封人大提立法建议").as_deref(),
            Some("开封市")
        );
        assert_eq!(named("能不能向上海法院起诉").as_deref(), Some("上海市"));
        // Not a place the question is about: a destination, a word that holds the name.
        assert_eq!(named("上访能直接去北京吗"), None);
        assert_eq!(named("买的直销产品没开封能退吗"), None);
        assert_eq!(named("失业金"), None);
        // Nothing but a place: nothing to prefer its rules for.
        assert_eq!(named("上海"), None);
    }
}
