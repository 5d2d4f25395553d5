//! The payments and receivables page: payments received by period and method (chart, table,
//! totals), the receivables aging as of the period's last day, and the clients with the most
//! overdue, each a link to their open invoices.

use dioxus::prelude::*;

use super::filters_view::{PeriodRow, ReportFilters, Tile};
use super::{PaymentsReport, PaymentsRow, ReportQuery, chart::BarChart, payments_report};
use crate::app::Route;
use crate::business::use_business;
use crate::choice::Choice;
use crate::exports::{ExportFormat, ExportWhat};
use crate::invoices::{BUCKETS, InvoiceFilter, InvoiceQuery};
use crate::paging::PageQuery;
use crate::ui::filtered::use_filtered;

#[component]
pub fn PaymentsReportPage(query: ReadSignal<ReportQuery>) -> Element {
    let loaded = use_filtered(query, payments_report)?;
    let result = loaded();
    rsx! {
        document::Title { "Payments · Reports" }
        ReportFilters {
            title: "Payments and receivables",
            about: "Payments by the day they were paid; what was owed on the period's last day.",
            what: ExportWhat::PaymentsReport,
            query,
            route: |q| Route::PaymentsReport { query: q },
            problems: result.as_ref().err().cloned(),
            names: (result.as_ref().ok().and_then(|r| r.client.clone()), None),
            dates: result.as_ref().ok().map(|r| (r.from, r.to)),
            formats: ExportFormat::ALL.to_vec(),
        }
        if let Ok(r) = result {
            Report { report: r }
        }
    }
}

#[component]
fn Report(report: PaymentsReport) -> Element {
    let business = use_business();
    let money = {
        let business = business.clone();
        Callback::new(move |cents: i64| business.money(crate::money::Money(cents)))
    };
    let labels: Vec<String> = report.rows.iter().map(|r| r.label.clone()).collect();
    let bars: Vec<i64> = report.rows.iter().map(|r| r.total.0).collect();
    let past_due = report.outstanding.0 - report.buckets[0].0;
    rsx! {
        div { class: "report-tiles",
            Tile { id: "payments-received", label: "Received", value: business.money(report.totals.total) }
            Tile { id: "payments-count", label: "Payments", value: report.totals.count.to_string() }
            Tile { id: "payments-outstanding", label: "Outstanding on {report.as_of}", value: business.money(report.outstanding) }
            Tile { id: "payments-overdue", label: "Overdue on {report.as_of}", value: business.money(crate::money::Money(past_due)) }
        }
        div { class: "card",
            BarChart {
                id: "payments-chart",
                title: "Payments received by period",
                labels,
                bars,
                bar_name: "Received",
                line: None,
                line_name: None,
                format: money,
            }
        }
        div { class: "card table-card",
            table { class: "table", id: "payments-table",
                thead {
                    tr {
                        th { "Period" }
                        for m in report.methods.iter() {
                            th { class: "num", "{m.label()}" }
                        }
                        th { class: "num", "Payments" }
                        th { class: "num", "Total" }
                    }
                }
                tbody {
                    for r in report.rows.iter() {
                        PeriodRow { key: "{r.start}", label: r.label.clone(), head: false, cells: cells(r, &report.methods, &business) }
                    }
                }
                tfoot {
                    PeriodRow { label: report.totals.label.clone(), head: true, cells: cells(&report.totals, &report.methods, &business) }
                }
            }
        }
        div { class: "report-columns",
            section { class: "card table-card", id: "payments-aging",
                h2 { "Owed on {report.as_of}" }
                table { class: "table",
                    tbody {
                        for (name, amount) in BUCKETS.iter().zip(report.buckets.iter()) {
                            tr {
                                td { "{name}" }
                                td { class: "num", "{business.money(*amount)}" }
                            }
                        }
                    }
                    tfoot {
                        tr {
                            th { "Total" }
                            th { class: "num", id: "aging-outstanding", "{business.money(report.outstanding)}" }
                        }
                    }
                }
                Link { class: "btn btn-small", to: Route::Aging { as_of: report.as_of.to_string() }, "Aging by client" }
            }
            section { class: "card table-card", id: "payments-overdue-clients",
                h2 { "Most overdue" }
                if report.overdue.is_empty() {
                    p { class: "muted", "Nothing was overdue." }
                } else {
                    table { class: "table",
                        thead {
                            tr {
                                th { "Client" }
                                th { class: "num", "Overdue" }
                                th { class: "num", "Over 90 days" }
                            }
                        }
                        tbody {
                            for c in report.overdue.iter() {
                                tr { key: "{c.id}",
                                    td { class: "primary",
                                        Link {
                                            to: (InvoiceQuery { client: Some(c.id), status: Some(InvoiceFilter::Overdue), ..InvoiceQuery::default() }).route(),
                                            "{c.name}"
                                        }
                                    }
                                    td { class: "num", "data-label": "Overdue", "{business.money(c.overdue)}" }
                                    td { class: "num", "data-label": "Over 90 days", "{business.money(c.over_90)}" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A period's payments as the table shows them: by method, their count and total.
fn cells(
    row: &PaymentsRow,
    methods: &[crate::invoices::PaymentMethod],
    business: &crate::business::Business,
) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = methods
        .iter()
        .zip(row.by_method.iter())
        .map(|(m, amount)| (m.label(), business.money(*amount)))
        .collect();
    out.push(("Payments", row.count.to_string()));
    out.push(("Total", business.money(row.total)));
    out
}
