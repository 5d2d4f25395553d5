//! Writing and reading audit events. Changes record their events through the write unit
//! (`server::write::Write::record`), which inserts them in the transaction of the change.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};

use super::{Actor, AuditEvent, Event};
use crate::error::{AppResult, OrInternal};
use crate::server::entities::audit_event::{self, Column, Entity};
use crate::users::service::display_names;

/// An event by `actor` (`None`: the system itself) about record `id`, with what a reader of
/// the timeline needs to know.
pub struct Recorded {
    pub actor: Option<Actor>,
    pub event: Event,
    /// `None` when the event names no record (a sign-in with an unknown name).
    pub id: Option<i64>,
    pub details: String,
}

/// Several events in one INSERT.
pub async fn record_all(
    db: &impl ConnectionTrait,
    events: impl IntoIterator<Item = Recorded>,
) -> AppResult<()> {
    let at = Utc::now();
    let rows: Vec<_> = events
        .into_iter()
        .map(|ev| audit_event::ActiveModel {
            at: Set(at),
            actor_id: Set(ev.actor.map(Actor::id)),
            action: Set(ev.event.action.to_string()),
            entity: Set(ev.event.entity.to_string()),
            entity_id: Set(ev.id.map(|id| id.to_string())),
            details: Set(ev.details),
            ..Default::default()
        })
        .collect();
    // Statements stay far below the databases' limits on bound parameters (a CSV import
    // records one event per client).
    for chunk in rows.chunks(1000) {
        Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .or_internal("audit record")?;
    }
    Ok(())
}

/// One record's events, oldest first (a status timeline).
pub async fn for_entity(
    db: &impl ConnectionTrait,
    entity: &str,
    entity_id: i64,
) -> AppResult<Vec<AuditEvent>> {
    let rows = Entity::find()
        .filter(Column::Entity.eq(entity))
        .filter(Column::EntityId.eq(entity_id.to_string()))
        .order_by_asc(Column::Id)
        .all(db)
        .await
        .or_internal("audit read")?;
    shown(db, rows).await
}

/// Stored events as pages show them, with their actors' names.
pub(super) async fn shown(
    db: &impl ConnectionTrait,
    rows: Vec<audit_event::Model>,
) -> AppResult<Vec<AuditEvent>> {
    let names = display_names(db, rows.iter().filter_map(|m| m.actor_id)).await?;
    Ok(rows
        .into_iter()
        .map(|m| AuditEvent {
            id: m.id,
            at: m.at,
            actor: m.actor_id.and_then(|id| names.get(&id).cloned()),
            actor_id: m.actor_id,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            details: m.details,
        })
        .collect())
}
