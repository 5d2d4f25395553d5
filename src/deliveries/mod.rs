//! Deliveries: handing over some or all of a confirmed order's lines on a scheduled date,
//! numbered `DN-YYYY-NNNNN`, moving through the workflow in `workflow.rs`; stock ships through
//! the ledger when a delivery is delivered (ARCHITECTURE.md, "Workflows" and "Stock").
//!
//! The board (`board`, `board_view`) lists them late first; the delivery page
//! (`detail_view`) is built for a driver's phone; the order page schedules them
//! (`order_view`).

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;

#[cfg(feature = "server")]
pub mod board;
pub mod board_view;
#[cfg(feature = "server")]
pub mod demo;
pub mod detail_view;
#[cfg(feature = "server")]
pub mod note;
pub mod order_view;
mod query;
#[cfg(feature = "server")]
pub mod read;
pub mod rules;
#[cfg(feature = "server")]
pub mod service;
mod workflow;

pub use query::{BoardQuery, PAGE_SIZE};
pub use workflow::{Action, DeliveryStatus};

/// What this module runs and seeds on the server (`server::modules`).
#[cfg(feature = "server")]
pub const MODULE: crate::server::modules::Module = crate::server::modules::Module {
    name: "deliveries",
    background: None,
    demo: Some(|state, actor| Box::pin(demo::seed(state, actor))),
};

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "delivery";

/// Every role reads deliveries; the warehouse (and admin) schedules and moves them.
pub const READ: Access = Access::SignedIn;
pub const WRITE: Access = Access::Roles(&[Role::Warehouse]);

/// How much of one order line a delivery being scheduled takes, as typed; empty for none.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleLine {
    pub order_line_id: i64,
    pub quantity: String,
}

/// What the scheduling form sends.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleForm {
    pub order_id: i64,
    /// `YYYY-MM-DD`; empty for today.
    pub scheduled_date: String,
    /// "HH:MM", or both empty for no window.
    pub window_from: String,
    pub window_to: String,
    /// Empty means the order's delivery address.
    pub address: String,
    /// The driver or carrier.
    pub carrier: String,
    pub tracking: String,
    pub notes: String,
    pub lines: Vec<ScheduleLine>,
}

/// One line of a delivery as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub order_line_id: i64,
    pub product_id: i64,
    pub sku: String,
    pub description: String,
    pub unit: String,
    /// On this delivery.
    pub quantity: i64,
    /// On the order line.
    pub ordered: i64,
    /// Of the order line, still to deliver once this delivery is handed over.
    pub outstanding: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub number: String,
    pub order_id: i64,
    pub order_number: String,
    pub client_id: i64,
    pub client_name: String,
    pub status: DeliveryStatus,
    pub priority: crate::orders::Priority,
    pub scheduled_date: chrono::NaiveDate,
    pub window_from: Option<String>,
    pub window_to: Option<String>,
    pub address: String,
    pub carrier: String,
    pub tracking: String,
    pub notes: String,
    pub failure_reason: Option<String>,
    pub recipient: Option<String>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who marked it delivered (display name).
    pub confirmed_by: Option<String>,
    /// The drawn signature as SVG path data.
    pub signature: Option<String>,
    pub lines: Vec<DeliveryLine>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// One row of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub id: i64,
    pub number: String,
    pub order_id: i64,
    pub order_number: String,
    pub client_id: i64,
    pub client_name: String,
    pub status: DeliveryStatus,
    pub priority: crate::orders::Priority,
    pub scheduled_date: chrono::NaiveDate,
    pub window_from: Option<String>,
    pub window_to: Option<String>,
    pub address: String,
    pub carrier: String,
    /// Open and scheduled before today.
    pub late: bool,
}

/// One page of the board.
pub type BoardPage = crate::paging::Page<BoardRow>;

/// One step of the workflow, with what that step records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Step {
    Depart,
    /// Handed over to `recipient`; `signature` is SVG path data drawn on the screen.
    Deliver {
        recipient: String,
        #[serde(default)]
        note: String,
        #[serde(default)]
        signature: Option<String>,
    },
    Fail {
        reason: String,
    },
    /// A failed delivery on a new date (and window).
    Reschedule {
        scheduled_date: String,
        #[serde(default)]
        window_from: String,
        #[serde(default)]
        window_to: String,
    },
    Cancel,
}

impl Step {
    pub fn action(&self) -> Action {
        match self {
            Self::Depart => Action::Depart,
            Self::Deliver { .. } => Action::Deliver,
            Self::Fail { .. } => Action::Fail,
            Self::Reschedule { .. } => Action::Reschedule,
            Self::Cancel => Action::Cancel,
        }
    }
}

#[get("/api/deliveries/?{query}", ctx: Ctx)]
pub async fn list_deliveries(query: BoardQuery) -> Result<BoardPage, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    board::page(&ctx.state.db, today, &query).await
}

/// How many open deliveries are past their date (the navigation badge).
#[get("/api/deliveries/late-count", ctx: Ctx)]
pub async fn late_count() -> Result<u64, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    board::late_count(&ctx.state.db, today).await
}

/// An order's deliveries, oldest first, with their lines (the order page).
#[get("/api/deliveries/of-order/{order_id}", ctx: Ctx)]
pub async fn order_deliveries(order_id: i64) -> Result<Vec<Delivery>, AppError> {
    ctx.require(READ)?;
    read::of_order(&ctx.state.db, order_id).await
}

#[get("/api/deliveries/{id}", ctx: Ctx)]
pub async fn get_delivery(id: i64) -> Result<Delivery, AppError> {
    ctx.require(READ)?;
    read::get(&ctx.state.db, id).await
}

/// Moves delivery `id` one step along its workflow; an illegal step is a 409.
#[post("/api/deliveries/step", ctx: Ctx)]
pub async fn step_delivery(id: i64, step: Step) -> Result<Delivery, AppError> {
    let user = ctx.require(WRITE)?;
    let today = ctx.state.config.business.zone.today();
    service::step(&ctx.state, today, user.actor(), id, step).await
}

/// Schedules a delivery of some of a confirmed order's outstanding quantities.
#[post("/api/deliveries/schedule", ctx: Ctx)]
pub async fn schedule_delivery(form: ScheduleForm) -> Result<Delivery, AppError> {
    let user = ctx.require(WRITE)?;
    let today = ctx.state.config.business.zone.today();
    service::schedule(&ctx.state, today, user.actor(), form).await
}

/// This module's entry in the navigation, with the count of late deliveries.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Deliveries",
    icon: "⇄",
    to: || crate::app::Route::DeliveryBoard {
        query: BoardQuery::default(),
    },
    access: READ,
    badge: Some(|| rsx! { board_view::LateBadge {} }),
};
