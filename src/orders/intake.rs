//! Writing new orders. Each order is checked on its own (`service::check`), then written in a
//! group with the orders that arrived while the previous group was being written
//! (`server::grouped`): one transaction and one statement per table for the whole group
//! (numbers, orders, lines, reservations, ledger rows, audit events).
//!
//! A group that fails is written again one order at a time, so an order short of stock is
//! refused with its short products named, and its number goes back to the next one.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use super::check::Checked;
use super::reservation::{by_product, movements, reserve};
use super::store::{CREATED, insert_lines, line_rows, summary, to_dto, transition_details};
use super::workflow::Action;
use super::{Order, OrderStatus};
use crate::audit::Actor;
use crate::business::Zone;
use crate::error::{AppError, AppResult, OrInternal};
use crate::reports::kept;
use crate::reports::summary::Changes;
use crate::server::entities::{order, order_line, product};
use crate::server::grouped::{self, Grouped, Writer};
use crate::server::sequence;
use crate::server::write::Write;

/// An order that passed its checks, ready to write.
pub struct NewOrder {
    pub actor: Actor,
    pub checked: Checked,
    pub confirm: bool,
}

/// What `insert` wrote: each order's row and lines, and every product its reservations changed.
type Written = (
    Vec<order::Model>,
    Vec<Vec<order_line::Model>>,
    Vec<product::Model>,
);

/// Writes new orders for the grouped queue in front of it (`AppState::orders`).
pub struct OrderWriter {
    pub db: DatabaseConnection,
    /// The business's calendar: an order counts as booked on the day it was entered.
    pub zone: Zone,
}

/// The queue new orders are entered through: `state.orders.submit(order)`.
pub type Intake = Grouped<OrderWriter>;

impl Writer for OrderWriter {
    type Job = NewOrder;
    type Done = Order;
    const NAME: &'static str = "order intake";

    /// Lines: an order of more than a group's worth is written alone.
    fn weight(order: &NewOrder) -> usize {
        order.checked.input.lines.len()
    }

    async fn write(&self, orders: &[NewOrder]) -> AppResult<Vec<Order>> {
        write_together(&self.db, &self.zone, orders).await
    }
}

/// Writes `orders` the way the queue does: together when they all succeed, else each alone
/// with its own answer.
pub async fn write(
    db: &DatabaseConnection,
    zone: &Zone,
    orders: Vec<NewOrder>,
) -> Vec<AppResult<Order>> {
    let writer = OrderWriter {
        db: db.clone(),
        zone: zone.clone(),
    };
    grouped::write(&writer, orders).await
}

/// All of `orders` in one transaction, or none of them. The write unit's actor is the
/// system: each order's own actor is written on its rows and events.
async fn write_together(
    db: &DatabaseConnection,
    zone: &Zone,
    orders: &[NewOrder],
) -> AppResult<Vec<Order>> {
    let mut w = Write::begin(db, None).await?;
    let (heads, lines, changed) = match insert(&mut w, zone, orders).await {
        Ok(written) => written,
        Err(e) => {
            // Rolled back before the gate opens, so the next writer finds the lock free.
            w.rollback().await?;
            return Err(e);
        }
    };
    w.commit().await?;
    let entered = orders
        .iter()
        .zip(heads)
        .zip(lines)
        .map(|((o, m), lines)| {
            // Stock available as the reservations left it.
            let mut products = o.checked.products.clone();
            for p in changed.iter().filter(|_| o.confirm) {
                if let Some(mine) = products.get_mut(&p.id) {
                    *mine = p.clone();
                }
            }
            let mut order = to_dto(m, o.checked.client.name.clone(), lines, &products, None);
            order.client_email = o.checked.client.email.clone();
            order
        })
        .collect();
    Ok(entered)
}

/// The statements of `write_together`: each order's row and lines, and the stock reservations
/// of the confirmed ones.
async fn insert(w: &mut Write, zone: &Zone, orders: &[NewOrder]) -> AppResult<Written> {
    let now = Utc::now();
    let numbers = sequence::take_many(&**w, "SO", now.year(), orders.len()).await?;
    let heads = orders
        .iter()
        .zip(&numbers)
        .map(|(o, (seq, number))| head(o, *seq, number, now));
    let mut written: HashMap<String, order::Model> = order::Entity::insert_many(heads)
        .exec_with_returning(&**w)
        .await
        .or_internal("orders")?
        .into_iter()
        .map(|m| (m.number.clone(), m))
        .collect();
    // RETURNING promises no row order: each order finds its row by number.
    let mut heads = Vec::with_capacity(orders.len());
    for (_, number) in &numbers {
        let m = written
            .remove(number)
            .ok_or_else(|| AppError::internal("order intake", format!("{number} not written")))?;
        heads.push(m);
    }
    let rows: Vec<_> = orders
        .iter()
        .zip(&heads)
        .flat_map(|(o, m)| line_rows(m.id, &o.checked))
        .collect();
    // RETURNING promises no row order either: each order takes its lines by id and position.
    let mut stored: HashMap<i64, Vec<order_line::Model>> = HashMap::new();
    for line in insert_lines(w, &rows).await? {
        stored.entry(line.order_id).or_default().push(line);
    }
    let lines: Vec<_> = heads
        .iter()
        .map(|m| {
            let mut mine = stored.remove(&m.id).unwrap_or_default();
            mine.sort_by_key(|l| l.position);
            mine
        })
        .collect();
    // Every confirmed order's reservations in one conditional UPDATE of the products.
    let wanted: Vec<_> = orders
        .iter()
        .zip(&heads)
        .filter(|(o, _)| o.confirm)
        .flat_map(|(o, m)| {
            let quantities = by_product(
                o.checked
                    .input
                    .lines
                    .iter()
                    .map(|l| (l.product_id, l.quantity)),
            );
            movements(m.id, o.actor, 1, quantities)
        })
        .collect();
    let changed = match (wanted.is_empty(), heads.as_slice()) {
        (true, _) => Vec::new(),
        (false, [one]) => reserve(w, zone, &one.number, &wanted).await?,
        // The refusal is not shown: the orders are then written one by one.
        (false, _) => reserve(w, zone, "these orders", &wanted).await?,
    };
    let mut summary = Changes::default();
    for (o, m) in orders.iter().zip(&heads) {
        if o.confirm {
            summary.booked(zone.date(&m.created_at), 1, m.total);
        }
        kept::orders::moved(w, zone, None, m).await?;
        record_events(w, o, m);
    }
    summary.add_to(w);
    Ok((heads, lines, changed))
}

/// The order's row: a draft, or confirmed when entered with "save and confirm".
fn head(o: &NewOrder, seq: i64, number: &str, now: DateTime<Utc>) -> order::ActiveModel {
    let totals = o.checked.priced.totals;
    let status = match o.confirm {
        true => OrderStatus::Confirmed,
        false => OrderStatus::Draft,
    };
    order::ActiveModel {
        number: Set(number.to_string()),
        seq: Set(seq),
        client_id: Set(o.checked.input.client_id),
        status: Set(status),
        priority: Set(o.checked.input.priority),
        requested_date: Set(o.checked.input.requested_date),
        notes: Set(o.checked.input.notes.clone()),
        client_reference: Set(o.checked.input.client_reference.clone()),
        delivery_address: Set(o.checked.input.delivery_address.clone()),
        valid_until: Set(o.checked.input.valid_until),
        net: Set(totals.net.cents()),
        tax: Set(totals.tax.cents()),
        total: Set(totals.total.cents()),
        created_by: Set(o.actor.id()),
        created_at: Set(now),
        updated_at: Set(now),
        confirmed_at: Set(o.confirm.then_some(now)),
        ..Default::default()
    }
}

/// The audit trail of an entered order: created, and confirmed when entered so.
fn record_events(w: &mut Write, o: &NewOrder, m: &order::Model) {
    let total = crate::money::Money(m.total);
    let lines = o.checked.input.lines.len();
    let created = summary(&m.number, &o.checked.client, lines, total);
    w.record_by(o.actor, CREATED, m.id, created);
    if o.confirm {
        let what = transition_details(&m.number, OrderStatus::Draft, OrderStatus::Confirmed);
        w.record_by(o.actor, Action::Confirm.event(), m.id, what);
    }
}
