//! The invoice list as an export: every invoice its filters match, in the list's order, with
//! what each owes and whether it is overdue on the business's calendar.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;

use super::list::{filtered, sorted};
use super::read::without_documents;
use super::status::is_overdue;
use super::{InvoiceFilter, InvoiceQuery, InvoiceStatus};
use crate::choice::{Choice, stored};
use crate::error::{AppError, AppResult};
use crate::exports::source;
use crate::exports::table::{Cell, Column, Head, Kind, Prepared, Row, column};
use crate::server::AppState;
use crate::server::entities::invoice;

use invoice::Column as I;

const COLUMNS: [Column; 8] = [
    column("Number", Kind::Text),
    column("Client", Kind::Text),
    column("Status", Kind::Text),
    column("Overdue", Kind::Text),
    column("Issued", Kind::Date),
    column("Due", Kind::Date),
    column("Total", Kind::Money),
    column("Balance", Kind::Money),
];

/// The invoices `query` (the list page's URL query) matches, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = InvoiceQuery::from(query);
    let today = state.config.business.zone.today();
    let select = filtered(without_documents(), &q, today)?;
    let total = source::count(&state.db, &select, invoice::Column::Id).await?;
    let filters = filters(state, &q).await?;
    let head = Head::now(state, ("Invoices", "invoices"), filters, &COLUMNS, total);
    let columns = [
        I::Number,
        I::Status,
        I::IssueDate,
        I::DueDate,
        I::Total,
        I::Balance,
    ]
    .into_iter()
    .map(|c| Expr::col((invoice::Entity, c)))
    .chain([crate::clients::service::name_of((
        invoice::Entity,
        I::ClientId,
    ))])
    .collect();
    let rows = source::json(state.db.clone(), select, sorted(&q), columns, move |page| {
        page.into_iter().map(|i: Line| i.row(today)).collect()
    });
    Ok(Prepared { head, rows })
}

/// An invoice as the export reads it: number (none for a draft), status, issued, due, total,
/// balance and the client's name.
#[derive(serde::Deserialize)]
struct Line(
    Option<String>,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    i64,
    i64,
    Option<String>,
);

impl Line {
    fn row(self, today: NaiveDate) -> AppResult<Row> {
        let Line(number, status, issued, due, total, balance, client) = self;
        let status: InvoiceStatus =
            stored(&status).map_err(|e| AppError::internal("invoice export", e))?;
        let overdue = is_overdue(status, due, today);
        Ok(vec![
            Cell::Text(number.unwrap_or_else(|| "Draft".into())),
            Cell::Text(client.unwrap_or_default()),
            Cell::Text(status.label().into()),
            Cell::Text(if overdue { "Overdue" } else { "" }.into()),
            issued.map_or(Cell::Empty, Cell::Date),
            due.map_or(Cell::Empty, Cell::Date),
            Cell::Money(total),
            Cell::Money(balance),
        ])
    }
}

/// The list's filters as people read them.
async fn filters(state: &AppState, q: &InvoiceQuery) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    if !q.q.trim().is_empty() {
        out.push(("Number".into(), q.q.trim().to_string()));
    }
    if let Some(s) = q.status {
        out.push(("Status".into(), InvoiceFilter::label(s).into()));
    }
    if let Some(c) = q.client {
        let names = crate::clients::service::names(&state.db, [c]).await?;
        out.push((
            "Client".into(),
            names.get(&c).cloned().unwrap_or_else(|| c.to_string()),
        ));
    }
    for (label, value) in [
        ("Issued from", &q.from),
        ("Issued to", &q.to),
        ("Due from", &q.due_from),
        ("Due to", &q.due_to),
    ] {
        if !value.is_empty() {
            out.push((label.into(), value.clone()));
        }
    }
    Ok(out)
}
