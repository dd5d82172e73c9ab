//! Fee lists (收费目录清单): what may be charged, how much, and on what legal basis.
//!
//! A county publishes three lists side by side — 行政事业性收费, 涉企行政事业性收费 and
//! 政府性基金 — and anything outside them may not be charged. This module reads a row as
//! a finance bureau writes it (amounts with full-width digits, `元` before or after the
//! number, ranges, `按…计收` texts, `免收`, several document numbers in one cell), says
//! precisely which column of a row is wrong, and filters, sorts and exports the lists the
//! same way in the index builder, the widget and the tests.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::docnum::DocNumber;
use crate::text::{csv_line, fold_width, is_han};

/// The lists a county publishes. Since 2025 four catalogues are required — 行政事业性收费,
/// 政府性基金, 涉企保证金 and 政府定价的经营服务性收费 — and counties also publish the 涉企
/// part of the first as its own list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FeeListKind {
    /// 行政事业性收费 (the whole list, enterprise-burdening items included).
    #[serde(rename = "admin")]
    Administrative,
    /// 涉企行政事业性收费.
    #[serde(rename = "enterprise")]
    Enterprise,
    /// 政府性基金.
    #[serde(rename = "fund")]
    Fund,
    /// 涉企保证金: deposits an enterprise pays and gets back.
    #[serde(rename = "deposit")]
    Deposit,
    /// 政府定价的经营服务性收费: services whose price the government sets.
    #[serde(rename = "service")]
    PricedService,
}

impl FeeListKind {
    /// Every list, in the order of the widget's tabs.
    pub const ALL: [FeeListKind; 5] = [
        FeeListKind::Administrative,
        FeeListKind::Enterprise,
        FeeListKind::Fund,
        FeeListKind::Deposit,
        FeeListKind::PricedService,
    ];

    /// The list's name as published.
    pub fn title(self) -> &'static str {
        match self {
            FeeListKind::Administrative => "行政事业性收费",
            FeeListKind::Enterprise => "涉企行政事业性收费",
            FeeListKind::Fund => "政府性基金",
            FeeListKind::Deposit => "涉企保证金",
            FeeListKind::PricedService => "政府定价的经营服务性收费",
        }
    }

    /// The short word used in addresses and file names.
    pub fn slug(self) -> &'static str {
        match self {
            FeeListKind::Administrative => "admin",
            FeeListKind::Enterprise => "enterprise",
            FeeListKind::Fund => "fund",
            FeeListKind::Deposit => "deposit",
            FeeListKind::PricedService => "service",
        }
    }

    /// The list a slug names, if any.
    pub fn from_slug(slug: &str) -> Option<FeeListKind> {
        FeeListKind::ALL
            .into_iter()
            .find(|kind| kind.slug() == slug)
    }

    /// The list a sheet or file name stands for: `涉企保证金目录清单` the deposits,
    /// `经营服务性收费` the priced services, `政府性基金目录` the fund list, `涉企收费清单`
    /// the enterprise list, anything else the whole fee list.
    pub fn from_name(name: &str) -> FeeListKind {
        if name.contains("保证金") || name.contains("deposit") {
            FeeListKind::Deposit
        } else if [
            "经营服务",
            "经营性服务",
            "服务性收费",
            "政府定价",
            "service",
        ]
        .iter()
        .any(|word| name.contains(word))
        {
            FeeListKind::PricedService
        } else if name.contains("基金") || name.contains("fund") {
            FeeListKind::Fund
        } else if name.contains("涉企") || name.contains("enterprise") {
            FeeListKind::Enterprise
        } else {
            FeeListKind::Administrative
        }
    }
}

/// 立项级次: who approved the fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    #[serde(rename = "c")]
    Central,
    #[serde(rename = "p")]
    Provincial,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::Central => "中央",
            Level::Provincial => "省",
        }
    }

    fn parse(text: &str) -> Option<Level> {
        match text {
            "中央" | "国家" | "中央级" | "国家级" => Some(Level::Central),
            "省" | "省级" | "湖南省" => Some(Level::Provincial),
            _ => None,
        }
    }
}

/// What a fee costs. Amounts are kept in 分 so that no rounding ever changes a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standard {
    Amount(u64),
    /// `50-100元`: the charge depends on the case, within these bounds.
    Range(u64, u64),
    /// 免收.
    Free,
    /// A rule in words, such as `按工程造价的1%计收`.
    Words(String),
}

const FREE_WORD: &str = "免收";

/// A standard travels in the compact file as a number of 分, a pair of them, or words.
/// Written by hand rather than as an untagged enum, whose buffering code would add tens of
/// kilobytes to every page that embeds the fee list.
impl Serialize for Standard {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Standard::Amount(fen) => serializer.serialize_u64(*fen),
            Standard::Range(low, high) => [*low, *high].serialize(serializer),
            Standard::Free => serializer.serialize_str(FREE_WORD),
            Standard::Words(words) => serializer.serialize_str(words),
        }
    }
}

impl<'de> Deserialize<'de> for Standard {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StandardVisitor)
    }
}

struct StandardVisitor;

impl<'de> serde::de::Visitor<'de> for StandardVisitor {
    type Value = Standard;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an amount in fen, a pair of amounts, or words")
    }

    fn visit_u64<E: serde::de::Error>(self, fen: u64) -> Result<Standard, E> {
        Ok(Standard::Amount(fen))
    }

    /// Readers that see JavaScript numbers (serde-wasm-bindgen) hand integers over signed.
    fn visit_i64<E: serde::de::Error>(self, fen: i64) -> Result<Standard, E> {
        u64::try_from(fen)
            .map(Standard::Amount)
            .map_err(|_| E::custom("a negative amount"))
    }

    fn visit_str<E: serde::de::Error>(self, words: &str) -> Result<Standard, E> {
        Ok(if words == FREE_WORD {
            Standard::Free
        } else {
            Standard::Words(words.to_string())
        })
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Standard, A::Error> {
        let low = seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
        let high = seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
        Ok(Standard::Range(low, high))
    }
}

/// Writes 分 as 元 the way lists do: `20`, `0.5`, `1.25`.
pub fn yuan(fen: u64) -> String {
    let (whole, cents) = (fen / 100, fen % 100);
    match cents {
        0 => whole.to_string(),
        c if c % 10 == 0 => format!("{whole}.{}", c / 10),
        c => format!("{whole}.{c:02}"),
    }
}

impl Standard {
    /// The number the list is sorted by; rules in words sort after every amount.
    pub fn sort_amount(&self) -> Option<u64> {
        match self {
            Standard::Amount(fen) | Standard::Range(fen, _) => Some(*fen),
            Standard::Free => Some(0),
            Standard::Words(_) => None,
        }
    }

    /// The standard as the 收费标准 column of a list writes it, without the unit.
    pub fn cell(&self) -> String {
        match self {
            Standard::Amount(fen) => yuan(*fen),
            Standard::Range(low, high) => format!("{}-{}", yuan(*low), yuan(*high)),
            Standard::Free => FREE_WORD.to_string(),
            Standard::Words(words) => words.clone(),
        }
    }

    /// The standard for a citizen, with its unit: `20 元/证`, `50–100 元/件`, `免收`.
    pub fn describe(&self, unit: &str) -> String {
        let amount = match self {
            Standard::Amount(fen) => yuan(*fen),
            Standard::Range(low, high) => format!("{}–{}", yuan(*low), yuan(*high)),
            Standard::Free => return FREE_WORD.to_string(),
            Standard::Words(words) if unit.is_empty() => return words.clone(),
            Standard::Words(words) => return format!("{words}（{unit}）"),
        };
        if unit.is_empty() {
            format!("{amount} 元")
        } else if unit.starts_with('元') {
            format!("{amount} {unit}")
        } else {
            format!("{amount} 元/{unit}")
        }
    }
}

/// One item (or sub-item) of a fee list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItem {
    /// 部门 (执收单位).
    #[serde(rename = "d")]
    pub department: String,
    /// 项目名称.
    #[serde(rename = "n")]
    pub item: String,
    /// 子项.
    #[serde(rename = "s", default, skip_serializing_if = "String::is_empty")]
    pub sub_item: String,
    /// 收费标准.
    #[serde(rename = "a")]
    pub standard: Standard,
    /// 计费单位, such as `元/证`.
    #[serde(rename = "u", default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// 政策依据: one [`Basis`] per document number cited, or per law named without one.
    #[serde(rename = "b", default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<Basis>,
    /// 资金管理方式, such as 缴入国库.
    #[serde(rename = "f", default, skip_serializing_if = "String::is_empty")]
    pub fund_management: String,
    /// 立项级次.
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// 涉企: the fee burdens enterprises.
    #[serde(rename = "e", default, skip_serializing_if = "std::ops::Not::not")]
    pub enterprise: bool,
    /// 备注.
    #[serde(rename = "r", default, skip_serializing_if = "String::is_empty")]
    pub remarks: String,
    /// 单位性质: what the charging unit is (行政机关, 事业单位, 企业…), as written.
    #[serde(rename = "un", default, skip_serializing_if = "String::is_empty")]
    pub unit_nature: String,
    /// 收费性质: the fee's nature (行政性, 事业性, 经营服务性…), as written.
    #[serde(rename = "nt", default, skip_serializing_if = "String::is_empty")]
    pub nature: String,
    /// 服务内容: the service a priced service list charges for.
    #[serde(rename = "sv", default, skip_serializing_if = "String::is_empty")]
    pub service: String,
}

/// One legal basis of a fee: a document number, the title of the document, or both
/// (`宁乡市财政局《关于…的通知》（宁发改价费〔2016〕8号）` keeps its number and its title).
/// At least one of the two is present.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Basis {
    /// The document number cited, which the validity lookup checks.
    pub number: Option<DocNumber>,
    /// The title as cited, with its issuers (`国家发展改革委《…》`), or a law's name.
    pub title: Option<String>,
}

impl Basis {
    /// The canonical number ([`DocNumber::key`]), if the basis cites one.
    pub fn key(&self) -> Option<String> {
        self.number.as_ref().map(DocNumber::key)
    }

    /// The basis as a list writes it: `宁政发〔2019〕3号`, `《中华人民共和国护照法》`,
    /// `财政局《关于…的通知》（财综〔2003〕45号）`. It reads back into the same basis.
    pub fn cell(&self) -> String {
        match (&self.title, &self.number) {
            (Some(title), Some(number)) => format!("{title}（{number}）"),
            (Some(title), None) => title.clone(),
            (None, Some(number)) => number.key(),
            (None, None) => String::new(),
        }
    }
}

/// Reads one basis as written; for building items in code and tests. A text that is no
/// document number becomes a title.
impl From<&str> for Basis {
    fn from(text: &str) -> Basis {
        match parse_basis(text) {
            Ok(mut bases) if bases.len() == 1 => bases.remove(0),
            _ => Basis {
                number: None,
                title: Some(text.to_string()),
            },
        }
    }
}

/// A basis travels as the number's key, the title, or `[key, title]`.
impl Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.number, &self.title) {
            (Some(number), Some(title)) => [number.key(), title.clone()].serialize(serializer),
            (Some(number), None) => serializer.serialize_str(&number.key()),
            (None, Some(title)) => serializer.serialize_str(title),
            (None, None) => serializer.serialize_str(""),
        }
    }
}

impl<'de> Deserialize<'de> for Basis {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BasisVisitor)
    }
}

struct BasisVisitor;

impl<'de> serde::de::Visitor<'de> for BasisVisitor {
    type Value = Basis;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a document number, a title, or a pair of them")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Basis, E> {
        Ok(match DocNumber::parse(text) {
            Ok(number) => Basis {
                number: Some(number),
                title: None,
            },
            Err(_) => Basis {
                number: None,
                title: Some(text.to_string()),
            },
        })
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Basis, A::Error> {
        let number: String = seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
        let title: String = seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
        let number = DocNumber::parse(&number)
            .map_err(|_| serde::de::Error::custom(format!("not a document number: {number}")))?;
        Ok(Basis {
            number: Some(number),
            title: Some(title),
        })
    }
}

/// The columns of a fee list, in the order of the reference file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Department,
    Item,
    SubItem,
    Standard,
    Unit,
    Basis,
    FundManagement,
    Level,
    Enterprise,
    Remarks,
    /// 单位性质 (optional).
    UnitNature,
    /// 收费性质 (optional).
    FeeNature,
    /// 服务内容 (optional).
    Service,
}

impl Column {
    /// Every column, in the order of our CSV export (the optional columns of the 2025
    /// catalogues last, so older exports read the same).
    pub const ALL: [Column; 13] = [
        Column::Department,
        Column::Item,
        Column::SubItem,
        Column::Standard,
        Column::Unit,
        Column::Basis,
        Column::FundManagement,
        Column::Level,
        Column::Enterprise,
        Column::Remarks,
        Column::UnitNature,
        Column::FeeNature,
        Column::Service,
    ];

    /// The header the reference file and our CSV export use.
    pub fn header(self) -> &'static str {
        match self {
            Column::Department => "部门",
            Column::Item => "项目名称",
            Column::SubItem => "子项",
            Column::Standard => "收费标准",
            Column::Unit => "计费单位",
            Column::Basis => "政策依据",
            Column::FundManagement => "资金管理方式",
            Column::Level => "立项级次",
            Column::Enterprise => "涉企",
            Column::Remarks => "备注",
            Column::UnitNature => "单位性质",
            Column::FeeNature => "收费性质",
            Column::Service => "服务内容",
        }
    }

    /// The column a header names, whatever variant the bureau used (`执收单位`,
    /// `收费项目`, `征收标准` for funds, spaces and line breaks inside merged cells).
    pub fn from_header(header: &str) -> Option<Column> {
        let header: String = header
            .chars()
            .map(fold_width)
            .filter(|c| !c.is_whitespace())
            .collect();
        let header = header.trim_start_matches('*');
        // `收费标准(元)`: the unit of a column's amounts is not part of its name.
        let header = header
            .strip_suffix("(元)")
            .or_else(|| header.strip_suffix("（元）"))
            .unwrap_or(header);
        Some(match header {
            "部门"
            | "执收单位"
            | "执收部门"
            | "收费部门"
            | "征收部门"
            | "执收单位(部门)"
            | "主管部门"
            | "收费单位"
            | "收取单位"
            | "收取部门"
            | "收费主体"
            | "实施单位"
            | "实施部门" => Column::Department,
            "项目名称"
            | "收费项目"
            | "收费项目名称"
            | "基金名称"
            | "基金项目"
            | "项目"
            | "保证金项目"
            | "保证金名称"
            | "保证金项目名称"
            | "服务项目"
            | "服务项目名称"
            | "收费项目(服务项目)" => Column::Item,
            "子项" | "子项目" | "子项名称" | "收费子项" => Column::SubItem,
            "收费标准"
            | "征收标准"
            | "标准"
            | "金额"
            | "收费金额"
            | "收取标准"
            | "缴纳标准"
            | "保证金标准"
            | "收费标准(上限)" => Column::Standard,
            "计费单位" | "单位" | "计量单位" => Column::Unit,
            "政策依据"
            | "依据"
            | "收费依据"
            | "设立依据"
            | "征收依据"
            | "政策文件依据"
            | "收取依据"
            | "定价依据"
            | "定价文件"
            | "政策依据及文号"
            | "收费依据及文号"
            | "设立依据及文号" => Column::Basis,
            "单位性质" | "执收单位性质" | "收费单位性质" | "收费主体性质" => {
                Column::UnitNature
            }
            "收费性质" | "性质" | "收费类别" => Column::FeeNature,
            "服务内容" | "服务事项" | "服务范围" => Column::Service,
            "资金管理方式" | "资金管理" | "资金管理方式及渠道" => {
                Column::FundManagement
            }
            "立项级次" | "级次" | "审批级次" => Column::Level,
            "涉企" | "是否涉企" | "涉企收费" => Column::Enterprise,
            "备注" | "说明" => Column::Remarks,
            _ => return None,
        })
    }
}

/// A row as read from a file: the text of each column found, before any checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeRow {
    cells: Vec<(Column, String)>,
}

impl FeeRow {
    pub fn set(&mut self, column: Column, text: impl Into<String>) {
        let text = text.into();
        match self.cells.iter_mut().find(|(c, _)| *c == column) {
            Some((_, existing)) => *existing = text,
            None => self.cells.push((column, text)),
        }
    }

    pub fn get(&self, column: Column) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, text)| text.trim())
            .unwrap_or("")
    }

    /// A row with nothing in any column (spreadsheets keep many).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, text)| text.trim().is_empty())
    }
}

/// What is wrong with one cell of a row ([`CellFault`]), and in which column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub column: Column,
    pub fault: CellFault,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.column.header(), self.fault)
    }
}

/// Why a cell of a fee list is refused, in words for the finance bureau (its `Display`);
/// the texts quote the cell: the 收费标准 trimmed, the 立项级次 with its runs of spaces made
/// one, the 涉企 mark width-folded and in lower case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellFault {
    /// A required cell is empty; the field as the bureau calls it (`部门`, `项目名称`).
    #[error("缺少{0}")]
    Missing(&'static str),
    /// A 收费标准 range whose lower bound is above its upper one (`100-50`).
    #[error("收费标准“{0}”的下限大于上限")]
    ReversedRange(String),
    /// A 收费标准 that is no amount, range, 免收 or rule in words (`2O`, `10元元20`).
    #[error("无法识别收费标准“{0}”（应为金额如 20、范围如 50-100、“免收”或文字说明）")]
    UnreadableStandard(String),
    /// A 收费依据 that does not read as document numbers or titles ([`parse_basis`]).
    #[error(transparent)]
    Basis(#[from] BasisError),
    /// A 立项级次 other than 中央 or 省.
    #[error("立项级次“{0}”应为“中央”或“省”")]
    Level(String),
    /// A 涉企 cell other than 是 or 否 (or their marks).
    #[error("涉企应填“是”或“否”，不是“{0}”")]
    Enterprise(String),
}

/// Amounts above this (a hundred million 元) are typing mistakes, and cannot overflow.
const MAX_FEN: u64 = 10_000_000_000;

impl FeeItem {
    /// Checks a row and makes an item of it, or says what is wrong with every bad cell.
    pub fn from_row(row: &FeeRow) -> Result<FeeItem, Vec<CellError>> {
        let mut errors = Vec::new();
        let mut required = |column: Column, what: &'static str| {
            let text = clean(row.get(column));
            if text.is_empty() {
                errors.push(CellError {
                    column,
                    fault: CellFault::Missing(what),
                });
            }
            text
        };
        let department = required(Column::Department, "部门");
        let item = required(Column::Item, "项目名称");
        let mut unit = clean(row.get(Column::Unit));
        let standard_text = row.get(Column::Standard);
        let standard = match parse_standard(standard_text) {
            Ok((standard, own_unit)) => {
                if unit.is_empty() {
                    unit = own_unit;
                }
                Some(standard)
            }
            Err(fault) => {
                errors.push(CellError {
                    column: Column::Standard,
                    fault,
                });
                None
            }
        };
        let basis = match parse_basis(row.get(Column::Basis)) {
            Ok(basis) => basis,
            Err(error) => {
                errors.push(CellError {
                    column: Column::Basis,
                    fault: error.into(),
                });
                Vec::new()
            }
        };
        let level_text = clean(row.get(Column::Level));
        let level = if level_text.is_empty() {
            None
        } else {
            let level = Level::parse(&level_text);
            if level.is_none() {
                errors.push(CellError {
                    column: Column::Level,
                    fault: CellFault::Level(level_text.clone()),
                });
            }
            level
        };
        let enterprise = match parse_yes_no(row.get(Column::Enterprise)) {
            Ok(flag) => flag,
            Err(fault) => {
                errors.push(CellError {
                    column: Column::Enterprise,
                    fault,
                });
                false
            }
        };
        match standard {
            Some(standard) if errors.is_empty() => Ok(FeeItem {
                department,
                item,
                sub_item: clean(row.get(Column::SubItem)),
                standard,
                unit,
                basis,
                fund_management: clean(row.get(Column::FundManagement)),
                level,
                enterprise,
                remarks: clean(row.get(Column::Remarks)),
                unit_nature: clean(row.get(Column::UnitNature)),
                nature: clean(row.get(Column::FeeNature)),
                service: clean(row.get(Column::Service)),
            }),
            _ => Err(errors),
        }
    }

    /// The item's name with its sub-item: `居民身份证工本费（临时居民身份证）`.
    pub fn full_name(&self) -> String {
        if self.sub_item.is_empty() {
            self.item.clone()
        } else {
            format!("{}（{}）", self.item, self.sub_item)
        }
    }

    /// The text a filter looks in: names, legal bases, department and remarks.
    pub fn haystack(&self) -> String {
        let mut text = String::new();
        let bases = self
            .basis
            .iter()
            .flat_map(|basis| [basis.key(), basis.title.clone()])
            .flatten();
        for part in [
            &self.department,
            &self.item,
            &self.sub_item,
            &self.remarks,
            &self.service,
        ]
        .into_iter()
        .cloned()
        .chain(bases)
        {
            text.push_str(&search_key(&part));
            text.push('\u{1F}');
        }
        text
    }

    /// The 政策依据 cell as our export writes it: the bases joined by `；`.
    pub fn basis_cell(&self) -> String {
        self.basis
            .iter()
            .map(Basis::cell)
            .collect::<Vec<_>>()
            .join("；")
    }

    /// The row as our CSV export writes it, in the order of [`Column::ALL`].
    pub fn cells(&self) -> [String; 13] {
        [
            self.department.clone(),
            self.item.clone(),
            self.sub_item.clone(),
            self.standard.cell(),
            self.unit.clone(),
            self.basis_cell(),
            self.fund_management.clone(),
            self.level.map(|l| l.word().to_string()).unwrap_or_default(),
            if self.enterprise { "是" } else { "否" }.to_string(),
            self.remarks.clone(),
            self.unit_nature.clone(),
            self.nature.clone(),
            self.service.clone(),
        ]
    }
}

/// Trims a cell and joins the lines of a wrapped cell.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a 收费标准 cell; returns the standard and the unit written inside it, if any.
fn parse_standard(text: &str) -> Result<(Standard, String), CellFault> {
    let folded: String = text
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    if folded.is_empty() {
        return Err(CellFault::Missing("收费标准"));
    }
    if matches!(folded.as_str(), "免收" | "免费" | "免征" | "不收费") {
        return Ok((Standard::Free, String::new()));
    }
    // `80元/件`: the unit starts at the 元 that a slash follows.
    let (amount_text, own_unit) = match folded.find("元/") {
        Some(at) => (&folded[..at], folded[at..].to_string()),
        None => (folded.as_str(), String::new()),
    };
    let amount_text = amount_text
        .trim_start_matches(['¥', '￥', '元'])
        .trim_end_matches('元');
    if let Some(fen) = parse_yuan(amount_text) {
        return Ok((
            if fen == 0 {
                Standard::Free
            } else {
                Standard::Amount(fen)
            },
            own_unit,
        ));
    }
    if let Some((low, high)) = parse_range(amount_text) {
        if low > high {
            return Err(CellFault::ReversedRange(text.trim().to_string()));
        }
        return Ok((Standard::Range(low, high), own_unit));
    }
    // A rule in words holds Chinese beyond 元; a cell of digits and stray marks is a typo.
    let has_words = folded
        .chars()
        .any(|c| is_han(c) && !matches!(c, '元' | '至' | '到'));
    if has_words {
        Ok((Standard::Words(folded_keep_spaces(text)), String::new()))
    } else {
        Err(CellFault::UnreadableStandard(text.trim().to_string()))
    }
}

fn folded_keep_spaces(text: &str) -> String {
    clean(&text.chars().map(fold_width).collect::<String>())
}

/// `20`, `0.5`, `1,000.00` as 分; `None` for anything else.
fn parse_yuan(text: &str) -> Option<u64> {
    let text: String = text.chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && (!digits(fraction) || fraction.len() > 2)) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let cents: u64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    let fen = whole.checked_mul(100)?.checked_add(cents)?;
    (fen <= MAX_FEN).then_some(fen)
}

/// `50-100`, `50～100`, `50元至100元`.
fn parse_range(text: &str) -> Option<(u64, u64)> {
    let (low, high) = text.split_once(['-', '–', '—', '~', '～', '至', '到'])?;
    let low = parse_yuan(low.trim_end_matches('元'))?;
    let high = parse_yuan(high.trim_start_matches(['¥', '￥']).trim_end_matches('元'))?;
    Some((low, high))
}

/// Separators between the bases of one 政策依据 cell.
const BASIS_SEPARATORS: [char; 7] = ['；', ';', '、', '，', ',', '\n', '\r'];

/// Reads a 政策依据 cell: document numbers in any spelling (the year first too), law
/// titles, and citations `issuers《title》（number、number）`, separated by `；` `;` `、`
/// `，` `,` or line breaks; one [`Basis`] per number. A separator inside brackets or a
/// title does not split, and issuers joined by `、` stay with their citation. A part that
/// is neither a number nor a title is refused with its text, never kept as a "basis".
pub fn parse_basis(text: &str) -> Result<Vec<Basis>, BasisError> {
    let mut basis = Vec::new();
    // A part that reads as nothing by itself, waiting to be joined to the next
    // (`国务院`、`中央军事委员会令第290号`; `发展改革局`、`财政局《…》（…）`).
    let mut pending: Option<String> = None;
    for (part, separator) in split_outside_brackets(text) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if let Some(before) = pending.take() {
            let joined = format!("{before}{separator}{part}");
            if let Ok(read) = read_basis_part(&joined) {
                basis.extend(read);
                continue;
            }
            return Err(BasisError::unusable(&before));
        }
        match read_basis_part(part) {
            Ok(read) => basis.extend(read),
            Err(BasisPartError::BadNumber(number)) => return Err(BasisError::BadNumber(number)),
            Err(BasisPartError::Unusable) => pending = Some(part.to_string()),
        }
    }
    if let Some(before) = pending {
        return Err(BasisError::unusable(&before));
    }
    if basis.is_empty() {
        return Err(BasisError::Missing);
    }
    Ok(basis)
}

/// Why a 政策依据 cell gives no legal basis, in words for the finance bureau.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BasisError {
    /// The cell is empty.
    #[error("缺少政策依据")]
    Missing,
    /// A part that looks like a document number is none.
    #[error("政策依据中的文号“{0}”无法识别")]
    BadNumber(String),
    /// A part that is neither a number nor a title (its first 40 characters).
    #[error(
        "政策依据“{0}”既不是文号也不是文件名称（文件名称请加书名号，如《中华人民共和国护照法》）"
    )]
    Unusable(String),
}

impl BasisError {
    fn unusable(text: &str) -> BasisError {
        BasisError::Unusable(text.chars().take(40).collect())
    }
}

/// Why one part of a 政策依据 cell could not be read.
enum BasisPartError {
    /// A number-like text that is no document number.
    BadNumber(String),
    /// Neither a number nor a title.
    Unusable,
}

/// The parts of a cell between separators that stand outside any bracket or title, each
/// with the separator before it.
fn split_outside_brackets(text: &str) -> Vec<(&str, char)> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut separator) = (0usize, 0usize, ' ');
    for (at, c) in text.char_indices() {
        match c {
            '《' | '（' | '(' | '〔' | '[' | '［' | '【' | '〈' => depth += 1,
            '》' | '）' | ')' | '〕' | ']' | '］' | '】' | '〉' => {
                depth = depth.saturating_sub(1)
            }
            c if depth == 0 && BASIS_SEPARATORS.contains(&c) => {
                parts.push((&text[start..at], separator));
                separator = c;
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push((&text[start..], separator));
    parts
}

/// One part: a document number, a citation with a title, or a law's name.
fn read_basis_part(part: &str) -> Result<Vec<Basis>, BasisPartError> {
    if let Some(open) = part.find('《') {
        let close = part[open..]
            .find('》')
            .map(|at| open + at + '》'.len_utf8())
            .ok_or(BasisPartError::Unusable)?;
        let title = part[..close].trim().to_string();
        let after = part[close..].trim();
        if after.is_empty() {
            return Ok(vec![Basis {
                number: None,
                title: Some(title),
            }]);
        }
        let inner = strip_brackets(after).ok_or(BasisPartError::Unusable)?;
        let mut basis = Vec::new();
        for (number, _) in split_outside_brackets(inner) {
            let number = number.trim();
            if number.is_empty() {
                continue;
            }
            let parsed =
                DocNumber::parse(number).map_err(|_| BasisPartError::BadNumber(number.into()))?;
            basis.push(Basis {
                number: Some(parsed),
                title: Some(title.clone()),
            });
        }
        return if basis.is_empty() {
            Err(BasisPartError::Unusable)
        } else {
            Ok(basis)
        };
    }
    match DocNumber::parse(part) {
        Ok(number) => Ok(vec![Basis {
            number: Some(number),
            title: None,
        }]),
        Err(_) if looks_like_doc_number(part) => Err(BasisPartError::BadNumber(part.into())),
        Err(_) if looks_like_law_name(part) => Ok(vec![Basis {
            number: None,
            title: Some(part.to_string()),
        }]),
        Err(_) => Err(BasisPartError::Unusable),
    }
}

/// The text inside one pair of brackets around the whole of `text`: `（宁政发〔2019〕3号）`.
fn strip_brackets(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let last = chars.next_back()?;
    let pairs = [('（', '）'), ('(', ')'), ('〔', '〕'), ('[', ']')];
    pairs
        .contains(&(first, last))
        .then(|| &text[first.len_utf8()..text.len() - last.len_utf8()])
}

/// A law or regulation named without 书名号: Han characters ending in the word for its kind
/// (`中华人民共和国护照法`, `土地复垦条例`).
fn looks_like_law_name(text: &str) -> bool {
    let count = text.chars().count();
    (4..=80).contains(&count)
        && text.chars().all(|c| is_han(c) || c == '、' || c == '·')
        && crate::title_kind::kind_word(text).is_some()
}

fn looks_like_doc_number(text: &str) -> bool {
    !text.contains('《')
        && text
            .chars()
            .any(|c| matches!(c, '〔' | '〕' | '[' | ']' | '［' | '］' | '【' | '】'))
        && text
            .chars()
            .any(|c| c.is_ascii_digit() || fold_width(c).is_ascii_digit())
}

fn parse_yes_no(text: &str) -> Result<bool, CellFault> {
    let text: String = text.chars().map(fold_width).collect();
    match text.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "√" | "✓" | "涉企" => Ok(true),
        // An empty 涉企 cell means the fee does not burden enterprises, as lists leave it.
        "" | "否" | "n" | "no" | "×" | "-" => Ok(false),
        other => Err(CellFault::Enterprise(other.to_string())),
    }
}

/// Folds text for matching what people type against the lists: the project's one folding
/// ([`crate::text::fold`]: widths, case, invisible characters, traditional characters),
/// every kind of bracket in document numbers, spaces.
pub fn search_key(text: &str) -> String {
    crate::text::fold(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〔' | '【' | '(' | '（' | '[' | '［' | '﹝' => '[',
            '〕' | '】' | ')' | '）' | ']' | '］' | '﹞' => ']',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// How the widget orders a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeeSort {
    /// By department, in the order the list publishes them, then as published.
    #[default]
    Department,
    AmountAscending,
    AmountDescending,
}

/// What the citizen narrowed the list to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeFilter {
    /// Fragments typed, all of which must occur.
    pub text: String,
    pub enterprise_only: bool,
    pub department: Option<String>,
}

/// Items prepared once for filtering as the citizen types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeIndex {
    pub items: Vec<FeeItem>,
    haystacks: Vec<String>,
    /// Each item's department's place among [`FeeIndex::departments`].
    department_ranks: Vec<usize>,
}

impl FeeIndex {
    pub fn new(items: Vec<FeeItem>) -> FeeIndex {
        let haystacks = items.iter().map(FeeItem::haystack).collect();
        let mut index = FeeIndex {
            items,
            haystacks,
            department_ranks: Vec::new(),
        };
        let departments: Vec<String> = index
            .departments()
            .into_iter()
            .map(|(name, _)| name.to_string())
            .collect();
        index.department_ranks = index
            .items
            .iter()
            .map(|item| {
                departments
                    .iter()
                    .position(|d| *d == item.department)
                    .unwrap_or(0)
            })
            .collect();
        index
    }

    /// The positions of the items the filter keeps, in the order asked for.
    pub fn select(&self, filter: &FeeFilter, sort: FeeSort) -> Vec<usize> {
        let needles: Vec<String> = filter.text.split_whitespace().map(search_key).collect();
        let mut chosen: Vec<usize> = (0..self.items.len())
            .filter(|&i| {
                let item = &self.items[i];
                (!filter.enterprise_only || item.enterprise)
                    && filter
                        .department
                        .as_ref()
                        .is_none_or(|department| &item.department == department)
                    && needles
                        .iter()
                        .all(|needle| self.haystacks[i].contains(needle.as_str()))
            })
            .collect();
        match sort {
            FeeSort::Department => chosen.sort_by_key(|i| (self.department_ranks[*i], *i)),
            FeeSort::AmountAscending | FeeSort::AmountDescending => {
                let descending = sort == FeeSort::AmountDescending;
                chosen.sort_by(|a, b| {
                    let (x, y) = (
                        self.items[*a].standard.sort_amount(),
                        self.items[*b].standard.sort_amount(),
                    );
                    let by_amount = match (x, y) {
                        (Some(x), Some(y)) if descending => y.cmp(&x),
                        (Some(x), Some(y)) => x.cmp(&y),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => Ordering::Equal,
                    };
                    by_amount.then(a.cmp(b))
                });
            }
        }
        chosen
    }

    /// Departments in the order they first appear, with their number of items.
    pub fn departments(&self) -> Vec<(&str, usize)> {
        let mut departments: Vec<(&str, usize)> = Vec::new();
        for item in &self.items {
            match departments.iter_mut().find(|(d, _)| *d == item.department) {
                Some((_, count)) => *count += 1,
                None => departments.push((&item.department, 1)),
            }
        }
        departments
    }
}

/// The format word of [`FeeFile`] this code writes; a widget refuses a file it does not
/// know. Version 2 adds the two catalogues of 2025, each list's name, version, notice and
/// changes, the optional columns, and bases cited with their title (`[number, title]`),
/// which a reader of version 1 cannot read.
pub const FEES_FORMAT: &str = "disclosure-fees/2";

/// The format words this code reads: its own, and version 1 (three lists, bases as text),
/// whose every field it still understands.
pub const READABLE_FEES_FORMATS: [&str; 2] = [FEES_FORMAT, "disclosure-fees/1"];

/// The compact file the fee-list widget downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeFile {
    pub format: String,
    /// The lists as published; a county without a separate 涉企 list gets it derived
    /// from the 涉企 items of the whole list ([`FeeFile::list`]).
    pub lists: Vec<FeeList>,
}

/// One published list: its kind, how it is published (name, version date, notice), its
/// items, and what changed since the version published before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeList {
    pub kind: FeeListKind,
    pub items: Vec<FeeItem>,
    /// The list's published name (`宁乡市行政事业性收费目录清单（2025年版）`); empty when the
    /// file gave none ([`FeeList::display_name`] then names it by its kind).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The version date, ISO (`2025-03-01`), read once by [`crate::parse_date`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The issuing notice's document number (its canonical [`DocNumber::key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// 动态调整情况说明: what changed since the previous published version, when the
    /// builder was given it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<FeeChanges>,
}

impl FeeList {
    /// A list of `items` with nothing known of its publication.
    pub fn new(kind: FeeListKind, items: Vec<FeeItem>) -> FeeList {
        FeeList {
            kind,
            items,
            name: String::new(),
            version: None,
            notice: None,
            changes: None,
        }
    }

    /// The name to show: the published one, or `{county}{kind}目录清单`.
    pub fn display_name(&self, county: &str) -> String {
        if self.name.is_empty() {
            format!("{county}{}目录清单", self.kind.title())
        } else {
            self.name.clone()
        }
    }

    /// The lines a download or printout carries above the table: name, version, notice.
    pub fn heading_lines(&self, county: &str) -> Vec<String> {
        let mut lines = vec![self.display_name(county)];
        if let Some(version) = &self.version {
            lines.push(format!("{VERSION_LABEL}：{version}"));
        }
        if let Some(notice) = &self.notice {
            lines.push(format!("{NOTICE_LABEL}：{notice}"));
        }
        lines
    }
}

/// Why a line above a list's table cannot be read, in words for the finance bureau.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadingError {
    /// `版本日期：…` holds no date.
    #[error("版本日期“{0}”无法识别（应如 2025-03-01）")]
    Version(String),
    /// `发布文号：…` holds no document number.
    #[error("发布文号“{0}”不是可识别的文号")]
    Notice(String),
}

/// The label of a list's version date above its table.
pub const VERSION_LABEL: &str = "版本日期";
/// The label of a list's issuing notice above its table.
pub const NOTICE_LABEL: &str = "发布文号";
/// The heading that starts the changes below a list in our CSV export; the importer stops
/// reading items there.
pub const CHANGES_HEADING: &str = "本次调整（动态调整情况说明）";

/// What a line above a list's table says about the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListHeading {
    /// The list's title (a line naming a 清单 or 目录).
    Name(String),
    /// `版本日期：2025年3月1日`, `更新日期：2025-03-01`.
    Version(time::Date),
    /// `发布文号：宁财综〔2025〕3号`, `文号：…`.
    Notice(DocNumber),
}

impl ListHeading {
    /// Reads one line (cell) above the table; `Ok(None)` when it says nothing about the
    /// list, an error when it names a date or number that cannot be read.
    pub fn read(text: &str) -> Result<Option<ListHeading>, HeadingError> {
        let text = text.trim();
        let labelled = |labels: &[&str]| {
            labels.iter().find_map(|label| {
                text.strip_prefix(label)
                    .map(|rest| rest.trim_start_matches([':', '：', ' ', '\u{3000}']).trim())
            })
        };
        if let Some(date) = labelled(&[VERSION_LABEL, "版本", "更新日期", "更新时间", "发布日期"])
        {
            return crate::parse_date(date)
                .map(|date| Some(ListHeading::Version(date)))
                .map_err(|_| HeadingError::Version(date.to_string()));
        }
        if let Some(number) = labelled(&[NOTICE_LABEL, "印发文号", "文号", "发文字号"]) {
            return DocNumber::parse(number)
                .map(|number| Some(ListHeading::Notice(number)))
                .map_err(|_| HeadingError::Notice(number.to_string()));
        }
        if (text.contains("清单") || text.contains("目录")) && text.chars().count() <= 80 {
            return Ok(Some(ListHeading::Name(clean(text))));
        }
        Ok(None)
    }

    /// Records what the line says on `list`.
    pub fn apply(self, list: &mut FeeList) {
        match self {
            ListHeading::Name(name) => list.name = name,
            ListHeading::Version(date) => {
                list.version = Some(format!(
                    "{:04}-{:02}-{:02}",
                    date.year(),
                    u8::from(date.month()),
                    date.day()
                ))
            }
            ListHeading::Notice(number) => list.notice = Some(number.key()),
        }
    }
}

/// A field whose change the 动态调整情况说明 reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangedField {
    /// 收费标准 (in 分, or its words).
    #[serde(rename = "standard")]
    Standard,
    /// 计费单位.
    #[serde(rename = "unit")]
    Unit,
    /// 政策依据.
    #[serde(rename = "basis")]
    Basis,
    /// 涉企.
    #[serde(rename = "enterprise")]
    Enterprise,
}

impl ChangedField {
    /// The field's name in the list's language.
    pub fn word(self) -> &'static str {
        match self {
            ChangedField::Standard => "收费标准",
            ChangedField::Unit => "计费单位",
            ChangedField::Basis => "政策依据",
            ChangedField::Enterprise => "涉企",
        }
    }
}

/// One field of an item that changed, with its old and new values as the list writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: ChangedField,
    /// The previous version's value, as the list writes it (`10 元/证`, `是`).
    pub old: String,
    /// This version's value.
    pub new: String,
}

/// An item present in both versions whose standard, unit, basis or 涉企 changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeChange {
    /// The item as it is now.
    pub item: FeeItem,
    /// Each field that changed, in the order of [`ChangedField`].
    pub fields: Vec<FieldChange>,
}

/// 动态调整情况说明: the items added, removed and changed since the previous version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeChanges {
    /// The previous version's date, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Items of this version that the previous one did not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<FeeItem>,
    /// Items of the previous version that this one no longer has (no longer chargeable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<FeeItem>,
    /// Items of both versions whose standard, unit, basis or 涉企 changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<FeeChange>,
}

impl FeeChanges {
    /// Nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Compares two versions of one list. Items are the same item when department, name
    /// and sub-item agree after folding (full-width forms, spaces, brackets); repeated
    /// names pair in order.
    pub fn between(previous: &FeeList, current: &FeeList) -> FeeChanges {
        use std::collections::HashMap;
        let identity = |item: &FeeItem| {
            (
                search_key(&item.department),
                search_key(&item.item),
                search_key(&item.sub_item),
            )
        };
        let mut old_by_identity: HashMap<_, std::collections::VecDeque<usize>> = HashMap::new();
        for (at, item) in previous.items.iter().enumerate() {
            old_by_identity
                .entry(identity(item))
                .or_default()
                .push_back(at);
        }
        let mut matched = vec![false; previous.items.len()];
        let mut changes = FeeChanges {
            since: previous.version.clone(),
            ..FeeChanges::default()
        };
        for item in &current.items {
            let Some(at) = old_by_identity
                .get_mut(&identity(item))
                .and_then(|queue| queue.pop_front())
            else {
                changes.added.push(item.clone());
                continue;
            };
            matched[at] = true;
            let old = &previous.items[at];
            let yes_no = |flag: bool| if flag { "是" } else { "否" }.to_string();
            let fields: Vec<FieldChange> = [
                (
                    ChangedField::Standard,
                    old.standard.describe(&old.unit),
                    item.standard.describe(&item.unit),
                    old.standard != item.standard,
                ),
                (
                    ChangedField::Unit,
                    old.unit.clone(),
                    item.unit.clone(),
                    old.unit != item.unit,
                ),
                (
                    ChangedField::Basis,
                    old.basis_cell(),
                    item.basis_cell(),
                    old.basis != item.basis,
                ),
                (
                    ChangedField::Enterprise,
                    yes_no(old.enterprise),
                    yes_no(item.enterprise),
                    old.enterprise != item.enterprise,
                ),
            ]
            .into_iter()
            .filter(|(_, _, _, differs)| *differs)
            .map(|(field, old, new, _)| FieldChange { field, old, new })
            .collect();
            if !fields.is_empty() {
                changes.changed.push(FeeChange {
                    item: item.clone(),
                    fields,
                });
            }
        }
        changes.removed = previous
            .items
            .iter()
            .zip(&matched)
            .filter(|(_, matched)| !**matched)
            .map(|(item, _)| item.clone())
            .collect();
        changes
    }

    /// The changes as CSV lines below a list: a heading, then one line per added or
    /// removed item and per changed field (调整, 部门, 项目名称, 子项, 调整内容, 原值, 新值).
    pub fn csv_lines(&self) -> String {
        let mut csv = csv_line([CHANGES_HEADING]);
        if let Some(since) = &self.since {
            csv.push_str(&csv_line([format!("与 {since} 版相比").as_str()]));
        }
        csv.push_str(&csv_line([
            "调整",
            "部门",
            "项目名称",
            "子项",
            "调整内容",
            "原值",
            "新值",
        ]));
        let mut line = |what: &str, item: &FeeItem, field: &str, old: &str, new: &str| {
            csv.push_str(&csv_line([
                what,
                item.department.as_str(),
                item.item.as_str(),
                item.sub_item.as_str(),
                field,
                old,
                new,
            ]));
        };
        for item in &self.added {
            line("新增", item, "", "", &item.standard.describe(&item.unit));
        }
        for item in &self.removed {
            line("取消", item, "", &item.standard.describe(&item.unit), "");
        }
        for change in &self.changed {
            for field in &change.fields {
                line(
                    "调整",
                    &change.item,
                    field.field.word(),
                    &field.old,
                    &field.new,
                );
            }
        }
        if self.is_empty() {
            csv.push_str(&csv_line(["本次无调整"]));
        }
        csv
    }
}

impl FeeFile {
    /// Whether this code reads the file's format ([`READABLE_FEES_FORMATS`]).
    pub fn is_readable(&self) -> bool {
        READABLE_FEES_FORMATS.contains(&self.format.as_str())
    }

    /// The items of one list.
    pub fn list(&self, kind: FeeListKind) -> Vec<FeeItem> {
        self.published(kind).items
    }

    /// One list as published: the list itself, or for a county without a separate 涉企
    /// list, the 涉企 items of the whole list under the whole list's version and notice.
    pub fn published(&self, kind: FeeListKind) -> FeeList {
        let published = |kind: FeeListKind| self.lists.iter().find(|list| list.kind == kind);
        match (kind, published(kind)) {
            (_, Some(list)) => list.clone(),
            (FeeListKind::Enterprise, None) => match published(FeeListKind::Administrative) {
                Some(whole) => {
                    let enterprise = |items: &[FeeItem]| -> Vec<FeeItem> {
                        items
                            .iter()
                            .filter(|item| item.enterprise)
                            .cloned()
                            .collect()
                    };
                    FeeList {
                        kind,
                        items: enterprise(&whole.items),
                        name: String::new(),
                        version: whole.version.clone(),
                        notice: whole.notice.clone(),
                        changes: whole.changes.as_ref().map(|changes| FeeChanges {
                            since: changes.since.clone(),
                            added: enterprise(&changes.added),
                            removed: enterprise(&changes.removed),
                            changed: changes
                                .changed
                                .iter()
                                .filter(|change| {
                                    change.item.enterprise
                                        || change
                                            .fields
                                            .iter()
                                            .any(|f| f.field == ChangedField::Enterprise)
                                })
                                .cloned()
                                .collect(),
                        }),
                    }
                }
                None => FeeList::new(kind, Vec::new()),
            },
            (_, None) => FeeList::new(kind, Vec::new()),
        }
    }
}

/// The items as a CSV file that Excel opens with its Chinese intact (a byte-order mark
/// first) and that the index builder reads back with the same columns.
pub fn to_csv<'a>(items: impl IntoIterator<Item = &'a FeeItem>) -> String {
    let mut csv = String::from("\u{FEFF}");
    csv.push_str(&csv_line(Column::ALL.iter().map(|c| c.header())));
    for item in items {
        csv.push_str(&csv_line(item.cells().iter().map(String::as_str)));
    }
    csv
}

/// A list as a CSV file: its name, version date and notice above the table, the items
/// (the view's, in its order), and its 动态调整情况说明 below, when it has one. The index
/// builder reads it back: the heading lines name the list, the changes are not items.
pub fn list_to_csv<'a>(
    list: &FeeList,
    county: &str,
    items: impl IntoIterator<Item = &'a FeeItem>,
) -> String {
    let mut csv = String::from("\u{FEFF}");
    for line in list.heading_lines(county) {
        csv.push_str(&csv_line([line.as_str()]));
    }
    csv.push_str(&to_csv(items)['\u{FEFF}'.len_utf8()..]);
    if let Some(changes) = &list.changes {
        csv.push_str(&csv_line([""]));
        csv.push_str(&changes.csv_lines());
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(Column, &str)]) -> FeeRow {
        let mut row = FeeRow::default();
        for (column, text) in cells {
            row.set(*column, *text);
        }
        row
    }

    fn good_row(standard: &str) -> FeeRow {
        row(&[
            (Column::Department, "公安"),
            (Column::Item, "居民身份证工本费"),
            (Column::SubItem, "临时居民身份证"),
            (Column::Standard, standard),
            (Column::Unit, "元/证"),
            (Column::Basis, "发改价格〔2003〕2322号"),
            (Column::FundManagement, "缴入国库"),
            (Column::Level, "中央"),
            (Column::Enterprise, "否"),
        ])
    }

    fn standard(text: &str) -> Result<Standard, Vec<CellError>> {
        FeeItem::from_row(&good_row(text)).map(|item| item.standard)
    }

    #[test]
    fn reads_amounts_however_they_are_written() {
        for text in [
            "10",
            "１０",
            "10元",
            "元10",
            "￥10",
            "10.00",
            " 10 元 ",
            "１０．００元",
        ] {
            assert_eq!(standard(text), Ok(Standard::Amount(1000)), "{text}");
        }
        assert_eq!(standard("0.5"), Ok(Standard::Amount(50)));
        assert_eq!(standard("1,000"), Ok(Standard::Amount(100_000)));
        assert_eq!(standard("50-100元"), Ok(Standard::Range(5000, 10000)));
        assert_eq!(standard("50元～100元"), Ok(Standard::Range(5000, 10000)));
        assert_eq!(standard("50至100"), Ok(Standard::Range(5000, 10000)));
        assert_eq!(standard("免收"), Ok(Standard::Free));
        assert_eq!(standard("0"), Ok(Standard::Free));
        assert_eq!(
            standard("按工程造价的 1% 计收"),
            Ok(Standard::Words("按工程造价的 1% 计收".into()))
        );
    }

    #[test]
    fn refuses_standards_that_are_not_amounts_and_says_why() {
        for text in [
            "",
            "10元元20",
            "2O",
            "1.234",
            "100-50",
            "99999999999999",
            "--",
        ] {
            let errors = standard(text).unwrap_err();
            assert_eq!(errors.len(), 1, "{text}");
            assert_eq!(errors[0].column, Column::Standard, "{text}");
        }
        assert_eq!(
            standard("100-50").unwrap_err()[0].fault,
            CellFault::ReversedRange("100-50".into())
        );
        assert!(standard("100-50").unwrap_err()[0]
            .to_string()
            .contains("下限大于上限"));
    }

    #[test]
    fn a_unit_inside_the_standard_is_used_when_the_unit_column_is_empty() {
        let mut row = good_row("80元/件");
        row.set(Column::Unit, "");
        let item = FeeItem::from_row(&row).unwrap();
        assert_eq!(
            (item.standard, item.unit.as_str()),
            (Standard::Amount(8000), "元/件")
        );
    }

    #[test]
    fn legal_bases_are_document_numbers_in_canonical_form_or_law_titles() {
        let mut row = good_row("100");
        row.set(
            Column::Basis,
            "计价格[1999]466号；湘发改价费规（2021）417号、《中华人民共和国护照法》",
        );
        let item = FeeItem::from_row(&row).unwrap();
        let cells: Vec<String> = item.basis.iter().map(Basis::cell).collect();
        assert_eq!(
            cells,
            [
                "计价格〔1999〕466号",
                "湘发改价费规〔2021〕417号",
                "《中华人民共和国护照法》"
            ]
        );
        row.set(Column::Basis, "发改价格〔2003〕");
        let errors = FeeItem::from_row(&row).unwrap_err();
        assert_eq!(errors[0].column, Column::Basis);
        assert!(matches!(errors[0].fault, CellFault::Basis(_)));
        assert!(errors[0].to_string().contains("发改价格〔2003〕"));
    }

    #[test]
    fn every_bad_cell_of_a_row_is_named() {
        let row = row(&[
            (Column::Item, "护照加注费"),
            (Column::Standard, "二十"),
            (Column::Basis, ""),
            (Column::Level, "县"),
            (Column::Enterprise, "也许"),
        ]);
        let errors = FeeItem::from_row(&row).unwrap_err();
        let columns: Vec<Column> = errors.iter().map(|e| e.column).collect();
        // 二十 is a rule in words as far as the reader can tell, so it is not an error.
        assert_eq!(
            columns,
            [
                Column::Department,
                Column::Basis,
                Column::Level,
                Column::Enterprise
            ]
        );
        assert_eq!(errors[0].to_string(), "部门: 缺少部门");
    }

    #[test]
    fn headers_are_recognised_in_their_variants() {
        assert_eq!(Column::from_header("执收单位"), Some(Column::Department));
        assert_eq!(Column::from_header(" 收费\n标准 "), Some(Column::Standard));
        assert_eq!(Column::from_header("基金名称"), Some(Column::Item));
        assert_eq!(Column::from_header("序号"), None);
        for column in Column::ALL {
            assert_eq!(Column::from_header(column.header()), Some(column));
        }
    }

    fn index() -> FeeIndex {
        let item =
            |department: &str, name: &str, standard: Standard, basis: &str, e: bool| FeeItem {
                department: department.into(),
                item: name.into(),
                sub_item: String::new(),
                standard,
                unit: "元/件".into(),
                basis: vec![basis.into()],
                fund_management: "缴入国库".into(),
                level: Some(Level::Central),
                enterprise: e,
                remarks: String::new(),
                unit_nature: String::new(),
                nature: String::new(),
                service: String::new(),
            };
        FeeIndex::new(vec![
            item(
                "公安",
                "居民身份证工本费",
                Standard::Amount(2000),
                "发改价格〔2003〕2322号",
                false,
            ),
            item(
                "自然资源",
                "不动产登记费",
                Standard::Amount(55000),
                "发改价格规〔2016〕2559号",
                true,
            ),
            item(
                "公安",
                "机动车号牌工本费",
                Standard::Range(500, 10000),
                "发改价格〔2004〕2831号",
                true,
            ),
            item(
                "教育",
                "普通高中学费",
                Standard::Words("按各地文件".into()),
                "教财〔2020〕5号",
                false,
            ),
            item(
                "外事",
                "代填签证申请表",
                Standard::Free,
                "财综〔2003〕45号",
                false,
            ),
        ])
    }

    #[test]
    fn filters_on_chinese_fragments_and_document_numbers_in_any_spelling() {
        let index = index();
        let select = |text: &str| {
            index.select(
                &FeeFilter {
                    text: text.into(),
                    ..Default::default()
                },
                FeeSort::Department,
            )
        };
        assert_eq!(select("身份"), [0]);
        assert_eq!(select("工本费"), [0, 2]);
        assert_eq!(select("登记"), [1]);
        assert_eq!(select("2559"), [1]);
        assert_eq!(select("发改价格[2004]"), [2]);
        assert_eq!(select("发改价格（２００４）"), [2]);
        assert_eq!(select("公安 号牌"), [2]);
        assert_eq!(select("不存在的收费"), Vec::<usize>::new());
        assert_eq!(select(""), [0, 2, 1, 3, 4]);
        let enterprise = index.select(
            &FeeFilter {
                enterprise_only: true,
                ..Default::default()
            },
            FeeSort::Department,
        );
        assert_eq!(enterprise, [2, 1]);
        let department = index.select(
            &FeeFilter {
                department: Some("公安".into()),
                ..Default::default()
            },
            FeeSort::Department,
        );
        assert_eq!(department, [0, 2]);
    }

    #[test]
    fn sorts_by_amount_with_rules_in_words_last() {
        let index = index();
        assert_eq!(
            index.select(&FeeFilter::default(), FeeSort::AmountAscending),
            [4, 2, 0, 1, 3]
        );
        assert_eq!(
            index.select(&FeeFilter::default(), FeeSort::AmountDescending),
            [1, 0, 2, 4, 3]
        );
        assert_eq!(
            index.departments(),
            [("公安", 2), ("自然资源", 1), ("教育", 1), ("外事", 1)]
        );
    }

    #[test]
    fn csv_export_reads_back_into_the_same_items_and_defuses_formulas() {
        let index = index();
        let csv = to_csv(&index.items);
        assert!(csv.starts_with('\u{FEFF}'));
        let mut lines = csv.trim_start_matches('\u{FEFF}').lines();
        let headers: Vec<Column> = lines
            .next()
            .unwrap()
            .split(',')
            .map(|h| Column::from_header(h).unwrap())
            .collect();
        for (line, expected) in lines.zip(&index.items) {
            let mut row = FeeRow::default();
            for (column, cell) in headers.iter().zip(line.split(',')) {
                row.set(*column, cell);
            }
            assert_eq!(&FeeItem::from_row(&row).unwrap(), expected);
        }
    }

    #[test]
    fn a_file_of_the_first_format_still_reads_and_an_unknown_one_is_refused() {
        let first = r#"{"format":"disclosure-fees/1","lists":[{"kind":"admin","items":[
            {"d":"公安","n":"护照加注费","a":2000,"u":"元/次","b":["价费字〔1993〕164号","《中华人民共和国护照法》"]}]}]}"#;
        let file: FeeFile = serde_json::from_str(first).unwrap();
        assert!(file.is_readable());
        let item = &file.lists[0].items[0];
        assert_eq!(item.basis[0].key().as_deref(), Some("价费字〔1993〕164号"));
        assert_eq!(
            item.basis[1].title.as_deref(),
            Some("《中华人民共和国护照法》")
        );
        assert!(file.lists[0].changes.is_none() && file.lists[0].name.is_empty());
        let later = FeeFile {
            format: "disclosure-fees/3".into(),
            lists: Vec::new(),
        };
        assert!(!later.is_readable());
    }

    #[test]
    fn standards_are_described_with_their_unit_and_travel_compactly() {
        assert_eq!(Standard::Amount(2000).describe("元/证"), "20 元/证");
        assert_eq!(
            Standard::Range(5000, 10050).describe("元/件"),
            "50–100.5 元/件"
        );
        assert_eq!(Standard::Free.describe("元/本"), "免收");
        assert_eq!(Standard::Amount(125).describe(""), "1.25 元");
        let json = serde_json::to_string(&[
            Standard::Amount(2000),
            Standard::Range(1, 2),
            Standard::Free,
            Standard::Words("按面积".into()),
        ])
        .unwrap();
        assert_eq!(json, r#"[2000,[1,2],"免收","按面积"]"#);
        let back: Vec<Standard> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[2], Standard::Free);
    }

    #[test]
    fn the_enterprise_list_is_derived_when_not_published() {
        let items = index().items;
        let file = FeeFile {
            format: FEES_FORMAT.into(),
            lists: vec![FeeList::new(FeeListKind::Administrative, items)],
        };
        let enterprise = file.list(FeeListKind::Enterprise);
        assert_eq!(enterprise.len(), 2);
        // The derived list shares the whole list's version and notice, and the 涉企 part
        // of its changes.
        let mut whole = file.lists[0].clone();
        whole.version = Some("2025-03-01".into());
        whole.notice = Some("宁财综〔2025〕3号".into());
        let mut previous = FeeList::new(FeeListKind::Administrative, whole.items.clone());
        previous
            .items
            .retain(|item| item.item != "不动产登记费" && item.item != "普通高中学费");
        whole.changes = Some(FeeChanges::between(&previous, &whole));
        let file = FeeFile {
            format: FEES_FORMAT.into(),
            lists: vec![whole],
        };
        let derived = file.published(FeeListKind::Enterprise);
        assert_eq!(derived.version.as_deref(), Some("2025-03-01"));
        assert_eq!(derived.notice.as_deref(), Some("宁财综〔2025〕3号"));
        let added: Vec<&str> = derived
            .changes
            .as_ref()
            .unwrap()
            .added
            .iter()
            .map(|i| i.item.as_str())
            .collect();
        assert_eq!(added, ["不动产登记费"]);
        assert!(file.list(FeeListKind::Fund).is_empty());
        assert_eq!(
            FeeListKind::from_name("政府性基金目录清单"),
            FeeListKind::Fund
        );
        assert_eq!(FeeListKind::from_name("涉企收费"), FeeListKind::Enterprise);
        assert_eq!(
            FeeListKind::from_name("Sheet1"),
            FeeListKind::Administrative
        );
    }

    /// Each basis of a cell as (number's key, title).
    type KeyAndTitle = (Option<String>, Option<String>);

    fn bases(text: &str) -> Result<Vec<KeyAndTitle>, String> {
        parse_basis(text)
            .map(|bases| {
                bases
                    .into_iter()
                    .map(|basis| (basis.key(), basis.title))
                    .collect()
            })
            .map_err(|error| error.to_string())
    }

    #[test]
    fn year_first_numbers_and_several_numbers_in_one_cell_are_each_a_basis() {
        let keys = |text: &str| -> Vec<String> {
            bases(text)
                .unwrap_or_else(|e| panic!("{text}: {e}"))
                .into_iter()
                .map(|(key, _)| key.unwrap())
                .collect()
        };
        assert_eq!(
            keys("计价格[1999]466号,[1992]价费字198号"),
            ["计价格〔1999〕466号", "价费字〔1992〕198号"]
        );
        for separator in ["，", "、", "；", ";", ",", "\n"] {
            assert_eq!(
                keys(&format!("财综〔2003〕45号{separator}（1992）价费字第198号")),
                ["财综〔2003〕45号", "价费字〔1992〕198号"],
                "{separator:?}"
            );
        }
        // Joint issuers of an order stay one number.
        assert_eq!(
            keys("国务院、中央军事委员会令第290号"),
            ["国务院、中央军事委员会令第290号"]
        );
    }

    #[test]
    fn a_citation_keeps_its_title_and_its_issuers_with_each_number() {
        let read = bases("宁乡市发展和改革局、宁乡市财政局《关于城市道路占用费和挖掘修复费收费标准的通知》（宁发改价费〔2016〕8号）").unwrap();
        let title =
            "宁乡市发展和改革局、宁乡市财政局《关于城市道路占用费和挖掘修复费收费标准的通知》";
        assert_eq!(
            read,
            [(Some("宁发改价费〔2016〕8号".into()), Some(title.into()))]
        );
        let two = bases(
            "财政部《关于…的通知》(财综[2003]45号、[1992]价费字198号)；《中华人民共和国护照法》",
        )
        .unwrap();
        assert_eq!(
            two,
            [
                (
                    Some("财综〔2003〕45号".into()),
                    Some("财政部《关于…的通知》".into())
                ),
                (
                    Some("价费字〔1992〕198号".into()),
                    Some("财政部《关于…的通知》".into())
                ),
                (None, Some("《中华人民共和国护照法》".into())),
            ]
        );
        // Written back and read again, each basis is the same.
        let item = FeeItem::from_row(&{
            let mut row = good_row("10");
            row.set(
                Column::Basis,
                "财政部《关于…的通知》(财综[2003]45号、[1992]价费字198号)；土地复垦条例",
            );
            row
        })
        .unwrap();
        assert_eq!(parse_basis(&item.basis_cell()).unwrap(), item.basis);
        let json = serde_json::to_string(&item.basis).unwrap();
        assert_eq!(
            serde_json::from_str::<Vec<Basis>>(&json).unwrap(),
            item.basis
        );
    }

    #[test]
    fn a_basis_that_reads_as_nothing_is_refused_not_split_into_words() {
        for text in [
            "见相关文件",
            "有关规定 按文件执行",
            "财综〔2003〕45号；详见附件",
            "《关于收费的通知》（第几号）",
            "财政局、物价局",
        ] {
            let error = bases(text).unwrap_err();
            assert!(error.contains('“'), "{text}: {error}");
        }
        assert!(bases("财综〔2003〕45号；详见附件")
            .unwrap_err()
            .contains("详见附件"));
        // A 32,767-character cell is refused quickly, not split or kept.
        assert!(bases(&"收".repeat(32_767)).is_err());
    }

    #[test]
    fn the_new_catalogues_have_names_and_header_variants() {
        assert_eq!(
            FeeListKind::from_name("涉企保证金目录清单"),
            FeeListKind::Deposit
        );
        assert_eq!(
            FeeListKind::from_name("政府定价的经营服务性收费目录清单"),
            FeeListKind::PricedService
        );
        assert_eq!(
            FeeListKind::from_slug("deposit"),
            Some(FeeListKind::Deposit)
        );
        assert_eq!(FeeListKind::ALL.len(), 5);
        assert_eq!(Column::from_header("保证金项目"), Some(Column::Item));
        assert_eq!(Column::from_header("收取依据"), Some(Column::Basis));
        assert_eq!(
            Column::from_header("收费标准（元）"),
            Some(Column::Standard)
        );
        assert_eq!(Column::from_header("单位性质"), Some(Column::UnitNature));
        assert_eq!(Column::from_header("收费性质"), Some(Column::FeeNature));
        assert_eq!(Column::from_header("服务内容"), Some(Column::Service));
        let mut row = good_row("10");
        row.set(Column::UnitNature, "事业单位");
        row.set(Column::FeeNature, "事业性");
        row.set(Column::Service, "检测");
        let item = FeeItem::from_row(&row).unwrap();
        assert_eq!(
            (
                item.unit_nature.as_str(),
                item.nature.as_str(),
                item.service.as_str()
            ),
            ("事业单位", "事业性", "检测")
        );
    }

    #[test]
    fn heading_lines_name_the_list_its_version_and_its_notice() {
        let mut list = FeeList::new(FeeListKind::Deposit, Vec::new());
        for line in [
            "宁乡市涉企保证金目录清单（2025年版）",
            "版本日期：2025年3月1日",
            "发布文号：宁财综[2025]3号",
            "单位：元",
        ] {
            if let Some(heading) = ListHeading::read(line).unwrap() {
                heading.apply(&mut list);
            }
        }
        assert_eq!(list.name, "宁乡市涉企保证金目录清单（2025年版）");
        assert_eq!(list.version.as_deref(), Some("2025-03-01"));
        assert_eq!(list.notice.as_deref(), Some("宁财综〔2025〕3号"));
        assert!(ListHeading::read("版本日期：去年").is_err());
        assert!(ListHeading::read("发布文号：见通知").is_err());
    }

    #[test]
    fn changes_name_items_added_removed_and_each_changed_field_with_old_and_new() {
        let items = index().items;
        let mut previous = FeeList::new(FeeListKind::Administrative, items.clone());
        previous.version = Some("2024-01-01".into());
        let mut now = items.clone();
        now.remove(4); // 代填签证申请表 removed
        now[0].standard = Standard::Amount(2500);
        now[1].basis = vec![
            Basis::from("发改价格规〔2016〕2559号"),
            Basis::from("[1992]价费字198号"),
        ];
        now[1].enterprise = false;
        let mut added = items[0].clone();
        added.item = "新增收费".into();
        now.push(added);
        let current = FeeList::new(FeeListKind::Administrative, now);
        let changes = FeeChanges::between(&previous, &current);
        assert_eq!(changes.since.as_deref(), Some("2024-01-01"));
        assert_eq!(changes.added.len(), 1);
        assert_eq!(changes.added[0].item, "新增收费");
        assert_eq!(changes.removed[0].item, "代填签证申请表");
        let fields: Vec<(ChangedField, &str, &str)> = changes
            .changed
            .iter()
            .flat_map(|c| {
                c.fields
                    .iter()
                    .map(|f| (f.field, f.old.as_str(), f.new.as_str()))
            })
            .collect();
        assert_eq!(
            fields,
            [
                (ChangedField::Standard, "20 元/件", "25 元/件"),
                (
                    ChangedField::Basis,
                    "发改价格规〔2016〕2559号",
                    "发改价格规〔2016〕2559号；价费字〔1992〕198号"
                ),
                (ChangedField::Enterprise, "是", "否"),
            ]
        );
        assert!(FeeChanges::between(&current, &current).is_empty());

        // The export carries the heading above and the changes below; the changes are
        // not items.
        let mut list = current.clone();
        list.version = Some("2025-03-01".into());
        list.changes = Some(changes);
        let csv = list_to_csv(&list, "宁乡市", &list.items);
        let lines: Vec<&str> = csv.trim_start_matches('\u{FEFF}').lines().collect();
        assert_eq!(lines[0], "宁乡市行政事业性收费目录清单");
        assert_eq!(lines[1], "版本日期：2025-03-01");
        assert!(lines[2].starts_with("部门,"));
        assert!(csv.contains(CHANGES_HEADING));
        assert!(
            csv.contains("调整,自然资源,不动产登记费,,涉企,是,否"),
            "{csv}"
        );
        assert!(csv.contains("取消,外事,代填签证申请表,,,免收,"), "{csv}");
    }
}
