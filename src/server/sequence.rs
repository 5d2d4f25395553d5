//! Document numbers (ARCHITECTURE.md, "Money, quantities, numbers"): one `sequences` row per series and year, advanced inside the
//! transaction that writes the document by one upsert (`INSERT … ON CONFLICT DO UPDATE SET
//! next = next + 1 RETURNING next`: the `UPDATE … RETURNING` of the design, which also creates
//! a year's row). A rollback gives the number back, and the row lock makes concurrent writers
//! take turns, so numbers have no gaps and no duplicates; the unique index on each number
//! column is the last guard.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

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

/// What a number search means: digits alone are the running part ("42" finds SO-2026-00042
/// and SO-2025-00042); anything else is the start of a number ("SO-2026-0004",
/// "2026-0004"), matched as an index range.
#[derive(Debug, PartialEq)]
enum NumberSearch {
    Seq(i64),
    Prefix(String),
}

fn number_search(q: &str, series: &str) -> Option<NumberSearch> {
    let t = q.trim().to_uppercase();
    if t.is_empty() {
        return None;
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return Some(match t.parse() {
            Ok(n) => NumberSearch::Seq(n),
            Err(_) => NumberSearch::Prefix(t),
        });
    }
    let t = if t.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{series}-{t}")
    } else {
        t
    };
    Some(NumberSearch::Prefix(t))
}

/// The first string after every string starting with `prefix` (its last character bumped),
/// so a prefix search is the index range `[prefix, upper)` on both databases.
fn prefix_upper(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    if let Some(last) = chars.pop() {
        chars.push(char::from_u32(last as u32 + 1).unwrap_or(char::MAX));
    }
    chars.into_iter().collect()
}

/// `select` narrowed to the documents of `series` whose number `q` names (see
/// `NumberSearch`), by their running part (`seq`) or their number (`number`).
pub fn search<E: EntityTrait>(
    select: Select<E>,
    q: &str,
    series: &str,
    seq: E::Column,
    number: E::Column,
) -> Select<E> {
    match number_search(q, series) {
        Some(NumberSearch::Seq(n)) => select.filter(seq.eq(n)),
        Some(NumberSearch::Prefix(p)) => select
            .filter(number.gte(p.clone()))
            .filter(number.lt(prefix_upper(&p))),
        None => select,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_searches() {
        assert_eq!(number_search(" 42 ", "SO"), Some(NumberSearch::Seq(42)));
        let prefix = |q, series| match number_search(q, series) {
            Some(NumberSearch::Prefix(p)) => p,
            _ => panic!("not a prefix: {q}"),
        };
        assert_eq!(prefix("so-2026-0004", "SO"), "SO-2026-0004");
        assert_eq!(prefix("2026-0004", "SO"), "SO-2026-0004");
        assert_eq!(prefix("2026-0004", "INV"), "INV-2026-0004");
        assert!(number_search("  ", "SO").is_none());
        assert_eq!(prefix_upper("SO-2026-0004"), "SO-2026-0005");
    }
}
