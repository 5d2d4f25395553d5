//! `deliveries`: some of an order's lines, handed over on a scheduled date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `DN-2026-00042`, unique.
    pub number: String,
    /// The number's running part (42).
    pub seq: i64,
    pub order_id: i64,
    /// The order's client and priority, copied when scheduled (both are fixed once the order
    /// is confirmed): the board filters and sorts by them without a join.
    pub client_id: i64,
    pub priority: crate::orders::Priority,
    pub status: crate::deliveries::DeliveryStatus,
    pub scheduled_date: Date,
    /// "HH:MM" in the business time zone.
    pub window_from: Option<String>,
    pub window_to: Option<String>,
    pub address: String,
    /// The driver or carrier.
    pub carrier: String,
    pub tracking: String,
    pub notes: String,
    pub failure_reason: Option<String>,
    /// Who took it, when delivered.
    pub recipient: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
    pub confirmed_by: Option<i64>,
    /// The drawn signature as SVG path data.
    pub signature: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
