//! Bringing people in by email: an administrator invites a person (the account exists at
//! once, with no password, and the person chooses one through a single-use link valid for a
//! week), or sends anyone a link to choose a new password. Both links are the password-reset
//! machinery's (`auth::reset::link`): only their hash is stored, and each works once.

use chrono::Duration;
use sea_orm::EntityTrait;

use super::service::row;
use super::{ENTITY, InviteForm, UserRow};
use crate::audit::{Actor, Event};
use crate::auth::password::NOT_CHOSEN;
use crate::auth::reset;
use crate::auth::rules::account_problems;
use crate::auth::service::{insert_account, taken_fields};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::outbox::Mail;
use crate::server::AppState;
use crate::server::entities::user;
use crate::server::write::Write;

/// How long an invitation's link works, and an administrator's reset link.
pub const INVITE_DAYS: i64 = 7;
pub const RESET_HOURS: i64 = 24;

const INVITED: Event = Event::new(ENTITY, "user.invited");
const RESET_SENT: Event = Event::new(ENTITY, "password.reset_sent");

/// Makes the account of `form` (active, with its role, and no password yet) and mails the
/// person the link to choose one, in one write unit.
pub async fn invite(state: &AppState, admin: Actor, form: InviteForm) -> AppResult<UserRow> {
    let username = form.username.trim().to_string();
    let email = form.email.trim().to_lowercase();
    let fields = account_problems(&username, &form.first_name, &form.last_name, &email);
    if !fields.is_empty() {
        return Err(AppError::fields(fields));
    }
    let mut w = Write::begin(&state.db, admin).await?;
    let taken = taken_fields(&*w, &username.to_lowercase(), &email, None).await?;
    if !taken.is_empty() {
        return Err(AppError::fields(taken));
    }
    let names = (form.first_name.as_str(), form.last_name.as_str());
    let account = (&username[..], &email[..]);
    let role = (form.role, false);
    let model = insert_account(&w, account, names, NOT_CHOSEN.into(), role).await?;
    let link = reset::link(&w, state, model.id, Duration::days(INVITE_DAYS)).await?;
    let body = format!(
        "Hello {},\n\nYou have been given an account in Sales, the ordering system: username \
         '{username}', role {}. Open this link within {INVITE_DAYS} days to choose your \
         password, then sign in:\n\n{link}\n\nThe link works once.\n",
        model.first_name,
        form.role.label(),
    );
    w.record(
        INVITED,
        model.id,
        format!("{username} invited as {}", form.role),
    );
    w.mail(Mail::plain(model.email.clone(), "Your Sales account", body));
    w.commit().await?;
    Ok(row(model))
}

/// Mails account `id` a link to choose a new password, valid for a day.
pub async fn send_reset(state: &AppState, admin: Actor, id: i64) -> AppResult<()> {
    let mut w = Write::begin(&state.db, admin).await?;
    let account = user::Entity::find_by_id(id)
        .one(&*w)
        .await
        .or_internal("users")?
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))?;
    if !account.active || account.pending {
        return Err(AppError::Conflict(format!(
            "{} cannot sign in (deactivated, or waiting for approval): no link was sent",
            account.username
        )));
    }
    let link = reset::link(&w, state, id, Duration::hours(RESET_HOURS)).await?;
    let body = format!(
        "Hello {},\n\nAn administrator has sent you a link to choose a new password for your \
         Sales account '{}'. Open it within {RESET_HOURS} hours:\n\n{link}\n\nUntil you use \
         it, your password stays as it is.\n",
        account.first_name, account.username
    );
    w.record(RESET_SENT, id, String::new());
    w.mail(Mail::plain(
        account.email,
        "Choose a new Sales password",
        body,
    ));
    w.commit().await
}
