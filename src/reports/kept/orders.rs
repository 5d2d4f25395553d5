//! `order_days`: orders by the business day they were entered, their status and priority —
//! how many, their value, and for those delivered (and confirmed) how many and the seconds
//! from confirmation to their last delivery. Every write that enters an order, moves its
//! status or rewrites a draft takes the order out of its row as it was and adds it as it is
//! (`moved`). The orders report reads it when no client or product is chosen.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QuerySelect,
};

use crate::business::Zone;
use crate::choice::Choice;
use crate::deliveries::DeliveryStatus;
use crate::error::{AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::orders::OrderStatus;
use crate::reports::local_day;
use crate::server::entities::{delivery, order};
use crate::server::tally::{self, Key, Tally};
use crate::server::write::Write;

pub static TALLY: Tally = Tally {
    table: "order_days",
    keys: &["day", "status", "priority"],
    figures: &["orders", "value", "lead_orders", "lead_secs"],
};

/// Order `m` out of its row (`sign` -1) or into it (1). `lead`: for a delivered order, the
/// seconds from its confirmation to its last delivery (none: it has no delivered delivery).
fn count(w: &mut Write, zone: &Zone, m: &order::Model, sign: i64, lead: Option<i64>) {
    let delivered = m.status == OrderStatus::Delivered && m.confirmed_at.is_some();
    let (lead_orders, lead_secs) = match delivered {
        true => (sign, sign * lead.unwrap_or(0)),
        false => (0, 0),
    };
    let key = vec![
        Key::Day(zone.date(&m.created_at)),
        Key::Word(m.status.as_str()),
        Key::Word(m.priority.as_str()),
    ];
    let figures = [sign, sign * m.total, lead_orders, lead_secs];
    w.tally().add(&TALLY, key, &figures);
}

/// An order written: out of its row as it was (`before`, none when new), into its row as
/// it is (`after`). An order that became delivered has its lead time read from its
/// deliveries; no order leaves "delivered", so none is taken back out with one.
pub async fn moved(
    w: &mut Write,
    zone: &Zone,
    before: Option<&order::Model>,
    after: &order::Model,
) -> AppResult<()> {
    if let Some(b) = before {
        count(w, zone, b, -1, None);
    }
    let lead = match after.status {
        OrderStatus::Delivered => lead_secs(&**w, after).await?,
        _ => None,
    };
    count(w, zone, after, 1, lead);
    Ok(())
}

/// Seconds from `m`'s confirmation to its last delivered delivery, in whole seconds as the
/// database counts them (`local_day::epoch`).
async fn lead_secs(db: &impl ConnectionTrait, m: &order::Model) -> AppResult<Option<i64>> {
    let last: Option<chrono::DateTime<Utc>> = delivery::Entity::find()
        .select_only()
        .column_as(delivery::Column::DeliveredAt.max(), "last")
        .filter(delivery::Column::OrderId.eq(m.id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Delivered))
        .into_tuple()
        .one(db)
        .await
        .or_internal("order days")?
        .flatten();
    Ok(match (last, m.confirmed_at) {
        (Some(last), Some(confirmed)) => Some(last.timestamp() - confirmed.timestamp()),
        _ => None,
    })
}

fn col(table: &str, c: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(c)))
}

/// The table from the orders and their deliveries.
pub fn sources(backend: DatabaseBackend, zone: &Zone) -> Vec<SelectStatement> {
    let o = |c: &str| col("orders", c);
    let mut last = Query::select();
    last.expr(col("deliveries", "delivered_at").max())
        .from(Alias::new("deliveries"))
        .and_where(col("deliveries", "order_id").equals((Alias::new("orders"), Alias::new("id"))))
        .and_where(col("deliveries", "status").eq(DeliveryStatus::Delivered.as_str()));
    let last = Expr::SubQuery(None, Box::new(last.into()));
    let secs = local_day::epoch(backend, last).sub(local_day::epoch(backend, o("confirmed_at")));
    let delivered = o("status")
        .eq(OrderStatus::Delivered.as_str())
        .and(o("confirmed_at").is_not_null());
    let lead_orders = Expr::case(delivered.clone(), 1).finally(0);
    // A delivered order with no delivered delivery (generated or imported data) counts no
    // lead time rather than making the day's sum NULL.
    let secs = Func::coalesce([secs, Expr::val(0)]);
    let lead_secs = Expr::case(delivered, secs).finally(0);
    let keys = vec![
        (local_day::date_of(backend, zone, o("created_at")), true),
        (o("status"), true),
        (o("priority"), true),
    ];
    let figures = vec![
        o("id").count(),
        sum(o("total")),
        sum(lead_orders.into()),
        sum(lead_secs.into()),
    ];
    vec![tally::source(keys, figures, |q| {
        q.from(Alias::new("orders")).and_where(o("id").gt(0));
    })]
}

/// One row read back: entered on `day` in `status` and `priority`.
pub struct Row {
    pub day: NaiveDate,
    pub status: String,
    pub priority: String,
    pub orders: i64,
    pub value: i64,
    pub lead_orders: i64,
    pub lead_secs: i64,
}

/// The rows from `from` to `to`, of one `status` if given.
pub async fn read(
    db: &impl ConnectionTrait,
    (from, to): (NaiveDate, NaiveDate),
    status: Option<OrderStatus>,
) -> AppResult<Vec<Row>> {
    let c = |name: &str| Expr::col(Alias::new(name));
    let mut q = Query::select();
    q.columns(["day", "status", "priority"].map(Alias::new))
        .columns(TALLY.figures.iter().map(|f| Alias::new(*f)))
        .from(Alias::new(TALLY.table))
        .and_where(c("day").gte(from))
        .and_where(c("day").lte(to));
    if let Some(s) = status {
        q.and_where(c("status").eq(s.as_str()));
    }
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("order days")? {
        let n = |name: &str| r.try_get::<i64>("", name).or_internal("order days");
        out.push(Row {
            day: r.try_get("", "day").or_internal("order days")?,
            status: r.try_get("", "status").or_internal("order days")?,
            priority: r.try_get("", "priority").or_internal("order days")?,
            orders: n("orders")?,
            value: n("value")?,
            lead_orders: n("lead_orders")?,
            lead_secs: n("lead_secs")?,
        });
    }
    Ok(out)
}
