//! `rate_hits`: recent rate-limited requests (password resets, registrations), counted per IP
//! and per address (`server::throttle`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_hits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Which limit it counts against (`throttle::Limit::action`).
    pub action: String,
    pub ip: String,
    /// The email address the request was about, lower-cased.
    pub address: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
