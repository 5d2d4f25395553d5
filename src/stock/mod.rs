//! Products and stock: the catalogue, the append-only stock ledger and its cached totals.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::choice::Choice;
use crate::error::AppError;
use crate::money::Money;

pub mod chart_view;
#[cfg(feature = "server")]
pub mod demo;
pub mod detail_view;
#[cfg(feature = "server")]
pub mod export;
pub mod form_view;
#[cfg(feature = "server")]
pub mod ledger;
#[cfg(feature = "server")]
pub mod list;
pub mod list_view;
mod query;
pub mod rules;
pub use query::{StockQuery, StockSort};
#[cfg(feature = "server")]
pub mod service;

/// What this module runs and seeds on the server (`server::modules`).
#[cfg(feature = "server")]
pub const MODULE: crate::server::modules::Module = crate::server::modules::Module {
    name: "stock",
    background: None,
    demo: Some(|state, actor| Box::pin(demo::seed(state, actor))),
};

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "product";

/// Everyone signed in reads products and stock; the warehouse (and admin) change them.
pub const READ: Access = Access::SignedIn;
pub const WRITE: Access = Access::Roles(&[Role::Warehouse]);

crate::stored_choice! {
    /// Kinds of stock movement. Reservation, release and shipment come from orders and
    /// deliveries, through the same ledger.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MovementKind {
        Receipt,
        Adjustment,
        Reservation,
        Release,
        Shipment,
    }
}

impl Choice for MovementKind {
    const ALL: &'static [Self] = &[
        Self::Receipt,
        Self::Adjustment,
        Self::Reservation,
        Self::Release,
        Self::Shipment,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Adjustment => "adjustment",
            Self::Reservation => "reservation",
            Self::Release => "release",
            Self::Shipment => "shipment",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Receipt => "Receipt",
            Self::Adjustment => "Adjustment",
            Self::Reservation => "Reservation",
            Self::Release => "Release",
            Self::Shipment => "Shipment",
        }
    }
}

/// What the product form sends: numbers as typed, so the browser and the server read them
/// with the same rules and the same messages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    /// e.g. "12.50"
    pub unit_price: String,
    /// Percent, e.g. "19" or "7.5".
    pub tax_rate: String,
    pub reorder_level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub unit_price: Money,
    pub tax_rate_bp: i64,
    pub reorder_level: i64,
    pub on_hand: i64,
    pub reserved: i64,
    pub active: bool,
}

impl Product {
    pub fn available(&self) -> i64 {
        rules::available(self.on_hand, self.reserved)
    }

    pub fn is_low(&self) -> bool {
        rules::is_low(self.on_hand, self.reserved, self.reorder_level)
    }
}

/// A receipt of goods: a positive whole quantity, optionally what each unit cost.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiptForm {
    pub quantity: String,
    /// Per unit, e.g. "4.20"; empty when unknown.
    pub unit_cost: String,
    /// Supplier's delivery note or invoice number.
    pub reference: String,
    pub note: String,
    /// Idempotency key: the same receipt sent twice is received once.
    pub request_key: Option<String>,
}

crate::stored_choice! {
    /// Why stock was adjusted by hand. A count states what is on the shelf and the ledger
    /// records the difference; the others state the change.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AdjustReason {
        #[default]
        Count,
        Breakage,
        Loss,
        Found,
        Other,
    }
}

impl Choice for AdjustReason {
    const ALL: &'static [Self] = &[
        Self::Count,
        Self::Breakage,
        Self::Loss,
        Self::Found,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Breakage => "breakage",
            Self::Loss => "loss",
            Self::Found => "found",
            Self::Other => "other",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Count => "Stock count",
            Self::Breakage => "Breakage",
            Self::Loss => "Loss",
            Self::Found => "Found",
            Self::Other => "Other",
        }
    }
}

/// A correction by hand, with its reason and a note: after a count, the quantity counted on
/// the shelf (the ledger records the difference); otherwise the change, plus or minus.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AdjustmentForm {
    pub reason: AdjustReason,
    /// A count: how many are on the shelf, e.g. "37".
    pub counted: String,
    /// Any other reason: the change, signed, e.g. "-3" or "+2".
    pub quantity: String,
    pub note: String,
    /// Idempotency key: the same adjustment sent twice is applied once.
    pub request_key: Option<String>,
}

/// A product whose cached totals differ from its ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub product_id: i64,
    pub sku: String,
    pub on_hand: i64,
    pub ledger_on_hand: i64,
    pub reserved: i64,
    pub ledger_reserved: i64,
}

/// One page of the stock list.
pub type StockPage = crate::paging::Page<Product>;

/// Movements per page of a product's history.
pub const HISTORY_PAGE: u64 = 50;

/// An order a movement links to: its id for the link, its number to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRef {
    pub id: i64,
    pub number: String,
}

/// One line of a product's movement history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementRow {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub kind: MovementKind,
    pub delta_on_hand: i64,
    pub delta_reserved: i64,
    pub unit_cost: Option<Money>,
    /// The order a reservation or release belongs to.
    pub order: Option<OrderRef>,
    pub reference: String,
    /// Why an adjustment was made.
    pub reason: Option<AdjustReason>,
    pub note: String,
    /// Username of who made it; `None` for the system.
    pub user: Option<String>,
    /// On hand right after this movement.
    pub on_hand_after: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementPage {
    pub rows: Vec<MovementRow>,
    /// Cursor (`before`) for the next, older page.
    pub next: Option<i64>,
}

/// On hand after a movement, for the stock-level chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelPoint {
    pub at: chrono::DateTime<chrono::Utc>,
    pub on_hand: i64,
}

#[get("/api/stock/?{query}", ctx: Ctx)]
pub async fn list_stock(query: StockQuery) -> Result<StockPage, AppError> {
    ctx.require(READ)?;
    list::page(&ctx.state.db, &query).await
}

#[get("/api/stock/low-count", ctx: Ctx)]
pub async fn low_stock_count() -> Result<u64, AppError> {
    ctx.require(READ)?;
    list::low_count(&ctx.state.db).await
}

/// A page of the product's movements, newest first; with `changes_only`, only those that
/// change what is on hand (not reservations and releases).
#[get("/api/products/{id}/movements?before&changes_only", ctx: Ctx)]
pub async fn product_movements(
    id: i64,
    before: Option<i64>,
    changes_only: Option<bool>,
) -> Result<MovementPage, AppError> {
    ctx.require(READ)?;
    let changes_only = changes_only.unwrap_or(false);
    list::history(&ctx.state.db, id, before, changes_only).await
}

#[get("/api/products/{id}/levels", ctx: Ctx)]
pub async fn stock_levels(id: i64) -> Result<Vec<LevelPoint>, AppError> {
    ctx.require(READ)?;
    list::levels(&ctx.state.db, id, 200).await
}

#[get("/api/products/{id}", ctx: Ctx)]
pub async fn get_product(id: i64) -> Result<Product, AppError> {
    ctx.require(READ)?;
    service::get(&ctx.state.db, id).await
}

#[post("/api/products/create", ctx: Ctx)]
pub async fn create_product(form: ProductForm) -> Result<Product, AppError> {
    let user = ctx.require(WRITE)?;
    service::create(&ctx.state.db, user.actor(), form).await
}

#[post("/api/products/update", ctx: Ctx)]
pub async fn update_product(id: i64, form: ProductForm) -> Result<Product, AppError> {
    let user = ctx.require(WRITE)?;
    service::update(&ctx.state.db, user.actor(), id, form).await
}

#[post("/api/products/active", ctx: Ctx)]
pub async fn set_product_active(id: i64, active: bool) -> Result<Product, AppError> {
    let user = ctx.require(WRITE)?;
    service::set_active(&ctx.state.db, user.actor(), id, active).await
}

#[post("/api/products/delete", ctx: Ctx)]
pub async fn delete_product(id: i64) -> Result<(), AppError> {
    let user = ctx.require(WRITE)?;
    service::delete(&ctx.state.db, user.actor(), id).await
}

#[post("/api/products/receive", ctx: Ctx)]
pub async fn receive_stock(id: i64, form: ReceiptForm) -> Result<Product, AppError> {
    let user = ctx.require(WRITE)?;
    service::receive(&ctx.state, user.actor(), id, form).await
}

#[post("/api/products/adjust", ctx: Ctx)]
pub async fn adjust_stock(id: i64, form: AdjustmentForm) -> Result<Product, AppError> {
    let user = ctx.require(WRITE)?;
    service::adjust(&ctx.state, user.actor(), id, form).await
}

/// The ledger consistency check: every product whose totals differ from its movements.
#[get("/api/stock/check", ctx: Ctx)]
pub async fn check_ledger() -> Result<Vec<Drift>, AppError> {
    ctx.require(Access::AdminOnly)?;
    ledger::check(&ctx.state.db).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Stock",
    icon: "▦",
    to: || crate::app::Route::StockList {
        query: StockQuery::default(),
    },
    access: READ,
    badge: Some(|| rsx! { list_view::LowStockBadge {} }),
};
