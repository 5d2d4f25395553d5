//! The delivery board: open deliveries, late ones first and marked, then by the order's
//! priority and the date; filters for status, days, driver and client, and a "Today" view for
//! drivers, all in the URL; keyset pages. Also the status badge and the navigation's count of
//! late deliveries.

use dioxus::prelude::*;

use super::{BoardPage, BoardQuery, BoardRow, DeliveryStatus, late_count, list_deliveries};
use crate::app::Route;
use crate::choice::Choice as _;
use crate::clients::picker::ClientFilter;
use crate::orders::list_view::PriorityMark;
use crate::paging::PageQuery;
use crate::ui::pager::Pager;
use crate::ui::search::SearchBox;
use crate::ui::select::FilterSelect;

/// The status as a coloured badge.
#[component]
pub fn DeliveryBadge(status: DeliveryStatus) -> Element {
    let tone = match status {
        DeliveryStatus::Scheduled => "badge",
        DeliveryStatus::OutForDelivery => "badge badge-info",
        DeliveryStatus::Delivered => "badge badge-ok",
        DeliveryStatus::Failed => "badge badge-warn",
        DeliveryStatus::Cancelled => "badge badge-bad",
    };
    rsx! {
        span { class: "{tone}", "data-status": status.as_str(), "{status.label()}" }
    }
}

/// The navigation badge: how many open deliveries are past their date. Fetched again on
/// each page change.
#[component]
pub fn LateBadge() -> Element {
    let route = use_route::<Route>();
    let count = use_resource(use_reactive!(|route| async move {
        let _ = route;
        late_count().await.ok()
    }));
    match *count.read() {
        Some(Some(n)) if n > 0 => rsx! {
            span { class: "nav-badge", id: "late-deliveries-badge", title: "Late deliveries", "{n}" }
        },
        _ => rsx! {},
    }
}

#[component]
pub fn DeliveryBoard(query: ReadSignal<BoardQuery>) -> Element {
    let page = use_loader(move || list_deliveries(query()))?;
    let driver_now = use_memo(move || query().driver);
    let refilter = move |change: &dyn Fn(&mut BoardQuery)| {
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
    let title = if q.today {
        "Today's deliveries"
    } else {
        "Deliveries"
    };
    rsx! {
        document::Title { "{title} · Sales" }
        div { class: "page-header",
            div {
                h1 { "{title}" }
                p { class: "muted", "Late first, then by priority and date." }
            }
            div { class: "actions",
                Link {
                    class: if q.today { "btn active" } else { "btn" },
                    id: "board-today",
                    to: (BoardQuery { today: !q.today, ..q.first_page() }).route(),
                    "Today"
                }
            }
        }
        div { class: "toolbar",
            SearchBox {
                value: driver_now,
                placeholder: "Driver or carrier",
                label: "Driver or carrier",
                on_search: move |driver: String| {
                    navigator().replace((BoardQuery { driver, ..query.peek().first_page() }).route());
                },
            }
            FilterSelect {
                value: q.status,
                name: "status",
                label: "Status",
                any: "Open (not delivered)",
                on_change: move |status| refilter(&|q| q.status = status),
            }
            if !q.today {
                label { class: "date-filter",
                    span { "From" }
                    input { r#type: "date", name: "from", value: "{q.from}", onchange: move |e: FormEvent| refilter(&|q| q.from = e.value()) }
                }
                label { class: "date-filter",
                    span { "To" }
                    input { r#type: "date", name: "to", value: "{q.to}", onchange: move |e: FormEvent| refilter(&|q| q.to = e.value()) }
                }
            }
            ClientFilter {
                chosen: q.client.map(|_| client_name.clone()),
                every: (BoardQuery { client: None, ..q.first_page() }).route(),
                title: "Show every client's deliveries",
                on_pick: move |id| refilter(&|q| q.client = Some(id)),
            }
        }
        Rows { page: p, query: q.clone() }
    }
}

#[component]
fn Rows(page: BoardPage, query: BoardQuery) -> Element {
    if page.rows.is_empty() {
        let filtered = query.first_page() != BoardQuery::default();
        return rsx! {
            div { class: "card empty-state", id: "deliveries-empty",
                if filtered {
                    h2 { "No delivery matches" }
                    Link { class: "btn", to: BoardQuery::default().route(), "Show open deliveries" }
                } else {
                    h2 { "Nothing to deliver" }
                    p { class: "muted", "Deliveries scheduled from an order's page appear here." }
                }
            }
        };
    }
    rsx! {
        div { class: "card table-card",
            table { class: "table", id: "deliveries-table",
                thead {
                    tr {
                        th { "Delivery" }
                        th { "Date" }
                        th { "Status" }
                        th { class: "hide-md", "Priority" }
                        th { class: "hide-sm", "Client" }
                        th { class: "hide-md", "Address" }
                        th { class: "hide-sm", "Driver" }
                    }
                }
                tbody {
                    for d in page.rows.iter() {
                        Row { key: "{d.id}", d: d.clone() }
                    }
                }
            }
        }
        Pager {
            id: "deliveries-total",
            total: page.total,
            capped: page.total_capped,
            prev: page.prev,
            next: page.next,
            one: "delivery",
            many: "deliveries",
            query,
        }
    }
}

#[component]
fn Row(d: BoardRow) -> Element {
    let window = match (&d.window_from, &d.window_to) {
        (Some(f), Some(t)) => format!("{f}–{t}"),
        _ => String::new(),
    };
    rsx! {
        tr { class: if d.late { "late" }, "data-number": "{d.number}",
            td { class: "primary",
                Link { to: Route::DeliveryDetail { id: d.id }, "{d.number}" }
                span { class: "sub",
                    Link { to: Route::OrderDetail { id: d.order_id }, "{d.order_number}" }
                }
                span { class: "sub show-sm", "{d.client_name}" }
            }
            td { "data-label": "Date", class: "nowrap",
                "{d.scheduled_date}"
                if !window.is_empty() {
                    span { class: "sub", "{window}" }
                }
                if d.late {
                    span { class: "badge badge-bad late-mark", "Late" }
                }
            }
            td { "data-label": "Status", DeliveryBadge { status: d.status } }
            td { "data-label": "Priority", class: "hide-md", PriorityMark { priority: d.priority } }
            td { "data-label": "Client", class: "hide-sm", "{d.client_name}" }
            td { "data-label": "Address", class: "hide-md pre", "{d.address}" }
            td { "data-label": "Driver", class: "hide-sm", "{d.carrier}" }
        }
    }
}
