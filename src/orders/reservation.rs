//! What an order holds in stock: reserving its lines on confirmation, and giving back what it
//! still holds, as the ledger's movements for the order say.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::audit::Actor;
use crate::business::Zone;
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::entities::{order_line, product};
use crate::server::write::Write;
use crate::stock::MovementKind;
use crate::stock::ledger::{self, Movement, Source};

/// Quantities per product, in product id order: every transaction locks products in the same
/// order, so two orders sharing products cannot deadlock on PostgreSQL.
pub(super) async fn quantities(
    txn: &DatabaseTransaction,
    order_id: i64,
) -> AppResult<BTreeMap<i64, i64>> {
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
            reason: None,
            note: "",
            by: Some(by),
        })
        .collect()
}

/// Reserves all of `wanted` or nothing (one conditional UPDATE in the ledger); the refusals
/// are collected, so the message names every product that is short.
pub(super) async fn reserve(
    w: &mut Write,
    zone: &Zone,
    number: &str,
    wanted: &[Movement<'_>],
) -> AppResult<Vec<product::Model>> {
    match ledger::apply_all(w, zone, wanted).await? {
        Ok(changed) => Ok(changed),
        Err(short) => Err(AppError::Conflict(format!(
            "Not enough stock to confirm {number}. {}",
            short.join("; ")
        ))),
    }
}

/// Gives back what the order holds reserved, as its ledger movements say (so what
/// deliveries have shipped against it stays shipped).
pub(super) async fn release(
    w: &mut Write,
    zone: &Zone,
    actor: Actor,
    order_id: i64,
) -> AppResult<()> {
    let held = ledger::reserved_for(&**w, order_id).await?;
    // What it was owed of lost stock goes with it.
    super::shortage::forgive(&**w, order_id).await?;
    ledger::apply_all(w, zone, &movements(order_id, actor, -1, held))
        .await?
        .map(|_| ())
        .map_err(|refused| AppError::Conflict(refused.join("; ")))
}
