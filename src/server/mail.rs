//! Outgoing mail through lettre over SMTP. Without SMTP configured, mail is written to the
//! log instead, so a person testing locally can still follow a reset link.

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{SmtpConfig, SmtpTls};
use crate::error::{AppError, AppResult};

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
}

impl Mailer {
    pub fn new(smtp: Option<&SmtpConfig>) -> Result<Self, String> {
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
        let mut builder = builder.port(cfg.port);
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
        })))
    }

    /// Sends one mail to each address in the background. Called after the change that causes
    /// the mail has committed; a mail server that is slow or down then neither holds up the
    /// answer nor undoes the change. Failures are logged.
    pub fn send_later(&self, to: Vec<String>, subject: String, body: String) {
        let mailer = self.clone();
        tokio::spawn(async move {
            for to in to {
                if let Err(e) = mailer.send(&to, &subject, body.clone()).await {
                    tracing::error!("mail '{subject}' to {to} failed: {e}");
                }
            }
        });
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> AppResult<()> {
        match self {
            Mailer::Log => {
                tracing::warn!("mail to {to} (SMTP not configured)\nSubject: {subject}\n\n{body}");
                Ok(())
            }
            Mailer::Smtp(smtp) => {
                let SmtpMailer { transport, from } = smtp.as_ref();
                let to = to.parse::<Mailbox>().map_err(|_| {
                    AppError::field("email", "this email address cannot receive mail")
                })?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .body(body)
                    .map_err(|e| AppError::internal("build mail", e))?;
                transport.send(message).await.map_err(|e| {
                    tracing::error!("SMTP send failed: {e}");
                    AppError::Unavailable(
                        "the email could not be sent; please try again later".into(),
                    )
                })?;
                Ok(())
            }
        }
    }
}
