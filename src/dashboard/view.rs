//! The dashboard page.

use dioxus::prelude::*;

use super::{SystemInfo, system_info};
use crate::ui::toast::use_toasts;

#[component]
pub fn Dashboard() -> Element {
    let info = use_loader(system_info)?;
    let mut toasts = use_toasts();
    let mut checking = use_signal(|| false);

    // Re-checks the connection from the browser: this only works once the app has hydrated.
    let check = move |_| async move {
        checking.set(true);
        match system_info().await {
            Ok(i) if i.database_ok => toasts.success(format!(
                "Database connected ({}, {} µs)",
                i.backend, i.database_latency_us
            )),
            Ok(_) => toasts.error("The database is not answering"),
            Err(e) => toasts.error(e.to_string()),
        }
        checking.set(false);
    };

    rsx! {
        document::Title { "Dashboard · Sales" }
        div { class: "page-header",
            div {
                h1 { "Dashboard" }
                p { class: "muted", "Your sales at a glance. Modules appear in the menu as they arrive." }
            }
        }
        div { class: "cards",
            StatusCard { info: info() }
            section { class: "card",
                h2 { "Getting started" }
                p { "This is the foundation of the sales ordering system: clients, stock, orders, deliveries, invoices and reports build on it." }
                button {
                    class: "btn btn-primary",
                    id: "check-connection",
                    r#type: "button",
                    disabled: checking(),
                    onclick: check,
                    if checking() { "Checking…" } else { "Check connection" }
                }
            }
        }
    }
}

#[component]
fn StatusCard(info: SystemInfo) -> Element {
    let (badge, label) = if info.database_ok {
        ("badge badge-ok", "connected")
    } else {
        ("badge badge-bad", "unreachable")
    };
    rsx! {
        section { class: "card",
            h2 { "System" }
            dl { class: "facts",
                dt { "Database" }
                dd { span { class: "{badge}", id: "db-status", "{label}" } }
                dt { "Backend" }
                dd { id: "db-backend", "{info.backend}" }
                dt { "Version" }
                dd { "{info.version}" }
            }
        }
    }
}
