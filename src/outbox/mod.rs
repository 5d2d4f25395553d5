//! Outgoing mail. Every mail is written to the outbox in the transaction of the change that
//! causes it (`server::write::Write::mail`) and sent afterwards by a background worker, which
//! retries with backoff and keeps the mail server's answer. Admins see what failed, and why,
//! and can send it again.

use chrono::{DateTime, Utc};
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Access;
#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::choice::Choice;
use crate::error::AppError;

pub mod compose;
pub mod sending_view;
#[cfg(feature = "server")]
pub mod service;
pub mod view;
#[cfg(feature = "server")]
pub mod worker;

/// What this module runs and seeds on the server (`server::modules`).
#[cfg(feature = "server")]
pub const MODULE: crate::server::modules::Module = crate::server::modules::Module {
    name: "outbox",
    background: Some(|state| {
        Box::pin(worker::run(
            state.db.clone(),
            state.mailer.clone(),
            state.config.mail_retry,
            state.config.mail_lease,
        ))
    }),
    demo: None,
};

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "mail";

/// Who may read and who may change (administrators only); `READ` also decides the menu entry.
pub const READ: Access = Access::AdminOnly;
pub const WRITE: Access = Access::AdminOnly;

/// Rows a page of the outbox shows, newest first.
pub const PAGE_ROWS: u64 = 100;

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MailStatus {
        /// Not tried yet.
        Pending,
        /// The mail server accepted it.
        Sent,
        /// The last attempt failed; it is tried again while attempts remain.
        #[default]
        Failed,
    }
}

impl Choice for MailStatus {
    const ALL: &'static [Self] = &[Self::Failed, Self::Pending, Self::Sent];

    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting to send",
            Self::Sent => "Sent",
            Self::Failed => "Failed",
        }
    }
}

/// One mail to one recipient, as a change queues it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// A PDF sent with it (an invoice's).
    pub attachment: Option<Attachment>,
    /// The invoice it is sent for: the invoice page shows how its sending went.
    pub invoice_id: Option<i64>,
    /// The order it is sent for (a quotation or a confirmation): the order page shows it.
    pub order_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A PDF attached to a mail (invoices and credit notes are the documents that are sent).
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Mail {
    /// A plain text mail, with no attachment.
    pub fn plain(
        to: impl Into<String>,
        subject: impl Into<String>,
        body: impl Into<String>,
    ) -> Mail {
        Mail {
            to: to.into(),
            subject: subject.into(),
            body: body.into(),
            attachment: None,
            invoice_id: None,
            order_id: None,
        }
    }

    /// A document's mail as a person wrote it (`form`, already read), with its PDF `bytes`
    /// attached as `name`.
    pub fn with_pdf(form: compose::SendForm, name: String, bytes: Vec<u8>) -> Mail {
        Mail {
            to: form.to.trim().to_string(),
            subject: form.subject.trim().to_string(),
            body: form.message,
            attachment: Some(Attachment { name, bytes }),
            invoice_id: None,
            order_id: None,
        }
    }

    /// The same mail to each of `recipients`, one message each.
    pub fn to_each(recipients: Vec<String>, subject: &str, body: &str) -> Vec<Mail> {
        recipients
            .into_iter()
            .map(|to| Mail::plain(to, subject, body))
            .collect()
    }
}

/// A mail in the outbox as the admin page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: i32,
    /// The mail server's answer to the last failed attempt.
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    /// When it is tried next; `None` once sent or given up.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The newest mails with `status`.
#[get("/api/outbox/?status", ctx: Ctx)]
pub async fn list_outbox(status: MailStatus) -> Result<Vec<OutboxMail>, AppError> {
    ctx.require(READ)?;
    service::list(&ctx.state.db, status).await
}

/// Tries a failed mail again now, with a fresh set of attempts.
#[post("/api/outbox/retry", ctx: Ctx)]
pub async fn retry_mail(id: i64) -> Result<OutboxMail, AppError> {
    let admin = ctx.require(WRITE)?;
    service::retry(&ctx.state.db, admin.actor(), id).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Mail",
    icon: "✉",
    to: || crate::app::Route::Outbox {},
    access: READ,
    badge: None,
};
