//! The order list: search by number (`sequence::search`), filters (status, client, priority, date range), three
//! orders, keyset pages and a capped count — each filter served by an index that ends in the
//! list's `(created_at, id)` keyset (migration 6).

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, Select};

use super::{OrderPage, OrderQuery, OrderRow, OrderSort, PAGE_SIZE};
use crate::business::Zone;
use crate::choice::Choice;
use crate::error::{AppError, AppResult};
use crate::input::parse_date_range;
use crate::money::Money;
use crate::paging::PageQuery;
use crate::server::entities::order;
use crate::server::keyset::{self, Sorted};
use crate::server::sequence;

use order::Column as O;

/// The orders `q` asks for; its days are the business's (`zone`).
pub(super) fn filtered(q: &OrderQuery, zone: &Zone) -> AppResult<Select<order::Entity>> {
    let mut select = sequence::search(order::Entity::find(), &q.q, "SO", O::Seq, O::Number);
    if let Some(s) = q.status {
        select = select.filter(O::Status.eq(s.as_str()));
    }
    if let Some(c) = q.client {
        select = select.filter(O::ClientId.eq(c));
    }
    if let Some(p) = q.priority {
        select = select.filter(O::Priority.eq(p.as_str()));
    }
    let (from, to) = parse_date_range(&q.from, &q.to).map_err(|e| AppError::fields(vec![e]))?;
    if let Some(f) = from {
        select = select.filter(O::CreatedAt.gte(zone.start_of(f)));
    }
    if let Some(t) = to.and_then(|t| t.succ_opt()) {
        select = select.filter(O::CreatedAt.lt(zone.start_of(t)));
    }
    Ok(select)
}

/// The list's order: by date entered, or by total.
pub(super) fn sorted(sort: OrderSort) -> Sorted<order::Entity> {
    let (key, dir) = match sort {
        OrderSort::Newest => (O::CreatedAt, Order::Desc),
        OrderSort::Oldest => (O::CreatedAt, Order::Asc),
        OrderSort::Largest => (O::Total, Order::Desc),
    };
    Sorted::by(key, O::Id, |m: &order::Model| m.id, dir)
}

pub async fn page(db: &DatabaseConnection, zone: &Zone, q: &OrderQuery) -> AppResult<OrderPage> {
    let select = filtered(q, zone)?;
    let page = keyset::page(db, select, &sorted(q.sort), q.at(), PAGE_SIZE).await?;
    let rows = &page.rows;
    let names = crate::clients::service::names(db, rows.iter().map(|r| r.client_id)).await?;
    Ok(page.map(|m| OrderRow {
        id: m.id,
        client_name: names.get(&m.client_id).cloned().unwrap_or_default(),
        number: m.number,
        client_id: m.client_id,
        status: m.status,
        priority: m.priority,
        requested_date: m.requested_date,
        total: Money(m.total),
        created_at: m.created_at,
    }))
}
