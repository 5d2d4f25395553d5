//! Summary tables kept by the writing transactions (ARCHITECTURE.md, "Reports"): each row
//! sums figures of the detail under a key (a day, and a word or an id). A write unit gathers
//! what its change adds (`Write::tally`) and adds it just before it commits, each table's
//! rows in key order in one statement, so:
//!
//! - a summary moves with its detail or not at all;
//! - two units adding to one row wait on it instead of losing an addition (`x = x +
//!   excluded.x`, never read and rewritten);
//! - two units on PostgreSQL take their rows in one order, so they cannot deadlock.
//!
//! `rebuild` makes a table again from the detail, and records the business time zone it was
//! made in (`summary_builds`): days are the business's, so another zone means another build.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};

use crate::business::Zone;
use crate::error::{AppError, AppResult, OrInternal};

/// A summary table: its key columns and its figure columns (each a BIGINT; the table also
/// has `changes`, how many additions each row has taken since it was built).
#[derive(Debug)]
pub struct Tally {
    pub table: &'static str,
    pub keys: &'static [&'static str],
    pub figures: &'static [&'static str],
}

/// One part of a row's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Word(&'static str),
    Id(i64),
    Day(NaiveDate),
}

impl Key {
    fn expr(&self) -> Expr {
        match self {
            Key::Word(w) => Expr::val(*w),
            Key::Id(id) => Expr::val(*id),
            Key::Day(d) => Expr::val(*d),
        }
    }
}

/// A row's key and what is added to its figures.
type Row = (Vec<Key>, Vec<i64>);

/// What a write unit adds to the summaries, by table and row.
#[derive(Debug, Default)]
pub struct Additions {
    rows: BTreeMap<(&'static str, Vec<Key>), Vec<i64>>,
    tallies: BTreeMap<&'static str, &'static Tally>,
}

impl Additions {
    /// Adds `figures` (in `tally.figures` order) to the row of `tally` under `key`.
    pub fn add(&mut self, tally: &'static Tally, key: Vec<Key>, figures: &[i64]) {
        debug_assert_eq!(key.len(), tally.keys.len(), "{}", tally.table);
        debug_assert_eq!(figures.len(), tally.figures.len(), "{}", tally.table);
        self.tallies.insert(tally.table, tally);
        let row = self
            .rows
            .entry((tally.table, key))
            .or_insert_with(|| vec![0; tally.figures.len()]);
        for (r, f) in row.iter_mut().zip(figures) {
            *r += f;
        }
    }

    /// Everything `other` adds, too.
    pub fn merge(&mut self, other: Additions) {
        self.tallies.extend(other.tallies);
        for ((table, key), figures) in other.rows {
            let row = self
                .rows
                .entry((table, key))
                .or_insert_with(|| vec![0; figures.len()]);
            for (r, f) in row.iter_mut().zip(figures) {
                *r += f;
            }
        }
    }

    /// Adds every row that changes (tables in name order, rows in key order), a few hundred
    /// rows a statement.
    pub async fn apply(self, db: &impl ConnectionTrait) -> AppResult<()> {
        let mut by_table: BTreeMap<&'static str, Vec<Row>> = BTreeMap::new();
        for ((table, key), figures) in self.rows {
            if figures.iter().any(|f| *f != 0) {
                by_table.entry(table).or_default().push((key, figures));
            }
        }
        for (table, rows) in by_table {
            let Some(tally) = self.tallies.get(table) else {
                continue;
            };
            for chunk in rows.chunks(500) {
                let mut q = Query::insert();
                q.into_table(Alias::new(tally.table))
                    .columns(columns(tally));
                for (key, figures) in chunk {
                    let mut values: Vec<Expr> = key.iter().map(Key::expr).collect();
                    values.extend(figures.iter().map(|f| Expr::val(*f)));
                    values.push(Expr::val(1i64));
                    q.values(values)
                        .map_err(|e| AppError::internal(tally.table, e))?;
                }
                q.on_conflict(adding(tally));
                db.execute(&q).await.or_internal(tally.table)?;
            }
        }
        Ok(())
    }
}

/// Every column an insert names: the key, the figures, then `changes`.
fn columns(tally: &Tally) -> Vec<Alias> {
    tally
        .keys
        .iter()
        .chain(tally.figures)
        .chain(&["changes"])
        .map(|c| Alias::new(*c))
        .collect()
}

/// On a row that exists: each figure (and `changes`) added to it.
fn adding(tally: &Tally) -> OnConflict {
    let mut on = OnConflict::columns(tally.keys.iter().map(|k| Alias::new(*k)));
    for c in tally.figures.iter().chain(&["changes"]) {
        let col = Alias::new(*c);
        let add = Expr::col((Alias::new(tally.table), col.clone()))
            .add(Expr::col((Alias::new("excluded"), col.clone())));
        on.value(col, add);
    }
    on.to_owned()
}

/// A source for `rebuild`: the key columns — each `(expression, grouped by it)`, a constant
/// not — then `figures`, then no changes yet; from what `shape` adds (its FROM, joins and
/// WHERE).
pub fn source(
    keys: Vec<(Expr, bool)>,
    figures: Vec<Expr>,
    shape: impl FnOnce(&mut SelectStatement),
) -> SelectStatement {
    let mut q = Query::select();
    let mut grouped = Vec::new();
    for (i, (key, group)) in keys.into_iter().enumerate() {
        let alias = Alias::new(format!("k{i}"));
        q.expr_as(key, alias.clone());
        if group {
            grouped.push(alias);
        }
    }
    for f in figures {
        q.expr(f);
    }
    q.expr(Expr::val(0i64));
    shape(&mut q);
    // Grouped by the output columns' names: on PostgreSQL an expression written twice binds
    // its values twice, and is no longer the same expression.
    for alias in grouped {
        q.group_by_col(alias);
    }
    q
}

/// Makes `tally` again in `txn` from `sources` — each a SELECT of the key columns, then the
/// figures, then 0 (no changes yet), with a WHERE (SQLite's upsert after a SELECT needs
/// one) — and records that it was made in `zone`.
pub async fn rebuild(
    txn: &DatabaseTransaction,
    tally: &Tally,
    sources: Vec<SelectStatement>,
    zone: &Zone,
) -> AppResult<()> {
    txn.execute(
        &Query::delete()
            .from_table(Alias::new(tally.table))
            .to_owned(),
    )
    .await
    .or_internal(tally.table)?;
    for source in sources {
        let q = Query::insert()
            .into_table(Alias::new(tally.table))
            .columns(columns(tally))
            .select_from(source)
            .map_err(|e| AppError::internal(tally.table, e))?
            .on_conflict(adding(tally))
            .to_owned();
        txn.execute(&q).await.or_internal(tally.table)?;
    }
    let (name, zone_col, at) = (
        Alias::new("name"),
        Alias::new("zone"),
        Alias::new("built_at"),
    );
    let mark = Query::insert()
        .into_table(Alias::new("summary_builds"))
        .columns([name.clone(), zone_col.clone(), at.clone()])
        .values_panic([
            Expr::val(tally.table),
            Expr::val(zone.name.clone()),
            Expr::val(Utc::now()),
        ])
        .on_conflict(
            OnConflict::column(name)
                .update_columns([zone_col, at])
                .to_owned(),
        )
        .to_owned();
    txn.execute(&mark).await.or_internal(tally.table)?;
    Ok(())
}

/// The zone `tally` was last built in, if it was.
pub async fn built_in(db: &DatabaseConnection, tally: &Tally) -> AppResult<Option<String>> {
    let q = Query::select()
        .column(Alias::new("zone"))
        .from(Alias::new("summary_builds"))
        .and_where(Expr::col(Alias::new("name")).eq(tally.table))
        .to_owned();
    match db.query_one(&q).await.or_internal(tally.table)? {
        Some(r) => Ok(Some(r.try_get("", "zone").or_internal(tally.table)?)),
        None => Ok(None),
    }
}
