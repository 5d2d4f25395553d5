//! Clients: the customers orders and invoices are made out to.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;

pub mod rules;
#[cfg(feature = "server")]
pub mod service;

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

#[get("/api/clients/{id}", ctx: Ctx)]
pub async fn get_client(id: i64) -> Result<Client, AppError> {
    ctx.require(READ)?;
    service::get(&ctx.state.db, id).await
}

#[post("/api/clients/create", ctx: Ctx)]
pub async fn create_client(form: ClientForm) -> Result<Client, AppError> {
    let user = ctx.require(WRITE)?;
    service::create(&ctx.state.db, user.id, form).await
}

#[post("/api/clients/update", ctx: Ctx)]
pub async fn update_client(id: i64, form: ClientForm) -> Result<Client, AppError> {
    let user = ctx.require(WRITE)?;
    service::update(&ctx.state.db, user.id, id, form).await
}
