//! An invoice's page: its status, dates and amounts; its lines (editable while a draft, with
//! what credit notes took back once issued) and tax summary; issuing a draft; and, once
//! issued, the PDF, payments, credit notes and sending (`settle_view`), and the timeline.

use dioxus::prelude::*;

use super::list_view::InvoiceBadge;
use super::settle_view::{CreditNotes, Payments, Sending};
use super::{
    DraftForm, DraftLine, Invoice, InvoiceStatus, IssueForm, TaxRow, WRITE, delete_invoice,
    get_invoice, invoice_history, issue_invoice, update_invoice,
};
use crate::app::{Route, use_me};
use crate::business::use_business;
use crate::money::{Money, Totals, percent};
use crate::orders::detail_view::TotalsList;
use crate::ui::action::use_busy;
use crate::ui::confirm::ConfirmButton;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::timeline::Timeline;
use crate::ui::toast::use_toasts;

/// The invoice's name on pages: its number, or "Draft #7".
pub fn name(i: &Invoice) -> String {
    i.number
        .clone()
        .unwrap_or_else(|| format!("Draft #{}", i.id))
}

#[component]
pub fn InvoiceDetail(id: ReadSignal<i64>) -> Element {
    let mut invoice = use_loader(move || get_invoice(id()))?;
    let mut history = use_loader(move || invoice_history(id()))?;
    let can_write = WRITE.allows(use_me()().role);
    let i = invoice();
    let business = use_business();
    let changed = move |_| {
        invoice.restart();
        history.restart();
    };
    let draft = i.status == InvoiceStatus::Draft;
    rsx! {
        document::Title { "{name(&i)} · Invoices" }
        div { class: "page-header",
            div {
                p { class: "crumbs",
                    Link { to: Route::InvoiceList { query: Default::default() }, "Invoices" }
                }
                h1 { id: "invoice-number",
                    "{name(&i)} "
                    InvoiceBadge { status: i.status, overdue: i.overdue }
                }
                p { class: "muted",
                    Link { id: "invoice-client", to: Route::ClientDetail { id: i.client_id }, "{i.client_name}" }
                    " · "
                    Link { id: "invoice-order", to: Route::OrderDetail { id: i.order_id }, "{i.order_number}" }
                }
            }
            div { class: "actions",
                if !draft {
                    a { class: "btn", id: "invoice-pdf", href: "/api/invoices/{i.id}/invoice.pdf", target: "_blank", "PDF" }
                }
                if can_write && draft {
                    DeleteDraft { id: i.id }
                }
            }
        }
        div { class: "cards",
            section { class: "card", id: "invoice-facts",
                h2 { "Invoice" }
                dl { class: "facts",
                    dt { "Issued" }
                    dd { id: "invoice-issue-date",
                        match i.issue_date {
                            Some(d) => d.to_string(),
                            None => "not yet".to_string(),
                        }
                    }
                    dt { "Due" }
                    dd { id: "invoice-due-date",
                        match i.due_date {
                            Some(d) => d.to_string(),
                            None => format!("{} days after issue", i.payment_terms_days),
                        }
                    }
                    dt { "Made" }
                    dd {
                        "{business.zone.date_time(&i.created_at)}"
                        if let Some(who) = &i.created_by {
                            " by {who}"
                        }
                    }
                }
                if !i.notes.is_empty() && !draft {
                    p { class: "pre", id: "invoice-notes", "{i.notes}" }
                }
            }
            section { class: "card", id: "invoice-amounts",
                h2 { "Balance" }
                dl { class: "facts",
                    dt { "Total" }
                    dd { id: "invoice-total", "{business.money(i.total)}" }
                    dt { "Paid" }
                    dd { id: "invoice-paid", "{business.money(i.paid)}" }
                    dt { "Credited" }
                    dd { id: "invoice-credited", "{business.money(i.credited)}" }
                    dt { "Balance due" }
                    dd { id: "invoice-balance", class: "grand", "{business.money(i.balance)}" }
                }
            }
        }
        if can_write && draft {
            EditDraft { key: "{i.lines.len()}-{i.total.0}", invoice: i.clone(), on_change: changed }
            Issue { invoice: i.clone(), on_change: changed }
        } else {
            Lines { invoice: i.clone() }
        }
        if !draft {
            Payments { invoice: i.clone(), can_write, on_change: changed }
            CreditNotes { invoice: i.clone(), can_write, on_change: changed }
            if can_write {
                Sending { invoice: i.clone(), on_change: changed }
            }
        }
        section { class: "card", id: "invoice-history",
            h2 { "Timeline" }
            Timeline { events: history(), prefix: "invoice." }
        }
    }
}

/// The lines as issued, with what credit notes took back; the tax summary and totals.
#[component]
fn Lines(invoice: Invoice) -> Element {
    let business = use_business();
    let credited = invoice.lines.iter().any(|l| l.credited > 0);
    rsx! {
        section { class: "card table-card", id: "invoice-lines",
            table { class: "table",
                thead {
                    tr {
                        th { "Description" }
                        th { class: "num", "Qty" }
                        if credited {
                            th { class: "num", "Credited" }
                        }
                        th { class: "num hide-sm", "Unit price" }
                        th { class: "num hide-md", "Discount" }
                        th { class: "num hide-md", "Tax" }
                        th { class: "num", "Net" }
                    }
                }
                tbody {
                    for l in invoice.lines.iter() {
                        tr { key: "{l.id}",
                            td { class: "primary", "{l.description}" }
                            td { "data-label": "Qty", class: "num", "{l.quantity} {l.unit}" }
                            if credited {
                                td { "data-label": "Credited", class: "num", "{l.credited}" }
                            }
                            td { "data-label": "Unit price", class: "num hide-sm", "{business.money(l.unit_price)}" }
                            td { "data-label": "Discount", class: "num hide-md",
                                if l.discount == Money::ZERO { "—" } else { "{business.money(l.discount)}" }
                            }
                            td { "data-label": "Tax", class: "num hide-md", "{business.money(l.tax)} ({percent(l.tax_rate_bp)})" }
                            td { "data-label": "Net", class: "num", "{business.money(l.net)}" }
                        }
                    }
                }
            }
            TaxSummary { rows: invoice.tax_summary.clone() }
            TotalsList { totals: Totals { net: invoice.net, tax: invoice.tax, total: invoice.total } }
        }
    }
}

#[component]
fn TaxSummary(rows: Vec<TaxRow>) -> Element {
    let business = use_business();
    rsx! {
        table { class: "table tax-summary", id: "tax-summary",
            thead {
                tr {
                    th { "Tax rate" }
                    th { class: "num", "Net" }
                    th { class: "num", "Tax" }
                }
            }
            tbody {
                for t in rows {
                    tr { key: "{t.rate_bp}",
                        td { "{percent(t.rate_bp)}" }
                        td { class: "num", "{business.money(t.net)}" }
                        td { class: "num", "{business.money(t.tax)}" }
                    }
                }
            }
        }
    }
}

/// A draft's lines with their quantities (lower one, or 0 to remove the line) and notes.
#[component]
fn EditDraft(invoice: Invoice, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let business = use_business();
    let mut quantities = use_signal(|| {
        invoice
            .lines
            .iter()
            .map(|l| l.quantity.to_string())
            .collect::<Vec<_>>()
    });
    let notes = use_signal(|| invoice.notes.clone());
    let ids: Vec<i64> = invoice.lines.iter().map(|l| l.id).collect();
    let id = invoice.id;
    rsx! {
        section { class: "card", id: "invoice-lines",
            Form {
                id: "draft-form",
                submit,
                heading: "Lines",
                onsubmit: move |_| {
                    let lines = ids
                        .iter()
                        .zip(quantities())
                        .map(|(&id, quantity)| DraftLine { id, quantity })
                        .collect();
                    let form = DraftForm { notes: notes(), lines };
                    submit.run(update_invoice(id, form), move |_| {
                        toasts.success("The draft is saved".to_string());
                        on_change.call(());
                    });
                },
                if let Some(msg) = submit.error("lines") {
                    p { class: "field-error", role: "alert", "{msg}" }
                }
                table { class: "table",
                    thead {
                        tr {
                            th { "Description" }
                            th { class: "num", "Qty" }
                            th { class: "num hide-sm", "Unit price" }
                            th { class: "num", "Net" }
                        }
                    }
                    tbody {
                        for (n, l) in invoice.lines.iter().enumerate() {
                            tr { key: "{l.id}",
                                td { class: "primary", "{l.description}" }
                                td { class: "num",
                                    input {
                                        class: "qty",
                                        name: "lines[{n}].quantity",
                                        inputmode: "numeric",
                                        aria_label: "Quantity of {l.description} to invoice",
                                        value: "{quantities.read()[n]}",
                                        oninput: move |e| quantities.write()[n] = e.value(),
                                    }
                                    if let Some(msg) = submit.error(&format!("lines[{n}].quantity")) {
                                        p { class: "field-error", role: "alert", "{msg}" }
                                    }
                                }
                                td { class: "num hide-sm", "{business.money(l.unit_price)}" }
                                td { class: "num", "{business.money(l.net)}" }
                            }
                        }
                    }
                }
                TotalsList { totals: Totals { net: invoice.net, tax: invoice.tax, total: invoice.total } }
                Field { label: "Notes (printed on the invoice)", name: "notes", value: notes, rows: 2, error: submit.error("notes") }
                div { class: "actions",
                    button { class: "btn", id: "save-draft", r#type: "submit", disabled: submit.running(), "Save draft" }
                }
            }
        }
    }
}

/// Issuing: the issue date (today by default) and the due date (the client's terms).
#[component]
fn Issue(invoice: Invoice, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let issue_date = use_signal(String::new);
    let due_date = use_signal(String::new);
    let id = invoice.id;
    let terms = invoice.payment_terms_days;
    rsx! {
        section { class: "card",
            Form {
                id: "issue-form",
                submit,
                heading: "Issue",
                onsubmit: move |_| {
                    let form = IssueForm { issue_date: issue_date(), due_date: due_date() };
                    submit.run(issue_invoice(id, form), move |i: Invoice| {
                        toasts.success(format!("{} is issued", name(&i)));
                        on_change.call(());
                    });
                },
                p { class: "muted", "Issuing numbers the invoice and fixes its PDF: after that it is corrected only by a credit note." }
                div { class: "field-row",
                    Field { label: "Issue date", name: "issue_date", kind: "date", value: issue_date, error: submit.error("issue_date"), hint: "Today if left empty" }
                    Field { label: "Due date", name: "due_date", kind: "date", value: due_date, error: submit.error("due_date"), hint: "{terms} days after issue if left empty" }
                }
                div { class: "actions",
                    button { class: "btn btn-primary", id: "issue-invoice", r#type: "submit", disabled: submit.running(), "Issue invoice" }
                }
            }
        }
    }
}

#[component]
fn DeleteDraft(id: i64) -> Element {
    let mut toasts = use_toasts();
    let busy = use_busy();
    rsx! {
        ConfirmButton {
            id: "delete-invoice",
            label: "Delete draft",
            confirm_label: "Yes, delete this draft",
            busy,
            on_confirm: move |_| {
                busy.run(async move {
                    match delete_invoice(id).await {
                        Ok(()) => {
                            toasts.success("The draft is deleted".to_string());
                            navigator().push(Route::InvoiceList { query: Default::default() });
                        }
                        Err(e) => toasts.error(e.to_string()),
                    }
                })
            },
        }
    }
}
