//! The orders report on the server: orders entered in the period by the business's day, their
//! count and value by period, status and priority; the average days from confirmation to
//! the last delivery; deliveries scheduled in the period and the late ones; and, as of
//! today, the open orders and the deliveries due and late.
//!
//! A delivery is late as the delivery board says: open after its scheduled day, or
//! delivered on a later business day than it.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult};

use super::query::{ReportQuery, read_period};
use super::sales::names_of;
use super::sales_detail::Key;
use super::{Breakdown, LateDelivery, OrdersReport, OrdersRow, RANKED, kept, local_day};
use crate::business::Zone;
use crate::choice::Choice;
use crate::deliveries::DeliveryStatus;
use crate::error::{AppError, AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::money::Money;
use crate::orders::{OrderStatus, Priority};

const DAY_SECS: f64 = 86_400.0;

fn col(table: &str, c: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(c)))
}

fn num(r: &QueryResult, c: &str) -> AppResult<i64> {
    let v: Option<i64> = r.try_get("", c).or_internal("orders report")?;
    Ok(v.unwrap_or(0))
}

fn text(r: &QueryResult, c: &str) -> AppResult<String> {
    r.try_get("", c).or_internal("orders report")
}

/// The open statuses of a delivery, as stored.
fn open_deliveries() -> Vec<&'static str> {
    DeliveryStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect()
}

/// Whether `scope` leaves out any order.
fn narrows(query: &ReportQuery) -> bool {
    query.client.is_some() || query.status.is_some() || query.product.is_some()
}

/// The orders `query` covers, whatever their day: its client, product and status.
fn scope(q: &mut SelectStatement, query: &ReportQuery) {
    let o = |c: &str| col("orders", c);
    if let Some(c) = query.client {
        q.and_where(o("client_id").eq(c));
    }
    if let Some(s) = query.status {
        q.and_where(o("status").eq(s.as_str()));
    }
    if let Some(p) = query.product {
        let mut lines = Query::select();
        lines
            .expr(col("order_lines", "order_id"))
            .from(Alias::new("order_lines"))
            .and_where(col("order_lines", "product_id").eq(p));
        q.and_where(o("id").in_subquery(lines));
    }
}

/// The report for `query` on the business's calendar (`zone`), as of `today`.
pub async fn report(
    db: &DatabaseConnection,
    zone: &Zone,
    today: NaiveDate,
    query: &ReportQuery,
) -> AppResult<OrdersReport> {
    let period = read_period(query, today).map_err(|e| AppError::fields(vec![e]))?;
    let client = names_of(db, query.client, Key::Client).await?;
    let product = names_of(db, query.product, Key::Product).await?;
    let starts = period.starts();
    let index: HashMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut rows: Vec<OrdersRow> = starts
        .iter()
        .map(|s| OrdersRow::empty(period.by.label_of(*s), *s))
        .collect();
    let row_of = |day: i64| index.get(&period.by.start(local_day::date(day))).copied();
    let span = local_day::span(zone, period.from, period.to);
    let backend = db.get_database_backend();

    let mut by_status: Vec<Breakdown> = OrderStatus::ALL.iter().map(|s| breakdown(*s)).collect();
    let mut by_priority: Vec<Breakdown> = Priority::ALL.iter().map(|p| breakdown(*p)).collect();
    // Every order, or those of one status: the summary has them by day (`kept::orders`).
    let whole = query.client.is_none() && query.product.is_none();
    let (entered, leads) = match whole {
        true => kept_entered(db, (period.from, period.to), query.status).await?,
        false => (
            entered(db, zone, span, query).await?,
            lead(db, zone, span, query).await?,
        ),
    };
    for e in &entered {
        if let Some(i) = row_of(e.day) {
            let r = &mut rows[i];
            r.orders += e.n;
            r.value.0 += e.value;
            match e.status.as_str() {
                "delivered" => r.delivered += e.n,
                "cancelled" => r.cancelled += e.n,
                _ => {}
            }
        }
        for (list, key) in [(&mut by_status, &e.status), (&mut by_priority, &e.priority)] {
            if let Some(b) = list.iter_mut().find(|b| &b.key == key) {
                b.orders += e.n;
                b.value.0 += e.value;
            }
        }
    }
    let mut lead_total = (0i64, 0i64);
    let mut lead_sums: Vec<(i64, i64)> = vec![(0, 0); rows.len()];
    for (day, n, secs) in leads {
        if let Some(i) = row_of(day) {
            lead_sums[i].0 += n;
            lead_sums[i].1 += secs;
        }
        lead_total.0 += n;
        lead_total.1 += secs;
    }
    for (r, (n, secs)) in rows.iter_mut().zip(lead_sums) {
        r.lead_days = average_days(n, secs);
    }
    let today_n = local_day::number(today);
    let late_expr = late(
        backend,
        zone,
        (span.0, Utc::now() + chrono::Duration::days(1)),
        today_n,
    );
    let days = (period.from, period.to);
    let every = whole && query.status.is_none();
    let scheduled = match every {
        true => kept::deliveries::read(db, days, today)
            .await?
            .into_iter()
            .map(|(d, n, late)| (local_day::number(d), n, late))
            .collect(),
        false => scheduled(db, backend, days, query, &late_expr).await?,
    };
    // The kept counts tell how far back the latest `RANKED` late deliveries reach, so the
    // list reads those days only (and nothing when none is late).
    let late_days = match every {
        true => latest_late(&scheduled).map(|from| (from, period.to)),
        false => Some(days),
    };
    for &(day, n, late) in &scheduled {
        if let Some(i) = row_of(day) {
            rows[i].deliveries += n;
            rows[i].late += late;
        }
    }
    let mut totals = OrdersRow::empty("Total".into(), period.from);
    for r in &rows {
        totals.add(r);
    }
    totals.lead_days = average_days(lead_total.0, lead_total.1);
    let late = match late_days {
        Some(days) => late_list(db, zone, days, query, &late_expr, today).await?,
        None => Vec::new(),
    };
    let (open_orders, open_value) = open_orders(db, query).await?;
    let (due_today, late_now) = due(db, today, query).await?;
    Ok(OrdersReport {
        from: period.from,
        to: period.to,
        by: period.by,
        client,
        product,
        status: query.status,
        rows,
        totals,
        by_status,
        by_priority,
        late,
        today,
        open_orders,
        open_value: Money(open_value),
        due_today,
        late_now,
    })
}

fn breakdown<C: Choice>(c: C) -> Breakdown {
    Breakdown {
        label: c.label().into(),
        key: c.as_str().into(),
        orders: 0,
        value: Money::ZERO,
    }
}

/// `secs` over `n` orders in days, to a tenth; none without orders.
fn average_days(n: i64, secs: i64) -> Option<f64> {
    (n > 0).then(|| (secs as f64 / n as f64 / DAY_SECS * 10.0).round() / 10.0)
}

impl OrdersRow {
    fn empty(label: String, start: NaiveDate) -> Self {
        Self {
            label,
            start,
            orders: 0,
            value: Money::ZERO,
            delivered: 0,
            cancelled: 0,
            lead_days: None,
            deliveries: 0,
            late: 0,
        }
    }

    fn add(&mut self, r: &OrdersRow) {
        self.orders += r.orders;
        self.value.0 += r.value.0;
        self.delivered += r.delivered;
        self.cancelled += r.cancelled;
        self.deliveries += r.deliveries;
        self.late += r.late;
    }
}

/// Orders entered on one day in one status and priority.
struct Entered {
    day: i64,
    status: String,
    priority: String,
    n: i64,
    value: i64,
}

async fn entered(
    db: &DatabaseConnection,
    zone: &Zone,
    span: (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
    query: &ReportQuery,
) -> AppResult<Vec<Entered>> {
    let o = |c: &str| col("orders", c);
    let day = local_day::expr(db.get_database_backend(), zone, o("created_at"), span);
    let mut q = Query::select();
    q.expr_as(day, Alias::new("k"))
        .expr_as(o("status"), Alias::new("status"))
        .expr_as(o("priority"), Alias::new("priority"))
        .expr_as(o("id").count(), Alias::new("n"))
        .expr_as(sum(o("total")), Alias::new("value"))
        .from(Alias::new("orders"))
        .and_where(o("created_at").gte(span.0))
        .and_where(o("created_at").lt(span.1))
        .group_by_col(Alias::new("k"))
        .group_by_col(Alias::new("status"))
        .group_by_col(Alias::new("priority"));
    scope(&mut q, query);
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("orders report")? {
        out.push(Entered {
            day: num(&r, "k")?,
            status: text(&r, "status")?,
            priority: text(&r, "priority")?,
            n: num(&r, "n")?,
            value: num(&r, "value")?,
        });
    }
    Ok(out)
}

/// Orders entered from `from` to `to` (of `status`, if given), and the lead times of the
/// delivered ones, as `entered` and `lead` read them, from the summary.
async fn kept_entered(
    db: &DatabaseConnection,
    days: (NaiveDate, NaiveDate),
    status: Option<OrderStatus>,
) -> AppResult<(Vec<Entered>, Vec<(i64, i64, i64)>)> {
    let mut entered = Vec::new();
    let mut leads = Vec::new();
    for r in kept::orders::read(db, days, status).await? {
        let day = local_day::number(r.day);
        if r.lead_orders != 0 {
            leads.push((day, r.lead_orders, r.lead_secs));
        }
        entered.push(Entered {
            day,
            status: r.status,
            priority: r.priority,
            n: r.orders,
            value: r.value,
        });
    }
    Ok((entered, leads))
}

/// Delivered orders entered in `span`, by day: (day, count, seconds from confirmation to
/// their last delivery, summed).
async fn lead(
    db: &DatabaseConnection,
    zone: &Zone,
    span: (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
    query: &ReportQuery,
) -> AppResult<Vec<(i64, i64, i64)>> {
    let backend = db.get_database_backend();
    let o = |c: &str| col("orders", c);
    let mut last = Query::select();
    last.expr(col("deliveries", "delivered_at").max())
        .from(Alias::new("deliveries"))
        .and_where(col("deliveries", "order_id").equals((Alias::new("orders"), Alias::new("id"))))
        .and_where(col("deliveries", "status").eq(DeliveryStatus::Delivered.as_str()));
    let last = Expr::SubQuery(None, Box::new(last.into()));
    let secs = local_day::epoch(backend, last).sub(local_day::epoch(backend, o("confirmed_at")));
    let day = local_day::expr(backend, zone, o("created_at"), span);
    let mut q = Query::select();
    q.expr_as(day, Alias::new("k"))
        .expr_as(o("id").count(), Alias::new("n"))
        .expr_as(sum(secs), Alias::new("secs"))
        .from(Alias::new("orders"))
        .and_where(o("created_at").gte(span.0))
        .and_where(o("created_at").lt(span.1))
        .and_where(o("status").eq(OrderStatus::Delivered.as_str()))
        .and_where(o("confirmed_at").is_not_null())
        .group_by_col(Alias::new("k"));
    scope(&mut q, query);
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("orders report")? {
        out.push((num(&r, "k")?, num(&r, "n")?, num(&r, "secs")?));
    }
    Ok(out)
}

/// 1 for a late delivery, else 0: open and scheduled before today (`today`, a day number),
/// or delivered on a later business day than scheduled (`span` bounds when).
fn late(
    backend: DatabaseBackend,
    zone: &Zone,
    span: (chrono::DateTime<Utc>, chrono::DateTime<Utc>),
    today: i64,
) -> Expr {
    let d = |c: &str| col("deliveries", c);
    let scheduled = local_day::number_of(backend, d("scheduled_date"));
    let delivered_on = local_day::expr(backend, zone, d("delivered_at"), span);
    let open = d("status")
        .is_in(open_deliveries())
        .and(scheduled.clone().lt(today));
    let after = d("status")
        .eq(DeliveryStatus::Delivered.as_str())
        .and(delivered_on.gt(scheduled));
    Expr::case(open.or(after), 1).finally(0).into()
}

/// Deliveries (not cancelled) of the orders `query` covers, scheduled from `from` to `to`.
fn deliveries_in(query: &ReportQuery, (from, to): (NaiveDate, NaiveDate)) -> SelectStatement {
    let d = |c: &str| col("deliveries", c);
    let mut q = Query::select();
    q.from(Alias::new("deliveries"))
        .inner_join(
            Alias::new("orders"),
            col("orders", "id").equals((Alias::new("deliveries"), Alias::new("order_id"))),
        )
        .and_where(d("scheduled_date").gte(from))
        .and_where(d("scheduled_date").lte(to))
        .and_where(d("status").ne(DeliveryStatus::Cancelled.as_str()));
    scope(&mut q, query);
    q
}

/// Deliveries scheduled by day: (day, count, late).
async fn scheduled(
    db: &DatabaseConnection,
    backend: DatabaseBackend,
    days: (NaiveDate, NaiveDate),
    query: &ReportQuery,
    late: &Expr,
) -> AppResult<Vec<(i64, i64, i64)>> {
    let d = |c: &str| col("deliveries", c);
    let mut q = deliveries_in(query, days);
    q.expr_as(
        local_day::number_of(backend, d("scheduled_date")),
        Alias::new("k"),
    )
    .expr_as(d("id").count(), Alias::new("n"))
    .expr_as(sum(late.clone()), Alias::new("late"))
    .group_by_col(Alias::new("k"));
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("orders report")? {
        out.push((num(&r, "k")?, num(&r, "n")?, num(&r, "late")?));
    }
    Ok(out)
}

/// From the late count of each scheduled day, the first day of the latest `RANKED` late
/// deliveries; none when none is late.
fn latest_late(scheduled: &[(i64, i64, i64)]) -> Option<NaiveDate> {
    let mut days: Vec<(i64, i64)> = scheduled
        .iter()
        .filter(|(_, _, late)| *late > 0)
        .map(|(day, _, late)| (*day, *late))
        .collect();
    days.sort_unstable_by_key(|(day, _)| std::cmp::Reverse(*day));
    let mut seen = 0;
    let mut first = None;
    for (day, late) in days {
        seen += late;
        first = Some(local_day::date(day));
        if seen >= RANKED as i64 {
            break;
        }
    }
    first
}

/// The latest late deliveries scheduled in `days`, up to `RANKED`.
async fn late_list(
    db: &DatabaseConnection,
    zone: &Zone,
    days: (NaiveDate, NaiveDate),
    query: &ReportQuery,
    late: &Expr,
    today: NaiveDate,
) -> AppResult<Vec<LateDelivery>> {
    let d = |c: &str| col("deliveries", c);
    let mut q = deliveries_in(query, days);
    q.expr_as(d("id"), Alias::new("id"))
        .expr_as(d("number"), Alias::new("number"))
        .expr_as(d("client_id"), Alias::new("client_id"))
        .expr_as(d("scheduled_date"), Alias::new("scheduled"))
        .expr_as(d("delivered_at"), Alias::new("delivered_at"))
        .and_where(late.clone().eq(1))
        .order_by_expr(d("scheduled_date"), sea_orm::Order::Desc)
        .order_by_expr(d("id"), sea_orm::Order::Desc)
        .limit(RANKED as u64);
    let found = db.query_all(&q).await.or_internal("orders report")?;
    let mut out = Vec::with_capacity(found.len());
    let mut clients = Vec::new();
    for r in &found {
        let scheduled: NaiveDate = r.try_get("", "scheduled").or_internal("orders report")?;
        let at: Option<chrono::DateTime<Utc>> =
            r.try_get("", "delivered_at").or_internal("orders report")?;
        let delivered = at.map(|at| zone.date(&at));
        let until = delivered.unwrap_or(today);
        clients.push(num(r, "client_id")?);
        out.push(LateDelivery {
            id: num(r, "id")?,
            number: text(r, "number")?,
            client: String::new(),
            scheduled,
            delivered,
            days_late: (until - scheduled).num_days(),
        });
    }
    let names = crate::clients::service::names(db, clients.iter().copied()).await?;
    for (l, c) in out.iter_mut().zip(clients) {
        l.client = names.get(&c).cloned().unwrap_or_default();
    }
    Ok(out)
}

/// Orders open now (confirmed or partially delivered) that `query` covers: count, value.
pub(crate) async fn open_orders(
    db: &DatabaseConnection,
    query: &ReportQuery,
) -> AppResult<(i64, i64)> {
    let o = |c: &str| col("orders", c);
    let open = [OrderStatus::Confirmed, OrderStatus::PartiallyDelivered].map(|s| s.as_str());
    let mut q = Query::select();
    q.expr_as(o("id").count(), Alias::new("n"))
        .expr_as(sum(o("total")), Alias::new("value"))
        .from(Alias::new("orders"))
        .and_where(o("status").is_in(open));
    scope(&mut q, query);
    let r = db.query_one(&q).await.or_internal("orders report")?;
    match r {
        Some(r) => Ok((num(&r, "n")?, num(&r, "value")?)),
        None => Ok((0, 0)),
    }
}

/// Open deliveries of the orders `query` covers: (due today, late).
pub(crate) async fn due(
    db: &DatabaseConnection,
    today: NaiveDate,
    query: &ReportQuery,
) -> AppResult<(i64, i64)> {
    let d = |c: &str| col("deliveries", c);
    let mut q = Query::select();
    let today_only = Expr::case(d("scheduled_date").eq(today), 1).finally(0);
    let before = Expr::case(d("scheduled_date").lt(today), 1).finally(0);
    q.expr_as(sum(today_only.into()), Alias::new("today"))
        .expr_as(sum(before.into()), Alias::new("late"))
        .from(Alias::new("deliveries"))
        .and_where(d("status").is_in(open_deliveries()))
        .and_where(d("scheduled_date").lte(today));
    // The orders are read only when the query narrows them: the dashboard's count, of every
    // order, spent most of its time looking up each open delivery's order.
    if narrows(query) {
        q.inner_join(
            Alias::new("orders"),
            col("orders", "id").equals((Alias::new("deliveries"), Alias::new("order_id"))),
        );
        scope(&mut q, query);
    }
    match db.query_one(&q).await.or_internal("orders report")? {
        Some(r) => Ok((num(&r, "today")?, num(&r, "late")?)),
        None => Ok((0, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_late_list_reads_back_only_as_far_as_it_needs() {
        let day = |d: &str| local_day::number(d.parse().unwrap());
        let at = |d: &str| Some(d.parse::<NaiveDate>().unwrap());
        // Nothing late: nothing to read.
        assert_eq!(latest_late(&[(day("2026-12-01"), 5, 0)]), None);
        // The last day holds 7 late, the one before 2, the first 4: ten reach the first.
        let days = [
            (day("2026-12-03"), 9, 7),
            (day("2026-12-01"), 6, 4),
            (day("2026-12-02"), 3, 2),
            (day("2026-11-30"), 8, 0),
        ];
        assert_eq!(latest_late(&days), at("2026-12-01"));
        // Ten on the last day alone: that day only.
        assert_eq!(
            latest_late(&[(day("2026-12-03"), 12, 10), (day("2026-12-02"), 1, 1)]),
            at("2026-12-03")
        );
        // Fewer than ten in all: back to the earliest late day.
        assert_eq!(
            latest_late(&[(day("2026-12-03"), 3, 1), (day("2026-11-02"), 1, 1)]),
            at("2026-11-02")
        );
    }
}
