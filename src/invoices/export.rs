//! The invoice list as an export: every invoice its filters match, in the list's order, with
//! what each owes and whether it is overdue on the business's calendar.

use super::list::{filtered, sorted};
use super::read::{row, without_documents};
use super::{InvoiceFilter, InvoiceQuery};
use crate::choice::Choice;
use crate::error::AppResult;
use crate::exports::source;
use crate::exports::table::{Cell, Column, Head, Kind, Prepared, column};
use crate::server::AppState;
use crate::server::entities::invoice;

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
    let db = state.db.clone();
    let rows = source::keyset(state.db.clone(), select, sorted(&q), move |invoices| {
        let db = db.clone();
        async move {
            let ids = invoices.iter().map(|i| i.client_id);
            let names = crate::clients::service::names(&db, ids).await?;
            Ok(invoices
                .into_iter()
                .map(|m| {
                    let r = row(m, &names, today);
                    vec![
                        r.number.map_or(Cell::Text("Draft".into()), Cell::Text),
                        Cell::Text(r.client_name),
                        Cell::Text(r.status.label().into()),
                        Cell::Text(if r.overdue { "Overdue" } else { "" }.into()),
                        r.issue_date.map_or(Cell::Empty, Cell::Date),
                        r.due_date.map_or(Cell::Empty, Cell::Date),
                        Cell::Money(r.total.0),
                        Cell::Money(r.balance.0),
                    ]
                })
                .collect())
        }
    });
    Ok(Prepared { head, rows })
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
