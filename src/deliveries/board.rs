//! The delivery board on the server: open deliveries (or one status), late ones first, then
//! by the order's priority and the scheduled date (the way Odoo orders its transfers), with
//! filters and keyset pages; delivered and cancelled ones newest first; and the count of late
//! deliveries for the navigation badge.
//!
//! "Late" is scheduled before today and still open, so it depends on the day: it is a sort key
//! computed by the database, which the keyset pager also uses to read where a page starts.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter, QuerySelect,
    Select,
};

use super::{BoardPage, BoardQuery, BoardRow, DeliveryStatus, PAGE_SIZE};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::input::parse_date_range;
use crate::orders::Priority;
use crate::paging::PageQuery;
use crate::server::entities::{delivery, order};
use crate::server::keyset::{self, Sorted};

use delivery::Column as D;

/// The statuses still to be handed over, as stored words.
fn open() -> Vec<&'static str> {
    DeliveryStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect()
}

/// 0 for a late delivery (open, scheduled before `today`), 1 otherwise.
fn late_first(today: NaiveDate) -> SimpleExpr {
    Expr::case(
        Expr::col(D::Status)
            .is_in(open())
            .and(Expr::col(D::ScheduledDate).lt(today)),
        0,
    )
    .finally(1)
    .into()
}

/// Urgent 0, high 1, normal 2, low 3.
fn most_urgent_first() -> SimpleExpr {
    let mut case = Expr::case(Expr::col(D::Priority).eq(Priority::Urgent.as_str()), 0);
    for (p, rank) in [(Priority::High, 1), (Priority::Normal, 2)] {
        case = case.case(Expr::col(D::Priority).eq(p.as_str()), rank);
    }
    case.finally(3).into()
}

/// The deliveries `q` asks for; `today` is the business's.
fn filtered(q: &BoardQuery, today: NaiveDate) -> AppResult<Select<delivery::Entity>> {
    let mut select = delivery::Entity::find();
    select = match q.status {
        Some(s) => select.filter(D::Status.eq(s.as_str())),
        None => select.filter(D::Status.is_in(open())),
    };
    let (from, to) = if q.today {
        (Some(today), Some(today))
    } else {
        parse_date_range(&q.from, &q.to).map_err(|e| AppError::fields(vec![e]))?
    };
    if let Some(f) = from {
        select = select.filter(D::ScheduledDate.gte(f));
    }
    if let Some(t) = to {
        select = select.filter(D::ScheduledDate.lte(t));
    }
    let driver = q.driver.trim().to_lowercase();
    if !driver.is_empty() {
        let pattern = format!("%{}%", driver.replace(['%', '_'], ""));
        select = select.filter(Expr::expr(Func::lower(Expr::col(D::Carrier))).like(pattern));
    }
    if let Some(c) = q.client {
        select = select.filter(D::ClientId.eq(c));
    }
    Ok(select)
}

/// Open deliveries: late first, then the order's priority, then the date. A delivered or
/// cancelled one is history: newest first, straight from the (status, date) index, however
/// many there are.
fn sorted(q: &BoardQuery, today: NaiveDate) -> Sorted<delivery::Entity> {
    let (keys, dir) = match q.status {
        Some(s) if !s.is_open() => (vec![Expr::col(D::ScheduledDate)], Order::Desc),
        _ => (
            vec![
                late_first(today),
                most_urgent_first(),
                Expr::col(D::ScheduledDate),
            ],
            Order::Asc,
        ),
    };
    Sorted {
        keys,
        id: D::Id,
        id_of: |d| d.id,
        dir,
    }
}

pub async fn page(
    db: &DatabaseConnection,
    today: NaiveDate,
    q: &BoardQuery,
) -> AppResult<BoardPage> {
    let sorted = sorted(q, today);
    let page = keyset::page(db, filtered(q, today)?, &sorted, q.at(), PAGE_SIZE).await?;
    let order_ids = page.rows.iter().map(|d| d.order_id);
    let numbers: HashMap<i64, String> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::Number)
        .filter(order::Column::Id.is_in(order_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
        .or_internal("delivery board")?
        .into_iter()
        .collect();
    let names = crate::clients::service::names(db, page.rows.iter().map(|d| d.client_id)).await?;
    Ok(page.map(|d| BoardRow {
        late: d.status.is_open() && d.scheduled_date < today,
        order_number: numbers.get(&d.order_id).cloned().unwrap_or_default(),
        client_name: names.get(&d.client_id).cloned().unwrap_or_default(),
        id: d.id,
        number: d.number,
        order_id: d.order_id,
        client_id: d.client_id,
        status: d.status,
        priority: d.priority,
        scheduled_date: d.scheduled_date,
        window_from: d.window_from,
        window_to: d.window_to,
        address: d.address,
        carrier: d.carrier,
    }))
}

/// How many open deliveries are past their date: a range on (status, scheduled_date) per open
/// status.
pub async fn late_count(db: &DatabaseConnection, today: NaiveDate) -> AppResult<u64> {
    delivery::Entity::find()
        .filter(D::Status.is_in(open()))
        .filter(D::ScheduledDate.lt(today))
        .count(db)
        .await
        .or_internal("late deliveries")
}
