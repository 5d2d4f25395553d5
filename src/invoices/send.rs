//! Sending an issued invoice's PDF by mail, through the outbox (ARCHITECTURE.md, "Mail"): the
//! mail is written with its audit event and sent once they commit; it counts as sent only
//! when the mail server accepted it. A failed one shows on the invoice, with the server's
//! answer, and can be sent again.

use sea_orm::DatabaseConnection;

use super::{ENTITY, SendForm};
use crate::audit::{Actor, Event};
use crate::error::{AppError, AppResult};
use crate::outbox::Mail;
use crate::outbox::compose::read_send;
use crate::server::AppState;
use crate::server::entities::outbox_mail;
use crate::server::write::Write;

const SENT: Event = Event::new(ENTITY, "invoice.sent");
const RESENT: Event = Event::new(ENTITY, "invoice.resent");

/// Queues invoice `id`'s PDF to `form.to`.
pub async fn send(state: &AppState, actor: Actor, id: i64, form: SendForm) -> AppResult<()> {
    read_send(&form).map_err(AppError::fields)?;
    // The stored PDF (drawn now if an issue stopped short of it); a draft has none (409).
    let (number, bytes) = super::pdf::invoice_bytes(state, id).await?;
    let mut w = Write::begin(&state.db, actor).await?;
    let to = form.to.trim().to_string();
    w.mail(Mail {
        invoice_id: Some(id),
        ..Mail::with_pdf(form, format!("{number}.pdf"), bytes)
    });
    w.record(SENT, id, format!("{number} to {to}"));
    w.commit().await
}

/// Sends invoice `id`'s failed mail `mail_id` again.
pub async fn resend(db: &DatabaseConnection, actor: Actor, id: i64, mail_id: i64) -> AppResult<()> {
    let about = (outbox_mail::Column::InvoiceId, id);
    crate::outbox::service::resend_for(db, actor, about, mail_id, RESENT).await
}
