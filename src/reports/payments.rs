//! The payments and receivables report on the server: payments received by period and
//! method (by the day they were paid, a day of the business's calendar); the receivables
//! aging as of the period's last day (`invoices::aging`, the same figures as its page); and
//! the clients with the most overdue then.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::query::{ReportQuery, read_period};
use super::{OverdueClient, PaymentsReport, PaymentsRow, RANKED, kept};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::invoices::{PaymentMethod, aging};
use crate::money::Money;
use crate::server::stamp::{Memo, stamp};

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
    let paid = match query.client {
        None => kept::payments::read(db, (period.from, period.to)).await?,
        Some(c) => paid_by(db, (period.from, period.to), c).await?,
    };
    for (day, method, n, amount) in paid {
        let (Some(i), Some(m)) = (
            index.get(&period.by.start(day)),
            methods.iter().position(|m| m.as_str() == method),
        ) else {
            continue;
        };
        rows[*i].add(m, n, amount);
    }
    let mut totals = PaymentsRow::empty("Total".into(), period.from, methods.len());
    for r in &rows {
        for (m, a) in r.by_method.iter().enumerate() {
            totals.add(m, 0, a.0);
        }
        totals.count += r.count;
    }
    let client = match query.client {
        Some(id) => Some(super::sales::client_name(db, id).await?),
        None => None,
    };
    let owed: Vec<(i64, [Money; 5])> = owed_on(db, period.to)
        .await?
        .iter()
        .filter(|(c, _)| query.client.is_none_or(|q| q == *c))
        .copied()
        .collect();
    let mut buckets = [Money::ZERO; 5];
    for (_, b) in &owed {
        for (t, m) in buckets.iter_mut().zip(b) {
            t.0 += m.0;
        }
    }
    let overdue = most_overdue(db, owed).await?;
    Ok(PaymentsReport {
        from: period.from,
        to: period.to,
        by: period.by,
        client,
        methods,
        rows,
        totals,
        as_of: period.to,
        buckets,
        outstanding: Money(buckets.iter().map(|b| b.0).sum()),
        overdue,
    })
}

/// Each client's aging as of a day, kept while the receivables summary took no addition:
/// whatever moves what an invoice owed on any day — issuing it, a payment, a deleted
/// payment, a credit note — moves its balance there too.
static AGING: Memo<NaiveDate, Owed> = Memo::new(16);

/// What each client owed, by aging bucket.
type Owed = Arc<Vec<(i64, [Money; 5])>>;

/// What each client owed on `day`, by bucket (`aging::by_client`).
async fn owed_on(
    db: &DatabaseConnection,
    day: NaiveDate,
) -> AppResult<Arc<Vec<(i64, [Money; 5])>>> {
    let print = stamp(db, &kept::receivables::TALLY, |_| {}).await?;
    if let Some(owed) = AGING.get(&day, &print) {
        return Ok(owed);
    }
    let owed = Arc::new(aging::by_client(db, day).await?);
    AGING.put(day, print, owed.clone());
    Ok(owed)
}

/// Client `client`'s payments from `from` to `to`: (day, method, payments, amount), as
/// `kept::payments::read` answers.
async fn paid_by(
    db: &DatabaseConnection,
    (from, to): (NaiveDate, NaiveDate),
    client: i64,
) -> AppResult<Vec<(NaiveDate, String, i64, i64)>> {
    let p = |c: &str| Expr::col((Alias::new("payments"), Alias::new(c)));
    let mut q = Query::select();
    q.expr_as(p("paid_on"), Alias::new("day"))
        .expr_as(p("method"), Alias::new("method"))
        .expr_as(p("id").count(), Alias::new("n"))
        .expr_as(sum(p("amount")), Alias::new("amount"))
        .from(Alias::new("payments"))
        .and_where(p("client_id").eq(client))
        .and_where(p("paid_on").gte(from))
        .and_where(p("paid_on").lte(to))
        .group_by_col(Alias::new("day"))
        .group_by_col(Alias::new("method"));
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("payments report")? {
        let amount: Option<i64> = r.try_get("", "amount").or_internal("payments report")?;
        out.push((
            r.try_get("", "day").or_internal("payments report")?,
            r.try_get("", "method").or_internal("payments report")?,
            r.try_get("", "n").or_internal("payments report")?,
            amount.unwrap_or(0),
        ));
    }
    Ok(out)
}

/// The `RANKED` clients owing most past due in `owed`, named; the oldest debts, then the
/// names, break ties.
async fn most_overdue(
    db: &DatabaseConnection,
    owed: Vec<(i64, [Money; 5])>,
) -> AppResult<Vec<OverdueClient>> {
    let past_due = |b: &[Money; 5]| b[1..].iter().map(|m| m.0).sum::<i64>();
    let mut top: Vec<(i64, [Money; 5])> =
        owed.into_iter().filter(|(_, b)| past_due(b) > 0).collect();
    // Named only once chosen: the names break ties among the last few.
    top.sort_by_key(|(_, b)| std::cmp::Reverse(past_due(b)));
    let cut = top.get(RANKED.saturating_sub(1)).map(|(_, b)| past_due(b));
    if let Some(cut) = cut {
        top.retain(|(_, b)| past_due(b) >= cut);
    }
    let names = crate::clients::service::names(db, top.iter().map(|(c, _)| *c)).await?;
    let mut out: Vec<OverdueClient> = top
        .into_iter()
        .map(|(id, b)| OverdueClient {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
            overdue: Money(past_due(&b)),
            over_90: b[4],
            total: Money(b.iter().map(|m| m.0).sum()),
        })
        .collect();
    out.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.name.cmp(&b.name)));
    out.truncate(RANKED);
    Ok(out)
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
