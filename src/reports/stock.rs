//! The stock report on the server: the ledger's movements in the period by kind, on the
//! business's days; and, now, the active products' stock (on hand, reserved, available),
//! its worth at the unit price and at the last receipt's cost, the products low on stock and
//! those worth most.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult};

use super::query::{ReportQuery, read_period};
use super::sales::names_of;
use super::sales_detail::Key;
use super::{LOW_SHOWN, RANKED, StockLine, StockReport, StockRow, kept, local_day};
use crate::business::Zone;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::money::Money;
use crate::stock::MovementKind;

fn col(table: &str, c: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(c)))
}

fn num(r: &QueryResult, c: &str) -> AppResult<i64> {
    let v: Option<i64> = r.try_get("", c).or_internal("stock report")?;
    Ok(v.unwrap_or(0))
}

/// The report for `query` on the business's calendar (`zone`), as of `today`.
pub async fn report(
    db: &DatabaseConnection,
    zone: &Zone,
    today: NaiveDate,
    query: &ReportQuery,
) -> AppResult<StockReport> {
    let period = read_period(query, today).map_err(|e| AppError::fields(vec![e]))?;
    let product = names_of(db, query.product, Key::Product).await?;
    let starts = period.starts();
    let index: HashMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut rows: Vec<StockRow> = starts
        .iter()
        .map(|s| StockRow::empty(period.by.label_of(*s), *s))
        .collect();
    let moved = match query.product {
        None => kept::stock::read(db, (period.from, period.to)).await?,
        Some(p) => movements(db, zone, (period.from, period.to), p).await?,
    };
    for (day, kind, n, on_hand, reserved) in moved {
        let (Some(i), Some(kind)) = (index.get(&period.by.start(day)), MovementKind::parse(&kind))
        else {
            continue;
        };
        rows[*i].add(kind, n, on_hand, reserved);
    }
    let mut totals = StockRow::empty("Total".into(), period.from);
    for r in &rows {
        totals.add_row(r);
    }

    let now = stock_now(db, query.product).await?;
    let low_count = count_low(db, query.product).await?;
    let low = lines(db, query.product, Order::Low).await?;
    let top = lines(db, query.product, Order::Worth).await?;
    Ok(StockReport {
        from: period.from,
        to: period.to,
        by: period.by,
        product,
        rows,
        totals,
        products: now.products,
        on_hand: now.on_hand,
        reserved: now.reserved,
        available: now.on_hand - now.reserved,
        at_price: Money(now.at_price),
        at_cost: Money(now.at_cost),
        uncosted: now.uncosted,
        low_count,
        low,
        top,
    })
}

/// Product `product`'s movements from `from` to `to` by business day and kind, from the
/// ledger: (day, kind, movements, on hand, reserved), as `kept::stock::read` answers.
async fn movements(
    db: &DatabaseConnection,
    zone: &Zone,
    (from, to): (NaiveDate, NaiveDate),
    product: i64,
) -> AppResult<Vec<(NaiveDate, String, i64, i64, i64)>> {
    let span = local_day::span(zone, from, to);
    let m = |c: &str| col("stock_movements", c);
    let day = local_day::expr(db.get_database_backend(), zone, m("at"), span);
    let mut q = Query::select();
    q.expr_as(day, Alias::new("k"))
        .expr_as(m("kind"), Alias::new("kind"))
        .expr_as(m("id").count(), Alias::new("n"))
        .expr_as(sum(m("delta_on_hand")), Alias::new("on_hand"))
        .expr_as(sum(m("delta_reserved")), Alias::new("reserved"))
        .from(Alias::new("stock_movements"))
        .and_where(m("product_id").eq(product))
        .and_where(m("at").gte(span.0))
        .and_where(m("at").lt(span.1))
        .group_by_col(Alias::new("k"))
        .group_by_col(Alias::new("kind"));
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("stock report")? {
        out.push((
            local_day::date(num(&r, "k")?),
            r.try_get("", "kind").or_internal("stock report")?,
            num(&r, "n")?,
            num(&r, "on_hand")?,
            num(&r, "reserved")?,
        ));
    }
    Ok(out)
}

impl StockRow {
    fn empty(label: String, start: NaiveDate) -> Self {
        Self {
            label,
            start,
            received: 0,
            shipped: 0,
            adjusted: 0,
            reserved: 0,
            released: 0,
            movements: 0,
        }
    }

    /// `n` movements of `kind`, moving on hand and reserved stock by these sums.
    fn add(&mut self, kind: MovementKind, n: i64, on_hand: i64, reserved: i64) {
        self.movements += n;
        match kind {
            MovementKind::Receipt => self.received += on_hand,
            MovementKind::Shipment => self.shipped -= on_hand,
            MovementKind::Adjustment => self.adjusted += on_hand,
            MovementKind::Reservation => self.reserved += reserved,
            MovementKind::Release => self.released -= reserved,
        }
    }

    fn add_row(&mut self, r: &StockRow) {
        self.received += r.received;
        self.shipped += r.shipped;
        self.adjusted += r.adjusted;
        self.reserved += r.reserved;
        self.released += r.released;
        self.movements += r.movements;
    }
}

/// The active products (or only `product`).
fn products(product: Option<i64>) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("products"))
        .and_where(col("products", "active").eq(true));
    if let Some(p) = product {
        q.and_where(col("products", "id").eq(p));
    }
    q
}

/// Stock now: sums over the products.
struct Now {
    products: i64,
    on_hand: i64,
    reserved: i64,
    at_price: i64,
    at_cost: i64,
    uncosted: i64,
}

async fn stock_now(db: &DatabaseConnection, product: Option<i64>) -> AppResult<Now> {
    let p = |c: &str| col("products", c);
    // Each product's last cost once, then summed.
    let mut inner = products(product);
    inner
        .expr_as(p("on_hand"), Alias::new("on_hand"))
        .expr_as(p("reserved"), Alias::new("reserved"))
        .expr_as(p("unit_price"), Alias::new("unit_price"))
        .expr_as(p("last_cost"), Alias::new("cost"));
    let c = |name: &str| Expr::col((Alias::new("s"), Alias::new(name)));
    let uncosted = Expr::case(c("cost").is_null().and(c("on_hand").ne(0)), 1).finally(0);
    let mut q = Query::select();
    q.from_subquery(inner, Alias::new("s"))
        .expr_as(Expr::val(1).count(), Alias::new("n"))
        .expr_as(sum(c("on_hand")), Alias::new("on_hand"))
        .expr_as(sum(c("reserved")), Alias::new("reserved"))
        .expr_as(
            sum(c("on_hand").mul(c("unit_price"))),
            Alias::new("at_price"),
        )
        .expr_as(sum(c("on_hand").mul(c("cost"))), Alias::new("at_cost"))
        .expr_as(sum(uncosted.into()), Alias::new("uncosted"));
    let r = db
        .query_one(&q)
        .await
        .or_internal("stock report")?
        .ok_or_else(|| AppError::internal("stock report", "no sums"))?;
    Ok(Now {
        products: num(&r, "n")?,
        on_hand: num(&r, "on_hand")?,
        reserved: num(&r, "reserved")?,
        at_price: num(&r, "at_price")?,
        at_cost: num(&r, "at_cost")?,
        uncosted: num(&r, "uncosted")?,
    })
}

pub(crate) async fn count_low(db: &DatabaseConnection, product: Option<i64>) -> AppResult<i64> {
    let mut q = products(product);
    q.expr_as(col("products", "id").count(), Alias::new("n"))
        .and_where(crate::stock::list::low());
    let r = db.query_one(&q).await.or_internal("stock report")?;
    r.map_or(Ok(0), |r| num(&r, "n"))
}

/// Which products `lines` lists.
#[derive(Clone, Copy)]
enum Order {
    /// Low on stock, least available first.
    Low,
    /// Worth most at the unit price.
    Worth,
}

async fn lines(
    db: &DatabaseConnection,
    product: Option<i64>,
    which: Order,
) -> AppResult<Vec<StockLine>> {
    let p = |c: &str| col("products", c);
    let mut q = products(product);
    for c in [
        "id",
        "sku",
        "name",
        "on_hand",
        "reserved",
        "reorder_level",
        "unit_price",
    ] {
        q.expr_as(p(c), Alias::new(c));
    }
    q.expr_as(p("last_cost"), Alias::new("cost"));
    match which {
        Order::Low => {
            q.and_where(crate::stock::list::low())
                .order_by_expr(p("on_hand").sub(p("reserved")), sea_orm::Order::Asc)
                .order_by_expr(p("id"), sea_orm::Order::Asc)
                .limit(LOW_SHOWN as u64);
        }
        Order::Worth => {
            q.order_by_expr(p("on_hand").mul(p("unit_price")), sea_orm::Order::Desc)
                .order_by_expr(p("id"), sea_orm::Order::Asc)
                .limit(RANKED as u64);
        }
    }
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("stock report")? {
        let (on_hand, reserved) = (num(&r, "on_hand")?, num(&r, "reserved")?);
        let cost: Option<i64> = r.try_get("", "cost").or_internal("stock report")?;
        out.push(StockLine {
            id: num(&r, "id")?,
            sku: r.try_get("", "sku").or_internal("stock report")?,
            name: r.try_get("", "name").or_internal("stock report")?,
            on_hand,
            reserved,
            available: on_hand - reserved,
            reorder_level: num(&r, "reorder_level")?,
            at_price: Money(on_hand.saturating_mul(num(&r, "unit_price")?)),
            at_cost: cost.map(|c| Money(on_hand.saturating_mul(c))),
        });
    }
    Ok(out)
}
