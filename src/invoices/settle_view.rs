//! The issued invoice's page, continued: its payments (record one, delete a mistaken one),
//! its credit notes (with their PDFs; credit all of it or chosen quantities) and sending it
//! by mail, with how each mail went and a retry for a failed one.

use dioxus::prelude::*;

use super::rules::default_mail;
use super::{
    CreditForm, CreditLine, Invoice, PaymentForm, PaymentMethod, SendForm, credit_invoice,
    delete_payment, record_payment, resend_invoice, send_invoice,
};
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::outbox::MailStatus;
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
    let business = use_business();
    let number = invoice.number.clone().unwrap_or_default();
    let (subject0, message0) = default_mail(&number);
    let to = use_signal(|| invoice.client_email.clone().unwrap_or_default());
    let subject = use_signal(|| subject0);
    let message = use_signal(|| message0);
    let id = invoice.id;
    let pending = invoice
        .mails
        .iter()
        .any(|m| m.status == MailStatus::Pending);
    rsx! {
        section { class: "card", id: "invoice-sending",
            h2 { "Send" }
            if pending {
                Refresh { on_change }
            }
            ul { class: "plain-list", id: "invoice-mails",
                for m in invoice.mails.iter() {
                    li { key: "{m.id}", "data-mail-status": m.status.as_str(),
                        "{m.recipient} · "
                        span { class: if m.status == MailStatus::Failed { "badge badge-bad" } else if m.status == MailStatus::Sent { "badge badge-ok" } else { "badge" },
                            "{m.status.label()}"
                        }
                        match &m.sent_at {
                            Some(at) => rsx! { span { class: "muted", " {business.zone.date_time(at)}" } },
                            None => rsx! { span { class: "muted", " queued {business.zone.date_time(&m.created_at)}" } },
                        }
                        if m.status == MailStatus::Failed {
                            p { class: "field-error mail-error", "{m.last_error}" }
                            {
                                let mail_id = m.id;
                                rsx! {
                                    button { class: "btn btn-small", id: "resend-{m.id}", r#type: "button", disabled: busy.get(),
                                        onclick: move |_| busy.run(async move {
                                            match resend_invoice(id, mail_id).await {
                                                Ok(_) => {
                                                    toasts.success("Sending it again".to_string());
                                                    on_change.call(());
                                                }
                                                Err(e) => toasts.error(e.to_string()),
                                            }
                                        }),
                                        "Retry"
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Form {
                id: "send-form",
                submit,
                onsubmit: move |_| {
                    let form = SendForm { to: to(), subject: subject(), message: message() };
                    submit.run(send_invoice(id, form), move |_| {
                        toasts.success("The invoice is on its way".to_string());
                        on_change.call(());
                    });
                },
                Field { label: "To", name: "to", kind: "email", value: to, error: submit.error("to") }
                Field { label: "Subject", name: "subject", value: subject, error: submit.error("subject") }
                Field { label: "Message", name: "message", value: message, rows: 5, error: submit.error("message") }
                div { class: "actions",
                    button { class: "btn btn-primary", id: "send-invoice", r#type: "submit", disabled: submit.running(), "Send with PDF" }
                }
            }
        }
    }
}

/// While shown (a mail is still queued), reads the invoice again every second and a half, so
/// "Queued" turns into "Sent" or "Failed" without a reload.
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
