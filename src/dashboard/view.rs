//! The dashboard page: a tile per figure the role may see, each a link to the report that
//! shows the same figure; the twelve-month sales chart; and the system status.

use dioxus::prelude::*;

use super::{Figures, SystemInfo, dashboard_figures, system_info};
use crate::app::Route;
use crate::business::use_business;
use crate::deliveries::BoardQuery;
use crate::orders::short_view::ShortList;
use crate::reports::chart::BarChart;
use crate::reports::{Grouping, ORDERS, ReportQuery};
use crate::ui::toast::use_toasts;

#[component]
pub fn Dashboard() -> Element {
    let info = use_loader(system_info)?;
    let figures = use_loader(dashboard_figures)?;
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
                p { class: "muted", "Your sales at a glance; each figure opens its report." }
            }
        }
        Tiles { figures: figures() }
        div { class: "cards",
            StatusCard { info: info() }
            section { class: "card",
                h2 { "Connection" }
                p { "Checks the server and its database from this browser." }
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

#[component]
fn Tiles(figures: Figures) -> Element {
    let business = use_business();
    let role = crate::app::use_me()().role;
    let today = figures.today.to_string();
    let money = {
        let business = business.clone();
        Callback::new(move |cents: i64| business.money(crate::money::Money(cents)))
    };
    let (labels, bars): (Vec<String>, Vec<i64>) = figures.chart.iter().cloned().unzip();
    // Deliveries open in the orders report for those who may open it, else on the board.
    let deliveries_at = match ORDERS.allows(role) {
        true => Route::OrdersReport {
            query: ReportQuery::default(),
        },
        false => Route::DeliveryBoard {
            query: BoardQuery::default(),
        },
    };
    rsx! {
        div { class: "report-tiles dashboard-tiles",
            if let Some(s) = figures.sales.clone() {
                LinkTile {
                    id: "tile-sales",
                    label: "Net sales this month",
                    value: business.money(s.this_month),
                    note: format!("last month {}", business.money(s.last_month)),
                    to: Route::SalesReport { query: ReportQuery { from: s.last_from.to_string(), to: today.clone(), by: Grouping::Month, ..ReportQuery::default() } },
                }
            }
            if let Some((n, value)) = figures.orders {
                LinkTile {
                    id: "tile-orders",
                    label: "Open orders",
                    value: n.to_string(),
                    note: business.money(value),
                    to: Route::OrdersReport { query: ReportQuery::default() },
                }
            }
            if let Some((due, late)) = figures.deliveries {
                LinkTile {
                    id: "tile-deliveries",
                    label: "Deliveries due today",
                    value: due.to_string(),
                    note: format!("{late} late"),
                    to: deliveries_at,
                }
            }
            if let Some((outstanding, overdue)) = figures.receivables {
                LinkTile {
                    id: "tile-receivables",
                    label: "Outstanding",
                    value: business.money(outstanding),
                    note: format!("{} overdue", business.money(overdue)),
                    to: Route::PaymentsReport { query: ReportQuery::default() },
                }
            }
            if let Some(n) = figures.low_stock {
                LinkTile {
                    id: "tile-low-stock",
                    label: "Low on stock",
                    value: n.to_string(),
                    note: "products".to_string(),
                    to: Route::StockReport { query: ReportQuery::default() },
                }
            }
        }
        if !figures.short.is_empty() {
            section { class: "card", id: "dashboard-short",
                h2 { "Waiting for lost stock" }
                p { class: "muted", "Stock these orders held was broken or lost; they are reserved again as stock arrives." }
                ShortList { lines: figures.short.clone() }
            }
        }
        if !labels.is_empty() {
            section { class: "card",
                BarChart {
                    id: "dashboard-chart",
                    title: "Net sales, last twelve months",
                    labels,
                    bars,
                    bar_name: "Net sales",
                    line: None,
                    line_name: None,
                    format: money,
                }
                Link { class: "btn btn-small", to: Route::SalesReport { query: ReportQuery::default() }, "Sales report" }
            }
        }
    }
}

/// A figure that opens its report.
#[component]
fn LinkTile(id: String, label: String, value: String, note: String, to: Route) -> Element {
    rsx! {
        Link { class: "tile tile-link", id: "{id}", to,
            span { class: "tile-label", "{label}" }
            strong { class: "tile-value", "{value}" }
            span { class: "tile-note", "{note}" }
        }
    }
}
