//! The business's calendar day of a stored instant, worked out by the database so that it
//! can group by it: the instant in seconds since the epoch, plus the zone's offset then, in
//! whole days. The offset is a `CASE` over the zone's changes of the clocks within the
//! report's span (a couple a year), so a zone's midnight — and its clock changes — fall
//! where the business sees them, on SQLite and PostgreSQL alike.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::DatabaseBackend;
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func};

use crate::business::Zone;

const DAY: i64 = 86_400;

/// Seconds since the epoch of the timestamp `at`.
pub fn epoch(backend: DatabaseBackend, at: Expr) -> Expr {
    match backend {
        DatabaseBackend::Postgres => {
            Expr::cust_with_expr("CAST(FLOOR(EXTRACT(EPOCH FROM $1)) AS BIGINT)", at)
        }
        // strftime's format as a bound value: a quoted literal would stop sea-query reading
        // the `$1` after it.
        _ => Expr::from(Func::cust(Alias::new("strftime")).arg("%s").arg(at))
            .cast_as(Alias::new("INTEGER")),
    }
}

/// The zone's offsets in force between `start` and `end`: the first, then each change as
/// (instant, offset), in seconds.
fn offsets(zone: &Zone, start: DateTime<Utc>, end: DateTime<Utc>) -> (i64, Vec<(i64, i64)>) {
    let first = i64::from(zone.offset_at(&start).local_minus_utc());
    let (s, e) = (start.timestamp(), end.timestamp());
    let changes = zone
        .offsets
        .iter()
        .filter(|(at, _)| *at > s && *at < e)
        .map(|(at, off)| (*at, i64::from(*off)))
        .collect();
    (first, changes)
}

/// The business day of the timestamp column `at`, as days since 1970-01-01, for instants
/// between `start` and `end` (the rows a report reads).
pub fn expr(
    backend: DatabaseBackend,
    zone: &Zone,
    at: Expr,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Expr {
    let secs = epoch(backend, at);
    let (first, changes) = offsets(zone, start, end);
    let offset: Expr = if changes.is_empty() {
        Expr::val(first)
    } else {
        // Each change, latest first: from then on, its offset.
        let mut case = CaseStatement::new();
        for (at, off) in changes.iter().rev() {
            case = case.case(secs.clone().gte(*at), Expr::val(*off));
        }
        Expr::Case(Box::new(case.finally(Expr::val(first))))
    };
    secs.add(offset).div(DAY)
}

/// The business day of the timestamp column `at`, as a date, whenever it is (the zone's
/// offsets over every year a record can carry): what a summary is built by.
pub fn date_of(backend: DatabaseBackend, zone: &Zone, at: Expr) -> Expr {
    let span = (
        DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default(),
        DateTime::<Utc>::from_timestamp(3_155_760_000, 0).unwrap_or_default(),
    );
    date_expr(backend, expr(backend, zone, at, span))
}

/// The day number of the date column `d`.
pub fn number_of(backend: DatabaseBackend, d: Expr) -> Expr {
    match backend {
        DatabaseBackend::Postgres => {
            Expr::cust_with_expr("CAST(($1 - DATE '1970-01-01') AS BIGINT)", d)
        }
        _ => Expr::from(Func::cust(Alias::new("julianday")).arg(d))
            .sub(2_440_587.5)
            .cast_as(Alias::new("INTEGER")),
    }
}

/// The date of the day number `n` (an `expr`), as the database stores a date.
pub fn date_expr(backend: DatabaseBackend, n: Expr) -> Expr {
    match backend {
        DatabaseBackend::Postgres => {
            Expr::cust_with_expr("(DATE '1970-01-01' + CAST($1 AS INTEGER))", n)
        }
        _ => Expr::from(
            Func::cust(Alias::new("date"))
                .arg(n.mul(DAY))
                .arg("unixepoch"),
        ),
    }
}

/// The day `n` days after 1970-01-01.
pub fn date(n: i64) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    u64::try_from(n)
        .ok()
        .and_then(|n| epoch.checked_add_days(Days::new(n)))
        .unwrap_or(epoch)
}

/// The day number of `d` (`date`'s inverse).
pub fn number(d: NaiveDate) -> i64 {
    (d - date(0)).num_days()
}

/// The instants a report over the business days `from` to `to` reads: from the start of
/// `from` to the start of the day after `to`.
pub fn span(zone: &Zone, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (zone.start_of(from), zone.start_of(to + Days::new(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_number_is_a_date() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(date(0), epoch);
        assert_eq!(date(20_791), "2026-12-04".parse::<NaiveDate>().unwrap());
        assert_eq!(date(-5), epoch);
        assert_eq!(number(date(20_791)), 20_791);
    }

    #[test]
    fn only_the_changes_within_the_span_are_asked() {
        let zone = Zone {
            name: "Test".into(),
            offsets: vec![
                (i64::MIN, 3600),
                (1_000, 7200),
                (5_000, 3600),
                (9_000, 7200),
            ],
        };
        let at = |t| DateTime::<Utc>::from_timestamp(t, 0).unwrap();
        assert_eq!(
            offsets(&zone, at(2_000), at(8_000)),
            (7200, vec![(5_000, 3600)])
        );
        assert_eq!(offsets(&zone, at(0), at(500)), (3600, vec![]));
    }
}
