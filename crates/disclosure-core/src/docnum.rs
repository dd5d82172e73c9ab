//! Document numbers (文号 and 令号): parsing what people type into one canonical key.
//!
//! The standard form is 机关代字 + year in 〔〕 + serial + 号 (`宁政发〔2019〕3号`); orders are
//! numbered `国务院令第656号`. People type other brackets, no brackets, `2019年`, leading
//! zeros, `第`, full-width digits, spaces, a trailing `文件`, the `中华人民共和国` prefix, and
//! Chinese numerals in orders (`主席令第七十三号`), and the year first as price offices wrote
//! it in the 1990s (`[1992]价费字198号`). All of them map to one [`DocNumber`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// A parsed document number. Two spellings of one number parse to equal values, and
/// [`DocNumber::key`] is the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocNumber {
    /// 机关代字 (`宁政发`, `法释`) or the ordering body with 令 (`国务院令`).
    pub code: String,
    /// The year of a 文号; orders have none.
    pub year: Option<u16>,
    pub serial: u32,
}

/// Why a text is not a document number, in words for the citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocNumberError {
    Empty,
    TooLong,
    /// The text has no issuing code, year and serial in a recognisable order.
    NotADocNumber,
    /// The serial has more digits than any document number has.
    SerialTooLong,
}

impl fmt::Display for DocNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocNumberError::Empty => "请输入文号，如：宁政发〔2019〕3号",
            DocNumberError::TooLong => "输入过长，不是文号",
            DocNumberError::NotADocNumber => {
                "这不是文号的格式（应如：宁政发〔2019〕3号），可改用标题中的词查找"
            }
            DocNumberError::SerialTooLong => "序号位数过多，不是有效的文号",
        })
    }
}

impl DocNumberError {
    /// The message in English, for widgets whose labels are English.
    pub fn english(&self) -> &'static str {
        match self {
            DocNumberError::Empty => "Type a document number, such as 宁政发〔2019〕3号",
            DocNumberError::TooLong => "Too long to be a document number",
            DocNumberError::NotADocNumber => {
                "This is not a document number (such as 宁政发〔2019〕3号); words of the title work too"
            }
            DocNumberError::SerialTooLong => "The serial number has too many digits",
        }
    }
}

impl std::error::Error for DocNumberError {}

/// The longest text worth trying to read as a document number.
const MAX_INPUT_CHARS: usize = 80;
/// Serial numbers beyond this many digits do not exist.
const MAX_SERIAL_DIGITS: usize = 5;
/// The national prefix of orders, which people type or leave out.
const NATIONAL_PREFIX: &str = "中华人民共和国";

impl DocNumber {
    /// Parses what a person typed.
    pub fn parse(text: &str) -> Result<DocNumber, DocNumberError> {
        if text.chars().count() > MAX_INPUT_CHARS {
            return Err(DocNumberError::TooLong);
        }
        let folded = fold(text);
        if folded.is_empty() {
            return Err(DocNumberError::Empty);
        }
        let folded = without_trailing_words(&folded);
        let folded = order_number_last(&folded.replace(NATIONAL_PREFIX, ""));
        if let Some(number) = year_first(&folded) {
            return number;
        }
        let chars: Vec<char> = folded.chars().collect();
        // The code: everything before the first digit, bracket or Chinese numeral after 令.
        let code_end = chars
            .iter()
            .position(|c| c.is_ascii_digit() || is_bracket(*c))
            .unwrap_or(chars.len());
        let (code, rest): (String, String) = (
            chars[..code_end].iter().collect(),
            chars[code_end..].iter().collect(),
        );
        let code = code.trim_end_matches('第').to_string();
        if let Some(order_code) = order_code(&code, &rest) {
            return order_code;
        }
        if !valid_code(&code) {
            return Err(DocNumberError::NotADocNumber);
        }
        parse_year_and_serial(&rest).map(|(year, serial)| DocNumber {
            code,
            year: Some(year),
            serial,
        })
    }

    /// The canonical spelling: `宁政发〔2019〕3号`, `国务院令第656号`.
    pub fn key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{}〔{year}〕{}号", self.code, self.serial),
            None => write!(f, "{}第{}号", self.code, self.serial),
        }
    }
}

/// Words people add after a number to mean the document itself (`宁政发〔2019〕3号文`,
/// `…3号文件全文`, `…8号原文`, `…号解读`, `…号通知`), in any run after the last 号.
const TRAILING_WORDS: [&str; 9] = [
    "文件", "全文", "原文", "解读", "规定", "通知", "的", "文", "件",
];

/// The text up to its last 号 when everything after it is [`TRAILING_WORDS`]; otherwise as
/// it is. An order's 令 after 号 (`国务院第656号令`) is not a trailing word.
fn without_trailing_words(folded: &str) -> String {
    let Some(at) = folded.rfind('号') else {
        return folded.to_string();
    };
    let mut tail = &folded[at + '号'.len_utf8()..];
    while !tail.is_empty() {
        match TRAILING_WORDS.iter().find(|word| tail.starts_with(**word)) {
            Some(word) => tail = &tail[word.len()..],
            None => return folded.to_string(),
        }
    }
    folded[..at + '号'.len_utf8()].to_string()
}

/// How a person names a document when they paste or type it: a number, a title in 《》, or
/// both (`《关于…的通知》（宁政发〔2019〕3号）`, `宁政发〔2019〕3号《关于…的通知》`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub number: Option<DocNumber>,
    /// The title between 《》, without them.
    pub title: Option<String>,
}

impl Citation {
    /// Reads a citation: the number outside the 《》 (before or after, in brackets or not)
    /// and the title inside; a number alone is a citation too. `None` when the text holds
    /// neither a readable number nor a title with some Han text in it (`《！？》`).
    pub fn parse(text: &str) -> Option<Citation> {
        let (Some(open), Some(close)) = (text.find('《'), text.rfind('》')) else {
            return DocNumber::parse(text).ok().map(|number| Citation {
                number: Some(number),
                title: None,
            });
        };
        if close < open {
            return None;
        }
        let title = text[open + '《'.len_utf8()..close].trim();
        let title = title.chars().any(crate_is_han).then(|| title.to_string());
        let outside = |part: &str| {
            let part = part.trim().trim_matches(|c: char| {
                matches!(
                    c,
                    '(' | ')' | '（' | '）' | '[' | ']' | '〔' | '〕' | '【' | '】'
                ) || c.is_whitespace()
            });
            DocNumber::parse(part).ok()
        };
        let number = outside(&text[close + '》'.len_utf8()..]).or_else(|| outside(&text[..open]));
        (number.is_some() || title.is_some()).then_some(Citation { number, title })
    }
}

/// The project's one folding ([`crate::text::fold`]: widths, invisible characters,
/// traditional characters), without spaces, with the brackets people use made uniform.
fn fold(text: &str) -> String {
    crate::text::fold(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〔' | '[' | '(' | '【' | '{' | '［' | '〖' | '「' => '〔',
            '〕' | ']' | ')' | '】' | '}' | '］' | '〗' | '」' => '〕',
            other => other,
        })
        .collect::<String>()
        .trim_matches(|c: char| {
            matches!(c, '。' | '.' | ',' | '，' | '、' | ';' | '；' | ':' | '：')
        })
        .to_string()
}

fn is_bracket(c: char) -> bool {
    matches!(c, '〔' | '〕')
}

/// A code is Han characters (with 、 between joint issuers), of sensible length.
fn valid_code(code: &str) -> bool {
    let count = code.chars().count();
    (1..=30).contains(&count)
        && code.chars().all(|c| crate_is_han(c) || c == '、')
        && code.chars().next().is_some_and(crate_is_han)
}

fn crate_is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x2A6DF)
}

/// An order as people say it, the serial before 令 (`国务院第215号令`, `农业部1号令`),
/// rewritten as orders are numbered (`国务院令第215号`); other text unchanged.
fn order_number_last(folded: &str) -> String {
    let Some(body) = folded.strip_suffix("号令") else {
        return folded.to_string();
    };
    let serial_start = match body.rfind('第') {
        Some(at) => at + '第'.len_utf8(),
        None => body.trim_end_matches(|c: char| c.is_ascii_digit()).len(),
    };
    let (code, serial) = body.split_at(serial_start);
    let code = code.trim_end_matches('第');
    if code.is_empty() || serial.is_empty() || code.ends_with('令') {
        return folded.to_string();
    }
    format!("{code}令第{serial}号")
}

/// An order (`…令第656号`, `…令656号`, `…令第七十三号`).
fn order_code(code: &str, rest: &str) -> Option<Result<DocNumber, DocNumberError>> {
    // The serial of an order written in Chinese numerals is part of the text before any digit.
    let (code, serial_text) = match code.find('令') {
        Some(at) if at + '令'.len_utf8() < code.len() && rest.is_empty() => {
            let after = &code[at + '令'.len_utf8()..];
            (
                code[..at + '令'.len_utf8()].to_string(),
                after.trim_start_matches('第').to_string(),
            )
        }
        _ if code.ends_with('令') => (code.to_string(), rest.to_string()),
        _ => return None,
    };
    if !valid_code(&code) {
        return Some(Err(DocNumberError::NotADocNumber));
    }
    let serial_text = serial_text.trim_start_matches('第');
    let serial_text = serial_text.strip_suffix('号').unwrap_or(serial_text);
    let serial = if serial_text.chars().all(|c| c.is_ascii_digit()) {
        parse_serial(serial_text)
    } else {
        crate::numerals::chinese_number(serial_text).ok_or(DocNumberError::NotADocNumber)
    };
    Some(serial.map(|serial| DocNumber {
        code,
        year: None,
        serial,
    }))
}

/// A year-first number, as price offices numbered their documents in the 1990s:
/// `[1992]价费字198号` is the same document as `价费字〔1992〕198号`. `None` when the text
/// does not start with a bracketed year followed by a code.
fn year_first(folded: &str) -> Option<Result<DocNumber, DocNumberError>> {
    let rest = folded.strip_prefix('〔')?;
    let (year, rest) = rest.split_once('〕')?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code_end = rest
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(rest.len());
    let code = rest[..code_end].trim_end_matches('第');
    if code.is_empty() {
        return None;
    }
    let serial = &rest[code_end..];
    let serial = serial.strip_suffix('号').unwrap_or(serial);
    Some(match year.parse::<u16>() {
        Ok(year) if (1949..=2100).contains(&year) && valid_code(code) => {
            if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_digit()) {
                Err(DocNumberError::NotADocNumber)
            } else {
                parse_serial(serial).map(|serial| DocNumber {
                    code: code.to_string(),
                    year: Some(year),
                    serial,
                })
            }
        }
        _ => Err(DocNumberError::NotADocNumber),
    })
}

/// `〔2019〕3号`, `2019年3号`, `〔2019〕第03号`, `20193号` (year and serial run together).
fn parse_year_and_serial(rest: &str) -> Result<(u16, u32), DocNumberError> {
    let rest = rest.strip_suffix('号').unwrap_or(rest);
    let rest = rest.strip_prefix('〔').unwrap_or(rest);
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (leading, after) = rest.split_at(digits_end);
    if leading.len() < 4 {
        return Err(DocNumberError::NotADocNumber);
    }
    let year: u16 = leading[..4]
        .parse()
        .map_err(|_| DocNumberError::NotADocNumber)?;
    if !(1949..=2100).contains(&year) {
        return Err(DocNumberError::NotADocNumber);
    }
    let serial_text = if leading.len() > 4 {
        // Year and serial typed together: nothing may follow.
        if !after.is_empty() {
            return Err(DocNumberError::NotADocNumber);
        }
        &leading[4..]
    } else {
        let after = after
            .strip_prefix('〕')
            .or_else(|| after.strip_prefix('年'))
            .unwrap_or(after);
        after.strip_prefix('第').unwrap_or(after)
    };
    if serial_text.is_empty() || !serial_text.chars().all(|c| c.is_ascii_digit()) {
        return Err(DocNumberError::NotADocNumber);
    }
    parse_serial(serial_text).map(|serial| (year, serial))
}

fn parse_serial(text: &str) -> Result<u32, DocNumberError> {
    let significant = text.trim_start_matches('0');
    if significant.len() > MAX_SERIAL_DIGITS {
        return Err(DocNumberError::SerialTooLong);
    }
    match significant.parse::<u32>() {
        Ok(serial) if serial > 0 => Ok(serial),
        _ => Err(DocNumberError::NotADocNumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> String {
        DocNumber::parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
            .key()
    }

    #[test]
    fn numbers_as_people_write_them_in_a_lookup_or_a_search_box() {
        let cases: [(&str, &str); 44] = [
            ("国务院第656号令", "国务院令第656号"),
            ("国务院656号令", "国务院令第656号"),
            ("国务院令656号", "国务院令第656号"),
            ("国务院令第656号", "国务院令第656号"),
            ("中华人民共和国国务院令第656号", "国务院令第656号"),
            ("国务院令第六百五十六号", "国务院令第656号"),
            ("公安部第120号令", "公安部令第120号"),
            ("公安部令第120号", "公安部令第120号"),
            ("农业部1号令", "农业部令第1号"),
            ("宁政发〔2019〕3号文", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号文件", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号文件全文", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号全文", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号原文", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号解读", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号通知", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号规定", "宁政发〔2019〕3号"),
            ("宁发改价费〔2016〕8号全文", "宁发改价费〔2016〕8号"),
            ("宁发改价费[2016]8号文件", "宁发改价费〔2016〕8号"),
            ("宁政发2019年3号文", "宁政发〔2019〕3号"),
            ("宁政发(2019)3号全文", "宁政发〔2019〕3号"),
            ("宁政发【2019】第3号文件", "宁政发〔2019〕3号"),
            ("宁政发〔2019〕3号。", "宁政发〔2019〕3号"),
            ("  宁政发〔2019〕3号  ", "宁政发〔2019〕3号"),
            ("宁政发\u{200b}〔2019〕3号", "宁政发〔2019〕3号"),
            ("宁政发〔２０１９〕３号文", "宁政发〔2019〕3号"),
            ("[1992]价费字198号", "价费字〔1992〕198号"),
            ("〔1993〕价费字164号", "价费字〔1993〕164号"),
            ("(1993)价费字164号", "价费字〔1993〕164号"),
            ("[1992]价费字198号文", "价费字〔1992〕198号"),
            ("计价格[1999]466号", "计价格〔1999〕466号"),
            ("计价格〔1999〕466号文件", "计价格〔1999〕466号"),
            ("财综〔2003〕45号", "财综〔2003〕45号"),
            ("财综[2003]45号原文", "财综〔2003〕45号"),
            ("法释〔2022〕15号文", "法释〔2022〕15号"),
            ("法释2022年13号", "法释〔2022〕13号"),
            ("法释(2023)12号", "法释〔2023〕12号"),
            ("湘政办发〔2020〕7号", "湘政办发〔2020〕7号"),
            ("湘政办发〔2020〕7号解读", "湘政办发〔2020〕7号"),
            ("宁财发〔2025〕2号的通知", "宁财发〔2025〕2号"),
            ("国办发〔2017〕47号", "国办发〔2017〕47号"),
            ("國辦發〔2017〕47號", "国办发〔2017〕47号"),
            ("发改价格〔2015〕3102号", "发改价格〔2015〕3102号"),
            ("发改价格[2015]3102号全文", "发改价格〔2015〕3102号"),
        ];
        for (typed, expected) in cases {
            assert_eq!(
                DocNumber::parse(typed).map(|n| n.key()),
                Ok(expected.to_string()),
                "{typed}"
            );
        }
    }

    #[test]
    fn citations_give_their_number_and_title() {
        let title = "关于城市道路占用费和挖掘修复费收费标准的通知";
        let number = DocNumber::parse("宁发改价费〔2016〕8号").ok();
        for typed in [
            "《关于城市道路占用费和挖掘修复费收费标准的通知》（宁发改价费〔2016〕8号）",
            "《关于城市道路占用费和挖掘修复费收费标准的通知》(宁发改价费[2016]8号)",
            "宁发改价费〔2016〕8号《关于城市道路占用费和挖掘修复费收费标准的通知》",
            "宁乡市发展和改革局《关于城市道路占用费和挖掘修复费收费标准的通知》（宁发改价费〔2016〕8号）",
        ] {
            let citation = Citation::parse(typed).unwrap_or_else(|| panic!("{typed}"));
            assert_eq!(citation.number, number, "{typed}");
            assert_eq!(citation.title.as_deref(), Some(title), "{typed}");
        }
        let alone = Citation::parse(&format!("《{title}》")).unwrap();
        assert_eq!((alone.number, alone.title.as_deref()), (None, Some(title)));
        assert_eq!(
            Citation::parse("宁政发〔2019〕3号文").unwrap().number,
            DocNumber::parse("宁政发〔2019〕3号").ok()
        );
        // Punctuation only, or nothing readable: no citation, never a wrong one.
        for nothing in [
            "《！？》",
            "《》",
            "》《",
            "《 》（ ）",
            "2023年4月27日",
            "20元",
            "13812345678",
            "随便写写",
        ] {
            assert_eq!(Citation::parse(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn what_only_looks_like_a_number_is_not_one() {
        for text in [
            "2023年4月27日",
            "20元",
            "13812345678",
            "123456789012",
            "号",
            "文件",
            "第3号",
        ] {
            assert!(DocNumber::parse(text).is_err(), "{text}");
        }
        assert!(DocNumber::parse(&"宁".repeat(10_000)).is_err());
    }

    #[test]
    fn every_spelling_people_type_has_one_key() {
        let county = "宁政发〔2019〕3号";
        let spellings = [
            "宁政发〔2019〕3号",
            "宁政发[2019]3号",
            "宁政发(2019)3号",
            "宁政发（2019）3号",
            "宁政发【2019】3号",
            "宁政发［2019］3号",
            "宁政发{2019}3号",
            "宁政发〖2019〗3号",
            "宁政发2019年3号",
            "宁政发20193号",
            "宁政发〔2019〕03号",
            "宁政发〔2019〕003号",
            "宁政发〔2019〕第3号",
            "宁政发[2019]第03号",
            "宁政发〔２０１９〕３号",
            "宁政发（２０１９）３号",
            "宁政发 〔2019〕 3号",
            " 宁政发〔2019〕3号 ",
            "宁 政 发 2019 3 号",
            "宁政发〔2019〕3号文件",
            "宁政发[2019]3号文件",
            "宁政发〔2019〕3号文",
            "宁政发〔2019〕3",
            "宁政发2019年第3号",
            "宁政发(2019)第3号文件",
            "宁政发〔2019〕3号。",
            "宁政发2019-3号",
        ];
        let mut checked = 0;
        for spelling in spellings {
            if spelling == "宁政发2019-3号" {
                // A dash is not a bracket: it stays unreadable rather than guessed.
                assert!(DocNumber::parse(spelling).is_err());
                continue;
            }
            assert_eq!(key(spelling), county, "{spelling}");
            checked += 1;
        }
        let orders = [
            ("国务院令第656号", "国务院令第656号"),
            ("国务院令656号", "国务院令第656号"),
            ("中华人民共和国国务院令第656号", "国务院令第656号"),
            ("中华人民共和国国务院令656号", "国务院令第656号"),
            ("国务院令第０６５６号", "国务院令第656号"),
            ("中华人民共和国主席令第七十三号", "主席令第73号"),
            ("主席令第三号", "主席令第3号"),
            // The serial before 令, as people say it.
            ("国务院第215号令", "国务院令第215号"),
            ("农业部1号令", "农业部令第1号"),
            ("國務院第215號令", "国务院令第215号"),
            (
                "国务院、中央军事委员会第173号令",
                "国务院、中央军事委员会令第173号",
            ),
            (
                "中华人民共和国国务院、中华人民共和国中央军事委员会令第290号",
                "国务院、中央军事委员会令第290号",
            ),
            (
                "中华人民共和国国务院、中央军事委员会令290号",
                "国务院、中央军事委员会令第290号",
            ),
            (
                "国家市场监督管理总局令第49号",
                "国家市场监督管理总局令第49号",
            ),
            ("法释〔2023〕3号", "法释〔2023〕3号"),
            ("法释(2023)3号", "法释〔2023〕3号"),
            ("法释202212号", "法释〔2022〕12号"),
            ("发改价格〔2003〕2322号", "发改价格〔2003〕2322号"),
            ("劳社部发[2008]3号", "劳社部发〔2008〕3号"),
            ("宁政办发〔2023〕15号", "宁政办发〔2023〕15号"),
            // Year first, as price offices numbered documents in the 1990s.
            ("[1992]价费字198号", "价费字〔1992〕198号"),
            ("（1992）价费字第198号", "价费字〔1992〕198号"),
            ("〔１９９２〕价费字１９８号", "价费字〔1992〕198号"),
        ];
        for (spelling, canonical) in orders {
            assert_eq!(key(spelling), canonical, "{spelling}");
            checked += 1;
        }
        assert!(checked >= 40, "{checked}");
    }

    #[test]
    fn what_is_not_a_document_number_is_recognised() {
        let cases = [
            ("", DocNumberError::Empty),
            ("   ", DocNumberError::Empty),
            ("宁政发〔20l9〕3号", DocNumberError::NotADocNumber),
            (
                "宁政发〔2019〕123456789012号",
                DocNumberError::SerialTooLong,
            ),
            ("〔〕", DocNumberError::NotADocNumber),
            ("【】()", DocNumberError::NotADocNumber),
            ("收费清单", DocNumberError::NotADocNumber),
            ("😀😀😀", DocNumberError::NotADocNumber),
            ("宁政发〔2019〕0号", DocNumberError::NotADocNumber),
            ("宁政发〔1800〕3号", DocNumberError::NotADocNumber),
            ("2019年3号", DocNumberError::NotADocNumber),
            ("宁政发", DocNumberError::NotADocNumber),
            ("国务院令", DocNumberError::NotADocNumber),
            ("[1992]价费字", DocNumberError::NotADocNumber),
            ("[1992]价费字19a8号", DocNumberError::NotADocNumber),
            ("[1800]价费字198号", DocNumberError::NotADocNumber),
        ];
        for (text, expected) in cases {
            assert_eq!(DocNumber::parse(text), Err(expected.clone()), "{text:?}");
        }
        assert_eq!(
            DocNumber::parse(&"宁".repeat(10_000)),
            Err(DocNumberError::TooLong)
        );
    }
}
