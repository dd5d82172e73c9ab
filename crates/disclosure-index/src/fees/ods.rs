//! OpenDocument spreadsheets (`.ods`, as WPS and LibreOffice save them), read from their
//! `content.xml`. calamine reads ODS values but not the merged regions
//! (`table:number-rows-spanned`, `table:number-columns-spanned`), so a department merged
//! down over its items came through for its first row only; nor does it say which numbers
//! are shown as dates or percentages. This reader keeps, for each sheet, the text every
//! cell shows (its `text:p`), the kind of value behind it (`office:value-type`), its
//! merged regions, and whether the sheet is hidden (`table:display="false"`).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::cells::{attribute_text, push_entity, CellKind, SheetCell};

/// Rows kept per sheet at most: a sheet is never grown past this by a repeated row.
pub const MAX_ROWS: usize = 1_048_576;
/// Columns kept per row at most (a spreadsheet has 16,384).
const MAX_COLUMNS: usize = 16_384;

/// One sheet of an ODS workbook.
pub struct OdsSheet {
    pub name: String,
    pub hidden: bool,
    /// Rows of cells; each merged region's value is in its top-left cell only.
    pub rows: Vec<Vec<SheetCell>>,
    /// Merged regions: (first row, first column, last row, last column), from 0.
    pub merged: Vec<(usize, usize, usize, usize)>,
    /// Rows past [`MAX_ROWS`] held something and were not read.
    pub truncated: bool,
}

/// Why an ODS file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OdsError {
    #[error("not a readable ODS workbook: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("not a readable ODS workbook: {0}")]
    Io(#[from] std::io::Error),
    #[error("damaged ODS content.xml: {0}")]
    Xml(#[from] quick_xml::Error),
    #[error("the workbook is password-protected (encrypted) and cannot be read; save it without a password")]
    Encrypted,
}

fn attribute(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| attribute_text(&a.value))
}

fn count(e: &BytesStart, name: &[u8]) -> usize {
    attribute(e, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Reads every sheet of an ODS workbook.
pub fn read(path: &Path) -> Result<Vec<OdsSheet>, OdsError> {
    let mut archive = zip::ZipArchive::new(BufReader::new(File::open(path)?))?;
    if let Ok(mut manifest) = archive.by_name("META-INF/manifest.xml") {
        let mut text = String::new();
        manifest.read_to_string(&mut text)?;
        if text.contains("encryption-data") {
            return Err(OdsError::Encrypted);
        }
    }
    let content = archive.by_name("content.xml")?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    // Table styles that hide their table.
    let mut hiding_styles: Vec<String> = Vec::new();
    let mut style_name: Option<String> = None;
    let mut sheets: Vec<OdsSheet> = Vec::new();
    // Merged regions still open below the current row, by column: (last row, last column).
    let mut row = 0usize;
    let mut column = 0usize;
    let mut row_repeat = 1usize;
    let mut current_row: Vec<SheetCell> = Vec::new();
    // The cell being read: its kind, repetition, span and text.
    let mut cell: Option<(CellKind, usize, (usize, usize), String)> = None;
    let mut paragraphs = 0usize;
    let mut in_annotation = false;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    b"style:style" => style_name = attribute(e, b"style:name"),
                    b"style:table-properties"
                        if attribute(e, b"table:display").as_deref() == Some("false") =>
                    {
                        if let Some(name) = &style_name {
                            hiding_styles.push(name.clone());
                        }
                    }
                    b"table:table" => {
                        let hidden = attribute(e, b"table:style-name")
                            .is_some_and(|style| hiding_styles.contains(&style));
                        sheets.push(OdsSheet {
                            name: attribute(e, b"table:name").unwrap_or_default(),
                            hidden,
                            rows: Vec::new(),
                            merged: Vec::new(),
                            truncated: false,
                        });
                        row = 0;
                    }
                    b"table:table-row" => {
                        row_repeat = count(e, b"table:number-rows-repeated");
                        current_row = Vec::new();
                        column = 0;
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        let repeat = count(e, b"table:number-columns-repeated");
                        let span = (
                            count(e, b"table:number-rows-spanned"),
                            count(e, b"table:number-columns-spanned"),
                        );
                        let kind =
                            if attribute(e, b"calcext:value-type").as_deref() == Some("error") {
                                CellKind::Error
                            } else {
                                match attribute(e, b"office:value-type").as_deref() {
                                    Some("float" | "currency") => CellKind::Number,
                                    Some("percentage") => CellKind::Percent,
                                    Some("date" | "time") => CellKind::Date,
                                    _ => CellKind::Text,
                                }
                            };
                        let covered = e.name().as_ref() == b"table:covered-table-cell";
                        let span = if covered { (1, 1) } else { span };
                        if empty {
                            finish_cell(
                                &mut sheets,
                                &mut current_row,
                                &mut column,
                                row,
                                (kind, repeat, span, String::new()),
                            );
                        } else {
                            cell = Some((kind, repeat, span, String::new()));
                            paragraphs = 0;
                        }
                    }
                    b"office:annotation" => in_annotation = !empty,
                    b"text:p" if cell.is_some() && !in_annotation => {
                        if let Some((_, _, _, text)) = cell.as_mut() {
                            if paragraphs > 0 {
                                text.push('\n');
                            }
                        }
                        paragraphs += 1;
                    }
                    b"text:s" if !in_annotation => {
                        if let Some((_, _, _, text)) = cell.as_mut() {
                            let spaces = count(e, b"text:c").min(1000);
                            text.extend(std::iter::repeat_n(' ', spaces));
                        }
                    }
                    b"text:tab" if !in_annotation => {
                        if let Some((_, _, _, text)) = cell.as_mut() {
                            text.push('\t');
                        }
                    }
                    b"text:line-break" if !in_annotation => {
                        if let Some((_, _, _, text)) = cell.as_mut() {
                            text.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if !in_annotation => {
                if let Some((_, _, _, text)) = cell.as_mut() {
                    text.push_str(&t.xml10_content().unwrap_or_default());
                }
            }
            Event::GeneralRef(r) if !in_annotation => {
                if let Some((_, _, _, text)) = cell.as_mut() {
                    push_entity(&r, text);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"office:annotation" => in_annotation = false,
                b"table:table-cell" | b"table:covered-table-cell" => {
                    if let Some(read) = cell.take() {
                        finish_cell(&mut sheets, &mut current_row, &mut column, row, read);
                    }
                }
                b"table:table-row" => {
                    let Some(sheet) = sheets.last_mut() else {
                        continue;
                    };
                    let blank = current_row.iter().all(|c| c.text.trim().is_empty());
                    // Trailing empty rows are repeated to the end of the sheet: skip them
                    // without making a row for each.
                    let copies = if blank { 0 } else { row_repeat };
                    if !blank {
                        while sheet.rows.len() < row.min(MAX_ROWS) {
                            sheet.rows.push(Vec::new());
                        }
                        for _ in 0..copies {
                            if sheet.rows.len() >= MAX_ROWS {
                                sheet.truncated = true;
                                break;
                            }
                            sheet.rows.push(current_row.clone());
                        }
                    }
                    row = row.saturating_add(row_repeat);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

/// Puts a finished cell (repeated as it says) into the row, and records its merged region.
fn finish_cell(
    sheets: &mut [OdsSheet],
    current_row: &mut Vec<SheetCell>,
    column: &mut usize,
    row: usize,
    (kind, repeat, (rows, columns), text): (CellKind, usize, (usize, usize), String),
) {
    let blank = text.trim().is_empty();
    if !blank {
        current_row.resize((*column).min(MAX_COLUMNS), SheetCell::text(""));
        for _ in 0..repeat.min(MAX_COLUMNS.saturating_sub(*column)) {
            current_row.push(SheetCell {
                text: text.clone(),
                kind,
            });
        }
    }
    if (rows > 1 || columns > 1) && row < MAX_ROWS {
        if let Some(sheet) = sheets.last_mut() {
            sheet.merged.push((
                row,
                *column,
                row.saturating_add(rows - 1).min(MAX_ROWS - 1),
                column.saturating_add(columns - 1).min(MAX_COLUMNS - 1),
            ));
        }
    }
    *column = column.saturating_add(repeat);
}

/// The sheets' cells with each merged region's value copied into all its cells, as for
/// the other formats.
pub fn fill_merged(sheet: &mut OdsSheet) {
    let mut values: HashMap<(usize, usize), SheetCell> = HashMap::new();
    for &(top, left, _, _) in &sheet.merged {
        if let Some(cell) = sheet.rows.get(top).and_then(|r| r.get(left)) {
            values.insert((top, left), cell.clone());
        }
    }
    for &(top, left, bottom, right) in &sheet.merged {
        let Some(value) = values.get(&(top, left)) else {
            continue;
        };
        for r in top..=bottom.min(sheet.rows.len().saturating_sub(1)) {
            let cells = &mut sheet.rows[r];
            if cells.len() <= right {
                cells.resize(right + 1, SheetCell::text(""));
            }
            for cell in &mut cells[left..=right] {
                *cell = value.clone();
            }
        }
    }
}
