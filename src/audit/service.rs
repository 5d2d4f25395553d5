//! Writing and reading audit events. `record` takes any connection so callers write the event
//! inside the same transaction as the change it describes.

use chrono::{SecondsFormat, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};

use super::AuditEvent;
use crate::error::{AppResult, OrInternal};
use crate::server::entities::audit_event::{self, Column, Entity};
use crate::users::service::usernames;

/// What happened; `actor_id` is `None` for the system itself.
pub struct NewEvent<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub details: String,
}

pub async fn record(db: &impl ConnectionTrait, ev: NewEvent<'_>) -> AppResult<()> {
    record_all(db, [ev]).await
}

/// Several events in one INSERT (a change that is two steps, like an order entered confirmed).
pub async fn record_all<'a>(
    db: &impl ConnectionTrait,
    events: impl IntoIterator<Item = NewEvent<'a>>,
) -> AppResult<()> {
    let at = Utc::now();
    let rows: Vec<_> = events
        .into_iter()
        .map(|ev| audit_event::ActiveModel {
            at: Set(at),
            actor_id: Set(ev.actor_id),
            action: Set(ev.action.to_string()),
            entity: Set(ev.entity.to_string()),
            entity_id: Set(ev.entity_id),
            details: Set(ev.details),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .or_internal("audit record")?;
    Ok(())
}

/// The common case: `actor` did `action` to record `id` of `entity`.
pub async fn log(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    id: Option<i64>,
    details: String,
) -> AppResult<()> {
    record(
        db,
        NewEvent {
            actor_id: actor,
            action,
            entity,
            entity_id: id.map(|i| i.to_string()),
            details,
        },
    )
    .await
}

/// The same `action` by `actor` on many records of `entity` (a bulk import), in one statement.
pub async fn log_many(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    items: impl IntoIterator<Item = (i64, String)>,
) -> AppResult<()> {
    let events = items.into_iter().map(|(id, details)| NewEvent {
        actor_id: actor,
        action,
        entity,
        entity_id: Some(id.to_string()),
        details,
    });
    record_all(db, events).await?;
    Ok(())
}

/// One record's events, oldest first (a status timeline).
pub async fn for_entity(
    db: &impl ConnectionTrait,
    entity: &str,
    entity_id: &str,
) -> AppResult<Vec<AuditEvent>> {
    let rows = Entity::find()
        .filter(Column::Entity.eq(entity))
        .filter(Column::EntityId.eq(entity_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await
        .or_internal("audit read")?;
    let names = usernames(db, rows.iter().filter_map(|m| m.actor_id)).await?;
    Ok(rows
        .into_iter()
        .map(|m| AuditEvent {
            id: m.id,
            at: m.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            actor: m.actor_id.and_then(|id| names.get(&id).cloned()),
            actor_id: m.actor_id,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            details: m.details,
        })
        .collect())
}
