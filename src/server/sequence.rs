//! Document numbers (DESIGN §5): one `sequences` row per series and year, advanced with
//! `UPDATE … RETURNING` inside the transaction that writes the document. A rollback gives the
//! number back, and the row lock makes concurrent writers take turns, so numbers have no gaps
//! and no duplicates; the unique index on each number column is the last guard.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};

use crate::error::{AppError, AppResult};

fn db_err(e: sea_orm::DbErr) -> AppError {
    AppError::internal("document numbering", e)
}

/// A document number: `SO-2026-00042`.
pub fn format(series: &str, year: i32, seq: i64) -> String {
    format!("{series}-{year}-{seq:05}")
}

/// Takes the next number of `series` in `year`: (running part, formatted number).
pub async fn take(txn: &impl ConnectionTrait, series: &str, year: i32) -> AppResult<(i64, String)> {
    let table = Alias::new("sequences");
    let (name_col, next_col) = (Alias::new("name"), Alias::new("next"));
    let name = format!("{series}-{year}");
    // The first document of a year creates its row; a writer that races it finds it there.
    let create = Query::insert()
        .into_table(table.clone())
        .columns([name_col.clone(), next_col.clone()])
        .values_panic([Expr::val(name.clone()), Expr::val(1i64)])
        .on_conflict(OnConflict::column(name_col.clone()).do_nothing().to_owned())
        .to_owned();
    txn.execute(&create).await.map_err(db_err)?;
    let advance = Query::update()
        .table(table)
        .value(next_col.clone(), Expr::col(next_col.clone()).add(1))
        .and_where(Expr::col(name_col).eq(name))
        .returning_col(next_col)
        .to_owned();
    let row = txn
        .query_one(&advance)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::internal("document numbering", "sequence row missing"))?;
    // RETURNING gives the value after the update; this document takes the one before.
    let seq = row.try_get::<i64>("", "next").map_err(db_err)? - 1;
    Ok((seq, format(series, year, seq)))
}
