//! `login_failures`: recent failed sign-ins, counted per account and per IP for throttling.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Whose failure it is: `account:<id>` for a known account, whichever identifier was
    /// typed, or `login:<text>` (lower-cased, shortened) for one that matches no account.
    pub account: String,
    pub ip: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
