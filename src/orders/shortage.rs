//! Reserved stock lost from the shelf, and owed again once it arrives.
//!
//! Breakage or loss may cut into what orders hold: the shelf is what it is, and the books
//! must follow it. Whatever reservation the loss needs is then given up by open orders,
//! lowest priority and newest first. The reservation is released in the ledger, and the
//! line's `uncovered` counts what the order is owed. Units on a scheduled delivery are never
//! taken: they are on a van or about to be. When stock arrives (a receipt, or found on a
//! count), the owed lines are reserved again, most urgent and oldest first, in the same
//! transaction. So 0 ≤ reserved ≤ on hand holds throughout, and each order's reservation
//! stays the sum of its movements.
//!
//! Locks follow ARCHITECTURE.md, "Writes": the orders concerned are locked before the
//! product (`prepare`, then the caller locks the product, then `settle`).

use std::cmp::Reverse;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{ENTITY, OrderStatus, Priority, ShortOrder};
use crate::audit::{Actor, Event};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::entities::{client, order, order_line, product};
use crate::server::write::Write;
use crate::stock::MovementKind;
use crate::stock::ledger::{Movement, Source};

const UNCOVERED: Event = Event::new(ENTITY, "order.stock_lost");
const COVERED: Event = Event::new(ENTITY, "order.stock_reserved_again");

/// The statuses whose lines hold stock.
const OPEN: [OrderStatus; 2] = [OrderStatus::Confirmed, OrderStatus::PartiallyDelivered];

/// A line of an open order of one product: what it could give up, and what it is owed.
#[derive(Debug, Clone)]
pub struct Held {
    line_id: i64,
    order_id: i64,
    number: String,
    priority: Priority,
    /// Reserved and not on a delivery: quantity − delivered − scheduled − uncovered.
    releasable: i64,
    uncovered: i64,
}

/// What a movement of a product's stock does to the orders holding it, decided before the
/// product is locked: which lines may give up their reservation, or be owed it again.
pub struct Candidates {
    lines: Vec<Held>,
    /// The lines are owed stock (rather than able to give it up).
    owed: bool,
}

/// The open orders' lines of `product_id`; with `owed`, only those owed stock (the partial
/// index's literal condition).
async fn lines_of(db: &impl ConnectionTrait, product_id: i64, owed: bool) -> AppResult<Vec<Held>> {
    let (l, o) = (order_line::Entity, order::Entity);
    use order::Column as O;
    use order_line::Column as L;
    let mut q = Query::select();
    q.columns([
        (l, L::Id),
        (l, L::OrderId),
        (l, L::Quantity),
        (l, L::Delivered),
        (l, L::Scheduled),
        (l, L::Uncovered),
    ])
    .columns([(o, O::Number), (o, O::Priority)])
    .from(l)
    .inner_join(o, Expr::col((o, O::Id)).equals((l, L::OrderId)))
    .and_where(Expr::col((l, L::ProductId)).eq(product_id))
    .and_where(Expr::col((o, O::Status)).is_in(OPEN));
    if owed {
        q.and_where(Expr::cust("order_lines.uncovered > 0"));
    }
    let mut out = Vec::new();
    for r in db.query_all(&q).await.or_internal("orders")? {
        let get = |c: &str| -> AppResult<i64> { r.try_get("", c).or_internal("orders") };
        let (quantity, delivered, scheduled, uncovered) = (
            get("quantity")?,
            get("delivered")?,
            get("scheduled")?,
            get("uncovered")?,
        );
        let priority: String = r.try_get("", "priority").or_internal("orders")?;
        out.push(Held {
            line_id: get("id")?,
            order_id: get("order_id")?,
            number: r.try_get("", "number").or_internal("orders")?,
            priority: Priority::parse(&priority).unwrap_or_default(),
            releasable: quantity - delivered - scheduled - uncovered,
            uncovered,
        });
    }
    Ok(out)
}

fn rank(p: Priority) -> usize {
    Priority::ALL.iter().position(|&q| q == p).unwrap_or(0)
}

/// Before `product` (as read, unlocked) moves by `delta_on_hand`: the lines that may give up
/// or get back stock, their orders locked in id order. `None` when the move touches no order.
pub async fn prepare(
    w: &Write,
    product: &product::Model,
    delta_on_hand: i64,
) -> AppResult<Option<Candidates>> {
    let after = product.on_hand.saturating_add(delta_on_hand);
    // Below zero is refused by the ledger whatever orders hold.
    let cuts = delta_on_hand < 0 && (0..product.reserved).contains(&after);
    let mut lines = match (cuts, delta_on_hand >= 0) {
        (true, _) => lines_of(&**w, product.id, false).await?,
        (false, true) => lines_of(&**w, product.id, true).await?,
        _ => return Ok(None),
    };
    if cuts {
        // Given up by the least urgent, and among them the newest.
        lines.retain(|h| h.releasable > 0);
        lines.sort_by_key(|h| (rank(h.priority), Reverse(h.order_id)));
    } else {
        // Owed back to the most urgent, and among them the oldest.
        lines.sort_by_key(|h| (Reverse(rank(h.priority)), h.order_id));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let mut ids: Vec<i64> = lines.iter().map(|h| h.order_id).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        super::service::lock(w, Expr::val(id)).await?;
    }
    Ok(Some(Candidates { lines, owed: !cuts }))
}

/// What `settle` decided.
pub enum Settled {
    /// The orders' movements to apply with the move (none when it touches no order).
    Moves(Vec<Movement<'static>>),
    /// The lines prepared no longer fit the product as locked (another write moved it
    /// between the read and the lock): roll back and start again.
    Stale,
    /// This much of a loss could only come from stock already on deliveries.
    Short(i64),
}

/// With `product` locked as it is now, and about to move by `delta_on_hand`: the ledger
/// movements that give up (or reserve again) orders' stock, applied by the caller in the same
/// `ledger::apply_all` as the move; each line's `uncovered` follows, and each order affected
/// gets an audit event.
pub async fn settle(
    w: &mut Write,
    actor: Actor,
    product: &product::Model,
    delta_on_hand: i64,
    candidates: Option<Candidates>,
) -> AppResult<Settled> {
    let after = product.on_hand.saturating_add(delta_on_hand);
    if after < 0 {
        // The ledger refuses it, in its own words.
        return Ok(Settled::Moves(Vec::new()));
    }
    let short = product.reserved - after;
    let owed = candidates.as_ref().map(|c| c.owed);
    let lines = candidates.map(|c| c.lines).unwrap_or_default();
    if short > 0 {
        if owed != Some(false) {
            return Ok(Settled::Stale);
        }
        let taken = take(w, actor, product, &lines, short).await?;
        let left = short - taken.iter().map(|m| -m.delta_reserved).sum::<i64>();
        return Ok(match left {
            0 => Settled::Moves(taken),
            _ => Settled::Short(left),
        });
    }
    let free = after - product.reserved;
    if free <= 0 || delta_on_hand < 0 {
        return Ok(Settled::Moves(Vec::new()));
    }
    match owed {
        Some(true) => Ok(Settled::Moves(give(w, actor, product, &lines, free).await?)),
        // Owed lines that appeared since they were looked for.
        _ if !lines_of(&**w, product.id, true).await?.is_empty() => Ok(Settled::Stale),
        _ => Ok(Settled::Moves(Vec::new())),
    }
}

/// The 409 of a loss that needs `left` units already on deliveries.
pub fn refusal(product: &product::Model, left: i64) -> AppError {
    AppError::Conflict(format!(
        "{} ({}): {} {unit} are reserved, and {left} {unit} of this loss would come from stock \
         already on deliveries; record it when the delivery comes back, or cancel the \
         delivery first",
        product.name,
        product.sku,
        product.reserved,
        unit = product.unit
    ))
}

/// One movement of order `h`'s reservation of `product` by `delta`.
fn moved(h: &Held, product: &product::Model, actor: Actor, delta: i64) -> Movement<'static> {
    Movement {
        product_id: product.id,
        kind: if delta < 0 {
            MovementKind::Release
        } else {
            MovementKind::Reservation
        },
        delta_on_hand: 0,
        delta_reserved: delta,
        unit_cost: None,
        source: Source::Order(h.order_id),
        reference: "",
        reason: None,
        note: "",
        by: Some(actor),
    }
}

/// Changes line `id`'s `uncovered` by `delta`, if it still allows it (the order is locked,
/// but a delivery of it may have been scheduled since the lines were read).
async fn owe(w: &Write, id: i64, delta: i64) -> AppResult<bool> {
    use order_line::Column as L;
    let room = Expr::col(L::Quantity)
        .sub(Expr::col(L::Delivered))
        .sub(Expr::col(L::Scheduled))
        .sub(Expr::col(L::Uncovered));
    let mut q = order_line::Entity::update_many()
        .col_expr(L::Uncovered, Expr::col(L::Uncovered).add(delta))
        .filter(L::Id.eq(id));
    q = match delta > 0 {
        true => q.filter(room.gte(delta)),
        false => q.filter(L::Uncovered.gte(-delta)),
    };
    Ok(q.exec(&**w).await.or_internal("orders")?.rows_affected == 1)
}

/// Gives up `short` units of `product` from `lines` in their order; answers the releases.
async fn take(
    w: &mut Write,
    actor: Actor,
    product: &product::Model,
    lines: &[Held],
    short: i64,
) -> AppResult<Vec<Movement<'static>>> {
    shift(w, actor, product, lines, -short).await
}

/// Reserves up to `free` units of `product` for the owed `lines` in their order.
async fn give(
    w: &mut Write,
    actor: Actor,
    product: &product::Model,
    lines: &[Held],
    free: i64,
) -> AppResult<Vec<Movement<'static>>> {
    shift(w, actor, product, lines, free).await
}

/// Moves `amount` of `product`'s reservation across `lines` in their order: given up when
/// negative (each line as far as it can give), reserved again when positive (each as far as
/// it is owed). Each line's `uncovered` follows, and each order gets its audit event.
async fn shift(
    w: &mut Write,
    actor: Actor,
    product: &product::Model,
    lines: &[Held],
    amount: i64,
) -> AppResult<Vec<Movement<'static>>> {
    let mut out = Vec::new();
    let mut left = amount.abs();
    for h in lines {
        let room = if amount < 0 {
            h.releasable
        } else {
            h.uncovered
        };
        let n = Ord::min(left, room);
        let delta = n * amount.signum();
        if n == 0 || !owe(w, h.line_id, -delta).await? {
            continue;
        }
        left -= n;
        out.push(moved(h, product, actor, delta));
        let (event, what) = match delta < 0 {
            true => (UNCOVERED, "lost from stock; they wait for stock to arrive"),
            false => (COVERED, "reserved again"),
        };
        let details = format!(
            "{}: {n} {} of {} {what}",
            h.number, product.unit, product.sku
        );
        w.record(event, h.order_id, details);
        if left == 0 {
            break;
        }
    }
    Ok(out)
}

/// Stock an order gave back (cancelled, or taken back to draft) goes to the orders owed
/// `products`, each product in a unit of its own after that order's unit committed: the order
/// is locked before the others, so taking theirs in the same unit could deadlock. A failure
/// leaves the owed lines owed until the next receipt; the cancel itself stands.
pub async fn reserve_owed(
    state: &crate::server::AppState,
    actor: Actor,
    products: Vec<i64>,
) -> AppResult<()> {
    let zone = &state.config.business.zone;
    for id in products {
        if lines_of(&state.db, id, true).await?.is_empty() {
            continue;
        }
        let mut w = Write::begin(&state.db, actor).await?;
        let find = || product::Entity::find_by_id(id);
        let Some(seen) = find().one(&*w).await.or_internal("orders")? else {
            continue;
        };
        let candidates = prepare(&w, &seen, 0).await?;
        let Some(current) = find()
            .lock_exclusive()
            .one(&*w)
            .await
            .or_internal("orders")?
        else {
            continue;
        };
        // Anything but movements (stock moved meanwhile) leaves it to the next arrival.
        let Settled::Moves(moves) = settle(&mut w, actor, &current, 0, candidates).await? else {
            continue;
        };
        if moves.is_empty() {
            continue;
        }
        if let Err(refused) = crate::stock::ledger::apply_all(&mut w, zone, &moves).await? {
            return Err(AppError::Conflict(refused.join("; ")));
        }
        w.commit().await?;
    }
    Ok(())
}

/// Order `order_id` no longer holds stock (cancelled, or back to draft): it is owed nothing.
pub async fn forgive(db: &impl ConnectionTrait, order_id: i64) -> AppResult<()> {
    use order_line::Column as L;
    order_line::Entity::update_many()
        .col_expr(L::Uncovered, Expr::val(0i64))
        .filter(L::OrderId.eq(order_id))
        .filter(Expr::cust("order_lines.uncovered > 0"))
        .exec(db)
        .await
        .or_internal("orders")?;
    Ok(())
}

/// The open orders owed stock, oldest first: of one product, or (`None`) of any; at most
/// `limit` lines.
pub async fn short_orders(
    db: &impl ConnectionTrait,
    product_id: Option<i64>,
    limit: u64,
) -> AppResult<Vec<ShortOrder>> {
    // Short lines are few and all in the partial index on `uncovered > 0`. The unary plus
    // keeps the planner off the order-id index, which it would otherwise walk for the ORDER
    // BY through every open order's lines (7 ms at 2,000 open orders, against 0.1 ms).
    let mut q = order_line::Entity::find()
        .filter(Expr::cust("order_lines.uncovered > 0"))
        .filter(
            Expr::cust("+order_lines.order_id").in_subquery(
                Query::select()
                    .column(order::Column::Id)
                    .from(order::Entity)
                    .and_where(order::Column::Status.is_in(OPEN))
                    .to_owned(),
            ),
        );
    if let Some(id) = product_id {
        q = q.filter(order_line::Column::ProductId.eq(id));
    }
    use sea_orm::{QueryOrder, QuerySelect};
    let lines = q
        .order_by_asc(order_line::Column::OrderId)
        .limit(limit)
        .all(db)
        .await
        .or_internal("orders")?;
    let orders = order::Entity::find()
        .filter(order::Column::Id.is_in(lines.iter().map(|l| l.order_id)))
        .all(db)
        .await
        .or_internal("orders")?;
    let clients = client::Entity::find()
        .filter(client::Column::Id.is_in(orders.iter().map(|o| o.client_id)))
        .all(db)
        .await
        .or_internal("orders")?;
    let products = super::check::products_by_id(db, lines.iter().map(|l| l.product_id)).await?;
    Ok(lines
        .into_iter()
        .filter_map(|l| {
            let o = orders.iter().find(|o| o.id == l.order_id)?;
            let p = products.get(&l.product_id)?;
            Some(ShortOrder {
                order_id: o.id,
                number: o.number.clone(),
                client_name: clients
                    .iter()
                    .find(|c| c.id == o.client_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                product_id: p.id,
                sku: p.sku.clone(),
                quantity: l.uncovered,
                unit: p.unit.clone(),
            })
        })
        .collect())
}
