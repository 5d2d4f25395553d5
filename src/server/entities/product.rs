//! `products`: what is sold, with cached stock totals (the ledger is `stock_movement`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sku: String,
    /// Lower-cased SKU, unique.
    pub sku_key: String,
    pub name: String,
    pub name_key: String,
    pub description: String,
    pub unit: String,
    /// Cents.
    pub unit_price: i64,
    /// Basis points (1900 = 19 %).
    pub tax_rate_bp: i32,
    pub reorder_level: i64,
    /// Σ movements' Δ on-hand, kept in the same transaction as each movement.
    pub on_hand: i64,
    /// Σ movements' Δ reserved, likewise.
    pub reserved: i64,
    pub low_stock_alerted: bool,
    /// Cents: the unit cost of the last receipt that had one, kept by the ledger.
    pub last_cost: Option<i64>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn available(&self) -> i64 {
        crate::stock::rules::available(self.on_hand, self.reserved)
    }

    pub fn is_low(&self) -> bool {
        crate::stock::rules::is_low(self.on_hand, self.reserved, self.reorder_level)
    }
}
