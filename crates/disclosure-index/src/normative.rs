//! Reading normative-document records (JSON Lines, CSV, and the corpus format) into the
//! validity lookup file, with every bad record reported by place and reason.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use disclosure_core::lookup::{LookupChange, LookupEntry};
use disclosure_core::validity::{ChangeKind, Term};
use disclosure_core::{parse_date, DocNumber};
use serde::Deserialize;

use crate::ingest::{extension, InputFile, Problem};

/// A record as officials or the corpus write it.
#[derive(Debug, Default, Deserialize)]
struct NormativeRecord {
    id: Option<String>,
    title: Option<String>,
    doc_number: Option<String>,
    #[serde(alias = "department")]
    issuer: Option<String>,
    #[serde(alias = "date")]
    published: Option<String>,
    #[serde(alias = "effective_date")]
    effective: Option<String>,
    until: Option<String>,
    /// `normative` (default) or `indefinite`.
    term: Option<String>,
    #[serde(default)]
    changes: Vec<ChangeRecord>,
    url: Option<String>,
    #[serde(alias = "interpretation")]
    interpretation_url: Option<String>,
    /// The stored validity word; checked against the dates, never shown as such.
    status: Option<String>,
    /// Present in the corpus format only: laws and regulations have no term of their own.
    level: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ChangeRecord {
    kind: String,
    by_number: Option<String>,
    by_title: Option<String>,
    on: Option<String>,
}

/// Trims a field and treats empty and the corpus's `"None"` as absent.
fn present(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty() && *text != "None" && *text != "null")
        .map(str::to_string)
}

fn checked_date(value: &Option<String>, field: &str) -> Result<Option<String>, String> {
    match present(value) {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(|date| Some(date.to_string()))
            .map_err(|error| format!("{field}: {error}")),
    }
}

fn change_kind(word: &str) -> Option<ChangeKind> {
    match word.trim() {
        "amended" | "已修改" | "修改" | "修订" => Some(ChangeKind::Amended),
        "partly_repealed" | "部分失效" | "部分废止" => Some(ChangeKind::PartlyRepealed),
        "repealed" | "废止" | "已废止" => Some(ChangeKind::Repealed),
        _ => None,
    }
}

impl NormativeRecord {
    fn into_entry(self) -> Result<LookupEntry, String> {
        let id = present(&self.id).ok_or("missing id")?;
        let title = present(&self.title).ok_or("missing title")?;
        let number = present(&self.doc_number);
        let key = match &number {
            Some(text) => Some(
                DocNumber::parse(text)
                    .map_err(|error| {
                        format!("document number {text:?} does not parse ({error:?})")
                    })?
                    .key(),
            ),
            None => None,
        };
        let published = checked_date(&self.published, "published")?;
        let corpus = self.level.is_some();
        let term = match present(&self.term).as_deref() {
            Some("indefinite") => Term::Indefinite,
            Some("normative") | None if !corpus => Term::Normative,
            None => Term::Indefinite,
            Some(other) => return Err(format!("unknown term {other:?} (normative or indefinite)")),
        };
        // A normative document's term runs from its effective date, so it needs one; a law
        // without dates in its source is still worth finding.
        let effective =
            match checked_date(&self.effective, "effective")?.or_else(|| published.clone()) {
                Some(date) => date,
                None if term == Term::Indefinite => String::new(),
                None => return Err("no effective or publication date".to_string()),
            };
        let until = checked_date(&self.until, "until")?;
        if let Some(until) = &until {
            if until < &effective {
                return Err(format!(
                    "ends ({until}) before it takes effect ({effective})"
                ));
            }
        }
        let mut changes = Vec::new();
        for change in &self.changes {
            let kind = change_kind(&change.kind)
                .ok_or_else(|| format!("unknown change kind {:?}", change.kind))?;
            let on = checked_date(&change.on, "change date")?;
            if on
                .as_ref()
                .is_some_and(|on| !effective.is_empty() && on < &effective)
            {
                return Err(format!(
                    "changed on {} before it took effect ({effective})",
                    on.unwrap_or_default()
                ));
            }
            changes.push(LookupChange {
                kind,
                by_number: present(&change.by_number),
                by_title: present(&change.by_title),
                on,
            });
        }
        let status = present(&self.status);
        // The corpus states changes only as a status word, without the changing document.
        if corpus {
            if let Some(kind) = status.as_deref().and_then(change_kind) {
                changes.push(LookupChange {
                    kind,
                    by_number: None,
                    by_title: None,
                    on: None,
                });
            }
        }
        let entry = LookupEntry {
            id,
            title,
            number,
            key,
            issuer: present(&self.issuer),
            published,
            effective,
            until,
            term,
            changes,
            url: present(&self.url),
            interpretation_url: present(&self.interpretation_url),
        };
        check_status_word(&entry, status.as_deref())?;
        Ok(entry)
    }
}

/// A stored status word must agree with the dates it can be checked against.
fn check_status_word(entry: &LookupEntry, word: Option<&str>) -> Result<(), String> {
    let record = entry.record();
    let published = entry.published.as_deref().and_then(|p| parse_date(p).ok());
    let contradiction = match word {
        Some("尚未生效") => published.is_some_and(|p| record.effective <= p),
        Some("失效") | Some("已失效") => {
            record.last_day().is_none() && entry.changes.is_empty()
        }
        Some("有效") | Some("现行有效") => {
            published
                .zip(record.last_day())
                .is_some_and(|(p, last)| last < p)
                || entry.changes.iter().any(|c| c.kind == ChangeKind::Repealed)
        }
        _ => false,
    };
    if contradiction {
        Err(format!(
            "status {:?} contradicts its dates (effective {}, last day {})",
            word.unwrap_or_default(),
            entry.effective,
            record
                .last_day()
                .map_or("none".to_string(), |d| d.to_string())
        ))
    } else {
        Ok(())
    }
}

/// The Chinese column headers of a CSV list, mapped to the record's fields.
const CSV_COLUMNS: [(&str, &str); 14] = [
    ("标识", "id"),
    ("标题", "title"),
    ("文号", "doc_number"),
    ("制定机关", "issuer"),
    ("发布日期", "published"),
    ("施行日期", "effective"),
    ("有效期至", "until"),
    ("有效期类型", "term"),
    ("效力状态", "status"),
    ("变更方式", "change_kind"),
    ("变更文号", "change_by_number"),
    ("变更文件", "change_by_title"),
    ("变更日期", "change_on"),
    ("链接", "url"),
];

/// A row or line read: its place, and the record or why it could not be read.
type Read = (String, Result<NormativeRecord, String>);

fn csv_records(path: &Path, display: &str, problems: &mut Vec<Problem>) -> Vec<Read> {
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(reader) => reader,
        Err(error) => {
            problems.push(Problem {
                location: display.to_string(),
                reason: format!("cannot read: {error}"),
            });
            return Vec::new();
        }
    };
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(error) => {
            problems.push(Problem {
                location: format!("{display}:1"),
                reason: format!("cannot read the header: {error}"),
            });
            return Vec::new();
        }
    };
    let column = |name: &str| -> Option<usize> {
        let header = CSV_COLUMNS
            .iter()
            .find(|(_, field)| *field == name)
            .map(|(header, _)| *header)?;
        headers.iter().position(|h| h == header)
    };
    let mut records = Vec::new();
    for (row, result) in reader.records().enumerate() {
        let location = format!("{display}:{}", row + 2);
        let fields = match result {
            Ok(fields) => fields,
            Err(error) => {
                records.push((location, Err(format!("unreadable row: {error}"))));
                continue;
            }
        };
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| column(name).and_then(|i| fields.get(i)).map(str::to_string);
        let changes = match get("change_kind").filter(|k| !k.trim().is_empty()) {
            Some(kind) => vec![ChangeRecord {
                kind,
                by_number: get("change_by_number"),
                by_title: get("change_by_title"),
                on: get("change_on"),
            }],
            None => Vec::new(),
        };
        let term = get("term").map(|t| match t.trim() {
            "长期" | "无" => "indefinite".to_string(),
            "" => String::new(),
            _ => "normative".to_string(),
        });
        records.push((
            location,
            Ok(NormativeRecord {
                id: get("id"),
                title: get("title"),
                doc_number: get("doc_number"),
                issuer: get("issuer"),
                published: get("published"),
                effective: get("effective"),
                until: get("until"),
                term,
                changes,
                url: get("url"),
                status: get("status"),
                ..NormativeRecord::default()
            }),
        ));
    }
    records
}

fn json_records(path: &Path, display: &str, problems: &mut Vec<Problem>) -> Vec<Read> {
    let text = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            problems.push(Problem {
                location: display.to_string(),
                reason: format!("cannot read: {error}"),
            });
            return Vec::new();
        }
    };
    let mut records = Vec::new();
    for (number, line) in text.split(|b| *b == b'\n').enumerate() {
        let location = format!("{display}:{}", number + 1);
        let Ok(line) = std::str::from_utf8(line) else {
            records.push((location, Err("not valid UTF-8".into())));
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<NormativeRecord>(line)
            .map_err(|error| format!("invalid JSON: {error}"));
        records.push((location, record));
    }
    records
}

/// Reads every file into lookup entries, sorted by id so the same input gives the same
/// file; records that cannot be used become problems.
pub fn read_lookup(files: &[InputFile]) -> (Vec<LookupEntry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut entries = BTreeMap::new();
    let mut seen = HashSet::new();
    for file in files {
        let display = file.path.display().to_string();
        let extension = extension(&file.path);
        let records = match extension.as_str() {
            "csv" => csv_records(&file.path, &display, &mut problems),
            "jsonl" => json_records(&file.path, &display, &mut problems),
            _ => continue,
        };
        for (location, record) in records {
            match record.and_then(NormativeRecord::into_entry) {
                Ok(entry) if !seen.insert(entry.id.clone()) => problems.push(Problem {
                    location,
                    reason: format!("duplicate id {:?}", entry.id),
                }),
                Ok(entry) => {
                    entries.insert(entry.id.clone(), entry);
                }
                Err(reason) => problems.push(Problem { location, reason }),
            }
        }
    }
    (entries.into_values().collect(), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, content: &str) -> (Vec<LookupEntry>, Vec<Problem>) {
        let folder = std::env::temp_dir().join(format!("normative-{}-{name}", std::process::id()));
        fs::create_dir_all(&folder).unwrap();
        let path = folder.join(name);
        fs::write(&path, content).unwrap();
        read_lookup(&[InputFile { path, root: folder }])
    }

    #[test]
    fn reads_county_records_and_reports_bad_ones_by_line() {
        let lines = [
            r#"{"id":"a","title":"办法","doc_number":"宁政发[2019]3号","issuer":"宁乡市人民政府","published":"2019-02-20","effective":"2019-03-22"}"#,
            r#"{"id":"b","title":"坏文号","doc_number":"宁政发〔20l9〕3号","effective":"2019-03-22"}"#,
            r#"{"id":"c","title":"倒置","effective":"2020-01-01","until":"2019-01-01"}"#,
            r#"{"id":"d","title":"矛盾","published":"2020-01-01","effective":"2019-06-01","status":"尚未生效"}"#,
            r#"{"id":"e","title":"无日期"}"#,
            r#"{"id":"f","title":"废止","effective":"2018-01-01","changes":[{"kind":"repealed","by_number":"宁政发〔2022〕9号","on":"2022-06-10"}]}"#,
            r#"{broken"#,
        ];
        let (entries, problems) = read("records.jsonl", &lines.join("\n"));
        assert_eq!(
            entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["a", "f"]
        );
        assert_eq!(entries[0].key.as_deref(), Some("宁政发〔2019〕3号"));
        let reported: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(reported[0].ends_with("records.jsonl:2: document number \"宁政发〔20l9〕3号\" does not parse (NotADocNumber)"), "{reported:?}");
        assert!(
            reported[1].contains(":3: ends (2019-01-01) before it takes effect"),
            "{reported:?}"
        );
        assert!(
            reported[2].contains(":4: status \"尚未生效\" contradicts its dates"),
            "{reported:?}"
        );
        assert!(
            reported[3].contains(":5: no effective or publication date"),
            "{reported:?}"
        );
        assert!(reported[4].contains(":7: invalid JSON"), "{reported:?}");
    }

    #[test]
    fn reads_the_corpus_format_as_laws_without_a_term() {
        let line = r#"{"id":"x","title":"工资支付暂行规定","doc_number":"劳部发〔1994〕489号","issuer":"国务院","date":"1994-12-06","status":"已废止","level":"行政法规","effective_date":"None"}"#;
        let (entries, problems) = read("laws.jsonl", line);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries[0].term, Term::Indefinite);
        assert_eq!(entries[0].effective, "1994-12-06");
        assert_eq!(entries[0].changes[0].kind, ChangeKind::Repealed);
    }

    #[test]
    fn reads_a_csv_list_with_chinese_headers() {
        let csv = "标识,标题,文号,制定机关,发布日期,施行日期,有效期至,效力状态,变更方式,变更文号,变更文件,变更日期\n\
                   r1,宁乡市公共租赁住房管理办法（暂行）,宁住建发〔2020〕5号,宁乡市住房和城乡建设局,2020-03-20,2020-03-20,,,废止,宁住建发〔2022〕9号,宁乡市公共租赁住房管理办法,2022-06-10\n\
                   ,,,,,,,,,,,\n\
                   r2,无日期,宁政发〔2021〕1号,,,,,,,,,\n";
        let (entries, problems) = read("list.csv", csv);
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries[0].changes[0].by_number.as_deref(),
            Some("宁住建发〔2022〕9号")
        );
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .ends_with("list.csv:4: no effective or publication date"),
            "{:?}",
            problems
        );
    }
}
