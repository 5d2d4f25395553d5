//! The outbox page (admin): mail that failed, with the mail server's answer, and what waits
//! or was sent; a failed mail can be sent again.

use dioxus::prelude::*;

use super::{MailStatus, OutboxMail, list_outbox, retry_mail};
use crate::business::use_business;
use crate::ui::action::use_busy;
use crate::ui::select::ChoiceSelect;
use crate::ui::toast::use_toasts;

#[component]
pub fn Outbox() -> Element {
    let mut status = use_signal(MailStatus::default);
    let mut mails = use_loader(move || list_outbox(status()))?;
    rsx! {
        document::Title { "Outgoing mail · Sales" }
        div { class: "page-header",
            div {
                h1 { "Outgoing mail" }
                p { class: "muted",
                    "Mail is sent in the background and tried again when the mail server refuses it."
                }
            }
            ChoiceSelect {
                value: status(),
                name: "status",
                label: "Show mail that is",
                on_change: move |s| status.set(s),
            }
        }
        div { class: "card table-card",
            if mails().is_empty() {
                p { class: "empty", "No mail here." }
            } else {
                table { class: "table",
                    thead {
                        tr {
                            th { "To" }
                            th { "Subject" }
                            th { "Attempts" }
                            th { "Last answer" }
                            th { "" }
                        }
                    }
                    tbody {
                        for m in mails() {
                            MailLine { key: "{m.id}", mail: m, on_change: move |_| mails.restart() }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn MailLine(mail: OutboxMail, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let busy = use_busy();
    let id = mail.id;
    let zone = use_business().zone;
    let when = match (mail.sent_at, mail.next_attempt_at) {
        (Some(at), _) => format!("sent {}", zone.date_time(&at)),
        (None, Some(at)) => format!("next try {}", zone.date_time(&at)),
        (None, None) => "given up".to_string(),
    };
    rsx! {
        tr { "data-mail": "{mail.id}",
            td { "data-label": "To", class: "break", "{mail.recipient}" }
            td { "data-label": "Subject", class: "break", "{mail.subject}" }
            td { "data-label": "Attempts", "{mail.attempts}" }
            td { "data-label": "Last answer", class: "break",
                "{mail.last_error}"
                div { class: "muted", "{when}" }
            }
            td { class: "primary",
                if mail.status == MailStatus::Failed {
                    button {
                        class: "btn btn-small",
                        r#type: "button",
                        disabled: busy.get(),
                        onclick: move |_| {
                            busy.run(async move {
                                match retry_mail(id).await {
                                    Ok(m) => {
                                        toasts.success(format!("Sending the mail to {} again", m.recipient));
                                        on_change.call(());
                                    }
                                    Err(err) => toasts.error(err.to_string()),
                                }
                            })
                        },
                        "Send again"
                    }
                }
            }
        }
    }
}
