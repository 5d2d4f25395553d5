//! The audit trail as an export: every event its filters match, newest first, with who made
//! the change, on the business's clocks.

use super::list::{filtered, sorted};
use super::query::AuditQuery;
use crate::choice::Choice;
use crate::error::AppResult;
use crate::exports::source;
use crate::exports::table::{Cell, Column, Head, Kind, Prepared, column};
use crate::server::AppState;
use crate::server::entities::audit_event;

const COLUMNS: [Column; 6] = [
    column("When", Kind::Text),
    column("User", Kind::Text),
    column("Action", Kind::Text),
    column("Record", Kind::Text),
    column("Record id", Kind::Text),
    column("Details", Kind::Text),
];

/// The events `query` (the trail page's URL query) matches, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    let q = AuditQuery::from(query);
    let zone = state.config.business.zone.clone();
    let select = filtered(&q, &zone)?;
    let total = source::count(&state.db, &select, audit_event::Column::Id).await?;
    let filters = filters(state, &q).await?;
    let head = Head::now(state, ("Audit trail", "audit"), filters, &COLUMNS, total);
    let db = state.db.clone();
    let rows = source::keyset(state.db.clone(), select, sorted(&q), move |page| {
        let (db, zone) = (db.clone(), zone.clone());
        async move {
            Ok(super::service::shown(&db, page)
                .await?
                .into_iter()
                .map(|e| {
                    vec![
                        Cell::Text(zone.date_time(&e.at)),
                        e.actor.map_or(Cell::Empty, Cell::Text),
                        Cell::Text(e.action),
                        Cell::Text(e.entity),
                        e.entity_id.map_or(Cell::Empty, Cell::Text),
                        Cell::Text(e.details),
                    ]
                })
                .collect())
        }
    });
    Ok(Prepared { head, rows })
}

/// The trail's filters as people read them.
async fn filters(state: &AppState, q: &AuditQuery) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    if let Some(id) = q.user {
        let names = crate::users::service::display_names(&state.db, [id]).await?;
        out.push((
            "User".into(),
            names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
        ));
    }
    if let Some(e) = q.entity {
        out.push(("Record".into(), e.label().into()));
    }
    if let Some(id) = q.record {
        out.push(("Record id".into(), id.to_string()));
    }
    for (label, value) in [("Action", &q.action), ("From", &q.from), ("To", &q.to)] {
        if !value.trim().is_empty() {
            out.push((label.into(), value.trim().to_string()));
        }
    }
    Ok(out)
}
