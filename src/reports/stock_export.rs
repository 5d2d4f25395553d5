//! The stock report as an export: the movements by period and kind with their totals, then
//! the stock now and its worth, and its chart.

use super::query::{ReportQuery, filters_shown};
use super::{StockReport, StockRow};
use crate::error::AppResult;
use crate::exports::table::{Cell, Chart, Column, Head, Kind, Prepared, Row, all_at_once, column};
use crate::server::AppState;

const COLUMNS: [Column; 7] = [
    column("Period", Kind::Text),
    column("Received", Kind::Int),
    column("Shipped", Kind::Int),
    column("Adjusted", Kind::Int),
    column("Reserved", Kind::Int),
    column("Released", Kind::Int),
    column("Movements", Kind::Int),
];

fn row(r: &StockRow) -> Row {
    vec![
        Cell::Text(r.label.clone()),
        Cell::Int(r.received),
        Cell::Int(r.shipped),
        Cell::Int(r.adjusted),
        Cell::Int(r.reserved),
        Cell::Int(r.released),
        Cell::Int(r.movements),
    ]
}

/// A figure of the stock now: its label, and its value in the second column.
fn now(label: String, value: Cell) -> Row {
    let mut out = vec![Cell::Text(label), value];
    out.extend((2..COLUMNS.len()).map(|_| Cell::Empty));
    out
}

/// The report `query` (a page URL's query) asks for, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = ReportQuery::from(query);
    let zone = &state.config.business.zone;
    let today = zone.today();
    let r: StockReport = super::stock::report(&state.db, zone, today, &q).await?;
    let mut rows: Vec<Row> = r.rows.iter().map(row).collect();
    rows.push(row(&r.totals));
    for (label, value) in [
        ("On hand", Cell::Int(r.on_hand)),
        ("Reserved", Cell::Int(r.reserved)),
        ("Available", Cell::Int(r.available)),
        ("Worth at unit price", Cell::Money(r.at_price.0)),
        ("Worth at last receipt cost", Cell::Money(r.at_cost.0)),
        ("Products low on stock", Cell::Int(r.low_count)),
    ] {
        rows.push(now(format!("{label} on {today}"), value));
    }
    let filters = filters_shown((r.from, r.to, r.by), &[("Product", r.product.clone())]);
    let head = Head {
        stem: format!("stock-{}-{}", r.from, r.to),
        chart: Some(Chart {
            title: "Units received and shipped by period".into(),
            labels: r.rows.iter().map(|p| p.label.clone()).collect(),
            bars: r.rows.iter().map(|p| p.received).collect(),
            bar_name: "Received".into(),
            line: Some(("Shipped".into(), r.rows.iter().map(|p| p.shipped).collect())),
            columns: (1, Some(2)),
        }),
        ..Head::now(
            state,
            ("Stock", "stock"),
            filters,
            &COLUMNS,
            rows.len() as u64,
        )
    };
    Ok(all_at_once(head, rows))
}
