//! Gathers the dashboard: its figures, read the way their reports read them, for the role
//! asking; and the system status.

use std::time::Instant;

use chrono::{Datelike, Months, NaiveDate};
use sea_orm::DatabaseConnection;

use super::{Figures, MonthSales, SystemInfo};
use crate::auth::Role;
use crate::error::AppResult;
use crate::money::Money;
use crate::reports::query::last_twelve_months;
use crate::reports::summary;
use crate::reports::{Grouping, ORDERS, PAYMENTS, ReportQuery, SALES, STOCK};
use crate::server::{AppState, Config, db};

pub async fn system_info(db: &DatabaseConnection, config: &Config) -> SystemInfo {
    let started = Instant::now();
    let database_ok = db::ping(db).await.is_ok();
    SystemInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        backend: config.backend.name().to_string(),
        database_ok,
        database_latency_us: started.elapsed().as_micros() as u64,
    }
}

/// Lines of orders waiting for lost stock the dashboard lists; the product pages list all.
const SHORT_SHOWN: u64 = 10;

/// The figures `role` may see, as of the business's today.
pub async fn figures(state: &AppState, role: Role) -> AppResult<Figures> {
    let db = &state.db;
    let today = state.config.business.zone.today();
    let every = ReportQuery::default();
    let (sales, chart) = match SALES.allows(role) {
        true => {
            let (s, chart) = sales(db, today).await?;
            (Some(s), chart)
        }
        false => (None, Vec::new()),
    };
    let orders = match ORDERS.allows(role) {
        true => {
            let (n, value) = crate::reports::orders::open_orders(db, &every).await?;
            Some((n, Money(value)))
        }
        false => None,
    };
    let deliveries = match crate::deliveries::READ.allows(role) {
        true => Some(crate::reports::orders::due(db, today, &every).await?),
        false => None,
    };
    let receivables = match PAYMENTS.allows(role) {
        true => {
            let owed = crate::reports::kept::receivables::buckets(db, today).await?;
            let all: i64 = owed.iter().map(|b| b.0).sum();
            // Everything past the first bucket ("current") is overdue.
            Some((Money(all), Money(all - owed[0].0)))
        }
        false => None,
    };
    let low_stock = match STOCK.allows(role) {
        true => Some(crate::reports::stock::count_low(db, None).await?),
        false => None,
    };
    let short = match crate::orders::READ.allows(role) {
        true => crate::orders::shortage::short_orders(db, None, SHORT_SHOWN).await?,
        false => Vec::new(),
    };
    Ok(Figures {
        short,
        today,
        sales,
        chart,
        orders,
        deliveries,
        receivables,
        low_stock,
    })
}

/// This month's and last month's net sales, and net sales by month over the last twelve,
/// from the sales summary as the sales report reads it.
async fn sales(
    db: &DatabaseConnection,
    today: NaiveDate,
) -> AppResult<(MonthSales, Vec<(String, i64)>)> {
    let (from, to) = last_twelve_months(today);
    let this_from = today.with_day(1).unwrap_or(today);
    let last_from = this_from
        .checked_sub_months(Months::new(1))
        .unwrap_or(this_from);
    let start = from.min(last_from);
    let days = summary::net_by_day(db, (start, to)).await?;
    let by = Grouping::Month;
    let months = by.periods(from, to).unwrap_or_default();
    let mut net = vec![0i64; months.len()];
    let (mut this_month, mut last_month) = (0i64, 0i64);
    for (day, n) in days {
        if let Some(i) = months.iter().position(|m| *m == by.start(day)) {
            net[i] += n;
        }
        match by.start(day) {
            m if m == this_from => this_month += n,
            m if m == last_from => last_month += n,
            _ => {}
        }
    }
    let chart = months
        .into_iter()
        .zip(net)
        .map(|(m, n)| (by.label_of(m), n))
        .collect();
    let sales = MonthSales {
        this_month: Money(this_month),
        last_month: Money(last_month),
        last_from,
    };
    Ok((sales, chart))
}
