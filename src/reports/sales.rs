//! The sales report on the server: what was invoiced less what was credited, by period, by
//! client and by product, and beside it the orders booked.
//!
//! Invoices and credit notes count on their issue date (already a day of the business's
//! calendar). Orders count on the business's day they were entered: the database sums them by
//! quarter of an hour in UTC — every zone's offset is a whole number of quarters — and each
//! quarter is put on its local day here, so a zone's midnight (and its clock changes) fall
//! where the business sees them, on SQLite and PostgreSQL alike.
//!
//! With a product chosen, every figure comes from the lines of that product: invoice lines,
//! credit note lines (by the invoice line they take back) and order lines.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityName, QueryResult};

use super::query::{Period, ReportQuery, read_period};
use super::{RANKED, Ranked, SalesReport, SalesRow};
use crate::business::Zone;
use crate::error::{AppError, AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::money::Money;
use crate::server::entities::{credit_note_line, invoice_line, order, order_line};

/// The report for `query` on the business's calendar (`zone`), as of `today`.
pub async fn report(
    db: &DatabaseConnection,
    zone: &Zone,
    today: NaiveDate,
    query: &ReportQuery,
) -> AppResult<SalesReport> {
    let period = read_period(query, today).map_err(|e| AppError::fields(vec![e]))?;
    let filter = Filter {
        period,
        client: query.client,
        product: query.product,
    };
    let by_day = sums(db, &filter, Key::Day).await?;
    let booked = booked(db, zone, &filter).await?;
    let starts = period.starts();
    let index: HashMap<NaiveDate, usize> =
        starts.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut rows: Vec<SalesRow> = starts
        .into_iter()
        .map(|start| SalesRow::empty(period.by.label_of(start), start))
        .collect();
    let row_of = |day: NaiveDate| index.get(&period.by.start(day)).copied();
    for (day, s) in by_day.days {
        if let Some(i) = row_of(day) {
            rows[i].add(&s);
        }
    }
    for (day, (count, value)) in booked {
        if let Some(i) = row_of(day) {
            rows[i].orders += count;
            rows[i].booked.0 += value;
        }
    }
    let mut totals = SalesRow::empty("Total".into(), period.from);
    for r in &rows {
        totals.add_row(r);
    }
    let clients = ranked(db, &filter, Key::Client).await?;
    let products = ranked(db, &filter, Key::Product).await?;
    Ok(SalesReport {
        from: period.from,
        to: period.to,
        by: period.by,
        client: names_of(db, query.client, Key::Client).await?,
        product: names_of(db, query.product, Key::Product).await?,
        rows,
        totals,
        clients,
        products,
    })
}

/// What the figures are cut to.
struct Filter {
    period: Period,
    client: Option<i64>,
    product: Option<i64>,
}

/// What a sum is grouped by.
#[derive(Clone, Copy, PartialEq)]
enum Key {
    Day,
    Client,
    Product,
}

/// Invoiced and credited net, tax and quantity, as the database summed them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    invoiced_net: i64,
    invoiced_tax: i64,
    credited_net: i64,
    credited_tax: i64,
    quantity: i64,
}

impl SalesRow {
    fn empty(label: String, start: NaiveDate) -> Self {
        Self {
            label,
            start,
            invoiced: Money::ZERO,
            credited: Money::ZERO,
            net: Money::ZERO,
            tax: Money::ZERO,
            total: Money::ZERO,
            orders: 0,
            booked: Money::ZERO,
        }
    }

    fn add(&mut self, s: &Sums) {
        self.invoiced.0 += s.invoiced_net;
        self.credited.0 += s.credited_net;
        self.net.0 += s.invoiced_net - s.credited_net;
        self.tax.0 += s.invoiced_tax - s.credited_tax;
        self.total.0 = self.net.0 + self.tax.0;
    }

    fn add_row(&mut self, r: &SalesRow) {
        self.invoiced.0 += r.invoiced.0;
        self.credited.0 += r.credited.0;
        self.net.0 += r.net.0;
        self.tax.0 += r.tax.0;
        self.total.0 += r.total.0;
        self.orders += r.orders;
        self.booked.0 += r.booked.0;
    }
}

/// Sums by day, client or product.
#[derive(Default)]
struct Grouped {
    days: HashMap<NaiveDate, Sums>,
    ids: HashMap<i64, Sums>,
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
        .and_where(d(date).gte(f.period.from))
        .and_where(d(date).lte(f.period.to))
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

/// Invoiced less credited under `f`, by `key`.
async fn sums(db: &DatabaseConnection, f: &Filter, key: Key) -> AppResult<Grouped> {
    let mut out = Grouped::default();
    for credited in [false, true] {
        let rows = db
            .query_all(&statement(f, key, credited))
            .await
            .or_internal("sales report")?;
        for r in rows {
            let (net, tax, quantity) = (num(&r, "net")?, num(&r, "tax")?, num(&r, "quantity")?);
            let s = match key {
                Key::Day => out.days.entry(day(&r)?).or_default(),
                _ => out.ids.entry(num(&r, "k")?).or_default(),
            };
            match credited {
                false => {
                    s.invoiced_net += net;
                    s.invoiced_tax += tax;
                    s.quantity += quantity;
                }
                true => {
                    s.credited_net += net;
                    s.credited_tax += tax;
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

fn day(r: &QueryResult) -> AppResult<NaiveDate> {
    r.try_get("", "k").or_internal("sales report")
}

/// The first `RANKED` clients or products by net sales, most first, with the count of all.
async fn ranked(db: &DatabaseConnection, f: &Filter, key: Key) -> AppResult<Ranked> {
    let grouped = sums(db, f, key).await?;
    let count = grouped.ids.len();
    let mut all: Vec<(i64, Sums)> = grouped.ids.into_iter().collect();
    let net = |s: &Sums| s.invoiced_net - s.credited_net;
    all.sort_by(|a, b| net(&b.1).cmp(&net(&a.1)).then(a.0.cmp(&b.0)));
    all.truncate(RANKED);
    let names = names(db, key, all.iter().map(|(id, _)| *id)).await?;
    let rows = all
        .into_iter()
        .map(|(id, s)| super::RankedRow {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
            quantity: s.quantity,
            net: Money(net(&s)),
            tax: Money(s.invoiced_tax - s.credited_tax),
            total: Money(net(&s) + s.invoiced_tax - s.credited_tax),
        })
        .collect();
    Ok(Ranked { count, rows })
}

async fn names(
    db: &DatabaseConnection,
    key: Key,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    use crate::server::entities::product;
    match key {
        Key::Product => {
            let columns = (product::Column::Id, product::Column::Name);
            crate::server::names::of::<product::Entity>(db, columns, ids).await
        }
        _ => crate::clients::service::names(db, ids).await,
    }
}

/// The chosen client's name (a 400 at the filter for one that does not exist).
pub(super) async fn client_name(db: &DatabaseConnection, id: i64) -> AppResult<String> {
    names_of(db, Some(id), Key::Client)
        .await
        .map(Option::unwrap_or_default)
}

/// The name of the chosen client or product (a 400 at its filter for one that does not
/// exist).
async fn names_of(db: &DatabaseConnection, id: Option<i64>, key: Key) -> AppResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let what = match key {
        Key::Product => "product",
        _ => "client",
    };
    match names(db, key, [id]).await?.remove(&id) {
        Some(name) => Ok(Some(name)),
        None => Err(AppError::field(what, format!("there is no {what} {id}"))),
    }
}

/// Quarter hours in seconds: every time zone's offset is a whole number of them.
const QUARTER: i64 = 900;

/// Orders booked (confirmed, and not cancelled) under `f`, by the business's day they were
/// entered: (count, value).
async fn booked(
    db: &DatabaseConnection,
    zone: &Zone,
    f: &Filter,
) -> AppResult<HashMap<NaiveDate, (i64, i64)>> {
    let (start, end) = (
        zone.start_of(f.period.from),
        zone.start_of(f.period.to + Days::new(1)),
    );
    let o = |c: &str| col(order::Entity, c);
    let at = o("created_at");
    let quarter = match db.get_database_backend() {
        DatabaseBackend::Postgres => Expr::cust_with_expr(
            "CAST(FLOOR(EXTRACT(EPOCH FROM $1) / 900) AS BIGINT)",
            at.clone(),
        ),
        // strftime's format as a bound value: a quoted literal would stop sea-query reading
        // the `$1` after it.
        _ => Expr::from(Func::cust(Alias::new("strftime")).arg("%s").arg(at.clone()))
            .cast_as(Alias::new("INTEGER"))
            .div(QUARTER),
    };
    let mut q = Query::select();
    q.expr_as(quarter, Alias::new("k"))
        .from(order::Entity)
        .and_where(at.clone().gte(start))
        .and_where(at.lt(end))
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
    let mut out: HashMap<NaiveDate, (i64, i64)> = HashMap::new();
    for r in rows {
        let at = DateTime::<Utc>::from_timestamp(num(&r, "k")?.saturating_mul(QUARTER), 0)
            .unwrap_or_default();
        let e = out.entry(zone.date(&at)).or_default();
        e.0 += num(&r, "n")?;
        e.1 += num(&r, "value")?;
    }
    Ok(out)
}
