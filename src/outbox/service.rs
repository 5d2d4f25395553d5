//! The outbox table: queuing mail inside a change's transaction, and the admin's view of it.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{Mail, MailStatus, OutboxMail, PAGE_ROWS};
use crate::audit::{Actor, Event};
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::entities::outbox_mail::{self, Column};
use crate::server::write::Write;

const RETRIED: Event = Event::new(super::ENTITY, "mail.retried");

pub(crate) fn to_dto(m: outbox_mail::Model) -> OutboxMail {
    OutboxMail {
        id: m.id,
        recipient: m.recipient,
        subject: m.subject,
        status: m.status,
        attempts: m.attempts,
        last_error: m.last_error,
        created_at: m.created_at,
        next_attempt_at: m.next_attempt_at,
        sent_at: m.sent_at,
    }
}

/// A Message-ID's unique part (the worker adds `@` and the host of `BASE_URL`): random, and
/// kept with the mail so every attempt sends the same one.
fn message_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `mails` to the outbox within the caller's transaction (the write unit's commit).
pub async fn enqueue(txn: &impl ConnectionTrait, mails: Vec<Mail>) -> AppResult<()> {
    if mails.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = mails.into_iter().map(|m| {
        let (attachment_name, attachment) = match m.attachment {
            Some(a) => (Some(a.name), Some(a.bytes)),
            None => (None, None),
        };
        outbox_mail::ActiveModel {
            recipient: Set(m.to),
            subject: Set(m.subject),
            body: Set(m.body),
            message_id: Set(message_token()),
            status: Set(MailStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(Some(now)),
            last_error: Set(String::new()),
            created_at: Set(now),
            sent_at: Set(None),
            attachment_name: Set(attachment_name),
            attachment: Set(attachment),
            invoice_id: Set(m.invoice_id),
            order_id: Set(m.order_id),
            ..Default::default()
        }
    });
    outbox_mail::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await
        .or_internal("outbox")?;
    Ok(())
}

/// The newest mails with `status`.
pub async fn list(db: &DatabaseConnection, status: MailStatus) -> AppResult<Vec<OutboxMail>> {
    Ok(outbox_mail::Entity::find()
        .filter(Column::Status.eq(status))
        .order_by_desc(Column::Id)
        .limit(PAGE_ROWS)
        .all(db)
        .await
        .or_internal("outbox")?
        .into_iter()
        .map(to_dto)
        .collect())
}

/// Sends a failed mail again now, with its attempts counted afresh.
pub async fn retry(db: &DatabaseConnection, actor: Actor, id: i64) -> AppResult<OutboxMail> {
    let mut w = Write::begin(db, actor).await?;
    let m = requeue(&mut w, id).await?;
    w.commit().await?;
    Ok(to_dto(m))
}

/// The mails sent for one record, newest first: `about` names the column (`InvoiceId`,
/// `OrderId`) that holds its `id`.
pub async fn sent_for(
    db: &impl ConnectionTrait,
    about: Column,
    id: i64,
) -> AppResult<Vec<OutboxMail>> {
    Ok(outbox_mail::Entity::find()
        .filter(about.eq(id))
        .order_by_desc(Column::Id)
        .all(db)
        .await
        .or_internal("outbox")?
        .into_iter()
        .map(to_dto)
        .collect())
}

/// Sends failed mail `mail_id` of the record `about` = `id` again, recorded as `event` on
/// that record; a 404 when the mail is not that record's.
pub async fn resend_for(
    db: &DatabaseConnection,
    actor: Actor,
    (about, id): (Column, i64),
    mail_id: i64,
    event: Event,
) -> AppResult<()> {
    let mail = outbox_mail::Entity::find_by_id(mail_id)
        .filter(about.eq(id))
        .one(db)
        .await
        .or_internal("outbox")?
        .ok_or_else(|| AppError::NotFound(format!("mail {mail_id} of {} {id}", event.entity)))?;
    let mut w = Write::begin(db, actor).await?;
    requeue(&mut w, mail_id).await?;
    w.record(event, id, format!("to {} again", mail.recipient));
    w.commit().await
}

/// Queues failed mail `id` again within the caller's unit (which wakes the worker at
/// commit), as an audit event; a 409 unless it failed.
pub async fn requeue(w: &mut Write, id: i64) -> AppResult<outbox_mail::Model> {
    let retried = outbox_mail::Entity::update_many()
        .col_expr(Column::Attempts, Expr::val(0))
        .col_expr(Column::NextAttemptAt, Expr::val(Utc::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(MailStatus::Failed))
        .exec(&**w)
        .await
        .or_internal("outbox")?;
    let m = outbox_mail::Entity::find_by_id(id)
        .one(&**w)
        .await
        .or_internal("outbox")?
        .ok_or_else(|| AppError::NotFound(format!("mail {id}")))?;
    if retried.rows_affected == 0 {
        return Err(AppError::Conflict(format!(
            "the mail to {} is {}; only a failed mail is sent again",
            m.recipient,
            crate::choice::Choice::label(m.status).to_lowercase()
        )));
    }
    w.record(RETRIED, id, format!("{} to {}", m.subject, m.recipient));
    w.wake();
    Ok(m)
}
