//! The client list: search as you type, active or archived, sorted, keyset pages; all of it in
//! the URL. Also the CSV export link and the import panel.

use dioxus::prelude::*;

use super::{ClientPage, ClientQuery, ClientSort, WRITE, list_clients};
use crate::app::{Route, use_me};
use crate::paging::PageQuery;
use crate::ui::pager::Pager;
use crate::ui::search::SearchBox;
use crate::ui::select::SortSelect;

#[component]
pub fn ClientList(query: ReadSignal<ClientQuery>) -> Element {
    let page = use_loader(move || list_clients(query()))?;
    let can_write = WRITE.allows(use_me()().role);
    let q_now = use_memo(move || query().q);
    // Replace, not push: the back button should not replay every keystroke.
    let search = move |text: String| {
        navigator().replace(
            (ClientQuery {
                q: text,
                ..query.peek().first_page()
            })
            .route(),
        );
    };
    let q = query();
    let export = format!(
        "/api/clients/export.csv?{}",
        serde_urlencoded::to_string(q.first_page()).unwrap_or_default()
    );
    let tab = |archived: bool| ClientQuery {
        archived,
        ..q.first_page()
    };

    rsx! {
        document::Title { "Clients · Sales" }
        div { class: "page-header",
            div {
                h1 { "Clients" }
                p { class: "muted", "The customers orders and invoices are made out to." }
            }
            div { class: "actions",
                a { class: "btn", href: "{export}", download: true, "Export CSV" }
                if can_write {
                    Link { class: "btn", to: Route::ClientImport {}, "Import CSV" }
                    Link { class: "btn btn-primary", id: "new-client", to: Route::ClientNew {}, "New client" }
                }
            }
        }
        div { class: "toolbar",
            SearchBox {
                value: q_now,
                placeholder: "Search name, contact, email, phone, address",
                label: "Search clients",
                title: "Three or more letters search everywhere; one or two match the start of a name",
                on_search: search,
            }
            nav { class: "tabs", aria_label: "Status",
                Link {
                    class: if !q.archived { "tab active" } else { "tab" },
                    to: tab(false).route(),
                    "Active"
                }
                Link {
                    class: if q.archived { "tab active" } else { "tab" },
                    to: tab(true).route(),
                    "Archived"
                }
            }
            SortSelect {
                value: q.sort,
                label: "Sort clients",
                on_change: move |sort| {
                    navigator().push((ClientQuery { sort, ..query.peek().first_page() }).route());
                },
            }
        }
        Results { page: page(), query: q, can_write }
    }
}

#[component]
fn Results(page: ClientPage, query: ClientQuery, can_write: bool) -> Element {
    if page.rows.is_empty() {
        return rsx! {
            EmptyState { query, can_write }
        };
    }
    let name_order = if query.sort == ClientSort::Name {
        ClientSort::NameDesc
    } else {
        ClientSort::Name
    };
    let arrow = match query.sort {
        ClientSort::Name => " ↑",
        ClientSort::NameDesc => " ↓",
        _ => "",
    };
    rsx! {
        div { class: "card table-card",
            table { class: "table", id: "client-table",
                thead {
                    tr {
                        th {
                            Link {
                                to: (ClientQuery { sort: name_order, ..query.first_page() }).route(),
                                "Name{arrow}"
                            }
                        }
                        th { class: "hide-sm", "Contact" }
                        th { "Email" }
                        th { class: "hide-sm", "Phone" }
                        th { class: "hide-md", "Billing address" }
                    }
                }
                tbody {
                    for c in page.rows {
                        tr { key: "{c.id}", "data-client": "{c.id}",
                            td { class: "primary",
                                Link { to: Route::ClientDetail { id: c.id }, "{c.name}" }
                            }
                            td { "data-label": "Contact", class: "hide-sm", "{c.contact}" }
                            td { "data-label": "Email", class: "truncate", "{c.email.clone().unwrap_or_default()}" }
                            td { "data-label": "Phone", class: "hide-sm nowrap", "{c.phone}" }
                            td { "data-label": "Billing address", class: "hide-md truncate",
                                "{c.billing_address.lines().next().unwrap_or_default()}"
                            }
                        }
                    }
                }
            }
        }
        Pager {
            id: "client-total",
            total: page.total,
            capped: page.total_capped,
            prev: page.prev,
            next: page.next,
            one: "client",
            many: "clients",
            query,
        }
    }
}

#[component]
fn EmptyState(query: ClientQuery, can_write: bool) -> Element {
    let searching = !query.q.trim().is_empty();
    rsx! {
        div { class: "card empty-state", id: "clients-empty",
            if searching {
                h2 { "No client matches “{query.q}”" }
                p { class: "muted", "Every word must appear in a name, contact, email, phone or address." }
                Link { class: "btn", to: (ClientQuery { q: String::new(), ..query.first_page() }).route(), "Clear the search" }
            } else if query.archived {
                h2 { "No archived clients" }
                p { class: "muted", "Clients you archive are kept here, out of the pickers, and can be restored." }
            } else {
                h2 { "No clients yet" }
                p { class: "muted", "Add your first client, or import a spreadsheet of them." }
                if can_write {
                    div { class: "actions",
                        Link { class: "btn btn-primary", to: Route::ClientNew {}, "New client" }
                        Link { class: "btn", to: Route::ClientImport {}, "Import CSV" }
                    }
                }
            }
        }
    }
}
