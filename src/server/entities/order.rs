//! `orders`: a client's sales order, its status and its stored totals.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `SO-2026-00042`, unique.
    pub number: String,
    /// The number's running part (42).
    pub seq: i64,
    pub client_id: i64,
    pub status: crate::orders::OrderStatus,
    pub priority: crate::orders::Priority,
    pub requested_date: Option<Date>,
    pub notes: String,
    /// Cents: Σ line net, Σ line tax, and their sum (ARCHITECTURE.md, "Money, quantities, numbers").
    pub net: i64,
    pub tax: i64,
    pub total: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When it was last confirmed (none while a draft, or cancelled as one).
    pub confirmed_at: Option<DateTimeUtc>,
    /// The client's own reference for it (their purchase order number); may be empty.
    pub client_reference: String,
    /// Where it is delivered: fixed when saved, by default the client's shipping address.
    pub delivery_address: String,
    /// Until when a quotation of this draft holds; `None` for the default (`QUOTE_DAYS`).
    pub valid_until: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
