//! Report periods: a day range on the business's calendar, cut into days, weeks (Monday to
//! Sunday, ISO) or months. The database sums by day; the days are folded into the periods
//! here, the same way in the page, the exports and the tests.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::choice::Choice;

/// How a report's rows and chart cut its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    Day,
    Week,
    #[default]
    Month,
}

impl Choice for Grouping {
    const ALL: &'static [Self] = &[Self::Day, Self::Week, Self::Month];

    fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Day => "By day",
            Self::Week => "By week",
            Self::Month => "By month",
        }
    }
}

/// Periods one report may show: a year of days, five years of weeks, twenty of months. A
/// longer range is refused with a message rather than drawn as an unreadable chart.
pub const MAX_PERIODS: usize = 366;

impl Grouping {
    /// The first day of the period `day` falls in.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => day,
            Self::Week => day - Days::new(day.weekday().num_days_from_monday().into()),
            Self::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Day => start.checked_add_days(Days::new(1)),
            Self::Week => start.checked_add_days(Days::new(7)),
            Self::Month => start.checked_add_months(Months::new(1)),
        }
    }

    /// The periods from `from` to `to` (both kept), by their first day: every period, those
    /// with nothing in them too, so a chart's gaps show as zero. `None` past `MAX_PERIODS`.
    pub fn periods(self, from: NaiveDate, to: NaiveDate) -> Option<Vec<NaiveDate>> {
        let mut out = Vec::new();
        let mut at = Some(self.start(from));
        while let Some(start) = at.filter(|s| *s <= to) {
            if out.len() == MAX_PERIODS {
                return None;
            }
            out.push(start);
            at = self.next(start);
        }
        Some(out)
    }

    /// How the period starting on `start` is written: `2026-12-03`, `2026-W49`, `2026-12`.
    pub fn label_of(self, start: NaiveDate) -> String {
        match self {
            Self::Day => start.to_string(),
            Self::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Self::Month => start.format("%Y-%m").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_fold_into_iso_weeks_and_months() {
        // 2026-01-01 is a Thursday: its ISO week began on Monday 2025-12-29 (2026-W01).
        assert_eq!(Grouping::Week.start(d("2026-01-01")), d("2025-12-29"));
        assert_eq!(Grouping::Week.label_of(d("2025-12-29")), "2026-W01");
        assert_eq!(Grouping::Month.start(d("2026-02-28")), d("2026-02-01"));
        assert_eq!(Grouping::Day.start(d("2026-02-28")), d("2026-02-28"));
        assert_eq!(Grouping::Month.label_of(d("2026-02-01")), "2026-02");
    }

    #[test]
    fn periods_cover_the_range_with_the_empty_ones() {
        let months = Grouping::Month
            .periods(d("2025-11-15"), d("2026-02-01"))
            .unwrap();
        let labels: Vec<_> = months
            .iter()
            .map(|m| Grouping::Month.label_of(*m))
            .collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let days = Grouping::Day
            .periods(d("2024-02-27"), d("2024-03-01"))
            .unwrap();
        assert_eq!(days.len(), 4, "a leap day counts");
        assert!(
            Grouping::Day
                .periods(d("2026-01-01"), d("2025-12-31"))
                .unwrap()
                .is_empty()
        );
        assert!(
            Grouping::Day
                .periods(d("2024-01-01"), d("2025-01-01"))
                .is_none()
        );
        assert_eq!(
            Grouping::Day
                .periods(d("2024-01-01"), d("2024-12-31"))
                .unwrap()
                .len(),
            366
        );
    }
}
