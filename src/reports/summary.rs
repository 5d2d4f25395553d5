//! The sales summary (migration 11): invoiced, credited and booked by business day, for the
//! whole business, each client and each product. The transactions that change those figures
//! — issuing invoices, crediting them, confirming, reverting and cancelling orders — gather
//! their changes in `Changes` and hand them to their write unit, which adds them before it
//! commits (`server::tally`), so the summary moves with the detail or not at all. `build`
//! makes it again from the detail (`reports::kept`).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::local_day;
use crate::business::Zone;
use crate::error::{AppResult, OrInternal};
use crate::invoices::read::sum;
use crate::server::stamp::{Memo, stamp};
use crate::server::tally::{self, Key, Tally};
use crate::server::write::Write;

const TABLE: &str = "sales_summary";

/// The summary's table: by dimension, id and day.
pub static TALLY: Tally = Tally {
    table: TABLE,
    keys: &["dim", "dim_id", "day"],
    figures: &COLUMNS,
};

/// Which figures a summary row holds: the business's, one client's or one product's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dim {
    All,
    Client,
    Product,
}

impl Dim {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Client => "client",
            Self::Product => "product",
        }
    }
}

/// One row's figures (or a change to them). Quantity is kept on product rows only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub invoiced: i64,
    pub credited: i64,
    pub tax: i64,
    pub quantity: i64,
    pub orders: i64,
    pub booked: i64,
}

/// The figure columns, in `Figures`' order.
pub const COLUMNS: [&str; 6] = [
    "invoiced", "credited", "tax", "quantity", "orders", "booked",
];

impl Figures {
    fn values(&self) -> [i64; 6] {
        [
            self.invoiced,
            self.credited,
            self.tax,
            self.quantity,
            self.orders,
            self.booked,
        ]
    }

    fn add(&mut self, o: &Figures) {
        self.invoiced += o.invoiced;
        self.credited += o.credited;
        self.tax += o.tax;
        self.quantity += o.quantity;
        self.orders += o.orders;
        self.booked += o.booked;
    }
}

/// One line of a document or order, as the summary counts it: its product, net, tax and
/// quantity.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub product: i64,
    pub net: i64,
    pub tax: i64,
    pub quantity: i64,
}

/// Changes to the summary a transaction gathers, added by `apply`.
#[derive(Debug, Default)]
pub struct Changes(BTreeMap<(Dim, i64, NaiveDate), Figures>);

impl Changes {
    fn add(&mut self, dim: Dim, id: i64, day: NaiveDate, f: Figures) {
        self.0.entry((dim, id, day)).or_default().add(&f);
    }

    /// A document's figures on `day`: the whole on the business's and the client's rows,
    /// each line on its product's.
    fn document(&mut self, day: NaiveDate, client: i64, lines: &[Line], of: fn(&Line) -> Figures) {
        let mut whole = Figures::default();
        for l in lines {
            let f = of(l);
            self.add(Dim::Product, l.product, day, f);
            whole.add(&Figures { quantity: 0, ..f });
        }
        self.add(Dim::All, 0, day, whole);
        self.add(Dim::Client, client, day, whole);
    }

    /// An invoice issued on `day`.
    pub fn invoiced(&mut self, day: NaiveDate, client: i64, lines: &[Line]) {
        self.document(day, client, lines, |l| Figures {
            invoiced: l.net,
            tax: l.tax,
            quantity: l.quantity,
            ..Figures::default()
        });
    }

    /// A credit note issued on `day` (its lines name the products of the lines they take
    /// back).
    pub fn credited(&mut self, day: NaiveDate, client: i64, lines: &[Line]) {
        self.document(day, client, lines, |l| Figures {
            credited: l.net,
            tax: -l.tax,
            quantity: -l.quantity,
            ..Figures::default()
        });
    }

    /// An order entered on `day` becoming booked (`sign` 1: confirmed) or no longer
    /// (`sign` -1: back to draft, or cancelled), of `value` with tax. Only the business's
    /// rows count orders: one client's or product's are few enough to sum from the orders.
    pub fn booked(&mut self, day: NaiveDate, sign: i64, value: i64) {
        let f = Figures {
            orders: sign,
            booked: sign * value,
            ..Figures::default()
        };
        self.add(Dim::All, 0, day, f);
    }

    /// Adds the changes to what write unit `w` adds to the summaries at commit.
    pub fn add_to(self, w: &mut Write) {
        for ((dim, id, day), f) in self.0 {
            let key = vec![Key::Word(dim.as_str()), Key::Id(id), Key::Day(day)];
            w.tally().add(&TALLY, key, &f.values());
        }
    }
}

/// The summed figures of the `dim` rows from `from` to `to` (of `only` that id, if given),
/// grouped by day (`by_day`: day numbers since 1970) or else by id.
pub async fn read(
    db: &DatabaseConnection,
    dim: Dim,
    (from, to): (NaiveDate, NaiveDate),
    only: Option<i64>,
    by_day: bool,
) -> AppResult<HashMap<i64, Figures>> {
    let key = if by_day { "day" } else { "dim_id" };
    let mut q = Query::select();
    q.expr_as(Expr::col(Alias::new(key)), Alias::new("k"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("dim")).eq(dim.as_str()))
        .and_where(Expr::col(Alias::new("day")).gte(from))
        .and_where(Expr::col(Alias::new("day")).lte(to))
        .group_by_col(Alias::new("k"));
    // Rankings read what the ranking index holds (no orders there), so no row is visited.
    let read = if by_day { &COLUMNS[..] } else { &COLUMNS[..4] };
    for c in read {
        q.expr_as(sum(Expr::col(Alias::new(*c))), Alias::new(*c));
    }
    if let Some(id) = only {
        q.and_where(Expr::col(Alias::new("dim_id")).eq(id));
    }
    let mut out = HashMap::new();
    for r in db.query_all(&q).await.or_internal("sales summary")? {
        let k = match by_day {
            true => local_day::number(r.try_get("", "k").or_internal("sales summary")?),
            false => r.try_get("", "k").or_internal("sales summary")?,
        };
        let mut v = [0i64; 6];
        for (slot, c) in v.iter_mut().zip(read) {
            let n: Option<i64> = r.try_get("", c).or_internal("sales summary")?;
            *slot = n.unwrap_or(0);
        }
        let [invoiced, credited, tax, quantity, orders, booked] = v;
        let f = Figures {
            invoiced,
            credited,
            tax,
            quantity,
            orders,
            booked,
        };
        out.insert(k, f);
    }
    Ok(out)
}

/// Net sales (invoiced less credited) of every day from `from` to `to` that has any: the
/// dashboard's months. One summed column read by position: the dashboard once spent more on
/// reading the six of `read` by name, a year of days each time, than on all its queries.
pub async fn net_by_day(
    db: &DatabaseConnection,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<Vec<(NaiveDate, i64)>> {
    let c = |name: &str| Expr::col(Alias::new(name));
    let mut q = Query::select();
    q.expr(c("day"))
        .expr(sum(c("invoiced").sub(c("credited"))))
        .from(Alias::new(TABLE))
        .and_where(c("dim").eq(Dim::All.as_str()))
        .and_where(c("day").gte(from))
        .and_where(c("day").lte(to))
        .group_by_col(Alias::new("day"));
    let rows = db.query_all(&q).await.or_internal("sales summary")?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let day: NaiveDate = r.try_get_by_index(0).or_internal("sales summary")?;
        let net: Option<i64> = r.try_get_by_index(1).or_internal("sales summary")?;
        out.push((day, net.unwrap_or(0)));
    }
    Ok(out)
}

/// A ranking: the first ids by net (invoiced less credited), most first, and how many had
/// anything invoiced or credited.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub top: Vec<(i64, Figures)>,
    pub count: usize,
}

impl Ranking {
    /// The first `n` of `sums`.
    pub fn of(sums: HashMap<i64, Figures>, n: usize) -> Self {
        let mut all: Vec<(i64, Figures)> = sums
            .into_iter()
            .filter(|(_, s)| s.invoiced != 0 || s.credited != 0 || s.tax != 0 || s.quantity != 0)
            .collect();
        let count = all.len();
        let net = |s: &Figures| s.invoiced - s.credited;
        all.sort_by(|a, b| net(&b.1).cmp(&net(&a.1)).then(a.0.cmp(&b.0)));
        all.truncate(n);
        Self { top: all, count }
    }
}

/// Rankings summed before, by (dim, period), while the period's days of the business rows
/// took no addition: every change in the period adds to its day's business row.
static RANKINGS: Memo<(Dim, NaiveDate, NaiveDate), Ranking> = Memo::new(64);

/// The first `n` clients or products (`dim`) by net over `days`, or only `only`. A ranking
/// over the whole period sums every client's or product's days (hundreds of thousands of
/// rows a year), so it is kept while the period's stamp stays the same.
pub async fn ranked(
    db: &DatabaseConnection,
    dim: Dim,
    days: (NaiveDate, NaiveDate),
    only: Option<i64>,
    n: usize,
) -> AppResult<Ranking> {
    if only.is_some() {
        return Ok(Ranking::of(read(db, dim, days, only, false).await?, n));
    }
    let key = (dim, days.0, days.1);
    let print = stamp(db, &TALLY, |q| {
        q.and_where(Expr::col(Alias::new("dim")).eq(Dim::All.as_str()))
            .and_where(Expr::col(Alias::new("day")).gte(days.0))
            .and_where(Expr::col(Alias::new("day")).lte(days.1));
    })
    .await?;
    if let Some(mut ranking) = RANKINGS.get(&key, &print)
        && ranking.top.len() >= n.min(ranking.count)
    {
        ranking.top.truncate(n);
        return Ok(ranking);
    }
    let ranking = Ranking::of(read(db, dim, days, None, false).await?, n);
    RANKINGS.put(key, print, ranking.clone());
    Ok(ranking)
}

fn col(table: &str, c: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(c)))
}

/// The figures in `COLUMNS` order, zero where a source has none.
fn figures(given: &[(&str, Expr)]) -> Vec<Expr> {
    COLUMNS
        .iter()
        .map(|c| {
            given
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, e)| e.clone())
                .unwrap_or_else(|| Expr::val(0i64))
        })
        .collect()
}

/// A source's SELECT: `dim`, the id column (or 0), the day, then the figures; grouped by id
/// and day; every source has a WHERE (SQLite's upsert after a SELECT needs one).
fn select(
    dim: Dim,
    id: Option<Expr>,
    day: Expr,
    given: &[(&str, Expr)],
    shape: impl FnOnce(&mut SelectStatement),
) -> SelectStatement {
    let grouped = id.is_some();
    let keys = vec![
        (Expr::val(dim.as_str()), false),
        (id.unwrap_or_else(|| Expr::val(0i64)), grouped),
        (day, true),
    ];
    tally::source(keys, figures(given), shape)
}

/// Every source of the summary: invoices and credit notes, each for the whole business, by
/// client and by product; and the orders booked, for the whole business.
pub fn sources(backend: sea_orm::DatabaseBackend, zone: &Zone) -> Vec<SelectStatement> {
    let mut out = Vec::new();
    let (inv, cn, cnl, il) = (
        "invoices",
        "credit_notes",
        "credit_note_lines",
        "invoice_lines",
    );
    let issued = |q: &mut SelectStatement| {
        q.from(Alias::new(inv))
            .and_where(col(inv, "status").ne("draft"));
    };
    let invoiced = [
        ("invoiced", sum(col(inv, "net"))),
        ("tax", sum(col(inv, "tax"))),
    ];
    out.push(select(
        Dim::All,
        None,
        col(inv, "issue_date"),
        &invoiced,
        issued,
    ));
    out.push(select(
        Dim::Client,
        Some(col(inv, "client_id")),
        col(inv, "issue_date"),
        &invoiced,
        issued,
    ));
    let lines = [
        ("invoiced", sum(col(il, "net"))),
        ("tax", sum(col(il, "tax"))),
        ("quantity", sum(col(il, "quantity"))),
    ];
    out.push(select(
        Dim::Product,
        Some(col(il, "product_id")),
        col(inv, "issue_date"),
        &lines,
        |q| {
            issued(q);
            q.inner_join(
                Alias::new(il),
                col(il, "invoice_id").equals((Alias::new(inv), Alias::new("id"))),
            );
        },
    ));
    let credit = |q: &mut SelectStatement| {
        q.from(Alias::new(cn)).and_where(col(cn, "id").gt(0));
    };
    let credited = [
        ("credited", sum(col(cn, "net"))),
        ("tax", sum(col(cn, "tax")).mul(-1)),
    ];
    out.push(select(
        Dim::All,
        None,
        col(cn, "issue_date"),
        &credited,
        credit,
    ));
    out.push(select(
        Dim::Client,
        Some(col(cn, "client_id")),
        col(cn, "issue_date"),
        &credited,
        credit,
    ));
    let credited_lines = [
        ("credited", sum(col(cnl, "net"))),
        ("tax", sum(col(cnl, "tax")).mul(-1)),
        ("quantity", sum(col(cnl, "quantity")).mul(-1)),
    ];
    out.push(select(
        Dim::Product,
        Some(col(il, "product_id")),
        col(cn, "issue_date"),
        &credited_lines,
        |q| {
            credit(q);
            q.inner_join(
                Alias::new(cnl),
                col(cnl, "credit_note_id").equals((Alias::new(cn), Alias::new("id"))),
            )
            .inner_join(
                Alias::new(il),
                col(il, "id").equals((Alias::new(cnl), Alias::new("invoice_line_id"))),
            );
        },
    ));
    // Orders on the business day they were entered.
    let o = "orders";
    let day = local_day::date_of(backend, zone, col(o, "created_at"));
    let booked_orders = |q: &mut SelectStatement| {
        q.from(Alias::new(o))
            .and_where(col(o, "status").is_not_in(["draft", "cancelled"]));
    };
    let orders = [
        ("orders", col(o, "id").count()),
        ("booked", sum(col(o, "total"))),
    ];
    out.push(select(Dim::All, None, day, &orders, booked_orders));
    out
}
