//! The orders report as an export: orders and deliveries by period with their totals, then
//! the orders by status and by priority, and its chart.

use super::query::{ReportQuery, filters_shown};
use super::{Breakdown, OrdersReport, OrdersRow};
use crate::choice::Choice;
use crate::error::AppResult;
use crate::exports::table::{Cell, Chart, Column, Head, Kind, Prepared, Row, all_at_once, column};
use crate::server::AppState;

const COLUMNS: [Column; 8] = [
    column("Period", Kind::Text),
    column("Orders", Kind::Int),
    column("Value", Kind::Money),
    column("Delivered", Kind::Int),
    column("Cancelled", Kind::Int),
    column("Days to delivery", Kind::Text),
    column("Deliveries", Kind::Int),
    column("Late", Kind::Int),
];

fn row(r: &OrdersRow) -> Row {
    vec![
        Cell::Text(r.label.clone()),
        Cell::Int(r.orders),
        Cell::Money(r.value.0),
        Cell::Int(r.delivered),
        Cell::Int(r.cancelled),
        r.lead_days
            .map_or(Cell::Empty, |d| Cell::Text(format!("{d:.1}"))),
        Cell::Int(r.deliveries),
        Cell::Int(r.late),
    ]
}

/// A status or priority: its name, count and value in the first columns.
fn part(what: &str, b: &Breakdown) -> Row {
    let mut out = vec![
        Cell::Text(format!("{what}: {}", b.label)),
        Cell::Int(b.orders),
        Cell::Money(b.value.0),
    ];
    out.extend((3..COLUMNS.len()).map(|_| Cell::Empty));
    out
}

/// The report `query` (a page URL's query) asks for, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = ReportQuery::from(query);
    let zone = &state.config.business.zone;
    let r: OrdersReport = super::orders::report(&state.db, zone, zone.today(), &q).await?;
    let mut rows: Vec<Row> = r.rows.iter().map(row).collect();
    rows.push(row(&r.totals));
    rows.extend(r.by_status.iter().map(|b| part("Status", b)));
    rows.extend(r.by_priority.iter().map(|b| part("Priority", b)));
    let filters = filters_shown(
        (r.from, r.to, r.by),
        &[
            ("Client", r.client.clone()),
            ("Product", r.product.clone()),
            ("Status", r.status.map(|s| s.label().to_string())),
        ],
    );
    let head = Head {
        stem: format!("orders-{}-{}", r.from, r.to),
        chart: Some(Chart {
            title: "Orders entered by period".into(),
            labels: r.rows.iter().map(|p| p.label.clone()).collect(),
            bars: r.rows.iter().map(|p| p.orders).collect(),
            bar_name: "Orders".into(),
            line: Some((
                "Late deliveries".into(),
                r.rows.iter().map(|p| p.late).collect(),
            )),
            columns: (1, Some(7)),
        }),
        ..Head::now(
            state,
            ("Orders report", "orders report"),
            filters,
            &COLUMNS,
            rows.len() as u64,
        )
    };
    Ok(all_at_once(head, rows))
}
