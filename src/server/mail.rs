//! The mail transport: lettre over SMTP, with a connection pool. Mail is never sent from a
//! request; the outbox worker (`outbox::worker`) hands each queued mail to `send`. Without
//! SMTP configured, mail is written to the log instead, so a person testing locally can
//! still follow a reset link.

use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{SmtpConfig, SmtpTls};
use crate::server::entities::outbox_mail;

fn pdf_type() -> ContentType {
    ContentType::parse("application/pdf").unwrap_or(ContentType::TEXT_PLAIN)
}

#[derive(Clone)]
pub enum Mailer {
    // Boxed: the transport is large and the state holding it is cloned per request.
    Smtp(Box<SmtpMailer>),
    Log,
}

#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The host of `BASE_URL`: the EHLO name, and the right-hand side of Message-IDs.
    host: String,
}

/// How the app names itself in EHLO: its domain, or an address literal (`[127.0.0.1]`)
/// when `BASE_URL` names the host by IP.
fn client_id(host: &str) -> ClientId {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ClientId::Ipv4(ip),
        Ok(std::net::IpAddr::V6(ip)) => ClientId::Ipv6(ip),
        Err(_) => ClientId::Domain(host.to_string()),
    }
}

impl Mailer {
    /// The transport for `smtp`, introducing itself as `host` (from `BASE_URL`).
    pub fn new(smtp: Option<&SmtpConfig>, host: &str) -> Result<Self, String> {
        let Some(cfg) = smtp else {
            tracing::warn!(
                "SMTP is not configured: emails (password resets) are written to this log"
            );
            return Ok(Mailer::Log);
        };
        let builder = match cfg.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)
                .map_err(|e| e.to_string())?,
            SmtpTls::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host).map_err(|e| e.to_string())?
            }
        };
        let mut builder = builder
            .port(cfg.port)
            .hello_name(client_id(host))
            // One worker sends one mail at a time: a small pool, kept for the next mail.
            .pool_config(PoolConfig::new().max_size(2));
        if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
            builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
        }
        let from = cfg
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("SMTP_FROM: {e}"))?;
        Ok(Mailer::Smtp(Box::new(SmtpMailer {
            transport: builder.build(),
            from,
            host: host.to_string(),
        })))
    }

    /// Sends one queued mail; `Err` carries why not (the mail server's answer, when it gave
    /// one). `Ok` means the server accepted the message.
    pub async fn send(&self, mail: &outbox_mail::Model) -> Result<(), String> {
        let smtp = match self {
            Mailer::Log => {
                tracing::warn!(
                    "mail to {} (SMTP not configured)\nSubject: {}\n\n{}",
                    mail.recipient,
                    mail.subject,
                    mail.body
                );
                return Ok(());
            }
            Mailer::Smtp(smtp) => smtp,
        };
        let to = mail
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| format!("'{}' cannot receive mail: {e}", mail.recipient))?;
        let builder = Message::builder()
            .from(smtp.from.clone())
            .to(to)
            .subject(&mail.subject)
            .message_id(Some(format!("<{}@{}>", mail.message_id, smtp.host)));
        let message = match (&mail.attachment_name, &mail.attachment) {
            // Attachments are PDFs (`outbox::Attachment`).
            (Some(name), Some(bytes)) => builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(mail.body.clone()))
                    .singlepart(
                        LettreAttachment::new(name.clone()).body(bytes.clone(), pdf_type()),
                    ),
            ),
            _ => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone()),
        }
        .map_err(|e| format!("the mail could not be built: {e}"))?;
        smtp.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
