//! The outbox worker: sends what is due, one mail at a time, and records what the mail server
//! said. A mail is `sent` only once the server accepted it; a refusal or an unreachable
//! server leaves it `failed` with the answer, tried again after a delay that doubles each
//! time, up to `MAX_ATTEMPTS`.
//!
//! Mails are claimed before they are sent (their next attempt moved a lease ahead by the
//! statement that picks them), so two workers — two app servers on one database — never send
//! the same mail, and a worker that dies mid-send leaves it to be tried again when the lease
//! ends.

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Order,
    QueryFilter, QueryOrder, Set,
};
use tokio::sync::watch;

use super::MailStatus;
use crate::error::{AppResult, OrInternal};
use crate::server::db::begin_write;
use crate::server::entities::outbox_mail::{self, Column};
use crate::server::mail::Mailer;

/// Attempts before a mail is given up (it stays listed as failed; an admin can retry it).
pub const MAX_ATTEMPTS: i32 = 10;
/// The longest wait between two attempts.
const MAX_DELAY: Duration = Duration::from_secs(6 * 3600);
/// How often an idle worker looks for mail queued by another app server.
const POLL: Duration = Duration::from_secs(30);
/// Mails read per query.
const BATCH: u64 = 32;

/// Bumped by every commit that queued mail; each worker watches it.
static QUEUED: LazyLock<watch::Sender<u64>> = LazyLock::new(|| watch::channel(0).0);

/// Tells the workers of this process that mail was queued.
pub fn wake() {
    QUEUED.send_modify(|n| *n = n.wrapping_add(1));
}

/// The worker's loop; runs for the life of the server.
pub async fn run(db: DatabaseConnection, mailer: Mailer, first_retry: Duration, lease: Duration) {
    let mut queued = QUEUED.subscribe();
    loop {
        let wait = match send_due(&db, &mailer, first_retry, lease).await {
            Ok(Some(next)) => (next - Utc::now()).to_std().unwrap_or_default().min(POLL),
            Ok(None) => POLL,
            Err(e) => {
                tracing::error!("outbox: {e}");
                POLL
            }
        };
        tokio::select! {
            _ = queued.changed() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Sends every mail due now; answers when the next one falls due.
async fn send_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    first_retry: Duration,
    lease: Duration,
) -> AppResult<Option<DateTime<Utc>>> {
    loop {
        let claimed = claim_due(db, lease).await?;
        if claimed.is_empty() {
            break;
        }
        for mail in claimed {
            let answer = mailer.send(&mail).await;
            record(db, mail, answer, first_retry).await?;
        }
    }
    Ok(outbox_mail::Entity::find()
        .filter(Column::NextAttemptAt.is_not_null())
        .order_by_asc(Column::NextAttemptAt)
        .one(db)
        .await
        .or_internal("outbox")?
        .and_then(|m| m.next_attempt_at))
}

/// Takes up to `BATCH` due mails for this worker alone: the statement that picks them moves
/// their next attempt a lease ahead. On PostgreSQL the pick skips rows another server is
/// claiming at that moment (`FOR UPDATE SKIP LOCKED`), so servers share the queue out instead
/// of waiting on one another; on SQLite the write gate takes claims one at a time.
async fn claim_due(db: &DatabaseConnection, lease: Duration) -> AppResult<Vec<outbox_mail::Model>> {
    let now = Utc::now();
    let mut pick = Query::select();
    pick.column(Column::Id)
        .from(outbox_mail::Entity)
        .and_where(Column::NextAttemptAt.lte(now))
        .order_by(Column::NextAttemptAt, Order::Asc)
        .limit(BATCH);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        pick.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let (_gate, txn) = begin_write(db).await.or_internal("outbox")?;
    let claimed = outbox_mail::Entity::update_many()
        .col_expr(Column::NextAttemptAt, Expr::val(now + lease))
        .filter(Column::Id.in_subquery(pick))
        .filter(Column::NextAttemptAt.lte(now))
        .exec_with_returning(&txn)
        .await
        .or_internal("outbox")?;
    txn.commit().await.or_internal("outbox")?;
    Ok(claimed)
}

/// Records the mail server's answer to one attempt.
async fn record(
    db: &DatabaseConnection,
    mail: outbox_mail::Model,
    answer: Result<(), String>,
    first_retry: Duration,
) -> AppResult<()> {
    let attempts = mail.attempts + 1;
    let (id, to) = (mail.id, mail.recipient.clone());
    let mut m: outbox_mail::ActiveModel = mail.into();
    m.attempts = Set(attempts);
    match answer {
        Ok(()) => {
            m.status = Set(MailStatus::Sent);
            m.sent_at = Set(Some(Utc::now()));
            // An earlier refusal stays readable: "sent at the second attempt, after …".
            m.next_attempt_at = Set(None);
        }
        Err(reason) => {
            let next = retry_delay(first_retry, attempts).map(|d| Utc::now() + d);
            match next {
                Some(at) => tracing::warn!("mail {id} to {to} failed, retry at {at}: {reason}"),
                None => tracing::error!("mail {id} to {to} failed {attempts} times: {reason}"),
            }
            m.status = Set(MailStatus::Failed);
            m.next_attempt_at = Set(next);
            m.last_error = Set(reason);
        }
    }
    let (_gate, txn) = begin_write(db).await.or_internal("outbox")?;
    m.update(&txn).await.or_internal("outbox")?;
    txn.commit().await.or_internal("outbox")
}

/// The wait after failed attempt number `attempts`: `first`, doubling each time, at most
/// `MAX_DELAY`; `None` once `MAX_ATTEMPTS` are used.
pub fn retry_delay(first: Duration, attempts: i32) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = attempts.clamp(1, 30) as u32 - 1;
    Some(first.saturating_mul(1 << doublings).min(MAX_DELAY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_a_cap_then_stop() {
        let first = Duration::from_secs(60);
        assert_eq!(retry_delay(first, 1), Some(first));
        assert_eq!(retry_delay(first, 2), Some(first * 2));
        assert_eq!(retry_delay(first, 4), Some(first * 8));
        assert_eq!(retry_delay(first, 9), Some(first * 256));
        assert_eq!(retry_delay(first * 60, 9), Some(MAX_DELAY));
        assert_eq!(retry_delay(first, MAX_ATTEMPTS), None);
    }
}
