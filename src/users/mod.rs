//! User administration (admin only): approve or decline account requests, invite people,
//! list and search accounts (with their last sign-in), change roles, deactivate and
//! reactivate, send a password-reset link.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;

#[cfg(feature = "server")]
mod invite;
#[cfg(feature = "server")]
pub mod service;
pub mod view;

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "user";

/// Who may read and who may change (administrators only); `READ` also decides the menu entry.
pub const READ: Access = Access::AdminOnly;
pub const WRITE: Access = Access::AdminOnly;

/// How people are shown: "Sam Seller", or the username when no name was given.
pub fn display_name(first: &str, last: &str, username: &str) -> String {
    let name = format!("{} {}", first.trim(), last.trim());
    match name.trim() {
        "" => username.to_string(),
        n => n.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Registered and waiting for approval (`role` is the one suggested).
    pub pending: bool,
    /// Invited, and no password chosen yet.
    pub invited: bool,
    /// When the person last signed in (none: never).
    pub last_sign_in: Option<chrono::DateTime<chrono::Utc>>,
}

/// A person an administrator invites: the account is made at once, and the person chooses a
/// password through a single-use link sent to `email`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: Role,
}

impl Default for InviteForm {
    fn default() -> Self {
        Self {
            username: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
            role: Role::Sales,
        }
    }
}

#[get("/api/users/?query", ctx: Ctx)]
pub async fn list_users(query: String) -> Result<Vec<UserRow>, AppError> {
    ctx.require(READ)?;
    service::list(&ctx.state.db, &query).await
}

#[post("/api/users/role", ctx: Ctx)]
pub async fn set_role(id: i64, role: Role) -> Result<UserRow, AppError> {
    let admin = ctx.require(WRITE)?;
    service::set_role(&ctx.state, admin.actor(), id, role).await
}

#[post("/api/users/active", ctx: Ctx)]
pub async fn set_active(id: i64, active: bool) -> Result<UserRow, AppError> {
    let admin = ctx.require(WRITE)?;
    service::set_active(&ctx.state, admin.actor(), id, active).await
}

/// Lets a waiting account in, with the role picked; the person is told by email.
#[post("/api/users/approve", ctx: Ctx)]
pub async fn approve_user(id: i64, role: Role) -> Result<UserRow, AppError> {
    let admin = ctx.require(WRITE)?;
    service::approve(&ctx.state, admin.actor(), id, role).await
}

/// Turns a request down: the account is deactivated and never gets access.
#[post("/api/users/decline", ctx: Ctx)]
pub async fn decline_user(id: i64) -> Result<UserRow, AppError> {
    let admin = ctx.require(WRITE)?;
    service::decline(&ctx.state, admin.actor(), id).await
}

/// Emails the person a link to choose a new password (valid for a day), as if they had asked.
#[post("/api/users/send-reset", ctx: Ctx)]
pub async fn send_reset_link(id: i64) -> Result<(), AppError> {
    let admin = ctx.require(WRITE)?;
    invite::send_reset(&ctx.state, admin.actor(), id).await
}

/// Makes the account and emails the person a link to choose their password.
#[post("/api/users/invite", ctx: Ctx)]
pub async fn invite_user(form: InviteForm) -> Result<UserRow, AppError> {
    let admin = ctx.require(WRITE)?;
    invite::invite(&ctx.state, admin.actor(), form).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Users",
    icon: "◉",
    to: || crate::app::Route::Users {},
    access: READ,
    badge: None,
};
