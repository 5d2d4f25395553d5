//! Order entry, built for speed: pick the client, then products by SKU or name (Enter takes
//! the first match), adjust quantity, price and discount in place; totals follow every
//! keystroke through the same money function the server stores with. Enter in a line goes
//! back to the product search for the next line. Errors show at the line that is wrong.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use super::detail_view::TotalsList;
use super::discount::Discount;
use super::rules::{LineInput, TOTAL_FIELD, line_field, read_line, read_order};
use super::terms_view::Terms;
use super::{LineForm, Order, OrderForm, Priority, create_order, get_order, update_order};
use crate::app::Route;
use crate::choice::Choice as _;
use crate::clients::get_client;
use crate::clients::picker::use_client_matches;
use crate::error::AppError;
use crate::input::Problems;
use crate::money::{self, LineAmounts, Money, TooLarge};
use crate::stock::{Product, StockQuery, list_stock};
use crate::ui::confirm::ConfirmButton;
use crate::ui::form::{Field, Form, Submit, use_submit};
use crate::ui::kept::use_kept;
use crate::ui::picker::{Match, Matches, Picker, focus, focus_and_select};
use crate::ui::toast::use_toasts;

const PRODUCT_SEARCH: &str = "product-search";

/// A line being entered: the product as picked (for names, tax and stock) and what is typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EntryLine {
    key: u64,
    product_id: i64,
    sku: String,
    name: String,
    unit: String,
    tax_rate_bp: i64,
    available: i64,
    quantity: String,
    unit_price: String,
    discount: String,
}

impl EntryLine {
    fn form(&self) -> LineForm {
        LineForm {
            product_id: Some(self.product_id),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            discount: self.discount.clone(),
        }
    }

    /// The line as the server reads it, if what is typed reads.
    fn read(&self) -> Option<LineInput> {
        read_line(0, &self.form(), &mut Problems::default())
    }

    /// The line's money if what is typed reads (`None` while it does not), or which of its
    /// amounts is too large to store: the same answer the server gives.
    fn amounts(&self) -> Option<Result<LineAmounts, TooLarge>> {
        let l = self.read()?;
        Some(money::line_amounts(
            l.quantity,
            l.unit_price,
            l.discount,
            self.tax_rate_bp,
        ))
    }
}

/// An order as entered: what the editor starts from, and what it keeps on this device while
/// it changes (`ui::kept`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
struct Entry {
    client: Option<(i64, String)>,
    priority: Priority,
    requested_date: String,
    notes: String,
    client_reference: String,
    delivery_address: String,
    valid_until: String,
    lines: Vec<EntryLine>,
}

/// A new order; from a client's page (`?client=ID`) with that client already picked, unless
/// it is archived (it takes no orders) or gone; or a copy of another order (`?from=ID`, its
/// "Duplicate"): the same client, priority, notes, delivery address and lines, as a new
/// draft (dates and the client's reference belong to the original).
#[component]
pub fn OrderNew(client: ReadSignal<Option<i64>>, from: ReadSignal<Option<i64>>) -> Element {
    let start = use_loader(move || async move {
        if let Some(id) = from() {
            let copy = Entry {
                requested_date: String::new(),
                client_reference: String::new(),
                valid_until: String::new(),
                ..initial_of(&get_order(id).await?)
            };
            return Ok::<_, AppError>(copy);
        }
        let found = match client() {
            Some(id) => get_client(id).await.ok().filter(|c| c.active),
            None => None,
        };
        Ok(Entry {
            client: found.map(|c| (c.id, c.name)),
            ..Entry::default()
        })
    })?;
    rsx! {
        document::Title { "New order · Orders" }
        OrderEditor { id: None, initial: start() }
    }
}

#[component]
pub fn OrderEdit(id: ReadSignal<i64>) -> Element {
    let order = use_loader(move || get_order(id()))?;
    let o = order();
    if o.status != super::OrderStatus::Draft {
        // The server refuses it too; say so before anyone types.
        return rsx! {
            document::Title { "{o.number} · Orders" }
            div { class: "card empty-state", id: "not-editable",
                h2 { "{o.number} is {o.status.label().to_lowercase()}" }
                p { class: "muted", "Only a draft can be edited. Take the order back to draft first." }
                Link { class: "btn", to: Route::OrderDetail { id: o.id }, "Back to the order" }
            }
        };
    }
    rsx! {
        document::Title { "Edit {o.number} · Orders" }
        OrderEditor { id: Some(o.id), initial: initial_of(&o) }
    }
}

fn initial_of(o: &Order) -> Entry {
    Entry {
        client: Some((o.client_id, o.client_name.clone())),
        priority: o.priority,
        requested_date: o.requested_date.map(|d| d.to_string()).unwrap_or_default(),
        notes: o.notes.clone(),
        client_reference: o.client_reference.clone(),
        delivery_address: o.delivery_address.clone(),
        valid_until: o.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        lines: o
            .lines
            .iter()
            .map(|l| EntryLine {
                key: l.position as u64,
                product_id: l.product_id,
                sku: l.sku.clone(),
                name: l.description.clone(),
                unit: l.unit.clone(),
                tax_rate_bp: l.tax_rate_bp,
                available: l.available,
                quantity: l.quantity.to_string(),
                unit_price: l.unit_price.to_string(),
                discount: Discount::stored(l.discount, l.discount_bp).text(),
            })
            .collect(),
    }
}

#[component]
fn OrderEditor(id: Option<i64>, initial: Entry) -> Element {
    let mut toasts = use_toasts();
    let mut client = use_signal(|| initial.client.clone());
    let mut priority = use_signal(|| initial.priority);
    let mut requested = use_signal(|| initial.requested_date.clone());
    let mut notes = use_signal(|| initial.notes.clone());
    let mut reference = use_signal(|| initial.client_reference.clone());
    let mut address = use_signal(|| initial.delivery_address.clone());
    let mut valid_until = use_signal(|| initial.valid_until.clone());
    let mut lines = use_signal(|| initial.lines.clone());
    let mut next_key = use_signal(|| initial.lines.len() as u64 + 1);
    let submit = use_submit();

    // Never lost: what is typed is kept on this device until it is saved or discarded.
    let mut set_entry = move |e: Entry| {
        next_key.set(e.lines.iter().map(|l| l.key).max().unwrap_or(0) + 1);
        client.set(e.client);
        priority.set(e.priority);
        requested.set(e.requested_date);
        notes.set(e.notes);
        reference.set(e.client_reference);
        address.set(e.delivery_address);
        valid_until.set(e.valid_until);
        lines.set(e.lines);
    };
    let current = use_memo(move || Entry {
        client: client(),
        priority: priority(),
        requested_date: requested(),
        notes: notes(),
        client_reference: reference(),
        delivery_address: address(),
        valid_until: valid_until(),
        lines: lines(),
    });
    let what = format!(
        "order-{}",
        id.map_or("new".to_string(), |id| id.to_string())
    );
    let kept = use_kept(&what, "order-form", initial.clone(), current, set_entry);
    let changed = current() != initial;

    let client_search = use_signal(String::new);
    let clients = use_client_matches(client_search);
    let product_search = use_signal(String::new);
    let products = use_resource(move || async move {
        let text = product_search();
        if text.trim().is_empty() {
            return (String::new(), Vec::new());
        }
        let query = StockQuery {
            q: text.clone(),
            ..Default::default()
        };
        let rows = list_stock(query).await.map(|p| p.rows).unwrap_or_default();
        (text, rows.into_iter().take(8).collect::<Vec<Product>>())
    });
    let (product_text, found) = products.read().clone().unwrap_or_default();
    let product_choices = Matches {
        text: product_text,
        items: found
            .iter()
            .map(|p| Match {
                id: p.id,
                title: format!("{} · {}", p.sku, p.name),
                detail: format!("{} {} available · {}", p.available(), p.unit, p.unit_price),
                dim: p.available() <= 0,
            })
            .collect(),
    };
    let add_line = move |c: Match| {
        let Some(p) = found.iter().find(|p| p.id == c.id).cloned() else {
            return;
        };
        // The same product again is one more of it, on its line.
        let same = lines.peek().iter().position(|l| l.product_id == p.id);
        if let Some(i) = same {
            let q = &mut lines.write()[i].quantity;
            *q = q
                .trim()
                .parse::<i64>()
                .map_or(1, |n| n.saturating_add(1))
                .to_string();
            focus_and_select(&format!("line-{i}-quantity"));
            return;
        }
        let key = next_key();
        next_key.set(key + 1);
        let index = lines.peek().len();
        lines.write().push(EntryLine {
            key,
            product_id: p.id,
            sku: p.sku.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
            tax_rate_bp: p.tax_rate_bp,
            available: p.available(),
            quantity: "1".into(),
            unit_price: p.unit_price.to_string(),
            discount: String::new(),
        });
        focus_and_select(&format!("line-{index}-quantity"));
    };

    let save = move |confirm: bool| {
        let saving = async move {
            let form = OrderForm {
                client_id: client().map(|(id, _)| id),
                priority: priority(),
                requested_date: requested(),
                notes: notes(),
                client_reference: reference(),
                delivery_address: address(),
                valid_until: valid_until(),
                lines: lines().iter().map(EntryLine::form).collect(),
            };
            read_order(&form).map_err(AppError::fields)?;
            match id {
                Some(id) => update_order(id, form).await,
                None => create_order(form, confirm).await,
            }
        };
        submit.run(saving, move |o| {
            kept.forget();
            let what = if confirm { "confirmed" } else { "saved" };
            toasts.success(format!("{} {what}", o.number));
            navigator().push(Route::OrderDetail { id: o.id });
        })
    };

    let err = move |f: &str| submit.error(f);
    let all = lines();
    let totals = money::totals(
        all.iter()
            .filter_map(EntryLine::amounts)
            .filter_map(Result::ok),
    );
    let left_out = left_out(&all);
    let title = if id.is_some() {
        "Edit order"
    } else {
        "New order"
    };
    rsx! {
        div { class: "page-header", "data-kept-checked": "{kept.checked()}",
            div {
                p { class: "crumbs",
                    Link { to: Route::OrderList { query: Default::default() }, "Orders" }
                }
                h1 { "{title}" }
            }
        }
        if (kept.restored)() {
            div { class: "notice", id: "entry-restored", role: "status",
                span { "This is the order you were entering, kept on this device." }
                button {
                    class: "btn btn-small",
                    r#type: "button",
                    id: "discard-entry",
                    onclick: move |_| {
                        kept.start_again();
                        set_entry(initial.clone());
                    },
                    "Start again"
                }
            }
        }
        Form {
            class: "stack order-entry",
            id: "order-form",
            submit,
            onsubmit: move |_| save(false),
            section { class: "card stack",
                match client() {
                    Some((_, name)) => rsx! {
                        div { class: "field",
                            label { "Client" }
                            div { class: "picked",
                                strong { id: "picked-client", "{name}" }
                                button {
                                    class: "btn btn-small",
                                    r#type: "button",
                                    id: "change-client",
                                    onclick: move |_| {
                                        client.set(None);
                                        // The address was the old client's: the new one's
                                        // shipping address applies unless one is typed.
                                        address.set(String::new());
                                        focus("client-search");
                                    },
                                    "Change"
                                }
                            }
                        }
                    },
                    None => rsx! {
                        Picker {
                            id: "client-search",
                            label: "Client",
                            placeholder: "Search clients by name, email, phone…",
                            search: client_search,
                            choices: clients.read().clone().unwrap_or_default(),
                            error: err("client_id"),
                            on_pick: move |c: Match| {
                                client.set(Some((c.id, c.title)));
                                focus(PRODUCT_SEARCH);
                            },
                        }
                    },
                }
                div { class: "field-row",
                    PrioritySelect { value: priority }
                    Field {
                        label: "Requested delivery",
                        name: "requested_date",
                        kind: "date",
                        value: requested,
                        error: err("requested_date"),
                    }
                }
            }
            section { class: "card stack", id: "order-lines",
                h2 { "Lines" }
                if let Some(msg) = err("lines") {
                    p { class: "field-error", role: "alert", id: "lines-error", "{msg}" }
                }
                for (i, line) in all.iter().enumerate() {
                    LineRow {
                        key: "{line.key}",
                        index: i,
                        line: line.clone(),
                        submit,
                        on_change: move |d: EntryLine| lines.write()[i] = d,
                        on_remove: move |_| {
                            lines.write().remove(i);
                            focus(PRODUCT_SEARCH);
                        },
                    }
                }
                Picker {
                    id: PRODUCT_SEARCH,
                    label: if all.is_empty() { "Add a product" } else { "Add another product" },
                    placeholder: "SKU or name, then Enter",
                    search: product_search,
                    choices: product_choices,
                    on_pick: add_line,
                }
                if !left_out.is_empty() {
                    div { class: "total-note", id: "total-left-out", role: "status",
                        p { "Not in the total yet:" }
                        ul {
                            for (i, why) in left_out {
                                li { "line {i + 1} ({all[i].sku}): {why}" }
                            }
                        }
                    }
                }
                match totals {
                    Ok(totals) => rsx! { TotalsList { totals } },
                    Err(e) => rsx! {
                        p { class: "field-error", role: "alert", id: "total-error", "{e}" }
                    },
                }
                if let Some(msg) = err(TOTAL_FIELD).filter(|_| totals.is_ok()) {
                    p { class: "field-error", role: "alert", id: "total-error", "{msg}" }
                }
            }
            Terms { reference, address, valid_until, submit }
            section { class: "card stack",
                Field { label: "Notes", name: "notes", value: notes, rows: 3, error: err("notes") }
            }
            div { class: "actions",
                button { class: "btn", r#type: "submit", id: "save-order", disabled: submit.running(),
                    if id.is_some() { "Save" } else { "Save draft" }
                }
                if id.is_none() {
                    button {
                        class: "btn btn-primary",
                        r#type: "button",
                        id: "save-confirm",
                        disabled: submit.running(),
                        onclick: move |_| save(true),
                        "Save and confirm"
                    }
                }
                if changed {
                    ConfirmButton {
                        id: "discard-order",
                        label: "Discard",
                        confirm_label: "Yes, throw this away",
                        busy: submit.busy(),
                        on_confirm: move |_| {
                            kept.forget();
                            navigator().push(Route::OrderList { query: Default::default() });
                        },
                    }
                } else {
                    Link { class: "btn", to: Route::OrderList { query: Default::default() }, "Cancel" }
                }
            }
        }
    }
}

/// The lines the total leaves out, and why: the first problem with what is typed, or the
/// amount that is too large to store.
fn left_out(lines: &[EntryLine]) -> Vec<(usize, String)> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let mut problems = Problems::default();
            match read_line(i, &l.form(), &mut problems) {
                None => problems
                    .into_vec()
                    .into_iter()
                    .next()
                    .map(|e| (i, e.message)),
                Some(_) => match l.amounts() {
                    Some(Err(e)) => Some((i, e.to_string())),
                    _ => None,
                },
            }
        })
        .collect()
}

#[component]
fn PrioritySelect(value: Signal<Priority>) -> Element {
    let mut value = value;
    rsx! {
        div { class: "field",
            label { r#for: "field-priority", "Priority" }
            select {
                id: "field-priority",
                name: "priority",
                onchange: move |e| value.set(Priority::parse(&e.value()).unwrap_or_default()),
                for &p in Priority::ALL {
                    option { value: p.as_str(), selected: p == value(), "{p.label()}" }
                }
            }
        }
    }
}

/// One line: what was picked, its inputs with their messages, its stock and its amount.
#[component]
fn LineRow(
    index: usize,
    line: EntryLine,
    /// The form's submission, whose refusal may name this line's fields.
    submit: Submit,
    on_change: EventHandler<EntryLine>,
    on_remove: EventHandler<()>,
) -> Element {
    let err = |f: &str| submit.error(&line_field(index, f));
    let amounts = line.amounts();
    // Too large to store: said here as you type, and by the server at the same field.
    let amount_error = match &amounts {
        Some(Err(e)) => Some(e.to_string()),
        _ => err("amount"),
    };
    let qty: i64 = line.quantity.trim().parse().unwrap_or(0);
    let short = qty > line.available;
    // Enter in a line means "next line": back to the product search, not submit.
    let next_line = move |e: KeyboardEvent| {
        if e.key() == Key::Enter {
            e.prevent_default();
            focus(PRODUCT_SEARCH);
        }
    };
    let input = |name: &'static str, value: String, label: &'static str| {
        let line = line.clone();
        let id = format!("line-{index}-{name}");
        let error = err(name);
        rsx! {
            div { class: if error.is_some() { "field has-error" } else { "field" },
                label { r#for: "{id}", "{label}" }
                input {
                    id: "{id}",
                    name: "{id}",
                    inputmode: if name == "quantity" { "numeric" } else { "decimal" },
                    placeholder: if name == "discount" { "10% or 5.00" } else { "" },
                    value: "{value}",
                    aria_invalid: error.is_some(),
                    onkeydown: next_line,
                    oninput: move |e| {
                        let mut d = line.clone();
                        match name {
                            "quantity" => d.quantity = e.value(),
                            "unit_price" => d.unit_price = e.value(),
                            _ => d.discount = e.value(),
                        }
                        on_change.call(d);
                    },
                }
                if let Some(msg) = &error {
                    p { class: "field-error", role: "alert", "{msg}" }
                }
            }
        }
    };
    let rate = Money(line.tax_rate_bp).to_string();
    rsx! {
        div { class: "order-line", "data-sku": "{line.sku}",
            div { class: "line-product",
                strong { "{line.name}" }
                span { class: "sub", "{line.sku} · tax {rate.trim_end_matches(\".00\")} %" }
                span { class: "sub", "{line.available} {line.unit} available" }
                if short {
                    p { class: "field-warning", role: "status", id: "line-{index}-short",
                        "{qty - line.available.max(0)} {line.unit} more than available: \
                         it can be saved as a draft, but not confirmed until stock arrives."
                    }
                }
                if let Some(msg) = err("product") {
                    p { class: "field-error", role: "alert", "{msg}" }
                }
            }
            {input("quantity", line.quantity.clone(), "Qty")}
            {input("unit_price", line.unit_price.clone(), "Unit price")}
            {input("discount", line.discount.clone(), "Discount")}
            div { class: "line-amount num",
                span { class: "sub", "Net" }
                strong { id: "line-{index}-net",
                    match amounts {
                        Some(Ok(a)) => a.net.to_string(),
                        _ => "—".to_string(),
                    }
                }
                // A percent is said as the amount it takes off, as the server will store it.
                if let Some(off) = line.read().filter(|l| l.discount_bp.is_some()) {
                    span { class: "sub", id: "line-{index}-discount-amount", "{off.discount} off" }
                }
                if let Some(msg) = &amount_error {
                    p { class: "field-error", role: "alert", id: "line-{index}-amount-error", "{msg}" }
                }
            }
            button {
                class: "btn btn-small line-remove",
                r#type: "button",
                id: "line-{index}-remove",
                aria_label: "Remove {line.sku}",
                onclick: move |_| on_remove.call(()),
                "✕"
            }
        }
    }
}
