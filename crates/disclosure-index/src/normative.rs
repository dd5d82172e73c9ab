//! Reading normative-document records (JSON Lines, CSV, and the corpus format) into the
//! validity lookup file, with every bad record reported by place and reason.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use disclosure_core::library::{expiring_within, status_events, ChangeEventKind};
use disclosure_core::lookup::{LookupChange, LookupEntry};
use disclosure_core::repeals::{stated_repeals, StatedRepeals};
use disclosure_core::text::csv_line;
use disclosure_core::validity::{ChangeKind, Status, Term};
use disclosure_core::{parse_date, DateError, DocNumber, DocNumberError};
use serde::Deserialize;
use time::Date;

use crate::ingest::{extension, InputFile, Problem, RecordFault};

/// Why a normative-document record is not taken into the validity lookup, in words for
/// the operator (its `Display`).
#[derive(Debug, thiserror::Error)]
pub enum EntryFault {
    /// No `id` (标识).
    #[error("missing id")]
    MissingId,
    /// No `title` (标题).
    #[error("missing title")]
    MissingTitle,
    /// A 文号 that [`DocNumber::parse`] refuses.
    #[error("document number {text:?} does not parse ({error:?})")]
    DocNumber { text: String, error: DocNumberError },
    /// A date field (`published`, `effective`, `until`, `change date`) that is no date.
    #[error("{field}: {error}")]
    Date {
        field: &'static str,
        error: DateError,
    },
    /// A `term` (有效期类型) other than `normative` or `indefinite`.
    #[error("unknown term {0:?} (normative or indefinite)")]
    UnknownTerm(String),
    /// A normative document (its term runs from its effective date) without a date.
    #[error("no effective or publication date")]
    NoDate,
    /// 有效期至 before the effective date (both `YYYY-MM-DD`).
    #[error("ends ({until}) before it takes effect ({effective})")]
    EndsBeforeEffect { until: String, effective: String },
    /// A change (变更方式) other than amended, partly repealed or repealed, in the words
    /// `change_kind` reads.
    #[error("unknown change kind {0:?}")]
    UnknownChange(String),
    /// A change dated before the document took effect (both `YYYY-MM-DD`).
    #[error("changed on {on} before it took effect ({effective})")]
    ChangedBeforeEffect { on: String, effective: String },
    /// A stored status word its dates contradict ([`check_status_word`]).
    #[error("status {word:?} contradicts its dates (effective {effective}, last day {last_day})")]
    StatusContradicts {
        word: String,
        effective: String,
        /// `YYYY-MM-DD`, or `none` for a document without an end.
        last_day: String,
    },
}

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
    /// The document's text, when the records carry it (the corpus does): its 废止 clause
    /// names the older documents it repeals ([`disclosure_core::repeals`]).
    body: Option<String>,
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

fn checked_date(value: &Option<String>, field: &'static str) -> Result<Option<String>, EntryFault> {
    match present(value) {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(|date| Some(date.to_string()))
            .map_err(|error| EntryFault::Date { field, error }),
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
    fn into_entry(self) -> Result<LookupEntry, EntryFault> {
        let id = present(&self.id).ok_or(EntryFault::MissingId)?;
        let title = present(&self.title).ok_or(EntryFault::MissingTitle)?;
        let number = present(&self.doc_number);
        let key = match &number {
            Some(text) => Some(
                DocNumber::parse(text)
                    .map_err(|error| EntryFault::DocNumber {
                        text: text.clone(),
                        error,
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
            Some(other) => return Err(EntryFault::UnknownTerm(other.to_string())),
        };
        // A normative document's term runs from its effective date, so it needs one; a law
        // without dates in its source is still worth finding.
        let effective =
            match checked_date(&self.effective, "effective")?.or_else(|| published.clone()) {
                Some(date) => date,
                None if term == Term::Indefinite => String::new(),
                None => return Err(EntryFault::NoDate),
            };
        let until = checked_date(&self.until, "until")?;
        if let Some(until) = &until {
            if until < &effective {
                return Err(EntryFault::EndsBeforeEffect {
                    until: until.clone(),
                    effective,
                });
            }
        }
        let mut changes = Vec::new();
        for change in &self.changes {
            let kind = change_kind(&change.kind)
                .ok_or_else(|| EntryFault::UnknownChange(change.kind.clone()))?;
            let on = checked_date(&change.on, "change date")?;
            if on
                .as_ref()
                .is_some_and(|on| !effective.is_empty() && on < &effective)
            {
                return Err(EntryFault::ChangedBeforeEffect {
                    on: on.unwrap_or_default(),
                    effective,
                });
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
fn check_status_word(entry: &LookupEntry, word: Option<&str>) -> Result<(), EntryFault> {
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
        Err(EntryFault::StatusContradicts {
            word: word.unwrap_or_default().to_string(),
            effective: entry.effective.clone(),
            last_day: record
                .last_day()
                .map_or("none".to_string(), |d| d.to_string()),
        })
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
type Read = (String, Result<NormativeRecord, RecordFault>);

fn csv_records(path: &Path, display: &str, problems: &mut Vec<Problem>) -> Vec<Read> {
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(reader) => reader,
        Err(error) => {
            problems.push(Problem {
                location: display.to_string(),
                fault: RecordFault::Csv(error),
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
                fault: RecordFault::CsvHeader(error),
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
                records.push((location, Err(RecordFault::CsvRow(error))));
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
                fault: RecordFault::Io(error),
            });
            return Vec::new();
        }
    };
    let mut records = Vec::new();
    for (number, line) in text.split(|b| *b == b'\n').enumerate() {
        let location = format!("{display}:{}", number + 1);
        let Ok(line) = std::str::from_utf8(line) else {
            records.push((location, Err(RecordFault::NotUtf8)));
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<NormativeRecord>(line).map_err(RecordFault::Json);
        records.push((location, record));
    }
    records
}

/// Reads every file into lookup entries, sorted by id so the same input gives the same
/// file; records that cannot be used become problems.
#[cfg(test)]
pub fn read_lookup(files: &[InputFile]) -> (Vec<LookupEntry>, Vec<Problem>) {
    let (entries, _, problems) = read_lookup_marked(files);
    (entries, problems)
}

/// The status words the records store, by document id: checked against the dates when
/// read, never shown as a status, but an official's report names records whose word
/// the calendar has overtaken.
pub type StoredWords = BTreeMap<String, String>;

/// [`read_lookup`], with the status word each record stores.
pub fn read_lookup_marked(files: &[InputFile]) -> (Vec<LookupEntry>, StoredWords, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut entries = BTreeMap::new();
    let mut words = StoredWords::new();
    // The repeal clauses of the records' texts, by the id of the record stating them.
    let mut stated: Vec<(String, StatedRepeals)> = Vec::new();
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
            let word = record.as_ref().ok().and_then(|r| present(&r.status));
            let repeals = record
                .as_ref()
                .ok()
                .and_then(|r| r.body.as_deref())
                .map(stated_repeals)
                .filter(|repeals| !repeals.titles.is_empty());
            match record.and_then(|record| Ok(record.into_entry()?)) {
                Ok(entry) if !seen.insert(entry.id.clone()) => problems.push(Problem {
                    location,
                    fault: RecordFault::DuplicateEntry(entry.id),
                }),
                Ok(entry) => {
                    if let Some(word) = word {
                        words.insert(entry.id.clone(), word);
                    }
                    if let Some(repeals) = repeals {
                        stated.push((entry.id.clone(), repeals));
                    }
                    entries.insert(entry.id.clone(), entry);
                }
                Err(fault) => problems.push(Problem { location, fault }),
            }
        }
    }
    apply_stated_repeals(&mut entries, &stated);
    (entries.into_values().collect(), words, problems)
}

/// A title as repeal clauses are matched: folded, without a leading `中华人民共和国`
/// (a clause may name `《学位条例》` for the record's `中华人民共和国学位条例`).
fn core_title(title: &str) -> String {
    let folded = disclosure_core::text::fold(title);
    folded
        .strip_prefix("中华人民共和国")
        .map(str::to_string)
        .unwrap_or(folded)
}

/// Records, as repealed, what the documents' own texts say they repeal
/// ([`disclosure_core::repeals::stated_repeals`]): each entry whose title a clause names,
/// published before the document stating it (or without a date) and under another title
/// (two versions of one law are not a repeal), gets a repeal by that document — its
/// number and title — from the day the clause gives, else the document's own effective
/// date. An entry already recorded as repealed keeps its record, and a day before the
/// entry took effect is no repeal of it. The corpus marks 30 documents 有效 that a
/// newer one repeals so (个体工商户条例, 学位条例, 增值税暂行条例 from 2026-01-01).
fn apply_stated_repeals(
    entries: &mut BTreeMap<String, LookupEntry>,
    stated: &[(String, StatedRepeals)],
) {
    let mut by_title: HashMap<String, Vec<String>> = HashMap::new();
    for entry in entries.values() {
        by_title
            .entry(core_title(&entry.title))
            .or_default()
            .push(entry.id.clone());
    }
    for (repealer, repeals) in stated {
        let Some(by) = entries.get(repealer).cloned() else {
            continue;
        };
        let on = repeals
            .from
            .map(|day| day.to_string())
            .or_else(|| (!by.effective.is_empty()).then(|| by.effective.clone()))
            .or_else(|| by.published.clone());
        let own = core_title(&by.title);
        for title in &repeals.titles {
            let named = core_title(title);
            if named == own {
                continue;
            }
            for id in by_title.get(&named).into_iter().flatten() {
                let Some(entry) = entries.get_mut(id) else {
                    continue;
                };
                let earlier = match (&entry.published, &by.published) {
                    (Some(published), Some(repealing)) => published < repealing,
                    _ => true,
                };
                let repealed = entry
                    .changes
                    .iter()
                    .any(|change| change.kind == ChangeKind::Repealed);
                let before_effect = on
                    .as_ref()
                    .is_some_and(|on| !entry.effective.is_empty() && on < &entry.effective);
                if !earlier || repealed || before_effect {
                    continue;
                }
                entry.changes.push(LookupChange {
                    kind: ChangeKind::Repealed,
                    by_number: by.number.clone(),
                    by_title: Some(by.title.clone()),
                    on: on.clone(),
                });
            }
        }
    }
}

/// What officials must act on (`disclosure-index validity --expiring DAYS`): documents in
/// force whose term ends within the days given — in Hunan a document that must continue
/// is re-registered before its period ends — and documents whose term has ended, or that
/// a dated repeal has ended (one a newer document's 废止 clause states among them), that
/// the records still mark 有效.
#[derive(Debug, PartialEq, Eq)]
pub struct ExpiringReport<'a> {
    /// The day the report is for.
    pub today: Date,
    pub days: u32,
    /// In force, with their last day, soonest first.
    pub soon: Vec<(&'a LookupEntry, Date)>,
    /// No longer in force (from the day given, and how) but marked 有效 (or 现行有效) in
    /// the records, earliest first.
    pub overdue: Vec<(&'a LookupEntry, Date, &'a str, Ended)>,
}

/// How a document the records mark 有效 has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Its term ran out (失效).
    Expired,
    /// Another document repealed it on a stated day (废止).
    Repealed,
}

impl Ended {
    /// The report's kind of row.
    fn row_kind(self) -> &'static str {
        match self {
            Ended::Expired => "已失效仍标为有效",
            Ended::Repealed => "已废止仍标为有效",
        }
    }
}

/// The report for `today`.
pub fn expiring_report<'a>(
    entries: &'a [LookupEntry],
    words: &'a StoredWords,
    today: Date,
    days: u32,
) -> ExpiringReport<'a> {
    let mut overdue: Vec<(&LookupEntry, Date, &str, Ended)> = entries
        .iter()
        .filter_map(|entry| {
            let word = words.get(&entry.id)?.as_str();
            let (since, ended) = match entry.status_on(today) {
                Status::Expired { since } => (since, Ended::Expired),
                Status::Repealed { change } => (change.on?, Ended::Repealed),
                _ => return None,
            };
            matches!(word, "有效" | "现行有效").then_some((entry, since, word, ended))
        })
        .collect();
    overdue.sort_by(|a, b| (a.1, &a.0.id).cmp(&(b.1, &b.0.id)));
    ExpiringReport {
        today,
        days,
        soon: expiring_within(entries, today, days),
        overdue,
    }
}

/// The columns of the report's CSV.
const REPORT_HEADER: [&str; 8] = [
    "类别",
    "标题",
    "文号",
    "制定机关",
    "施行日期",
    "有效期至",
    "天数（即将到期为剩余天数，已失效为已过天数）",
    "记录中的效力状态",
];

impl ExpiringReport<'_> {
    /// Each row: its kind, the entry, its last day and the days left, or the days since
    /// it ended (never negative: a spreadsheet reads a leading minus as a formula).
    fn rows(&self) -> Vec<[String; 8]> {
        let row = |kind: &str, entry: &LookupEntry, last: Date, word: &str| {
            [
                kind.to_string(),
                entry.title.clone(),
                entry.number.clone().unwrap_or_default(),
                entry.issuer.clone().unwrap_or_default(),
                entry.effective.clone(),
                last.to_string(),
                (last - self.today).whole_days().abs().to_string(),
                word.to_string(),
            ]
        };
        let soon = self
            .soon
            .iter()
            .map(|(entry, last)| row("即将到期", entry, *last, "有效"));
        let overdue = self.overdue.iter().map(|(entry, since, word, ended)| {
            row(
                ended.row_kind(),
                entry,
                since.previous_day().unwrap_or(*since),
                word,
            )
        });
        soon.chain(overdue).collect()
    }

    /// The report as CSV, through the project's one CSV writer.
    pub fn csv(&self) -> String {
        let mut csv = csv_line(REPORT_HEADER);
        for row in self.rows() {
            csv.push_str(&csv_line(row.iter().map(String::as_str)));
        }
        csv
    }

    /// The report as a table for a terminal.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} document(s) in force whose term ends within {} day(s) of {} (re-register before the last day):\n",
            self.soon.len(),
            self.days,
            self.today
        );
        let rows = self.rows();
        let (soon, overdue) = rows.split_at(self.soon.len());
        let line = |out: &mut String, row: &[String; 8]| {
            out.push_str(&format!(
                "  {:>10}  {:>6}  {}  {}  {}\n",
                row[5],
                row[6],
                if row[2].is_empty() {
                    "（无文号）"
                } else {
                    row[2].as_str()
                },
                row[1],
                row[3]
            ));
        };
        out.push_str("    last day    days  number  title  issuer\n");
        for row in soon {
            line(&mut out, row);
        }
        out.push_str(&format!(
            "{} document(s) expired or repealed but still marked 有效 in the records (correct the records):\n",
            self.overdue.len()
        ));
        for row in overdue {
            line(&mut out, row);
        }
        out
    }
}

/// The Atom feed of status changes (`validity-changes.atom`, beside `validity.json`).
pub const CHANGES_FEED: &str = "validity-changes.atom";

/// At most this many changes are in the feed, the newest.
pub const FEED_ENTRIES: usize = 200;

/// The feed's and its entries' ids are tag URIs under this authority.
const FEED_TAG: &str = "tag:ningxiang.gov.cn,2026:validity";

/// The Atom feed of the dated status changes up to `today` (expiry, repeal, partial
/// repeal, amendment), newest first: each entry names the document, what happened and
/// the day, and links the document when the record has its address.
pub fn atom_feed(entries: &[LookupEntry], today: Date) -> String {
    let events = status_events(entries, today);
    let updated = events.first().map_or(today, |e| e.on);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    xml.push_str(&format!("  <id>{FEED_TAG}:changes</id>\n"));
    xml.push_str("  <title>宁乡市行政规范性文件效力变化</title>\n");
    xml.push_str(&format!("  <updated>{updated}T00:00:00+08:00</updated>\n"));
    xml.push_str("  <author><name>宁乡市人民政府</name></author>\n");
    for event in events.iter().take(FEED_ENTRIES) {
        let entry = event.entry;
        let number = entry
            .number
            .as_deref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default();
        let title = format!("{}{number}{}", entry.title, event.kind.word());
        let summary = match event.kind {
            ChangeEventKind::Expired => format!("有效期届满，自{}起失效。", event.on),
            _ => {
                let by = match (event.by_title, event.by_number) {
                    (Some(t), Some(n)) => format!("由《{t}》（{n}）"),
                    (Some(t), None) => format!("由《{t}》"),
                    (None, Some(n)) => format!("由{n}"),
                    (None, None) => String::new(),
                };
                format!("自{}起{by}{}。", event.on, event.kind.word())
            }
        };
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <id>{FEED_TAG}:{}:{}:{}</id>\n",
            escape(&entry.id.replace(' ', "%20")),
            event.kind.slug(),
            event.on
        ));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&title)));
        xml.push_str(&format!(
            "    <updated>{}T00:00:00+08:00</updated>\n",
            event.on
        ));
        if let Some(url) = &entry.url {
            xml.push_str(&format!("    <link href=\"{}\"/>\n", escape(url)));
        }
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Text and attribute values for XML; characters XML 1.0 forbids are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
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

    /// The corpus marks 个体工商户条例 有效, though 促进个体工商户发展条例 says it repeals it:
    /// the lookup says 废止, by that regulation, from the day it took effect.
    #[test]
    fn a_document_repealed_by_a_newer_ones_own_words_is_repealed_from_its_day() {
        let lines = [
            r#"{"id":"old","title":"个体工商户条例","doc_number":"中华人民共和国国务院令第596号","issuer":"国务院","date":"2016-02-06","status":"有效","level":"行政法规","effective_date":"None","body":"第一条 为了保护个体工商户的合法权益，制定本条例。"}"#,
            r#"{"id":"new","title":"促进个体工商户发展条例","issuer":"国务院","date":"2022-10-01","status":"有效","level":"行政法规","effective_date":"None","body":"第四十一条 本条例自2022年11月1日起施行。《个体工商户条例》同时废止。"}"#,
            r#"{"id":"v2","title":"促进个体工商户发展条例","issuer":"国务院","date":"2023-10-01","status":"有效","level":"行政法规","effective_date":"None","body":"本条例自2023年11月1日起施行。《促进个体工商户发展条例》同时废止。"}"#,
        ];
        let (entries, problems) = read("repeals.jsonl", &lines.join("\n"));
        assert!(problems.is_empty(), "{problems:?}");
        let status = |id: &str, day: Date| {
            entries
                .iter()
                .find(|entry| entry.id == id)
                .unwrap()
                .status_on(day)
        };
        let today = time::macros::date!(2026 - 11 - 30);
        match status("old", today) {
            Status::Repealed { change } => {
                assert_eq!(change.by_title.as_deref(), Some("促进个体工商户发展条例"));
                assert_eq!(change.on, Some(time::macros::date!(2022 - 11 - 01)));
            }
            other => panic!("{other:?}"),
        }
        // In force until the day the new regulation took effect.
        assert_eq!(
            status("old", time::macros::date!(2022 - 10 - 31)).word(),
            "有效"
        );
        // A later text under the same title is a version, not a repeal of the earlier one.
        assert_eq!(status("new", today).word(), "有效");
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

    #[test]
    fn reports_documents_expiring_soon_and_expired_ones_still_marked_in_force() {
        let lines = [
            r#"{"id":"soon","title":"宁乡市农村建房管理办法","doc_number":"宁政发〔2021〕12号","issuer":"宁乡市人民政府","effective":"2021-12-20","status":"有效"}"#,
            r#"{"id":"stale","title":"宁乡市行政规范性文件管理规定","doc_number":"宁政发〔2019〕3号","effective":"2019-03-22","status":"现行有效"}"#,
            r#"{"id":"later","title":"=远期办法","effective":"2024-01-01","status":"有效"}"#,
            r#"{"id":"gone","title":"已废止的办法","effective":"2018-01-01","changes":[{"kind":"repealed","by_number":"宁政发〔2022〕9号","on":"2022-06-10"}]}"#,
            r#"{"id":"replaced","title":"宁乡市城区停车管理办法","doc_number":"宁政发〔2023〕2号","published":"2023-01-10","effective":"2023-02-01","status":"有效"}"#,
            r#"{"id":"newer","title":"宁乡市停车场建设和管理办法","doc_number":"宁政发〔2025〕1号","published":"2025-01-20","effective":"2025-03-01","status":"有效","body":"第三十条 本办法自2025年3月1日起施行。《宁乡市城区停车管理办法》同时废止。"}"#,
        ];
        let (entries, words, problems) = {
            let folder =
                std::env::temp_dir().join(format!("normative-{}-report", std::process::id()));
            fs::create_dir_all(&folder).unwrap();
            let path = folder.join("records.jsonl");
            fs::write(&path, lines.join("\n")).unwrap();
            read_lookup_marked(&[InputFile { path, root: folder }])
        };
        assert!(problems.is_empty(), "{problems:?}");
        let today = time::macros::date!(2026 - 11 - 30);
        let report = expiring_report(&entries, &words, today, 30);
        let soon: Vec<&str> = report.soon.iter().map(|(e, _)| e.id.as_str()).collect();
        assert_eq!(soon, ["soon"]);
        let overdue: Vec<&str> = report
            .overdue
            .iter()
            .map(|(e, _, _, _)| e.id.as_str())
            .collect();
        assert_eq!(overdue, ["stale", "replaced"]);
        let csv = report.csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], REPORT_HEADER.join(","));
        assert_eq!(
            lines[1],
            "即将到期,宁乡市农村建房管理办法,宁政发〔2021〕12号,宁乡市人民政府,2021-12-20,2026-12-19,19,有效"
        );
        assert_eq!(
            lines[2],
            "已失效仍标为有效,宁乡市行政规范性文件管理规定,宁政发〔2019〕3号,,2019-03-22,2024-03-21,984,现行有效"
        );
        assert_eq!(
            lines[3],
            "已废止仍标为有效,宁乡市城区停车管理办法,宁政发〔2023〕2号,,2023-02-01,2025-02-28,640,有效"
        );
        let table = report.table();
        assert!(
            table.contains("1 document(s) in force whose term ends within 30 day(s)"),
            "{table}"
        );
        assert!(
            table.contains("2026-12-19") && table.contains("宁政发〔2019〕3号"),
            "{table}"
        );
        // Nothing due: empty lists, a header-only CSV.
        let none = expiring_report(&entries, &words, time::macros::date!(2022 - 01 - 01), 0);
        assert!(none.soon.is_empty() && none.overdue.is_empty());
        assert_eq!(none.csv().lines().count(), 1);
    }

    #[test]
    fn the_feed_of_status_changes_is_atom_newest_first() {
        let mut entries = read(
            "feed.jsonl",
            &[
                r#"{"id":"gone","title":"A & B <办法>","doc_number":"宁政发〔2018〕1号","effective":"2018-01-01","url":"/doc?a=1&b=2","changes":[{"kind":"repealed","by_number":"宁政发〔2022〕9号","on":"2022-06-10"}]}"#,
                r#"{"id":"old","title":"宁乡市行政规范性文件管理规定","effective":"2019-03-22"}"#,
            ]
            .join("\n"),
        )
        .0;
        let feed = atom_feed(&entries, time::macros::date!(2026 - 11 - 30));
        let mut reader = quick_xml::Reader::from_str(&feed);
        while reader.read_event().expect("well-formed XML") != quick_xml::events::Event::Eof {}
        let titles: Vec<&str> = feed
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<title>")?.strip_suffix("</title>"))
            .collect();
        assert_eq!(
            titles,
            [
                "宁乡市行政规范性文件效力变化",
                "宁乡市行政规范性文件管理规定失效",
                "A &amp; B &lt;办法&gt;（宁政发〔2018〕1号）废止",
            ]
        );
        assert!(feed.contains("<updated>2024-03-22T00:00:00+08:00</updated>"));
        assert!(feed.contains("<link href=\"/doc?a=1&amp;b=2\"/>"));
        assert!(feed.contains("自2022-06-10起由宁政发〔2022〕9号废止。"));
        entries.clear();
        assert!(atom_feed(&entries, time::macros::date!(2026 - 11 - 30)).contains("</feed>"));
    }
}
