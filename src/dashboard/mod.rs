//! The dashboard: the landing page's figures — each the same as a report shows, for the
//! roles that may open it — its twelve-month sales chart, and the system status.

use chrono::NaiveDate;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::{Access, guard::Ctx};
use crate::error::AppError;
use crate::money::Money;

#[cfg(feature = "server")]
pub mod service;
pub mod view;

/// What the dashboard's status card shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemInfo {
    pub version: String,
    pub backend: String,
    pub database_ok: bool,
    /// Round trip to the database in microseconds, as measured by the server.
    pub database_latency_us: u64,
}

/// Sales this month and last (net of credit notes), and where last month began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSales {
    pub this_month: Money,
    pub last_month: Money,
    pub last_from: NaiveDate,
}

/// The dashboard's figures as of `today`; each is absent for a role that may not open the
/// report showing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub today: NaiveDate,
    pub sales: Option<MonthSales>,
    /// Net sales by month over the last twelve months (the sales report's default).
    pub chart: Vec<(String, i64)>,
    /// Open orders: count and value.
    pub orders: Option<(i64, Money)>,
    /// Open deliveries due today, and late.
    pub deliveries: Option<(i64, i64)>,
    /// Receivables: outstanding, and overdue.
    pub receivables: Option<(Money, Money)>,
    /// Products at or below their reorder level.
    pub low_stock: Option<i64>,
    /// Open orders' lines waiting for stock lost from their reservation, oldest first (the
    /// first few).
    #[serde(default)]
    pub short: Vec<crate::orders::ShortOrder>,
}

#[get("/api/dashboard", ctx: Ctx)]
pub async fn dashboard_figures() -> Result<Figures, AppError> {
    let user = ctx.require(Access::SignedIn)?;
    service::figures(&ctx.state, user.role).await
}

#[get("/api/system/info", ctx: Ctx)]
pub async fn system_info() -> Result<SystemInfo, AppError> {
    ctx.require(Access::SignedIn)?;
    Ok(service::system_info(&ctx.state.db, &ctx.state.config).await)
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Dashboard",
    icon: "◧",
    to: || crate::app::Route::Dashboard {},
    access: crate::auth::Access::SignedIn,
    badge: None,
};
