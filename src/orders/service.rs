//! Orders on the server: entering, editing a draft, and the workflow's transitions with their
//! stock effects, each in one write unit. Checking a form is `check`, the rows `store`, the
//! stock held `reservation`, and writing new orders in groups `intake`.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
};

use super::check::{Checked, check};
use super::intake::NewOrder;
use super::reservation::{movements, quantities, release, reserve};
use super::rules::Priced;
use super::store::{UPDATED, find, insert_lines, line_rows, summary, transition_details};
use super::workflow::{Action, Effect};
use super::{ENTITY, Order, OrderForm, OrderStatus};
use crate::audit::{Actor, Event};
use crate::business::Zone;
use crate::choice::Choice;
use crate::deliveries::service as deliveries;
use crate::error::{AppError, AppResult, OrInternal};
use crate::reports::kept;
use crate::reports::summary::Changes;
use crate::server::AppState;
use crate::server::entities::{client, order, order_line};
use crate::server::write::Write;

pub use super::store::get;

const DELIVERED: Event = Event::new(ENTITY, "order.delivered");
const PARTIALLY_DELIVERED: Event = Event::new(ENTITY, "order.partially_delivered");

/// A new draft, or with `confirm` a confirmed order, in one transaction (shared with other
/// orders entered at the same moment, see `intake`).
pub async fn create(
    state: &AppState,
    actor: Actor,
    form: OrderForm,
    confirm: bool,
) -> AppResult<Order> {
    let today = state.config.business.zone.today();
    let order = check_entry(&state.db, today, actor, form, confirm).await?;
    state.orders.submit(order).await
}

/// A new order checked and ready for `intake`. Checked before the write transaction, so bad
/// input never queues for the write lock; what could change meanwhile (a product or client
/// archived a moment ago) is harmless, and stock itself is only ever taken by the ledger's
/// conditional update.
pub async fn check_entry(
    db: &DatabaseConnection,
    today: NaiveDate,
    actor: Actor,
    form: OrderForm,
    confirm: bool,
) -> AppResult<NewOrder> {
    let checked = check(db, today, &form).await?;
    Ok(NewOrder {
        actor,
        checked,
        confirm,
    })
}

/// Rewrites a draft: its client, priority, date, notes and lines.
pub async fn update(state: &AppState, actor: Actor, id: i64, form: OrderForm) -> AppResult<Order> {
    let db = &state.db;
    let mut w = Write::begin(db, actor).await?;
    // The status check and the change in one step: only a draft changes.
    let touched = order::Entity::update_many()
        .col_expr(order::Column::UpdatedAt, Expr::val(Utc::now()))
        .filter(order::Column::Id.eq(id))
        .filter(order::Column::Status.eq(OrderStatus::Draft))
        .exec(&*w)
        .await
        .or_internal("orders")?;
    let m = find(&*w, id).await?;
    if touched.rows_affected == 0 {
        return Err(AppError::Conflict(format!(
            "{} is {}; only a draft can be edited (take it back to draft first)",
            m.number,
            m.status.label().to_lowercase()
        )));
    }
    let checked = check(&*w, state.config.business.zone.today(), &form).await?;
    order_line::Entity::delete_many()
        .filter(order_line::Column::OrderId.eq(id))
        .exec(&*w)
        .await
        .or_internal("orders")?;
    insert_lines(&w, &line_rows(id, &checked)).await?;
    let Checked {
        input,
        client,
        priced: Priced { totals, .. },
        ..
    } = checked;
    let before = m.clone();
    let mut am: order::ActiveModel = m.into();
    am.client_id = Set(input.client_id);
    am.priority = Set(input.priority);
    am.requested_date = Set(input.requested_date);
    am.notes = Set(input.notes.clone());
    am.client_reference = Set(input.client_reference.clone());
    am.delivery_address = Set(input.delivery_address.clone());
    am.valid_until = Set(input.valid_until);
    am.net = Set(totals.net.cents());
    am.tax = Set(totals.tax.cents());
    am.total = Set(totals.total.cents());
    let m = am.update(&*w).await.or_internal("orders")?;
    kept::orders::moved(&mut w, &state.config.business.zone, Some(&before), &m).await?;
    let what = summary(&m.number, &client, input.lines.len(), totals.total);
    w.record(UPDATED, id, what);
    w.commit().await?;
    get(db, id).await
}

/// Confirm, revert or cancel, with its stock effect, in one transaction.
pub async fn transition(
    state: &AppState,
    actor: Actor,
    id: i64,
    action: Action,
) -> AppResult<Order> {
    let db = &state.db;
    let mut w = Write::begin(db, actor).await?;
    take_edge(&mut w, &state.config.business.zone, actor, id, action).await?;
    w.commit().await?;
    let order = get(db, id).await?;
    if matches!(action, Action::Cancel | Action::Revert) {
        let products: Vec<i64> = order.lines.iter().map(|l| l.product_id).collect();
        if let Err(e) = super::shortage::reserve_owed(state, actor, products).await {
            tracing::warn!(
                order = id,
                "stock given back was not reserved for orders owed it: {e}"
            );
        }
    }
    Ok(order)
}

/// Order `id`, its row locked until the unit ends (an UPDATE that changes nothing: SQLite has
/// no `FOR UPDATE`, and has one writer anyway).
///
/// Every write touching an order and its deliveries takes this lock first (ARCHITECTURE.md,
/// "Writes"): the order's row, then its deliveries, its lines, then products. Taken in
/// that one order, a cancel racing a delivery on PostgreSQL waits instead of deadlocking, and
/// whichever comes second sees what the first did.
///
/// `which` picks the order: its id (`Expr::val(id)`), or a subquery naming it (a delivery's
/// order), so finding and locking it is one statement. `None` when there is no such order.
pub async fn lock(w: &Write, which: Expr) -> AppResult<Option<order::Model>> {
    use order::Column as O;
    let locked = order::Entity::update_many()
        .col_expr(O::UpdatedAt, Expr::col(O::UpdatedAt))
        .filter(Expr::col(O::Id).eq(which))
        .exec_with_returning(&**w)
        .await
        .or_internal("orders")?;
    Ok(locked.into_iter().next())
}

/// After a delivery: the order is delivered once every line is, partially delivered before.
/// Only a confirmed or partially delivered order moves; the change is an audit event. The
/// caller holds the order's `lock` (`m` is the order as locked), so deliveries of one order
/// delivered at once read each other's lines in turn and the last one sees them all.
pub async fn follow_deliveries(w: &mut Write, zone: &Zone, m: &order::Model) -> AppResult<()> {
    let id = m.id;
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(id))
        .all(&**w)
        .await
        .or_internal("orders")?;
    let to = match lines.iter().all(|l| l.delivered >= l.quantity) {
        true => OrderStatus::Delivered,
        false => OrderStatus::PartiallyDelivered,
    };
    if m.status == to {
        return Ok(());
    }
    let moved = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::val(to))
        .col_expr(order::Column::UpdatedAt, Expr::val(Utc::now()))
        .filter(order::Column::Id.eq(id))
        .filter(
            order::Column::Status.is_in([OrderStatus::Confirmed, OrderStatus::PartiallyDelivered]),
        )
        .exec(&**w)
        .await
        .or_internal("orders")?;
    if moved.rows_affected == 1 {
        let after = order::Model {
            status: to,
            ..m.clone()
        };
        kept::orders::moved(w, zone, Some(m), &after).await?;
        let event = match to {
            OrderStatus::Delivered => DELIVERED,
            _ => PARTIALLY_DELIVERED,
        };
        w.record(event, id, transition_details(&m.number, m.status, to));
    }
    Ok(())
}

/// Moves order `id` along the first of `action`'s edges whose `from` is its status. Each
/// edge is one conditional UPDATE, so the status check and the change are one step (two
/// clicks racing cannot both confirm). None matching is the 409.
async fn take_edge(
    w: &mut Write,
    zone: &Zone,
    actor: Actor,
    id: i64,
    action: Action,
) -> AppResult<()> {
    use order::Column as O;
    let now = Utc::now();
    for edge in action.edges() {
        // When it was confirmed: now, when it is; none again back in draft.
        let confirmed_at = match edge.to {
            OrderStatus::Confirmed => Expr::val(Some(now)),
            OrderStatus::Draft => Expr::val(None::<chrono::DateTime<Utc>>),
            _ => Expr::col(O::ConfirmedAt),
        };
        let moved = order::Entity::update_many()
            .col_expr(O::Status, Expr::val(edge.to))
            .col_expr(O::UpdatedAt, Expr::val(now))
            .col_expr(O::ConfirmedAt, confirmed_at)
            .filter(O::Id.eq(id))
            .filter(O::Status.eq(edge.from))
            .exec(&**w)
            .await
            .or_internal("orders")?;
        if moved.rows_affected == 0 {
            continue;
        }
        let m = find(&**w, id).await?;
        // Deliveries first: what a cancel calls off is no longer held when stock is released.
        match action {
            Action::Cancel => deliveries::call_off(w, zone, &m).await?,
            Action::Revert => deliveries::refuse_open(&**w, &m).await?,
            Action::Confirm => {}
        }
        match edge.effect {
            Effect::Reserve => {
                refuse_archived_client(w, &m).await?;
                let wanted = movements(m.id, actor, 1, quantities(w, m.id).await?);
                reserve(w, zone, &m.number, &wanted).await?;
            }
            Effect::Release => release(w, zone, actor, m.id).await?,
            Effect::None => {}
        }
        book(
            w,
            zone,
            &m,
            edge.to.is_booked() as i64 - edge.from.is_booked() as i64,
        );
        // Only a delivered order's confirmation time counts there, and none moves from it.
        let before = order::Model {
            status: edge.from,
            ..m.clone()
        };
        kept::orders::moved(w, zone, Some(&before), &m).await?;
        let what = transition_details(&m.number, edge.from, edge.to);
        w.record(action.event(), m.id, what);
        return Ok(());
    }
    let m = find(&**w, id).await?;
    Err(AppError::Conflict(action.refusal(&m.number, m.status)))
}

/// Order `m` counted among the orders booked on the day it was entered (`sign` 1), or no
/// longer (-1), in the sales summary.
fn book(w: &mut Write, zone: &Zone, m: &order::Model, sign: i64) {
    if sign == 0 {
        return;
    }
    let mut summary = Changes::default();
    summary.booked(zone.date(&m.created_at), sign, m.total);
    summary.add_to(w);
}

/// The client may have been archived since the draft was written; it takes no more orders.
async fn refuse_archived_client(txn: &DatabaseTransaction, m: &order::Model) -> AppResult<()> {
    let client = client::Entity::find_by_id(m.client_id)
        .one(txn)
        .await
        .or_internal("orders")?;
    match client.filter(|c| !c.active) {
        Some(c) => Err(AppError::Conflict(format!(
            "{} is archived; restore it before confirming {}",
            c.name, m.number
        ))),
        None => Ok(()),
    }
}
