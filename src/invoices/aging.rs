//! Receivables aging as of a day: what each client owed on that day, by how far past due —
//! current, 1–30, 31–60, 61–90 and over 90 days.
//!
//! An invoice counts when it was issued by then and still had something due: open now, or
//! settled (`settled_on`) only after that day — so the database reads the open invoices and
//! those settled since, never the whole history. Its balance on the day leaves out payments
//! and credit notes dated after it. The buckets are date ranges (`due_date >= day − 30`), so
//! the same statement runs on SQLite and PostgreSQL, summed per client by the database.

use chrono::{Days, NaiveDate};
use sea_orm::sea_query::{
    Alias, CaseStatement, Cond, Expr, ExprTrait, Func, Query, SelectStatement,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityName};

use super::{Aging, AgingRow, InvoiceStatus};
use crate::error::{AppError, AppResult, OrInternal};
use crate::input::parse_date;
use crate::money::Money;
use crate::server::entities::{credit_note, invoice, payment};

/// Days past due each bucket starts after: current (not yet due), then 0, 30, 60, 90.
const EDGES: [u64; 3] = [30, 60, 90];

/// The report as of `as_of` (`YYYY-MM-DD`, empty for `today`).
pub async fn report(db: &DatabaseConnection, today: NaiveDate, as_of: &str) -> AppResult<Aging> {
    let day = match as_of.trim() {
        "" => today,
        t => parse_date(t).map_err(|e| AppError::field("as_of", e))?,
    };
    let rows = db.query_all(&statement(day)).await.or_internal("aging")?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let client_id: i64 = r.try_get("", "client_id").or_internal("aging")?;
        let mut buckets = [Money::ZERO; 5];
        for (i, b) in buckets.iter_mut().enumerate() {
            let v: Option<i64> = r.try_get("", &format!("b{i}")).or_internal("aging")?;
            *b = Money(v.unwrap_or(0));
        }
        out.push((client_id, buckets));
    }
    let names = crate::clients::service::names(db, out.iter().map(|(c, _)| *c)).await?;
    let mut totals = [Money::ZERO; 5];
    let mut rows: Vec<AgingRow> = out
        .into_iter()
        .map(|(client_id, buckets)| {
            for (t, b) in totals.iter_mut().zip(buckets) {
                t.0 += b.0;
            }
            AgingRow {
                client_id,
                client_name: names.get(&client_id).cloned().unwrap_or_default(),
                total: Money(buckets.iter().map(|b| b.0).sum()),
                buckets,
            }
        })
        .collect();
    // Most owed first; the oldest debts break ties.
    rows.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(b.buckets[4].cmp(&a.buckets[4]))
            .then(a.client_name.cmp(&b.client_name))
    });
    Ok(Aging {
        as_of: day,
        total: Money(totals.iter().map(|t| t.0).sum()),
        rows,
        totals,
    })
}

/// Σ `column` of `table`'s rows of the outer invoice dated on or before `day` (by `dated`).
fn taken_by(table: Alias, column: &str, dated: &str, day: NaiveDate) -> Expr {
    let inner = Query::select()
        .expr(Func::sum(Expr::col((table.clone(), Alias::new(column)))))
        .from(table.clone())
        .and_where(
            Expr::col((table.clone(), Alias::new("invoice_id")))
                .equals((invoice::Entity, invoice::Column::Id)),
        )
        .and_where(Expr::col((table, Alias::new(dated))).lte(day))
        .to_owned();
    Func::coalesce([Expr::SubQuery(None, Box::new(inner.into())), Expr::val(0)]).into()
}

fn statement(day: NaiveDate) -> SelectStatement {
    use invoice::Column as I;
    let i = |c: I| Expr::col((invoice::Entity, c));
    let payments = Alias::new(payment::Entity.table_name());
    let notes = Alias::new(credit_note::Entity.table_name());
    let due_then = i(I::Total)
        .sub(taken_by(payments, "amount", "paid_on", day))
        .sub(taken_by(notes, "total", "issue_date", day));
    let open_then = Cond::any()
        .add(i(I::Status).is_in(InvoiceStatus::OPEN.map(crate::choice::Choice::as_str)))
        .add(i(I::SettledOn).gt(day));
    let inner = Query::select()
        .expr_as(i(I::ClientId), Alias::new("client_id"))
        .expr_as(i(I::DueDate), Alias::new("due_date"))
        .expr_as(due_then, Alias::new("due"))
        .from(invoice::Entity)
        .and_where(i(I::Number).is_not_null())
        .and_where(i(I::IssueDate).lte(day))
        .cond_where(open_then)
        .to_owned();
    let (x, due, due_date) = (Alias::new("x"), Alias::new("due"), Alias::new("due_date"));
    let before = |days: u64| {
        day.checked_sub_days(Days::new(days))
            .unwrap_or(NaiveDate::MIN)
    };
    // Bucket conditions on the due date: on or after the day; then within 30, 60, 90 days
    // before it; then earlier.
    let mut conds = vec![Expr::col(due_date.clone()).gte(day)];
    let mut upper = day;
    for edge in EDGES {
        conds.push(
            Expr::col(due_date.clone())
                .lt(upper)
                .and(Expr::col(due_date.clone()).gte(before(edge))),
        );
        upper = before(edge);
    }
    conds.push(Expr::col(due_date.clone()).lt(upper));
    let mut outer = Query::select();
    outer
        .expr_as(
            Expr::col((x.clone(), Alias::new("client_id"))),
            Alias::new("client_id"),
        )
        .from_subquery(inner, x.clone())
        .and_where(Expr::col(due.clone()).gt(0))
        .group_by_col((x, Alias::new("client_id")));
    for (n, cond) in conds.into_iter().enumerate() {
        let only = CaseStatement::new()
            .case(cond, Expr::col(due.clone()))
            .finally(Expr::val(0));
        outer.expr_as(
            Expr::from(Func::sum(Expr::Case(Box::new(only)))).cast_as(Alias::new("BIGINT")),
            Alias::new(format!("b{n}")),
        );
    }
    outer.to_owned()
}
