//! Opening the database and bringing its schema up to date.
//!
//! SQLite gets the settings a multi-user web app needs (WAL so readers never wait for the
//! writer, foreign keys on, a busy timeout instead of instant "database is locked" errors).

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use super::config::{Backend, Config};

/// Connect to the configured database (creating a SQLite file and its folder when needed).
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let (url, backend) = (&config.database_url, &config.backend);
    let synchronous = if config.sqlite_full_sync {
        SqliteSynchronous::Full
    } else {
        SqliteSynchronous::Normal
    };
    let mut opts = ConnectOptions::new(url);
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            create_sqlite_folder(url)?;
            // One writer at a time is SQLite's rule; extra connections serve concurrent readers.
            // A connection to a local file does not go stale: no ping before each use.
            opts.max_connections(8)
                .min_connections(1)
                .test_before_acquire(false)
                .map_sqlx_sqlite_opts(move |o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(synchronous)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                        // Reads through a memory map of the file instead of a read call per
                        // page: list and search queries on a large database then cost CPU, not
                        // system calls. A connection drops its map (and its page cache) when it
                        // finds another has committed, so under order entry every reader
                        // re-maps after each group; measured side by side, that costs about
                        // as much CPU as the map saves reads (mmap_size 0: order entry 5-9%
                        // less CPU per order, order lists and pages 5% more).
                        .pragma("mmap_size", "1073741824")
                        .pragma("cache_size", "-16384")
                        // Checkpoint every ~40 MB of log instead of every 4 MB: each
                        // checkpoint grows the file, and every connection then re-maps it,
                        // which under steady order entry cost a tenth of the server's time.
                        .pragma("wal_autocheckpoint", "10000")
                        // A grouped write's multi-row INSERT outgrows the 64 KiB a statement
                        // journal keeps in memory, and SQLite then created, wrote and deleted
                        // a file in /var/tmp for every group. Temporary data stays in memory.
                        .pragma("temp_store", "memory")
                });
        }
        Backend::Postgres => {
            // Ping only connections idle long enough for the server to have dropped them.
            opts.max_connections(config.pg_pool)
                .min_connections(1)
                .test_before_acquire_if_idle_for(Duration::from_secs(30));
        }
    }
    // Pools opening one new SQLite file at once (servers in one process, as the cluster tests
    // run them) race SQLite's switch to WAL: a connection that would have to wait for a lock
    // another is upgrading gets "database is locked" at once, busy timeout or not. The first
    // connection of each pool is made one at a time; once a file is in WAL mode, later
    // connections find it so and take no such lock.
    static OPENING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one_at_a_time = match backend {
        Backend::Sqlite => Some(OPENING.lock().await),
        Backend::Postgres => None,
    };
    Database::connect(opts).await
}

/// Apply every pending migration; a no-op on an up-to-date database.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// SQLite's query planner chooses between indexes well only with statistics: without them it
/// may walk the priority index for "urgent and confirmed" (a quarter of a million rows) instead
/// of the status index. Sampled (`analysis_limit`), this takes milliseconds even at a million
/// orders. PostgreSQL keeps its own statistics (autovacuum).
/// Indexes led by a column of a few values, whose statistics are read in full.
const FEW_VALUES: &[&str] = &["idx_invoices_status"];

pub async fn refresh_statistics(db: &DatabaseConnection) {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return;
    }
    // One connection for both: the limit is a per-connection setting. A write like any
    // other: it takes its turn.
    let analyzed = async {
        let (_gate, txn) = begin_write(db).await?;
        txn.execute_unprepared("PRAGMA analysis_limit = 1000")
            .await?;
        txn.execute_unprepared("ANALYZE").await?;
        // Sampled, an index led by a column of a few values (a status) looks nearly unique
        // (its first 1000 entries share one value), and the planner then prefers it to the
        // partial index made for the query; these are read whole (about 0.15 s a million).
        txn.execute_unprepared("PRAGMA analysis_limit = 0").await?;
        for index in FEW_VALUES {
            txn.execute_unprepared(&format!("ANALYZE {index}")).await?;
        }
        txn.commit().await
    };
    if let Err(e) = analyzed.await {
        tracing::warn!("refreshing query planner statistics: {e}");
    }
}

/// Background task: statistics every hour as the data grows (`prepare` refreshed them once
/// before the server took its first request, so a start-up refresh never races one).
pub async fn keep_statistics(db: DatabaseConnection) {
    let hour = Duration::from_secs(3600);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        tick.tick().await;
        refresh_statistics(&db).await;
    }
}

/// How the bundled SQLite is compiled for the speed measured: `LIBSQLITE3_FLAGS` in
/// `.cargo/config.toml`, where each is explained. A build without them is correct, only slower.
pub const SQLITE_BUILD: &[&str] = &["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"];

/// The options of `SQLITE_BUILD` the SQLite in use lacks (none on PostgreSQL).
pub async fn missing_sqlite_options(db: &DatabaseConnection) -> Result<Vec<&'static str>, DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return Ok(Vec::new());
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "PRAGMA compile_options",
        ))
        .await?;
    let mut built = Vec::with_capacity(rows.len());
    for row in rows {
        built.push(row.try_get_by_index::<String>(0)?);
    }
    Ok(SQLITE_BUILD
        .iter()
        .copied()
        .filter(|option| !built.iter().any(|b| b == option))
        .collect())
}

/// Start-up: says so when SQLite was built without the project's options (built outside
/// the project folder, whose `.cargo/config.toml` sets them).
pub async fn check_sqlite_build(db: &DatabaseConnection) {
    match missing_sqlite_options(db).await {
        Ok(missing) if missing.is_empty() => {}
        Ok(missing) => tracing::warn!(
            "SQLite was compiled without {}: correct, but slower (see .cargo/config.toml)",
            missing.join(", ")
        ),
        Err(e) => tracing::warn!("reading SQLite's compile options: {e}"),
    }
}

/// A cheap round trip that proves the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

fn create_sqlite_folder(url: &str) -> Result<(), DbErr> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    Ok(())
}

/// `LIKE` pattern for "contains `term`", with `%`, `_` and `\` in the term taken literally.
/// The explicit ESCAPE matters: SQLite has no default escape character.
pub fn contains(term: &str) -> sea_orm::sea_query::LikeExpr {
    sea_orm::sea_query::LikeExpr::new(contains_pattern(term)).escape('\\')
}

/// The pattern `contains` uses, for raw SQL (which must add `ESCAPE '\'` itself).
pub fn contains_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Did a write fail because a row still refers to the one being removed? SQLite reports this
/// under a trigger's code (1811) rather than 787 when the table has triggers, so the message
/// is checked as well.
pub fn is_foreign_key_violation(e: &DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
    ) || e.to_string().contains("FOREIGN KEY constraint failed")
}

/// Held by a write transaction on SQLite until it ends (see `begin_write`).
pub type WriteGate = Option<tokio::sync::MutexGuard<'static, ()>>;

/// Starts a transaction that writes. Bind both, gate first, so the gate opens after the
/// transaction ends: `let (_gate, txn) = begin_write(db).await?;`.
///
/// On SQLite it takes the write lock at `BEGIN` (IMMEDIATE). A deferred transaction that
/// reads before it writes fails outright (SQLITE_BUSY_SNAPSHOT, no retry) when another
/// writer commits in between; an immediate one cannot be overtaken. The lock is queued for
/// in-process first: a writer that finds it taken would otherwise wait in SQLite's busy
/// handler, which sleeps in growing steps (up to 100 ms), so under load write transactions
/// would spend most of their time asleep. PostgreSQL locks rows and needs neither.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<(WriteGate, DatabaseTransaction), DbErr> {
    static GATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            let gate = GATE.lock().await;
            let immediate = TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            };
            Ok((Some(gate), db.begin_with_options(immediate).await?))
        }
        _ => Ok((None, db.begin().await?)),
    }
}
