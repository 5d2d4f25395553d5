//! Writing new orders. Each order is checked on its own (`service::check`), then written in a
//! group with the orders that arrived while the previous group was being written: one
//! transaction and one statement per table for the whole group (numbers, orders, lines,
//! reservations, ledger rows, audit events). SQLite takes one writer at a time, so a busy
//! moment costs a handful of statements per group instead of per order.
//!
//! A group either commits whole or is written again one order at a time, so every order gets
//! exactly the answer it would have had alone: an order short of stock is refused with its
//! short products named, and its number goes back to the next one.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, Set};
use tokio::sync::{mpsc, oneshot};

use super::check::Checked;
use super::reservation::{by_product, movements, reserve};
use super::store::{CREATED, insert_lines, line_rows, summary, to_dto, transition_details};
use super::workflow::Action;
use super::{Order, OrderStatus};
use crate::audit::Actor;
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::entities::{order, order_line, product};
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

struct Job {
    order: NewOrder,
    reply: oneshot::Sender<AppResult<Order>>,
}

/// Orders waiting beyond this many make their senders wait: back-pressure, not memory.
const QUEUE: usize = 1024;
/// Orders in one group.
const GROUP_ORDERS: usize = 64;
/// Lines in one group (an order of more lines is written alone): keeps every statement far
/// below SQLite's and PostgreSQL's limits on bound parameters.
const GROUP_LINES: usize = 1000;

/// The queue in front of the one task that writes new orders (`AppState::orders`).
#[derive(Clone)]
pub struct Intake {
    queue: mpsc::Sender<Job>,
}

impl Intake {
    /// Starts the writer task for `db` on the current tokio runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, jobs));
        Self { queue }
    }

    /// Writes `order` (with the next group) and answers once it is committed or refused.
    pub async fn enter(&self, order: NewOrder) -> AppResult<Order> {
        let stopped = || AppError::internal("order intake", "the order writer has stopped");
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job { order, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The writer: takes whatever is queued, writes it in groups, answers each order.
async fn run(db: DatabaseConnection, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::new();
    while queue.recv_many(&mut jobs, GROUP_ORDERS).await > 0 {
        for group in groups(std::mem::take(&mut jobs), |j| {
            j.order.checked.input.lines.len()
        }) {
            let (orders, replies): (Vec<_>, Vec<_>) =
                group.into_iter().map(|j| (j.order, j.reply)).unzip();
            // A task of its own: should writing ever panic, only this group's requests fail
            // (their replies are dropped) and the writer goes on with the next.
            let db = db.clone();
            let Ok(results) = tokio::spawn(async move { write(&db, orders).await }).await else {
                continue;
            };
            for (reply, result) in replies.into_iter().zip(results) {
                // A requester that has gone away still has its order written.
                let _ = reply.send(result);
            }
        }
    }
}

/// Splits queued jobs into groups of at most `GROUP_LINES` lines (an order of more alone), in
/// arrival order.
fn groups<T>(jobs: Vec<T>, lines_of: impl Fn(&T) -> usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let (mut group, mut lines) = (Vec::new(), 0);
    for job in jobs {
        let n = lines_of(&job);
        if !group.is_empty() && lines + n > GROUP_LINES {
            out.push(std::mem::take(&mut group));
            lines = 0;
        }
        lines += n;
        group.push(job);
    }
    if !group.is_empty() {
        out.push(group);
    }
    out
}

/// Writes `orders`: together when they all succeed, else each alone with its own answer.
pub async fn write(db: &DatabaseConnection, orders: Vec<NewOrder>) -> Vec<AppResult<Order>> {
    if orders.len() > 1
        && let Ok(entered) = write_together(db, &orders).await
    {
        return entered.into_iter().map(Ok).collect();
    }
    let mut answers = Vec::with_capacity(orders.len());
    for order in &orders {
        let alone = write_together(db, std::slice::from_ref(order)).await;
        answers.push(alone.and_then(|mut one| {
            one.pop()
                .ok_or_else(|| AppError::internal("order intake", "no order written"))
        }));
    }
    answers
}

/// All of `orders` in one transaction, or none of them. The write unit's actor is the
/// system: each order's own actor is written on its rows and events.
async fn write_together(db: &DatabaseConnection, orders: &[NewOrder]) -> AppResult<Vec<Order>> {
    let mut w = Write::begin(db, None).await?;
    let (heads, lines, changed) = match insert(&mut w, orders).await {
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
            to_dto(m, o.checked.client.name.clone(), lines, &products, None)
        })
        .collect();
    Ok(entered)
}

/// The statements of `write_together`: each order's row and lines, and the stock reservations
/// of the confirmed ones.
async fn insert(w: &mut Write, orders: &[NewOrder]) -> AppResult<Written> {
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
        (false, [one]) => reserve(w, &one.number, &wanted).await?,
        // The refusal is not shown: the orders are then written one by one.
        (false, _) => reserve(w, "these orders", &wanted).await?,
    };
    for (o, m) in orders.iter().zip(&heads) {
        record_events(w, o, m);
    }
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
        net: Set(totals.net.cents()),
        tax: Set(totals.tax.cents()),
        total: Set(totals.total.cents()),
        created_by: Set(o.actor.id()),
        created_at: Set(now),
        updated_at: Set(now),
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

#[cfg(test)]
mod tests {
    use super::{GROUP_LINES, groups};

    #[test]
    fn groups_keep_arrival_order_and_stay_within_the_line_limit() {
        let sizes = |gs: Vec<Vec<usize>>| gs.iter().map(|g| g.len()).collect::<Vec<_>>();
        assert_eq!(sizes(groups(vec![3; 64], |n| *n)), [64]);
        // 1000 lines fit exactly; the next order starts a new group.
        let at_limit = vec![200, 200, 200, 200, 200, 1];
        assert_eq!(sizes(groups(at_limit, |n| *n)), [5, 1]);
        // An order larger than the limit is written alone, between its neighbours.
        let big = groups(vec![1, GROUP_LINES + 1, 1], |n| *n);
        assert_eq!(big, [vec![1], vec![GROUP_LINES + 1], vec![1]]);
        assert!(groups(Vec::<usize>::new(), |n| *n).is_empty());
    }
}
