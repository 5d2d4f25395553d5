//! A product's page: its data, receive and adjust forms (warehouse), a chart of the stock
//! level, and the movement history, newest first, paged.

use dioxus::prelude::*;

use super::chart_view::StockChart;
use super::{
    AdjustReason, AdjustmentForm, MovementPage, Product, ReceiptForm, WRITE, adjust_stock,
    delete_product, get_product, product_movements, receive_stock, set_product_active,
    stock_levels,
};
use crate::app::{Route, use_me};
use crate::business::use_business;
use crate::choice::Choice;
use crate::exports::view::ExportMenu;
use crate::exports::{ExportFormat, ExportWhat};
use crate::orders::short_orders;
use crate::orders::short_view::ShortList;
use crate::ui::action::{request_key, use_busy};
use crate::ui::confirm::ConfirmButton;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::select::ChoiceSelect;
use crate::ui::toast::use_toasts;

#[component]
pub fn ProductDetail(id: ReadSignal<i64>) -> Element {
    let mut product = use_loader(move || get_product(id()))?;
    let mut before = use_signal(|| None::<i64>);
    // Movements that change only reservations can be hidden from the history.
    let mut changes_only = use_signal(|| false);
    let mut history = use_loader(move || product_movements(id(), before(), Some(changes_only())))?;
    let mut levels = use_loader(move || stock_levels(id()))?;
    let mut short = use_loader(move || short_orders(Some(id())))?;
    let can_write = WRITE.allows(use_me()().role);
    let mut toasts = use_toasts();
    let busy = use_busy();
    let p = product();
    let refresh = move |_| {
        product.restart();
        history.restart();
        levels.restart();
        short.restart();
    };
    rsx! {
        document::Title { "{p.sku} · Stock" }
        div { class: "page-header",
            div {
                p { class: "crumbs",
                    Link { to: Route::StockList { query: Default::default() }, "Stock" }
                }
                h1 { id: "product-name", "{p.sku} · {p.name} "
                    if !p.active {
                        span { class: "badge badge-warn", "archived" }
                    }
                }
                p { class: "muted", "{use_business().money(p.unit_price)} per {p.unit} · tax {crate::money::Money(p.tax_rate_bp)} %" }
            }
            if can_write {
                div { class: "actions",
                    Link { class: "btn", id: "edit-product", to: Route::ProductEdit { id: p.id }, "Edit" }
                    ArchiveButton { product: p.clone(), on_done: refresh }
                    ConfirmButton {
                        id: "delete-product",
                        label: "Delete",
                        confirm_label: "Delete for good",
                        busy,
                        on_confirm: move |_| {
                            busy.run(async move {
                                match delete_product(id()).await {
                                    Ok(()) => {
                                        toasts.success("Product deleted");
                                        navigator().replace(Route::StockList { query: Default::default() });
                                    }
                                    Err(err) => toasts.error(err.to_string()),
                                }
                            })
                        },
                    }
                }
            }
        }
        if !short().is_empty() {
            section { class: "card", id: "product-short",
                h2 { "Orders waiting for this stock" }
                p { class: "muted", "Broken or lost after these orders were confirmed; stock received is reserved for them first." }
                ShortList { lines: short() }
            }
        }
        div { class: "cards",
            Levels { product: p.clone() }
            if can_write {
                Receive { id: p.id, on_done: refresh }
                Adjust { id: p.id, on_done: refresh }
            }
            section { class: "card chart-card",
                h2 { "Stock level" }
                StockChart { points: levels() }
            }
        }
        History {
            product: id(),
            page: history(),
            on_older: move |b| before.set(Some(b)),
            on_newest: move |_| before.set(None),
            paged: before().is_some(),
            changes_only: changes_only(),
            on_changes_only: move |on: bool| {
                before.set(None);
                changes_only.set(on);
            },
        }
    }
}

#[component]
fn Levels(product: Product) -> Element {
    let p = product;
    rsx! {
        section { class: if p.is_low() { "card stock-levels low" } else { "card stock-levels" }, id: "stock-levels",
            h2 { "Levels" }
            div { class: "stats",
                Stat { label: "On hand", id: "on-hand", value: "{p.on_hand} {p.unit}" }
                Stat { label: "Reserved", id: "reserved", value: "{p.reserved} {p.unit}" }
                Stat { label: "Available", id: "available", value: "{p.available()} {p.unit}" }
                Stat { label: "Reorder level", id: "reorder-level", value: "{p.reorder_level} {p.unit}" }
            }

            if p.is_low() {
                p { class: "badge badge-warn", id: "low-badge", "Low stock" }
            }
        }
    }
}

/// Archive (out of pickers, kept in history) or restore.
#[component]
fn ArchiveButton(product: Product, on_done: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let busy = use_busy();
    let (id, active) = (product.id, product.active);
    rsx! {
        button {
            class: "btn",
            id: if active { "archive-product" } else { "restore-product" },
            r#type: "button",
            disabled: busy.get(),
            onclick: move |_| {
                busy.run(async move {
                    match set_product_active(id, !active).await {
                        Ok(p) => {
                            toasts.success(if p.active { "Product restored" } else { "Product archived" });
                            on_done.call(());
                        }
                        Err(err) => toasts.error(err.to_string()),
                    }
                })
            },
            if active { "Archive" } else { "Restore" }
        }
    }
}

#[component]
fn Stat(label: String, id: String, value: String) -> Element {
    rsx! {
        div { class: "stat",
            span { class: "stat-label", "{label}" }
            span { class: "stat-value", id: "{id}", "{value}" }
        }
    }
}

#[component]
fn Receive(id: i64, on_done: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let mut quantity = use_signal(String::new);
    let mut cost = use_signal(String::new);
    let mut reference = use_signal(String::new);
    let submit = use_submit();
    // The same key until this receipt is through: a retry of it is received once.
    let mut key = use_signal(request_key);
    let send = move |_| {
        let form = ReceiptForm {
            quantity: quantity(),
            unit_cost: cost(),
            reference: reference(),
            note: String::new(),
            request_key: Some(key()),
        };
        submit.run(receive_stock(id, form), move |p| {
            key.set(request_key());
            quantity.set(String::new());
            cost.set(String::new());
            reference.set(String::new());
            toasts.success(format!("Received; on hand is now {} {}", p.on_hand, p.unit));
            on_done.call(());
        })
    };
    let err = |f: &str| submit.error(f);
    rsx! {
        Form { class: "card stack", id: "receive-form", heading: "Receive stock", submit, onsubmit: send,
            div { class: "field-row",
                Field { label: "Quantity", name: "receive_quantity", value: quantity, inputmode: "numeric", error: err("quantity") }
                Field { label: "Unit cost", name: "unit_cost", value: cost, inputmode: "decimal", error: err("unit_cost"), hint: "Optional" }
            }
            Field { label: "Supplier reference", name: "reference", value: reference, error: err("reference") }
            button { class: "btn btn-primary", r#type: "submit", disabled: submit.running(), "Receive" }
        }
    }
}

/// A correction by hand: a stock count (what is on the shelf; the difference is recorded),
/// breakage, loss, found or other (the change), each with a note.
#[component]
fn Adjust(id: i64, on_done: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let mut reason = use_signal(AdjustReason::default);
    let mut counted = use_signal(String::new);
    let mut quantity = use_signal(String::new);
    let mut note = use_signal(String::new);
    let submit = use_submit();
    let mut key = use_signal(request_key);
    let send = move |_| {
        let form = AdjustmentForm {
            reason: reason(),
            counted: counted(),
            quantity: quantity(),
            note: note(),
            request_key: Some(key()),
        };
        submit.run(adjust_stock(id, form), move |p| {
            key.set(request_key());
            counted.set(String::new());
            quantity.set(String::new());
            note.set(String::new());
            toasts.success(format!("Recorded; on hand is now {} {}", p.on_hand, p.unit));
            on_done.call(());
        })
    };
    let err = |f: &str| submit.error(f);
    rsx! {
        Form { class: "card stack", id: "adjust-form", heading: "Count or adjust", submit, onsubmit: send,
            div { class: "field",
                label { "Reason" }
                ChoiceSelect {
                    value: reason(),
                    name: "adjust_reason",
                    label: "Reason",
                    on_change: move |r| reason.set(r),
                }
            }
            if reason() == AdjustReason::Count {
                Field { label: "Counted on the shelf", name: "counted", value: counted, error: err("counted"),
                    inputmode: "numeric", hint: "The difference to the books is recorded" }
            } else {
                Field { label: "Change (+ or −)", name: "adjust_quantity", value: quantity, error: err("quantity"),
                    hint: "Like -3 when broken or lost, +2 when found" }
            }
            Field { label: "Note", name: "note", value: note, error: err("note") }
            button { class: "btn", r#type: "submit", id: "adjust-send", disabled: submit.running(), "Record" }
        }
    }
}

#[component]
fn History(
    product: i64,
    page: MovementPage,
    on_older: EventHandler<i64>,
    on_newest: EventHandler<()>,
    paged: bool,
    changes_only: bool,
    on_changes_only: EventHandler<bool>,
) -> Element {
    let zone = use_business().zone;
    rsx! {
        section { class: "card table-card history",
            h2 { class: "card-title", "Movements" }
            label { class: "switch",
                input {
                    r#type: "checkbox",
                    id: "changes-only",
                    checked: changes_only,
                    onchange: move |e| on_changes_only.call(e.checked()),
                }
                " Hide reservations and releases"
            }
            if !page.rows.is_empty() {
                ExportMenu { what: ExportWhat::Movements, query: format!("product={product}"), formats: ExportFormat::ALL.to_vec() }
            }
            if page.rows.is_empty() {
                p { class: "empty", "No movements yet." }
            } else {
                table { class: "table", id: "movement-table",
                    thead {
                        tr {
                            th { "When" }
                            th { "Kind" }
                            th { class: "num", "Change" }
                            th { class: "num hide-sm", "On hand after" }
                            th { class: "hide-sm", "Who" }
                            th { class: "hide-md", "Reference / note" }
                        }
                    }
                    tbody {
                        for m in page.rows {
                            tr { key: "{m.id}",
                                td { "data-label": "When", class: "nowrap", "{zone.date_time(&m.at)}" }
                                td { "data-label": "Kind", "{m.kind.label()}" }
                                td { "data-label": "Change", class: "num", "{m.delta_on_hand:+}" }
                                td { "data-label": "On hand after", class: "num hide-sm", "{m.on_hand_after}" }
                                td { "data-label": "Who", class: "hide-sm", "{m.user.clone().unwrap_or_default()}" }
                                td { "data-label": "Reference / note", class: "hide-md",
                                    if let Some(o) = m.order.clone() {
                                        Link { to: Route::OrderDetail { id: o.id }, "{o.number}" }
                                        " "
                                    }
                                    if let Some(r) = m.reason {
                                        span { class: "badge", "{r.label()}" }
                                        " "
                                    }
                                    "{m.reference} {m.note}"
                                }
                            }
                        }
                    }
                }
            }
            div { class: "pager",
                if paged {
                    button { class: "btn btn-small", r#type: "button", onclick: move |_| on_newest.call(()), "Newest" }
                }
                if let Some(b) = page.next {
                    button { class: "btn btn-small", r#type: "button", onclick: move |_| on_older.call(b), "Older →" }
                }
            }
        }
    }
}
