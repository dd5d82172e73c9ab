//! Reading fee lists from the CSV files and spreadsheets finance bureaus keep, into the
//! compact `fees.json` the fee-list widget downloads. Every row that cannot be read is
//! reported by file, sheet, row and column with the reason; none is dropped silently, and
//! no cell is read as anything but what the sheet shows (`cells`, with the number formats
//! calamine does not give read from `.xlsx` styles and from `.xls` records by `xls`).
//! Hidden sheets are skipped and named. `.ods` workbooks are read by `ods`, the others by
//! calamine.
//! `publish` compares the lists with the last published version and checks their legal
//! bases against the validity lookup before anything is written.

mod cells;
mod ods;
mod publish;
mod xls;

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, Dimensions, Range, Reader, SheetVisible};
use disclosure_core::fees::{
    CellFault, Column, FeeFile, FeeItem, FeeList, FeeListKind, FeeRow, HeadingError,
    ListHeading, CHANGES_HEADING, FEES_FORMAT,
};

use crate::ingest::{extension, InputFile, Problem};
use cells::CellRefusal;
#[cfg(test)]
use cells::CellKind;
use cells::SheetCell;

pub use publish::{run, FeeArgs};

/// The header row is looked for among this many rows at the top of a sheet, below the
/// titles and dates that bureaus put above their tables.
const HEADER_SEARCH_ROWS: usize = 12;

/// One table of cells as read from a CSV file or a sheet, with where it came from.
struct Table {
    /// `file.csv` or `file.xlsx [sheet]`.
    place: String,
    kind: FeeListKind,
    /// Cells as shown; a merged cell's value fills the whole merged region.
    rows: Vec<Vec<SheetCell>>,
    /// The spreadsheet row number (1-based) of `rows[0]`, and the column index of its first cell.
    first_row: usize,
    first_column: usize,
}

/// What the fee import found in a file, a sheet, a row or a cell and did not read, in words
/// for the operator (its `Display`): the problems `--strict` refuses and the notices alike
/// ([`FeeImport`]).
#[derive(Debug, thiserror::Error)]
pub enum SheetFault {
    /// The file cannot be read from the disk.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
    /// A CSV file in neither encoding Excel saves.
    #[error("neither UTF-8 nor GB18030/GBK text")]
    Encoding,
    /// A CSV record that cannot be read.
    #[error("not a readable CSV file: {0}")]
    Csv(csv::Error),
    /// A workbook saved with a password (Office encrypts the whole file).
    #[error("the workbook is password-protected (encrypted) and cannot be read; save it without a password")]
    Encrypted,
    /// A workbook calamine cannot open.
    #[error("not a readable spreadsheet: {0}")]
    Spreadsheet(calamine::Error),
    /// An `.ods` file whose content cannot be read ([`ods::read`]).
    #[error(transparent)]
    Ods(#[from] ods::OdsError),
    /// The reader library panicked on the file.
    #[error("the reader failed on this file (damaged?); nothing of it was read")]
    ReaderFailed,
    /// A hidden sheet (`very`: hidden so that Excel's menu does not show it), not read: a
    /// notice.
    #[error("{} sheet skipped (unhide it if it is part of the published list)", if *.very { "very hidden" } else { "hidden" })]
    Hidden { very: bool },
    /// A sheet that holds no cells (a chart sheet, a macro sheet): a notice.
    #[error("not a worksheet ({0}); skipped")]
    NotWorksheet(calamine::Error),
    /// An `.ods` sheet with content past the rows read ([`ods::MAX_ROWS`]).
    #[error("rows past row {0} hold something and were not read; split the sheet")]
    Truncated(usize),
    /// No header row within the first rows searched.
    #[error("no header row naming 项目名称 and 收费标准 in the first {0} rows; sheet skipped")]
    NoHeader(usize),
    /// Required columns the header row lacks, by their headers.
    #[error("no {} column; sheet skipped", .0.join(", "))]
    MissingColumns(Vec<&'static str>),
    /// A line above the table naming the list, its version or its notice that cannot be read.
    #[error(transparent)]
    Heading(HeadingError),
    /// Our own export's explanation of changes, below the items.
    #[error("动态调整情况说明 (本次调整) from here on: not items, not read")]
    ChangesFollow,
    /// A cell refused as the sheet shows it (a formula error, a date in an amount column).
    #[error("{0}; row skipped")]
    Refused(CellRefusal),
    /// A cell whose text the domain core refuses.
    #[error("{0}; row skipped")]
    Cell(CellFault),
}

/// What an import read: the lists, the cells and rows it could not read (which `--strict`
/// refuses), and notices that are no error (hidden sheets skipped).
pub struct FeeImport {
    /// The lists read, each row either in it or reported.
    pub file: FeeFile,
    /// Cells and rows that could not be read, and files that could not be opened.
    pub problems: Vec<Problem>,
    /// What was left out on purpose: hidden sheets, the changes below our own export.
    pub notices: Vec<Problem>,
}

/// Reads every fee list in `files` (`.csv`, `.xlsx`, `.xls`, `.ods`; other files are left
/// alone). Each sheet or file is one list, named by the words in its name
/// ([`FeeListKind::from_name`]); the lines above a table give the list's name, version
/// date and notice ([`ListHeading`]).
pub fn read_fee_lists(files: &[InputFile]) -> FeeImport {
    let mut problems = Vec::new();
    let mut notices = Vec::new();
    let mut lists: Vec<FeeList> = Vec::new();
    for file in files {
        let display = file.path.display().to_string();
        let extension = extension(&file.path);
        if !matches!(extension.as_str(), "csv" | "ods" | "xlsx" | "xlsm" | "xls") {
            continue;
        }
        // A reader library that panics on a damaged file costs that file, not the import.
        let tables = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut file_notices = Vec::new();
            let tables = match extension.as_str() {
                "csv" => csv_table(&file.path, &display).map(|table| vec![table]),
                "ods" => ods_tables(&file.path, &display, &mut file_notices),
                _ => spreadsheet_tables(&file.path, &display, &mut file_notices),
            };
            (tables, file_notices)
        }))
        .map(|(tables, file_notices)| {
            notices.extend(file_notices);
            tables
        })
        .unwrap_or(Err(SheetFault::ReaderFailed));
        let tables = match tables {
            Ok(tables) => tables,
            Err(fault) => {
                problems.push(Problem {
                    location: display,
                    fault: fault.into(),
                });
                continue;
            }
        };
        for table in tables {
            let Some(read) = read_table(&table, &mut problems, &mut notices) else {
                continue;
            };
            let at = match lists.iter().position(|list| list.kind == table.kind) {
                Some(at) => at,
                None => {
                    lists.push(FeeList::new(table.kind, Vec::new()));
                    lists.len() - 1
                }
            };
            let list = &mut lists[at];
            list.items.extend(read.items);
            // The first line that names the list, its version or its notice counts: a
            // later sheet of the same list, or a note below the title, does not rename it.
            for heading in read.headings {
                let unset = match &heading {
                    ListHeading::Name(_) => list.name.is_empty(),
                    ListHeading::Version(_) => list.version.is_none(),
                    ListHeading::Notice(_) => list.notice.is_none(),
                };
                if unset {
                    heading.apply(list);
                }
            }
        }
    }
    lists.retain(|list| !list.items.is_empty());
    lists.sort_by_key(|list| list.kind);
    FeeImport {
        file: FeeFile {
            format: FEES_FORMAT.to_string(),
            lists,
        },
        problems,
        notices,
    }
}

/// The first bytes of an OLE2 compound file: an `.xls`, or an `.xlsx` that Office
/// encrypted with a password (an `EncryptedPackage` inside a compound file).
const COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A CSV file in UTF-8 or in GB18030 (GBK's superset, as Excel saves CSV on Chinese
/// Windows), with or without a byte-order mark — a UTF-8 mark in front of GB18030 text
/// too, as some tools add one to whatever they save.
fn csv_table(path: &Path, display: &str) -> Result<Table, SheetFault> {
    let bytes = fs::read(path).map_err(SheetFault::Io)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let (text, _, malformed) = encoding_rs::GB18030.decode(bytes);
            if malformed {
                return Err(SheetFault::Encoding);
            }
            text.into_owned()
        }
    };
    let text = text.trim_start_matches('\u{FEFF}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(SheetFault::Csv)?;
        rows.push(record.iter().map(SheetCell::text).collect());
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Table {
        place: display.to_string(),
        kind: FeeListKind::from_name(&name),
        rows,
        first_row: 1,
        first_column: 0,
    })
}

/// Every visible, non-empty sheet of an `.xlsx` or `.xls` workbook; hidden sheets are
/// named in `notices`.
fn spreadsheet_tables(
    path: &Path,
    display: &str,
    notices: &mut Vec<Problem>,
) -> Result<Vec<Table>, SheetFault> {
    let is_xlsx = matches!(extension(path).as_str(), "xlsx" | "xlsm");
    if is_xlsx {
        let mut head = [0u8; 8];
        if fs::File::open(path)
            .and_then(|mut file| file.read_exact(&mut head))
            .is_ok()
            && head == COMPOUND_FILE
        {
            return Err(SheetFault::Encrypted);
        }
    }
    let mut workbook = calamine::open_workbook_auto(path).map_err(|error| {
        // calamine names an encrypted workbook only in its message.
        let message = error.to_string();
        if message.to_lowercase().contains("password") || message.contains("encrypt") {
            SheetFault::Encrypted
        } else {
            SheetFault::Spreadsheet(error)
        }
    })?;
    // Number formats calamine does not give: read from the workbook's own records.
    let mut formats = if is_xlsx {
        cells::XlsxFormats::open(path).ok()
    } else {
        None
    };
    let mut xls_formats = if is_xlsx {
        HashMap::new()
    } else {
        xls::number_formats(path)
    };
    let sheets: Vec<(String, SheetVisible)> = workbook
        .sheets_metadata()
        .iter()
        .map(|sheet| (sheet.name.clone(), sheet.visible))
        .collect();
    let mut tables = Vec::new();
    for (name, visible) in sheets {
        if visible != SheetVisible::Visible {
            notices.push(Problem {
                location: format!("{display} [{name}]"),
                fault: SheetFault::Hidden {
                    very: visible == SheetVisible::VeryHidden,
                }
                .into(),
            });
            continue;
        }
        let range = match workbook.worksheet_range(&name) {
            Ok(range) => range,
            Err(error) => {
                notices.push(Problem {
                    location: format!("{display} [{name}]"),
                    fault: SheetFault::NotWorksheet(error).into(),
                });
                continue;
            }
        };
        let Some((first_row, first_column)) = range.start() else {
            continue;
        };
        let merged = merged_regions(&mut workbook, &name);
        let sheet_formats = match formats.as_mut() {
            Some(formats) => formats.sheet(&name),
            None => xls_formats.remove(&name).unwrap_or_default(),
        };
        tables.push(Table {
            place: format!("{display} [{name}]"),
            kind: FeeListKind::from_name(&name),
            rows: shown_cells(&range, &merged, &sheet_formats),
            first_row: first_row as usize + 1,
            first_column: first_column as usize,
        });
    }
    Ok(tables)
}

/// Every visible, non-empty sheet of an `.ods` workbook, merged regions filled.
fn ods_tables(
    path: &Path,
    display: &str,
    notices: &mut Vec<Problem>,
) -> Result<Vec<Table>, SheetFault> {
    let sheets = ods::read(path)?;
    let mut tables = Vec::new();
    for mut sheet in sheets {
        if sheet.hidden {
            notices.push(Problem {
                location: format!("{display} [{}]", sheet.name),
                fault: SheetFault::Hidden { very: false }.into(),
            });
            continue;
        }
        if sheet.truncated {
            notices.push(Problem {
                location: format!("{display} [{}]", sheet.name),
                fault: SheetFault::Truncated(ods::MAX_ROWS).into(),
            });
        }
        ods::fill_merged(&mut sheet);
        tables.push(Table {
            place: format!("{display} [{}]", sheet.name),
            kind: FeeListKind::from_name(&sheet.name),
            rows: sheet.rows,
            first_row: 1,
            first_column: 0,
        });
    }
    Ok(tables)
}

/// Merged regions of a sheet.
fn merged_regions<RS: Read + Seek>(
    workbook: &mut calamine::Sheets<RS>,
    sheet: &str,
) -> Vec<Dimensions> {
    match workbook {
        calamine::Sheets::Xlsx(xlsx) => xlsx
            .worksheet_merge_cells(sheet)
            .and_then(Result::ok)
            .unwrap_or_default(),
        calamine::Sheets::Xls(xls) => xls.worksheet_merge_cells(sheet).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The sheet's cells as shown, with the value of each merged region copied into every
/// cell of it: bureaus merge a department's cell down over all its items.
fn shown_cells(
    range: &Range<Data>,
    merged: &[Dimensions],
    formats: &HashMap<(u32, u32), cells::NumberFormat>,
) -> Vec<Vec<SheetCell>> {
    let Some((top, left)) = range.start() else {
        return Vec::new();
    };
    let mut rows: Vec<Vec<SheetCell>> = range
        .rows()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, value)| {
                    let at = (top + r as u32, left + c as u32);
                    cells::from_calamine(value, formats.get(&at).copied())
                })
                .collect()
        })
        .collect();
    for region in merged {
        let (Some(r), Some(c)) = (
            region.start.0.checked_sub(top),
            region.start.1.checked_sub(left),
        ) else {
            continue;
        };
        let Some(value) = rows
            .get(r as usize)
            .and_then(|row| row.get(c as usize))
            .cloned()
        else {
            continue;
        };
        for row in region.start.0..=region.end.0 {
            for column in region.start.1..=region.end.1 {
                let (Some(r), Some(c)) = (row.checked_sub(top), column.checked_sub(left)) else {
                    continue;
                };
                if let Some(cell) = rows
                    .get_mut(r as usize)
                    .and_then(|cells| cells.get_mut(c as usize))
                {
                    *cell = value.clone();
                }
            }
        }
    }
    rows
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// The columns a header row names, by cell position; a second header row below merged
/// header cells (`收费标准` over `金额` and `计费单位`) refines the first. Returns the
/// header row's index, the first data row's, and the columns.
fn header_columns(rows: &[Vec<SheetCell>]) -> Option<(usize, usize, Vec<Option<Column>>)> {
    let named = |row: &Vec<SheetCell>| -> Vec<Option<Column>> {
        row.iter()
            .map(|cell| Column::from_header(&cell.text))
            .collect()
    };
    let at = rows.iter().take(HEADER_SEARCH_ROWS).position(|row| {
        let columns = named(row);
        columns.contains(&Some(Column::Item)) && columns.contains(&Some(Column::Standard))
    })?;
    let mut columns = named(&rows[at]);
    let mut header_rows = 1;
    if let Some(below) = rows.get(at + 1) {
        let refined = named(below);
        // Every filled cell of a second header row names a column or repeats the cell
        // above it (a header merged down over both rows).
        let is_header_row = below.iter().enumerate().all(|(index, cell)| {
            cell.text.trim().is_empty()
                || refined[index].is_some()
                || rows[at]
                    .get(index)
                    .is_some_and(|above| above.text == cell.text)
        });
        if refined.iter().any(Option::is_some) && is_header_row {
            columns.resize(columns.len().max(refined.len()), None);
            for (index, column) in refined.into_iter().enumerate() {
                if column.is_some() {
                    columns[index] = column;
                }
            }
            header_rows = 2;
        }
    }
    // The first column of a name wins over a later duplicate.
    let mut seen = Vec::new();
    for column in columns.iter_mut() {
        if let Some(c) = column {
            if seen.contains(c) {
                *column = None;
            } else {
                seen.push(*c);
            }
        }
    }
    Some((at, at + header_rows, columns))
}

/// Columns without which no row can be read.
const REQUIRED: [Column; 4] = [
    Column::Department,
    Column::Item,
    Column::Standard,
    Column::Basis,
];

/// What one table gave: its items and what the lines above its header say of the list.
struct TableRead {
    items: Vec<FeeItem>,
    headings: Vec<ListHeading>,
}

/// Does this row start the 动态调整情况说明 below a list (our own export writes one)?
fn starts_changes(cells: &[SheetCell]) -> bool {
    cells
        .iter()
        .find(|cell| !cell.text.trim().is_empty())
        .is_some_and(|cell| {
            let text = cell.text.trim();
            text == CHANGES_HEADING
                || text.starts_with("本次调整")
                || text.starts_with("动态调整情况说明")
        })
}

fn read_table(
    table: &Table,
    problems: &mut Vec<Problem>,
    notices: &mut Vec<Problem>,
) -> Option<TableRead> {
    if table
        .rows
        .iter()
        .all(|row| row.iter().all(|c| c.text.trim().is_empty()))
    {
        return None;
    }
    let Some((header_at, data_start, columns)) = header_columns(&table.rows) else {
        problems.push(Problem {
            location: table.place.clone(),
            fault: SheetFault::NoHeader(HEADER_SEARCH_ROWS).into(),
        });
        return None;
    };
    let missing: Vec<&'static str> = REQUIRED
        .iter()
        .filter(|c| !columns.contains(&Some(**c)))
        .map(|c| c.header())
        .collect();
    if !missing.is_empty() {
        problems.push(Problem {
            location: table.place.clone(),
            fault: SheetFault::MissingColumns(missing).into(),
        });
        return None;
    }
    let mut headings = Vec::new();
    for (offset, cells) in table.rows.iter().enumerate().take(header_at) {
        let mut seen: Vec<&str> = Vec::new();
        for (index, cell) in cells.iter().enumerate() {
            // A merged title repeats its text over the cells it covers.
            if cell.text.trim().is_empty() || seen.contains(&cell.text.as_str()) {
                continue;
            }
            seen.push(&cell.text);
            match ListHeading::read(&cell.text) {
                Ok(Some(heading)) => headings.push(heading),
                Ok(None) => {}
                Err(error) => problems.push(Problem {
                    location: format!(
                        "{} row {}, column {}",
                        table.place,
                        table.first_row + offset,
                        column_letters(table.first_column + index)
                    ),
                    fault: SheetFault::Heading(error).into(),
                }),
            }
        }
    }
    let column_of = |wanted: Column| columns.iter().position(|c| *c == Some(wanted));
    let letter_of = |column: Column| {
        column_of(column)
            .map(|index| column_letters(table.first_column + index))
            .unwrap_or_default()
    };
    let mut items = Vec::new();
    for (offset, cells) in table.rows.iter().enumerate().skip(data_start) {
        let row_number = table.first_row + offset;
        if starts_changes(cells) {
            notices.push(Problem {
                location: format!("{} row {row_number}", table.place),
                fault: SheetFault::ChangesFollow.into(),
            });
            break;
        }
        let mut row = FeeRow::default();
        let mut refused = Vec::new();
        for (index, column) in columns.iter().enumerate() {
            let (Some(column), Some(cell)) = (column, cells.get(index)) else {
                continue;
            };
            match cell.refusal(*column == Column::Standard) {
                Some(refusal) => refused.push((*column, refusal)),
                None => row.set(*column, cell.text.as_str()),
            }
        }
        if refused.is_empty() && row.is_blank() {
            continue;
        }
        let mut report = |column: Column, fault: SheetFault| {
            problems.push(Problem {
                location: format!(
                    "{} row {row_number}, column {} ({})",
                    table.place,
                    letter_of(column),
                    column.header()
                ),
                fault: fault.into(),
            });
        };
        // A refused cell is reported as itself; the row's other cells are still checked.
        let result = FeeItem::from_row(&row);
        for (column, refusal) in &refused {
            report(*column, SheetFault::Refused(refusal.clone()));
        }
        match result {
            Ok(item) if refused.is_empty() => items.push(item),
            Ok(_) => {}
            Err(errors) => {
                for error in errors {
                    if refused.iter().any(|(column, _)| *column == error.column) {
                        continue;
                    }
                    report(error.column, SheetFault::Cell(error.fault));
                }
            }
        }
    }
    Some(TableRead { items, headings })
}

/// The kind of a cell, for tests of the readers.
#[cfg(test)]
fn kinds(rows: &[Vec<SheetCell>]) -> Vec<Vec<CellKind>> {
    rows.iter()
        .map(|row| row.iter().map(|cell| cell.kind).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    fn cells(rows: &[&[&str]]) -> Vec<Vec<SheetCell>> {
        rows.iter()
            .map(|row| row.iter().map(|c| SheetCell::text(*c)).collect())
            .collect()
    }

    #[test]
    fn finds_the_header_below_titles_and_under_merged_header_cells() {
        let rows = cells(&[
            &["宁乡市行政事业性收费目录清单", "", "", "", ""],
            &[
                "序号",
                "执收单位",
                "收费项目",
                "收费标准",
                "收费标准",
                "政策依据",
            ],
            &["序号", "", "", "金额", "计费单位", ""],
            &[
                "1",
                "公安",
                "护照加注费",
                "20",
                "元/次",
                "价费字〔1993〕164号",
            ],
        ]);
        assert_eq!(kinds(&rows)[0][0], CellKind::Text);
        let (header, start, columns) = header_columns(&rows).unwrap();
        assert_eq!((header, start), (1, 3));
        assert_eq!(
            columns,
            [
                None,
                Some(Column::Department),
                Some(Column::Item),
                Some(Column::Standard),
                Some(Column::Unit),
                Some(Column::Basis)
            ]
        );
    }
}
