//! Results computed from the database and kept in the process while what they were computed
//! from stays the same. A kept summary (`tally`) says when that is: every write that changes
//! its detail adds to one of its rows, and each addition counts one more `changes` on that
//! row, so the sum of `changes` only grows until the table is built again — which records a
//! new build time. That pair (a `Stamp`) read before computing, and equal when read again,
//! means nothing it covers was written meanwhile, by this server or any other.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

use crate::error::{AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::server::tally::Tally;

/// What a tally's rows (or those `only` picks) were when read: its build, and the additions
/// they have taken since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    built_at: Option<String>,
    changes: i64,
}

/// `tally`'s stamp over the rows `only` picks (a WHERE on its own columns).
pub async fn stamp(
    db: &impl ConnectionTrait,
    tally: &Tally,
    only: impl FnOnce(&mut SelectStatement),
) -> AppResult<Stamp> {
    let mut changes = Query::select();
    changes
        .expr_as(sum(Expr::col(Alias::new("changes"))), Alias::new("n"))
        .from(Alias::new(tally.table));
    only(&mut changes);
    let n: Option<i64> = match db.query_one(&changes).await.or_internal(tally.table)? {
        Some(r) => r.try_get("", "n").or_internal(tally.table)?,
        None => None,
    };
    Ok(Stamp {
        built_at: built_at(db, tally).await?,
        changes: n.unwrap_or(0),
    })
}

/// When `tally` was last built, as text, if it was.
async fn built_at(db: &impl ConnectionTrait, tally: &Tally) -> AppResult<Option<String>> {
    let q = Query::select()
        .expr_as(
            Expr::col(Alias::new("built_at")).cast_as(Alias::new("TEXT")),
            Alias::new("b"),
        )
        .from(Alias::new("summary_builds"))
        .and_where(Expr::col(Alias::new("name")).eq(tally.table))
        .to_owned();
    match db.query_one(&q).await.or_internal(tally.table)? {
        Some(r) => r.try_get("", "b").or_internal(tally.table),
        None => Ok(None),
    }
}

/// Results by key, each with the stamp it was computed under; at most `cap` of them (a few
/// periods or days in use at once), all dropped when full.
pub struct Memo<K, V> {
    kept: Mutex<Option<HashMap<K, (Stamp, V)>>>,
    cap: usize,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    pub const fn new(cap: usize) -> Self {
        Self {
            kept: Mutex::new(None),
            cap,
        }
    }

    /// The result kept for `key` if it was computed under `stamp`.
    pub fn get(&self, key: &K, stamp: &Stamp) -> Option<V> {
        let kept = self.kept.lock().ok()?;
        match kept.as_ref()?.get(key) {
            Some((was, v)) if was == stamp => Some(v.clone()),
            _ => None,
        }
    }

    /// Keeps `value`, computed for `key` under `stamp` (read before computing it).
    pub fn put(&self, key: K, stamp: Stamp, value: V) {
        if let Ok(mut kept) = self.kept.lock() {
            let kept = kept.get_or_insert_with(HashMap::new);
            if kept.len() >= self.cap {
                kept.clear();
            }
            kept.insert(key, (stamp, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(changes: i64) -> Stamp {
        Stamp {
            built_at: Some("2026-12-05 02:00:00".into()),
            changes,
        }
    }

    #[test]
    fn a_result_holds_only_under_its_stamp() {
        let memo: Memo<u8, &str> = Memo::new(2);
        memo.put(1, at(5), "five");
        assert_eq!(memo.get(&1, &at(5)), Some("five"));
        assert_eq!(memo.get(&1, &at(6)), None, "written since");
        let rebuilt = Stamp {
            built_at: Some("2026-12-05 03:00:00".into()),
            changes: 5,
        };
        assert_eq!(memo.get(&1, &rebuilt), None, "built again since");
        assert_eq!(memo.get(&2, &at(5)), None);
        memo.put(2, at(5), "two");
        memo.put(3, at(5), "three");
        assert_eq!(memo.get(&1, &at(5)), None, "dropped when full");
        assert_eq!(memo.get(&3, &at(5)), Some("three"));
    }
}
