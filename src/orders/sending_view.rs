//! The order page's papers: a draft's quotation, a confirmed order's order confirmation, as a
//! PDF to open and, for sales, a mail to the client with it (`outbox::sending_view`).

use dioxus::prelude::*;

use super::{Order, Paper, resend_order, send_order};
use crate::outbox::compose::{SendForm, default_mail};
use crate::outbox::sending_view::MailSending;
use crate::ui::action::use_busy;
use crate::ui::form::use_submit;
use crate::ui::toast::use_toasts;

#[component]
pub fn OrderPapers(order: Order, can_write: bool, on_change: EventHandler<()>) -> Element {
    let Some(paper) = Paper::of(order.status) else {
        return rsx! {};
    };
    let title = paper.title();
    let href = format!("/api/orders/{}/{}.pdf", order.id, paper.slug());
    rsx! {
        section { class: "card stack", id: "order-papers",
            h2 { "{title}" }
            p {
                a {
                    class: "btn",
                    id: "paper-pdf",
                    href,
                    target: "_blank",
                    rel: "noopener",
                    "Open the {title.to_lowercase()} (PDF)"
                }
            }
        }
        if can_write {
            // Keyed by the paper: a confirmed draft starts a fresh form.
            SendPaper { key: "{paper.slug()}", order, paper, on_change }
        }
    }
}

#[component]
fn SendPaper(order: Order, paper: Paper, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let busy = use_busy();
    let defaults = SendForm {
        to: order.client_email.clone().unwrap_or_default(),
        ..default_mail(paper.title(), &order.number)
    };
    let id = order.id;
    rsx! {
        MailSending {
            name: "order",
            mails: order.mails.clone(),
            defaults,
            button_id: "send-{paper.slug()}",
            button: "Send the {paper.title().to_lowercase()}",
            submit,
            busy,
            on_send: move |form| submit.run(send_order(id, paper, form), move |_| {
                toasts.success(format!("The {} is on its way", paper.title().to_lowercase()));
                on_change.call(());
            }),
            on_resend: move |mail_id| busy.run(async move {
                match resend_order(id, mail_id).await {
                    Ok(_) => {
                        toasts.success("Sending it again".to_string());
                        on_change.call(());
                    }
                    Err(e) => toasts.error(e.to_string()),
                }
            }),
            on_change,
        }
    }
}
