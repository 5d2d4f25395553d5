//! `server backup PATH`: a consistent copy of the SQLite database, taken while the app serves.
//!
//! `VACUUM INTO` reads one snapshot (WAL mode lets writers go on meanwhile) and writes it as a
//! new, compact database file, so the copy is exactly the committed state at one instant,
//! however busy the app is. The copy is checked before it is reported done. PostgreSQL is
//! backed up with its own tools (`pg_dump`, see the README).

use std::path::Path;

use sea_orm::{ConnectionTrait, Database, Statement};

use super::config::{Backend, Config};
use super::{StartError, db};

/// Writes the copy to `path` (which must not exist yet) and returns what to print.
pub async fn backup(config: &Config, path: &Path) -> Result<String, StartError> {
    let usage = |m: String| StartError::Usage(m);
    if config.backend != Backend::Sqlite {
        return Err(usage(
            "backup copies a SQLite database; on PostgreSQL use pg_dump (see the README, \
             \"Backups\")"
                .into(),
        ));
    }
    if path.exists() {
        return Err(usage(format!(
            "{} already exists; give a new file name so no earlier backup is overwritten",
            path.display()
        )));
    }
    let target = path
        .to_str()
        .ok_or_else(|| usage(format!("{} is not a UTF-8 path", path.display())))?;
    let db = db::connect(config).await?;
    // A string literal, its quotes doubled: SQLite takes no bound value for VACUUM INTO.
    let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
    db.execute_unprepared(&sql)
        .await
        .map_err(|e| usage(format!("backup to {} failed: {e}", path.display())))?;
    db.close().await.ok();

    let copy = Database::connect(format!("sqlite://{target}?mode=ro"))
        .await
        .map_err(|e| usage(format!("the copy cannot be opened: {e}")))?;
    let row = copy
        .query_one_raw(Statement::from_string(
            copy.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| usage(format!("the copy cannot be checked: {e}")))?;
    let verdict = row
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    copy.close().await.ok();
    if verdict != "ok" {
        return Err(usage(format!(
            "the copy at {} failed its integrity check: {verdict}",
            path.display()
        )));
    }
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(format!(
        "backup written to {} ({:.1} MB), integrity check ok",
        path.display(),
        bytes as f64 / 1_000_000.0
    ))
}
