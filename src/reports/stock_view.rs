//! The stock report page: units received and shipped by period (chart, table, totals), the
//! stock now and its worth, the products low on stock (each a link to its page) and those
//! worth most.

use dioxus::prelude::*;

use super::filters_view::{PeriodRow, ReportFilters, Tile};
use super::{ReportQuery, StockLine, StockReport, StockRow, chart::BarChart, stock_report};
use crate::app::Route;
use crate::business::use_business;
use crate::choice::Choice;
use crate::exports::{ExportFormat, ExportWhat};
use crate::paging::PageQuery;
use crate::stock::StockQuery;
use crate::ui::filtered::use_filtered;

#[component]
pub fn StockReportPage(query: ReadSignal<ReportQuery>) -> Element {
    let loaded = use_filtered(query, stock_report)?;
    let result = loaded();
    rsx! {
        document::Title { "Stock · Reports" }
        ReportFilters {
            title: "Stock",
            about: "Movements by the day they were recorded; stock and its worth as of now.",
            what: ExportWhat::StockReport,
            query,
            route: |q| Route::StockReport { query: q },
            problems: result.as_ref().err().cloned(),
            names: (None, result.as_ref().ok().and_then(|r| r.product.clone())),
            dates: result.as_ref().ok().map(|r| (r.from, r.to)),
            formats: ExportFormat::ALL.to_vec(),
            client_filter: false,
        }
        if let Ok(r) = result {
            Report { report: r }
        }
    }
}

#[component]
fn Report(report: StockReport) -> Element {
    let business = use_business();
    let count = Callback::new(move |n: i64| n.to_string());
    let labels: Vec<String> = report.rows.iter().map(|r| r.label.clone()).collect();
    let bars: Vec<i64> = report.rows.iter().map(|r| r.received).collect();
    let shipped: Vec<i64> = report.rows.iter().map(|r| r.shipped).collect();
    let low_list = StockQuery {
        low: true,
        ..StockQuery::default()
    }
    .route();
    rsx! {
        div { class: "report-tiles",
            Tile { id: "stock-on-hand", label: "On hand · reserved", value: format!("{} · {}", report.on_hand, report.reserved) }
            Tile { id: "stock-available", label: "Available", value: report.available.to_string() }
            Tile { id: "stock-at-price", label: "Worth at unit price", value: business.money(report.at_price) }
            Tile { id: "stock-at-cost", label: "Worth at last receipt cost", value: business.money(report.at_cost) }
            Tile { id: "stock-low", label: "Low on stock", value: report.low_count.to_string() }
        }
        if report.uncosted > 0 {
            p { class: "muted", id: "stock-uncosted",
                "{report.uncosted} products in stock have no receipt cost and are left out of the worth at cost."
            }
        }
        div { class: "card",
            BarChart {
                id: "stock-chart",
                title: "Units received and shipped by period",
                labels,
                bars,
                bar_name: "Received",
                line: Some(shipped),
                line_name: Some("Shipped".to_string()),
                format: count,
            }
        }
        div { class: "card table-card",
            table { class: "table", id: "stock-table",
                thead {
                    tr {
                        th { "Period" }
                        th { class: "num", "Received" }
                        th { class: "num", "Shipped" }
                        th { class: "num", "Adjusted" }
                        th { class: "num", "Reserved" }
                        th { class: "num", "Released" }
                        th { class: "num", "Movements" }
                    }
                }
                tbody {
                    for r in report.rows.iter() {
                        PeriodRow { key: "{r.start}", label: r.label.clone(), head: false, cells: cells(r) }
                    }
                }
                tfoot {
                    PeriodRow { label: report.totals.label.clone(), head: true, cells: cells(&report.totals) }
                }
            }
        }
        div { class: "report-columns",
            Products {
                id: "stock-low-products",
                title: "Low on stock",
                empty: "No product is at or below its reorder level.",
                lines: report.low.clone(),
                more: (report.low_count > report.low.len() as i64).then(|| (report.low_count, low_list.clone())),
            }
            Products {
                id: "stock-top-products",
                title: "Worth most",
                empty: "No product is in stock.",
                lines: report.top.clone(),
                more: None,
            }
        }
    }
}

/// A period's figures as the table shows them.
fn cells(row: &StockRow) -> Vec<(&'static str, String)> {
    [
        ("Received", row.received),
        ("Shipped", row.shipped),
        ("Adjusted", row.adjusted),
        ("Reserved", row.reserved),
        ("Released", row.released),
        ("Movements", row.movements),
    ]
    .into_iter()
    .map(|(name, n)| (name, n.to_string()))
    .collect()
}

#[component]
fn Products(
    id: String,
    title: String,
    empty: String,
    lines: Vec<StockLine>,
    /// All of them, and where the list shows them, when not all are here.
    more: Option<(i64, Route)>,
) -> Element {
    let business = use_business();
    rsx! {
        section { class: "card table-card", id: "{id}",
            h2 { "{title}" }
            if lines.is_empty() {
                p { class: "muted", "{empty}" }
            } else {
                table { class: "table",
                    thead {
                        tr {
                            th { "Product" }
                            th { class: "num", "Available" }
                            th { class: "num", "Reorder at" }
                            th { class: "num", "Worth at price" }
                        }
                    }
                    tbody {
                        for l in lines.iter() {
                            tr { key: "{l.id}", "data-sku": "{l.sku}",
                                td { class: "primary", Link { to: Route::ProductDetail { id: l.id }, "{l.sku} · {l.name}" } }
                                td { class: "num", "data-label": "Available", "{l.available}" }
                                td { class: "num", "data-label": "Reorder at", "{l.reorder_level}" }
                                td { class: "num", "data-label": "Worth at price", "{business.money(l.at_price)}" }
                            }
                        }
                    }
                }
                if let Some((all, to)) = more {
                    Link { class: "btn btn-small", to, "All {all} in the stock list" }
                }
            }
        }
    }
}
