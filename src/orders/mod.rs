//! Sales orders: a client's lines at agreed prices, numbered `SO-YYYY-NNNNN`, moving through
//! the workflow in `workflow.rs` and reserving stock through the ledger when confirmed.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;
use crate::money::Money;

#[cfg(feature = "server")]
mod check;
#[cfg(feature = "server")]
pub mod demo;
pub mod detail_view;
pub mod discount;
pub mod entry_view;
#[cfg(feature = "server")]
pub mod export;
#[cfg(feature = "server")]
pub mod intake;
#[cfg(feature = "server")]
pub mod list;
pub mod list_view;
#[cfg(feature = "server")]
pub mod paper;
#[cfg(feature = "server")]
pub mod qr;
mod query;
#[cfg(feature = "server")]
mod reservation;
pub mod rules;
pub mod sending_view;
#[cfg(feature = "server")]
pub mod service;
pub mod short_view;
#[cfg(feature = "server")]
pub mod shortage;
#[cfg(feature = "server")]
mod store;
pub mod terms_view;
pub mod workflow;
pub use query::{OrderQuery, OrderSort, PAGE_SIZE};
pub use workflow::{Action, OrderStatus, Priority};

/// What this module runs and seeds on the server (`server::modules`).
#[cfg(feature = "server")]
pub const MODULE: crate::server::modules::Module = crate::server::modules::Module {
    name: "orders",
    background: None,
    demo: Some(|state, actor| Box::pin(demo::seed(state, actor))),
};

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "order";

/// Every role reads orders; sales (and admin) create, edit and move them.
pub const READ: Access = Access::SignedIn;
pub const WRITE: Access = Access::Roles(&[Role::Sales]);

/// One line as the entry page sends it: amounts as typed, read by the shared rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LineForm {
    pub product_id: Option<i64>,
    pub quantity: String,
    /// Defaults to the product's price on the page; sales may change it.
    pub unit_price: String,
    /// Off the line: an amount ("5.00") or a percent of it ("10%"); empty for none.
    pub discount: String,
}

/// What the entry page sends for a new order or an edited draft.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderForm {
    pub client_id: Option<i64>,
    pub priority: Priority,
    /// `YYYY-MM-DD`, or empty.
    pub requested_date: String,
    pub notes: String,
    /// The client's own reference (their purchase order number); may be empty.
    pub client_reference: String,
    /// Empty means the client's shipping address.
    pub delivery_address: String,
    /// `YYYY-MM-DD` a quotation holds until, or empty for `QUOTE_DAYS` from when it is sent.
    pub valid_until: String,
    pub lines: Vec<LineForm>,
}

/// One line as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    /// The line's own id: what a delivery names.
    pub id: i64,
    pub position: i32,
    pub product_id: i64,
    pub sku: String,
    pub description: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price: Money,
    /// The amount off the line; and the percent it came from, when given as one.
    pub discount: Money,
    pub discount_bp: Option<i64>,
    pub tax_rate_bp: i64,
    pub net: Money,
    pub tax: Money,
    /// The product's stock available now, for editing a draft.
    pub available: i64,
    /// Handed over so far, and held by open deliveries.
    pub delivered: i64,
    pub scheduled: i64,
    /// Lost from the order's reservation (broken or lost stock); reserved again as stock
    /// arrives.
    pub uncovered: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub client_name: String,
    pub status: OrderStatus,
    pub priority: Priority,
    pub requested_date: Option<chrono::NaiveDate>,
    pub notes: String,
    pub client_reference: String,
    pub delivery_address: String,
    pub valid_until: Option<chrono::NaiveDate>,
    /// Where "Send" goes by default.
    pub client_email: Option<String>,
    /// The quotations and confirmations it was sent as, newest first: how each went.
    pub mails: Vec<crate::outbox::OutboxMail>,
    pub lines: Vec<OrderLine>,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
    pub created_by: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// One row of the order list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub client_name: String,
    pub status: OrderStatus,
    pub priority: Priority,
    pub requested_date: Option<chrono::NaiveDate>,
    pub total: Money,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// One page of the order list.
pub type OrderPage = crate::paging::Page<OrderRow>;

#[get("/api/orders/?{query}", ctx: Ctx)]
pub async fn list_orders(query: OrderQuery) -> Result<OrderPage, AppError> {
    ctx.require(READ)?;
    list::page(&ctx.state.db, &ctx.state.config.business.zone, &query).await
}

#[get("/api/orders/{id}", ctx: Ctx)]
pub async fn get_order(id: i64) -> Result<Order, AppError> {
    ctx.require(READ)?;
    service::get(&ctx.state.db, id).await
}

/// The order's status timeline, from the audit trail.
#[get("/api/orders/{id}/history", ctx: Ctx)]
pub async fn order_history(id: i64) -> Result<Vec<crate::audit::AuditEvent>, AppError> {
    ctx.require(READ)?;
    crate::audit::service::for_entity(&ctx.state.db, ENTITY, id).await
}

/// Saves a new draft; with `confirm`, confirms it in the same transaction ("Save and
/// confirm"), so a refusal for stock saves nothing and the entry page keeps the lines.
#[post("/api/orders/create", ctx: Ctx)]
pub async fn create_order(form: OrderForm, confirm: bool) -> Result<Order, AppError> {
    let user = ctx.require(WRITE)?;
    let mut order = service::create(&ctx.state, user.actor(), form, confirm).await?;
    order.created_by = Some(user.display_name());
    Ok(order)
}

#[post("/api/orders/update", ctx: Ctx)]
pub async fn update_order(id: i64, form: OrderForm) -> Result<Order, AppError> {
    let user = ctx.require(WRITE)?;
    service::update(&ctx.state, user.actor(), id, form).await
}

#[post("/api/orders/transition", ctx: Ctx)]
pub async fn transition_order(id: i64, action: Action) -> Result<Order, AppError> {
    let user = ctx.require(WRITE)?;
    service::transition(&ctx.state, user.actor(), id, action).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Orders",
    icon: "▤",
    to: || crate::app::Route::OrderList {
        query: OrderQuery::default(),
    },
    access: READ,
    badge: None,
};

/// What an order goes to the client as: a draft as a quotation, a confirmed order (until it
/// is cancelled) as an order confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    Quotation,
    Confirmation,
}

/// Days a quotation holds when the order gives no date of its own.
pub const QUOTE_DAYS: i64 = 30;

impl Paper {
    /// What an order with `status` can be sent as.
    pub fn of(status: OrderStatus) -> Option<Self> {
        match status {
            OrderStatus::Draft => Some(Self::Quotation),
            OrderStatus::Cancelled => None,
            _ => Some(Self::Confirmation),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Quotation => "Quotation",
            Self::Confirmation => "Order confirmation",
        }
    }

    /// Its name in addresses: `/api/orders/{id}/quotation.pdf`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Quotation => "quotation",
            Self::Confirmation => "confirmation",
        }
    }
}

/// Mails `paper` (which must be what the order is now) as a PDF to the client.
#[post("/api/orders/send", ctx: Ctx)]
pub async fn send_order(
    id: i64,
    paper: Paper,
    form: crate::outbox::compose::SendForm,
) -> Result<Order, AppError> {
    let user = ctx.require(WRITE)?;
    paper::send(&ctx.state, user.actor(), id, paper, form).await?;
    service::get(&ctx.state.db, id).await
}

/// Sends order `id`'s failed mail `mail_id` again.
#[post("/api/orders/resend", ctx: Ctx)]
pub async fn resend_order(id: i64, mail_id: i64) -> Result<Order, AppError> {
    let user = ctx.require(WRITE)?;
    paper::resend(&ctx.state.db, user.actor(), id, mail_id).await?;
    service::get(&ctx.state.db, id).await
}

/// An open order waiting for stock of a product it lost from its reservation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortOrder {
    pub order_id: i64,
    pub number: String,
    pub client_name: String,
    pub product_id: i64,
    pub sku: String,
    /// Units owed, in the product's unit.
    pub quantity: i64,
    pub unit: String,
}

/// Lines of open orders waiting for stock they lost, oldest first: of `product`, or of any.
#[get("/api/orders/short?product", ctx: Ctx)]
pub async fn short_orders(product: Option<i64>) -> Result<Vec<ShortOrder>, AppError> {
    ctx.require(READ)?;
    shortage::short_orders(&ctx.state.db, product, 200).await
}
