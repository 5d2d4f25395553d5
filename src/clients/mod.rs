//! Clients: the customers orders and invoices are made out to.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;

#[cfg(feature = "server")]
pub mod csv;
#[cfg(feature = "server")]
pub mod demo;
pub mod detail_view;
pub mod form_view;
pub mod import_view;
#[cfg(feature = "server")]
pub mod list;
pub mod list_view;
pub mod picker;
mod query;
pub mod rules;
pub use query::{ClientQuery, ClientSort, PAGE_SIZE};
#[cfg(feature = "server")]
pub mod search_keys;
#[cfg(feature = "server")]
pub mod service;

/// The CSV columns, as written on export and accepted (in any order and case) on import.
pub const CSV_COLUMNS: [&str; 9] = [
    "name",
    "contact",
    "email",
    "phone",
    "billing_address",
    "shipping_address",
    "tax_id",
    "payment_terms_days",
    "notes",
];

/// What this module runs and seeds on the server (`server::modules`).
#[cfg(feature = "server")]
pub const MODULE: crate::server::modules::Module = crate::server::modules::Module {
    name: "clients",
    background: None,
    demo: Some(|state, actor| Box::pin(demo::seed(state, actor))),
};

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "client";

/// Everyone signed in reads clients; sales (and admin) change them.
pub const READ: Access = Access::SignedIn;
pub const WRITE: Access = Access::Roles(&[Role::Sales]);

/// What the create and edit forms send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientForm {
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub billing_address: String,
    /// Empty means "same as billing".
    #[serde(default)]
    pub shipping_address: String,
    #[serde(default)]
    pub tax_id: String,
    #[serde(default = "default_terms")]
    pub payment_terms_days: i64,
    #[serde(default)]
    pub notes: String,
}

fn default_terms() -> i64 {
    30
}

impl Default for ClientForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            contact: String::new(),
            email: String::new(),
            phone: String::new(),
            billing_address: String::new(),
            shipping_address: String::new(),
            tax_id: String::new(),
            payment_terms_days: default_terms(),
            notes: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub contact: String,
    pub email: Option<String>,
    pub phone: String,
    pub billing_address: String,
    pub shipping_address: String,
    pub tax_id: String,
    pub payment_terms_days: i64,
    pub notes: String,
    pub active: bool,
}

/// One page of a client list.
pub type ClientPage = crate::paging::Page<Client>;

/// The outcome of a CSV import (a bad file is an `AppError::Invalid` listing each bad line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: usize,
}

#[get("/api/clients/?{query}", ctx: Ctx)]
pub async fn list_clients(query: ClientQuery) -> Result<ClientPage, AppError> {
    ctx.require(READ)?;
    list::page(&ctx.state.db, &query).await
}

#[get("/api/clients/{id}", ctx: Ctx)]
pub async fn get_client(id: i64) -> Result<Client, AppError> {
    ctx.require(READ)?;
    service::get(&ctx.state.db, id).await
}

/// The client's audit trail (created, edited, archived, restored), oldest first.
#[get("/api/clients/{id}/history", ctx: Ctx)]
pub async fn client_history(id: i64) -> Result<Vec<crate::audit::AuditEvent>, AppError> {
    ctx.require(READ)?;
    service::get(&ctx.state.db, id).await?;
    crate::audit::service::for_entity(&ctx.state.db, ENTITY, id).await
}

#[post("/api/clients/create", ctx: Ctx)]
pub async fn create_client(form: ClientForm) -> Result<Client, AppError> {
    let user = ctx.require(WRITE)?;
    service::create(&ctx.state.db, user.actor(), form).await
}

#[post("/api/clients/update", ctx: Ctx)]
pub async fn update_client(id: i64, form: ClientForm) -> Result<Client, AppError> {
    let user = ctx.require(WRITE)?;
    service::update(&ctx.state.db, user.actor(), id, form).await
}

#[post("/api/clients/archive", ctx: Ctx)]
pub async fn archive_client(id: i64) -> Result<Client, AppError> {
    let user = ctx.require(WRITE)?;
    service::set_active(&ctx.state.db, user.actor(), id, false).await
}

#[post("/api/clients/restore", ctx: Ctx)]
pub async fn restore_client(id: i64) -> Result<Client, AppError> {
    let user = ctx.require(WRITE)?;
    service::set_active(&ctx.state.db, user.actor(), id, true).await
}

#[post("/api/clients/delete", ctx: Ctx)]
pub async fn delete_client(id: i64) -> Result<(), AppError> {
    let user = ctx.require(WRITE)?;
    service::delete(&ctx.state.db, user.actor(), id).await
}

/// The raw bytes of a CSV file: all-or-nothing, every bad line reported.
#[post("/api/clients/import", ctx: Ctx)]
pub async fn import_clients(file: dioxus::fullstack::ByteStream) -> Result<ImportReport, AppError> {
    let user = ctx.require(WRITE)?;
    let bytes = csv::read_upload(file).await?;
    csv::import(&ctx.state.db, user.actor(), &bytes).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Clients",
    icon: "◎",
    to: || crate::app::Route::ClientList {
        query: ClientQuery::default(),
    },
    access: READ,
    badge: None,
};
