//! `payment_days`: payments by the day they were paid and their method — how many, and how
//! much. Recording a payment adds it; deleting one takes it out (`invoices::settle`). The
//! payments report reads it when no client is chosen.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::business::Zone;
use crate::choice::Choice;
use crate::error::{AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::server::entities::payment;
use crate::server::tally::{self, Key, Tally};
use crate::server::write::Write;

pub static TALLY: Tally = Tally {
    table: "payment_days",
    keys: &["day", "method"],
    figures: &["payments", "amount"],
};

/// Payment `p` recorded (`sign` 1) or deleted (-1).
pub fn counted(w: &mut Write, p: &payment::Model, sign: i64) {
    let key = vec![Key::Day(p.paid_on), Key::Word(p.method.as_str())];
    w.tally().add(&TALLY, key, &[sign, sign * p.amount]);
}

fn col(c: &str) -> Expr {
    Expr::col((Alias::new("payments"), Alias::new(c)))
}

/// The table from the payments.
pub fn sources(_: DatabaseBackend, _: &Zone) -> Vec<SelectStatement> {
    let keys = vec![(col("paid_on"), true), (col("method"), true)];
    let figures = vec![col("id").count(), sum(col("amount"))];
    vec![tally::source(keys, figures, |q| {
        q.from(Alias::new("payments")).and_where(col("id").gt(0));
    })]
}

/// The rows from `from` to `to`: (day, method, payments, amount).
pub async fn read(
    db: &impl ConnectionTrait,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<Vec<(NaiveDate, String, i64, i64)>> {
    let c = |name: &str| Expr::col(Alias::new(name));
    let mut q = Query::select();
    q.columns(["day", "method", "payments", "amount"].map(Alias::new))
        .from(Alias::new(TALLY.table))
        .and_where(c("day").gte(from))
        .and_where(c("day").lte(to));
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("payment days")? {
        out.push((
            r.try_get("", "day").or_internal("payment days")?,
            r.try_get("", "method").or_internal("payment days")?,
            r.try_get("", "payments").or_internal("payment days")?,
            r.try_get("", "amount").or_internal("payment days")?,
        ));
    }
    Ok(out)
}
