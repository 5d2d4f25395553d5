//! The order list as an export: every order its filters match, in the list's order, with the
//! filters written above it.

use super::OrderQuery;
use super::list::{filtered, sorted};
use crate::choice::Choice;
use crate::error::AppResult;
use crate::exports::source;
use crate::exports::table::{Cell, Column, Head, Kind, Prepared, column};
use crate::server::AppState;
use crate::server::entities::order;

const COLUMNS: [Column; 9] = [
    column("Number", Kind::Text),
    column("Entered", Kind::Date),
    column("Client", Kind::Text),
    column("Status", Kind::Text),
    column("Priority", Kind::Text),
    column("Requested", Kind::Date),
    column("Net", Kind::Money),
    column("Tax", Kind::Money),
    column("Total", Kind::Money),
];

/// The orders `query` (the list page's URL query) matches, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = OrderQuery::from(query);
    let zone = state.config.business.zone.clone();
    let select = filtered(&q, &zone)?;
    let total = source::count(&state.db, &select, order::Column::Id).await?;
    let filters = filters(state, &q).await?;
    let head = Head::now(state, ("Orders", "orders"), filters, &COLUMNS, total);
    let db = state.db.clone();
    let rows = source::keyset(state.db.clone(), select, sorted(q.sort), move |orders| {
        let (db, zone) = (db.clone(), zone.clone());
        async move {
            let ids = orders.iter().map(|o| o.client_id);
            let names = crate::clients::service::names(&db, ids).await?;
            Ok(orders
                .into_iter()
                .map(|o| {
                    let client = names.get(&o.client_id).cloned().unwrap_or_default();
                    vec![
                        Cell::Text(o.number),
                        Cell::Date(zone.date(&o.created_at)),
                        Cell::Text(client),
                        Cell::Text(o.status.label().into()),
                        Cell::Text(o.priority.label().into()),
                        o.requested_date.map_or(Cell::Empty, Cell::Date),
                        Cell::Money(o.net),
                        Cell::Money(o.tax),
                        Cell::Money(o.total),
                    ]
                })
                .collect())
        }
    });
    Ok(Prepared { head, rows })
}

/// The list's filters as people read them.
async fn filters(state: &AppState, q: &OrderQuery) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut add = |k: &str, v: String| out.push((k.to_string(), v));
    if !q.q.trim().is_empty() {
        add("Number", q.q.trim().to_string());
    }
    if let Some(s) = q.status {
        add("Status", s.label().into());
    }
    if let Some(c) = q.client {
        let names = crate::clients::service::names(&state.db, [c]).await?;
        add(
            "Client",
            names.get(&c).cloned().unwrap_or_else(|| c.to_string()),
        );
    }
    if let Some(p) = q.priority {
        add("Priority", p.label().into());
    }
    if !q.from.is_empty() {
        add("From", q.from.clone());
    }
    if !q.to.is_empty() {
        add("To", q.to.clone());
    }
    add("Order", q.sort.label().into());
    Ok(out)
}
