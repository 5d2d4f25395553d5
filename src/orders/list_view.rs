//! The order list: number search, status, priority, client and date filters, three orders,
//! keyset pages, status badges; all of it in the URL. Also a client's orders, for the client
//! page.

use dioxus::prelude::*;

use super::{OrderPage, OrderQuery, OrderRow, OrderStatus, Priority, WRITE, list_orders};
use crate::app::{Route, use_me};
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::clients::picker::ClientFilter;
use crate::exports::view::ExportMenu;
use crate::exports::{ExportFormat, ExportWhat};
use crate::paging::PageQuery;
use crate::ui::fold::FilterFold;
use crate::ui::pager::Pager;
use crate::ui::search::SearchBox;
use crate::ui::select::{DateFilter, FilterSelect, SortSelect};

/// The status as a coloured badge.
#[component]
pub fn StatusBadge(status: OrderStatus) -> Element {
    let tone = match status {
        OrderStatus::Draft => "badge",
        OrderStatus::Confirmed | OrderStatus::PartiallyDelivered => "badge badge-info",
        OrderStatus::Delivered => "badge badge-ok",
        OrderStatus::Cancelled => "badge badge-bad",
    };
    rsx! {
        span { class: "{tone}", "data-status": status.as_str(), "{status.label()}" }
    }
}

/// Urgent and high stand out; normal and low stay quiet.
#[component]
pub fn PriorityMark(priority: Priority) -> Element {
    match priority {
        Priority::Urgent => rsx! { span { class: "badge badge-bad", "Urgent" } },
        Priority::High => rsx! { span { class: "badge badge-warn", "High" } },
        p => rsx! { span { class: "muted", "{p.label()}" } },
    }
}

#[component]
pub fn OrderList(query: ReadSignal<OrderQuery>) -> Element {
    let page = use_loader(move || list_orders(query()))?;
    let can_write = WRITE.allows(use_me()().role);
    let q_now = use_memo(move || query().q);
    let search = move |text: String| {
        navigator().replace(
            (OrderQuery {
                q: text,
                ..query.peek().first_page()
            })
            .route(),
        );
    };
    // Every filter starts the list again from its first page.
    let refilter = move |change: &dyn Fn(&mut OrderQuery)| {
        let mut q = query.peek().first_page();
        change(&mut q);
        navigator().push(q.route());
    };
    let q = query();
    let p = page();
    let client_name = q
        .client
        .and_then(|id| p.rows.iter().find(|r| r.client_id == id))
        .map(|r| r.client_name.clone());
    rsx! {
        document::Title { "Orders · Sales" }
        div { class: "page-header",
            div {
                h1 { "Orders" }
                p { class: "muted", "Sales orders from draft to delivery." }
            }
            div { class: "actions",
                // The whole list in its filters, whatever page is on screen.
                ExportMenu { what: ExportWhat::Orders, query: q.first_page().to_string(), formats: ExportFormat::ALL.to_vec() }
                if can_write {
                    Link { class: "btn btn-primary", id: "new-order", to: Route::OrderNew { client: None, from: None }, "New order" }
                }
            }
        }
        div { class: "toolbar",
            SearchBox {
                value: q_now,
                placeholder: "Order number, e.g. 42 or SO-2026-0004",
                label: "Search order numbers",
                on_search: search,
            }
            FilterFold { active: q.active_filters(),
                FilterSelect {
                    value: q.status,
                    name: "status",
                    label: "Status",
                    any: "Any status",
                    on_change: move |status| refilter(&|q| q.status = status),
                }
                FilterSelect {
                    value: q.priority,
                    name: "priority",
                    label: "Priority",
                    any: "Any priority",
                    on_change: move |priority| refilter(&|q| q.priority = priority),
                }
                DateFilter {
                    name: "from",
                    label: "From",
                    value: q.from.clone(),
                    on_change: move |v: String| refilter(&|q| q.from = v.clone()),
                }
                DateFilter {
                    name: "to",
                    label: "To",
                    value: q.to.clone(),
                    on_change: move |v: String| refilter(&|q| q.to = v.clone()),
                }
                SortSelect {
                    value: q.sort,
                    label: "Sort orders",
                    on_change: move |sort| refilter(&|q| q.sort = sort),
                }
                ClientFilter {
                    chosen: q.client.map(|_| client_name.clone()),
                    every: (OrderQuery { client: None, ..q.first_page() }).route(),
                    title: "Show every client's orders",
                    on_pick: move |id| refilter(&|q| q.client = Some(id)),
                }
            }
        }
        Rows { page: p, query: q.clone() }
    }
}

#[component]
fn Rows(page: OrderPage, query: OrderQuery) -> Element {
    if page.rows.is_empty() {
        let filtered = query.first_page() != OrderQuery::default();
        return rsx! {
            div { class: "card empty-state", id: "orders-empty",
                if filtered {
                    h2 { "No order matches" }
                    Link { class: "btn", to: OrderQuery::default().route(), "Show all orders" }
                } else {
                    h2 { "No orders yet" }
                    p { class: "muted", "Orders you enter appear here, newest first." }
                }
            }
        };
    }
    rsx! {
        OrderTable { rows: page.rows }
        Pager {
            id: "orders-total",
            total: page.total,
            capped: page.total_capped,
            prev: page.prev,
            next: page.next,
            one: "order",
            many: "orders",
            query,
        }
    }
}

/// Orders as a table; `client` off on a client's own page, where every row is theirs.
#[component]
fn OrderTable(rows: Vec<OrderRow>, #[props(default = true)] client: bool) -> Element {
    let business = use_business();
    rsx! {
        div { class: "card table-card",
            table { class: "table", id: "orders-table",
                thead {
                    tr {
                        th { "Order" }
                        if client {
                            th { class: "hide-sm", "Client" }
                        }
                        th { "Status" }
                        th { class: "hide-md", "Priority" }
                        th { class: "hide-md", "Requested" }
                        th { class: "num", "Total" }
                        th { class: "hide-sm", "Date" }
                    }
                }
                tbody {
                    for o in rows {
                        tr { key: "{o.id}", "data-number": "{o.number}",
                            td { class: "primary",
                                Link { to: Route::OrderDetail { id: o.id }, "{o.number}" }
                                if client {
                                    span { class: "sub show-sm", "{o.client_name}" }
                                }
                            }
                            if client {
                                td { "data-label": "Client", class: "hide-sm", "{o.client_name}" }
                            }
                            td { "data-label": "Status", StatusBadge { status: o.status } }
                            td { "data-label": "Priority", class: "hide-md", PriorityMark { priority: o.priority } }
                            td { "data-label": "Requested", class: "nowrap hide-md",
                                if let Some(d) = o.requested_date { "{d}" }
                            }
                            td { "data-label": "Total", class: "num", "{business.money(o.total)}" }
                            td { "data-label": "Date", class: "nowrap hide-sm", "{business.zone.date(&o.created_at)}" }
                        }
                    }
                }
            }
        }
    }
}

/// A client's orders, newest first, for the client page.
#[component]
pub fn ClientOrders(client: i64) -> Element {
    let page = use_loader(move || list_orders(OrderQuery::for_client(client)))?;
    let p = page();
    let all = OrderQuery::for_client(client).route();
    rsx! {
        if p.rows.is_empty() {
            p { class: "muted", "No orders for this client yet." }
        } else {
            OrderTable { rows: p.rows, client: false }
            if p.next.is_some() {
                Link { class: "btn btn-small", id: "client-all-orders", to: all,
                    if p.total_capped { "All {p.total}+ orders →" } else { "All {p.total} orders →" }
                }
            }
        }
    }
}
