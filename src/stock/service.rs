//! Product and stock rules on the server: unique SKUs, archive instead of delete, receipts and
//! adjustments through the ledger, audit events, and the low-stock mail.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use super::ledger::{self, Applied, Movement};
use super::rules::{ProductInput, read_adjustment, read_product, read_receipt};
use super::{AdjustmentForm, MovementKind, Product, ProductForm, ReceiptForm};
use crate::audit::service::log;
use crate::auth::Role;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::Money;
use crate::server::AppState;
use crate::server::db::begin_write;
use crate::server::entities::product;
use crate::server::idempotency;
use crate::users::service::emails_of;

pub(super) fn to_dto(m: product::Model) -> Product {
    Product {
        id: m.id,
        sku: m.sku,
        name: m.name,
        description: m.description,
        unit: m.unit,
        unit_price: Money(m.unit_price),
        tax_rate_bp: m.tax_rate_bp.into(),
        reorder_level: m.reorder_level,
        on_hand: m.on_hand,
        reserved: m.reserved,
        active: m.active,
    }
}

fn input(form: &ProductForm) -> AppResult<ProductInput> {
    read_product(form).map_err(AppError::fields)
}

/// The unique index is the guard; this turns its refusal into a message at the SKU field.
fn write_err(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::field("sku", "another product already has this SKU")
        }
        _ => AppError::internal("products", e),
    }
}

fn apply(p: ProductInput, m: &mut product::ActiveModel) {
    m.sku_key = Set(p.sku.to_lowercase());
    m.name_key = Set(p.name.to_lowercase());
    m.sku = Set(p.sku);
    m.name = Set(p.name);
    m.description = Set(p.description);
    m.unit = Set(p.unit);
    m.unit_price = Set(p.unit_price.cents());
    // In range: the rules checked 0..=10000.
    m.tax_rate_bp = Set(p.tax_rate_bp as i32);
    m.reorder_level = Set(p.reorder_level);
    m.updated_at = Set(Utc::now());
}

async fn find(db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<product::Model> {
    product::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("products")?
        .ok_or_else(|| AppError::NotFound(format!("product {id}")))
}

pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Product> {
    find(db, id).await.map(to_dto)
}

pub async fn create(db: &DatabaseConnection, actor: i64, form: ProductForm) -> AppResult<Product> {
    let p = input(&form)?;
    let (_gate, txn) = begin_write(db).await.or_internal("products")?;
    let mut m = product::ActiveModel {
        on_hand: Set(0),
        reserved: Set(0),
        low_stock_alerted: Set(false),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(p, &mut m);
    let m = m.insert(&txn).await.map_err(write_err)?;
    let what = format!("{} {}", m.sku, m.name);
    log(
        &txn,
        Some(actor),
        "product.created",
        "product",
        Some(m.id),
        what,
    )
    .await?;
    txn.commit().await.or_internal("products")?;
    Ok(to_dto(m))
}

pub async fn update(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    form: ProductForm,
) -> AppResult<Product> {
    let p = input(&form)?;
    let (_gate, txn) = begin_write(db).await.or_internal("products")?;
    let mut m: product::ActiveModel = find(&txn, id).await?.into();
    apply(p, &mut m);
    let m = m.update(&txn).await.map_err(write_err)?;
    let what = format!("{} {}", m.sku, m.name);
    log(
        &txn,
        Some(actor),
        "product.updated",
        "product",
        Some(id),
        what,
    )
    .await?;
    txn.commit().await.or_internal("products")?;
    Ok(to_dto(m))
}

/// Archive or restore. Products are never deleted once created: orders and movements refer
/// to them (a restricting foreign key enforces it), and the catalogue keeps its history.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    active: bool,
) -> AppResult<Product> {
    let (_gate, txn) = begin_write(db).await.or_internal("products")?;
    let existing = find(&txn, id).await?;
    if existing.active == active {
        return Ok(to_dto(existing));
    }
    let mut m: product::ActiveModel = existing.into();
    m.active = Set(active);
    m.updated_at = Set(Utc::now());
    let m = m.update(&txn).await.or_internal("products")?;
    let action = if active {
        "product.restored"
    } else {
        "product.archived"
    };
    log(
        &txn,
        Some(actor),
        action,
        "product",
        Some(id),
        m.sku.clone(),
    )
    .await?;
    txn.commit().await.or_internal("products")?;
    Ok(to_dto(m))
}

/// Deletes a product nothing refers to. Movements (and later order lines) reference products
/// with a restricting foreign key, so the database refuses once it has history: a 409 saying
/// to archive instead.
pub async fn delete(db: &DatabaseConnection, actor: i64, id: i64) -> AppResult<()> {
    let (_gate, txn) = begin_write(db).await.or_internal("products")?;
    let existing = find(&txn, id).await?;
    if let Err(e) = product::Entity::delete_by_id(id).exec(&txn).await {
        return Err(if crate::server::db::is_foreign_key_violation(&e) {
            AppError::Conflict(format!(
                "{} has stock movements, so it cannot be deleted; archive it instead",
                existing.sku
            ))
        } else {
            AppError::internal("products", e)
        });
    }
    let what = format!("{} {}", existing.sku, existing.name);
    log(
        &txn,
        Some(actor),
        "product.deleted",
        "product",
        Some(id),
        what,
    )
    .await?;
    txn.commit().await.or_internal("products")?;
    Ok(())
}

/// Runs one movement and its audit event in a transaction.
async fn move_stock(
    db: &DatabaseConnection,
    actor: i64,
    movement: Movement<'_>,
    details: String,
    request_key: Option<&str>,
) -> AppResult<Applied> {
    let action = format!("stock.{}", movement.kind.as_str());
    let id = movement.product_id;
    let (_gate, txn) = begin_write(db).await.or_internal("products")?;
    if !idempotency::claim(&txn, actor, request_key).await? {
        // Sent before and applied then: answer with the product as it is, change nothing.
        let product = find(&txn, id).await?;
        return Ok(Applied {
            product,
            crossed_low: false,
        });
    }
    let applied = ledger::apply(&txn, movement).await?;
    log(&txn, Some(actor), &action, "product", Some(id), details).await?;
    txn.commit().await.or_internal("products")?;
    Ok(applied)
}

/// After a committed movement: the low-stock mail if it crossed the reorder level. Orders
/// call it for their reservations too.
pub async fn notify(state: &AppState, applied: Applied) -> Product {
    if applied.crossed_low {
        alert_low_stock(state, &applied.product).await;
    }
    to_dto(applied.product)
}

pub async fn receive(
    state: &AppState,
    actor: i64,
    id: i64,
    form: ReceiptForm,
) -> AppResult<Product> {
    let applied = receive_in(&state.db, actor, id, form).await?;
    Ok(notify(state, applied).await)
}

/// A receipt without the mail (demo data and the benchmark's generator use it).
pub async fn receive_in(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    form: ReceiptForm,
) -> AppResult<Applied> {
    let (qty, cost) = read_receipt(&form).map_err(AppError::fields)?;
    let details = match cost {
        Some(c) => format!("+{qty} at {c}"),
        None => format!("+{qty}"),
    };
    let movement = Movement {
        product_id: id,
        kind: MovementKind::Receipt,
        delta_on_hand: qty,
        delta_reserved: 0,
        unit_cost: cost.map(Money::cents),
        reference: form.reference.trim(),
        note: form.note.trim(),
        user_id: Some(actor),
    };
    move_stock(db, actor, movement, details, form.request_key.as_deref()).await
}

pub async fn adjust(
    state: &AppState,
    actor: i64,
    id: i64,
    form: AdjustmentForm,
) -> AppResult<Product> {
    let qty = read_adjustment(&form).map_err(AppError::fields)?;
    let reason = form.reason.trim();
    let movement = Movement {
        product_id: id,
        kind: MovementKind::Adjustment,
        delta_on_hand: qty,
        delta_reserved: 0,
        unit_cost: None,
        reference: "",
        note: reason,
        user_id: Some(actor),
    };
    let details = format!("{qty:+}: {reason}");
    let key = form.request_key.as_deref();
    let applied = move_stock(&state.db, actor, movement, details, key).await?;
    Ok(notify(state, applied).await)
}

/// One mail to each active warehouse and admin user, in the background: a mail server that
/// is slow or down must not hold up (or undo) the stock movement.
async fn alert_low_stock(state: &AppState, p: &product::Model) {
    let recipients = match emails_of(&state.db, &[Role::Warehouse, Role::Admin]).await {
        Ok(to) => to,
        Err(e) => {
            tracing::error!("low-stock mail for product {}: {e}", p.id);
            return;
        }
    };
    let available = p.on_hand - p.reserved;
    let subject = format!("Low stock: {} {}", p.sku, p.name);
    let body = format!(
        "{} ({}) is at or below its reorder level.\n\nAvailable: {available} {unit}\n\
         On hand: {} {unit}\nReserved for orders: {} {unit}\nReorder level: {} {unit}\n\n\
         You will not be mailed again about this product until its stock has recovered above \
         the reorder level.\n",
        p.name,
        p.sku,
        p.on_hand,
        p.reserved,
        p.reorder_level,
        unit = p.unit,
    );
    state.mailer.send_later(recipients, subject, body);
}
