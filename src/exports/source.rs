//! A list's rows for an export: its filtered, sorted query walked page by page with the
//! list's own keyset (`server::keyset`), each page turned into rows and sent to the writer.
//! A page waits while the writer is `QUEUED_BATCHES` behind, so memory stays bounded however
//! long the list.

use std::future::Future;

use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QuerySelect, Select};

use super::table::{BATCH, Row, Sink, Source};
use crate::error::{AppResult, OrInternal};
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
