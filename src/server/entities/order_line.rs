//! `order_lines`: what an order sells, at the price and tax rate agreed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    /// 1-based, the order the lines were entered in.
    pub position: i32,
    pub product_id: i64,
    /// The product's name when the line was written.
    pub description: String,
    pub quantity: i64,
    /// Cents.
    pub unit_price: i64,
    /// Cents off the line.
    pub discount: i64,
    /// The percent (basis points) the discount was given as; none for an amount.
    pub discount_bp: Option<i32>,
    pub tax_rate_bp: i32,
    pub net: i64,
    pub tax: i64,
    /// On open deliveries (scheduled, out, failed); `scheduled + delivered ≤ quantity`.
    pub scheduled: i64,
    pub delivered: i64,
    /// On invoices (drafts and issued), less what credit notes took back.
    pub invoiced: i64,
    /// Units its order no longer holds in reserve: lost or broken after it was confirmed,
    /// reserved again as stock arrives (`orders::shortage`). Never scheduled for delivery:
    /// `scheduled + delivered + uncovered ≤ quantity`.
    pub uncovered: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
