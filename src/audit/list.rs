//! The audit trail as a list (admin): filtered by user, kind of record (and one record),
//! action or family of actions, and dates on the business's calendar; newest first in keyset
//! pages. Each filter has an index ending in the id (migrations 1 and 20), and a date range
//! walks the date index instead, so no filter reads the whole trail.

use chrono::Days;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, Select};

use super::AuditEvent;
use super::query::{AuditQuery, PAGE_SIZE};
use crate::business::Zone;
use crate::error::{AppError, AppResult};
use crate::input::parse_date_range;
use crate::paging::{Page, PageQuery};
use crate::server::entities::audit_event::{self, Column as A, Entity};
use crate::server::keyset::{self, Sorted};

/// Actions are stored in at most this many characters.
const ACTION_MAX: usize = 64;

/// The events `q` asks for, dates read on `zone`'s calendar.
pub(super) fn filtered(q: &AuditQuery, zone: &Zone) -> AppResult<Select<Entity>> {
    let mut select = Entity::find();
    if let Some(user) = q.user {
        select = select.filter(A::ActorId.eq(user));
    }
    match (q.entity, q.record) {
        (Some(entity), record) => {
            select = select.filter(A::Entity.eq(crate::choice::word(&entity)));
            if let Some(id) = record {
                select = select.filter(A::EntityId.eq(id.to_string()));
            }
        }
        (None, Some(_)) => {
            return Err(AppError::field(
                "record",
                "choose the kind of record the id is of",
            ));
        }
        (None, None) => {}
    }
    let action = q.action.trim().trim_end_matches('.');
    if action.chars().count() > ACTION_MAX {
        return Err(AppError::field(
            "action",
            format!("an action is at most {ACTION_MAX} characters"),
        ));
    }
    if !action.is_empty() {
        // The action itself, or every action of its family: `order` is `order.confirmed`,
        // `order.cancelled`… (a range, so the action index serves it; '/' follows '.').
        select = select.filter(
            A::Action.eq(action).or(A::Action
                .gt(format!("{action}."))
                .and(A::Action.lt(format!("{action}/")))),
        );
    }
    let (from, to) = parse_date_range(&q.from, &q.to).map_err(|e| AppError::fields(vec![e]))?;
    if let Some(f) = from {
        select = select.filter(A::At.gte(zone.start_of(f)));
    }
    if let Some(end) = to.and_then(|t| t.checked_add_days(Days::new(1))) {
        select = select.filter(A::At.lt(zone.start_of(end)));
    }
    Ok(select)
}

/// Newest first: by id, or within a date range by time, so the date index gives the order.
pub(super) fn sorted(q: &AuditQuery) -> Sorted<Entity> {
    let id_of = |m: &audit_event::Model| m.id;
    if !q.from.trim().is_empty() || !q.to.trim().is_empty() {
        Sorted::by(A::At, A::Id, id_of, Order::Desc)
    } else {
        Sorted {
            keys: Vec::new(),
            id: A::Id,
            id_of,
            dir: Order::Desc,
        }
    }
}

/// The page of the trail `q` asks for.
pub async fn page(
    db: &DatabaseConnection,
    zone: &Zone,
    q: &AuditQuery,
) -> AppResult<Page<AuditEvent>> {
    let page = keyset::page(db, filtered(q, zone)?, &sorted(q), q.at(), PAGE_SIZE).await?;
    let rows = super::service::shown(db, page.rows).await?;
    Ok(Page {
        rows,
        total: page.total,
        total_capped: page.total_capped,
        prev: page.prev,
        next: page.next,
    })
}
