//! A list's rows for an export: its filtered, sorted query walked page by page with the
//! list's own keyset (`server::keyset`), each page turned into rows and sent to the writer.
//! A page waits while the writer is `QUEUED_BATCHES` behind, so memory stays bounded however
//! long the list.
//!
//! A long list's export reads each page as one JSON document (`json`): sqlx hands rows over
//! from its SQLite worker thread one at a time, at about 5 µs each (more than SQLite takes to
//! find them), so a 100,000-row export spent most of its time in that hand-over.

use std::future::Future;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Order,
    PaginatorTrait, QueryFilter, QuerySelect, QueryTrait, Select,
};
use serde::de::{DeserializeOwned, IgnoredAny};

use super::table::{BATCH, Row, Sink, Source};
use crate::error::{AppError, AppResult, OrInternal};
use crate::paging::PageAt;
use crate::server::keyset::{self, Sorted};

/// How many rows `select` matches: the export's "of".
pub async fn count<E>(db: &DatabaseConnection, select: &Select<E>, id: E::Column) -> AppResult<u64>
where
    E: EntityTrait,
    E::Model: Sync,
{
    select
        .clone()
        .select_only()
        .column(id)
        .count(db)
        .await
        .or_internal("export count")
}

/// Sends every row of `select` in `sort`'s order, each page made into rows by `rows_of`.
pub fn keyset<E, F, Fut>(
    db: DatabaseConnection,
    select: Select<E>,
    sort: Sorted<E>,
    rows_of: F,
) -> Source
where
    E: EntityTrait,
    E::Model: Sync + Send,
    Sorted<E>: Send + 'static,
    F: Fn(Vec<E::Model>) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<Vec<Row>>> + Send,
{
    Box::new(move |tx: Sink| {
        Box::pin(async move {
            let mut at = PageAt::First;
            loop {
                let page =
                    keyset::page_counted(&db, select.clone(), &sort, (at, BATCH), (0, false));
                let (rows, next) = match page.await {
                    Ok(p) => {
                        let next = p.next;
                        (rows_of(p.rows).await, next)
                    }
                    Err(e) => (Err(e), None),
                };
                let failed = rows.is_err();
                // The writer has stopped (failed, or the server is going down): stop too.
                if tx.send(rows).await.is_err() || failed {
                    return;
                }
                match next {
                    Some(id) => at = PageAt::After(id),
                    None => return,
                }
            }
        })
    })
}

/// Sends every row of `select` in `sort`'s order, each page read as one JSON document: an
/// array of `[id, [columns…]]`, each row's `columns` read into a `T` (a tuple struct, in the
/// same order) and the page made into rows by `rows_of`. The database reads the next page
/// while this one is parsed, made into rows and written.
pub fn json<E, T, F>(
    db: DatabaseConnection,
    select: Select<E>,
    sort: Sorted<E>,
    columns: Vec<SimpleExpr>,
    rows_of: F,
) -> Source
where
    E: EntityTrait,
    E::Model: Sync + Send,
    Sorted<E>: Send + Sync + 'static,
    T: DeserializeOwned + Send,
    F: Fn(Vec<T>) -> AppResult<Vec<Row>> + Send + 'static,
{
    let pages = Arc::new(JsonPages {
        db,
        select,
        sort,
        columns,
    });
    Box::new(move |tx: Sink| {
        Box::pin(async move {
            let read = |after: Option<i64>| {
                let pages = pages.clone();
                tokio::spawn(async move { pages.document(after).await })
            };
            let mut reading = read(None);
            loop {
                let document = reading
                    .await
                    .unwrap_or_else(|e| Err(AppError::internal("export page", e)));
                let upcoming = match document.as_deref().map(next_cursor) {
                    Ok(Ok(Some(id))) => Some(read(Some(id))),
                    _ => None,
                };
                let rows = document
                    .and_then(|d| parse::<T>(&d))
                    .and_then(|page| rows_of(page.into_iter().map(|(_, t)| t).collect()));
                let failed = rows.is_err();
                // The writer has stopped (failed, or the server is going down): stop too.
                if tx.send(rows).await.is_err() || failed {
                    upcoming.inspect(|r| r.abort());
                    return;
                }
                match upcoming {
                    Some(r) => reading = r,
                    None => return,
                }
            }
        })
    })
}

/// A page's rows from its document.
fn parse<T: DeserializeOwned>(document: &str) -> AppResult<Vec<(i64, T)>> {
    serde_json::from_str(document).map_err(|e| AppError::internal("export page", e))
}

/// Where the page after this one starts: its last row, if it is full (none: the walk is
/// over). Reads only the ids, so that the next page's query can start before this one is
/// parsed.
fn next_cursor(document: &str) -> AppResult<Option<i64>> {
    let ids: Vec<(i64, IgnoredAny)> = parse(document)?;
    let full = ids.len() as u64 == BATCH;
    Ok(ids.last().map(|(id, _)| *id).filter(|_| full))
}

/// What `json` reads its pages from.
struct JsonPages<E: EntityTrait> {
    db: DatabaseConnection,
    select: Select<E>,
    sort: Sorted<E>,
    columns: Vec<SimpleExpr>,
}

impl<E: EntityTrait> JsonPages<E>
where
    E::Model: Sync,
{
    /// The document of the page beyond row `after` (`[]` when there is none).
    async fn document(&self, after: Option<i64>) -> AppResult<String> {
        let (db, sort) = (&self.db, &self.sort);
        // A page starts beyond its cursor row's keys: were that row gone (deleted meanwhile), the
        // walk would end early, and an export is never cut short without a word.
        if let Some(id) = after {
            let there = E::find()
                .filter(sort.id.eq(id))
                .select_only()
                .column(sort.id)
                .count(db)
                .await
                .or_internal("export page")?;
            if there == 0 {
                return Err(AppError::Conflict(
                    "the list changed while it was being exported; export it again".into(),
                ));
            }
        }
        let backend = db.get_database_backend();
        let query = self.query(backend, after);
        let json: Option<String> = match db.query_one_raw(backend.build(&query)).await {
            Ok(Some(row)) => row.try_get("", "j").or_internal("export page")?,
            Ok(None) => None,
            Err(e) => return Err(AppError::internal("export page", e)),
        };
        Ok(json.unwrap_or_else(|| "[]".into()))
    }

    /// The query of the page beyond row `after`: one row, one column `j`, the page's document.
    fn query(&self, backend: DatabaseBackend, after: Option<i64>) -> SelectStatement {
        let (sort, columns) = (&self.sort, &self.columns);
        let mut page = keyset::from(self.select.clone(), sort, after).select_only();
        for (i, c) in columns.iter().enumerate() {
            page = page.column_as(c.clone(), format!("c{i}"));
        }
        for (i, k) in sort.keys.iter().enumerate() {
            page = page.column_as(k.clone(), format!("k{i}"));
        }
        let page = page.column_as(sort.id, "kid").limit(BATCH).into_query();
        // The page's own order is kept inside the document: an aggregate's input order is not
        // otherwise promised by either database.
        let dir = if matches!(sort.dir, Order::Asc) {
            "ASC"
        } else {
            "DESC"
        };
        let order: Vec<String> = (0..sort.keys.len())
            .map(|i| format!("k{i} {dir}"))
            .chain([format!("kid {dir}")])
            .collect();
        let cells: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
        let (cells, order) = (cells.join(", "), order.join(", "));
        let document = match backend {
            DatabaseBackend::Postgres => format!(
                "json_agg(json_build_array(kid, json_build_array({cells})) ORDER BY {order})::text"
            ),
            _ => format!("json_group_array(json_array(kid, json_array({cells})) ORDER BY {order})"),
        };
        Query::select()
            .expr_as(Expr::cust(document), Alias::new("j"))
            .from_subquery(page, Alias::new("p"))
            .to_owned()
    }
}
