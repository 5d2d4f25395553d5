//! The stock page: products with on hand, reserved and available; low stock highlighted and
//! filterable; search by SKU or name; sorted; paged; all of it in the URL.

use dioxus::prelude::*;

use super::{StockPage, StockQuery, WRITE, list_stock, low_stock_count};
use crate::app::{Route, use_me};
use crate::paging::PageQuery;
use crate::ui::pager::Pager;
use crate::ui::search::SearchBox;
use crate::ui::select::SortSelect;

#[component]
pub fn StockList(query: ReadSignal<StockQuery>) -> Element {
    let page = use_loader(move || list_stock(query()))?;
    // Follows the list (a receipt elsewhere may change it): reloaded with each navigation.
    let low_count = use_loader(move || {
        let _ = query();
        low_stock_count()
    })?;
    let can_write = WRITE.allows(use_me()().role);
    let q_now = use_memo(move || query().q);
    // Replace, not push: the back button should not replay every keystroke.
    let search = move |text: String| {
        navigator().replace(
            (StockQuery {
                q: text,
                ..query.peek().first_page()
            })
            .route(),
        );
    };
    let q = query();
    let p = page();
    let low_only = StockQuery {
        low: !q.low,
        ..q.first_page()
    };
    rsx! {
        document::Title { "Stock · Sales" }
        div { class: "page-header",
            div {
                h1 { "Stock" }
                p { class: "muted", "On hand, reserved for orders, and what is left to sell." }
            }
            if can_write {
                div { class: "actions",
                    Link { class: "btn btn-primary", id: "new-product", to: Route::ProductNew {}, "New product" }
                }
            }
        }
        div { class: "toolbar",
            SearchBox {
                value: q_now,
                placeholder: "Search SKU or name",
                label: "Search products",
                on_search: search,
            }
            Link {
                class: if q.low { "btn btn-warn active" } else { "btn" },
                id: "low-filter",
                to: low_only.route(),
                "Low stock only ({low_count})"
            }
            SortSelect {
                value: q.sort,
                label: "Sort products",
                on_change: move |sort| {
                    navigator().push((StockQuery { sort, ..query.peek().first_page() }).route());
                },
            }
        }
        Rows { page: p, query: q }
    }
}

#[component]
fn Rows(page: StockPage, query: StockQuery) -> Element {
    if page.rows.is_empty() {
        return rsx! {
            div { class: "card empty-state", id: "stock-empty",
                if !query.q.is_empty() || query.low {
                    h2 { "No product matches" }
                    Link { class: "btn", to: StockQuery::default().route(), "Show all products" }
                } else {
                    h2 { "No products yet" }
                    p { class: "muted", "Add products, then receive stock against them." }
                }
            }
        };
    }
    rsx! {
        div { class: "card table-card",
            table { class: "table", id: "stock-table",
                thead {
                    tr {
                        th { "Product" }
                        th { class: "hide-sm", "SKU" }
                        th { class: "num hide-sm", "On hand" }
                        th { class: "num hide-sm", "Reserved" }
                        th { class: "num", "Available" }
                        th { class: "num hide-md", "Reorder at" }
                    }
                }
                tbody {
                    for p in page.rows {
                        tr { key: "{p.id}", class: if p.is_low() { "low" }, "data-sku": "{p.sku}",
                            td { class: "primary",
                                Link { to: Route::ProductDetail { id: p.id }, "{p.name}" }
                                span { class: "sub show-sm", "{p.sku}" }
                            }
                            td { "data-label": "SKU", class: "nowrap hide-sm", "{p.sku}" }
                            td { "data-label": "On hand", class: "num hide-sm", "{p.on_hand}" }
                            td { "data-label": "Reserved", class: "num hide-sm", "{p.reserved}" }
                            td { "data-label": "Available", class: "num",
                                "{p.available()} {p.unit}"
                                if p.is_low() {
                                    span { class: "badge badge-warn", "low" }
                                }
                            }
                            td { "data-label": "Reorder at", class: "num hide-md", "{p.reorder_level}" }
                        }
                    }
                }
            }
        }
        Pager {
            id: "stock-total",
            total: page.total,
            capped: page.total_capped,
            prev: page.prev,
            next: page.next,
            one: "product",
            many: "products",
            query,
        }
    }
}

/// The navigation badge: how many products are at or below their reorder level. Fetched after
/// the page shows (it never holds a page up) and again after each navigation.
#[component]
pub fn LowStockBadge() -> Element {
    let route = use_route::<Route>();
    let count = use_resource(use_reactive!(|route| async move {
        let _ = route;
        low_stock_count().await.ok()
    }));
    match *count.read() {
        Some(Some(n)) if n > 0 => rsx! {
            span { class: "nav-badge", id: "low-stock-badge", title: "Products low on stock", "{n}" }
        },
        _ => rsx! {},
    }
}
