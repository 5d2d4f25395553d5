//! An order's page: client, priority, dates, the client's reference and the delivery
//! address, the lines (with what is delivered and what is outstanding) and totals, its
//! quotation or confirmation (`sending_view`), what it waits for of stock lost from its
//! reservation, its deliveries, the status timeline from the audit trail, a QR code, and the actions the user's role and the order's status allow (the same workflow
//! table the server enforces).

use dioxus::prelude::*;

use super::list_view::{PriorityMark, StatusBadge};
use super::sending_view::OrderPapers;
use super::{Action, Order, OrderStatus, WRITE, get_order, order_history, transition_order};
use crate::app::{Route, use_me};
use crate::business::use_business;
use crate::choice::Choice;
use crate::deliveries::order_view::OrderDeliveries;
use crate::invoices::order_view::OrderInvoices;
use crate::money::{Money, Totals, percent};
use crate::ui::action::use_busy;
use crate::ui::confirm::ConfirmButton;
use crate::ui::timeline::Timeline;
use crate::ui::toast::use_toasts;

#[component]
pub fn OrderDetail(id: ReadSignal<i64>) -> Element {
    let mut order = use_loader(move || get_order(id()))?;
    let mut history = use_loader(move || order_history(id()))?;
    let can_write = WRITE.allows(use_me()().role);
    let o = order();
    let business = use_business();
    rsx! {
        document::Title { "{o.number} · Orders" }
        div { class: "page-header",
            div {
                p { class: "crumbs",
                    Link { to: Route::OrderList { query: Default::default() }, "Orders" }
                }
                h1 { id: "order-number",
                    "{o.number} "
                    StatusBadge { status: o.status }
                }
                p { class: "muted",
                    Link { id: "order-client", to: Route::ClientDetail { id: o.client_id }, "{o.client_name}" }
                }
            }
            if can_write {
                Actions {
                    order: o.clone(),
                    on_change: move |_| {
                        order.restart();
                        history.restart();
                    },
                }
            }
        }
        if o.lines.iter().any(|l| l.uncovered > 0) {
            div { class: "notice", id: "order-short", role: "status",
                span {
                    "Stock this order held was broken or lost ({short_lines(&o)}). It is reserved \
                     again as stock arrives; until then those units cannot be delivered."
                }
            }
        }
        div { class: "cards",
            section { class: "card",
                h2 { "Order" }
                dl { class: "facts",
                    dt { "Priority" }
                    dd { PriorityMark { priority: o.priority } }
                    dt { "Requested delivery" }
                    dd {
                        match o.requested_date {
                            Some(d) => d.to_string(),
                            None => "—".to_string(),
                        }
                    }
                    if !o.client_reference.is_empty() {
                        dt { "Client's reference" }
                        dd { id: "order-reference", "{o.client_reference}" }
                    }
                    if o.status == OrderStatus::Draft && let Some(d) = o.valid_until {
                        dt { "Quotation valid until" }
                        dd { id: "order-valid-until", "{d}" }
                    }
                    dt { "Deliver to" }
                    dd { class: "pre", id: "order-address",
                        if o.delivery_address.is_empty() { "—" } else { "{o.delivery_address}" }
                    }
                    dt { "Entered" }
                    dd {
                        "{business.zone.date_time(&o.created_at)}"
                        if let Some(who) = &o.created_by {
                            " by {who}"
                        }
                    }
                }
                if !o.notes.is_empty() {
                    p { class: "pre", id: "order-notes", "{o.notes}" }
                }
            }
            section { class: "card qr-card",
                h2 { "Scan to open" }
                img {
                    class: "qr",
                    src: "/api/orders/{o.id}/qr.svg",
                    alt: "QR code of {o.number}",
                    width: "160",
                    height: "160",
                }
                p { class: "sub", "{o.number}" }
            }
        }
        Lines { order: o.clone() }
        OrderPapers {
            order: o.clone(),
            can_write,
            on_change: move |_| {
                order.restart();
                history.restart();
            },
        }
        if o.status != OrderStatus::Draft {
            OrderDeliveries {
                order: o.clone(),
                on_change: move |_| {
                    order.restart();
                    history.restart();
                },
            }
            OrderInvoices { order_id: o.id, status: o.status }
        }
        section { class: "card", id: "order-history",
            h2 { "Timeline" }
            Timeline { events: history(), prefix: "order." }
        }
    }
}

#[component]
fn Lines(order: Order) -> Element {
    let editable = order.status == OrderStatus::Draft;
    // Once confirmed, each line says what has gone out and what is still to deliver.
    let delivering = order.status != OrderStatus::Draft;
    let business = use_business();
    rsx! {
        section { class: "card table-card", id: "order-lines",
            table { class: "table",
                thead {
                    tr {
                        th { "Product" }
                        th { class: "num", "Qty" }
                        if delivering {
                            th { class: "num", "Delivered" }
                        }
                        th { class: "num hide-sm", "Unit price" }
                        th { class: "num hide-md", "Discount" }
                        th { class: "num hide-md", "Tax" }
                        th { class: "num", "Net" }
                    }
                }
                tbody {
                    for l in order.lines.iter() {
                        tr { key: "{l.position}", "data-sku": "{l.sku}",
                            td { class: "primary",
                                Link { to: Route::ProductDetail { id: l.product_id }, "{l.description}" }
                                span { class: "sub", "{l.sku}" }
                                if editable && l.quantity > l.available {
                                    span { class: "sub stock-short", "only {l.available} {l.unit} available" }
                                }
                            }
                            td { "data-label": "Qty", class: "num", "{l.quantity} {l.unit}" }
                            if delivering {
                                td { "data-label": "Delivered", class: "num delivered",
                                    "{l.delivered}"
                                    if l.quantity > l.delivered {
                                        span { class: "sub", "{l.quantity - l.delivered} outstanding" }
                                    }
                                    if l.uncovered > 0 {
                                        span { class: "sub stock-short", "{l.uncovered} wait for stock" }
                                    }
                                }
                            }
                            td { "data-label": "Unit price", class: "num hide-sm", "{business.money(l.unit_price)}" }
                            td { "data-label": "Discount", class: "num hide-md",
                                if l.discount == Money::ZERO && l.discount_bp.is_none() {
                                    "—"
                                } else {
                                    "{business.money(l.discount)}"
                                }
                                if let Some(bp) = l.discount_bp {
                                    span { class: "sub", "{percent(bp)}" }
                                }
                            }
                            td { "data-label": "Tax", class: "num hide-md", "{business.money(l.tax)} ({percent(l.tax_rate_bp)})" }
                            td { "data-label": "Net", class: "num", "{business.money(l.net)}" }
                        }
                    }
                }
            }
            TotalsList { totals: Totals { net: order.net, tax: order.tax, total: order.total } }
        }
    }
}

/// The workflow's buttons for this status; cancelling asks for a second click.
#[component]
fn Actions(order: Order, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    // One action at a time: a double click gives one request, and so one answer.
    let busy = use_busy();
    let id = order.id;
    let run = move |action: Action| {
        busy.run(async move {
            match transition_order(id, action).await {
                Ok(o) => {
                    toasts.success(format!(
                        "{} is {}",
                        o.number,
                        o.status.label().to_lowercase()
                    ));
                    on_change.call(());
                }
                Err(err) => toasts.error(err.to_string()),
            }
        })
    };
    let allowed = |a: Action| a.allowed_from(order.status);
    rsx! {
        div { class: "actions",
            if order.status == OrderStatus::Draft {
                Link { class: "btn", id: "edit-order", to: Route::OrderEdit { id }, "Edit" }
            }
            // A new draft with the same client and lines, at today's prices as typed here.
            Link { class: "btn", id: "duplicate-order", to: Route::OrderNew { client: None, from: Some(id) }, "Duplicate" }
            if allowed(Action::Revert) {
                button { class: "btn", id: "revert-order", r#type: "button", disabled: busy.get(),
                    onclick: move |_| run(Action::Revert),
                    "{Action::Revert.label()}"
                }
            }
            if allowed(Action::Cancel) {
                ConfirmButton {
                    id: "cancel-order",
                    label: Action::Cancel.label(),
                    confirm_label: "Yes, cancel {order.number}",
                    busy,
                    on_confirm: move |_| run(Action::Cancel),
                }
            }
            if allowed(Action::Confirm) {
                button { class: "btn btn-primary", id: "confirm-order", r#type: "button", disabled: busy.get(),
                    onclick: move |_| run(Action::Confirm),
                    "{Action::Confirm.label()}"
                }
            }
        }
    }
}

/// Net, tax and total, as order entry and the order page both show them.
#[component]
pub fn TotalsList(totals: Totals) -> Element {
    let business = use_business();
    rsx! {
        dl { class: "totals", id: "order-totals",
            dt { "Net" }
            dd { id: "total-net", "{business.money(totals.net)}" }
            dt { "Tax" }
            dd { id: "total-tax", "{business.money(totals.tax)}" }
            dt { class: "grand", "Total" }
            dd { class: "grand", id: "total-total", "{business.money(totals.total)}" }
        }
    }
}

/// What an order waits for: "2 pcs LAMP-7, 1 box CABLE-2".
fn short_lines(o: &Order) -> String {
    o.lines
        .iter()
        .filter(|l| l.uncovered > 0)
        .map(|l| format!("{} {} {}", l.uncovered, l.unit, l.sku))
        .collect::<Vec<_>>()
        .join(", ")
}
