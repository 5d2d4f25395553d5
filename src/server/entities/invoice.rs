//! `invoices`: what a client is billed for one order; a draft until issued, then numbered,
//! frozen and settled by payments and credit notes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `INV-2026-00017` once issued, unique; `None` while a draft.
    pub number: Option<String>,
    pub seq: Option<i64>,
    pub order_id: i64,
    pub client_id: i64,
    /// Derived from payments and credit notes by the service, never set by hand.
    pub status: crate::invoices::InvoiceStatus,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    pub notes: String,
    /// Cents: Σ line net, Σ line tax, their sum; what payments and credit notes took off it,
    /// and what is left (`total - paid - credited`, negative when a credit is owed back).
    pub net: i64,
    pub tax: i64,
    pub total: i64,
    pub paid: i64,
    pub credited: i64,
    pub balance: i64,
    /// While paid or credited: the date the balance reached zero.
    pub settled_on: Option<Date>,
    /// What it was issued as (`invoices::document::Document`, JSON): the PDF is drawn from it.
    pub document: Option<String>,
    pub pdf: Option<Vec<u8>>,
    pub pdf_sha256: Option<String>,
    pub created_by: i64,
    pub issued_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub issued_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
