//! The sales report on the server: what was invoiced less what was credited, by period, by
//! client and by product, and beside it the orders booked.
//!
//! Invoices and credit notes count on their issue date (already a day of the business's
//! calendar); orders on the business's day they were entered. The figures come from the
//! sales summary (`summary`), kept by the writing transactions; `sales_detail` sums the
//! same from the documents.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::query::{ReportQuery, read_period};
use super::sales_detail::{self, Filter, Key};
use super::summary::{self, Dim, Figures, Ranking};
use super::{RANKED, Ranked, SalesReport, SalesRow, local_day};
use crate::business::Zone;
use crate::error::{AppError, AppResult};
use crate::money::Money;

/// Where the figures are read from: the sales summary, or the documents themselves (which
/// the summary must equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Summary,
    Detail,
}

/// The report for `query` on the business's calendar (`zone`), as of `today`.
pub async fn report(
    db: &DatabaseConnection,
    zone: &Zone,
    today: NaiveDate,
    query: &ReportQuery,
) -> AppResult<SalesReport> {
    report_from(db, zone, today, query, Reading::Summary).await
}

/// The report, read as `reading` says. The summary keeps the business, each client and each
/// product apart: with both a client and a product chosen, the documents are read.
pub async fn report_from(
    db: &DatabaseConnection,
    zone: &Zone,
    today: NaiveDate,
    query: &ReportQuery,
    reading: Reading,
) -> AppResult<SalesReport> {
    let period = read_period(query, today).map_err(|e| AppError::fields(vec![e]))?;
    let client = names_of(db, query.client, Key::Client).await?;
    let product = names_of(db, query.product, Key::Product).await?;
    let f = Filter {
        from: period.from,
        to: period.to,
        client: query.client,
        product: query.product,
    };
    let days = (period.from, period.to);
    let summed = reading == Reading::Summary && !(f.client.is_some() && f.product.is_some());
    let mut by_day = match (summed, f.client, f.product) {
        (false, ..) => sales_detail::by_day(db, zone, &f).await?,
        (true, Some(c), _) => summary::read(db, Dim::Client, days, Some(c), true).await?,
        (true, _, Some(p)) => summary::read(db, Dim::Product, days, Some(p), true).await?,
        (true, None, None) => summary::read(db, Dim::All, days, None, true).await?,
    };
    // The summary counts orders for the whole business only: one client's or product's are
    // summed from their orders (an index range each).
    if summed && (f.client.is_some() || f.product.is_some()) {
        for (day, (n, value)) in sales_detail::booked(db, zone, &f).await? {
            let s = by_day.entry(day).or_default();
            s.orders += n;
            s.booked += value;
        }
    }
    let clients = match summed && f.product.is_none() {
        true => summary::ranked(db, Dim::Client, days, f.client, RANKED).await?,
        false => Ranking::of(sales_detail::sums(db, &f, Key::Client).await?, RANKED),
    };
    let products = match summed && f.client.is_none() {
        true => summary::ranked(db, Dim::Product, days, f.product, RANKED).await?,
        false => Ranking::of(sales_detail::sums(db, &f, Key::Product).await?, RANKED),
    };
    let starts = period.starts();
    let index: HashMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut rows: Vec<SalesRow> = starts
        .into_iter()
        .map(|start| SalesRow::empty(period.by.label_of(start), start))
        .collect();
    for (day, s) in by_day {
        if let Some(i) = index.get(&period.by.start(local_day::date(day))) {
            rows[*i].add(&s);
        }
    }
    let mut totals = SalesRow::empty("Total".into(), period.from);
    for r in &rows {
        totals.add_row(r);
    }
    Ok(SalesReport {
        from: period.from,
        to: period.to,
        by: period.by,
        client,
        product,
        rows,
        totals,
        clients: ranked(db, clients, Key::Client).await?,
        products: ranked(db, products, Key::Product).await?,
    })
}

impl SalesRow {
    fn empty(label: String, start: NaiveDate) -> Self {
        Self {
            label,
            start,
            invoiced: Money::ZERO,
            credited: Money::ZERO,
            net: Money::ZERO,
            tax: Money::ZERO,
            total: Money::ZERO,
            orders: 0,
            booked: Money::ZERO,
        }
    }

    fn add(&mut self, s: &Figures) {
        self.invoiced.0 += s.invoiced;
        self.credited.0 += s.credited;
        self.net.0 += s.invoiced - s.credited;
        self.tax.0 += s.tax;
        self.total.0 = self.net.0 + self.tax.0;
        self.orders += s.orders;
        self.booked.0 += s.booked;
    }

    fn add_row(&mut self, r: &SalesRow) {
        self.invoiced.0 += r.invoiced.0;
        self.credited.0 += r.credited.0;
        self.net.0 += r.net.0;
        self.tax.0 += r.tax.0;
        self.total.0 += r.total.0;
        self.orders += r.orders;
        self.booked.0 += r.booked.0;
    }
}

/// A ranking with the names of its clients or products.
async fn ranked(db: &DatabaseConnection, ranking: Ranking, key: Key) -> AppResult<Ranked> {
    let names = names(db, key, ranking.top.iter().map(|(id, _)| *id)).await?;
    let net = |s: &Figures| s.invoiced - s.credited;
    let rows = ranking
        .top
        .into_iter()
        .map(|(id, s)| super::RankedRow {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
            quantity: s.quantity,
            net: Money(net(&s)),
            tax: Money(s.tax),
            total: Money(net(&s) + s.tax),
        })
        .collect();
    Ok(Ranked {
        count: ranking.count,
        rows,
    })
}

async fn names(
    db: &DatabaseConnection,
    key: Key,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    use crate::server::entities::product;
    match key {
        Key::Product => {
            let columns = (product::Column::Id, product::Column::Name);
            crate::server::names::of::<product::Entity>(db, columns, ids).await
        }
        _ => crate::clients::service::names(db, ids).await,
    }
}

/// The chosen client's name (a 400 at the filter for one that does not exist).
pub(super) async fn client_name(db: &DatabaseConnection, id: i64) -> AppResult<String> {
    names_of(db, Some(id), Key::Client)
        .await
        .map(Option::unwrap_or_default)
}

/// The name of the chosen client or product (a 400 at its filter for one that does not
/// exist).
pub(super) async fn names_of(
    db: &DatabaseConnection,
    id: Option<i64>,
    key: Key,
) -> AppResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let what = match key {
        Key::Product => "product",
        _ => "client",
    };
    match names(db, key, [id]).await?.remove(&id) {
        Some(name) => Ok(Some(name)),
        None => Err(AppError::field(what, format!("there is no {what} {id}"))),
    }
}
