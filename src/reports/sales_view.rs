//! The sales report page: period, grouping, client and product in the URL; net sales by
//! period as a chart and a table with its totals; the clients and products that sold most,
//! each a link that narrows the report to it.

use dioxus::prelude::*;

use super::filters_view::{PeriodRow, ReportFilters, Tile};
use super::{RankedRow, ReportQuery, SalesReport, SalesRow, chart::BarChart, sales_report};
use crate::app::Route;
use crate::business::use_business;
use crate::choice::Choice;
use crate::exports::{ExportFormat, ExportWhat};
use crate::ui::filtered::use_filtered;

#[component]
pub fn SalesReportPage(query: ReadSignal<ReportQuery>) -> Element {
    let loaded = use_filtered(query, sales_report)?;
    let result = loaded();
    rsx! {
        document::Title { "Sales · Reports" }
        ReportFilters {
            title: "Sales",
            about: "Invoiced less credit notes, by issue date; orders booked by the day they were entered.",
            what: ExportWhat::SalesReport,
            query,
            route: |q| Route::SalesReport { query: q },
            problems: result.as_ref().err().cloned(),
            names: result.as_ref().ok().map(|r| (r.client.clone(), r.product.clone())).unwrap_or_default(),
            dates: result.as_ref().ok().map(|r| (r.from, r.to)),
            formats: ExportFormat::ALL.to_vec(),
        }
        if let Ok(r) = result {
            Report { report: r, query: query() }
        }
    }
}

#[component]
fn Report(report: SalesReport, query: ReportQuery) -> Element {
    let business = use_business();
    let money = {
        let business = business.clone();
        Callback::new(move |cents: i64| business.money(crate::money::Money(cents)))
    };
    let labels: Vec<String> = report.rows.iter().map(|r| r.label.clone()).collect();
    let bars: Vec<i64> = report.rows.iter().map(|r| r.net.0).collect();
    let booked: Vec<i64> = report.rows.iter().map(|r| r.booked.0).collect();
    let t = &report.totals;
    let (by_client, by_product) = (query.clone(), query.clone());
    rsx! {
        div { class: "report-tiles",
            Tile { id: "sales-net", label: "Net sales", value: business.money(t.net) }
            Tile { id: "sales-credited", label: "Credit notes", value: business.money(t.credited) }
            Tile { id: "sales-total", label: "Total with tax", value: business.money(t.total) }
            Tile { id: "sales-booked", label: "Orders booked", value: format!("{} · {}", t.orders, business.money(t.booked)) }
        }
        div { class: "card",
            BarChart {
                id: "sales-chart",
                title: "Net sales by period",
                labels,
                bars,
                bar_name: "Net sales",
                line: Some(booked),
                line_name: Some("Orders booked".to_string()),
                format: money,
            }
        }
        div { class: "card table-card",
            table { class: "table", id: "sales-table",
                thead {
                    tr {
                        th { "Period" }
                        th { class: "num", "Invoiced" }
                        th { class: "num", "Credit notes" }
                        th { class: "num", "Net sales" }
                        th { class: "num", "Tax" }
                        th { class: "num", "Total" }
                        th { class: "num", "Orders" }
                        th { class: "num", "Booked" }
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
            RankedTable {
                id: "sales-clients",
                title: "Clients",
                what: "clients",
                ranked: report.clients.clone(),
                quantity: false,
                narrow: move |id| Route::SalesReport { query: ReportQuery { client: Some(id), ..by_client.clone() } },
            }
            RankedTable {
                id: "sales-products",
                title: "Products",
                what: "products",
                ranked: report.products.clone(),
                quantity: true,
                narrow: move |id| Route::SalesReport { query: ReportQuery { product: Some(id), ..by_product.clone() } },
            }
        }
    }
}

/// A period's figures as the table shows them.
fn cells(row: &SalesRow, business: &crate::business::Business) -> Vec<(&'static str, String)> {
    vec![
        ("Invoiced", business.money(row.invoiced)),
        ("Credit notes", business.money(row.credited)),
        ("Net sales", business.money(row.net)),
        ("Tax", business.money(row.tax)),
        ("Total", business.money(row.total)),
        ("Orders", row.orders.to_string()),
        ("Booked", business.money(row.booked)),
    ]
}

#[component]
fn RankedTable(
    id: String,
    title: String,
    what: String,
    ranked: super::Ranked,
    quantity: bool,
    narrow: Callback<i64, Route>,
) -> Element {
    let business = use_business();
    let shown = ranked.rows.len();
    rsx! {
        section { class: "card table-card", id: "{id}",
            h2 { "{title}" }
            if ranked.rows.is_empty() {
                p { class: "muted", "No {what} sold in this period." }
            } else {
                p { class: "muted", "The first {shown} of {ranked.count} {what} by net sales." }
                table { class: "table",
                    thead {
                        tr {
                            th { "Name" }
                            if quantity {
                                th { class: "num", "Quantity" }
                            }
                            th { class: "num", "Net sales" }
                            th { class: "num", "Total" }
                        }
                    }
                    tbody {
                        for r in ranked.rows.iter().cloned() {
                            RankedLine { key: "{r.id}", row: r.clone(), quantity, to: narrow.call(r.id), money: business.money(r.net), total: business.money(r.total) }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn RankedLine(row: RankedRow, quantity: bool, to: Route, money: String, total: String) -> Element {
    rsx! {
        tr {
            td { class: "primary", Link { to, "{row.name}" } }
            if quantity {
                td { class: "num", "data-label": "Quantity", "{row.quantity}" }
            }
            td { class: "num", "data-label": "Net sales", "{money}" }
            td { class: "num", "data-label": "Total", "{total}" }
        }
    }
}
