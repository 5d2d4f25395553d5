//! The payments and receivables report as an export: payments by period and method with
//! their totals, then what was owed on the aging's day by bucket, and its chart.

use super::query::{ReportQuery, filters_shown};
use super::{PaymentsReport, PaymentsRow};
use crate::choice::Choice;
use crate::error::AppResult;
use crate::exports::table::{Cell, Chart, Column, Head, Kind, Prepared, Row, all_at_once, column};
use crate::invoices::BUCKETS;
use crate::server::AppState;

/// The columns: the period, each method, the count and the total.
fn columns(r: &PaymentsReport) -> Vec<Column> {
    let mut out = vec![column("Period", Kind::Text)];
    out.extend(r.methods.iter().map(|m| column(m.label(), Kind::Money)));
    out.push(column("Payments", Kind::Int));
    out.push(column("Total", Kind::Money));
    out
}

fn row(r: &PaymentsRow) -> Row {
    let mut out = vec![Cell::Text(r.label.clone())];
    out.extend(r.by_method.iter().map(|m| Cell::Money(m.0)));
    out.push(Cell::Int(r.count));
    out.push(Cell::Money(r.total.0));
    out
}

/// A row with only a label and an amount in the total column: the aging's buckets.
fn owed(label: String, amount: i64, width: usize) -> Row {
    let mut out = vec![Cell::Text(label)];
    out.extend((2..width).map(|_| Cell::Empty));
    out.push(Cell::Money(amount));
    out
}

/// The report `query` (a page URL's query) asks for, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = ReportQuery::from(query);
    let today = state.config.business.zone.today();
    let r = super::payments::report(&state.db, today, &q).await?;
    let columns = columns(&r);
    let width = columns.len();
    let mut rows: Vec<Row> = r.rows.iter().map(row).collect();
    rows.push(row(&r.totals));
    for (name, amount) in BUCKETS.iter().zip(r.buckets) {
        rows.push(owed(
            format!("Owed on {}: {name}", r.as_of),
            amount.0,
            width,
        ));
    }
    rows.push(owed(
        format!("Owed on {}: total", r.as_of),
        r.outstanding.0,
        width,
    ));
    let filters = filters_shown((r.from, r.to, r.by), &[("Client", r.client.clone())]);
    let head = Head {
        stem: format!("payments-{}-{}", r.from, r.to),
        chart: Some(Chart {
            title: "Payments received by period".into(),
            labels: r.rows.iter().map(|p| p.label.clone()).collect(),
            bars: r.rows.iter().map(|p| p.total.0).collect(),
            bar_name: "Received".into(),
            line: None,
            columns: (width - 1, None),
        }),
        ..Head::now(
            state,
            ("Payments", "payments"),
            filters,
            &columns,
            rows.len() as u64,
        )
    };
    Ok(all_at_once(head, rows))
}
