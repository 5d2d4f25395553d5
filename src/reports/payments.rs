//! The payments and receivables report on the server: payments received by period and
//! method (by the day they were paid, a day of the business's calendar); the receivables
//! aging as of the period's last day (`invoices::aging`, the same figures as its page); and
//! the clients with the most overdue then.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::query::{ReportQuery, read_period};
use super::{OverdueClient, PaymentsReport, PaymentsRow, RANKED};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::invoices::PaymentMethod;
use crate::invoices::read::sum;
use crate::money::Money;

/// The report for `query`, as of `today`.
pub async fn report(
    db: &DatabaseConnection,
    today: NaiveDate,
    query: &ReportQuery,
) -> AppResult<PaymentsReport> {
    let period = read_period(query, today).map_err(|e| AppError::fields(vec![e]))?;
    let methods = PaymentMethod::ALL.to_vec();
    let starts = period.starts();
    let index: HashMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut rows: Vec<PaymentsRow> = starts
        .iter()
        .map(|s| PaymentsRow::empty(period.by.label_of(*s), *s, methods.len()))
        .collect();
    let p = |c: &str| Expr::col((Alias::new("payments"), Alias::new(c)));
    let mut q = Query::select();
    q.expr_as(p("paid_on"), Alias::new("day"))
        .expr_as(p("method"), Alias::new("method"))
        .expr_as(p("id").count(), Alias::new("n"))
        .expr_as(sum(p("amount")), Alias::new("amount"))
        .from(Alias::new("payments"))
        .and_where(p("paid_on").gte(period.from))
        .and_where(p("paid_on").lte(period.to))
        .group_by_col(Alias::new("day"))
        .group_by_col(Alias::new("method"));
    if let Some(c) = query.client {
        q.and_where(p("client_id").eq(c));
    }
    for r in db.query_all(&q).await.or_internal("payments report")? {
        let day: NaiveDate = r.try_get("", "day").or_internal("payments report")?;
        let method: String = r.try_get("", "method").or_internal("payments report")?;
        let n: i64 = r.try_get("", "n").or_internal("payments report")?;
        let amount: Option<i64> = r.try_get("", "amount").or_internal("payments report")?;
        let (Some(i), Some(m)) = (
            index.get(&period.by.start(day)),
            methods.iter().position(|m| m.as_str() == method),
        ) else {
            continue;
        };
        rows[*i].add(m, n, amount.unwrap_or(0));
    }
    let mut totals = PaymentsRow::empty("Total".into(), period.from, methods.len());
    for r in &rows {
        for (m, a) in r.by_method.iter().enumerate() {
            totals.add(m, 0, a.0);
        }
        totals.count += r.count;
    }
    let aging = crate::invoices::aging::report(db, today, &period.to.to_string()).await?;
    let client = match query.client {
        Some(id) => Some(super::sales::client_name(db, id).await?),
        None => None,
    };
    let mine: Vec<_> = aging
        .rows
        .iter()
        .filter(|r| query.client.is_none_or(|c| c == r.client_id))
        .collect();
    let mut buckets = [Money::ZERO; 5];
    for r in &mine {
        for (b, m) in buckets.iter_mut().zip(r.buckets) {
            b.0 += m.0;
        }
    }
    let mut overdue: Vec<OverdueClient> = mine
        .iter()
        .map(|r| OverdueClient {
            id: r.client_id,
            name: r.client_name.clone(),
            overdue: Money(r.buckets[1..].iter().map(|b| b.0).sum()),
            over_90: r.buckets[4],
            total: r.total,
        })
        .filter(|c| c.overdue.0 > 0)
        .collect();
    overdue.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.name.cmp(&b.name)));
    overdue.truncate(RANKED);
    Ok(PaymentsReport {
        from: period.from,
        to: period.to,
        by: period.by,
        client,
        methods,
        rows,
        totals,
        as_of: aging.as_of,
        buckets,
        outstanding: Money(buckets.iter().map(|b| b.0).sum()),
        overdue,
    })
}

impl PaymentsRow {
    fn empty(label: String, start: NaiveDate, methods: usize) -> Self {
        Self {
            label,
            start,
            by_method: vec![Money::ZERO; methods],
            count: 0,
            total: Money::ZERO,
        }
    }

    fn add(&mut self, method: usize, n: i64, amount: i64) {
        self.by_method[method].0 += amount;
        self.count += n;
        self.total.0 += amount;
    }
}
