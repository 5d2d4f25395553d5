//! Password reset by email: a random single-use token, only its SHA-256 stored, valid for
//! 30 minutes. Asking for a reset answers the same whether or not the address is known.

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::password;
use super::service::{PASSWORD_RESET, RESET_REQUESTED, check_new_password};
use crate::audit::Actor;
use crate::error::{AppError, AppResult, OrInternal};
use crate::outbox::Mail;
use crate::server::entities::{password_reset, user};
use crate::server::write::Write;
use crate::server::{AppState, throttle};

pub const TOKEN_MINUTES: i64 = 30;

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new single-use link that lets account `user` choose a password within `valid`, written
/// in `w` (the caller mails it and commits). Only the token's hash is stored.
pub async fn link(w: &Write, state: &AppState, user: i64, valid: Duration) -> AppResult<url::Url> {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    password_reset::ActiveModel {
        user_id: Set(user),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(now + valid),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&**w)
    .await
    .or_internal("password reset")?;
    state
        .config
        .base_url
        .join(&format!("reset-password?token={token}"))
        .map_err(|e| AppError::internal("reset link", e))
}

/// Email a reset link if `email` belongs to an active account; silently do nothing otherwise.
/// Rate-limited per IP and per address (`throttle::RESET_REQUESTS`), counted whether or not
/// the address has an account, so a refusal reveals nothing either.
pub async fn request(state: &AppState, ip: &str, email: &str) -> AppResult<()> {
    throttle::take(&state.db, &throttle::RESET_REQUESTS, ip, email).await?;
    let email = email.trim().to_lowercase();
    let Some(account) = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .filter(user::Column::Active.eq(true))
        .one(&state.db)
        .await
        .or_internal("password reset")?
    else {
        return Ok(());
    };
    let by = Actor::new(account.id);
    let mut w = Write::begin(&state.db, by).await?;
    let link = link(&w, state, account.id, Duration::minutes(TOKEN_MINUTES)).await?;
    w.record(RESET_REQUESTED, account.id, String::new());
    let body = format!(
        "Hello {},\n\nSomeone (hopefully you) asked to reset the password of your Sales account \
         '{}'. Open this link within {TOKEN_MINUTES} minutes to choose a new one:\n\n{link}\n\n\
         If you did not ask for this, ignore this email; your password stays as it is.\n",
        account.first_name, account.username
    );
    // Sent by the outbox worker: the answer must not reveal, by its timing or by a mail
    // error, whether the address has an account.
    w.mail(Mail::plain(
        account.email,
        "Reset your Sales password",
        body,
    ));
    w.commit().await
}

/// Set a new password with a token from the email. The token works once.
pub async fn complete(
    state: &AppState,
    token: &str,
    new: String,
    confirm: String,
) -> AppResult<()> {
    let invalid = || {
        AppError::field(
            "token",
            "this reset link is invalid, used or expired; ask for a new one",
        )
    };
    let now = Utc::now();
    let reset = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash(token.trim())))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(&state.db)
        .await
        .or_internal("password reset")?
        .ok_or_else(invalid)?;
    let account = user::Entity::find_by_id(reset.user_id)
        .one(&state.db)
        .await
        .or_internal("password reset")?
        .filter(|u| u.active)
        .ok_or_else(invalid)?;
    let mut fields = Vec::new();
    check_new_password(
        &new,
        &confirm,
        &account.username,
        &account.email,
        &mut fields,
    );
    if !fields.is_empty() {
        return Err(AppError::fields(fields));
    }
    let hash = password::hash(new).await?;

    let mut w = Write::begin(&state.db, Actor::new(account.id)).await?;
    // Conditional on still unused: two concurrent uses of one token cannot both succeed.
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::Id.eq(reset.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&*w)
        .await
        .or_internal("password reset")?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .exec(&*w)
        .await
        .or_internal("password reset")?;
    w.record(PASSWORD_RESET, account.id, String::new());
    w.commit().await?;
    // Its sessions end here at once (the password hash they are bound to changed).
    state.signed_in.forget_user(account.id);
    Ok(())
}
