//! Idempotency keys: a request that adds (a receipt, an adjustment, later a payment) carries
//! a key the browser made for it, and the write claims the key in its own transaction. The
//! same request sent again (a double click, a network retry) finds the key taken and
//! changes nothing; a refused request rolls its claim back, so it may be retried.

use chrono::{Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::{AppError, AppResult, OrInternal};
use crate::server::entities::request_key;

/// Keys are kept this long: far past any retry.
pub const KEEP_HOURS: i64 = 24;

/// The form field a malformed key is reported at.
pub const FIELD: &str = "request_key";

/// A key as the browser makes it: 8 to 64 letters, digits and dashes.
pub fn check(key: &str) -> AppResult<()> {
    let ok = (8..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(AppError::field(
            FIELD,
            "the request key must be 8 to 64 letters, digits or dashes",
        ))
    }
}

/// Claims `key` for `user_id` within the caller's transaction: `true` the first time, `false`
/// when that request was already applied. No key: every request is applied.
pub async fn claim(db: &impl ConnectionTrait, user_id: i64, key: Option<&str>) -> AppResult<bool> {
    let Some(key) = key else {
        return Ok(true);
    };
    check(key)?;
    let row = request_key::ActiveModel {
        user_id: Set(user_id),
        key: Set(key.to_string()),
        created_at: Set(Utc::now()),
    };
    let inserted = request_key::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([request_key::Column::UserId, request_key::Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .or_internal("claim request key")?;
    Ok(inserted == 1)
}

/// Deletes keys older than `KEEP_HOURS` (with the session sweep).
pub async fn sweep(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    let before = Utc::now() - Duration::hours(KEEP_HOURS);
    let done = request_key::Entity::delete_many()
        .filter(request_key::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
