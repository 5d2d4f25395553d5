//! The audit trail: every state change in every module is written here (ARCHITECTURE.md, "Workflows"), and
//! record pages read it back as a timeline.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub mod service;

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
