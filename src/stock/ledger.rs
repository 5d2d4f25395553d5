//! The one place stock changes (ARCHITECTURE.md, "Stock"). Every movement — receipt,
//! adjustment, reservation, release and later shipment — goes through `apply`, inside the
//! caller's write unit: one conditional UPDATE of the cached totals, refused when it would
//! break 0 ≤ reserved ≤ on_hand, then the ledger rows, and the low-stock mail of a product
//! that just fell to its reorder level. Nothing else writes `on_hand` or `reserved`.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::MovementKind;
use crate::audit::Actor;
use crate::auth::Role;
use crate::business::Zone;
use crate::error::{AppError, AppResult, OrInternal};
use crate::outbox::Mail;
use crate::reports::kept;
use crate::server::entities::{product, stock_movement};
use crate::server::write::Write;
use crate::users::service::emails_of;

/// What a movement belongs to: the typed link from the ledger to the document that caused
/// it. A shipment keeps its order beside its delivery, so an order's reservation stays the
/// sum of its movements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A receipt or adjustment made by hand.
    Manual,
    /// An order's reservation or release.
    Order(i64),
    /// A delivery's shipment, of order `order`.
    Delivery { order: i64, delivery: i64 },
}

impl Source {
    fn order_id(self) -> Option<i64> {
        match self {
            Source::Manual => None,
            Source::Order(id) | Source::Delivery { order: id, .. } => Some(id),
        }
    }

    fn delivery_id(self) -> Option<i64> {
        match self {
            Source::Delivery { delivery, .. } => Some(delivery),
            Source::Manual | Source::Order(_) => None,
        }
    }
}

/// One change to a product's stock.
#[derive(Clone)]
pub struct Movement<'a> {
    pub product_id: i64,
    pub kind: MovementKind,
    pub delta_on_hand: i64,
    pub delta_reserved: i64,
    pub unit_cost: Option<i64>,
    pub source: Source,
    /// The supplier's reference of a receipt.
    pub reference: &'a str,
    /// Why a movement by hand was made.
    pub reason: Option<super::AdjustReason>,
    pub note: &'a str,
    /// Who moved it (each of several orders written together has its own).
    pub by: Option<Actor>,
}

/// Applies `m` within `w`; a refusal is a 409 in the words a warehouse user needs. Answers
/// with the product as it is now.
pub async fn apply(w: &mut Write, zone: &Zone, m: Movement<'_>) -> AppResult<product::Model> {
    match apply_all(w, zone, std::slice::from_ref(&m)).await? {
        Ok(mut changed) => Ok(changed.remove(0)),
        Err(mut refusals) => Err(AppError::Conflict(refusals.remove(0))),
    }
}

/// Applies several movements within `w` (an order's lines, or several orders written
/// together): every product's totals in one conditional UPDATE, then every ledger row in one
/// INSERT. A product in several movements must stay valid after their sum. When any product is
/// refused, nothing is recorded and every refusal is returned (`Err`), so the caller can name
/// them all and roll back (the UPDATE has changed the products it did not refuse). On success,
/// the products changed, as they are now. Each movement also counts in the stock report's
/// summary on its business day (`zone`), and a receipt's unit cost becomes its product's
/// last cost.
pub async fn apply_all(
    w: &mut Write,
    zone: &Zone,
    ms: &[Movement<'_>],
) -> AppResult<Result<Vec<product::Model>, Vec<String>>> {
    // Nothing to move is a valid call (an order cancelled after losses took all it held);
    // an UPDATE with an empty CASE would not even parse.
    if ms.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let net = per_product(ms);
    let changed = change_totals(&**w, &net).await?;
    if changed.len() < net.len() {
        return Ok(Err(refusals(&**w, &net, &changed).await?));
    }
    let at = Utc::now();
    let rows = ms.iter().map(|m| stock_movement::ActiveModel {
        product_id: Set(m.product_id),
        kind: Set(m.kind),
        delta_on_hand: Set(m.delta_on_hand),
        delta_reserved: Set(m.delta_reserved),
        unit_cost: Set(m.unit_cost),
        reference: Set(m.reference.to_string()),
        reason: Set(m.reason),
        note: Set(m.note.to_string()),
        user_id: Set(m.by.map(Actor::id)),
        order_id: Set(m.source.order_id()),
        delivery_id: Set(m.source.delivery_id()),
        at: Set(at),
        ..Default::default()
    });
    stock_movement::Entity::insert_many(rows)
        .exec_without_returning(&**w)
        .await
        .or_internal("stock ledger")?;
    for m in ms {
        kept::stock::moved(w, zone, &at, m.kind, (m.delta_on_hand, m.delta_reserved));
    }
    keep_last_costs(&**w, ms).await?;
    let mut products = Vec::with_capacity(changed.len());
    for p in changed {
        products.push(track_low_stock(w, p).await?);
    }
    Ok(Ok(products))
}

/// The receipts with a unit cost set their products' last cost (the last of several wins, as
/// it is the last in the ledger).
async fn keep_last_costs(db: &impl ConnectionTrait, ms: &[Movement<'_>]) -> AppResult<()> {
    let mut costs = BTreeMap::new();
    for m in ms.iter().filter(|m| m.kind == MovementKind::Receipt) {
        if let Some(cost) = m.unit_cost {
            costs.insert(m.product_id, cost);
        }
    }
    for (id, cost) in costs {
        product::Entity::update_many()
            .col_expr(product::Column::LastCost, Expr::val(cost))
            .filter(product::Column::Id.eq(id))
            .exec(db)
            .await
            .or_internal("stock ledger")?;
    }
    Ok(())
}

/// What order `order_id` holds reserved now, per product (in product id order): the sum of
/// its movements, so whatever reserved, released or (later) shipped against it counts.
pub async fn reserved_for(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> AppResult<BTreeMap<i64, i64>> {
    use stock_movement::Column as M;
    let sums: Vec<(i64, i64)> = stock_movement::Entity::find()
        .select_only()
        .column(M::ProductId)
        .column_as(
            Expr::cust("CAST(SUM(delta_reserved) AS BIGINT)"),
            "reserved",
        )
        .filter(M::OrderId.eq(order_id))
        .group_by(M::ProductId)
        .into_tuple()
        .all(db)
        .await
        .or_internal("stock ledger")?;
    Ok(sums.into_iter().filter(|(_, q)| *q != 0).collect())
}

/// The movements' net change per product, in product id order: one CASE arm each.
fn per_product<'a>(ms: &[Movement<'a>]) -> Vec<Movement<'a>> {
    let mut sorted: Vec<&Movement<'a>> = ms.iter().collect();
    sorted.sort_by_key(|m| m.product_id);
    let mut net: Vec<Movement<'a>> = Vec::with_capacity(sorted.len());
    for m in sorted {
        match net.last_mut() {
            Some(last) if last.product_id == m.product_id => {
                last.delta_on_hand += m.delta_on_hand;
                last.delta_reserved += m.delta_reserved;
            }
            _ => net.push(m.clone()),
        }
    }
    net
}

/// One UPDATE for all of `ms` (distinct products): each row gets its own deltas through a
/// CASE on the id, and only rows whose new values keep 0 ≤ reserved ≤ on_hand are written.
/// Returns the rows written, as written; a product missing from them was refused.
async fn change_totals(
    txn: &impl ConnectionTrait,
    ms: &[Movement<'_>],
) -> AppResult<Vec<product::Model>> {
    use product::Column as P;
    let delta = |pick: fn(&Movement<'_>) -> i64| -> Expr {
        ms.iter()
            .fold(CaseStatement::new(), |case, m| {
                case.case(Expr::col(P::Id).eq(m.product_id), pick(m))
            })
            .finally(0)
            .into()
    };
    let after_on = Expr::col(P::OnHand).add(delta(|m| m.delta_on_hand));
    let after_res = Expr::col(P::Reserved).add(delta(|m| m.delta_reserved));
    product::Entity::update_many()
        .col_expr(P::OnHand, after_on.clone())
        .col_expr(P::Reserved, after_res.clone())
        .col_expr(P::UpdatedAt, Expr::val(Utc::now()))
        .filter(P::Id.is_in(ms.iter().map(|m| m.product_id)))
        .filter(after_on.clone().gte(0))
        .filter(after_res.clone().gte(0))
        .filter(after_res.lte(after_on))
        // The rows as updated come back with the UPDATE: no second read on the way that
        // every order confirmation and receipt takes.
        .exec_with_returning(txn)
        .await
        .or_internal("stock ledger")
}

/// Why each movement the UPDATE left out cannot happen (read only on this failure path).
async fn refusals(
    txn: &impl ConnectionTrait,
    ms: &[Movement<'_>],
    changed: &[product::Model],
) -> AppResult<Vec<String>> {
    let refused: Vec<&Movement<'_>> = ms
        .iter()
        .filter(|m| !changed.iter().any(|p| p.id == m.product_id))
        .collect();
    let products = product::Entity::find()
        .filter(product::Column::Id.is_in(refused.iter().map(|m| m.product_id)))
        .all(txn)
        .await
        .or_internal("stock ledger")?;
    refused
        .into_iter()
        .map(|m| {
            products
                .iter()
                .find(|p| p.id == m.product_id)
                .map(|p| refusal(p, m))
                .ok_or_else(|| AppError::NotFound(format!("product {}", m.product_id)))
        })
        .collect()
}

/// Why a movement cannot happen, in the words a warehouse user needs.
fn refusal(p: &product::Model, m: &Movement<'_>) -> String {
    let available = p.available();
    let unit = &p.unit;
    match m.kind {
        MovementKind::Reservation => format!(
            "{} ({}): only {available} {unit} available, {} asked",
            p.name, p.sku, m.delta_reserved
        ),
        _ if p.on_hand + m.delta_on_hand < 0 => format!(
            "{} ({}): on hand is {} {unit}; this would take it below zero",
            p.name, p.sku, p.on_hand
        ),
        _ => format!(
            "{} ({}): {} {unit} are reserved for orders; on hand cannot go below that",
            p.name, p.sku, p.reserved
        ),
    }
}

/// Keeps `low_stock_alerted` in step with available ≤ reorder level. A downward crossing
/// (the flag just set) queues the one low-stock mail, so exactly one goes out per crossing.
async fn track_low_stock(w: &mut Write, p: product::Model) -> AppResult<product::Model> {
    let low = p.is_low();
    if low == p.low_stock_alerted {
        return Ok(p);
    }
    let mut am: product::ActiveModel = p.into();
    am.low_stock_alerted = Set(low);
    let p = am.update(&**w).await.or_internal("stock ledger")?;
    if low {
        low_stock_mail(w, &p).await?;
    }
    Ok(p)
}

/// The low-stock mail, to every active warehouse and admin user.
async fn low_stock_mail(w: &mut Write, p: &product::Model) -> AppResult<()> {
    let recipients = emails_of(&**w, &[Role::Warehouse, Role::Admin]).await?;
    let available = p.available();
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
    for mail in Mail::to_each(recipients, &subject, &body) {
        w.mail(mail);
    }
    Ok(())
}

/// The consistency check: recomputes every product's totals from its movements and lists the
/// products whose cached totals differ (none, when the ledger has been kept).
pub async fn check(db: &impl ConnectionTrait) -> AppResult<Vec<super::Drift>> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        sku: String,
        on_hand: i64,
        reserved: i64,
        ledger_on_hand: i64,
        ledger_reserved: i64,
    }
    let sql = "SELECT p.id, p.sku, p.on_hand, p.reserved, \
               CAST(COALESCE(SUM(m.delta_on_hand), 0) AS BIGINT) AS ledger_on_hand, \
               CAST(COALESCE(SUM(m.delta_reserved), 0) AS BIGINT) AS ledger_reserved \
               FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id \
               GROUP BY p.id, p.sku, p.on_hand, p.reserved \
               HAVING p.on_hand <> COALESCE(SUM(m.delta_on_hand), 0) \
               OR p.reserved <> COALESCE(SUM(m.delta_reserved), 0) \
               ORDER BY p.id";
    let rows = Row::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
        .or_internal("stock ledger")?;
    Ok(rows
        .into_iter()
        .map(|r| super::Drift {
            product_id: r.id,
            sku: r.sku,
            on_hand: r.on_hand,
            ledger_on_hand: r.ledger_on_hand,
            reserved: r.reserved,
            ledger_reserved: r.ledger_reserved,
        })
        .collect())
}
