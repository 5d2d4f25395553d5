//! `outbox_mails`: mail written with the change that causes it, sent afterwards by the outbox
//! worker (`outbox::worker`), with what the mail server answered.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_mails")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// The same on every attempt, so a receiver can tell a retry from a new mail.
    pub message_id: String,
    pub status: crate::outbox::MailStatus,
    pub attempts: i32,
    /// When the worker may try (again); `None` once sent or given up.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The mail server's answer to the last failed attempt.
    pub last_error: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// One file sent with the mail (an invoice's PDF): its name and bytes.
    pub attachment_name: Option<String>,
    pub attachment: Option<Vec<u8>>,
    /// The invoice it was sent for, so the invoice shows how its sending went.
    pub invoice_id: Option<i64>,
    /// The order it was sent for (a quotation or an order confirmation).
    pub order_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
