//! Every summary the reports read (ARCHITECTURE.md, "Reports"), kept by the writing
//! transactions (`server::tally`) so no report sums a year of detail per request. Each one
//! here has its table and how to make it again from the detail; `ensure` does that at
//! start-up for those made in another business time zone (or never), `build_all` for the
//! demo seed and the benchmark's generator, which write detail directly.

pub mod deliveries;
pub mod orders;
pub mod payments;
pub mod receivables;
pub mod stock;

use sea_orm::sea_query::SelectStatement;
use sea_orm::{DatabaseBackend, DatabaseConnection, TransactionTrait};

use super::summary;
use crate::business::Zone;
use crate::error::{AppResult, OrInternal};
use crate::server::tally::{self, Tally};

/// How a summary is made from the detail: its sources for `tally::rebuild`.
type Sources = fn(DatabaseBackend, &Zone) -> Vec<SelectStatement>;

/// Every kept summary.
pub fn all() -> [(&'static Tally, Sources); 6] {
    [
        (&summary::TALLY, summary::sources),
        (&orders::TALLY, orders::sources),
        (&deliveries::TALLY, deliveries::sources),
        (&stock::TALLY, stock::sources),
        (&payments::TALLY, payments::sources),
        (&receivables::TALLY, receivables::sources),
    ]
}

/// Makes again each summary made in another zone than `zone`, or never.
pub async fn ensure(db: &DatabaseConnection, zone: &Zone) -> AppResult<()> {
    for (tally, sources) in all() {
        if tally::built_in(db, tally).await?.as_deref() == Some(zone.name.as_str()) {
            continue;
        }
        tracing::info!(summary = tally.table, zone = %zone.name, "building a report summary");
        let txn = db.begin().await.or_internal(tally.table)?;
        tally::rebuild(&txn, tally, sources(db.get_database_backend(), zone), zone).await?;
        txn.commit().await.or_internal(tally.table)?;
    }
    Ok(())
}

/// Makes every summary again from the detail, in one transaction.
pub async fn build_all(db: &DatabaseConnection, zone: &Zone) -> AppResult<()> {
    // A write transaction from its start: begun deferred, it would fail outright if another
    // connection (a running server) committed between its first read and first write.
    let (_gate, txn) = crate::server::db::begin_write(db)
        .await
        .or_internal("report summaries")?;
    for (tally, sources) in all() {
        tally::rebuild(&txn, tally, sources(db.get_database_backend(), zone), zone).await?;
    }
    txn.commit().await.or_internal("report summaries")
}
