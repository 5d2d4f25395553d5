//! A client's page: contact data, terms, order history, a section the invoices module fills
//! (invoices, balance), plus the history of changes. Archive, restore and delete live here.

use dioxus::prelude::*;

use super::{
    Client, WRITE, archive_client, client_history, delete_client, get_client, restore_client,
};
use crate::app::{Route, use_me};
use crate::invoices::order_view::ClientInvoices;
use crate::orders::list_view::ClientOrders;
use crate::ui::action::use_busy;
use crate::ui::confirm::ConfirmButton;
use crate::ui::email::Email;
use crate::ui::timeline::Timeline;
use crate::ui::toast::use_toasts;

#[component]
pub fn ClientDetail(id: ReadSignal<i64>) -> Element {
    let mut client = use_loader(move || get_client(id()))?;
    let mut history = use_loader(move || client_history(id()))?;
    let role = use_me()().role;
    let can_write = WRITE.allows(role);
    let can_order = crate::orders::WRITE.allows(role);
    let c = client();
    rsx! {
        document::Title { "{c.name} · Clients" }
        div { class: "page-header",
            div {
                p { class: "crumbs",
                    Link { to: Route::ClientList { query: Default::default() }, "Clients" }
                }
                h1 { id: "client-name",
                    "{c.name} "
                    if !c.active {
                        span { class: "badge badge-warn", id: "archived-badge", "archived" }
                    }
                }
                if !c.contact.is_empty() {
                    p { class: "muted", "{c.contact}" }
                }
            }
            if can_write {
                Actions {
                    client: c.clone(),
                    on_change: move |_| {
                        client.restart();
                        history.restart();
                    },
                }
            }
        }
        div { class: "cards",
            section { class: "card",
                h2 { "Contact" }
                dl { class: "facts",
                    Fact { label: "Email",
                        if let Some(email) = &c.email {
                            a { href: "mailto:{email}", Email { address: email.clone() } }
                        } else {
                            span { class: "muted", "—" }
                        }
                    }
                    Fact { label: "Phone",
                        if c.phone.is_empty() {
                            span { class: "muted", "—" }
                        } else {
                            a { href: "tel:{c.phone}", "{c.phone}" }
                        }
                    }
                    Fact { label: "Tax id", "{dash(&c.tax_id)}" }
                    Fact { label: "Payment terms", "{c.payment_terms_days} days" }
                }
            }
            section { class: "card",
                h2 { "Addresses" }
                dl { class: "facts",
                    Fact { label: "Billing", span { class: "pre", "{dash(&c.billing_address)}" } }
                    Fact { label: "Shipping",
                        if c.shipping_address == c.billing_address {
                            span { class: "muted", "Same as billing" }
                        } else {
                            span { class: "pre", "{dash(&c.shipping_address)}" }
                        }
                    }
                }
            }
            section { class: "card card-wide", id: "client-orders",
                div { class: "card-head",
                    h2 { "Orders" }
                    // An archived client takes no orders; the server refuses them too.
                    if can_order && c.active {
                        Link {
                            class: "btn btn-small btn-primary",
                            id: "new-order-for-client",
                            to: Route::OrderNew { client: Some(c.id), from: None },
                            "New order"
                        }
                    }
                }
                ClientOrders { client: c.id }
            }
            ClientInvoices { client_id: c.id }
            if !c.notes.is_empty() {
                section { class: "card",
                    h2 { "Notes" }
                    p { class: "pre", "{c.notes}" }
                }
            }
            section { class: "card", id: "client-history",
                h2 { "History" }
                Timeline { events: history(), prefix: "client." }
            }
        }
    }
}

fn dash(s: &str) -> &str {
    if s.trim().is_empty() { "—" } else { s }
}

#[component]
fn Fact(label: String, children: Element) -> Element {
    rsx! {
        dt { "{label}" }
        dd { {children} }
    }
}

/// Edit, archive or restore, and delete (after a second click, which names what it removes).
#[component]
fn Actions(client: Client, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let busy = use_busy();
    let id = client.id;
    let name = client.name.clone();
    let active = client.active;
    rsx! {
        div { class: "actions",
            Link { class: "btn", id: "edit-client", to: Route::ClientEdit { id }, "Edit" }
            button {
                class: "btn",
                id: if active { "archive-client" } else { "restore-client" },
                r#type: "button",
                disabled: busy.get(),
                onclick: move |_| {
                    let name = name.clone();
                    busy.run(async move {
                        let done = if active { archive_client(id).await } else { restore_client(id).await };
                        match done {
                            Ok(_) => {
                                let what = if active { "archived" } else { "restored" };
                                toasts.success(format!("{name} {what}"));
                                on_change.call(());
                            }
                            Err(err) => toasts.error(err.to_string()),
                        }
                    })
                },
                if active { "Archive" } else { "Restore" }
            }
            ConfirmButton {
                id: "delete-client",
                label: "Delete",
                confirm_label: "Delete for good",
                busy,
                on_confirm: move |_| {
                    busy.run(async move {
                        match delete_client(id).await {
                            Ok(()) => {
                                toasts.success("Client deleted");
                                navigator().replace(Route::ClientList { query: Default::default() });
                            }
                            Err(err) => toasts.error(err.to_string()),
                        }
                    })
                },
            }
        }
    }
}
