//! `clients`: the customers orders and invoices are made out to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub contact: String,
    /// Lower-cased; `None` when the client has no email.
    pub email: Option<String>,
    pub phone: String,
    pub billing_address: String,
    pub shipping_address: String,
    pub tax_id: String,
    pub payment_terms_days: i32,
    pub notes: String,
    pub active: bool,
    /// Lower-cased name: the sort key, so "acme" and "Acme" sort together.
    pub name_key: String,
    /// Lower-cased name, contact, email, phone (as typed and as digits) and addresses, indexed
    /// for substring search.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
