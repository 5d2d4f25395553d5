//! The order list: search by number, filters (status, client, priority, date range), three
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

use order::Column as O;

/// What a number search means: digits alone are the running part ("42" finds SO-2026-00042
/// and SO-2025-00042); anything else is the start of a number ("SO-2026-0004",
/// "2026-0004"), matched as an index range.
enum NumberSearch {
    Seq(i64),
    Prefix(String),
}

fn number_search(q: &str) -> Option<NumberSearch> {
    let t = q.trim().to_uppercase();
    if t.is_empty() {
        return None;
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return Some(match t.parse() {
            Ok(n) => NumberSearch::Seq(n),
            Err(_) => NumberSearch::Prefix(t),
        });
    }
    let t = if t.starts_with(|c: char| c.is_ascii_digit()) {
        format!("SO-{t}")
    } else {
        t
    };
    Some(NumberSearch::Prefix(t))
}

/// The first string after every string starting with `prefix` (its last character bumped),
/// so a prefix search is the index range `[prefix, upper)` on both databases.
fn prefix_upper(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    if let Some(last) = chars.pop() {
        chars.push(char::from_u32(last as u32 + 1).unwrap_or(char::MAX));
    }
    chars.into_iter().collect()
}

/// The orders `q` asks for; its days are the business's (`zone`).
fn filtered(q: &OrderQuery, zone: &Zone) -> AppResult<Select<order::Entity>> {
    let mut select = order::Entity::find();
    match number_search(&q.q) {
        Some(NumberSearch::Seq(n)) => select = select.filter(O::Seq.eq(n)),
        Some(NumberSearch::Prefix(p)) => {
            select = select
                .filter(O::Number.gte(p.clone()))
                .filter(O::Number.lt(prefix_upper(&p)))
        }
        None => {}
    }
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
fn sorted(sort: OrderSort) -> Sorted<order::Entity> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_searches() {
        assert!(matches!(number_search(" 42 "), Some(NumberSearch::Seq(42))));
        let prefix = |q| match number_search(q) {
            Some(NumberSearch::Prefix(p)) => p,
            _ => panic!("not a prefix: {q}"),
        };
        assert_eq!(prefix("so-2026-0004"), "SO-2026-0004");
        assert_eq!(prefix("2026-0004"), "SO-2026-0004");
        assert!(number_search("  ").is_none());
        assert_eq!(prefix_upper("SO-2026-0004"), "SO-2026-0005");
    }
}
