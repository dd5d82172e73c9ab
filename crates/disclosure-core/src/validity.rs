//! The validity of a normative document (行政规范性文件) on a given date.
//!
//! The status a citizen sees is computed for the day from the record's dates, never read
//! from a stored word: in Hunan a normative document is valid for 5 years unless it says
//! otherwise, one marked 暂行 or 试行 for 2, one that only repeals others without end; it
//! expires by itself the day after its 有效期至; another document may amend it, repeal
//! part of it or repeal it.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// How another document changed this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 已修改: amended, and in force as amended.
    Amended,
    /// 部分失效: some provisions repealed.
    PartlyRepealed,
    /// 废止: repealed as a whole.
    Repealed,
}

/// A change made by another document, from the day it took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The changing document's number as written, and its title when known.
    pub by_number: Option<String>,
    pub by_title: Option<String>,
    /// The day the change took effect; `None` when the source records that it happened
    /// but not when (the change then counts from the document's own effective date).
    pub on: Option<Date>,
}

impl ChangeKind {
    /// The verb of the lists: 修改, 部分废止, 废止.
    pub fn verb(self) -> &'static str {
        match self {
            ChangeKind::Amended => "修改",
            ChangeKind::PartlyRepealed => "部分废止",
            ChangeKind::Repealed => "废止",
        }
    }
}

impl Change {
    /// Who made the change, as the lists write it: `由《title》（number）`, `由《title》`,
    /// `由number`, or `None` when the record does not say.
    pub fn by_whom(&self) -> Option<String> {
        match (&self.by_title, &self.by_number) {
            (Some(title), Some(number)) => Some(format!("由《{title}》（{number}）")),
            (Some(title), None) => Some(format!("由《{title}》")),
            (None, Some(number)) => Some(format!("由{number}")),
            (None, None) => None,
        }
    }
}

/// What the record says about a document's term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// A normative document: valid for the default number of years unless `until` says
    /// otherwise (5, or 2 for 暂行/试行).
    Normative,
    /// A document whose only content is repealing others, or a law: no end of its own.
    Indefinite,
}

/// The dates and changes of a document that decide its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidityRecord {
    pub title: String,
    pub effective: Date,
    /// 有效期至, the last day in force, when the document states it.
    pub until: Option<Date>,
    pub term: Term,
    pub changes: Vec<Change>,
}

/// The status on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// 尚未生效, in force from `from`.
    NotYetInForce { from: Date },
    /// 有效, until `until` (inclusive) when the term ends.
    InForce { until: Option<Date> },
    /// 已修改: in force as amended by `change`.
    Amended { change: Change, until: Option<Date> },
    /// 部分失效 since `change.on`.
    PartlyRepealed { change: Change, until: Option<Date> },
    /// 废止 since `change.on`.
    Repealed { change: Change },
    /// 失效 since `since`, the day after its term ended.
    Expired { since: Date },
}

impl Status {
    /// The word of the national and Hunan lists.
    pub fn word(&self) -> &'static str {
        match self {
            Status::NotYetInForce { .. } => "尚未生效",
            Status::InForce { .. } => "有效",
            Status::Amended { .. } => "已修改",
            Status::PartlyRepealed { .. } => "部分失效",
            Status::Repealed { .. } => "废止",
            Status::Expired { .. } => "失效",
        }
    }

    /// Whether the document (or what is left of it) applies on the day.
    /// The same word in English, for widgets whose labels are English.
    pub fn word_en(&self) -> &'static str {
        match self {
            Status::NotYetInForce { .. } => "not yet in force",
            Status::InForce { .. } => "in force",
            Status::Amended { .. } => "amended",
            Status::PartlyRepealed { .. } => "partly repealed",
            Status::Repealed { .. } => "repealed",
            Status::Expired { .. } => "expired",
        }
    }

    pub fn in_force(&self) -> bool {
        matches!(
            self,
            Status::InForce { .. } | Status::Amended { .. } | Status::PartlyRepealed { .. }
        )
    }
}

/// The default term of a normative document whose title marks it 暂行 or 试行.
pub const PROVISIONAL_YEARS: i32 = 2;
/// The default term of any other normative document.
pub const DEFAULT_YEARS: i32 = 5;

/// Whether a title marks its document provisional (暂行, 试行).
pub fn is_provisional(title: &str) -> bool {
    title.contains("暂行") || title.contains("试行")
}

/// The same day `years` later; a 29 February without counterpart becomes 1 March, so a
/// term counted from it ends on the last day of February.
fn years_later(date: Date, years: i32) -> Date {
    let year = date.year() + years;
    Date::from_calendar_date(year, date.month(), date.day())
        .or_else(|_| Date::from_calendar_date(year, time::Month::March, 1))
        .unwrap_or(date)
}

impl ValidityRecord {
    /// The last day in force when no change intervenes: the stated 有效期至, or the end of
    /// the default term, or none.
    pub fn last_day(&self) -> Option<Date> {
        if let Some(until) = self.until {
            return Some(until);
        }
        match self.term {
            Term::Indefinite => None,
            Term::Normative => {
                let years = if is_provisional(&self.title) {
                    PROVISIONAL_YEARS
                } else {
                    DEFAULT_YEARS
                };
                Some(years_later(self.effective, years) - Duration::days(1))
            }
        }
    }

    /// The status on `day`.
    pub fn status_on(&self, day: Date) -> Status {
        if day < self.effective {
            return Status::NotYetInForce {
                from: self.effective,
            };
        }
        let last_day = self.last_day();
        // The latest change in effect on the day; a repeal outweighs anything on the same day.
        let latest = self
            .changes
            .iter()
            .filter(|change| change.on.is_none_or(|on| on <= day))
            .max_by_key(|change| (change.on, change.kind == ChangeKind::Repealed));
        if let Some(change) = latest.filter(|c| c.kind == ChangeKind::Repealed) {
            return Status::Repealed {
                change: change.clone(),
            };
        }
        if let Some(last) = last_day {
            if day > last {
                return Status::Expired {
                    since: last + Duration::days(1),
                };
            }
        }
        match latest {
            Some(change) if change.kind == ChangeKind::Amended => Status::Amended {
                change: change.clone(),
                until: last_day,
            },
            Some(change) => Status::PartlyRepealed {
                change: change.clone(),
                until: last_day,
            },
            None => Status::InForce { until: last_day },
        }
    }
}

/// The days a document is in force, as far as its record says: from `from` to `until`
/// (both inclusive; `until` `None` when no end is known). The search index keeps these two
/// days per document so that a filter (只看现行有效) and the ranking can tell, for any day,
/// whether a document is in force without reading its record; the status shown is still
/// [`ValidityRecord::status_on`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForceSpan {
    pub from: Date,
    pub until: Option<Date>,
}

impl ForceSpan {
    /// Whether `day` falls in the span.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|until| day <= until)
    }
}

impl ValidityRecord {
    /// The last span of days in which [`status_on`](Self::status_on) says "in force"
    /// ([`Status::in_force`]), or `None` when the document is never in force (repealed
    /// before it took effect). The status only changes on the effective day, a change's
    /// day and the day after the last day, so those days are the only ones looked at.
    /// A record whose force ends and comes back (repealed, then amended by a later
    /// document) gives the span after the return: the one that holds for today and later.
    pub fn force_span(&self) -> Option<ForceSpan> {
        let mut turns: Vec<Date> = vec![self.effective];
        turns.extend(self.changes.iter().filter_map(|change| change.on));
        if let Some(last) = self.last_day() {
            turns.extend(last.next_day());
        }
        turns.retain(|day| *day >= self.effective);
        turns.sort();
        turns.dedup();
        // Each turning day starts a stretch of one status, up to the next turning day.
        let in_force: Vec<bool> = turns
            .iter()
            .map(|day| self.status_on(*day).in_force())
            .collect();
        let last = in_force.iter().rposition(|yes| *yes)?;
        let first = in_force[..last]
            .iter()
            .rposition(|yes| !*yes)
            .map_or(0, |before| before + 1);
        Some(ForceSpan {
            from: turns[first],
            until: turns.get(last + 1).and_then(|next| next.previous_day()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn normative(title: &str, effective: Date) -> ValidityRecord {
        ValidityRecord {
            title: title.into(),
            effective,
            until: None,
            term: Term::Normative,
            changes: vec![],
        }
    }

    fn change(kind: ChangeKind, on: Date) -> Change {
        Change {
            kind,
            by_number: Some("宁政发〔2022〕9号".into()),
            by_title: None,
            on: Some(on),
        }
    }

    #[test]
    fn not_yet_in_force_before_the_effective_date() {
        let record = normative("宁乡市物业服务管理办法", date!(2025 - 01 - 01));
        assert_eq!(
            record.status_on(date!(2024 - 12 - 31)),
            Status::NotYetInForce {
                from: date!(2025 - 01 - 01)
            }
        );
        assert_eq!(record.status_on(date!(2025 - 01 - 01)).word(), "有效");
    }

    #[test]
    fn five_years_by_default_expiring_the_day_after_the_last_day() {
        let record = normative("宁乡市行政规范性文件管理规定", date!(2019 - 03 - 22));
        assert_eq!(record.last_day(), Some(date!(2024 - 03 - 21)));
        assert_eq!(
            record.status_on(date!(2024 - 03 - 21)),
            Status::InForce {
                until: Some(date!(2024 - 03 - 21))
            }
        );
        assert_eq!(
            record.status_on(date!(2024 - 03 - 22)),
            Status::Expired {
                since: date!(2024 - 03 - 22)
            }
        );
    }

    #[test]
    fn two_years_for_provisional_documents() {
        for title in [
            "宁乡市公共租赁住房管理办法（暂行）",
            "宁乡市农村村民住宅建设管理办法（试行）",
        ] {
            let record = normative(title, date!(2020 - 03 - 20));
            assert_eq!(record.last_day(), Some(date!(2022 - 03 - 19)), "{title}");
            assert_eq!(record.status_on(date!(2022 - 03 - 20)).word(), "失效");
        }
    }

    #[test]
    fn leap_days() {
        let record = normative("办法", date!(2020 - 02 - 29));
        assert_eq!(record.last_day(), Some(date!(2025 - 02 - 28)));
        assert_eq!(record.status_on(date!(2025 - 02 - 28)).word(), "有效");
        assert_eq!(record.status_on(date!(2025 - 03 - 01)).word(), "失效");
        let leap_end = normative("办法", date!(2019 - 03 - 01));
        assert_eq!(leap_end.last_day(), Some(date!(2024 - 02 - 29)));
        assert_eq!(leap_end.status_on(date!(2024 - 02 - 29)).word(), "有效");
        assert_eq!(leap_end.status_on(date!(2024 - 03 - 01)).word(), "失效");
    }

    #[test]
    fn a_stated_end_wins_and_repealing_documents_never_expire() {
        let mut record = normative("办法", date!(2021 - 01 - 01));
        record.until = Some(date!(2021 - 12 - 31));
        assert_eq!(
            record.status_on(date!(2022 - 01 - 01)),
            Status::Expired {
                since: date!(2022 - 01 - 01)
            }
        );
        let repealing = ValidityRecord {
            term: Term::Indefinite,
            ..normative("关于废止部分规范性文件的决定", date!(2010 - 01 - 01))
        };
        assert_eq!(
            repealing.status_on(date!(2090 - 01 - 01)),
            Status::InForce { until: None }
        );
    }

    #[test]
    fn changes_by_other_documents_from_their_day() {
        let mut record = normative("宁乡市公共租赁住房管理办法", date!(2020 - 03 - 20));
        record.until = Some(date!(2030 - 01 - 01));
        record.changes = vec![
            change(ChangeKind::Amended, date!(2021 - 05 - 01)),
            change(ChangeKind::PartlyRepealed, date!(2022 - 01 - 01)),
            change(ChangeKind::Repealed, date!(2023 - 06 - 10)),
        ];
        assert_eq!(record.status_on(date!(2021 - 04 - 30)).word(), "有效");
        assert_eq!(record.status_on(date!(2021 - 05 - 01)).word(), "已修改");
        assert_eq!(record.status_on(date!(2022 - 01 - 01)).word(), "部分失效");
        assert!(record.status_on(date!(2022 - 01 - 01)).in_force());
        assert_eq!(record.status_on(date!(2023 - 06 - 09)).word(), "部分失效");
        let repealed = record.status_on(date!(2023 - 06 - 10));
        assert_eq!(repealed.word(), "废止");
        assert!(!repealed.in_force());
    }

    /// The span agrees with the status on every day around each turning day.
    #[test]
    fn the_force_span_agrees_with_the_status_every_day() {
        let mut records = vec![
            normative("宁乡市物业服务管理办法", date!(2020 - 03 - 20)),
            normative("宁乡市公共租赁住房管理办法（暂行）", date!(2020 - 03 - 20)),
            ValidityRecord {
                term: Term::Indefinite,
                ..normative("中华人民共和国民法典", date!(2021 - 01 - 01))
            },
        ];
        let mut amended_then_repealed = normative("办法", date!(2019 - 01 - 01));
        amended_then_repealed.changes = vec![
            change(ChangeKind::Amended, date!(2020 - 01 - 01)),
            change(ChangeKind::Repealed, date!(2021 - 06 - 01)),
        ];
        records.push(amended_then_repealed);
        let mut repealed_at_once = normative("办法", date!(2019 - 01 - 01));
        repealed_at_once.changes = vec![Change {
            on: None,
            ..change(ChangeKind::Repealed, date!(2019 - 01 - 01))
        }];
        records.push(repealed_at_once);
        let mut comes_back = normative("办法", date!(2019 - 01 - 01));
        comes_back.until = Some(date!(2030 - 12 - 31));
        comes_back.changes = vec![
            change(ChangeKind::Repealed, date!(2020 - 01 - 01)),
            change(ChangeKind::Amended, date!(2022 - 01 - 01)),
        ];
        records.push(comes_back);
        for record in &records {
            let span = record.force_span();
            let mut day = date!(2018 - 06 - 01);
            while day < date!(2032 - 01 - 01) {
                // Only the last stretch counts: from the span's start on, they agree.
                if span.is_none_or(|span| day >= span.from) {
                    assert_eq!(
                        span.is_some_and(|span| span.contains(day)),
                        record.status_on(day).in_force(),
                        "{record:?} on {day}"
                    );
                }
                day = day.next_day().expect("in range");
            }
        }
        assert_eq!(records[4].force_span(), None);
        assert_eq!(
            records[5].force_span(),
            Some(ForceSpan {
                from: date!(2022 - 01 - 01),
                until: Some(date!(2030 - 12 - 31))
            })
        );
    }

    #[test]
    fn a_repeal_outweighs_expiry_and_expiry_outweighs_amendment() {
        let mut record = normative("办法", date!(2015 - 01 - 01));
        record.changes = vec![change(ChangeKind::Amended, date!(2016 - 01 - 01))];
        assert_eq!(record.status_on(date!(2020 - 01 - 01)).word(), "失效");
        record
            .changes
            .push(change(ChangeKind::Repealed, date!(2018 - 01 - 01)));
        assert_eq!(record.status_on(date!(2020 - 01 - 01)).word(), "废止");
    }
}
