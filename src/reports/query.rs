//! A report's filters and their form in the page URL (so a report can be shared and Back
//! works): the period from/to, its grouping, and the client and product where they apply.
//! `read_period` checks them the same way in the browser and on the server.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::period::{Grouping, MAX_PERIODS};
use crate::error::FieldError;
use crate::input::parse_date_range;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    /// The first and last day, `YYYY-MM-DD`; empty: the last twelve months to today.
    pub from: String,
    pub to: String,
    pub by: Grouping,
    pub client: Option<i64>,
    pub product: Option<i64>,
    /// The orders report's orders in this status only.
    pub status: Option<crate::orders::OrderStatus>,
}

crate::url_query!(ReportQuery {
    from,
    to,
    by,
    client,
    product,
    status
});

/// A report's period, checked: `from` ≤ `to`, and no more periods than a chart can show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Grouping,
}

impl Period {
    /// The first day of each period, from the one holding `from` to the one holding `to`.
    pub fn starts(&self) -> Vec<NaiveDate> {
        // Checked by `read_period`: never more than `MAX_PERIODS`.
        self.by.periods(self.from, self.to).unwrap_or_default()
    }
}

/// The default period: the eleven whole months before this one, and this one to `today`.
pub fn last_twelve_months(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this_month = today.with_day(1).unwrap_or(today);
    let from = this_month
        .checked_sub_months(Months::new(11))
        .unwrap_or(this_month);
    (from, today)
}

/// `query`'s period as of `today`; the problem at its field (`from`, `to`, `by`) otherwise.
pub fn read_period(query: &ReportQuery, today: NaiveDate) -> Result<Period, FieldError> {
    let (from, to) = parse_date_range(&query.from, &query.to)?;
    let (default_from, _) = last_twelve_months(to.unwrap_or(today));
    let period = Period {
        from: from.unwrap_or(default_from),
        to: to.unwrap_or(today),
        by: query.by,
    };
    if period.to < period.from {
        return Err(FieldError {
            field: "from".into(),
            message: format!("the start date is after {}", period.to),
        });
    }
    if period.by.periods(period.from, period.to).is_none() {
        return Err(FieldError {
            field: "by".into(),
            message: format!(
                "that is more than {MAX_PERIODS} {}s; choose a shorter period or a longer grouping",
                period.by.as_word()
            ),
        });
    }
    Ok(period)
}

/// A report's filters as an export prints them: the period, its grouping, then each chosen
/// (label, name).
pub fn filters_shown(
    period: (NaiveDate, NaiveDate, Grouping),
    chosen: &[(&str, Option<String>)],
) -> Vec<(String, String)> {
    let (from, to, by) = period;
    let mut out = vec![
        ("From".to_string(), from.to_string()),
        ("To".to_string(), to.to_string()),
        (
            "Grouped".to_string(),
            crate::choice::Choice::label(by).to_string(),
        ),
    ];
    for (label, name) in chosen {
        if let Some(name) = name {
            out.push((label.to_string(), name.clone()));
        }
    }
    out
}

impl Grouping {
    /// `day`, `week`, `month`: how a message names one period.
    fn as_word(self) -> &'static str {
        crate::choice::Choice::as_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn url_round_trips_every_filter() {
        let q = ReportQuery {
            from: "2026-01-01".into(),
            to: "2026-03-31".into(),
            by: Grouping::Week,
            client: Some(7),
            product: Some(9),
            status: Some(crate::orders::OrderStatus::Delivered),
        };
        let read = crate::ui::url::as_router_reads(&q.to_string());
        assert_eq!(ReportQuery::from(read.as_str()), q);
        assert_eq!(ReportQuery::default().to_string(), "");
    }

    #[test]
    fn the_period_defaults_to_twelve_months_and_refuses_what_cannot_be_drawn() {
        let today = d("2026-12-04");
        let p = read_period(&ReportQuery::default(), today).unwrap();
        assert_eq!(
            (p.from, p.to, p.by),
            (d("2026-01-01"), today, Grouping::Month)
        );
        assert_eq!(p.starts().len(), 12);
        let only_to = ReportQuery {
            to: "2026-03-15".into(),
            ..ReportQuery::default()
        };
        assert_eq!(read_period(&only_to, today).unwrap().from, d("2025-04-01"));
        let future_from = ReportQuery {
            from: "2027-01-01".into(),
            ..ReportQuery::default()
        };
        assert_eq!(read_period(&future_from, today).unwrap_err().field, "from");
        let bad = ReportQuery {
            from: "2026-13-01".into(),
            ..ReportQuery::default()
        };
        assert_eq!(read_period(&bad, today).unwrap_err().field, "from");
        let too_many_days = ReportQuery {
            from: "2020-01-01".into(),
            by: Grouping::Day,
            ..ReportQuery::default()
        };
        assert_eq!(read_period(&too_many_days, today).unwrap_err().field, "by");
    }
}
