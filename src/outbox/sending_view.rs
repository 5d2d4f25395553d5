//! Sending a document by mail, as its page shows it (an invoice, a quotation, an order
//! confirmation): the mails it went out in, with how each went and a retry for a failed one,
//! and the form to send it again. The page owns the requests (`on_send`, `on_resend`) and
//! their `submit` state, so each field shows the server's message for it.

use dioxus::prelude::*;

use super::compose::SendForm;
use super::{MailStatus, OutboxMail};
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::ui::action::Busy;
use crate::ui::form::{Field, Form, Submit};

#[component]
pub fn MailSending(
    /// Names the parts pages and tests find: `{name}-sending` and `{name}-mails`.
    name: String,
    mails: Vec<OutboxMail>,
    /// What the form starts with.
    defaults: SendForm,
    /// The send button's id and text.
    button_id: String,
    button: String,
    submit: Submit,
    busy: Busy,
    on_send: EventHandler<SendForm>,
    on_resend: EventHandler<i64>,
    /// Called every second and a half while a mail waits, so "Queued" turns into "Sent" or
    /// "Failed" without a reload.
    on_change: EventHandler<()>,
) -> Element {
    let business = use_business();
    let to = use_signal(|| defaults.to.clone());
    let subject = use_signal(|| defaults.subject.clone());
    let message = use_signal(|| defaults.message.clone());
    let pending = mails.iter().any(|m| m.status == MailStatus::Pending);
    rsx! {
        section { class: "card", id: "{name}-sending",
            h2 { "Send" }
            if pending {
                Refresh { on_change }
            }
            ul { class: "plain-list", id: "{name}-mails",
                for m in mails.iter() {
                    li { key: "{m.id}", "data-mail-status": m.status.as_str(),
                        "{m.recipient} · "
                        span { class: if m.status == MailStatus::Failed { "badge badge-bad" } else if m.status == MailStatus::Sent { "badge badge-ok" } else { "badge" },
                            "{m.status.label()}"
                        }
                        span { class: "muted", " {m.subject}" }
                        match &m.sent_at {
                            Some(at) => rsx! { span { class: "muted", " · {business.zone.date_time(at)}" } },
                            None => rsx! { span { class: "muted", " · queued {business.zone.date_time(&m.created_at)}" } },
                        }
                        if m.status == MailStatus::Failed {
                            p { class: "field-error mail-error", "{m.last_error}" }
                            {
                                let mail_id = m.id;
                                rsx! {
                                    button { class: "btn btn-small", id: "resend-{m.id}", r#type: "button", disabled: busy.get(),
                                        onclick: move |_| on_resend.call(mail_id),
                                        "Retry"
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Form {
                id: "{name}-send-form",
                submit,
                onsubmit: move |_| on_send.call(SendForm { to: to(), subject: subject(), message: message() }),
                Field { label: "To", name: "to", kind: "email", value: to, error: submit.error("to") }
                Field { label: "Subject", name: "subject", value: subject, error: submit.error("subject") }
                Field { label: "Message", name: "message", value: message, rows: 5, error: submit.error("message") }
                div { class: "actions",
                    button { class: "btn btn-primary", id: "{button_id}", r#type: "submit", disabled: submit.running(), "{button}" }
                }
            }
        }
    }
}

/// While shown (a mail is still queued), asks the page to read its record again every
/// second and a half.
#[component]
fn Refresh(on_change: EventHandler<()>) -> Element {
    use_future(move || async move {
        loop {
            crate::ui::timer::sleep(1500).await;
            on_change.call(());
        }
    });
    rsx! {}
}
