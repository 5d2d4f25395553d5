//! Invoicing on the order and client pages: how much of the order is invoiced, its invoices
//! and, for accounting, a button that drafts an invoice of what is left to invoice; a
//! client's invoices with what it owes and what of that is overdue.

use dioxus::prelude::*;

use super::list_view::InvoiceTable;
use super::{
    InvoicePolicy, InvoiceQuery, Progress, READ, WRITE, client_invoicing, create_invoice,
    order_invoicing,
};
use crate::app::{Route, use_me};
use crate::business::use_business;
use crate::orders::OrderStatus;
use crate::paging::PageQuery;
use crate::ui::action::use_busy;
use crate::ui::toast::use_toasts;

#[component]
pub fn OrderInvoices(order_id: i64, status: OrderStatus) -> Element {
    let role = use_me()().role;
    let allowed = READ.allows(role);
    // Read again when the order moves (a delivery makes more of it invoiceable); not at all
    // for a role that may not read invoices (the warehouse).
    let invoicing = use_loader(use_reactive!(|status| async move {
        let _ = status;
        match allowed {
            true => order_invoicing(order_id).await.map(Some),
            false => Ok(None),
        }
    }))?;
    let mut toasts = use_toasts();
    let busy = use_busy();
    let Some(inv) = invoicing() else {
        return rsx! {};
    };
    let tone = match inv.progress {
        Progress::NotInvoiced => "badge",
        Progress::Partially => "badge badge-warn",
        Progress::Fully => "badge badge-ok",
    };
    let what = match inv.policy {
        InvoicePolicy::Delivered => "delivered",
        InvoicePolicy::Ordered => "ordered",
    };
    rsx! {
        section { class: "card", id: "order-invoices",
            h2 {
                "Invoices "
                span { class: "{tone}", id: "invoicing-progress", "{inv.progress.label()}" }
            }
            if inv.invoices.is_empty() {
                p { class: "muted", "No invoice yet." }
            } else {
                InvoiceTable { rows: inv.invoices.clone() }
            }
            if WRITE.allows(role) && inv.invoiceable > 0 {
                div { class: "actions",
                    button { class: "btn btn-primary", id: "create-invoice", r#type: "button", disabled: busy.get(),
                        onclick: move |_| busy.run(async move {
                            match create_invoice(order_id).await {
                                Ok(i) => {
                                    toasts.success("A draft invoice is ready to check and issue".to_string());
                                    navigator().push(Route::InvoiceDetail { id: i.id });
                                }
                                Err(e) => toasts.error(e.to_string()),
                            }
                        }),
                        "Invoice {inv.invoiceable} {what} unit(s)"
                    }
                }
            }
        }
    }
}

/// The client page's invoices: balance, overdue, the newest invoices and a link to them all.
#[component]
pub fn ClientInvoices(client_id: i64) -> Element {
    let allowed = READ.allows(use_me()().role);
    let invoicing = use_loader(move || async move {
        match allowed {
            true => client_invoicing(client_id).await.map(Some),
            false => Ok(None),
        }
    })?;
    let business = use_business();
    let Some(inv) = invoicing() else {
        return rsx! {};
    };
    let all = InvoiceQuery {
        client: Some(client_id),
        ..InvoiceQuery::default()
    }
    .route();
    rsx! {
        section { class: "card card-wide", id: "client-invoices",
            h2 { "Invoices" }
            dl { class: "facts",
                dt { "Balance due" }
                dd { id: "client-balance", "{business.money(inv.balance)}" }
                dt { "Overdue" }
                dd { id: "client-overdue", class: if inv.overdue.0 > 0 { "stock-short" },
                    "{business.money(inv.overdue)}"
                }
            }
            if inv.invoices.is_empty() {
                p { class: "muted", "No invoices for this client yet." }
            } else {
                InvoiceTable { rows: inv.invoices.clone() }
                Link { class: "btn btn-small", id: "client-all-invoices", to: all, "All invoices →" }
            }
        }
    }
}
