//! `users`: accounts, with their role and an argon2id password hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    /// Lower-cased username: sign-in and uniqueness ignore case.
    pub username_key: String,
    pub first_name: String,
    pub last_name: String,
    /// Stored lower-cased.
    pub email: String,
    pub password_hash: String,
    pub role: crate::auth::Role,
    pub active: bool,
    /// Registered, waiting for an administrator to approve the account and pick its role.
    pub pending: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the person last signed in; none: never.
    pub last_sign_in_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
