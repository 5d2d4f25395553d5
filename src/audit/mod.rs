//! The audit trail: every state change in every module is written here (ARCHITECTURE.md, "Workflows"), and
//! record pages read it back as a timeline. Admins read the whole trail, filtered, on its own
//! page, and export it.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Access;
#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::error::AppError;
use crate::paging::Page;

#[cfg(feature = "server")]
pub mod export;
#[cfg(feature = "server")]
pub mod list;
pub mod query;
#[cfg(feature = "server")]
pub mod service;
pub mod view;

pub use query::{AuditEntity, AuditQuery};

/// Who reads the whole trail: administrators (record pages show their own events to whoever
/// may read the record).
pub const READ: Access = Access::AdminOnly;

/// One event as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<i64>,
    /// The actor's username, for timelines (`None` for the system or a removed account).
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub details: String,
}

/// A kind of event: the kind of record it is about (`order`) and what happened to it
/// (`order.confirmed`). Each module declares its own as constants, so a typo is a compile
/// error rather than a timeline that silently misses an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub entity: &'static str,
    pub action: &'static str,
}

impl Event {
    pub const fn new(entity: &'static str, action: &'static str) -> Self {
        Self { entity, action }
    }
}

/// The user who makes a change: written into audit events, ledger rows and `created_by`. A
/// type of its own, so it cannot be swapped with the record id that usually sits beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actor(i64);

impl Actor {
    /// The signed-in user `user_id` (or, for demo data and first registrations, the account
    /// the change is made for).
    pub const fn new(user_id: i64) -> Self {
        Self(user_id)
    }

    pub const fn id(self) -> i64 {
        self.0
    }
}

/// The trail as `query` filters it, newest first.
#[get("/api/audit/?{query}", ctx: Ctx)]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEvent>, AppError> {
    ctx.require(READ)?;
    list::page(&ctx.state.db, &ctx.state.config.business.zone, &query).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Audit trail",
    icon: "☰",
    to: || crate::app::Route::AuditTrail {
        query: AuditQuery::default(),
    },
    access: READ,
    badge: None,
};
