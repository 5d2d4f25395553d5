//! An order's deliveries on its page: each one with its status and what it carries, and for
//! the warehouse a way to schedule the next — everything outstanding in one click, or chosen
//! quantities per line for a partial delivery.

use dioxus::prelude::*;

use super::board_view::DeliveryBadge;
use super::{Delivery, ScheduleForm, ScheduleLine, WRITE, order_deliveries, schedule_delivery};
use crate::app::{Route, use_me};
use crate::orders::{Order, OrderStatus};
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::toast::use_toasts;

/// What each line has left to schedule: ordered, less delivered, less on open deliveries.
fn left(order: &Order) -> Vec<(i64, i64)> {
    order
        .lines
        .iter()
        .map(|l| (l.id, l.quantity - l.delivered - l.scheduled))
        .collect()
}

#[component]
pub fn OrderDeliveries(order: Order, on_change: EventHandler<()>) -> Element {
    let order_id = order.id;
    let mut deliveries = use_loader(move || order_deliveries(order_id))?;
    let can_write = WRITE.allows(use_me()().role);
    let deliverable = matches!(
        order.status,
        OrderStatus::Confirmed | OrderStatus::PartiallyDelivered
    );
    let left_now = left(&order);
    let outstanding = left_now.iter().any(|&(_, q)| q > 0);
    // A fresh form (prefilled with what is left) after each change to the order.
    let form_key = format!("{left_now:?}");
    let list = deliveries();
    rsx! {
        section { class: "card", id: "order-deliveries",
            h2 { "Deliveries" }
            if list.is_empty() {
                p { class: "muted", "Nothing scheduled yet." }
            }
            ul { class: "delivery-list",
                for d in list.iter() {
                    DeliveryItem { key: "{d.id}", d: d.clone() }
                }
            }
            if can_write && deliverable && outstanding {
                Schedule {
                    key: "{form_key}",
                    order: order.clone(),
                    on_done: move |_| {
                        deliveries.restart();
                        on_change.call(());
                    },
                }
            }
        }
    }
}

#[component]
fn DeliveryItem(d: Delivery) -> Element {
    let what: Vec<String> = d
        .lines
        .iter()
        .map(|l| format!("{} × {}", l.quantity, l.description))
        .collect();
    rsx! {
        li { "data-number": "{d.number}",
            Link { to: Route::DeliveryDetail { id: d.id }, "{d.number}" }
            " "
            DeliveryBadge { status: d.status }
            span { class: "muted", " {d.scheduled_date} · {what.join(\", \")}" }
        }
    }
}

/// "Deliver everything outstanding" (today, to the order's delivery address), or the form
/// for a partial delivery: a quantity per line, prefilled with what is left.
#[component]
fn Schedule(order: Order, on_done: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let mut partial = use_signal(|| false);
    let left = left(&order);
    let mut quantities = use_signal(|| {
        left.iter()
            .map(|&(_, q)| if q > 0 { q.to_string() } else { String::new() })
            .collect::<Vec<_>>()
    });
    let date = use_signal(String::new);
    let from = use_signal(String::new);
    let to = use_signal(String::new);
    let address = use_signal(String::new);
    let carrier = use_signal(String::new);
    let tracking = use_signal(String::new);
    let notes = use_signal(String::new);
    let order_id = order.id;
    let send = move |form: ScheduleForm| {
        submit.run(schedule_delivery(form), move |d: Delivery| {
            toasts.success(format!(
                "{} is scheduled for {}",
                d.number, d.scheduled_date
            ));
            on_done.call(());
        });
    };
    let everything: Vec<ScheduleLine> = left
        .iter()
        .filter(|&&(_, q)| q > 0)
        .map(|&(id, q)| ScheduleLine {
            order_line_id: id,
            quantity: q.to_string(),
        })
        .collect();
    let line_ids: Vec<i64> = left.iter().map(|&(id, _)| id).collect();
    if !partial() {
        let refusal = submit.answer();
        return rsx! {
            if let Some(e) = refusal {
                p { class: "form-error", id: "schedule-error", role: "alert", "{e}" }
            }
            div { class: "actions",
                button { class: "btn btn-primary", id: "deliver-all", r#type: "button", disabled: submit.running(),
                    onclick: move |_| send(ScheduleForm { order_id, lines: everything.clone(), ..Default::default() }),
                    "Deliver everything outstanding"
                }
                button { class: "btn", id: "deliver-partial", r#type: "button",
                    onclick: move |_| partial.set(true),
                    "Choose quantities…"
                }
            }
        };
    }
    rsx! {
        Form {
            id: "schedule-form",
            submit,
            heading: "Schedule a delivery",
            onsubmit: move |_| {
                let lines = line_ids
                    .iter()
                    .zip(quantities())
                    .map(|(&id, quantity)| ScheduleLine { order_line_id: id, quantity })
                    .collect();
                send(ScheduleForm {
                    order_id,
                    scheduled_date: date(),
                    window_from: from(),
                    window_to: to(),
                    address: address(),
                    carrier: carrier(),
                    tracking: tracking(),
                    notes: notes(),
                    lines,
                })
            },
            if let Some(msg) = submit.error("lines") {
                p { class: "field-error", role: "alert", "{msg}" }
            }
            table { class: "table", id: "schedule-lines",
                thead {
                    tr {
                        th { "Product" }
                        th { class: "num", "Left" }
                        th { class: "num", "This delivery" }
                    }
                }
                tbody {
                    for (i, l) in order.lines.iter().enumerate() {
                        tr { key: "{l.id}", "data-sku": "{l.sku}",
                            td { class: "primary", "{l.description}" span { class: "sub", "{l.sku}" } }
                            td { class: "num", "{left[i].1} {l.unit}" }
                            td { class: "num",
                                input {
                                    class: "qty",
                                    name: "lines[{i}].quantity",
                                    inputmode: "numeric",
                                    aria_label: "Quantity of {l.description} to deliver",
                                    value: "{quantities.read()[i]}",
                                    oninput: move |e| quantities.write()[i] = e.value(),
                                }
                                if let Some(msg) = submit.error(&format!("lines[{i}].quantity")) {
                                    p { class: "field-error", role: "alert", "{msg}" }
                                }
                            }
                        }
                    }
                }
            }
            div { class: "field-row",
                Field { label: "Date", name: "scheduled_date", kind: "date", value: date, error: submit.error("scheduled_date"), hint: "Today if left empty" }
                Field { label: "From (optional)", name: "window_from", kind: "time", value: from, error: submit.error("window_from") }
                Field { label: "To", name: "window_to", kind: "time", value: to, error: submit.error("window_to") }
            }
            Field { label: "Address", name: "address", value: address, rows: 2, error: submit.error("address"), hint: "The order's delivery address if left empty" }
            div { class: "field-row",
                Field { label: "Driver or carrier", name: "carrier", value: carrier, error: submit.error("carrier") }
                Field { label: "Tracking", name: "tracking", value: tracking, error: submit.error("tracking") }
            }
            Field { label: "Notes", name: "notes", value: notes, rows: 2, error: submit.error("notes") }
            div { class: "actions",
                button { class: "btn", r#type: "button", onclick: move |_| partial.set(false), "Back" }
                button { class: "btn btn-primary", id: "schedule-submit", r#type: "submit", disabled: submit.running(), "Schedule" }
            }
        }
    }
}
