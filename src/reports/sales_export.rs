//! The sales report as an export: its periods and totals as rows, its filters, and its chart.

use super::query::{ReportQuery, filters_shown};
use super::{SalesReport, SalesRow};
use crate::error::AppResult;
use crate::exports::table::{Cell, Chart, Head, Kind, Prepared, Row, all_at_once, column};
use crate::server::AppState;

const COLUMNS: [crate::exports::table::Column; 8] = [
    column("Period", Kind::Text),
    column("Invoiced", Kind::Money),
    column("Credit notes", Kind::Money),
    column("Net sales", Kind::Money),
    column("Tax", Kind::Money),
    column("Total", Kind::Money),
    column("Orders", Kind::Int),
    column("Booked", Kind::Money),
];

fn row(r: &SalesRow) -> Row {
    vec![
        Cell::Text(r.label.clone()),
        Cell::Money(r.invoiced.0),
        Cell::Money(r.credited.0),
        Cell::Money(r.net.0),
        Cell::Money(r.tax.0),
        Cell::Money(r.total.0),
        Cell::Int(r.orders),
        Cell::Money(r.booked.0),
    ]
}

/// The report `query` (a page URL's query) asks for, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = ReportQuery::from(query);
    let zone = &state.config.business.zone;
    let r = super::sales::report(&state.db, zone, zone.today(), &q).await?;
    let mut rows: Vec<Row> = r.rows.iter().map(row).collect();
    rows.push(row(&r.totals));
    Ok(all_at_once(head(&r, state, rows.len() as u64), rows))
}

fn head(r: &SalesReport, state: &AppState, total: u64) -> Head {
    let filters = filters_shown(
        (r.from, r.to, r.by),
        &[("Client", r.client.clone()), ("Product", r.product.clone())],
    );
    Head {
        stem: format!("sales-{}-{}", r.from, r.to),
        chart: Some(Chart {
            title: "Net sales by period".into(),
            labels: r.rows.iter().map(|p| p.label.clone()).collect(),
            bars: r.rows.iter().map(|p| p.net.0).collect(),
            bar_name: "Net sales".into(),
            line: Some((
                "Orders booked".into(),
                r.rows.iter().map(|p| p.booked.0).collect(),
            )),
            columns: (3, Some(7)),
        }),
        ..Head::now(state, ("Sales", "sales"), filters, &COLUMNS, total)
    }
}
