//! The number check: every document series (SO orders, DN deliveries, INV invoices, CN credit
//! notes) must run 1, 2, 3, … within each year, with no gap and no number used twice, up to
//! what its `sequences` row has handed out. `server check-numbers` prints what it finds (exit
//! 1 on any), and `GET /api/admin/check-numbers` answers it to an administrator.
//!
//! Each series and year is first summed up by the database (count, distinct, lowest and
//! highest running part); only a year that does not add up is read number by number.

use std::collections::{BTreeMap, BTreeSet};

use dioxus::server::axum::Json;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};

use crate::auth::Access;
use crate::auth::guard::Ctx;
use crate::error::{AppError, AppResult, OrInternal};

/// The series and the table each is written to.
pub const SERIES: [(&str, &str); 4] = [
    ("SO", "orders"),
    ("DN", "deliveries"),
    ("INV", "invoices"),
    ("CN", "credit_notes"),
];

/// Missing or repeated running parts of one series in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberProblem {
    pub series: String,
    pub year: i32,
    /// Taken from the sequence (or below the highest used) but on no document.
    pub missing: Vec<i64>,
    /// On more than one document.
    pub duplicated: Vec<i64>,
}

/// At most this many missing or repeated numbers are listed per year.
const LISTED: usize = 50;

/// What every series holds; empty when every one is whole.
pub async fn check(db: &DatabaseConnection) -> AppResult<Vec<NumberProblem>> {
    let handed_out = handed_out(db).await?;
    let mut problems = Vec::new();
    for (series, table) in SERIES {
        let years = summary(db, series, table).await?;
        let mut all_years: BTreeSet<i32> = years.keys().copied().collect();
        all_years.extend(
            handed_out
                .keys()
                .filter(|(s, _)| s == series)
                .map(|(_, y)| *y),
        );
        for year in all_years {
            let (count, distinct, min, max) = years.get(&year).copied().unwrap_or((0, 0, 1, 0));
            let handed = handed_out.get(&(series.to_string(), year)).copied();
            let taken = Ord::max(handed.unwrap_or(max), max);
            if count == distinct && min == 1 && max == taken && count == taken {
                continue;
            }
            let seqs = numbers_of(db, series, table, year).await?;
            let mut seen = BTreeMap::<i64, u32>::new();
            for s in seqs {
                *seen.entry(s).or_default() += 1;
            }
            let missing = (1..=taken)
                .filter(|n| !seen.contains_key(n))
                .take(LISTED)
                .collect();
            let duplicated = seen
                .iter()
                .filter(|(_, c)| **c > 1)
                .map(|(s, _)| *s)
                .take(LISTED)
                .collect();
            problems.push(NumberProblem {
                series: series.to_string(),
                year,
                missing,
                duplicated,
            });
        }
    }
    Ok(problems)
}

/// `SUBSTR(number, 4, 4)`: the year of `SO-2026-00042`. Written out rather than bound, so
/// PostgreSQL sees the SELECT's and the GROUP BY's expression as one (and its arguments as
/// integers).
fn year_of(series: &str) -> Expr {
    let start = series.len() + 2;
    Expr::cust(format!("SUBSTR(number, {start}, 4)"))
}

/// Per year: (count, distinct running parts, lowest, highest).
async fn summary(
    db: &DatabaseConnection,
    series: &str,
    table: &str,
) -> AppResult<BTreeMap<i32, (i64, i64, i64, i64)>> {
    let seq = || Expr::col(Alias::new("seq"));
    let big = |e: Expr| e.cast_as(Alias::new("BIGINT"));
    let q = Query::select()
        .expr_as(year_of(series), Alias::new("year"))
        .expr_as(big(Func::count(seq()).into()), Alias::new("n"))
        .expr_as(big(Func::count_distinct(seq()).into()), Alias::new("d"))
        .expr_as(big(Func::min(seq()).into()), Alias::new("lo"))
        .expr_as(big(Func::max(seq()).into()), Alias::new("hi"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new("number")).is_not_null())
        .add_group_by([year_of(series)])
        .to_owned();
    let mut out = BTreeMap::new();
    for r in db.query_all(&q).await.or_internal("number check")? {
        let year: String = r.try_get("", "year").or_internal("number check")?;
        let get = |c: &str| r.try_get::<i64>("", c).or_internal("number check");
        let Ok(year) = year.parse::<i32>() else {
            continue;
        };
        out.insert(year, (get("n")?, get("d")?, get("lo")?, get("hi")?));
    }
    Ok(out)
}

/// What each `sequences` row has handed out: (series, year) → the last number taken.
async fn handed_out(db: &DatabaseConnection) -> AppResult<BTreeMap<(String, i32), i64>> {
    let q = Query::select()
        .columns([Alias::new("name"), Alias::new("next")])
        .from(Alias::new("sequences"))
        .to_owned();
    let mut out = BTreeMap::new();
    for r in db.query_all(&q).await.or_internal("number check")? {
        let name: String = r.try_get("", "name").or_internal("number check")?;
        let next: i64 = r.try_get("", "next").or_internal("number check")?;
        if let Some((series, year)) = name.rsplit_once('-')
            && let Ok(year) = year.parse()
        {
            out.insert((series.to_string(), year), next - 1);
        }
    }
    Ok(out)
}

/// Every running part of `series` used in `year`.
async fn numbers_of(
    db: &DatabaseConnection,
    series: &str,
    table: &str,
    year: i32,
) -> AppResult<Vec<i64>> {
    let q = Query::select()
        .column(Alias::new("seq"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new("number")).is_not_null())
        .and_where(year_of(series).eq(year.to_string()))
        .to_owned();
    db.query_all(&q)
        .await
        .or_internal("number check")?
        .iter()
        .map(|r| r.try_get::<i64>("", "seq").or_internal("number check"))
        .collect()
}

/// One problem as a line: `INV 2026: missing 17, 18; used twice 4`.
pub fn describe(p: &NumberProblem) -> String {
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !p.missing.is_empty() {
        parts.push(format!("missing {}", list(&p.missing)));
    }
    if !p.duplicated.is_empty() {
        parts.push(format!("used twice {}", list(&p.duplicated)));
    }
    format!("{} {}: {}", p.series, p.year, parts.join("; "))
}

/// `GET /api/admin/check-numbers`: administrators only.
pub async fn check_numbers(ctx: Ctx) -> Result<Json<Vec<NumberProblem>>, AppError> {
    ctx.require(Access::AdminOnly)?;
    Ok(Json(check(&ctx.state.db).await?))
}
