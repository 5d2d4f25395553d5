//! The client picker's matches: active clients matching what is typed (order entry, the
//! order list's client filter).

use dioxus::prelude::*;

use super::{ClientQuery, list_clients};
use crate::ui::picker::{Match, Matches};

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
