//! Sales periods: years that start at the funnel's fiscal-year start month.
//!
//! A period is named by the calendar year it starts in: with a fiscal year starting in April,
//! period 2026 runs from 2026-04-01 to 2027-03-31. Targets are usually annual, so for part of the
//! year two periods (this one and the next) are worked in parallel.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// The calendar year the period starts in; it is also its name.
    pub year: i32,
    /// Month the fiscal year starts (1 = January).
    pub fiscal_start: u32,
}

impl Period {
    pub fn new(year: i32, fiscal_start: u32) -> Period {
        debug_assert!((1..=12).contains(&fiscal_start));
        Period { year, fiscal_start }
    }

    /// The period a date falls in.
    pub fn containing(date: NaiveDate, fiscal_start: u32) -> Period {
        Period::new(year_of(date, fiscal_start), fiscal_start)
    }

    /// First day of the period.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.fiscal_start, 1).expect("valid month")
    }

    /// First day after the period.
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year + 1, self.fiscal_start, 1).expect("valid month")
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date < self.end()
    }

    pub fn next(self) -> Period {
        Period::new(self.year + 1, self.fiscal_start)
    }

    pub fn previous(self) -> Period {
        Period::new(self.year - 1, self.fiscal_start)
    }
}

/// The period name of a date: the year its fiscal year starts in.
pub fn year_of(date: NaiveDate, fiscal_start: u32) -> i32 {
    if date.month() >= fiscal_start {
        date.year()
    } else {
        date.year() - 1
    }
}

impl fmt::Display for Period {
    /// `2026` for calendar years, `2026-27` when the fiscal year straddles two calendar years.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fiscal_start == 1 {
            write!(f, "{}", self.year)
        } else {
            write!(f, "{}-{:02}", self.year, (self.year + 1).rem_euclid(100))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_year_periods() {
        let p = Period::containing(d(2026, 11, 27), 1);
        assert_eq!(p.year, 2026);
        assert_eq!(p.start(), d(2026, 1, 1));
        assert_eq!(p.end(), d(2027, 1, 1));
        assert!(p.contains(d(2026, 12, 31)));
        assert!(!p.contains(d(2027, 1, 1)));
        assert_eq!(p.to_string(), "2026");
    }

    #[test]
    fn fiscal_year_starting_in_april() {
        assert_eq!(year_of(d(2026, 3, 31), 4), 2025);
        assert_eq!(year_of(d(2026, 4, 1), 4), 2026);
        let p = Period::new(2026, 4);
        assert_eq!(p.end(), d(2027, 4, 1));
        assert_eq!(p.to_string(), "2026-27");
        assert_eq!(p.next().previous(), p);
    }

    #[test]
    fn december_start_and_century_label() {
        assert_eq!(year_of(d(2099, 12, 1), 12), 2099);
        assert_eq!(Period::new(2099, 12).to_string(), "2099-00");
        assert_eq!(year_of(d(2100, 11, 30), 12), 2099);
    }
}
