//! The client picker's matches: active clients matching what is typed (order entry), and the
//! client filter of the order list and the delivery board.

use dioxus::prelude::*;

use super::{ClientQuery, list_clients};
use crate::ui::picker::{Match, Matches, Picker};

/// Active clients matching what is typed in a client picker (the first eight).
pub fn use_client_matches(search: Signal<String>) -> Resource<Matches> {
    use_resource(move || async move {
        let text = search();
        if text.trim().is_empty() {
            return Matches::default();
        }
        let query = ClientQuery {
            q: text.clone(),
            ..Default::default()
        };
        let items = match list_clients(query).await {
            Ok(page) => page
                .rows
                .into_iter()
                .take(8)
                .map(|c| Match {
                    id: c.id,
                    detail: c.email.clone().unwrap_or(c.contact.clone()),
                    title: c.name,
                    dim: false,
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        Matches { text, items }
    })
}

/// "Only one client's": pick the client by name, email or phone; `on_pick` gets its id.
#[component]
pub fn ClientFilter(on_pick: EventHandler<i64>) -> Element {
    let search = use_signal(String::new);
    let clients = use_client_matches(search);
    rsx! {
        div { class: "client-filter",
            Picker {
                id: "client-filter-search",
                label: "Client",
                placeholder: "Any client",
                search,
                choices: clients.read().clone().unwrap_or_default(),
                on_pick: move |c: Match| on_pick.call(c.id),
            }
        }
    }
}
