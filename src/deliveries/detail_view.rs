//! A delivery's page, built for a driver's phone at 375 px: the address as a link the phone
//! opens in its maps app (a `geo:` URI, so neither the page nor the server calls any outside
//! host), what to hand over, and large buttons for each step the workflow allows — delivered
//! takes the recipient's name and a signature drawn with a finger, failed takes a reason.

use dioxus::prelude::*;

use super::board_view::DeliveryBadge;
use super::{Action, Delivery, Step, WRITE, get_delivery, step_delivery};
use crate::app::{Route, use_me};
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::orders::list_view::PriorityMark;
use crate::ui::confirm::ConfirmButton;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::toast::use_toasts;
use crate::ui::url::escape_component;

#[component]
pub fn DeliveryDetail(id: ReadSignal<i64>) -> Element {
    let mut delivery = use_loader(move || get_delivery(id()))?;
    let can_write = WRITE.allows(use_me()().role);
    let d = delivery();
    let business = use_business();
    let window = match (&d.window_from, &d.window_to) {
        (Some(f), Some(t)) => format!(", {f}–{t}"),
        _ => String::new(),
    };
    let maps = format!(
        "geo:0,0?q={}",
        escape_component(&d.address.replace('\n', ", "))
    );
    rsx! {
        document::Title { "{d.number} · Deliveries" }
        div { class: "page-header",
            div {
                p { class: "crumbs",
                    Link { to: Route::DeliveryBoard { query: Default::default() }, "Deliveries" }
                }
                h1 { id: "delivery-number",
                    "{d.number} "
                    DeliveryBadge { status: d.status }
                }
                p { class: "muted",
                    Link { to: Route::OrderDetail { id: d.order_id }, "{d.order_number}" }
                    " · {d.client_name} · "
                    PriorityMark { priority: d.priority }
                }
            }
            div { class: "actions",
                a { class: "btn", id: "delivery-note", href: "/api/deliveries/{d.id}/note.pdf", target: "_blank", "Delivery note (PDF)" }
            }
        }
        section { class: "card drive-card",
            p { class: "when", id: "delivery-when", "{d.scheduled_date}{window}" }
            a { class: "address", id: "delivery-address", href: "{maps}", "{d.address}" }
            if !d.carrier.is_empty() {
                p { class: "muted", "Driver: {d.carrier}" }
            }
            if !d.tracking.is_empty() {
                p { class: "muted", "Tracking: {d.tracking}" }
            }
            if !d.notes.is_empty() {
                p { class: "pre", id: "delivery-notes", "{d.notes}" }
            }
            if let Some(reason) = &d.failure_reason {
                p { class: "stock-short", id: "delivery-failure", "Failed: {reason}" }
            }
            if let (Some(who), Some(at)) = (&d.recipient, &d.delivered_at) {
                p { id: "delivery-received",
                    "Taken by {who}, {business.zone.date_time(at)}"
                    if let Some(by) = &d.confirmed_by { " (confirmed by {by})" }
                }
            }
            if let Some(path) = &d.signature {
                svg { class: "signature", view_box: "0 0 300 150", role: "img", "aria-label": "Signature",
                    path { d: "{path}" }
                }
            }
        }
        section { class: "card table-card",
            h2 { "To hand over" }
            table { class: "table", id: "delivery-lines",
                thead {
                    tr {
                        th { "Product" }
                        th { class: "num", "Qty" }
                    }
                }
                tbody {
                    for l in d.lines.iter() {
                        tr { key: "{l.order_line_id}", "data-sku": "{l.sku}",
                            td { class: "primary", "{l.description}" span { class: "sub", "{l.sku}" } }
                            td { class: "num big-qty", "{l.quantity} {l.unit}" }
                        }
                    }
                }
            }
        }
        if can_write {
            Steps { delivery: d.clone(), on_change: move |_| delivery.restart() }
        }
    }
}

/// Which form, if any, is open under the buttons.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    None,
    Deliver,
    Fail,
    Reschedule,
}

/// The workflow's steps this status allows, as large buttons.
#[component]
fn Steps(delivery: Delivery, on_change: EventHandler<()>) -> Element {
    let mut open = use_signal(|| Open::None);
    let mut toasts = use_toasts();
    let submit = use_submit();
    let id = delivery.id;
    let send = move |step: Step| {
        submit.run(step_delivery(id, step), move |d: Delivery| {
            toasts.success(format!(
                "{} is {}",
                d.number,
                d.status.label().to_lowercase()
            ));
            open.set(Open::None);
            on_change.call(());
        });
    };
    let allowed = |a: Action| a.allowed_from(delivery.status);
    let refusal = submit
        .answer()
        .filter(|e| !matches!(e, crate::error::AppError::Invalid { .. }));
    rsx! {
        section { class: "card steps",
            if let Some(e) = refusal.filter(|_| open() == Open::None) {
                p { class: "form-error", id: "step-error", role: "alert", "{e}" }
            }
            div { class: "big-actions",
                if allowed(Action::Depart) {
                    button { class: "btn btn-big", id: "step-depart", r#type: "button", disabled: submit.running(),
                        onclick: move |_| send(Step::Depart),
                        "{Action::Depart.label()}"
                    }
                }
                if allowed(Action::Deliver) {
                    button { class: "btn btn-big btn-primary", id: "step-deliver", r#type: "button",
                        onclick: move |_| open.set(Open::Deliver),
                        "{Action::Deliver.label()}…"
                    }
                }
                if allowed(Action::Fail) {
                    button { class: "btn btn-big", id: "step-fail", r#type: "button",
                        onclick: move |_| open.set(Open::Fail),
                        "{Action::Fail.label()}…"
                    }
                }
                if allowed(Action::Reschedule) {
                    button { class: "btn btn-big", id: "step-reschedule", r#type: "button",
                        onclick: move |_| open.set(Open::Reschedule),
                        "{Action::Reschedule.label()}…"
                    }
                }
                if allowed(Action::Cancel) {
                    ConfirmButton {
                        id: "step-cancel",
                        label: Action::Cancel.label(),
                        confirm_label: "Yes, cancel {delivery.number}",
                        busy: submit.busy(),
                        on_confirm: move |_| send(Step::Cancel),
                    }
                }
            }
            match open() {
                Open::Deliver => rsx! { DeliverForm { submit, on_send: send } },
                Open::Fail => rsx! { FailForm { submit, on_send: send } },
                Open::Reschedule => rsx! { RescheduleForm { submit, on_send: send } },
                Open::None => rsx! {},
            }
        }
    }
}

#[component]
fn DeliverForm(submit: crate::ui::form::Submit, on_send: EventHandler<Step>) -> Element {
    let recipient = use_signal(String::new);
    let note = use_signal(String::new);
    let signature = use_signal(String::new);
    rsx! {
        Form {
            id: "deliver-form",
            submit,
            heading: "Handed over",
            onsubmit: move |_| {
                let path = signature();
                on_send.call(Step::Deliver {
                    recipient: recipient(),
                    note: note(),
                    signature: (!path.is_empty()).then_some(path),
                })
            },
            Field { label: "Taken by", name: "recipient", value: recipient, autocomplete: "off", error: submit.error("recipient") }
            SignaturePad { path: signature, error: submit.error("signature") }
            Field { label: "Note (optional)", name: "note", value: note, rows: 2, error: submit.error("note") }
            button { class: "btn btn-big btn-primary", id: "deliver-submit", r#type: "submit", disabled: submit.running(), "Confirm delivery" }
        }
    }
}

#[component]
fn FailForm(submit: crate::ui::form::Submit, on_send: EventHandler<Step>) -> Element {
    let reason = use_signal(String::new);
    rsx! {
        Form {
            id: "fail-form",
            submit,
            heading: "Not handed over",
            onsubmit: move |_| on_send.call(Step::Fail { reason: reason() }),
            Field { label: "Why", name: "reason", value: reason, rows: 2, error: submit.error("reason"), hint: "Nobody home, wrong address, refused…" }
            button { class: "btn btn-big", id: "fail-submit", r#type: "submit", disabled: submit.running(), "Mark failed" }
        }
    }
}

#[component]
fn RescheduleForm(submit: crate::ui::form::Submit, on_send: EventHandler<Step>) -> Element {
    let date = use_signal(String::new);
    let from = use_signal(String::new);
    let to = use_signal(String::new);
    rsx! {
        Form {
            id: "reschedule-form",
            submit,
            heading: "A new date",
            onsubmit: move |_| on_send.call(Step::Reschedule {
                scheduled_date: date(),
                window_from: from(),
                window_to: to(),
            }),
            Field { label: "Date", name: "scheduled_date", kind: "date", value: date, error: submit.error("scheduled_date") }
            div { class: "field-row",
                Field { label: "From (optional)", name: "window_from", kind: "time", value: from, error: submit.error("window_from") }
                Field { label: "To", name: "window_to", kind: "time", value: to, error: submit.error("window_to") }
            }
            button { class: "btn btn-big btn-primary", id: "reschedule-submit", r#type: "submit", disabled: submit.running(), "Reschedule" }
        }
    }
}

/// A box to sign in with a finger or the mouse; the strokes are kept as SVG path data
/// ("M x y L x y …" in a 300 × 150 box), which the page and the delivery note draw again.
#[component]
fn SignaturePad(path: Signal<String>, error: Option<String>) -> Element {
    let mut path = path;
    let mut drawing = use_signal(|| false);
    let mut point = move |e: &PointerEvent, letter: char| {
        let at = e.element_coordinates();
        // Inside the box, at a tenth of a point: enough for a signature, short to store.
        let (x, y) = (at.x.clamp(0.0, 300.0), at.y.clamp(0.0, 150.0));
        path.write().push_str(&format!("{letter}{:.1} {:.1}", x, y));
    };
    rsx! {
        div { class: if error.is_some() { "field has-error" } else { "field" },
            label { "Signature (optional)" }
            svg {
                class: "signature-pad",
                id: "signature-pad",
                view_box: "0 0 300 150",
                width: "300",
                height: "150",
                onpointerdown: move |e| {
                    drawing.set(true);
                    point(&e, 'M');
                },
                onpointermove: move |e| {
                    if drawing() {
                        point(&e, 'L');
                    }
                },
                onpointerup: move |_| drawing.set(false),
                onpointerleave: move |_| drawing.set(false),
                path { d: "{path}" }
            }
            div { class: "actions",
                button { class: "btn btn-small", id: "signature-clear", r#type: "button",
                    onclick: move |_| path.set(String::new()),
                    "Clear"
                }
            }
            if let Some(msg) = &error {
                p { class: "field-error", role: "alert", "{msg}" }
            }
        }
    }
}
