//! An order's rows: reading one for pages, writing its lines, and the words its audit events
//! use.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::check::{Checked, products_by_id};
use super::{ENTITY, Order, OrderLine, OrderStatus};
use crate::audit::Event;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::Money;
use crate::server::entities::{client, order, order_line, outbox_mail, product};
use crate::users::service::display_names;

/// What the audit trail says happened to an order (the workflow's own events are
/// `Action::event`).
pub(super) const CREATED: Event = Event::new(ENTITY, "order.created");
pub(super) const UPDATED: Event = Event::new(ENTITY, "order.updated");

pub(super) async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<order::Model> {
    order::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("orders")?
        .ok_or_else(|| AppError::NotFound(format!("order {id}")))
}

/// Order `id`'s lines, in the order entered.
pub(super) async fn lines_of(
    db: &impl ConnectionTrait,
    id: i64,
) -> AppResult<Vec<order_line::Model>> {
    order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(id))
        .order_by_asc(order_line::Column::Position)
        .all(db)
        .await
        .or_internal("orders")
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
                // At most 10,000: read by `Discount::parse`.
                discount_bp: l.discount_bp.and_then(|bp| i32::try_from(bp).ok()),
                tax_rate_bp: p.tax_rate_bp,
                net: a.net.cents(),
                tax: a.tax.cents(),
                scheduled: 0,
                delivered: 0,
                invoiced: 0,
                uncovered: 0,
            }
        })
        .collect()
}

/// Writes lines (of one order or several) in one INSERT; answers with them as stored (their
/// ids are what deliveries name), in no particular order.
pub(super) async fn insert_lines(
    txn: &DatabaseTransaction,
    lines: impl IntoIterator<Item = &order_line::Model>,
) -> AppResult<Vec<order_line::Model>> {
    let rows = lines.into_iter().map(|l| order_line::ActiveModel {
        order_id: Set(l.order_id),
        position: Set(l.position),
        product_id: Set(l.product_id),
        description: Set(l.description.clone()),
        quantity: Set(l.quantity),
        unit_price: Set(l.unit_price),
        discount: Set(l.discount),
        discount_bp: Set(l.discount_bp),
        tax_rate_bp: Set(l.tax_rate_bp),
        net: Set(l.net),
        tax: Set(l.tax),
        ..Default::default()
    });
    order_line::Entity::insert_many(rows)
        .exec_with_returning(txn)
        .await
        .or_internal("orders")
}

pub(super) fn summary(number: &str, client: &client::Model, lines: usize, total: Money) -> String {
    format!(
        "{number} for {}: {lines} line(s), total {total}",
        client.name
    )
}

pub(super) fn transition_details(number: &str, from: OrderStatus, to: OrderStatus) -> String {
    format!("{number}: {} → {}", from.label(), to.label())
}

/// The order as pages show it: client name and email, lines with SKU and stock available
/// now, who created it, and the mails it was sent in.
pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Order> {
    let m = find(db, id).await?;
    let client = client::Entity::find_by_id(m.client_id)
        .one(db)
        .await
        .or_internal("orders")?;
    let (client_name, client_email) = client.map(|c| (c.name, c.email)).unwrap_or_default();
    let lines = lines_of(db, id).await?;
    let products = products_by_id(db, lines.iter().map(|l| l.product_id)).await?;
    let created_by = display_names(db, [m.created_by])
        .await?
        .remove(&m.created_by);
    let mails = crate::outbox::service::sent_for(db, outbox_mail::Column::OrderId, id).await?;
    let mut order = to_dto(m, client_name, lines, &products, created_by);
    order.client_email = client_email;
    order.mails = mails;
    Ok(order)
}

/// The order as pages show it, from its rows: lines with SKU, unit and stock available now
/// (without the client's email and the mails, which `get` adds).
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
                id: l.id,
                position: l.position,
                product_id: l.product_id,
                sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
                description: l.description,
                unit: p.map(|p| p.unit.clone()).unwrap_or_default(),
                quantity: l.quantity,
                unit_price: Money(l.unit_price),
                discount: Money(l.discount),
                discount_bp: l.discount_bp.map(i64::from),
                tax_rate_bp: l.tax_rate_bp.into(),
                net: Money(l.net),
                tax: Money(l.tax),
                available: p.map(product::Model::available).unwrap_or(0),
                delivered: l.delivered,
                scheduled: l.scheduled,
                uncovered: l.uncovered,
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
        client_reference: m.client_reference,
        delivery_address: m.delivery_address,
        valid_until: m.valid_until,
        client_email: None,
        mails: Vec::new(),
        lines,
        net: Money(m.net),
        tax: Money(m.tax),
        total: Money(m.total),
        created_by,
        created_at: m.created_at,
    }
}
