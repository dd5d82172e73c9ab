//! Calendar dates as officials write them.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The text does not have the shape of a date.
    Unreadable(String),
    /// The text has the shape of a date that does not exist, such as 2023-02-30.
    Impossible(String),
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Unreadable(text) => write!(f, "unreadable date {text:?}"),
            DateError::Impossible(text) => write!(f, "impossible date {text:?}"),
        }
    }
}

impl std::error::Error for DateError {}

/// The day in China (UTC+8, no daylight saving) at the instant `now`: the day on which
/// periods, receipts and the statuses on published pages are counted. The caller reads the
/// clock (`OffsetDateTime::now_utc()`); the core does no IO.
pub fn china_date(now: OffsetDateTime) -> Date {
    match UtcOffset::from_hms(8, 0, 0) {
        Ok(china) => now.to_offset(china).date(),
        Err(_) => now.date(),
    }
}

#[cfg(test)]
mod china_tests {
    #[test]
    fn the_day_in_china_starts_at_16_00_utc() {
        let late = time::macros::datetime!(2026-11-30 16:30 UTC);
        assert_eq!(super::china_date(late), time::macros::date!(2026 - 12 - 01));
        let early = time::macros::datetime!(2026-11-30 15:59 UTC);
        assert_eq!(super::china_date(early), time::macros::date!(2026 - 11 - 30));
    }
}

/// Parses the date spellings found in officials' files: `2023-03-01`, `2023/3/1`,
/// `2023.03.01`, `2023年3月1日`, each optionally followed by a time of day (`PubDate`
/// metadata carries one), with full-width digits allowed.
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let unreadable = || DateError::Unreadable(text.to_string());
    let folded: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut numbers = folded
        .split(['-', '/', '.', '年', '月', '日', ' ', 'T'])
        .filter(|piece| !piece.is_empty());
    let mut next_number = |max_len: usize| -> Result<u32, DateError> {
        let piece = numbers.next().ok_or_else(unreadable)?;
        if piece.len() > max_len || !piece.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unreadable());
        }
        piece.parse().map_err(|_| unreadable())
    };
    let year = next_number(4)?;
    let month = next_number(2)?;
    let day = next_number(2)?;
    if !(1000..=9999).contains(&year) {
        return Err(unreadable());
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| DateError::Impossible(text.to_string()))?;
    let day = u8::try_from(day).map_err(|_| DateError::Impossible(text.to_string()))?;
    Date::from_calendar_date(year as i32, month, day)
        .map_err(|_| DateError::Impossible(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_the_spellings_officials_use() {
        for text in [
            "2023-03-01",
            "2023/3/1",
            "2023.03.01",
            "2023年3月1日",
            "２０２３年３月１日",
            "2023-03-01 10:30",
            "2023-03-01T10:30:00",
        ] {
            assert_eq!(parse_date(text), Ok(date!(2023 - 03 - 01)), "{text}");
        }
    }

    #[test]
    fn tells_impossible_from_unreadable() {
        assert_eq!(
            parse_date("2023-02-30"),
            Err(DateError::Impossible("2023-02-30".into()))
        );
        assert_eq!(
            parse_date("2023-13-01"),
            Err(DateError::Impossible("2023-13-01".into()))
        );
        assert!(parse_date("2024-02-29").is_ok());
        for text in ["", "yesterday", "2023", "2023-03", "20230301", "12-03-2023"] {
            assert!(
                matches!(parse_date(text), Err(DateError::Unreadable(_))),
                "{text}"
            );
        }
    }
}
