//! Cells as people see them. A spreadsheet keeps a number and shows it through a format:
//! `3-10` typed into Excel becomes the date 46,091 shown as 3月10日, `20%` is stored 0.2,
//! `1,000.00` and `¥20` are plain numbers. The importer reads what the sheet shows and the
//! kind of value behind it, so that a date or a percentage is refused as an amount with
//! a precise report instead of being read as 46,091.00 元 or 0.20 元.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::Data;
use quick_xml::events::{BytesRef, Event};

/// What is behind a cell's shown text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Text as typed (numbers stored as text included).
    Text,
    /// A number shown through a plain, thousands or currency format.
    Number,
    /// A date or time: never an amount.
    Date,
    /// A number shown as a percentage: never an amount.
    Percent,
    /// A formula that failed (`#VALUE!`): nothing to read.
    Error,
}

/// One cell: the text the sheet shows, and what kind of value it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetCell {
    /// What the sheet shows: `3月10日`, `20%`, `1,234.50`, `#VALUE!`, or the text typed.
    pub text: String,
    /// The kind of value behind the text.
    pub kind: CellKind,
}

impl SheetCell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> SheetCell {
        SheetCell {
            text: text.into(),
            kind: CellKind::Text,
        }
    }

    /// Why this cell cannot stand in the 收费标准 column, if it cannot. Other columns take
    /// the shown text of dates and percentages; an error cell is refused everywhere.
    pub fn refusal(&self, amount_column: bool) -> Option<CellRefusal> {
        match self.kind {
            CellKind::Error => Some(CellRefusal::FormulaError(self.text.clone())),
            CellKind::Date if amount_column => Some(CellRefusal::Date {
                shown: self.text.clone(),
                typed: date_as_typed(&self.text),
            }),
            CellKind::Percent if amount_column => Some(CellRefusal::Percent(self.text.clone())),
            _ => None,
        }
    }
}

/// Why a cell was refused before its text was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellRefusal {
    /// The sheet turned what was typed into a date.
    #[error("looks like a date ({shown}); type the range as text, e.g. {typed}")]
    Date {
        /// The date as the sheet shows it (`3月10日`).
        shown: String,
        /// What was probably typed (`3-10`).
        typed: String,
    },
    /// A percentage where an amount belongs.
    #[error("a percentage ({0}) is not an amount; write the rule in words, e.g. 按…的{0}计收")]
    Percent(String),
    /// A formula error value.
    #[error("formula error {0}; fix the formula or type the value")]
    FormulaError(String),
}

/// `3月10日` back to the `3-10` someone typed.
fn date_as_typed(shown: &str) -> String {
    let numbers: Vec<&str> = shown
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .collect();
    match numbers.as_slice() {
        [month, day] => format!("{month}-{day}"),
        [_, month, day, ..] => format!("{month}-{day}"),
        _ => "50-100".to_string(),
    }
}

/// How a spreadsheet format shows a number: as a percentage, and with how many decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberFormat {
    pub percent: bool,
    /// Decimals shown; `None` for the General format (as many as needed).
    pub decimals: Option<u8>,
    /// A date or time format calamine did not recognise.
    pub date: bool,
}

impl NumberFormat {
    /// The format of one of Excel's built-in format ids; `None` for General and text.
    pub fn builtin(id: u32) -> Option<NumberFormat> {
        let plain = |decimals| NumberFormat {
            decimals: Some(decimals),
            ..NumberFormat::default()
        };
        Some(match id {
            1 | 3 | 5 | 6 | 37 | 38 | 41 | 42 => plain(0),
            2 | 4 | 7 | 8 | 39 | 40 | 43 | 44 => plain(2),
            9 => NumberFormat {
                percent: true,
                decimals: Some(0),
                date: false,
            },
            10 => NumberFormat {
                percent: true,
                decimals: Some(2),
                date: false,
            },
            14..=22 | 27..=36 | 45..=47 | 50..=58 => NumberFormat {
                date: true,
                ..NumberFormat::default()
            },
            _ => return None,
        })
    }

    /// Reads a custom format code such as `0.00%`, `#,##0.00`, `"¥"#,##0.00;[Red]-…`,
    /// `m"月"d"日"`; `None` for General and text (`@`).
    pub fn from_code(code: &str) -> Option<NumberFormat> {
        // The first section (positive numbers), without quoted text, escapes and [..].
        let mut section = String::new();
        let (mut quoted, mut escaped, mut bracket) = (false, false, false);
        for c in code.chars() {
            match c {
                _ if escaped => escaped = false,
                '"' => quoted = !quoted,
                _ if quoted => {}
                '\\' | '_' | '*' => escaped = true,
                '[' => bracket = true,
                ']' => bracket = false,
                _ if bracket => {}
                ';' => break,
                c => section.push(c),
            }
        }
        let lower = section.to_lowercase();
        if lower.is_empty() || lower == "general" || lower == "@" {
            return None;
        }
        if lower.contains(['y', 'd', 'h', 's']) || (lower.contains('m') && !lower.contains('0')) {
            return Some(NumberFormat {
                date: true,
                ..NumberFormat::default()
            });
        }
        let decimals = section
            .split_once('.')
            .map(|(_, after)| after.chars().take_while(|c| matches!(c, '0' | '#')).count())
            .unwrap_or(0);
        Some(NumberFormat {
            percent: section.contains('%'),
            decimals: Some(decimals.min(15) as u8),
            date: false,
        })
    }
}

/// A calamine value as the sheet shows it, through its format where the file kept one.
pub fn from_calamine(value: &Data, format: Option<NumberFormat>) -> SheetCell {
    let number = |x: f64| match format {
        Some(NumberFormat { date: true, .. }) => SheetCell {
            text: serial_as_shown(x),
            kind: CellKind::Date,
        },
        Some(NumberFormat {
            percent: true,
            decimals,
            ..
        }) => SheetCell {
            text: format!("{}%", shown_number(x * 100.0, decimals)),
            kind: CellKind::Percent,
        },
        Some(NumberFormat { decimals, .. }) => SheetCell {
            text: shown_number(x, decimals),
            kind: CellKind::Number,
        },
        None => SheetCell {
            text: shown_number(x, None),
            kind: CellKind::Number,
        },
    };
    match value {
        Data::Empty => SheetCell::text(""),
        Data::String(text) => SheetCell::text(text.clone()),
        Data::Int(n) => number(*n as f64),
        Data::Float(x) => number(*x),
        Data::Bool(true) => SheetCell::text("是"),
        Data::Bool(false) => SheetCell::text("否"),
        Data::DateTime(date) => SheetCell {
            text: if date.is_datetime() {
                serial_as_shown(date.as_f64())
            } else {
                date.to_string()
            },
            kind: CellKind::Date,
        },
        Data::DateTimeIso(text) | Data::DurationIso(text) => SheetCell {
            text: text.clone(),
            kind: CellKind::Date,
        },
        Data::Error(error) => SheetCell {
            text: error.to_string(),
            kind: CellKind::Error,
        },
    }
}

/// A number with the decimals a format shows, or as General shows it (at most ten
/// decimals, trailing zeros dropped: a formula's 0.30000000000000004 shows as 0.3).
pub fn shown_number(x: f64, decimals: Option<u8>) -> String {
    match decimals {
        Some(decimals) => format!("{x:.*}", decimals as usize),
        None => {
            let text = format!("{x:.10}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            if text == "-0" {
                "0".to_string()
            } else {
                text.to_string()
            }
        }
    }
}

/// A date serial (days since 1899-12-30) as a Chinese sheet shows a typed `3-10`: 3月10日.
fn serial_as_shown(serial: f64) -> String {
    const JULIAN_DAY_OF_1899_12_30: i64 = 2_415_019;
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return shown_number(serial, None);
    }
    match time::Date::from_julian_day((JULIAN_DAY_OF_1899_12_30 + serial.floor() as i64) as i32) {
        Ok(date) => format!("{}月{}日", u8::from(date.month()), date.day()),
        Err(_) => shown_number(serial, None),
    }
}

/// The number formats of one sheet of an `.xlsx` workbook, by (row, column) from 0, for
/// the cells whose format is not General. calamine reads values and recognises dates but
/// does not say which numbers are shown as percentages or with how many decimals, so the
/// styles are read here from the workbook's XML.
pub struct XlsxFormats {
    archive: zip::ZipArchive<BufReader<File>>,
    /// Each cell style's number format (`cellXfs`, by style index).
    styles: Vec<Option<NumberFormat>>,
    /// Sheet name → path of its XML inside the archive.
    sheets: HashMap<String, String>,
}

impl XlsxFormats {
    /// Reads the styles and the sheet paths of a workbook; fails when the file is no zip
    /// archive (calamine then says why the workbook cannot be read).
    pub fn open(path: &Path) -> zip::result::ZipResult<XlsxFormats> {
        let file = File::open(path)?;
        let mut archive = zip::ZipArchive::new(BufReader::new(file))?;
        let styles = match read_entry(&mut archive, "xl/styles.xml") {
            Some(xml) => cell_styles(&xml),
            None => Vec::new(),
        };
        let relations = read_entry(&mut archive, "xl/_rels/workbook.xml.rels")
            .map(|xml| {
                elements(&xml, b"Relationship", &[b"Id", b"Target"])
                    .into_iter()
                    .filter_map(|mut found| Some((found.remove(0)?, found.remove(0)?)))
                    .collect::<HashMap<String, String>>()
            })
            .unwrap_or_default();
        let sheets = read_entry(&mut archive, "xl/workbook.xml")
            .map(|xml| {
                elements(&xml, b"sheet", &[b"name", b"r:id"])
                    .into_iter()
                    .filter_map(|mut found| {
                        let name = found.remove(0)?;
                        let target = relations.get(&found.remove(0)?)?;
                        let path = match target.strip_prefix('/') {
                            Some(absolute) => absolute.to_string(),
                            None => format!("xl/{target}"),
                        };
                        Some((name, path))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(XlsxFormats {
            archive,
            styles,
            sheets,
        })
    }

    /// The formats of the cells of `sheet` that are not General.
    pub fn sheet(&mut self, sheet: &str) -> HashMap<(u32, u32), NumberFormat> {
        let mut formats = HashMap::new();
        if self.styles.iter().all(Option::is_none) {
            return formats;
        }
        let Some(path) = self.sheets.get(sheet).cloned() else {
            return formats;
        };
        // Streamed: a sheet of a 50 MB workbook can hold hundreds of megabytes of XML.
        let Ok(entry) = self.archive.by_name(&path) else {
            return formats;
        };
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(entry));
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"c" => {
                    let (mut at, mut style) = (None, None);
                    for attribute in e.attributes().flatten() {
                        match attribute.key.as_ref() {
                            b"r" => at = cell_reference(&attribute.value),
                            b"s" => {
                                style = std::str::from_utf8(&attribute.value)
                                    .ok()
                                    .and_then(|s| s.parse::<usize>().ok())
                            }
                            _ => {}
                        }
                    }
                    if let (Some(at), Some(Some(format))) =
                        (at, style.and_then(|s| self.styles.get(s)))
                    {
                        formats.insert(at, *format);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        formats
    }
}

/// The bytes of one file of an archive, if it is there.
fn read_entry<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Option<Vec<u8>> {
    let mut entry = archive.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The values of `attributes` on every element named `name`.
fn elements(xml: &[u8], name: &[u8], attributes: &[&[u8]]) -> Vec<Vec<Option<String>>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut found = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => {
                let mut values = vec![None; attributes.len()];
                for attribute in e.attributes().flatten() {
                    if let Some(at) = attributes.iter().position(|a| *a == attribute.key.as_ref()) {
                        values[at] = Some(attribute_text(&attribute.value));
                    }
                }
                found.push(values);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    found
}

/// Each cell style's number format, from `styles.xml` (`numFmts` and `cellXfs`).
fn cell_styles(xml: &[u8]) -> Vec<Option<NumberFormat>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut custom: HashMap<u32, Option<NumberFormat>> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"numFmt" => {
                    let (mut id, mut code) = (None, None);
                    for attribute in e.attributes().flatten() {
                        match attribute.key.as_ref() {
                            b"numFmtId" => {
                                id = std::str::from_utf8(&attribute.value)
                                    .ok()
                                    .and_then(|s| s.parse().ok())
                            }
                            b"formatCode" => code = Some(attribute_text(&attribute.value)),
                            _ => {}
                        }
                    }
                    if let (Some(id), Some(code)) = (id, code) {
                        custom.insert(id, NumberFormat::from_code(&code));
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    let id: u32 = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == b"numFmtId")
                        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
                        .unwrap_or(0);
                    styles.push(match custom.get(&id) {
                        Some(format) => *format,
                        None => NumberFormat::builtin(id),
                    });
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    styles
}

/// `E2` → (1, 4).
fn cell_reference(text: &[u8]) -> Option<(u32, u32)> {
    let letters = text.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = text[..letters]
        .iter()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1)
        - 1;
    let row: u32 = std::str::from_utf8(&text[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, column))
}

/// An attribute's value with its entities resolved (`&quot;` in format codes).
pub fn attribute_text(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    match quick_xml::escape::unescape(&text) {
        Ok(unescaped) => unescaped.into_owned(),
        Err(_) => text.into_owned(),
    }
}

/// Appends the character an XML entity reference stands for.
pub fn push_entity(reference: &BytesRef, text: &mut String) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        text.push(c);
        return;
    }
    text.push(match reference.as_ref() {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        _ => '\u{FFFD}',
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_say_how_a_number_is_shown() {
        let percent = NumberFormat::from_code("0.00%").unwrap();
        assert!(percent.percent && percent.decimals == Some(2));
        assert_eq!(
            NumberFormat::from_code("\"¥\"#,##0.00;[Red]\\-\"¥\"#,##0.00")
                .unwrap()
                .decimals,
            Some(2)
        );
        assert!(NumberFormat::from_code("m\"月\"d\"日\"").unwrap().date);
        assert!(NumberFormat::from_code("yyyy/m/d").unwrap().date);
        assert_eq!(NumberFormat::from_code("General"), None);
        assert_eq!(NumberFormat::from_code("@"), None);
        assert_eq!(cell_reference(b"E2"), Some((1, 4)));
        assert_eq!(cell_reference(b"AA10"), Some((9, 26)));
        assert_eq!(serial_as_shown(46_091.0), "3月10日");
        assert_eq!(shown_number(0.1 + 0.2, None), "0.3");
        assert_eq!(shown_number(12.346, Some(2)), "12.35");
        assert_eq!(date_as_typed("3月10日"), "3-10");
    }
}
