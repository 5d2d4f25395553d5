//! `invoice_lines`: some or all of one order line, at the order's price.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    pub order_line_id: i64,
    pub position: i32,
    pub product_id: i64,
    pub description: String,
    pub unit: String,
    pub quantity: i64,
    /// Cents; the discount is this line's share of the order line's.
    pub unit_price: i64,
    pub discount: i64,
    pub tax_rate_bp: i32,
    pub net: i64,
    pub tax: i64,
    /// Taken back by credit notes so far.
    pub credited: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
