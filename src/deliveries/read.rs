//! Reading deliveries for pages and the delivery note: one, or all of an order's, each with
//! its lines (ordered, on this delivery, still outstanding), its order's number, its client
//! and who confirmed it.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::{Delivery, DeliveryLine, DeliveryStatus};
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::entities::{client, delivery, delivery_line, order, order_line, product};
use crate::users::service::display_names;

pub(super) async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<delivery::Model> {
    delivery::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("deliveries")?
        .ok_or_else(|| AppError::NotFound(format!("delivery {id}")))
}

pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Delivery> {
    let d = find(db, id).await?;
    let order = order::Entity::find_by_id(d.order_id)
        .one(db)
        .await
        .or_internal("deliveries")?
        .ok_or_else(|| AppError::internal("deliveries", "a delivery without its order"))?;
    let mut all = assemble(db, &order, vec![d]).await?;
    all.pop()
        .ok_or_else(|| AppError::internal("deliveries", "a delivery read as none"))
}

/// Order `order_id`'s deliveries, in the order they were scheduled.
pub async fn of_order(db: &DatabaseConnection, order_id: i64) -> AppResult<Vec<Delivery>> {
    let order = order::Entity::find_by_id(order_id)
        .one(db)
        .await
        .or_internal("deliveries")?
        .ok_or_else(|| AppError::NotFound(format!("order {order_id}")))?;
    let ds = delivery::Entity::find()
        .filter(delivery::Column::OrderId.eq(order_id))
        .order_by_asc(delivery::Column::Id)
        .all(db)
        .await
        .or_internal("deliveries")?;
    assemble(db, &order, ds).await
}

/// Deliveries of one order as pages show them; a handful of queries whatever their number.
async fn assemble(
    db: &DatabaseConnection,
    order: &order::Model,
    ds: Vec<delivery::Model>,
) -> AppResult<Vec<Delivery>> {
    let client_name = client::Entity::find_by_id(order.client_id)
        .one(db)
        .await
        .or_internal("deliveries")?
        .map(|c| c.name)
        .unwrap_or_default();
    let rows = delivery_line::Entity::find()
        .filter(delivery_line::Column::DeliveryId.is_in(ds.iter().map(|d| d.id)))
        .order_by_asc(delivery_line::Column::Id)
        .all(db)
        .await
        .or_internal("deliveries")?;
    let order_lines: HashMap<i64, order_line::Model> = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .all(db)
        .await
        .or_internal("deliveries")?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let products: HashMap<i64, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(rows.iter().map(|r| r.product_id)))
        .all(db)
        .await
        .or_internal("deliveries")?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let people = display_names(db, ds.iter().filter_map(|d| d.confirmed_by)).await?;
    let line = |d: &delivery::Model, r: &delivery_line::Model| {
        let p = products.get(&r.product_id);
        let ol = order_lines.get(&r.order_line_id);
        // Once this delivery is handed over: a delivered one is already in `delivered`.
        let coming = match d.status {
            DeliveryStatus::Delivered | DeliveryStatus::Cancelled => 0,
            _ => r.quantity,
        };
        DeliveryLine {
            order_line_id: r.order_line_id,
            product_id: r.product_id,
            sku: p.map(|p| p.sku.clone()).unwrap_or_default(),
            description: ol.map(|l| l.description.clone()).unwrap_or_default(),
            unit: p.map(|p| p.unit.clone()).unwrap_or_default(),
            quantity: r.quantity,
            ordered: ol.map_or(0, |l| l.quantity),
            outstanding: ol.map_or(0, |l| (l.quantity - l.delivered - coming).max(0)),
        }
    };
    Ok(ds
        .into_iter()
        .map(|d| Delivery {
            lines: rows
                .iter()
                .filter(|r| r.delivery_id == d.id)
                .map(|r| line(&d, r))
                .collect(),
            confirmed_by: d.confirmed_by.and_then(|u| people.get(&u).cloned()),
            id: d.id,
            number: d.number,
            order_id: order.id,
            order_number: order.number.clone(),
            client_id: order.client_id,
            client_name: client_name.clone(),
            status: d.status,
            priority: d.priority,
            scheduled_date: d.scheduled_date,
            window_from: d.window_from,
            window_to: d.window_to,
            address: d.address,
            carrier: d.carrier,
            tracking: d.tracking,
            notes: d.notes,
            failure_reason: d.failure_reason,
            recipient: d.recipient,
            delivered_at: d.delivered_at,
            signature: d.signature,
            created_at: d.created_at,
        })
        .collect())
}
