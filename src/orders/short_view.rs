//! Order lines waiting for stock that was broken or lost after their order was confirmed
//! (`shortage`), as the dashboard and a product's page list them.

use dioxus::prelude::*;

use super::ShortOrder;
use crate::app::Route;

/// Order lines waiting for lost stock: the order (linked), its client, and what it waits for.
#[component]
pub fn ShortList(lines: Vec<ShortOrder>) -> Element {
    rsx! {
        ul { class: "plain-list short-list",
            for s in lines {
                li { key: "{s.order_id}-{s.product_id}",
                    Link { to: Route::OrderDetail { id: s.order_id }, "{s.number}" }
                    " · {s.client_name} · "
                    strong { "{s.quantity} {s.unit} {s.sku}" }
                }
            }
        }
    }
}
