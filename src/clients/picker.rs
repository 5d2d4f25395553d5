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

/// A list's client filter: with no client chosen, a picker (by name, email or phone) whose
/// choice goes to `on_pick`; with one chosen, its name as a button back to `every` client.
#[component]
pub fn ClientFilter(
    /// The chosen client's name, when one is chosen (`None` inside: a name not on this page).
    chosen: Option<Option<String>>,
    /// The list without the client filter.
    every: crate::app::Route,
    /// What the button's tooltip says, e.g. "Show every client's orders".
    title: String,
    on_pick: EventHandler<i64>,
) -> Element {
    let search = use_signal(String::new);
    let clients = use_client_matches(search);
    if let Some(name) = chosen {
        let name = name.unwrap_or_else(|| "One client".into());
        return rsx! {
            Link { class: "btn btn-small active", id: "client-filter", title: "{title}", to: every, "{name} ✕" }
        };
    }
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
