//! Order rules on the server: numbering, checking the client and products, stored totals,
//! and the workflow's transitions with their stock reservations, each in one transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::intake::NewOrder;
use super::rules::{OrderInput, Priced, line_field, price, read_order};
use super::workflow::{Action, Effect};
use super::{ENTITY, Order, OrderForm, OrderLine, OrderStatus};
use crate::audit::{Actor, Event};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::money::Money;
use crate::server::AppState;
use crate::server::entities::{client, order, order_line, product};
use crate::server::write::Write;
use crate::stock::MovementKind;
use crate::stock::ledger::{self, Movement, Source};
use crate::users::service::display_names;

/// What the audit trail says happened to an order (the workflow's own events are
/// `Action::event`).
pub(super) const CREATED: Event = Event::new(ENTITY, "order.created");
const UPDATED: Event = Event::new(ENTITY, "order.updated");

fn field(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<order::Model> {
    order::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("orders")?
        .ok_or_else(|| AppError::NotFound(format!("order {id}")))
}

/// The products with these ids, by id.
async fn products_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, product::Model>> {
    Ok(product::Entity::find()
        .filter(product::Column::Id.is_in(ids))
        .all(db)
        .await
        .or_internal("orders")?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// A form that passed every check: what was typed, read; the client; every product on it
/// by id (names, tax rates, units); and its money, priced at those rates.
pub struct Checked {
    pub input: OrderInput,
    pub client: client::Model,
    pub products: HashMap<i64, product::Model>,
    pub priced: Priced,
}

/// Reads and checks the form, then what needs the database: the client exists and is active,
/// every product exists and is active, the requested date is not before `today`, and every
/// amount fits.
async fn check(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    form: &OrderForm,
) -> AppResult<Checked> {
    let input = read_order(form).map_err(AppError::fields)?;
    let mut problems = Vec::new();
    if let Some(d) = input.requested_date
        && d < today
    {
        problems.push(field("requested_date", "this date has passed"));
    }
    let client = client::Entity::find_by_id(input.client_id)
        .one(db)
        .await
        .or_internal("orders")?;
    match &client {
        None => problems.push(field("client_id", "this client does not exist")),
        Some(c) if !c.active => problems.push(field(
            "client_id",
            format!("{} is archived; restore it to take orders", c.name),
        )),
        Some(_) => {}
    }
    let products = products_by_id(db, input.lines.iter().map(|l| l.product_id)).await?;
    for (i, l) in input.lines.iter().enumerate() {
        match products.get(&l.product_id) {
            None => problems.push(field(
                line_field(i, "product"),
                "this product does not exist",
            )),
            Some(p) if !p.active => problems.push(field(
                line_field(i, "product"),
                format!("{} is archived and cannot be sold", p.sku),
            )),
            Some(_) => {}
        }
    }
    let (Some(client), true) = (client, problems.is_empty()) else {
        return Err(AppError::fields(problems));
    };
    let priced = price(input.lines.iter().map(|l| {
        let rate = i64::from(products[&l.product_id].tax_rate_bp);
        (l.clone(), rate)
    }))
    .map_err(|f| AppError::fields(vec![f]))?;
    Ok(Checked {
        input,
        client,
        products,
        priced,
    })
}

/// An order's lines as stored, numbered from 1 in the order entered (ids are left to the
/// database; nothing shows them).
pub(super) fn line_rows(order_id: i64, checked: &Checked) -> Vec<order_line::Model> {
    let Checked {
        input,
        products,
        priced,
        ..
    } = checked;
    input
        .lines
        .iter()
        .zip(&priced.lines)
        .enumerate()
        .map(|(i, (l, a))| {
            let p = &products[&l.product_id];
            order_line::Model {
                id: 0,
                order_id,
                position: i as i32 + 1,
                product_id: l.product_id,
                description: p.name.clone(),
                quantity: l.quantity,
                unit_price: l.unit_price.cents(),
                discount: l.discount.cents(),
                tax_rate_bp: p.tax_rate_bp,
                net: a.net.cents(),
                tax: a.tax.cents(),
            }
        })
        .collect()
}

/// Writes lines (of one order or several) in one INSERT.
pub(super) async fn insert_lines(
    txn: &DatabaseTransaction,
    lines: impl IntoIterator<Item = &order_line::Model>,
) -> AppResult<()> {
    let rows = lines.into_iter().map(|l| order_line::ActiveModel {
        order_id: Set(l.order_id),
        position: Set(l.position),
        product_id: Set(l.product_id),
        description: Set(l.description.clone()),
        quantity: Set(l.quantity),
        unit_price: Set(l.unit_price),
        discount: Set(l.discount),
        tax_rate_bp: Set(l.tax_rate_bp),
        net: Set(l.net),
        tax: Set(l.tax),
        ..Default::default()
    });
    order_line::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await
        .or_internal("orders")?;
    Ok(())
}

pub(super) fn summary(number: &str, client: &client::Model, lines: usize, total: Money) -> String {
    format!(
        "{number} for {}: {lines} line(s), total {total}",
        client.name
    )
}

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
    state.orders.enter(order).await
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

pub(super) fn transition_details(number: &str, from: OrderStatus, to: OrderStatus) -> String {
    format!("{number}: {} → {}", from.label(), to.label())
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
    let mut am: order::ActiveModel = m.into();
    am.client_id = Set(input.client_id);
    am.priority = Set(input.priority);
    am.requested_date = Set(input.requested_date);
    am.notes = Set(input.notes.clone());
    am.net = Set(totals.net.cents());
    am.tax = Set(totals.tax.cents());
    am.total = Set(totals.total.cents());
    let m = am.update(&*w).await.or_internal("orders")?;
    let what = summary(&m.number, &client, input.lines.len(), totals.total);
    w.record(UPDATED, id, what);
    w.commit().await?;
    get(db, id).await
}

/// Confirm, revert or cancel, with its stock effect, in one transaction.
pub async fn transition(
    db: &DatabaseConnection,
    actor: Actor,
    id: i64,
    action: Action,
) -> AppResult<Order> {
    let mut w = Write::begin(db, actor).await?;
    take_edge(&mut w, actor, id, action).await?;
    w.commit().await?;
    get(db, id).await
}

/// Moves order `id` along the first of `action`'s edges whose `from` is its status. Each
/// edge is one conditional UPDATE, so the status check and the change are one step (two
/// clicks racing cannot both confirm). None matching is the 409.
async fn take_edge(w: &mut Write, actor: Actor, id: i64, action: Action) -> AppResult<()> {
    use order::Column as O;
    for edge in action.edges() {
        let moved = order::Entity::update_many()
            .col_expr(O::Status, Expr::val(edge.to))
            .col_expr(O::UpdatedAt, Expr::val(Utc::now()))
            .filter(O::Id.eq(id))
            .filter(O::Status.eq(edge.from))
            .exec(&**w)
            .await
            .or_internal("orders")?;
        if moved.rows_affected == 0 {
            continue;
        }
        let m = find(&**w, id).await?;
        match edge.effect {
            Effect::Reserve => {
                refuse_archived_client(w, &m).await?;
                let wanted = movements(m.id, actor, 1, quantities(w, m.id).await?);
                reserve(w, &m.number, &wanted).await?;
            }
            Effect::Release => release(w, actor, m.id).await?,
            Effect::None => {}
        }
        let what = transition_details(&m.number, edge.from, edge.to);
        w.record(action.event(), m.id, what);
        return Ok(());
    }
    let m = find(&**w, id).await?;
    Err(AppError::Conflict(action.refusal(&m.number, m.status)))
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

/// Quantities per product, in product id order: every transaction locks products in the same
/// order, so two orders sharing products cannot deadlock on PostgreSQL.
async fn quantities(txn: &DatabaseTransaction, order_id: i64) -> AppResult<BTreeMap<i64, i64>> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .all(txn)
        .await
        .or_internal("orders")?;
    Ok(by_product(
        lines.into_iter().map(|l| (l.product_id, l.quantity)),
    ))
}

pub(super) fn by_product(lines: impl Iterator<Item = (i64, i64)>) -> BTreeMap<i64, i64> {
    let mut out = BTreeMap::new();
    for (product, qty) in lines {
        *out.entry(product).or_insert(0) += qty;
    }
    out
}

/// The ledger movements that reserve (`sign` 1) or release (`sign` -1) these quantities
/// for order `order_id`.
pub(super) fn movements(
    order_id: i64,
    by: Actor,
    sign: i64,
    quantities: BTreeMap<i64, i64>,
) -> Vec<Movement<'static>> {
    let kind = if sign > 0 {
        MovementKind::Reservation
    } else {
        MovementKind::Release
    };
    quantities
        .into_iter()
        .map(|(product_id, qty)| Movement {
            product_id,
            kind,
            delta_on_hand: 0,
            delta_reserved: sign * qty,
            unit_cost: None,
            source: Source::Order(order_id),
            reference: "",
            note: "",
            by: Some(by),
        })
        .collect()
}

/// Reserves all of `wanted` or nothing (one conditional UPDATE in the ledger); the refusals
/// are collected, so the message names every product that is short.
pub(super) async fn reserve(
    w: &mut Write,
    number: &str,
    wanted: &[Movement<'_>],
) -> AppResult<Vec<product::Model>> {
    match ledger::apply_all(w, wanted).await? {
        Ok(changed) => Ok(changed),
        Err(short) => Err(AppError::Conflict(format!(
            "Not enough stock to confirm {number}. {}",
            short.join("; ")
        ))),
    }
}

/// Gives back what the order holds reserved, as its ledger movements say (so what
/// deliveries have shipped against it stays shipped).
async fn release(w: &mut Write, actor: Actor, order_id: i64) -> AppResult<()> {
    let held = ledger::reserved_for(&**w, order_id).await?;
    ledger::apply_all(w, &movements(order_id, actor, -1, held))
        .await?
        .map(|_| ())
        .map_err(|refused| AppError::Conflict(refused.join("; ")))
}

/// The order as pages show it: client name, lines with SKU and stock available now, and who
/// created it.
pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Order> {
    let m = find(db, id).await?;
    let client_name = client::Entity::find_by_id(m.client_id)
        .one(db)
        .await
        .or_internal("orders")?
        .map(|c| c.name)
        .unwrap_or_default();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(id))
        .order_by_asc(order_line::Column::Position)
        .all(db)
        .await
        .or_internal("orders")?;
    let products = products_by_id(db, lines.iter().map(|l| l.product_id)).await?;
    let created_by = display_names(db, [m.created_by])
        .await?
        .remove(&m.created_by);
    Ok(to_dto(m, client_name, lines, &products, created_by))
}

/// The order as pages show it, from its rows: lines with SKU, unit and stock available now.
pub(super) fn to_dto(
    m: order::Model,
    client_name: String,
    lines: Vec<order_line::Model>,
    products: &HashMap<i64, product::Model>,
    created_by: Option<String>,
) -> Order {
    let lines = lines
        .into_iter()
        .map(|l| {
            let p = products.get(&l.product_id);
            OrderLine {
                position: l.position,
                product_id: l.product_id,
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                description: l.description,
                unit: p.map(|p| p.unit.clone()).unwrap_or_default(),
                quantity: l.quantity,
                unit_price: Money(l.unit_price),
                discount: Money(l.discount),
                tax_rate_bp: l.tax_rate_bp.into(),
                net: Money(l.net),
                tax: Money(l.tax),
                available: p.map(|p| p.on_hand - p.reserved).unwrap_or(0),
            }
        })
        .collect();
    Order {
        id: m.id,
        number: m.number,
        client_id: m.client_id,
        client_name,
        status: m.status,
        priority: m.priority,
        requested_date: m.requested_date,
        notes: m.notes,
        lines,
        net: Money(m.net),
        tax: Money(m.tax),
        total: Money(m.total),
        created_by,
        created_at: m.created_at,
    }
}
