//! The 行政规范性文件库 (library of normative documents) browsed without a query: every
//! entry of the lookup file grouped by issuing body, year and status (computed for a day,
//! never read from a stored word), filtered, sorted by date and paged; the lists a county
//! must publish (现行有效, 已废止, 已失效) as CSV; the documents whose term ends soon; and
//! the status changes (expiry, repeal, amendment) with their dates, for a feed.
//!
//! Everything is prepared once per file and day ([`Library::new`]), so a keystroke in the
//! filter is one pass over prepared rows.

use std::collections::BTreeMap;

use time::{Date, Duration};

use crate::docnum::DocNumber;
use crate::lookup::LookupEntry;
use crate::text::{csv_line, fold};
use crate::validity::{ChangeKind, Status};

/// Entries shown per page.
pub const PAGE_SIZE: usize = 20;

/// The issuing body of an entry that names none, as the library groups it.
pub const NO_ISSUER: &str = "未注明制定机关";

/// The status of a document on a day, as the published lists group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusGroup {
    /// 现行有效: in force, as it is, amended or partly repealed.
    Current,
    /// 尚未生效.
    NotYetInForce,
    /// 已废止.
    Repealed,
    /// 已失效: its term ended.
    Expired,
}

impl StatusGroup {
    /// Every group, in the order the library lists them.
    pub const ALL: [StatusGroup; 4] = [
        StatusGroup::Current,
        StatusGroup::NotYetInForce,
        StatusGroup::Repealed,
        StatusGroup::Expired,
    ];

    /// The lists a county must publish.
    pub const PUBLISHED: [StatusGroup; 3] = [
        StatusGroup::Current,
        StatusGroup::Repealed,
        StatusGroup::Expired,
    ];

    /// The group of a status.
    pub fn of(status: &Status) -> StatusGroup {
        match status {
            Status::InForce { .. } | Status::Amended { .. } | Status::PartlyRepealed { .. } => {
                StatusGroup::Current
            }
            Status::NotYetInForce { .. } => StatusGroup::NotYetInForce,
            Status::Repealed { .. } => StatusGroup::Repealed,
            Status::Expired { .. } => StatusGroup::Expired,
        }
    }

    /// The word of the published lists.
    pub fn word(self) -> &'static str {
        match self {
            StatusGroup::Current => "现行有效",
            StatusGroup::NotYetInForce => "尚未生效",
            StatusGroup::Repealed => "已废止",
            StatusGroup::Expired => "已失效",
        }
    }

    /// The same in English.
    pub fn word_en(self) -> &'static str {
        match self {
            StatusGroup::Current => "in force",
            StatusGroup::NotYetInForce => "not yet in force",
            StatusGroup::Repealed => "repealed",
            StatusGroup::Expired => "expired",
        }
    }

    /// A short name for addresses and form values.
    pub fn slug(self) -> &'static str {
        match self {
            StatusGroup::Current => "current",
            StatusGroup::NotYetInForce => "pending",
            StatusGroup::Repealed => "repealed",
            StatusGroup::Expired => "expired",
        }
    }

    /// The group a [`StatusGroup::slug`] names; `None` for anything else.
    pub fn from_slug(slug: &str) -> Option<StatusGroup> {
        StatusGroup::ALL.into_iter().find(|g| g.slug() == slug)
    }
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LibrarySort {
    /// Newest publication (or effective) date first.
    #[default]
    NewestFirst,
    /// Oldest first.
    OldestFirst,
}

/// What the citizen chose: the filters, the order and the page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LibraryQuery {
    /// Words of the title, number or issuing body, or a number in any spelling.
    pub text: String,
    pub issuer: Option<String>,
    pub year: Option<i32>,
    pub status: Option<StatusGroup>,
    pub sort: LibrarySort,
    /// The page shown, from 0.
    pub page: usize,
}

/// A change of the [`LibraryQuery`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibraryAction {
    Text(String),
    Issuer(Option<String>),
    Year(Option<i32>),
    Status(Option<StatusGroup>),
    Sort(LibrarySort),
    Page(usize),
    /// Every filter off, first page.
    Clear,
}

impl LibraryQuery {
    /// The query after `action`: any change of filter or order returns to the first page.
    pub fn apply(&self, action: LibraryAction) -> LibraryQuery {
        let mut next = self.clone();
        match action {
            LibraryAction::Page(page) => {
                next.page = page;
                return next;
            }
            LibraryAction::Text(text) => next.text = text,
            LibraryAction::Issuer(issuer) => next.issuer = issuer,
            LibraryAction::Year(year) => next.year = year,
            LibraryAction::Status(status) => next.status = status,
            LibraryAction::Sort(sort) => next.sort = sort,
            LibraryAction::Clear => next = LibraryQuery::default(),
        }
        next.page = 0;
        next
    }

    /// Whether any filter is set.
    pub fn is_filtered(&self) -> bool {
        !self.text.trim().is_empty()
            || self.issuer.is_some()
            || self.year.is_some()
            || self.status.is_some()
    }
}

/// One entry prepared for filtering.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    entry: LookupEntry,
    /// Title, number and issuer folded, for words typed.
    folded: String,
    issuer: String,
    year: Option<i32>,
    date: Date,
    group: StatusGroup,
}

/// The library prepared for one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// Newest first.
    rows: Vec<Row>,
    today: Date,
}

/// What a query shows: one page of entries and the counts of every filter's choices
/// under the other filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryView<'a> {
    pub entries: Vec<&'a LookupEntry>,
    /// Entries matching every filter.
    pub total: usize,
    /// The page shown (clamped to the last), from 0.
    pub page: usize,
    pub pages: usize,
    /// Issuing bodies with their counts, most documents first.
    pub issuers: Vec<(String, usize)>,
    /// Years with their counts, newest first.
    pub years: Vec<(i32, usize)>,
    /// Every status group with its count.
    pub statuses: Vec<(StatusGroup, usize)>,
}

/// The date a document is filed under: its publication date, else its effective date.
fn filed_on(entry: &LookupEntry) -> Date {
    entry
        .published
        .as_deref()
        .and_then(|p| crate::parse_date(p).ok())
        .unwrap_or_else(|| entry.record().effective)
}

impl Library {
    /// Prepares `entries` with their statuses on `today`.
    pub fn new(entries: &[LookupEntry], today: Date) -> Library {
        let mut rows: Vec<Row> = entries
            .iter()
            .map(|entry| {
                let date = filed_on(entry);
                let mut text = entry.title.clone();
                for extra in [&entry.number, &entry.key, &entry.issuer]
                    .into_iter()
                    .flatten()
                {
                    text.push(' ');
                    text.push_str(extra);
                }
                Row {
                    folded: fold(&text),
                    issuer: entry
                        .issuer
                        .clone()
                        .filter(|i| !i.trim().is_empty())
                        .unwrap_or_else(|| NO_ISSUER.to_string()),
                    year: (date != Date::MIN).then(|| date.year()),
                    date,
                    group: StatusGroup::of(&entry.status_on(today)),
                    entry: entry.clone(),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (std::cmp::Reverse(a.date), &a.entry.title, &a.entry.id).cmp(&(
                std::cmp::Reverse(b.date),
                &b.entry.title,
                &b.entry.id,
            ))
        });
        Library { rows, today }
    }

    /// The day the statuses are computed for.
    pub fn today(&self) -> Date {
        self.today
    }

    /// How many documents the library holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The page of `query` with `per_page` entries (`usize::MAX` for all, as printed).
    pub fn view(&self, query: &LibraryQuery, per_page: usize) -> LibraryView<'_> {
        let per_page = per_page.max(1);
        let folded = fold(query.text.trim());
        let words: Vec<&str> = folded.split_whitespace().collect();
        let key = DocNumber::parse(query.text.trim()).ok().map(|n| n.key());
        let mut issuers: BTreeMap<&str, usize> = BTreeMap::new();
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        let mut statuses: BTreeMap<StatusGroup, usize> = BTreeMap::new();
        let mut matched: Vec<&Row> = Vec::new();
        for row in &self.rows {
            let text = words.is_empty()
                || words.iter().all(|w| row.folded.contains(w))
                || key.is_some() && row.entry.key == key;
            if !text {
                continue;
            }
            let issuer = query.issuer.as_deref().is_none_or(|i| i == row.issuer);
            let year = query.year.is_none_or(|y| row.year == Some(y));
            let status = query.status.is_none_or(|s| s == row.group);
            if year && status {
                *issuers.entry(row.issuer.as_str()).or_default() += 1;
            }
            if issuer && status {
                if let Some(y) = row.year {
                    *years.entry(y).or_default() += 1;
                }
            }
            if issuer && year {
                *statuses.entry(row.group).or_default() += 1;
            }
            if issuer && year && status {
                matched.push(row);
            }
        }
        if query.sort == LibrarySort::OldestFirst {
            matched.reverse();
        }
        let total = matched.len();
        let pages = total.div_ceil(per_page).max(1);
        let page = query.page.min(pages - 1);
        let entries = matched
            .into_iter()
            .skip(page.saturating_mul(per_page))
            .take(per_page)
            .map(|row| &row.entry)
            .collect();
        let mut issuers: Vec<(String, usize)> = issuers
            .into_iter()
            .map(|(i, n)| (i.to_string(), n))
            .collect();
        if let Some(chosen) = &query.issuer {
            if !issuers.iter().any(|(i, _)| i == chosen) {
                issuers.push((chosen.clone(), 0));
            }
        }
        issuers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut years: Vec<(i32, usize)> = years.into_iter().rev().collect();
        if let Some(chosen) = query.year {
            if !years.iter().any(|(y, _)| *y == chosen) {
                years.push((chosen, 0));
            }
        }
        LibraryView {
            entries,
            total,
            page,
            pages,
            issuers,
            years,
            statuses: StatusGroup::ALL
                .into_iter()
                .map(|g| (g, statuses.get(&g).copied().unwrap_or(0)))
                .collect(),
        }
    }

    /// Every document of `group`, newest first.
    pub fn group(&self, group: StatusGroup) -> impl Iterator<Item = &LookupEntry> {
        self.rows
            .iter()
            .filter(move |row| row.group == group)
            .map(|row| &row.entry)
    }

    /// The published list of `group` as CSV (a header row, then one row per document,
    /// newest first), through the project's one CSV writer.
    pub fn list_csv(&self, group: StatusGroup) -> String {
        let mut csv = csv_line(CSV_HEADER);
        for (n, entry) in self.group(group).enumerate() {
            let status = entry.status_on(self.today);
            let serial = (n + 1).to_string();
            let last_day = entry
                .record()
                .last_day()
                .map(|d| d.to_string())
                .unwrap_or_default();
            let change = change_words(&status);
            csv.push_str(&csv_line([
                serial.as_str(),
                entry.title.as_str(),
                entry.number.as_deref().unwrap_or(""),
                entry.issuer.as_deref().unwrap_or(""),
                entry.published.as_deref().unwrap_or(""),
                entry.effective.as_str(),
                last_day.as_str(),
                status.word(),
                change.as_str(),
                entry.url.as_deref().unwrap_or(""),
            ]));
        }
        csv
    }
}

/// The columns of a published list.
pub const CSV_HEADER: [&str; 10] = [
    "序号",
    "标题",
    "文号",
    "制定机关",
    "发布日期",
    "施行日期",
    "有效期至",
    "效力状态",
    "变更情况",
    "链接",
];

/// "2022-06-10 由宁政发〔2022〕9号废止", or the day the term ended.
pub fn change_words(status: &Status) -> String {
    let change = match status {
        Status::Amended { change, .. }
        | Status::PartlyRepealed { change, .. }
        | Status::Repealed { change } => change,
        Status::Expired { since } => return format!("{since}起有效期届满失效"),
        _ => return String::new(),
    };
    let verb = change.kind.verb();
    let by = change.by_whom().unwrap_or_else(|| "已".to_string());
    match change.on {
        Some(on) => format!("{on}起{by}{verb}"),
        None => format!("{by}{verb}"),
    }
}

/// The documents in force on `today` whose term ends within `days` days (their last day
/// on or before `today + days`), soonest first, with that last day: the Hunan rule has a
/// document that must continue re-registered before its period ends.
pub fn expiring_within(
    entries: &[LookupEntry],
    today: Date,
    days: u32,
) -> Vec<(&LookupEntry, Date)> {
    let horizon = today
        .checked_add(Duration::days(i64::from(days)))
        .unwrap_or(Date::MAX);
    let mut found: Vec<(&LookupEntry, Date)> = entries
        .iter()
        .filter(|entry| entry.status_on(today).in_force())
        .filter_map(|entry| {
            let last = entry.record().last_day()?;
            (last >= today && last <= horizon).then_some((entry, last))
        })
        .collect();
    found.sort_by(|a, b| (a.1, &a.0.title, &a.0.id).cmp(&(b.1, &b.0.title, &b.0.id)));
    found
}

/// What happened to a document's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeEventKind {
    /// Its term ended: 失效.
    Expired,
    Amended,
    PartlyRepealed,
    Repealed,
}

impl ChangeEventKind {
    /// The word a reader sees.
    pub fn word(self) -> &'static str {
        match self {
            ChangeEventKind::Expired => "失效",
            ChangeEventKind::Amended => "修改",
            ChangeEventKind::PartlyRepealed => "部分废止",
            ChangeEventKind::Repealed => "废止",
        }
    }

    /// A short name for identifiers.
    pub fn slug(self) -> &'static str {
        match self {
            ChangeEventKind::Expired => "expired",
            ChangeEventKind::Amended => "amended",
            ChangeEventKind::PartlyRepealed => "partly-repealed",
            ChangeEventKind::Repealed => "repealed",
        }
    }
}

/// A change of a document's status on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent<'a> {
    pub entry: &'a LookupEntry,
    pub kind: ChangeEventKind,
    pub on: Date,
    /// The changing document's number, for amendments and repeals that name it.
    pub by_number: Option<&'a str>,
    pub by_title: Option<&'a str>,
}

/// Every dated status change up to `today`, newest first: each amendment, partial repeal
/// and repeal from its day, and each expiry from the day after the term ended (unless
/// the document was repealed before). Changes the records hold without a date are left
/// out: a feed entry needs its day.
pub fn status_events(entries: &[LookupEntry], today: Date) -> Vec<StatusEvent<'_>> {
    let mut events = Vec::new();
    for entry in entries {
        for change in &entry.changes {
            let Some(on) = change.on.as_deref().and_then(|d| crate::parse_date(d).ok()) else {
                continue;
            };
            if on > today {
                continue;
            }
            events.push(StatusEvent {
                entry,
                kind: match change.kind {
                    ChangeKind::Amended => ChangeEventKind::Amended,
                    ChangeKind::PartlyRepealed => ChangeEventKind::PartlyRepealed,
                    ChangeKind::Repealed => ChangeEventKind::Repealed,
                },
                on,
                by_number: change.by_number.as_deref(),
                by_title: change.by_title.as_deref(),
            });
        }
        let record = entry.record();
        if let Some(since) = record
            .last_day()
            .and_then(|last| last.checked_add(Duration::days(1)))
        {
            if since <= today && matches!(record.status_on(since), Status::Expired { .. }) {
                events.push(StatusEvent {
                    entry,
                    kind: ChangeEventKind::Expired,
                    on: since,
                    by_number: None,
                    by_title: None,
                });
            }
        }
    }
    events.sort_by(|a, b| {
        (std::cmp::Reverse(a.on), &a.entry.id, a.kind.slug()).cmp(&(
            std::cmp::Reverse(b.on),
            &b.entry.id,
            b.kind.slug(),
        ))
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::LookupChange;
    use crate::validity::Term;
    use time::macros::date;

    fn entry(id: &str, title: &str, issuer: &str, effective: &str) -> LookupEntry {
        let number = format!("宁政发〔{}〕{}号", &effective[..4], id.len());
        LookupEntry {
            id: id.into(),
            title: title.into(),
            key: DocNumber::parse(&number).ok().map(|n| n.key()),
            number: Some(number),
            issuer: Some(issuer.into()),
            published: Some(effective.into()),
            effective: effective.into(),
            until: None,
            term: Term::Normative,
            changes: vec![],
            url: None,
            interpretation_url: None,
        }
    }

    fn entries() -> Vec<LookupEntry> {
        let mut repealed = entry(
            "r",
            "宁乡市公共租赁住房管理办法（暂行）",
            "住建局",
            "2020-03-20",
        );
        repealed.changes = vec![LookupChange {
            kind: ChangeKind::Repealed,
            by_number: Some("宁住建发〔2022〕9号".into()),
            by_title: None,
            on: Some("2022-06-10".into()),
        }];
        let mut amended = entry("am", "宁乡市物业管理办法", "住建局", "2023-01-01");
        amended.changes = vec![LookupChange {
            kind: ChangeKind::Amended,
            by_number: None,
            by_title: None,
            on: None,
        }];
        vec![
            entry(
                "old",
                "宁乡市行政规范性文件管理规定",
                "宁乡市人民政府",
                "2019-03-22",
            ),
            repealed,
            entry("new", "宁乡市公共租赁住房管理办法", "住建局", "2022-06-10"),
            amended,
            entry(
                "soon",
                "宁乡市农村建房管理办法",
                "宁乡市人民政府",
                "2025-12-01",
            ),
            entry("later", "宁乡市养老服务补贴办法", "民政局", "2026-12-15"),
        ]
    }

    const TODAY: Date = date!(2026 - 11 - 30);

    fn ids(view: &LibraryView) -> Vec<String> {
        view.entries.iter().map(|e| e.id.clone()).collect()
    }

    #[test]
    fn browses_every_document_newest_first_with_counts() {
        let library = Library::new(&entries(), TODAY);
        let view = library.view(&LibraryQuery::default(), PAGE_SIZE);
        assert_eq!(ids(&view), ["later", "soon", "am", "new", "r", "old"]);
        assert_eq!(view.total, 6);
        assert_eq!(
            view.statuses,
            [
                (StatusGroup::Current, 3),
                (StatusGroup::NotYetInForce, 1),
                (StatusGroup::Repealed, 1),
                (StatusGroup::Expired, 1)
            ]
        );
        assert_eq!(view.issuers[0], ("住建局".to_string(), 3));
        assert_eq!(view.years[0], (2026, 1));
        let oldest = library.view(
            &LibraryQuery::default().apply(LibraryAction::Sort(LibrarySort::OldestFirst)),
            PAGE_SIZE,
        );
        assert_eq!(ids(&oldest)[0], "old");
    }

    #[test]
    fn filters_count_each_choice_under_the_others() {
        let library = Library::new(&entries(), TODAY);
        let query = LibraryQuery::default()
            .apply(LibraryAction::Issuer(Some("住建局".into())))
            .apply(LibraryAction::Status(Some(StatusGroup::Current)));
        let view = library.view(&query, PAGE_SIZE);
        assert_eq!(ids(&view), ["am", "new"]);
        // Statuses counted within the issuer; issuers within the status.
        assert_eq!(view.statuses[2], (StatusGroup::Repealed, 1));
        assert!(view.issuers.contains(&("宁乡市人民政府".to_string(), 1)));
        let by_year = library.view(&query.apply(LibraryAction::Year(Some(2022))), PAGE_SIZE);
        assert_eq!(ids(&by_year), ["new"]);
        // Words and numbers in any spelling.
        let typed = library.view(
            &LibraryQuery::default().apply(LibraryAction::Text("公共租赁 住房".into())),
            PAGE_SIZE,
        );
        assert_eq!(ids(&typed), ["new", "r"]);
        let number = library.view(
            &LibraryQuery::default().apply(LibraryAction::Text("宁政发[2019]3号".into())),
            PAGE_SIZE,
        );
        assert_eq!(ids(&number), ["old"]);
        assert_eq!(
            library
                .view(
                    &LibraryQuery::default().apply(LibraryAction::Text("😀〔".into())),
                    20
                )
                .total,
            0
        );
    }

    #[test]
    fn pages_clamp_and_a_filter_returns_to_the_first() {
        let library = Library::new(&entries(), TODAY);
        let query = LibraryQuery::default().apply(LibraryAction::Page(1));
        let view = library.view(&query, 4);
        assert_eq!((view.page, view.pages), (1, 2));
        assert_eq!(ids(&view), ["r", "old"]);
        assert_eq!(
            library.view(&query.apply(LibraryAction::Page(99)), 4).page,
            1
        );
        assert_eq!(query.apply(LibraryAction::Year(Some(2019))).page, 0);
        let all = library.view(&query, usize::MAX);
        assert_eq!((all.entries.len(), all.pages), (6, 1));
        let nothing = Library::new(&[], TODAY);
        let empty = nothing.view(&LibraryQuery::default(), 0);
        assert_eq!((empty.total, empty.pages, empty.page), (0, 1, 0));
    }

    #[test]
    fn published_lists_as_csv() {
        let library = Library::new(&entries(), TODAY);
        let csv = library.list_csv(StatusGroup::Repealed);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert!(
            lines[1].starts_with("1,宁乡市公共租赁住房管理办法（暂行）,宁政发〔2020〕1号,住建局")
        );
        assert!(
            lines[1].contains("废止,2022-06-10起由宁住建发〔2022〕9号废止"),
            "{csv}"
        );
        assert_eq!(lines.len(), 3);
        let expired = library.list_csv(StatusGroup::Expired);
        assert!(expired.contains("2024-03-22起有效期届满失效"), "{expired}");
        assert_eq!(library.list_csv(StatusGroup::Current).lines().count(), 4);
    }

    #[test]
    fn expiring_documents_soonest_first() {
        let entries = entries();
        assert!(expiring_within(&entries, TODAY, 30).is_empty());
        let found: Vec<(&str, Date)> = expiring_within(&entries, date!(2027 - 05 - 20), 30)
            .into_iter()
            .map(|(e, d)| (e.id.as_str(), d))
            .collect();
        assert_eq!(found, [("new", date!(2027 - 06 - 09))]);
        assert!(expiring_within(&entries, TODAY, u32::MAX).len() >= 3);
    }

    #[test]
    fn status_events_newest_first_with_their_days() {
        let entries = entries();
        let events: Vec<(&str, ChangeEventKind, Date)> = status_events(&entries, TODAY)
            .into_iter()
            .map(|e| (e.entry.id.as_str(), e.kind, e.on))
            .collect();
        assert_eq!(
            events,
            [
                ("old", ChangeEventKind::Expired, date!(2024 - 03 - 22)),
                ("r", ChangeEventKind::Repealed, date!(2022 - 06 - 10)),
                // The provisional document's two years ended before its repeal.
                ("r", ChangeEventKind::Expired, date!(2022 - 03 - 20)),
            ]
        );
        // Nothing after the day, nothing undated (the amendment of "am").
        assert!(status_events(&entries, date!(2022 - 01 - 01)).is_empty());
    }
}
