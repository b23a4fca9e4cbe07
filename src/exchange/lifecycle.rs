//! When each Exchange version's support ends, and the date reports judge versions against.
//!
//! Support ends by the calendar, but reports must not change with it: the same export gives the
//! same report next year. So versions are judged against [`REVIEWED`], the day this table was
//! last checked, unless the user names another day (`--as-of`). Sources: Microsoft Learn's
//! Exchange 2007 pages ("will reach end of support on April 11, 2017"), Microsoft's lifecycle
//! pages as quoted in `MODERN.md` (2010: 2020-10-13; 2013: 2023-04-11), and the Exchange Team
//! blog "T-1 month: Exchange Server 2016 and Exchange Server 2019 End of Support" (2025-10-14,
//! with a paid Extended Security Update programme to 2026-04-14). Subscription Edition follows
//! the Modern Lifecycle Policy: no end date while it is kept current.

use std::fmt;
use std::str::FromStr;

use super::ServerVersion;

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }
}

impl FromStr for Date {
    type Err = String;

    /// `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Date, String> {
        let invalid = || format!("`{text}` is not a date written YYYY-MM-DD");
        let mut parts = text.trim().splitn(3, '-');
        let mut next = |digits: usize| {
            let part = parts.next().filter(|part| part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()));
            part.and_then(|part| part.parse::<u16>().ok()).ok_or_else(invalid)
        };
        let (year, month, day) = (next(4)?, next(2)?, next(2)?);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => return Err(invalid()),
        };
        if day == 0 || day > days_in_month {
            return Err(invalid());
        }
        Ok(Date::new(year, month as u8, day as u8))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The day the table below was last checked against Microsoft's lifecycle pages: what versions
/// are judged against unless `--as-of` names another day.
pub const REVIEWED: Date = Date::new(2026, 12, 4);

/// When support for a version ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndOfSupport {
    pub date: Date,
    /// The end of the paid Extended Security Update programme, when there was one.
    pub extended_security_updates: Option<Date>,
    /// Whether `date` is a bound (support ended on that day at the latest) rather than the day.
    pub at_the_latest: bool,
}

impl EndOfSupport {
    const fn on(date: Date) -> EndOfSupport {
        EndOfSupport { date, extended_security_updates: None, at_the_latest: false }
    }
}

/// When support for `version` ends; `None` when it has no end date (Subscription Edition) or the
/// version is unknown.
pub fn end_of_support(version: &ServerVersion) -> Option<EndOfSupport> {
    let exchange_2019_and_2016 = EndOfSupport {
        date: Date::new(2025, 10, 14),
        extended_security_updates: Some(Date::new(2026, 4, 14)),
        at_the_latest: false,
    };
    match (version.major, version.minor) {
        // Exchange 5.5, 2000 and 2003: their support ended before their successor's, Exchange
        // 2007's; exlint's sources give no exact day.
        (5, _) | (6, _) => Some(EndOfSupport { at_the_latest: true, ..EndOfSupport::on(Date::new(2017, 4, 11)) }),
        (8, _) => Some(EndOfSupport::on(Date::new(2017, 4, 11))),
        (14, _) => Some(EndOfSupport::on(Date::new(2020, 10, 13))),
        (15, 0) => Some(EndOfSupport::on(Date::new(2023, 4, 11))),
        (15, 1) => Some(exchange_2019_and_2016),
        (15, 2) if !version.is_subscription_edition() => Some(exchange_2019_and_2016),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> ServerVersion {
        ServerVersion::parse(text).unwrap()
    }

    #[test]
    fn reads_and_writes_dates() {
        assert_eq!("2025-10-14".parse(), Ok(Date::new(2025, 10, 14)));
        assert_eq!(Date::new(2026, 4, 1).to_string(), "2026-04-01");
        assert_eq!("2024-02-29".parse(), Ok(Date::new(2024, 2, 29)));
        for bad in ["2025-02-29", "2025-13-01", "2025-1-01", "25-01-01", "2025-01-32", "today", "2025-01-00"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!(Date::new(2025, 10, 14) < Date::new(2026, 1, 1));
    }

    #[test]
    fn subscription_edition_has_no_end_and_2019_does() {
        assert_eq!(end_of_support(&version("Version 15.2 (Build 2562.17)")), None);
        let exchange_2019 = end_of_support(&version("Version 15.2 (Build 1748.10)")).unwrap();
        assert_eq!(exchange_2019.date, Date::new(2025, 10, 14));
        assert_eq!(exchange_2019.extended_security_updates, Some(Date::new(2026, 4, 14)));
        assert_eq!(end_of_support(&version("Version 15.0 (Build 1497.2)")).unwrap().date, Date::new(2023, 4, 11));
        assert!(end_of_support(&version("Version 6.5 (Build 7638.2)")).unwrap().at_the_latest);
    }
}
