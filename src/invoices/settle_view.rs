//! The issued invoice's page, continued: its payments (record one, delete a mistaken one),
//! its credit notes (with their PDFs; credit all of it or chosen quantities) and sending it
//! by mail (`outbox::sending_view`).

use dioxus::prelude::*;

use super::{
    CreditForm, CreditLine, Invoice, PaymentForm, PaymentMethod, SendForm, credit_invoice,
    delete_payment, record_payment, resend_invoice, send_invoice,
};
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::outbox::compose::default_mail;
use crate::outbox::sending_view::MailSending;
use crate::ui::action::{request_key, use_busy};
use crate::ui::confirm::ConfirmButton;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::select::ChoiceSelect;
use crate::ui::toast::use_toasts;

#[component]
pub fn Payments(invoice: Invoice, can_write: bool, on_change: EventHandler<()>) -> Element {
    let business = use_business();
    let mut toasts = use_toasts();
    let busy = use_busy();
    let open = invoice.status.is_open();
    rsx! {
        section { class: "card", id: "invoice-payments",
            h2 { "Payments" }
            if invoice.payments.is_empty() {
                p { class: "muted", "No payment recorded." }
            }
            ul { class: "plain-list",
                for p in invoice.payments.iter() {
                    li { key: "{p.id}", "data-payment": "{p.id}",
                        strong { "{business.money(p.amount)}" }
                        span { class: "muted", " on {p.paid_on} · {p.method.label()}" }
                        if !p.reference.is_empty() {
                            span { class: "muted", " · {p.reference}" }
                        }
                        span { class: "muted", " · recorded by {p.recorded_by}" }
                        if can_write {
                            {
                                let payment_id = p.id;
                                rsx! {
                                    ConfirmButton {
                                        id: "delete-payment-{p.id}",
                                        label: "Delete",
                                        confirm_label: "Yes, delete this payment",
                                        busy,
                                        on_confirm: move |_| {
                                            busy.run(async move {
                                                match delete_payment(payment_id).await {
                                                    Ok(_) => {
                                                        toasts.success("The payment is deleted".to_string());
                                                        on_change.call(());
                                                    }
                                                    Err(e) => toasts.error(e.to_string()),
                                                }
                                            })
                                        },
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if can_write && open {
                RecordPayment { key: "{invoice.balance.0}", invoice: invoice.clone(), on_change }
            }
        }
    }
}

/// Amount (the balance by default), date (today), method and reference.
#[component]
fn RecordPayment(invoice: Invoice, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let amount = use_signal(|| invoice.balance.to_string());
    let paid_on = use_signal(String::new);
    let mut method = use_signal(PaymentMethod::default);
    let reference = use_signal(String::new);
    // One key per payment being entered: sent twice, it is recorded once.
    let key = use_signal(request_key);
    let id = invoice.id;
    rsx! {
        Form {
            id: "payment-form",
            submit,
            heading: "Record a payment",
            onsubmit: move |_| {
                let form = PaymentForm {
                    amount: amount(),
                    paid_on: paid_on(),
                    method: method(),
                    reference: reference(),
                    request_key: Some(key()),
                };
                submit.run(record_payment(id, form), move |i: Invoice| {
                    toasts.success(format!("Payment recorded; {} is {}", super::detail_view::name(&i), i.status.label().to_lowercase()));
                    on_change.call(());
                });
            },
            div { class: "field-row",
                Field { label: "Amount", name: "amount", value: amount, inputmode: "decimal", error: submit.error("amount") }
                Field { label: "Date", name: "paid_on", kind: "date", value: paid_on, error: submit.error("paid_on"), hint: "Today if left empty" }
            }
            div { class: "field-row",
                div { class: "field",
                    label { "Method" }
                    ChoiceSelect { label: "Method", name: "method", value: method(), on_change: move |m| method.set(m) }
                }
                Field { label: "Reference", name: "reference", value: reference, error: submit.error("reference") }
            }
            div { class: "actions",
                button { class: "btn btn-primary", id: "record-payment", r#type: "submit", disabled: submit.running(), "Record payment" }
            }
        }
    }
}

#[component]
pub fn CreditNotes(invoice: Invoice, can_write: bool, on_change: EventHandler<()>) -> Element {
    let business = use_business();
    let creditable = invoice.lines.iter().any(|l| l.credited < l.quantity);
    rsx! {
        section { class: "card", id: "invoice-credit-notes",
            h2 { "Credit notes" }
            if invoice.credit_notes.is_empty() {
                p { class: "muted", "None." }
            }
            ul { class: "plain-list",
                for c in invoice.credit_notes.iter() {
                    li { key: "{c.id}", "data-number": "{c.number}",
                        a { href: "/api/credit-notes/{c.id}/pdf", target: "_blank", "{c.number}" }
                        strong { " {business.money(c.total)}" }
                        span { class: "muted", " on {c.issue_date} · {c.reason}" }
                    }
                }
            }
            if can_write && creditable {
                Credit { key: "{invoice.credited.0}", invoice: invoice.clone(), on_change }
            }
        }
    }
}

/// A reason, and all of what is left or a quantity per line.
#[component]
fn Credit(invoice: Invoice, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let mut open = use_signal(|| false);
    let reason = use_signal(String::new);
    let mut full = use_signal(|| true);
    let mut quantities = use_signal(|| vec![String::new(); invoice.lines.len()]);
    let ids: Vec<i64> = invoice.lines.iter().map(|l| l.id).collect();
    let id = invoice.id;
    if !open() {
        return rsx! {
            div { class: "actions",
                button { class: "btn", id: "credit-open", r#type: "button", onclick: move |_| open.set(true), "Credit note…" }
            }
        };
    }
    rsx! {
        Form {
            id: "credit-form",
            submit,
            heading: "Credit note",
            onsubmit: move |_| {
                let lines = ids
                    .iter()
                    .zip(quantities())
                    .map(|(&invoice_line_id, quantity)| CreditLine { invoice_line_id, quantity })
                    .collect();
                let form = CreditForm { reason: reason(), full: full(), lines };
                submit.run(credit_invoice(id, form), move |i: Invoice| {
                    let n = i.credit_notes.last().map(|c| c.number.clone()).unwrap_or_default();
                    toasts.success(format!("{n} is issued"));
                    on_change.call(());
                });
            },
            Field { label: "Reason", name: "reason", value: reason, error: submit.error("reason") }
            label { class: "check",
                input { r#type: "checkbox", name: "full", checked: full(), onchange: move |e| full.set(e.checked()) }
                " Everything not yet credited"
            }
            if !full() {
                if let Some(msg) = submit.error("lines") {
                    p { class: "field-error", role: "alert", "{msg}" }
                }
                table { class: "table", id: "credit-lines",
                    thead {
                        tr {
                            th { "Description" }
                            th { class: "num", "Left to credit" }
                            th { class: "num", "Credit" }
                        }
                    }
                    tbody {
                        for (n, l) in invoice.lines.iter().enumerate() {
                            tr { key: "{l.id}",
                                td { class: "primary", "{l.description}" }
                                td { class: "num", "{l.quantity - l.credited} {l.unit}" }
                                td { class: "num",
                                    input {
                                        class: "qty",
                                        name: "lines[{n}].quantity",
                                        inputmode: "numeric",
                                        aria_label: "Quantity of {l.description} to credit",
                                        value: "{quantities.read()[n]}",
                                        oninput: move |e| quantities.write()[n] = e.value(),
                                    }
                                    if let Some(msg) = submit.error(&format!("lines[{n}].quantity")) {
                                        p { class: "field-error", role: "alert", "{msg}" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div { class: "actions",
                button { class: "btn", r#type: "button", onclick: move |_| open.set(false), "Back" }
                button { class: "btn btn-primary", id: "issue-credit-note", r#type: "submit", disabled: submit.running(), "Issue credit note" }
            }
        }
    }
}

/// The send form (to the client's address, with a subject and message to edit) and how each
/// mail of this invoice went.
#[component]
pub fn Sending(invoice: Invoice, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let busy = use_busy();
    let number = invoice.number.clone().unwrap_or_default();
    let defaults = SendForm {
        to: invoice.client_email.clone().unwrap_or_default(),
        ..default_mail("Invoice", &number)
    };
    let id = invoice.id;
    rsx! {
        MailSending {
            name: "invoice",
            mails: invoice.mails.clone(),
            defaults,
            button_id: "send-invoice",
            button: "Send with PDF",
            submit,
            busy,
            on_send: move |form| submit.run(send_invoice(id, form), move |_| {
                toasts.success("The invoice is on its way".to_string());
                on_change.call(());
            }),
            on_resend: move |mail_id| busy.run(async move {
                match resend_invoice(id, mail_id).await {
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
