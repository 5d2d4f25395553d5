//! `stock_days`: the ledger's movements by business day and kind — how many, and what they
//! moved on hand and reserved. The ledger adds each movement as it writes it
//! (`stock::ledger`). The stock report reads it when no product is chosen.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::business::Zone;
use crate::choice::Choice;
use crate::error::{AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::reports::local_day;
use crate::server::tally::{self, Key, Tally};
use crate::server::write::Write;
use crate::stock::MovementKind;

pub static TALLY: Tally = Tally {
    table: "stock_days",
    keys: &["day", "kind"],
    figures: &["movements", "on_hand", "reserved"],
};

/// A movement of `kind` written `at`, moving on hand and reserved stock by these.
pub fn moved(
    w: &mut Write,
    zone: &Zone,
    at: &DateTime<Utc>,
    kind: MovementKind,
    (on_hand, reserved): (i64, i64),
) {
    let key = vec![Key::Day(zone.date(at)), Key::Word(kind.as_str())];
    w.tally().add(&TALLY, key, &[1, on_hand, reserved]);
}

fn col(c: &str) -> Expr {
    Expr::col((Alias::new("stock_movements"), Alias::new(c)))
}

/// The table from the ledger.
pub fn sources(backend: DatabaseBackend, zone: &Zone) -> Vec<SelectStatement> {
    let keys = vec![
        (local_day::date_of(backend, zone, col("at")), true),
        (col("kind"), true),
    ];
    let figures = vec![
        col("id").count(),
        sum(col("delta_on_hand")),
        sum(col("delta_reserved")),
    ];
    vec![tally::source(keys, figures, |q| {
        q.from(Alias::new("stock_movements"))
            .and_where(col("id").gt(0));
    })]
}

/// The rows from `from` to `to`: (day, kind, movements, on hand, reserved).
pub async fn read(
    db: &impl ConnectionTrait,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<Vec<(NaiveDate, String, i64, i64, i64)>> {
    let c = |name: &str| Expr::col(Alias::new(name));
    let mut q = Query::select();
    q.columns(["day", "kind"].map(Alias::new))
        .columns(TALLY.figures.iter().map(|f| Alias::new(*f)))
        .from(Alias::new(TALLY.table))
        .and_where(c("day").gte(from))
        .and_where(c("day").lte(to));
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("stock days")? {
        let n = |name: &str| r.try_get::<i64>("", name).or_internal("stock days");
        out.push((
            r.try_get("", "day").or_internal("stock days")?,
            r.try_get("", "kind").or_internal("stock days")?,
            n("movements")?,
            n("on_hand")?,
            n("reserved")?,
        ));
    }
    Ok(out)
}
