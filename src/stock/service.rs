//! Product and stock rules on the server: unique SKUs, archive instead of delete, receipts and
//! adjustments through the ledger, audit events, and the low-stock mail.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, QuerySelect, Set};

use super::ledger::{self, Movement, Source};
use super::rules::{Adjusting, ProductInput, read_adjustment, read_product, read_receipt};
use super::{AdjustmentForm, ENTITY, MovementKind, Product, ProductForm, ReceiptForm};
use crate::audit::{Actor, Event};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::Money;
use crate::orders::shortage::{self, Settled};
use crate::server::AppState;
use crate::server::entities::product;
use crate::server::idempotency;
use crate::server::write::Write;

/// What the audit trail says happened to a product.
const CREATED: Event = Event::new(ENTITY, "product.created");
const UPDATED: Event = Event::new(ENTITY, "product.updated");
const ARCHIVED: Event = Event::new(ENTITY, "product.archived");
const RESTORED: Event = Event::new(ENTITY, "product.restored");
const DELETED: Event = Event::new(ENTITY, "product.deleted");
const RECEIVED: Event = Event::new(ENTITY, "stock.receipt");
const ADJUSTED: Event = Event::new(ENTITY, "stock.adjustment");

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
    m.tax_rate_bp = Set(p.tax_rate_bp);
    m.reorder_level = Set(p.reorder_level);
    m.updated_at = Set(Utc::now());
}

async fn find(db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<product::Model> {
    one(db, product::Entity::find_by_id(id), id).await
}

/// The product `select` finds (product `id`), or a 404.
async fn one(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<product::Entity>,
    id: i64,
) -> AppResult<product::Model> {
    select
        .one(db)
        .await
        .or_internal("products")?
        .ok_or_else(|| AppError::NotFound(format!("product {id}")))
}

pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Product> {
    find(db, id).await.map(to_dto)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: Actor,
    form: ProductForm,
) -> AppResult<Product> {
    let p = input(&form)?;
    let mut w = Write::begin(db, actor).await?;
    let mut m = product::ActiveModel {
        on_hand: Set(0),
        reserved: Set(0),
        low_stock_alerted: Set(false),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(p, &mut m);
    let m = m.insert(&*w).await.map_err(write_err)?;
    w.record(CREATED, m.id, format!("{} {}", m.sku, m.name));
    w.commit().await?;
    Ok(to_dto(m))
}

pub async fn update(
    db: &DatabaseConnection,
    actor: Actor,
    id: i64,
    form: ProductForm,
) -> AppResult<Product> {
    let p = input(&form)?;
    let mut w = Write::begin(db, actor).await?;
    let mut m: product::ActiveModel = find(&*w, id).await?.into();
    apply(p, &mut m);
    let m = m.update(&*w).await.map_err(write_err)?;
    w.record(UPDATED, id, format!("{} {}", m.sku, m.name));
    w.commit().await?;
    Ok(to_dto(m))
}

/// Archive or restore. Products are never deleted once created: orders and movements refer
/// to them (a restricting foreign key enforces it), and the catalogue keeps its history.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: Actor,
    id: i64,
    active: bool,
) -> AppResult<Product> {
    let mut w = Write::begin(db, actor).await?;
    let existing = find(&*w, id).await?;
    if existing.active == active {
        return Ok(to_dto(existing));
    }
    let mut m: product::ActiveModel = existing.into();
    m.active = Set(active);
    m.updated_at = Set(Utc::now());
    let m = m.update(&*w).await.or_internal("products")?;
    w.record(if active { RESTORED } else { ARCHIVED }, id, m.sku.clone());
    w.commit().await?;
    Ok(to_dto(m))
}

/// Deletes a product nothing refers to. Movements (and later order lines) reference products
/// with a restricting foreign key, so the database refuses once it has history: a 409 saying
/// to archive instead.
pub async fn delete(db: &DatabaseConnection, actor: Actor, id: i64) -> AppResult<()> {
    let mut w = Write::begin(db, actor).await?;
    let existing = find(&*w, id).await?;
    if let Err(e) = product::Entity::delete_by_id(id).exec(&*w).await {
        return Err(if crate::server::db::is_foreign_key_violation(&e) {
            AppError::Conflict(format!(
                "{} has stock movements, so it cannot be deleted; archive it instead",
                existing.sku
            ))
        } else {
            AppError::internal("products", e)
        });
    }
    w.record(DELETED, id, format!("{} {}", existing.sku, existing.name));
    w.commit().await
}

/// Times a movement is tried when another write moves the product between its read and its
/// lock (PostgreSQL; SQLite's writes take turns).
const ATTEMPTS: usize = 5;

/// Runs one movement, what it does to orders' reservations (`orders::shortage`) and its audit
/// event in one write unit.
async fn move_stock<'a>(
    state: &AppState,
    actor: Actor,
    id: i64,
    movement: impl Fn(&product::Model) -> (Movement<'a>, String),
    request_key: Option<&str>,
) -> AppResult<Product> {
    for attempt in 1..=ATTEMPTS {
        let last = attempt == ATTEMPTS;
        if let Some(p) = try_move(state, actor, id, &movement, request_key, last).await? {
            return Ok(p);
        }
    }
    Err(AppError::internal("stock", "no attempt settled"))
}

/// One attempt of `move_stock`: `None` when the orders it prepared no longer fit the product
/// as locked (rolled back, to try again); on the `last` attempt that is answered instead.
async fn try_move<'a>(
    state: &AppState,
    actor: Actor,
    id: i64,
    movement: &impl Fn(&product::Model) -> (Movement<'a>, String),
    request_key: Option<&str>,
    last: bool,
) -> AppResult<Option<Product>> {
    let mut w = Write::begin(&state.db, actor).await?;
    if !idempotency::claim(&*w, actor.id(), request_key).await? {
        // Sent before and applied then: answer with the product as it is, change nothing.
        return find(&*w, id).await.map(to_dto).map(Some);
    }
    // The orders a loss takes reservations from (or that stock arriving is owed to) are
    // locked before the product (ARCHITECTURE.md, "Writes"), as the product reads now.
    let seen = one(&*w, product::Entity::find_by_id(id), id).await?;
    let candidates = shortage::prepare(&w, &seen, movement(&seen).0.delta_on_hand).await?;
    // Locked until commit (PostgreSQL; SQLite's writes take turns anyway): a count's
    // difference is taken from the level no other write can change meanwhile.
    let current = one(&*w, product::Entity::find_by_id(id).lock_exclusive(), id).await?;
    let (movement, details) = movement(&current);
    let event = match movement.kind {
        MovementKind::Receipt => RECEIVED,
        _ => ADJUSTED,
    };
    let delta = movement.delta_on_hand;
    let mut all = vec![movement];
    match shortage::settle(&mut w, actor, &current, delta, candidates).await? {
        Settled::Moves(orders) => all.extend(orders),
        Settled::Short(left) if last => return Err(shortage::refusal(&current, left)),
        // Stale on the last attempt: a loss is refused by the ledger below; an arrival
        // leaves owed lines to the next one.
        Settled::Stale if last => {}
        Settled::Short(_) | Settled::Stale => return Ok(None),
    }
    let zone = &state.config.business.zone;
    let product = match ledger::apply_all(&mut w, zone, &all).await? {
        Ok(mut changed) => changed.remove(0),
        Err(mut refusals) => return Err(AppError::Conflict(refusals.remove(0))),
    };
    w.record(event, id, details);
    w.commit().await?;
    Ok(Some(to_dto(product)))
}

/// A receipt: stock in, with the supplier's reference and the unit cost when given.
pub async fn receive(
    state: &AppState,
    actor: Actor,
    id: i64,
    form: ReceiptForm,
) -> AppResult<Product> {
    let (qty, cost) = read_receipt(&form).map_err(AppError::fields)?;
    let details = match cost {
        Some(c) => format!("+{qty} at {c}"),
        None => format!("+{qty}"),
    };
    let movement = |_: &product::Model| {
        let m = Movement {
            product_id: id,
            kind: MovementKind::Receipt,
            delta_on_hand: qty,
            delta_reserved: 0,
            unit_cost: cost.map(Money::cents),
            source: Source::Manual,
            reference: form.reference.trim(),
            reason: None,
            note: form.note.trim(),
            by: Some(actor),
        };
        (m, details.clone())
    };
    move_stock(state, actor, id, movement, form.request_key.as_deref()).await
}

/// An adjustment by hand, with its reason and note: a count records the difference between
/// the shelf and the books; any other reason records the change given.
pub async fn adjust(
    state: &AppState,
    actor: Actor,
    id: i64,
    form: AdjustmentForm,
) -> AppResult<Product> {
    let read = read_adjustment(&form).map_err(AppError::fields)?;
    let note = form.note.trim();
    let reason = form.reason;
    let movement = |p: &product::Model| {
        let (delta, details) = match read {
            Adjusting::Counted(n) => (
                n - p.on_hand,
                format!("counted {n} (books {}): {:+}", p.on_hand, n - p.on_hand),
            ),
            Adjusting::Change(d) => (d, format!("{}: {d:+}", reason.label())),
        };
        let m = Movement {
            product_id: id,
            kind: MovementKind::Adjustment,
            delta_on_hand: delta,
            delta_reserved: 0,
            unit_cost: None,
            source: Source::Manual,
            reference: "",
            reason: Some(reason),
            note,
            by: Some(actor),
        };
        let details = if note.is_empty() {
            details
        } else {
            format!("{details} ({note})")
        };
        (m, details)
    };
    move_stock(state, actor, id, movement, form.request_key.as_deref()).await
}
