//! Reading fee lists from the CSV files and spreadsheets finance bureaus keep, into the
//! compact `fees.json` the fee-list widget downloads. Every row that cannot be read is
//! reported by file, sheet, row and column with the reason; none is dropped silently.

use std::fs;
use std::io::{Read, Seek};
use std::path::Path;

use calamine::{Data, Dimensions, Range, Reader};
use disclosure_core::fees::{Column, FeeFile, FeeItem, FeeList, FeeListKind, FeeRow, FEES_FORMAT};

use crate::ingest::{extension, InputFile, Problem};

/// The header row is looked for among this many rows at the top of a sheet, below the
/// titles and dates that bureaus put above their tables.
const HEADER_SEARCH_ROWS: usize = 12;

/// One table of cells as read from a CSV file or a sheet, with where it came from.
struct Table {
    /// `file.csv` or `file.xlsx [sheet]`.
    place: String,
    kind: FeeListKind,
    /// Cell texts; a merged cell's value fills the whole merged region.
    rows: Vec<Vec<String>>,
    /// The spreadsheet row number (1-based) of `rows[0]`, and the column index of its first cell.
    first_row: usize,
    first_column: usize,
}

/// Reads every fee list in `files` (`.csv`, `.xlsx`, `.xls`, `.ods`; other files are left
/// alone). Each sheet or file is one list, named by the words in its name
/// ([`FeeListKind::from_name`]).
pub fn read_fee_lists(files: &[InputFile]) -> (FeeFile, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut lists: Vec<FeeList> = Vec::new();
    for file in files {
        let display = file.path.display().to_string();
        let extension = extension(&file.path);
        let tables = match extension.as_str() {
            "csv" => csv_table(&file.path, &display).map(|table| vec![table]),
            "xlsx" | "xlsm" | "xls" | "ods" => spreadsheet_tables(&file.path, &display),
            _ => continue,
        };
        let tables = match tables {
            Ok(tables) => tables,
            Err(reason) => {
                problems.push(Problem {
                    location: display,
                    reason,
                });
                continue;
            }
        };
        for table in tables {
            let items = read_table(&table, &mut problems);
            match lists.iter_mut().find(|list| list.kind == table.kind) {
                Some(list) => list.items.extend(items),
                None => lists.push(FeeList {
                    kind: table.kind,
                    items,
                }),
            }
        }
    }
    lists.retain(|list| !list.items.is_empty());
    lists.sort_by_key(|list| list.kind);
    (
        FeeFile {
            format: FEES_FORMAT.to_string(),
            lists,
        },
        problems,
    )
}

/// A CSV file in UTF-8 (with or without a byte-order mark) or in GBK, as Excel saves
/// CSV on Chinese Windows.
fn csv_table(path: &Path, display: &str) -> Result<Table, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let (text, _, malformed) = encoding_rs::GBK.decode(error.as_bytes());
            if malformed {
                return Err("neither UTF-8 nor GBK text".to_string());
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
        let record = record.map_err(|e| format!("not a readable CSV file: {e}"))?;
        rows.push(record.iter().map(str::to_string).collect());
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

/// Every non-empty sheet of a workbook.
fn spreadsheet_tables(path: &Path, display: &str) -> Result<Vec<Table>, String> {
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| format!("not a readable spreadsheet: {e}"))?;
    let mut tables = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name}: {e}"))?;
        let Some((first_row, first_column)) = range.start() else {
            continue;
        };
        let merged = merged_regions(&mut workbook, &name);
        tables.push(Table {
            place: format!("{display} [{name}]"),
            kind: FeeListKind::from_name(&name),
            rows: cell_texts(&range, &merged),
            first_row: first_row as usize + 1,
            first_column: first_column as usize,
        });
    }
    Ok(tables)
}

/// Merged regions of a sheet; formats that do not keep them have none.
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

/// The sheet's cells as text, with the value of each merged region copied into every
/// cell of it: bureaus merge a department's cell down over all its items.
fn cell_texts(range: &Range<Data>, merged: &[Dimensions]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    let Some((top, left)) = range.start() else {
        return rows;
    };
    for region in merged {
        let value = range
            .get_value(region.start)
            .map(cell_text)
            .unwrap_or_default();
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

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        // 20.0 is written 20; 0.1 stays 0.1 (Display writes the shortest exact form).
        Data::Float(x) => x.to_string(),
        Data::Bool(true) => "是".to_string(),
        Data::Bool(false) => "否".to_string(),
        other => other.to_string(),
    }
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
/// header cells (`收费标准` over `金额` and `计费单位`) refines the first.
fn header_columns(rows: &[Vec<String>]) -> Option<(usize, Vec<Option<Column>>)> {
    let named = |row: &Vec<String>| -> Vec<Option<Column>> {
        row.iter().map(|cell| Column::from_header(cell)).collect()
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
            cell.trim().is_empty()
                || refined[index].is_some()
                || rows[at].get(index).is_some_and(|above| above == cell)
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
    Some((at + header_rows, columns))
}

/// Columns without which no row can be read.
const REQUIRED: [Column; 4] = [
    Column::Department,
    Column::Item,
    Column::Standard,
    Column::Basis,
];

fn read_table(table: &Table, problems: &mut Vec<Problem>) -> Vec<FeeItem> {
    if table
        .rows
        .iter()
        .all(|row| row.iter().all(|c| c.trim().is_empty()))
    {
        return Vec::new();
    }
    let Some((data_start, columns)) = header_columns(&table.rows) else {
        problems.push(Problem {
            location: table.place.clone(),
            reason: format!(
                "no header row naming 项目名称 and 收费标准 in the first {HEADER_SEARCH_ROWS} rows; sheet skipped"
            ),
        });
        return Vec::new();
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| !columns.contains(&Some(**c)))
        .map(|c| c.header())
        .collect();
    if !missing.is_empty() {
        problems.push(Problem {
            location: table.place.clone(),
            reason: format!("no {} column; sheet skipped", missing.join(", ")),
        });
        return Vec::new();
    }
    let column_of = |wanted: Column| columns.iter().position(|c| *c == Some(wanted));
    let mut items = Vec::new();
    for (offset, cells) in table.rows.iter().enumerate().skip(data_start) {
        let row_number = table.first_row + offset;
        let mut row = FeeRow::default();
        for (index, column) in columns.iter().enumerate() {
            if let (Some(column), Some(text)) = (column, cells.get(index)) {
                row.set(*column, text.as_str());
            }
        }
        if row.is_blank() {
            continue;
        }
        match FeeItem::from_row(&row) {
            Ok(item) => items.push(item),
            Err(errors) => {
                for error in errors {
                    let letter = column_of(error.column)
                        .map(|index| column_letters(table.first_column + index))
                        .unwrap_or_default();
                    problems.push(Problem {
                        location: format!(
                            "{} row {row_number}, column {letter} ({})",
                            table.place,
                            error.column.header()
                        ),
                        reason: format!("{}; row skipped", error.reason),
                    });
                }
            }
        }
    }
    items
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

    fn cells(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
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
        let (start, columns) = header_columns(&rows).unwrap();
        assert_eq!(start, 3);
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
