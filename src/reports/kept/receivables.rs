//! `receivables`: what the open invoices owe now, by due date — the aging as of today
//! without reading every open invoice. Issuing an invoice adds its balance; a payment, a
//! deleted payment or a credit note moves it (`invoices::settle`), and an invoice that is
//! no longer open takes out what it owed. The dashboard and the payments report read it for
//! today's aging of every client.

use chrono::{Days, NaiveDate};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::business::Zone;
use crate::error::{AppResult, OrInternal};
use crate::invoices::InvoiceStatus;
use crate::invoices::aging::EDGES;
use crate::invoices::read::{open_for_sums, sum};
use crate::money::Money;
use crate::server::tally::{self, Key, Tally};
use crate::server::write::Write;

pub static TALLY: Tally = Tally {
    table: "receivables",
    keys: &["due_date"],
    figures: &["owed"],
};

/// What an invoice in `status` with this due date and balance counts as owed.
fn owed(status: InvoiceStatus, due: Option<NaiveDate>, balance: i64) -> Option<(NaiveDate, i64)> {
    due.filter(|_| status.is_open()).map(|d| (d, balance))
}

/// An invoice that was in `before` (status, balance) and is now in `after`, due on `due`.
pub fn moved(
    w: &mut Write,
    due: Option<NaiveDate>,
    before: Option<(InvoiceStatus, i64)>,
    after: (InvoiceStatus, i64),
) {
    if let Some((d, b)) = before.and_then(|(s, b)| owed(s, due, b)) {
        w.tally().add(&TALLY, vec![Key::Day(d)], &[-b]);
    }
    if let Some((d, b)) = owed(after.0, due, after.1) {
        w.tally().add(&TALLY, vec![Key::Day(d)], &[b]);
    }
}

/// The table from the open invoices.
pub fn sources(_: DatabaseBackend, _: &Zone) -> Vec<SelectStatement> {
    let col = |c: &str| Expr::col((Alias::new("invoices"), Alias::new(c)));
    let keys = vec![(col("due_date"), true)];
    vec![tally::source(keys, vec![sum(col("balance"))], |q| {
        q.from(Alias::new("invoices")).and_where(open_for_sums());
    })]
}

/// What is owed as of `today`, in the aging's buckets: current, then 1–30, 31–60, 61–90
/// and over 90 days past due.
pub async fn buckets(db: &impl ConnectionTrait, today: NaiveDate) -> AppResult<[Money; 5]> {
    // Summed in the database: one row back rather than one per due date (some 1,400 after
    // four years), which the dashboard paid for on every view.
    let due = || Expr::col(Alias::new("due_date"));
    let owed = || Expr::col(Alias::new("owed"));
    // Not yet due; due within the first edge; within the second; the third; older.
    let mut buckets = vec![due().gte(today)];
    let mut later = today;
    for edge in EDGES {
        let start = today
            .checked_sub_days(Days::new(edge))
            .unwrap_or(NaiveDate::MIN);
        buckets.push(due().gte(start).and(due().lt(later)));
        later = start;
    }
    buckets.push(due().lt(later));
    let mut q = Query::select();
    q.from(Alias::new(TALLY.table));
    for (i, within) in buckets.into_iter().enumerate() {
        let amount = Expr::case(within, owed()).finally(0);
        q.expr_as(sum(amount.into()), Alias::new(format!("b{i}")));
    }
    let mut out = [Money::ZERO; 5];
    if let Some(r) = db.query_one(&q).await.or_internal("receivables")? {
        for (i, slot) in out.iter_mut().enumerate() {
            let owed: Option<i64> = r.try_get("", &format!("b{i}")).or_internal("receivables")?;
            *slot = Money(owed.unwrap_or(0));
        }
    }
    Ok(out)
}
