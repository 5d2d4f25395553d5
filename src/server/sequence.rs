//! Document numbers (ARCHITECTURE.md, "Money, quantities, numbers"): one `sequences` row per series and year, advanced inside the
//! transaction that writes the document by one upsert (`INSERT … ON CONFLICT DO UPDATE SET
//! next = next + 1 RETURNING next`: the `UPDATE … RETURNING` of the design, which also creates
//! a year's row). A rollback gives the number back, and the row lock makes concurrent writers
//! take turns, so numbers have no gaps and no duplicates; the unique index on each number
//! column is the last guard.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};

use crate::error::{AppError, AppResult, OrInternal};

/// A document number: `SO-2026-00042`.
pub fn format(series: &str, year: i32, seq: i64) -> String {
    format!("{series}-{year}-{seq:05}")
}

/// Takes the next number of `series` in `year`: (running part, formatted number).
pub async fn take(txn: &impl ConnectionTrait, series: &str, year: i32) -> AppResult<(i64, String)> {
    let mut taken = take_many(txn, series, year, 1).await?;
    Ok(taken.remove(0))
}

/// Takes the next `n` (≥ 1) numbers of `series` in `year` at once, in order: documents
/// written together in one transaction.
pub async fn take_many(
    txn: &impl ConnectionTrait,
    series: &str,
    year: i32,
    n: usize,
) -> AppResult<Vec<(i64, String)>> {
    let n = i64::try_from(n.max(1)).map_err(|e| AppError::internal("document numbering", e))?;
    let table = Alias::new("sequences");
    let (name_col, next_col) = (Alias::new("name"), Alias::new("next"));
    let name = format!("{series}-{year}");
    // One statement: the year's first document creates the row, every later one advances it.
    let take = Query::insert()
        .into_table(table.clone())
        .columns([name_col.clone(), next_col.clone()])
        .values_panic([Expr::val(name), Expr::val(1 + n)])
        .on_conflict(
            OnConflict::column(name_col)
                .value(
                    next_col.clone(),
                    Expr::col((table, next_col.clone())).add(n),
                )
                .to_owned(),
        )
        .returning_col(next_col)
        .to_owned();
    let row = txn
        .query_one(&take)
        .await
        .or_internal("document numbering")?
        .ok_or_else(|| AppError::internal("document numbering", "no number returned"))?;
    // RETURNING gives the value after the update; these documents take the n before it.
    let next = row
        .try_get::<i64>("", "next")
        .or_internal("document numbering")?;
    Ok((next - n..next)
        .map(|seq| (seq, format(series, year, seq)))
        .collect())
}
