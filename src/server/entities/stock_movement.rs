//! `stock_movements`: the append-only stock ledger (DESIGN §6).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    /// receipt, adjustment, reservation, release or shipment.
    pub kind: String,
    pub delta_on_hand: i64,
    pub delta_reserved: i64,
    /// Cents per unit, for receipts that state it.
    pub unit_cost: Option<i64>,
    /// Supplier reference, order or delivery number.
    pub reference: String,
    pub note: String,
    pub user_id: Option<i64>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
