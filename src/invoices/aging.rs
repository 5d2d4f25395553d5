//! Receivables aging as of a day: what each client owed on that day, by how far past due —
//! current, 1–30, 31–60, 61–90 and over 90 days.
//!
//! An invoice counts when it was issued by then; what it owed on the day is its balance now
//! plus what was paid or credited after the day (`amounts`). Credits owed back to a client
//! count against what it owes, as in any aged receivable. The buckets are date ranges
//! (`due_date >= day − 30`), so the same statement runs on SQLite and PostgreSQL, summed per
//! client by the database.

use chrono::{Days, NaiveDate};
use sea_orm::sea_query::{
    Alias, CaseStatement, Expr, ExprTrait, Func, Query, SelectStatement, UnionType,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityName};

use super::{Aging, AgingRow};
use crate::error::{AppError, AppResult, OrInternal};
use crate::input::parse_date;
use crate::money::Money;
use crate::server::entities::{credit_note, invoice, payment};

/// Days past due each bucket starts after: current (not yet due), then 0, 30, 60, 90.
pub(crate) const EDGES: [u64; 3] = [30, 60, 90];

/// The report as of `as_of` (`YYYY-MM-DD`, empty for `today`).
pub async fn report(db: &DatabaseConnection, today: NaiveDate, as_of: &str) -> AppResult<Aging> {
    let day = match as_of.trim() {
        "" => today,
        t => parse_date(t).map_err(|e| AppError::field("as_of", e))?,
    };
    let out = by_client(db, day).await?;
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

/// What each client owed on `day`, by bucket (clients that owed nothing are left out).
pub async fn by_client(
    db: &DatabaseConnection,
    day: NaiveDate,
) -> AppResult<Vec<(i64, [Money; 5])>> {
    let rows = db
        .query_all(&statement(day, true))
        .await
        .or_internal("aging")?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let client_id: i64 = r.try_get("", "client_id").or_internal("aging")?;
        out.push((client_id, buckets_of(&r)?));
    }
    Ok(out)
}

/// The bucket sums `b0`–`b4` of a row of `statement`.
fn buckets_of(r: &sea_orm::QueryResult) -> AppResult<[Money; 5]> {
    let mut out = [Money::ZERO; 5];
    for (i, b) in out.iter_mut().enumerate() {
        let v: Option<i64> = r.try_get("", &format!("b{i}")).or_internal("aging")?;
        *b = Money(v.unwrap_or(0));
    }
    Ok(out)
}

/// (client, due date, amount) rows whose sums per client and bucket are the report: what each
/// invoice issued by `day` owed on it is its balance now, plus what payments and credit notes
/// dated after `day` took off since. So the database reads four small sets, each by an index
/// — the open invoices (a partial index holding the columns read), those settled after
/// `day`, and the payments and credit notes dated after it — never every invoice.
fn amounts(day: NaiveDate) -> SelectStatement {
    use invoice::Column as I;
    let col = |c: I| Expr::col((invoice::Entity, c));
    let (client, due, amount) = (
        Alias::new("client_id"),
        Alias::new("due_date"),
        Alias::new("amount"),
    );
    let balances = |settled: bool| {
        let mut q = Query::select();
        q.expr_as(col(I::ClientId), client.clone())
            .expr_as(col(I::DueDate), due.clone())
            .expr_as(col(I::Balance), amount.clone())
            .from(invoice::Entity);
        match settled {
            false => q
                .and_where(col(I::IssueDate).lte(day))
                .and_where(super::read::open_for_sums()),
            // Read by the settled date (few are settled after the day): written so the issue
            // date's index cannot be used, as the planner, seeing both as ranges, might
            // choose it and read every invoice issued by the day.
            true => q.and_where(col(I::SettledOn).gt(day)).and_where(
                Expr::expr(Func::coalesce([col(I::IssueDate), col(I::IssueDate)])).lte(day),
            ),
        };
        q
    };
    // What `table`'s rows dated after `day` took off invoices issued by then.
    let since = |table: Alias, taken: &str, dated: &str| {
        Query::select()
            .expr_as(col(I::ClientId), client.clone())
            .expr_as(col(I::DueDate), due.clone())
            .expr_as(
                Expr::col((table.clone(), Alias::new(taken))),
                amount.clone(),
            )
            .from(table.clone())
            .inner_join(
                invoice::Entity,
                Expr::col((table.clone(), Alias::new("invoice_id")))
                    .equals((invoice::Entity, I::Id)),
            )
            .and_where(Expr::col((table, Alias::new(dated))).gt(day))
            .and_where(col(I::IssueDate).lte(day))
            .to_owned()
    };
    let payments = Alias::new(payment::Entity.table_name());
    let notes = Alias::new(credit_note::Entity.table_name());
    let mut all = balances(false);
    all.union(UnionType::All, balances(true).to_owned())
        .union(UnionType::All, since(payments, "amount", "paid_on"))
        .union(UnionType::All, since(notes, "total", "issue_date"));
    all.to_owned()
}

/// What every client owed on `day`, by bucket: the report's totals, without a row per
/// client (the dashboard's receivables).
pub async fn totals(db: &DatabaseConnection, day: NaiveDate) -> AppResult<[Money; 5]> {
    let r = db
        .query_one(&statement(day, false))
        .await
        .or_internal("aging")?;
    match r {
        Some(r) => buckets_of(&r),
        None => Ok([Money::ZERO; 5]),
    }
}

/// The sums by bucket of what was owed on `day`: per client (`by_client`), or in all.
fn statement(day: NaiveDate, by_client: bool) -> SelectStatement {
    let (x, amount, due_date) = (
        Alias::new("x"),
        Alias::new("amount"),
        Alias::new("due_date"),
    );
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
    outer.from_subquery(amounts(day), x.clone());
    if by_client {
        outer
            .expr_as(
                Expr::col((x.clone(), Alias::new("client_id"))),
                Alias::new("client_id"),
            )
            .group_by_col((x, Alias::new("client_id")));
    }
    for (n, cond) in conds.into_iter().enumerate() {
        let only = CaseStatement::new()
            .case(cond, Expr::col(amount.clone()))
            .finally(Expr::val(0));
        outer.expr_as(
            Expr::from(Func::sum(Expr::Case(Box::new(only)))).cast_as(Alias::new("BIGINT")),
            Alias::new(format!("b{n}")),
        );
    }
    outer.to_owned()
}
