//! The invoice list: search by number (`sequence::search`), filters (status or the derived
//! open and overdue, client, issue and due date ranges), newest first (by issue or due date
//! when a range of it is asked for) in keyset pages with a capped count, and the outstanding
//! total of everything the filters match.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QuerySelect, Select,
};

use super::read::{open, open_for_sums, row, sum, without_documents};
use super::{InvoiceFilter, InvoicePage, InvoiceQuery, PAGE_SIZE};
use crate::error::{AppError, AppResult, OrInternal};
use crate::input::parse_date_range;
use crate::money::Money;
use crate::paging::PageQuery;
use crate::server::entities::invoice;
use crate::server::keyset::{self, Sorted};
use crate::server::sequence;

use invoice::Column as I;

/// The invoices `q` asks for, on the business's `today` (overdue).
pub(super) fn filtered(
    select: Select<invoice::Entity>,
    q: &InvoiceQuery,
    today: NaiveDate,
) -> AppResult<Select<invoice::Entity>> {
    let mut select = sequence::search(select, &q.q, "INV", I::Seq, I::Number);
    select = match q.status {
        Some(InvoiceFilter::Is(s)) => select.filter(I::Status.eq(s)),
        Some(InvoiceFilter::Open) => select.filter(open()),
        Some(InvoiceFilter::Overdue) => select.filter(open()).filter(I::DueDate.lt(today)),
        None => select,
    };
    if let Some(c) = q.client {
        select = select.filter(I::ClientId.eq(c));
    }
    let (from, to) = parse_date_range(&q.from, &q.to).map_err(|e| AppError::fields(vec![e]))?;
    let due = parse_date_range(&q.due_from, &q.due_to).map_err(|mut e| {
        e.field = format!("due_{}", e.field);
        AppError::fields(vec![e])
    })?;
    for (col, (from, to)) in [(I::IssueDate, (from, to)), (I::DueDate, due)] {
        if let Some(f) = from {
            select = select.filter(col.gte(f));
        }
        if let Some(t) = to {
            select = select.filter(col.lte(t));
        }
    }
    Ok(select)
}

/// Newest first: by number (id), or within an issue or due date range by that date, so the
/// range's own index gives the order and nothing is sorted.
pub(super) fn sorted(q: &InvoiceQuery) -> Sorted<invoice::Entity> {
    let id_of = |m: &invoice::Model| m.id;
    let ranged = |from: &str, to: &str| !from.trim().is_empty() || !to.trim().is_empty();
    if ranged(&q.from, &q.to) {
        Sorted::by(I::IssueDate, I::Id, id_of, Order::Desc)
    } else if ranged(&q.due_from, &q.due_to) {
        Sorted::by(I::DueDate, I::Id, id_of, Order::Desc)
    } else {
        Sorted {
            keys: Vec::new(),
            id: I::Id,
            id_of,
            dir: Order::Desc,
        }
    }
}

pub async fn page(
    db: &DatabaseConnection,
    today: NaiveDate,
    q: &InvoiceQuery,
) -> AppResult<InvoicePage> {
    let select = filtered(without_documents(), q, today)?;
    let sorted = sorted(q);
    let page = keyset::page(db, select, &sorted, q.at(), PAGE_SIZE).await?;
    let names = crate::clients::service::names(db, page.rows.iter().map(|m| m.client_id)).await?;
    Ok(page.map(|m| row(m, &names, today)))
}

/// What is still due on the open invoices `q` matches, on every page.
pub async fn outstanding(
    db: &DatabaseConnection,
    today: NaiveDate,
    q: &InvoiceQuery,
) -> AppResult<Money> {
    let select = invoice::Entity::find()
        .select_only()
        .column_as(sum(sea_orm::sea_query::Expr::col(I::Balance)), "s")
        .filter(open_for_sums());
    let due: Option<Option<i64>> = filtered(select, q, today)?
        .into_tuple()
        .one(db)
        .await
        .or_internal("invoices")?;
    Ok(Money(due.flatten().unwrap_or(0)))
}
