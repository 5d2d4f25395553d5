//! Account administration rules: an admin cannot lock themselves out (no self-demotion or
//! self-deactivation), every change is audited in the same transaction.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::UserRow;
use crate::audit::service::log;
use crate::auth::Role;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::db::begin_write;
use crate::server::db::contains;
use crate::server::entities::user;

/// Lists are capped; the search narrows them.
const LIST_LIMIT: u64 = 200;

fn row(m: user::Model) -> UserRow {
    UserRow {
        id: m.id,
        name: format!("{} {}", m.first_name, m.last_name),
        username: m.username,
        email: m.email,
        role: Role::parse(&m.role).unwrap_or(Role::Sales),
        active: m.active,
        pending: m.pending,
    }
}

/// `LOWER(column)`, for case-insensitive search on both SQLite and PostgreSQL.
fn lower(col: user::Column) -> Expr {
    Expr::expr(Func::lower(Expr::col(col)))
}

/// Usernames of the given accounts, for showing who did what (audit trails, stock history).
pub async fn usernames(
    db: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<std::collections::HashMap<i64, String>> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Username)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
        .or_internal("users")?
        .into_iter()
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

/// Applies one admin change to account `id` and audits it, in one transaction. `apply`
/// refuses (a 409) or changes the model and says what changed.
async fn change(
    db: &DatabaseConnection,
    admin_id: i64,
    id: i64,
    action: &str,
    apply: impl FnOnce(&mut user::ActiveModel, &user::Model) -> AppResult<String>,
) -> AppResult<UserRow> {
    let (_gate, txn) = begin_write(db).await.or_internal("users")?;
    let current = user::Entity::find_by_id(id)
        .one(&txn)
        .await
        .or_internal("users")?
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))?;
    let mut model: user::ActiveModel = current.clone().into();
    let details = apply(&mut model, &current)?;
    model.updated_at = Set(Utc::now());
    let updated = model.update(&txn).await.or_internal("users")?;
    log(&txn, Some(admin_id), action, "user", Some(id), details).await?;
    txn.commit().await.or_internal("users")?;
    Ok(row(updated))
}

pub async fn set_role(
    db: &DatabaseConnection,
    admin_id: i64,
    id: i64,
    role: Role,
) -> AppResult<UserRow> {
    if id == admin_id && role != Role::Admin {
        return Err(AppError::Conflict(
            "you cannot remove your own admin role; ask another administrator".into(),
        ));
    }
    change(db, admin_id, id, "user.role_changed", |m, before| {
        m.role = Set(role.as_str().to_string());
        Ok(format!("{} → {}", before.role, role))
    })
    .await
}

/// Deactivated users cannot sign in, and their sessions end at once (the session backend
/// loads only active users).
pub async fn set_active(
    db: &DatabaseConnection,
    admin_id: i64,
    id: i64,
    active: bool,
) -> AppResult<UserRow> {
    if id == admin_id && !active {
        return Err(AppError::Conflict(
            "you cannot deactivate your own account".into(),
        ));
    }
    let action = if active {
        "user.reactivated"
    } else {
        "user.deactivated"
    };
    change(db, admin_id, id, action, |m, _| {
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

/// Approves a waiting account with `role`, then tells the person by email.
pub async fn approve(
    state: &crate::server::AppState,
    admin_id: i64,
    id: i64,
    role: Role,
) -> AppResult<UserRow> {
    let mut email = String::new();
    let row = change(&state.db, admin_id, id, "user.approved", |m, before| {
        still_pending(before)?;
        email = before.email.clone();
        m.pending = Set(false);
        m.role = Set(role.as_str().to_string());
        Ok(format!("{} approved as {role}", before.username))
    })
    .await?;
    let link = state.config.base_url.to_string();
    let body = format!(
        "Hello {},\n\nYour Sales account '{}' has been approved ({}). You can sign in at:\n\n\
         {link}\n",
        row.name,
        row.username,
        role.label()
    );
    state
        .mailer
        .send_later(vec![email], "Your Sales account is ready".into(), body);
    Ok(row)
}

/// Declines a waiting account: it is deactivated, so it can never sign in.
pub async fn decline(db: &DatabaseConnection, admin_id: i64, id: i64) -> AppResult<UserRow> {
    change(db, admin_id, id, "user.declined", |m, before| {
        still_pending(before)?;
        m.pending = Set(false);
        m.active = Set(false);
        Ok(format!("{}'s request declined", before.username))
    })
    .await
}
