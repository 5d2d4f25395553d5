//! `credit_notes`: an issued invoice corrected, in part or in full; numbered `CN-…`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub seq: i64,
    pub invoice_id: i64,
    pub client_id: i64,
    pub issue_date: Date,
    pub reason: String,
    /// Cents, positive: what it takes off the invoice.
    pub net: i64,
    pub tax: i64,
    pub total: i64,
    /// What it was issued as (JSON), and its frozen PDF.
    pub document: String,
    pub pdf: Option<Vec<u8>>,
    pub pdf_sha256: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
