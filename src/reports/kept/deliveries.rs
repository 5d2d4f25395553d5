//! `delivery_days`: deliveries (not cancelled) by the day they are scheduled and their state —
//! open, delivered on time, or delivered late (on a later business day than scheduled).
//! Whether an open one is late depends on today, so the orders report works that out when
//! it reads. Every write that schedules, reschedules, moves or calls off a delivery takes it
//! out of its row as it was and adds it as it is (`moved`).

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::business::Zone;
use crate::choice::Choice;
use crate::deliveries::DeliveryStatus;
use crate::error::{AppResult, OrInternal};
use crate::reports::local_day;
use crate::server::entities::delivery;
use crate::server::tally::{self, Key, Tally};
use crate::server::write::Write;

pub static TALLY: Tally = Tally {
    table: "delivery_days",
    keys: &["day", "state"],
    figures: &["deliveries"],
};

const OPEN: &str = "open";
const ON_TIME: &str = "on_time";
const LATE: &str = "late";

/// The state `d` is counted in; none when cancelled.
fn state(zone: &Zone, d: &delivery::Model) -> Option<&'static str> {
    match d.status {
        DeliveryStatus::Cancelled => None,
        DeliveryStatus::Delivered => match d.delivered_at {
            Some(at) if zone.date(&at) > d.scheduled_date => Some(LATE),
            _ => Some(ON_TIME),
        },
        _ => Some(OPEN),
    }
}

fn count(w: &mut Write, zone: &Zone, d: &delivery::Model, sign: i64) {
    if let Some(state) = state(zone, d) {
        let key = vec![Key::Day(d.scheduled_date), Key::Word(state)];
        w.tally().add(&TALLY, key, &[sign]);
    }
}

/// A delivery written: out of its row as it was (`before`, none when new), into its row as
/// it is (`after`).
pub fn moved(
    w: &mut Write,
    zone: &Zone,
    before: Option<&delivery::Model>,
    after: &delivery::Model,
) {
    if let Some(b) = before {
        count(w, zone, b, -1);
    }
    count(w, zone, after, 1);
}

fn col(c: &str) -> Expr {
    Expr::col((Alias::new("deliveries"), Alias::new(c)))
}

/// The table from the deliveries.
pub fn sources(backend: DatabaseBackend, zone: &Zone) -> Vec<SelectStatement> {
    let delivered = col("status").eq(DeliveryStatus::Delivered.as_str());
    let late = local_day::date_of(backend, zone, col("delivered_at")).gt(col("scheduled_date"));
    let state = Expr::case(delivered.clone().and(late), LATE)
        .case(delivered, ON_TIME)
        .finally(OPEN);
    let keys = vec![(col("scheduled_date"), true), (state.into(), true)];
    vec![tally::source(keys, vec![col("id").count()], |q| {
        q.from(Alias::new("deliveries"))
            .and_where(col("status").ne(DeliveryStatus::Cancelled.as_str()));
    })]
}

/// Deliveries scheduled from `from` to `to` by day: (day, how many, how many late as of
/// `today` — open and scheduled before it, or delivered late).
pub async fn read(
    db: &impl ConnectionTrait,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> AppResult<Vec<(NaiveDate, i64, i64)>> {
    let c = |name: &str| Expr::col(Alias::new(name));
    let mut q = Query::select();
    q.columns(["day", "state", "deliveries"].map(Alias::new))
        .from(Alias::new(TALLY.table))
        .and_where(c("day").gte(from))
        .and_where(c("day").lte(to));
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("delivery days")? {
        let day: NaiveDate = r.try_get("", "day").or_internal("delivery days")?;
        let state: String = r.try_get("", "state").or_internal("delivery days")?;
        let n: i64 = r.try_get("", "deliveries").or_internal("delivery days")?;
        let late = match state.as_str() {
            LATE => n,
            OPEN if day < today => n,
            _ => 0,
        };
        out.push((day, n, late));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn delivery(status: DeliveryStatus, day: &str, at: Option<&str>) -> delivery::Model {
        let now = Utc::now();
        delivery::Model {
            id: 1,
            number: "DN-1".into(),
            seq: 1,
            order_id: 1,
            client_id: 1,
            priority: crate::orders::Priority::Normal,
            status,
            scheduled_date: day.parse().unwrap(),
            window_from: None,
            window_to: None,
            address: String::new(),
            carrier: String::new(),
            tracking: String::new(),
            notes: String::new(),
            failure_reason: None,
            recipient: None,
            delivered_at: at.map(|t| t.parse::<DateTime<Utc>>().unwrap()),
            confirmed_by: None,
            signature: None,
            created_by: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn late_is_a_later_business_day_than_scheduled() {
        // Five hours behind UTC: 03:00 UTC on the 5th is still the 4th there.
        let zone = Zone {
            name: "Test".into(),
            offsets: vec![(i64::MIN, -5 * 3600)],
        };
        let state_of = |s, at| state(&zone, &delivery(s, "2026-12-04", at));
        use DeliveryStatus::*;
        assert_eq!(state_of(Scheduled, None), Some(OPEN));
        assert_eq!(state_of(Failed, None), Some(OPEN));
        assert_eq!(state_of(Cancelled, None), None);
        assert_eq!(
            state_of(Delivered, Some("2026-12-05T03:00:00Z")),
            Some(ON_TIME)
        );
        assert_eq!(
            state_of(Delivered, Some("2026-12-05T06:00:00Z")),
            Some(LATE)
        );
    }
}
