//! The audit trail: every state change in every module is written here (DESIGN §7), and
//! record pages read it back as a timeline.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub mod service;

/// One event as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_id: Option<i64>,
    /// The actor's username, for timelines (`None` for the system or a removed account).
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub details: String,
}
