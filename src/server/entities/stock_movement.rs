//! `stock_movements`: the append-only stock ledger (ARCHITECTURE.md, "Stock").

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub kind: crate::stock::MovementKind,
    pub delta_on_hand: i64,
    pub delta_reserved: i64,
    /// Cents per unit, for receipts that state it.
    pub unit_cost: Option<i64>,
    /// The supplier's reference of a receipt.
    pub reference: String,
    /// Why an adjustment by hand was made.
    pub reason: Option<crate::stock::AdjustReason>,
    pub note: String,
    pub user_id: Option<i64>,
    pub at: DateTimeUtc,
    /// The order a reservation, release or shipment belongs to (`stock::ledger::Source`).
    pub order_id: Option<i64>,
    /// The delivery a shipment belongs to (`stock::ledger::Source`).
    pub delivery_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
