//! The stock list (search by SKU or name, low-stock filter, sort, keyset pages) and a
//! product's movement history and stock-level series.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use super::{
    HISTORY_PAGE, LevelPoint, MovementPage, MovementRow, OrderRef, StockPage, StockQuery, StockSort,
};
use crate::error::{AppError, AppResult, OrInternal};
use crate::paging::PageQuery;
use crate::server::db::contains;
use crate::server::entities::{order, product, stock_movement};
use crate::server::keyset::{self, Sorted};
use crate::users::service::display_names;

/// Products per page of the stock list.
pub const PAGE_SIZE: u64 = 50;

fn available() -> Expr {
    Expr::col((product::Entity, product::Column::OnHand))
        .sub(Expr::col((product::Entity, product::Column::Reserved)))
}

/// `rules::is_low`, in SQL.
pub(crate) fn low() -> Expr {
    available().lte(Expr::col((product::Entity, product::Column::ReorderLevel)))
}

fn filtered(q: &StockQuery) -> Select<product::Entity> {
    let mut select = product::Entity::find().filter(product::Column::Active.eq(!q.archived));
    let text = q.q.trim().to_lowercase();
    if !text.is_empty() {
        select = select.filter(
            Condition::any()
                .add(product::Column::SkuKey.like(contains(&text)))
                .add(product::Column::NameKey.like(contains(&text))),
        );
    }
    if q.low {
        select = select.filter(low());
    }
    select
}

/// The list's order: by name, SKU or available stock, each rising.
fn sorted(sort: StockSort) -> Sorted<product::Entity> {
    use product::Column as P;
    let key = match sort {
        StockSort::Name => Expr::col(P::NameKey.as_column_ref()),
        StockSort::Sku => Expr::col(P::SkuKey.as_column_ref()),
        StockSort::Available => available(),
    };
    Sorted {
        keys: vec![key],
        id: P::Id,
        id_of: |p| p.id,
        dir: Order::Asc,
    }
}

pub async fn page(db: &DatabaseConnection, q: &StockQuery) -> AppResult<StockPage> {
    let page = keyset::page(db, filtered(q), &sorted(q.sort), q.at(), PAGE_SIZE).await?;
    Ok(page.map(super::service::to_dto))
}

/// Active products at or below their reorder level: the navigation badge.
pub async fn low_count(db: &DatabaseConnection) -> AppResult<u64> {
    product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .filter(low())
        .count(db)
        .await
        .or_internal("stock list")
}

/// A product's movements, newest first, `HISTORY_PAGE` at a time, with who made each and the
/// on-hand level right after it (worked back from the current total).
pub async fn history(
    db: &DatabaseConnection,
    product_id: i64,
    before: Option<i64>,
    changes_only: bool,
) -> AppResult<MovementPage> {
    use stock_movement::Column as M;
    let p = product::Entity::find_by_id(product_id)
        .one(db)
        .await
        .or_internal("stock list")?
        .ok_or_else(|| AppError::NotFound(format!("product {product_id}")))?;
    // The level after the newest movement shown is today's total minus what came later.
    let mut level = p.on_hand;
    if let Some(b) = before {
        let later: Option<i64> = stock_movement::Entity::find()
            .select_only()
            // PostgreSQL sums BIGINT into NUMERIC; cast back so both databases return i64.
            .column_as(
                Expr::col(M::DeltaOnHand)
                    .sum()
                    .cast_as(sea_orm::sea_query::Alias::new("BIGINT")),
                "s",
            )
            .filter(M::ProductId.eq(product_id))
            .filter(M::Id.gte(b))
            .into_tuple()
            .one(db)
            .await
            .or_internal("stock list")?
            .flatten();
        level -= later.unwrap_or(0);
    }
    let mut select = stock_movement::Entity::find().filter(M::ProductId.eq(product_id));
    if let Some(b) = before {
        select = select.filter(M::Id.lt(b));
    }
    // Leaving out movements of reservations only changes no level shown: they move none.
    if changes_only {
        select = select.filter(M::DeltaOnHand.ne(0));
    }
    let mut rows = select
        .order_by_desc(M::Id)
        .limit(HISTORY_PAGE + 1)
        .all(db)
        .await
        .or_internal("stock list")?;
    let more = rows.len() as u64 > HISTORY_PAGE;
    rows.truncate(HISTORY_PAGE as usize);
    let next = rows.last().map(|m| m.id).filter(|_| more);
    let (rows, _) = movement_rows(db, rows, level).await?;
    Ok(MovementPage { rows, next })
}

/// Ledger rows, newest first, as lists show them: `level` is the stock on hand after the
/// first; answers the rows and the level before the last (after the one that follows it).
pub(super) async fn movement_rows(
    db: &DatabaseConnection,
    rows: Vec<stock_movement::Model>,
    mut level: i64,
) -> AppResult<(Vec<MovementRow>, i64)> {
    let names = display_names(db, rows.iter().filter_map(|m| m.user_id)).await?;
    let numbers = order_numbers(db, rows.iter().filter_map(|m| m.order_id)).await?;
    let rows = rows
        .into_iter()
        .map(|m| {
            let row = MovementRow {
                id: m.id,
                at: m.at,
                // The column's CHECK admits only the kinds there are.
                kind: m.kind,
                delta_on_hand: m.delta_on_hand,
                delta_reserved: m.delta_reserved,
                unit_cost: m.unit_cost.map(crate::money::Money),
                order: m.order_id.and_then(|id| {
                    let number = numbers.get(&id)?.clone();
                    Some(OrderRef { id, number })
                }),
                reference: m.reference,
                reason: m.reason,
                note: m.note,
                user: m.user_id.and_then(|id| names.get(&id).cloned()),
                on_hand_after: level,
            };
            level -= m.delta_on_hand;
            row
        })
        .collect();
    Ok((rows, level))
}

/// The numbers of these orders, by id.
async fn order_numbers(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::Number)
        .filter(order::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .or_internal("stock list")?;
    Ok(rows.into_iter().collect())
}

/// The on-hand level after each of the product's last `points` movements, oldest first, for
/// the chart: one query for those movements, worked back from today's total.
pub async fn levels(
    db: &DatabaseConnection,
    product_id: i64,
    points: u64,
) -> AppResult<Vec<LevelPoint>> {
    use stock_movement::Column as M;
    let p = product::Entity::find_by_id(product_id)
        .one(db)
        .await
        .or_internal("stock list")?
        .ok_or_else(|| AppError::NotFound(format!("product {product_id}")))?;
    let newest_first: Vec<(chrono::DateTime<chrono::Utc>, i64)> = stock_movement::Entity::find()
        .select_only()
        .column(M::At)
        .column(M::DeltaOnHand)
        .filter(M::ProductId.eq(product_id))
        .order_by_desc(M::Id)
        .limit(points)
        .into_tuple()
        .all(db)
        .await
        .or_internal("stock list")?;
    let mut level = p.on_hand;
    let mut out: Vec<LevelPoint> = newest_first
        .into_iter()
        .map(|(at, delta)| {
            let point = LevelPoint { at, on_hand: level };
            level -= delta;
            point
        })
        .collect();
    out.reverse();
    Ok(out)
}
