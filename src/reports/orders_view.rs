//! The orders report page: orders entered by period (chart, table, totals), by status and by
//! priority, each a link to the order list; the time from confirmation to delivery; the
//! late deliveries of the period; and what is open today.

use dioxus::prelude::*;

use super::filters_view::{PeriodRow, ReportFilters, Tile};
use super::{Breakdown, OrdersReport, OrdersRow, ReportQuery, chart::BarChart, orders_report};
use crate::app::Route;
use crate::business::use_business;
use crate::choice::Choice;
use crate::exports::{ExportFormat, ExportWhat};
use crate::orders::{OrderQuery, OrderStatus, Priority};
use crate::paging::PageQuery;
use crate::ui::filtered::use_filtered;

#[component]
pub fn OrdersReportPage(query: ReadSignal<ReportQuery>) -> Element {
    let loaded = use_filtered(query, orders_report)?;
    let result = loaded();
    rsx! {
        document::Title { "Orders · Reports" }
        ReportFilters {
            title: "Orders and deliveries",
            about: "Orders by the day they were entered; deliveries by the day they were scheduled.",
            what: ExportWhat::OrdersReport,
            query,
            route: |q| Route::OrdersReport { query: q },
            problems: result.as_ref().err().cloned(),
            names: result.as_ref().ok().map(|r| (r.client.clone(), r.product.clone())).unwrap_or_default(),
            dates: result.as_ref().ok().map(|r| (r.from, r.to)),
            formats: ExportFormat::ALL.to_vec(),
            status_filter: true,
        }
        if let Ok(r) = result {
            Report { report: r }
        }
    }
}

/// Average days, as shown: "2.5 days", or a dash without delivered orders.
pub fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "—".to_string(), |d| format!("{d:.1} days"))
}

#[component]
fn Report(report: OrdersReport) -> Element {
    let business = use_business();
    let count = Callback::new(move |n: i64| n.to_string());
    let labels: Vec<String> = report.rows.iter().map(|r| r.label.clone()).collect();
    let bars: Vec<i64> = report.rows.iter().map(|r| r.orders).collect();
    let late: Vec<i64> = report.rows.iter().map(|r| r.late).collect();
    let t = &report.totals;
    let list = |q: OrderQuery| q.route();
    rsx! {
        div { class: "report-tiles",
            Tile { id: "orders-entered", label: "Orders entered", value: format!("{} · {}", t.orders, business.money(t.value)) }
            Tile { id: "orders-lead", label: "Confirmation to delivery", value: days(t.lead_days) }
            Tile { id: "orders-open", label: "Open on {report.today}", value: format!("{} · {}", report.open_orders, business.money(report.open_value)) }
            Tile { id: "deliveries-due", label: "Deliveries due {report.today}", value: report.due_today.to_string() }
            Tile { id: "deliveries-late", label: "Deliveries late on {report.today}", value: report.late_now.to_string() }
        }
        div { class: "card",
            BarChart {
                id: "orders-chart",
                title: "Orders entered by period",
                labels,
                bars,
                bar_name: "Orders",
                line: Some(late),
                line_name: Some("Late deliveries".to_string()),
                format: count,
            }
        }
        div { class: "card table-card",
            table { class: "table", id: "orders-table",
                thead {
                    tr {
                        th { "Period" }
                        th { class: "num", "Orders" }
                        th { class: "num", "Value" }
                        th { class: "num", "Delivered" }
                        th { class: "num", "Cancelled" }
                        th { class: "num", "Confirmation to delivery" }
                        th { class: "num", "Deliveries" }
                        th { class: "num", "Late" }
                    }
                }
                tbody {
                    for r in report.rows.iter() {
                        PeriodRow { key: "{r.start}", label: r.label.clone(), head: false, cells: cells(r, &business) }
                    }
                }
                tfoot {
                    PeriodRow { label: report.totals.label.clone(), head: true, cells: cells(&report.totals, &business) }
                }
            }
        }
        div { class: "report-columns",
            BreakdownTable {
                id: "orders-by-status",
                title: "By status",
                rows: report.by_status.clone(),
                to: move |key: String| list(OrderQuery { status: OrderStatus::parse(&key), ..OrderQuery::default() }),
            }
            BreakdownTable {
                id: "orders-by-priority",
                title: "By priority",
                rows: report.by_priority.clone(),
                to: move |key: String| list(OrderQuery { priority: Priority::parse(&key), ..OrderQuery::default() }),
            }
        }
        section { class: "card table-card", id: "orders-late",
            h2 { "Late deliveries" }
            if report.late.is_empty() {
                p { class: "muted", "No delivery of this period was late." }
            } else {
                table { class: "table",
                    thead {
                        tr {
                            th { "Delivery" }
                            th { "Client" }
                            th { "Scheduled" }
                            th { "Delivered" }
                            th { class: "num", "Days late" }
                        }
                    }
                    tbody {
                        for l in report.late.iter() {
                            tr { key: "{l.id}",
                                td { class: "primary", Link { to: Route::DeliveryDetail { id: l.id }, "{l.number}" } }
                                td { "data-label": "Client", "{l.client}" }
                                td { "data-label": "Scheduled", "{l.scheduled}" }
                                td { "data-label": "Delivered", {l.delivered.map_or_else(|| "not yet".to_string(), |d| d.to_string())} }
                                td { class: "num", "data-label": "Days late", "{l.days_late}" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A period's figures as the table shows them.
fn cells(row: &OrdersRow, business: &crate::business::Business) -> Vec<(&'static str, String)> {
    vec![
        ("Orders", row.orders.to_string()),
        ("Value", business.money(row.value)),
        ("Delivered", row.delivered.to_string()),
        ("Cancelled", row.cancelled.to_string()),
        ("Confirmation to delivery", days(row.lead_days)),
        ("Deliveries", row.deliveries.to_string()),
        ("Late", row.late.to_string()),
    ]
}

#[component]
fn BreakdownTable(
    id: String,
    title: String,
    rows: Vec<Breakdown>,
    to: Callback<String, Route>,
) -> Element {
    let business = use_business();
    rsx! {
        section { class: "card table-card", id: "{id}",
            h2 { "{title}" }
            table { class: "table",
                thead {
                    tr {
                        th { "" }
                        th { class: "num", "Orders" }
                        th { class: "num", "Value" }
                    }
                }
                tbody {
                    for b in rows.iter() {
                        tr { key: "{b.key}", "data-key": "{b.key}",
                            td { class: "primary", Link { to: to.call(b.key.clone()), "{b.label}" } }
                            td { class: "num", "data-label": "Orders", "{b.orders}" }
                            td { class: "num", "data-label": "Value", "{business.money(b.value)}" }
                        }
                    }
                }
            }
        }
    }
}
