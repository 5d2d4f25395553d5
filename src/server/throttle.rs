//! Rate limits on requests that cost someone else something: a password-reset request sends a
//! mail to whatever address is typed, a registration mails every administrator and spends a
//! password hash. Each is counted per client IP and per email address in `rate_hits`, in the
//! database, so the limits hold across restarts and across app servers.
//!
//! The count and the insert are not one atomic step: two requests racing at the limit may
//! both pass. That lets a burst go one or two over, never a flood, and costs no lock.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::rate_hit;
use crate::error::{AppError, AppResult, OrInternal};

/// One rate limit: at most `per_ip` requests from one IP, and `per_address` about one
/// address, within `window_minutes`.
pub struct Limit {
    pub action: &'static str,
    pub per_ip: u64,
    pub per_address: u64,
    pub window_minutes: i64,
    /// What the refusal says before "try again in …".
    pub refused: &'static str,
}

/// A person who lost a password asks once or twice; a third mail an hour is already plenty.
pub const RESET_REQUESTS: Limit = Limit {
    action: "password.reset",
    per_ip: 10,
    per_address: 3,
    window_minutes: 60,
    refused: "too many password-reset requests",
};

/// An office behind one address registers its staff in a morning, not dozens an hour.
pub const REGISTRATIONS: Limit = Limit {
    action: "registration",
    per_ip: 10,
    per_address: 3,
    window_minutes: 60,
    refused: "too many registrations",
};

const LIMITS: [&Limit; 2] = [&RESET_REQUESTS, &REGISTRATIONS];

/// The longest address an account can have; longer text is cut to fit the column (it names
/// no account anyway).
const MAX_ADDRESS_CHARS: usize = 254;

/// Counts one request from `ip` about `address`, or refuses it (429) when either is at its
/// limit; a refused request is not counted, so the limit frees as the window moves on.
pub async fn take(
    db: &impl ConnectionTrait,
    limit: &Limit,
    ip: &str,
    address: &str,
) -> AppResult<()> {
    let address: String = address
        .trim()
        .to_lowercase()
        .chars()
        .take(MAX_ADDRESS_CHARS)
        .collect();
    let now = Utc::now();
    let since = now - Duration::minutes(limit.window_minutes);
    for (column, value, max) in [
        (rate_hit::Column::Ip, ip, limit.per_ip),
        (
            rate_hit::Column::Address,
            address.as_str(),
            limit.per_address,
        ),
    ] {
        let recent: Vec<DateTime<Utc>> = rate_hit::Entity::find()
            .select_only()
            .column(rate_hit::Column::At)
            .filter(rate_hit::Column::Action.eq(limit.action))
            .filter(column.eq(value))
            .filter(rate_hit::Column::At.gt(since))
            .order_by_desc(rate_hit::Column::At)
            .limit(max)
            .into_tuple()
            .all(db)
            .await
            .or_internal("rate limit")?;
        if recent.len() as u64 >= max {
            let oldest = recent.last().copied().unwrap_or(now);
            return Err(AppError::TooManyRequests(format!(
                "{}; {}",
                limit.refused,
                try_again(oldest, limit.window_minutes)
            )));
        }
    }
    rate_hit::ActiveModel {
        action: Set(limit.action.to_string()),
        ip: Set(ip.to_string()),
        address: Set(address),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .or_internal("rate limit")?;
    Ok(())
}

/// "try again in N minutes": when the oldest counted request, made at `oldest`, leaves a
/// window of `window_minutes` (at least one minute).
pub fn try_again(oldest: DateTime<Utc>, window_minutes: i64) -> String {
    let free_at = oldest + Duration::minutes(window_minutes);
    let n = ((free_at - Utc::now()).num_seconds() + 59)
        .div_euclid(60)
        .max(1);
    format!("try again in {n} minute{}", if n == 1 { "" } else { "s" })
}

/// Forgets requests older than every window: they no longer count. Run with the session sweep.
pub async fn sweep(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    let longest = LIMITS.iter().map(|l| l.window_minutes).max().unwrap_or(0);
    let done = rate_hit::Entity::delete_many()
        .filter(rate_hit::Column::At.lt(Utc::now() - Duration::minutes(longest)))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_again_counts_whole_minutes_up() {
        let now = Utc::now();
        assert_eq!(try_again(now, 60), "try again in 60 minutes");
        assert_eq!(
            try_again(now - Duration::minutes(59) - Duration::seconds(30), 60),
            "try again in 1 minute"
        );
        assert_eq!(
            try_again(now - Duration::hours(5), 60),
            "try again in 1 minute"
        );
    }
}
