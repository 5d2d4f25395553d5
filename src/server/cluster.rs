//! Several app servers on one PostgreSQL: the work that must happen once across all of them
//! (ARCHITECTURE.md, "Several servers"). Start-up (migrations, the summaries and search keys
//! they fill, demo data) runs under a PostgreSQL advisory lock, so servers starting together
//! take turns and the later ones find nothing left to do. Periodic jobs (the sweeps) are
//! claimed per period with one conditional UPDATE of their row in `server_jobs`, so each runs
//! once per period across all servers, whichever server's timer fires first.
//!
//! On SQLite there is one server process by design (one file, one machine): the lock is then
//! a lock of this process, which still orders several servers started in it (the tests').

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, Statement, TransactionTrait,
};

use crate::server::entities::server_job::{self, Column};

/// The advisory locks the servers share: one 64-bit key each, under a prefix of this app's
/// own so another application on the same PostgreSQL does not collide with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Migrations and the start-up work that follows them.
    StartUp = 1,
}

impl Lock {
    fn key(self) -> i64 {
        const PREFIX: i64 = 0x5A1E_5000_0000;
        PREFIX + self as i64
    }
}

/// Runs `work` while holding `lock` across every server on this database, waiting for a
/// server that holds it. The lock is taken by a transaction of its own (one pooled
/// connection) and ends with it, so a server that dies holding it lets the others go on.
pub async fn exclusively<T>(
    db: &DatabaseConnection,
    lock: Lock,
    work: impl Future<Output = T>,
) -> Result<T, DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        static IN_PROCESS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _held = IN_PROCESS.lock().await;
        return Ok(work.await);
    }
    let holder = db.begin().await?;
    holder
        .execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [lock.key().into()],
        ))
        .await?;
    let out = work.await;
    holder.commit().await?;
    Ok(out)
}

/// Claims this period's run of the periodic job `name` (every `every`): true for exactly one
/// server per period. The job's row is made on its first claim.
pub async fn claim_run(
    db: &DatabaseConnection,
    name: &str,
    every: Duration,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let first = server_job::ActiveModel {
        name: Set(name.to_string()),
        last_run_at: Set(DateTime::<Utc>::UNIX_EPOCH),
    };
    server_job::Entity::insert(first)
        .on_conflict(OnConflict::column(Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    // A little early counts: timers on different servers drift, and a period's run must not
    // be skipped because the claim came a second short.
    let slack = every / 10;
    let due = now - chrono::Duration::from_std(every - slack).unwrap_or_default();
    let claimed = server_job::Entity::update_many()
        .col_expr(Column::LastRunAt, Expr::val(now))
        .filter(Column::Name.eq(name))
        .filter(Column::LastRunAt.lte(due))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}
