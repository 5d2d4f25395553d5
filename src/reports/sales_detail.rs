//! The sales report's figures summed from the documents themselves: what the summary holds
//! (`summary`), worked out again from invoices, credit notes and orders. The report reads
//! them when both a client and a product are chosen (the summary keeps each alone), and the
//! tests read them to prove the summary equals the detail.
//!
//! With a product chosen, every figure comes from the lines of that product: invoice lines,
//! credit note lines (by the invoice line they take back) and order lines.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityName, QueryResult};

use super::local_day;
use super::summary::Figures;
use crate::business::Zone;
use crate::error::{AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::server::entities::{credit_note_line, invoice_line, order, order_line};

/// What the figures are cut to: the days, and a client and product if chosen.
pub struct Filter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub client: Option<i64>,
    pub product: Option<i64>,
}

/// What a sum is grouped by.
#[derive(Clone, Copy, PartialEq)]
pub enum Key {
    Day,
    Client,
    Product,
}

fn col(table: impl EntityName, c: &str) -> Expr {
    Expr::col((Alias::new(table.table_name()), Alias::new(c)))
}

/// The statement summing invoiced (`credited` false) or credited amounts under `f`, grouped
/// by `key`: `k`, `net`, `tax`, `quantity`. From whole documents when neither a product is
/// chosen nor the sums are by product; otherwise from their lines.
fn statement(f: &Filter, key: Key, credited: bool) -> SelectStatement {
    let lines = key == Key::Product || f.product.is_some();
    // Both documents name their day `issue_date` and their client `client_id`.
    let (date, client) = ("issue_date", "client_id");
    let doc = Alias::new(if credited { "credit_notes" } else { "invoices" });
    let d = |c: &str| Expr::col((doc.clone(), Alias::new(c)));
    let mut q = Query::select();
    q.from(doc.clone());
    // The product and quantity of a line are the invoice line's; a credit note line names it.
    let (amounts, quantity, product): (Alias, Option<Expr>, Option<Expr>) = match (lines, credited)
    {
        (false, _) => (doc.clone(), None, None),
        (true, false) => {
            q.inner_join(
                invoice_line::Entity,
                col(invoice_line::Entity, "invoice_id").equals((doc.clone(), Alias::new("id"))),
            );
            (
                Alias::new(invoice_line::Entity.table_name()),
                Some(col(invoice_line::Entity, "quantity")),
                Some(col(invoice_line::Entity, "product_id")),
            )
        }
        (true, true) => {
            q.inner_join(
                credit_note_line::Entity,
                col(credit_note_line::Entity, "credit_note_id")
                    .equals((doc.clone(), Alias::new("id"))),
            )
            .inner_join(
                invoice_line::Entity,
                col(invoice_line::Entity, "id").equals((
                    Alias::new(credit_note_line::Entity.table_name()),
                    Alias::new("invoice_line_id"),
                )),
            );
            (
                Alias::new(credit_note_line::Entity.table_name()),
                Some(col(credit_note_line::Entity, "quantity")),
                Some(col(invoice_line::Entity, "product_id")),
            )
        }
    };
    let a = |c: &str| Expr::col((amounts.clone(), Alias::new(c)));
    let k = match key {
        Key::Day => d(date),
        Key::Client => d(client),
        Key::Product => product.clone().unwrap_or_else(|| d("id")),
    };
    q.expr_as(k.clone(), Alias::new("k"))
        .expr_as(sum(a("net")), Alias::new("net"))
        .expr_as(sum(a("tax")), Alias::new("tax"))
        .expr_as(
            sum(quantity.unwrap_or_else(|| Expr::val(0i64))),
            Alias::new("quantity"),
        )
        .and_where(d(date).gte(f.from))
        .and_where(d(date).lte(f.to))
        .group_by_col(Alias::new("k"));
    if !credited {
        q.and_where(d("status").ne("draft"));
    }
    if let Some(c) = f.client {
        q.and_where(d(client).eq(c));
    }
    if let (Some(p), Some(product)) = (f.product, product) {
        q.and_where(product.eq(p));
    }
    q.to_owned()
}

/// Invoiced and credited under `f`, by `key`: by day (`Key::Day`, the day's number since
/// 1970 as the key) or by client or product id. Quantities are the products' only.
pub async fn sums(
    db: &DatabaseConnection,
    f: &Filter,
    key: Key,
) -> AppResult<HashMap<i64, Figures>> {
    let mut out: HashMap<i64, Figures> = HashMap::new();
    for credited in [false, true] {
        let rows = db
            .query_all(&statement(f, key, credited))
            .await
            .or_internal("sales report")?;
        for r in rows {
            let (net, tax, quantity) = (num(&r, "net")?, num(&r, "tax")?, num(&r, "quantity")?);
            let k = match key {
                Key::Day => local_day::number(r.try_get("", "k").or_internal("sales report")?),
                _ => num(&r, "k")?,
            };
            let s = out.entry(k).or_default();
            let quantity = if key == Key::Product { quantity } else { 0 };
            match credited {
                false => {
                    s.invoiced += net;
                    s.tax += tax;
                    s.quantity += quantity;
                }
                true => {
                    s.credited += net;
                    s.tax -= tax;
                    s.quantity -= quantity;
                }
            }
        }
    }
    Ok(out)
}

fn num(r: &QueryResult, c: &str) -> AppResult<i64> {
    let v: Option<i64> = r.try_get("", c).or_internal("sales report")?;
    Ok(v.unwrap_or(0))
}

/// Orders booked (confirmed, and not cancelled) under `f`, by the business's day they were
/// entered (its number since 1970): (count, value).
pub async fn booked(
    db: &DatabaseConnection,
    zone: &Zone,
    f: &Filter,
) -> AppResult<HashMap<i64, (i64, i64)>> {
    let span = local_day::span(zone, f.from, f.to);
    let o = |c: &str| col(order::Entity, c);
    let at = o("created_at");
    let day = local_day::expr(db.get_database_backend(), zone, at.clone(), span);
    let mut q = Query::select();
    q.expr_as(day, Alias::new("k"))
        .from(order::Entity)
        .and_where(at.clone().gte(span.0))
        .and_where(at.lt(span.1))
        .and_where(o("status").is_not_in(["draft", "cancelled"]))
        .group_by_col(Alias::new("k"));
    match f.product {
        None => {
            q.expr_as(o("id").count(), Alias::new("n"))
                .expr_as(sum(o("total")), Alias::new("value"));
        }
        Some(p) => {
            let l = |c: &str| col(order_line::Entity, c);
            q.inner_join(
                order_line::Entity,
                l("order_id").equals((order::Entity, order::Column::Id)),
            )
            .and_where(l("product_id").eq(p))
            .expr_as(o("id").count_distinct(), Alias::new("n"))
            .expr_as(sum(l("net").add(l("tax"))), Alias::new("value"));
        }
    }
    if let Some(c) = f.client {
        q.and_where(o("client_id").eq(c));
    }
    let rows = db.query_all(&q).await.or_internal("sales report")?;
    let mut out = HashMap::new();
    for r in rows {
        out.insert(num(&r, "k")?, (num(&r, "n")?, num(&r, "value")?));
    }
    Ok(out)
}

/// Everything `f` covers by day (day numbers since 1970), as the summary holds it.
pub async fn by_day(
    db: &DatabaseConnection,
    zone: &Zone,
    f: &Filter,
) -> AppResult<HashMap<i64, Figures>> {
    let mut out = sums(db, f, Key::Day).await?;
    for (day, (n, value)) in booked(db, zone, f).await? {
        let s = out.entry(day).or_default();
        s.orders += n;
        s.booked += value;
    }
    Ok(out)
}
