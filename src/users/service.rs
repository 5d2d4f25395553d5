//! Account administration rules: an admin cannot lock themselves out (no self-demotion or
//! self-deactivation), every change is audited in the same transaction.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{ENTITY, UserRow, display_name};
use crate::audit::{Actor, Event};
use crate::auth::Role;
use crate::auth::password::NOT_CHOSEN;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::outbox::Mail;
use crate::server::AppState;
use crate::server::db::contains;
use crate::server::entities::user;
use crate::server::write::Write;

/// Lists are capped; the search narrows them.
const LIST_LIMIT: u64 = 200;

pub(super) fn row(m: user::Model) -> UserRow {
    UserRow {
        id: m.id,
        name: display_name(&m.first_name, &m.last_name, &m.username),
        invited: m.password_hash == NOT_CHOSEN,
        username: m.username,
        email: m.email,
        role: m.role,
        active: m.active,
        pending: m.pending,
        last_sign_in: m.last_sign_in_at,
    }
}

/// `LOWER(column)`, for case-insensitive search on both SQLite and PostgreSQL.
fn lower(col: user::Column) -> Expr {
    Expr::expr(Func::lower(Expr::col(col)))
}

/// The display names of the given accounts, for showing who did what (audit trails, stock
/// history, who entered an order).
pub async fn display_names(
    db: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<std::collections::HashMap<i64, String>> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::FirstName)
        .column(user::Column::LastName)
        .column(user::Column::Username)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(i64, String, String, String)>()
        .all(db)
        .await
        .or_internal("users")?
        .into_iter()
        .map(|(id, first, last, username)| (id, display_name(&first, &last, &username)))
        .collect())
}

/// The addresses of every active, approved account with one of `roles` (for alerts).
pub async fn emails_of(
    db: &impl sea_orm::ConnectionTrait,
    roles: &[Role],
) -> AppResult<Vec<String>> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Email)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Pending.eq(false))
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .into_tuple::<String>()
        .all(db)
        .await
        .or_internal("users")
}

pub async fn list(db: &DatabaseConnection, query: &str) -> AppResult<Vec<UserRow>> {
    let q = query.trim().to_lowercase();
    // Requests waiting for approval first: they are what an admin comes here for.
    let mut select = user::Entity::find()
        .order_by_desc(user::Column::Pending)
        .order_by_asc(user::Column::UsernameKey);
    if !q.is_empty() {
        let like = || contains(&q);
        select = select.filter(
            Condition::any()
                .add(user::Column::UsernameKey.like(like()))
                .add(user::Column::Email.like(like()))
                .add(lower(user::Column::FirstName).like(like()))
                .add(lower(user::Column::LastName).like(like())),
        );
    }
    Ok(select
        .limit(LIST_LIMIT)
        .all(db)
        .await
        .or_internal("users")?
        .into_iter()
        .map(row)
        .collect())
}

/// What the audit trail says an administrator did to an account.
const ROLE_CHANGED: Event = Event::new(ENTITY, "user.role_changed");
const REACTIVATED: Event = Event::new(ENTITY, "user.reactivated");
const DEACTIVATED: Event = Event::new(ENTITY, "user.deactivated");
const APPROVED: Event = Event::new(ENTITY, "user.approved");
const DECLINED: Event = Event::new(ENTITY, "user.declined");

/// Applies one admin change to account `id` and audits it, in one write unit. `apply`
/// refuses (a 409) or changes the model and says what changed. Once committed, this server
/// reads the account anew on its next request (`auth::fresh`).
async fn change(
    state: &AppState,
    admin: Actor,
    id: i64,
    event: Event,
    apply: impl FnOnce(&mut user::ActiveModel, &user::Model) -> AppResult<String>,
) -> AppResult<UserRow> {
    let mut w = Write::begin(&state.db, admin).await?;
    let updated = change_in(&mut w, id, event, apply).await?;
    w.commit().await?;
    state.signed_in.forget_user(id);
    Ok(row(updated))
}

/// `change` within a unit the caller commits (it may add mail).
async fn change_in(
    w: &mut Write,
    id: i64,
    event: Event,
    apply: impl FnOnce(&mut user::ActiveModel, &user::Model) -> AppResult<String>,
) -> AppResult<user::Model> {
    let current = user::Entity::find_by_id(id)
        .one(&**w)
        .await
        .or_internal("users")?
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))?;
    let mut model: user::ActiveModel = current.clone().into();
    let details = apply(&mut model, &current)?;
    model.updated_at = Set(Utc::now());
    let updated = model.update(&**w).await.or_internal("users")?;
    w.record(event, id, details);
    Ok(updated)
}

pub async fn set_role(state: &AppState, admin: Actor, id: i64, role: Role) -> AppResult<UserRow> {
    if id == admin.id() && role != Role::Admin {
        return Err(AppError::Conflict(
            "you cannot remove your own admin role; ask another administrator".into(),
        ));
    }
    change(state, admin, id, ROLE_CHANGED, |m, before| {
        m.role = Set(role);
        Ok(format!("{} → {}", before.role, role))
    })
    .await
}

/// Deactivated users cannot sign in, and their sessions end at once (the session backend
/// loads only active users).
pub async fn set_active(
    state: &AppState,
    admin: Actor,
    id: i64,
    active: bool,
) -> AppResult<UserRow> {
    if id == admin.id() && !active {
        return Err(AppError::Conflict(
            "you cannot deactivate your own account".into(),
        ));
    }
    let event = if active { REACTIVATED } else { DEACTIVATED };
    change(state, admin, id, event, |m, _| {
        m.active = Set(active);
        Ok(String::new())
    })
    .await
}

/// 409 unless the account still waits for approval (two admins may answer the same request).
fn still_pending(u: &user::Model) -> AppResult<()> {
    if u.pending {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "{}'s request has already been answered",
            u.username
        )))
    }
}

/// Approves a waiting account with `role`, and tells the person by email.
pub async fn approve(state: &AppState, admin: Actor, id: i64, role: Role) -> AppResult<UserRow> {
    let mut w = Write::begin(&state.db, admin).await?;
    let approved = change_in(&mut w, id, APPROVED, |m, before| {
        still_pending(before)?;
        m.pending = Set(false);
        m.role = Set(role);
        Ok(format!("{} approved as {role}", before.username))
    })
    .await?;
    let approved = row(approved);
    let link = state.config.base_url.to_string();
    let body = format!(
        "Hello {},\n\nYour Sales account '{}' has been approved ({}). You can sign in at:\n\n\
         {link}\n",
        approved.name,
        approved.username,
        role.label()
    );
    w.mail(Mail::plain(
        approved.email.clone(),
        "Your Sales account is ready",
        body,
    ));
    w.commit().await?;
    Ok(approved)
}

/// Declines a waiting account: it is deactivated, so it can never sign in.
pub async fn decline(state: &AppState, admin: Actor, id: i64) -> AppResult<UserRow> {
    change(state, admin, id, DECLINED, |m, before| {
        still_pending(before)?;
        m.pending = Set(false);
        m.active = Set(false);
        Ok(format!("{}'s request declined", before.username))
    })
    .await
}
