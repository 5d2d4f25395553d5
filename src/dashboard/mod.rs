//! The dashboard: the landing page and the system status it shows.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::{Access, guard::Ctx};
use crate::error::AppError;

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
