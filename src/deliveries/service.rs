//! Deliveries on the server: scheduling one, moving one along its workflow, and what an
//! order's cancel or return to draft does to them, each in a write unit. Reading is `read`.
//!
//! What each order line still has to deliver is held by one conditional UPDATE per line
//! (`scheduled = scheduled + q` only while `quantity - delivered - scheduled >= q`), the way
//! stock is reserved: two deliveries scheduled at once for the same quantity never together
//! pass what the order has left, on SQLite and on PostgreSQL alike.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::read::{find, get};
use super::rules::{line_field, read_schedule, read_step};
use super::{Action, Delivery, DeliveryStatus, ENTITY, ScheduleForm, Step};
use crate::audit::{Actor, Event};
use crate::business::Zone;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::orders::OrderStatus;
use crate::orders::service as orders;
use crate::reports::kept;
use crate::server::AppState;
use crate::server::entities::{delivery, delivery_line, order, order_line};
use crate::server::sequence;
use crate::server::write::Write;
use crate::stock::MovementKind;
use crate::stock::ledger::{self, Movement, Source};

const SCHEDULED: Event = Event::new(ENTITY, "delivery.scheduled");

/// Schedules a delivery of `form`'s lines of a confirmed (or partially delivered) order. Each
/// quantity is at most what the line has left: ordered, less delivered, less what open
/// deliveries already hold. A refusal names every line that is short; nothing is written.
pub async fn schedule(
    state: &AppState,
    today: NaiveDate,
    actor: Actor,
    form: ScheduleForm,
) -> AppResult<Delivery> {
    // No date given: as soon as possible, today ("deliver everything outstanding").
    let mut form = form;
    if form.scheduled_date.trim().is_empty() {
        form.scheduled_date = today.to_string();
    }
    let input = read_schedule(&form, today).map_err(AppError::fields)?;
    let (db, zone) = (&state.db, &state.config.business.zone);
    let mut w = Write::begin(db, actor).await?;
    let order = orders::lock(&w, Expr::val(form.order_id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("order {}", form.order_id)))?;
    if !holds_stock(order.status) {
        return Err(AppError::Conflict(format!(
            "{} is {}; only a confirmed or partially delivered order can be delivered",
            order.number,
            order.status.label().to_lowercase()
        )));
    }
    let lines: HashMap<i64, order_line::Model> = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .all(&*w)
        .await
        .or_internal("deliveries")?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut refused = Vec::new();
    // Held in order line order: two schedules of one order lock its lines in the same order,
    // so they cannot deadlock on PostgreSQL. Messages keep the form's own line index.
    let mut holding = input.lines.clone();
    holding.sort_by_key(|&(_, line_id, _)| line_id);
    for &(i, line_id, quantity) in &holding {
        let Some(line) = lines.get(&line_id) else {
            refused.push(FieldError {
                field: line_field(i, "order_line_id"),
                message: format!("not a line of {}", order.number),
            });
            continue;
        };
        if !hold(&*w, line_id, quantity).await? {
            // Read again: another delivery may have taken some a moment ago.
            let now = order_line::Entity::find_by_id(line_id)
                .one(&*w)
                .await
                .or_internal("deliveries")?
                .unwrap_or_else(|| line.clone());
            let left = now.quantity - now.delivered - now.scheduled - now.uncovered;
            let waiting = match now.uncovered {
                0 => String::new(),
                n => format!(" ({n} wait for stock: lost or broken since the order was confirmed)"),
            };
            refused.push(FieldError {
                field: line_field(i, "quantity"),
                message: format!(
                    "only {left} of {} left to deliver, {quantity} asked{waiting}",
                    line.description
                ),
            });
        }
    }
    if !refused.is_empty() {
        w.rollback().await?;
        return Err(AppError::fields(refused));
    }
    let address = match form.address.trim() {
        "" => order.delivery_address.clone(),
        typed => typed.to_string(),
    };
    let (seq, number) = sequence::take(&*w, "DN", today.year()).await?;
    let now = Utc::now();
    let window = |pick: fn(&(chrono::NaiveTime, chrono::NaiveTime)) -> chrono::NaiveTime| {
        input
            .window
            .as_ref()
            .map(|w| pick(w).format("%H:%M").to_string())
    };
    let saved = delivery::ActiveModel {
        number: Set(number.clone()),
        seq: Set(seq),
        order_id: Set(order.id),
        client_id: Set(order.client_id),
        priority: Set(order.priority),
        status: Set(DeliveryStatus::Scheduled),
        scheduled_date: Set(input.date),
        window_from: Set(window(|w| w.0)),
        window_to: Set(window(|w| w.1)),
        address: Set(address),
        carrier: Set(form.carrier.trim().to_string()),
        tracking: Set(form.tracking.trim().to_string()),
        notes: Set(form.notes.trim().to_string()),
        created_by: Set(actor.id()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*w)
    .await
    .or_internal("deliveries")?;
    kept::deliveries::moved(&mut w, zone, None, &saved);
    let rows = input
        .lines
        .iter()
        .map(|&(_, line_id, quantity)| delivery_line::ActiveModel {
            delivery_id: Set(saved.id),
            order_line_id: Set(line_id),
            product_id: Set(lines[&line_id].product_id),
            quantity: Set(quantity),
            ..Default::default()
        });
    delivery_line::Entity::insert_many(rows)
        .exec_without_returning(&*w)
        .await
        .or_internal("deliveries")?;
    let what: Vec<String> = input
        .lines
        .iter()
        .map(|&(_, line_id, q)| format!("{q} × {}", lines[&line_id].description))
        .collect();
    w.record(
        SCHEDULED,
        saved.id,
        format!(
            "{number} of {} for {}: {}",
            order.number,
            input.date,
            what.join(", ")
        ),
    );
    w.commit().await?;
    get(db, saved.id).await
}

/// Moves delivery `id` one step. The status check and the change are one conditional UPDATE,
/// so of twenty "delivered" clicks at once one moves stock and the rest get the 409. In the same
/// unit: a delivered one ships its lines through the ledger (on hand −q, reserved −q), moves
/// them from scheduled to delivered on the order and advances the order's status; a cancelled
/// one frees its quantities to be scheduled again.
pub async fn step(
    state: &AppState,
    today: NaiveDate,
    actor: Actor,
    id: i64,
    step: Step,
) -> AppResult<Delivery> {
    use delivery::Column as D;
    let when = read_step(&step, today).map_err(AppError::fields)?;
    let action = step.action();
    let now = Utc::now();
    let (db, zone) = (&state.db, &state.config.business.zone);
    let mut w = Write::begin(db, actor).await?;
    // The delivery's order, found and locked in one statement.
    let of_delivery = Query::select()
        .column(D::OrderId)
        .from(delivery::Entity)
        .and_where(Expr::col(D::Id).eq(id))
        .to_owned();
    let order = orders::lock(&w, Expr::SubQuery(None, Box::new(of_delivery.into())))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("delivery {id}")))?;
    if matches!(action, Action::Depart | Action::Deliver) && !holds_stock(order.status) {
        // Only what the order still holds may leave: a draft or cancelled order's stock is
        // not reserved for it any more.
        return Err(AppError::Conflict(format!(
            "{} is {}; its deliveries cannot go out",
            order.number,
            order.status.label().to_lowercase()
        )));
    }
    // As it was, for the summary: the order's lock keeps it so until this unit ends.
    let before = find(&*w, id).await?;
    let mut update = delivery::Entity::update_many()
        .col_expr(D::Status, Expr::val(action.to()))
        .col_expr(D::UpdatedAt, Expr::val(now));
    let mut detail = String::new();
    match &step {
        Step::Deliver {
            recipient,
            note,
            signature,
        } => {
            update = update
                .col_expr(D::Recipient, Expr::val(recipient.trim()))
                .col_expr(D::DeliveredAt, Expr::val(now))
                .col_expr(D::ConfirmedBy, Expr::val(actor.id()))
                .col_expr(D::Signature, Expr::val(signature.clone()));
            detail = format!("taken by {}", recipient.trim());
            if !note.trim().is_empty() {
                update = update.col_expr(D::Notes, Expr::val(note.trim()));
                detail.push_str(&format!(": {}", note.trim()));
            }
        }
        Step::Fail { reason } => {
            update = update.col_expr(D::FailureReason, Expr::val(reason.trim()));
            detail = reason.trim().to_string();
        }
        Step::Reschedule { .. } => {
            if let Some((date, window)) = when {
                let hhmm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
                update = update
                    .col_expr(D::ScheduledDate, Expr::val(date))
                    .col_expr(D::WindowFrom, Expr::val(window.map(|w| hhmm(w.0))))
                    .col_expr(D::WindowTo, Expr::val(window.map(|w| hhmm(w.1))));
                detail = format!("to {date}");
            }
        }
        Step::Depart | Step::Cancel => {}
    }
    let moved = update
        .filter(D::Id.eq(id))
        .filter(D::Status.is_in(action.from().iter().copied()))
        .exec_with_returning(&*w)
        .await
        .or_internal("deliveries")?;
    let Some(d) = moved.into_iter().next() else {
        let now = find(&*w, id).await?;
        return Err(AppError::Conflict(action.refusal(&now.number, now.status)));
    };
    kept::deliveries::moved(&mut w, zone, Some(&before), &d);
    let lines = lines_of(&*w, id).await?;
    match action {
        Action::Deliver => {
            for l in &lines {
                move_held(&*w, l.order_line_id, -l.quantity, l.quantity).await?;
            }
            let shipped: Vec<Movement> = lines
                .iter()
                .map(|l| Movement {
                    product_id: l.product_id,
                    kind: MovementKind::Shipment,
                    delta_on_hand: -l.quantity,
                    delta_reserved: -l.quantity,
                    unit_cost: None,
                    source: Source::Delivery {
                        order: d.order_id,
                        delivery: d.id,
                    },
                    reference: "",
                    reason: None,
                    note: "",
                    by: Some(actor),
                })
                .collect();
            if let Err(short) = ledger::apply_all(&mut w, zone, &shipped).await? {
                return Err(AppError::Conflict(format!(
                    "{} cannot ship: {}",
                    d.number,
                    short.join("; ")
                )));
            }
            orders::follow_deliveries(&mut w, zone, &order).await?;
        }
        Action::Cancel => free(&w, &lines).await?,
        Action::Depart | Action::Fail | Action::Reschedule => {}
    }
    w.record(
        action.event(),
        id,
        format!("{} {detail}", d.number).trim_end().to_string(),
    );
    w.commit().await?;
    get(db, id).await
}

/// Order `order` is being cancelled (the caller holds its `lock`): its scheduled and failed
/// deliveries are called off, freeing what they held, each an audit event. One out for
/// delivery refuses the cancel: the goods are on the road, and must come back delivered or
/// failed first.
pub async fn call_off(w: &mut Write, zone: &Zone, order: &order::Model) -> AppResult<()> {
    use DeliveryStatus::{Failed, OutForDelivery, Scheduled};
    let open = delivery::Entity::find()
        .filter(delivery::Column::OrderId.eq(order.id))
        .filter(delivery::Column::Status.is_in([Scheduled, OutForDelivery, Failed]))
        .order_by_asc(delivery::Column::Id)
        .all(&**w)
        .await
        .or_internal("deliveries")?;
    if let Some(out) = open.iter().find(|d| d.status == OutForDelivery) {
        return Err(AppError::Conflict(format!(
            "{} is out for delivery; mark it delivered or failed before cancelling {}",
            out.number, order.number
        )));
    }
    for d in open {
        delivery::Entity::update_many()
            .col_expr(
                delivery::Column::Status,
                Expr::val(DeliveryStatus::Cancelled),
            )
            .col_expr(delivery::Column::UpdatedAt, Expr::val(Utc::now()))
            .filter(delivery::Column::Id.eq(d.id))
            .exec(&**w)
            .await
            .or_internal("deliveries")?;
        free(w, &lines_of(&**w, d.id).await?).await?;
        let gone = delivery::Model {
            status: DeliveryStatus::Cancelled,
            ..d.clone()
        };
        kept::deliveries::moved(w, zone, Some(&d), &gone);
        let what = format!("{} with {}", d.number, order.number);
        w.record(Action::Cancel.event(), d.id, what);
    }
    Ok(())
}

/// Order `order` is going back to draft (the caller holds its `lock`): refused while any of
/// its deliveries is open, since a draft holds no stock for them to carry.
pub async fn refuse_open(db: &impl ConnectionTrait, order: &order::Model) -> AppResult<()> {
    let open: Vec<String> = delivery::Entity::find()
        .filter(delivery::Column::OrderId.eq(order.id))
        .filter(delivery::Column::Status.is_in(open_statuses()))
        .order_by_asc(delivery::Column::Id)
        .all(db)
        .await
        .or_internal("deliveries")?
        .into_iter()
        .map(|d| d.number)
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    Err(AppError::Conflict(format!(
        "{} has open deliveries ({}); cancel them before taking it back to draft",
        order.number,
        open.join(", ")
    )))
}

fn open_statuses() -> impl Iterator<Item = DeliveryStatus> {
    DeliveryStatus::ALL.iter().copied().filter(|s| s.is_open())
}

/// Whether an order's stock is reserved for it, so its deliveries may be scheduled and leave.
fn holds_stock(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Confirmed | OrderStatus::PartiallyDelivered
    )
}

/// A delivery's lines in order line order: two deliveries of one order then lock their lines
/// in the same order, so they cannot deadlock on PostgreSQL.
async fn lines_of(db: &impl ConnectionTrait, id: i64) -> AppResult<Vec<delivery_line::Model>> {
    delivery_line::Entity::find()
        .filter(delivery_line::Column::DeliveryId.eq(id))
        .order_by_asc(delivery_line::Column::OrderLineId)
        .all(db)
        .await
        .or_internal("deliveries")
}

/// A called-off delivery's quantities go back to what its order lines have left.
async fn free(w: &Write, lines: &[delivery_line::Model]) -> AppResult<()> {
    for l in lines {
        move_held(&**w, l.order_line_id, -l.quantity, 0).await?;
    }
    Ok(())
}

/// Changes what order line `line_id` has on open deliveries and has delivered.
async fn move_held(
    db: &impl ConnectionTrait,
    line_id: i64,
    scheduled: i64,
    delivered: i64,
) -> AppResult<()> {
    use order_line::Column as L;
    order_line::Entity::update_many()
        .col_expr(L::Scheduled, Expr::col(L::Scheduled).add(scheduled))
        .col_expr(L::Delivered, Expr::col(L::Delivered).add(delivered))
        .filter(L::Id.eq(line_id))
        .exec(db)
        .await
        .or_internal("deliveries")?;
    Ok(())
}

/// Holds `quantity` of order line `line_id` for an open delivery, if the line has that much
/// left; false (nothing changed) otherwise.
async fn hold(db: &impl ConnectionTrait, line_id: i64, quantity: i64) -> AppResult<bool> {
    // Units lost from the order's reservation (`uncovered`) wait for stock to arrive.
    let left = Expr::col(order_line::Column::Quantity)
        .sub(Expr::col(order_line::Column::Delivered))
        .sub(Expr::col(order_line::Column::Scheduled))
        .sub(Expr::col(order_line::Column::Uncovered));
    let res = order_line::Entity::update_many()
        .col_expr(
            order_line::Column::Scheduled,
            Expr::col(order_line::Column::Scheduled).add(quantity),
        )
        .filter(order_line::Column::Id.eq(line_id))
        .filter(left.gte(quantity))
        .exec(db)
        .await
        .or_internal("deliveries")?;
    Ok(res.rows_affected == 1)
}
