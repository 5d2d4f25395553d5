//! Order rules on the server: numbering, checking the client and products, stored totals,
//! and the workflow's transitions with their stock reservations, each in one transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::intake::{self, Entered, NewOrder};
use super::rules::{OrderInput, Priced, line_field, price, read_order};
use super::workflow::{Action, Effect};
use super::{Order, OrderForm, OrderLine, OrderStatus, Priority};
use crate::audit::service::log;
use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::money::Money;
use crate::server::AppState;
use crate::server::db::begin_write;
use crate::server::entities::{client, order, order_line, product};
use crate::stock::MovementKind;
use crate::stock::ledger::{self, Applied, Movement};
use crate::users::service::usernames;

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
/// every product exists and is active, the requested date is not past, and every amount fits.
async fn check(db: &impl ConnectionTrait, form: &OrderForm) -> AppResult<Checked> {
    let input = read_order(form).map_err(AppError::fields)?;
    let mut problems = Vec::new();
    if let Some(d) = input.requested_date
        && d < Utc::now().date_naive()
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
/// orders entered at the same moment, see `intake`); then the low-stock mails its
/// reservations call for.
pub async fn create(
    state: &AppState,
    actor: &CurrentUser,
    form: OrderForm,
    confirm: bool,
) -> AppResult<Order> {
    let order = check_entry(&state.db, actor.id, form, confirm).await?;
    let (mut order, applied) = state.orders.enter(order).await?;
    after_commit(state, applied).await;
    order.created_by = Some(actor.username.clone());
    Ok(order)
}

/// `create` without the queue and without mail (demo data uses it): the new order, built
/// from what was written rather than read back, and the reservations made.
pub async fn create_in(
    db: &DatabaseConnection,
    actor: i64,
    form: OrderForm,
    confirm: bool,
) -> AppResult<Entered> {
    let order = check_entry(db, actor, form, confirm).await?;
    intake::write(db, vec![order])
        .await
        .pop()
        .unwrap_or_else(|| Err(AppError::internal("orders", "no order written")))
}

/// A new order checked and ready for `intake`. Checked before the write transaction, so bad
/// input never queues for the write lock; what could change meanwhile (a product or client
/// archived a moment ago) is harmless, and stock itself is only ever taken by the ledger's
/// conditional update.
pub async fn check_entry(
    db: &DatabaseConnection,
    actor: i64,
    form: OrderForm,
    confirm: bool,
) -> AppResult<NewOrder> {
    let checked = check(db, &form).await?;
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
pub async fn update(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    form: OrderForm,
) -> AppResult<Order> {
    let (_gate, txn) = begin_write(db).await.or_internal("orders")?;
    // The status check and the change in one step: only a draft changes.
    let touched = order::Entity::update_many()
        .col_expr(order::Column::UpdatedAt, Expr::val(Utc::now()))
        .filter(order::Column::Id.eq(id))
        .filter(order::Column::Status.eq(OrderStatus::Draft.as_str()))
        .exec(&txn)
        .await
        .or_internal("orders")?;
    let m = find(&txn, id).await?;
    if touched.rows_affected == 0 {
        let status = status_of(&m.status);
        return Err(AppError::Conflict(format!(
            "{} is {}; only a draft can be edited (take it back to draft first)",
            m.number,
            status.label().to_lowercase()
        )));
    }
    let checked = check(&txn, &form).await?;
    order_line::Entity::delete_many()
        .filter(order_line::Column::OrderId.eq(id))
        .exec(&txn)
        .await
        .or_internal("orders")?;
    insert_lines(&txn, &line_rows(id, &checked)).await?;
    let Checked {
        input,
        client,
        priced: Priced { totals, .. },
        ..
    } = checked;
    let mut am: order::ActiveModel = m.into();
    am.client_id = Set(input.client_id);
    am.priority = Set(input.priority.as_str().into());
    am.requested_date = Set(input.requested_date);
    am.notes = Set(input.notes.clone());
    am.net = Set(totals.net.cents());
    am.tax = Set(totals.tax.cents());
    am.total = Set(totals.total.cents());
    let m = am.update(&txn).await.or_internal("orders")?;
    let what = summary(&m.number, &client, input.lines.len(), totals.total);
    log(&txn, Some(actor), "order.updated", "order", Some(id), what).await?;
    txn.commit().await.or_internal("orders")?;
    get(db, id).await
}

/// Confirm, revert or cancel, with its stock effect, in one transaction.
pub async fn transition(state: &AppState, actor: i64, id: i64, action: Action) -> AppResult<Order> {
    let applied = transition_in(&state.db, actor, id, action).await?;
    after_commit(state, applied).await;
    get(&state.db, id).await
}

/// `transition` without mail: the reservations or releases made.
pub async fn transition_in(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    action: Action,
) -> AppResult<Vec<Applied>> {
    let (_gate, txn) = begin_write(db).await.or_internal("orders")?;
    let applied = take_edge(&txn, actor, id, action).await?;
    txn.commit().await.or_internal("orders")?;
    Ok(applied)
}

/// Moves order `id` along the first of `action`'s edges whose `from` is its status. Each
/// edge is one conditional UPDATE, so the status check and the change are one step (two
/// clicks racing cannot both confirm). None matching is the 409.
async fn take_edge(
    txn: &DatabaseTransaction,
    actor: i64,
    id: i64,
    action: Action,
) -> AppResult<Vec<Applied>> {
    use order::Column as O;
    for edge in action.edges() {
        let moved = order::Entity::update_many()
            .col_expr(O::Status, Expr::val(edge.to.as_str()))
            .col_expr(O::UpdatedAt, Expr::val(Utc::now()))
            .filter(O::Id.eq(id))
            .filter(O::Status.eq(edge.from.as_str()))
            .exec(txn)
            .await
            .or_internal("orders")?;
        if moved.rows_affected == 0 {
            continue;
        }
        let m = find(txn, id).await?;
        let applied = match edge.effect {
            Effect::Reserve => {
                refuse_archived_client(txn, &m).await?;
                let wanted = movements(&m.number, actor, 1, quantities(txn, m.id).await?);
                reserve(txn, &m.number, &wanted).await?
            }
            Effect::Release => release(txn, actor, &m.number, quantities(txn, m.id).await?).await?,
            Effect::None => Vec::new(),
        };
        let what = transition_details(&m.number, edge.from, edge.to);
        log(txn, Some(actor), action.event(), "order", Some(m.id), what).await?;
        return Ok(applied);
    }
    let m = find(txn, id).await?;
    Err(AppError::Conflict(
        action.refusal(&m.number, status_of(&m.status)),
    ))
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
/// for order `number`.
pub(super) fn movements(
    number: &str,
    actor: i64,
    sign: i64,
    quantities: BTreeMap<i64, i64>,
) -> Vec<Movement<'_>> {
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
            reference: number,
            note: "",
            user_id: Some(actor),
        })
        .collect()
}

/// Reserves all of `wanted` or nothing (one conditional UPDATE in the ledger); the refusals
/// are collected, so the message names every product that is short.
pub(super) async fn reserve(
    txn: &DatabaseTransaction,
    number: &str,
    wanted: &[Movement<'_>],
) -> AppResult<Vec<Applied>> {
    match ledger::apply_all(txn, wanted).await? {
        Ok(applied) => Ok(applied),
        Err(short) => Err(AppError::Conflict(format!(
            "Not enough stock to confirm {number}. {}",
            short.join("; ")
        ))),
    }
}

/// Gives back what a confirmed order reserved. (Deliveries will make this the undelivered
/// part; until then a confirmed order has shipped nothing.)
async fn release(
    txn: &DatabaseTransaction,
    actor: i64,
    number: &str,
    reserved: BTreeMap<i64, i64>,
) -> AppResult<Vec<Applied>> {
    ledger::apply_all(txn, &movements(number, actor, -1, reserved))
        .await?
        .map_err(|refused| AppError::Conflict(refused.join("; ")))
}

/// Low-stock mails for reservations that crossed a reorder level, once committed.
async fn after_commit(state: &AppState, applied: Vec<Applied>) {
    for a in applied {
        crate::stock::service::notify(state, a).await;
    }
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
    let created_by = usernames(db, [m.created_by]).await?.remove(&m.created_by);
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
        status: status_of(&m.status),
        priority: Priority::parse(&m.priority).unwrap_or_default(),
        requested_date: m.requested_date.map(|d| d.to_string()),
        notes: m.notes,
        lines,
        net: Money(m.net),
        tax: Money(m.tax),
        total: Money(m.total),
        created_by,
        created_at: m
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// A stored status; the CHECK constraint allows only known ones.
pub(super) fn status_of(s: &str) -> OrderStatus {
    OrderStatus::parse(s).unwrap_or(OrderStatus::Draft)
}
