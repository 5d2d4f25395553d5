//! Deliveries: handing over some or all of a confirmed order's lines on a scheduled date,
//! numbered `DN-YYYY-NNNNN`, moving through the workflow in `workflow.rs`; stock ships through
//! the ledger when a delivery is delivered (ARCHITECTURE.md, "Workflows" and "Stock").
//!
//! Built so far: the schema (migration 9), scheduling, the workflow's steps and reading a
//! delivery. The board, the pages and the delivery note follow.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;

pub mod rules;
#[cfg(feature = "server")]
pub mod service;
mod workflow;

pub use workflow::{Action, DeliveryStatus};

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
    /// `YYYY-MM-DD`.
    pub scheduled_date: String,
    /// "HH:MM", or both empty for no window.
    pub window_from: String,
    pub window_to: String,
    /// Empty means the client's shipping address.
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
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub number: String,
    pub order_id: i64,
    pub order_number: String,
    pub client_name: String,
    pub status: DeliveryStatus,
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
    pub lines: Vec<DeliveryLine>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

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

#[get("/api/deliveries/{id}", ctx: Ctx)]
pub async fn get_delivery(id: i64) -> Result<Delivery, AppError> {
    ctx.require(READ)?;
    service::get(&ctx.state.db, id).await
}

/// Moves delivery `id` one step along its workflow; an illegal step is a 409.
#[post("/api/deliveries/step", ctx: Ctx)]
pub async fn step_delivery(id: i64, step: Step) -> Result<Delivery, AppError> {
    let user = ctx.require(WRITE)?;
    let today = ctx.state.config.business.zone.today();
    service::step(&ctx.state.db, today, user.actor(), id, step).await
}

/// Schedules a delivery of some of a confirmed order's outstanding quantities.
#[post("/api/deliveries/schedule", ctx: Ctx)]
pub async fn schedule_delivery(form: ScheduleForm) -> Result<Delivery, AppError> {
    let user = ctx.require(WRITE)?;
    let today = ctx.state.config.business.zone.today();
    service::schedule(&ctx.state.db, today, user.actor(), form).await
}
