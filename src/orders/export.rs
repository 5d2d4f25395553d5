//! The order list as an export: every order its filters match, in the list's order, with the
//! filters written above it.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;

use super::list::{filtered, sorted};
use super::{OrderQuery, OrderStatus, Priority};
use crate::business::Zone;
use crate::choice::{Choice, stored};
use crate::error::{AppError, AppResult};
use crate::exports::source;
use crate::exports::table::{Cell, Column, Head, Kind, Prepared, Row, column};
use crate::server::AppState;
use crate::server::entities::order;

use order::Column as O;

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
    let columns = [
        O::Number,
        O::CreatedAt,
        O::Status,
        O::Priority,
        O::RequestedDate,
    ]
    .into_iter()
    .chain([O::Net, O::Tax, O::Total])
    .map(|c| Expr::col((order::Entity, c)))
    .chain([crate::clients::service::name_of((
        order::Entity,
        O::ClientId,
    ))])
    .collect();
    let rows = source::json(
        state.db.clone(),
        select,
        sorted(q.sort),
        columns,
        move |page| page.into_iter().map(|o: Line| o.row(&zone)).collect(),
    );
    Ok(Prepared { head, rows })
}

/// An order as the export reads it: number, entered, status, priority, requested, net, tax,
/// total and the client's name (none only for a client row gone from under it).
#[derive(serde::Deserialize)]
struct Line(
    String,
    DateTime<Utc>,
    String,
    String,
    Option<NaiveDate>,
    i64,
    i64,
    i64,
    Option<String>,
);

impl Line {
    fn row(self, zone: &Zone) -> AppResult<Row> {
        let Line(number, entered, status, priority, requested, net, tax, total, client) = self;
        let unknown = |e| AppError::internal("order export", e);
        Ok(vec![
            Cell::Text(number),
            Cell::Date(zone.date(&entered)),
            Cell::Text(client.unwrap_or_default()),
            Cell::Text(
                stored::<OrderStatus>(&status)
                    .map_err(unknown)?
                    .label()
                    .into(),
            ),
            Cell::Text(
                stored::<Priority>(&priority)
                    .map_err(unknown)?
                    .label()
                    .into(),
            ),
            requested.map_or(Cell::Empty, Cell::Date),
            Cell::Money(net),
            Cell::Money(tax),
            Cell::Money(total),
        ])
    }
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
