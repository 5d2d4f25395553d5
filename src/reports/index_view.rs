//! The reports page: the reports this user's role may open, each with what it answers.

use dioxus::prelude::*;

use super::{ORDERS, PAYMENTS, ReportQuery, SALES, STOCK};
use crate::app::Route;
use crate::app::use_me;
use crate::auth::Access;

/// A report as the reports page lists it.
struct Entry {
    title: &'static str,
    what: &'static str,
    access: Access,
    to: fn() -> Route,
}

const REPORTS: &[Entry] = &[
    Entry {
        title: "Sales",
        what: "Invoiced less credit notes by period, client and product; orders booked.",
        access: SALES,
        to: || Route::SalesReport {
            query: ReportQuery::default(),
        },
    },
    Entry {
        title: "Orders and deliveries",
        what: "Orders by period, status and priority; days to delivery; late deliveries.",
        access: ORDERS,
        to: || Route::OrdersReport {
            query: ReportQuery::default(),
        },
    },
    Entry {
        title: "Stock",
        what: "Movements by kind; stock on hand, reserved and available; its worth; low stock.",
        access: STOCK,
        to: || Route::StockReport {
            query: ReportQuery::default(),
        },
    },
    Entry {
        title: "Payments and receivables",
        what: "Payments received by period and method; aging; the clients most overdue.",
        access: PAYMENTS,
        to: || Route::PaymentsReport {
            query: ReportQuery::default(),
        },
    },
];

#[component]
pub fn Reports() -> Element {
    let role = use_me()().role;
    rsx! {
        document::Title { "Reports · Sales" }
        div { class: "page-header",
            div {
                h1 { "Reports" }
                p { class: "muted", "Figures over a period, on the business's calendar." }
            }
        }
        div { class: "report-list",
            for r in REPORTS.iter().filter(|r| r.access.allows(role)) {
                Link { class: "card report-link", to: (r.to)(),
                    h2 { "{r.title}" }
                    p { class: "muted", "{r.what}" }
                }
            }
        }
    }
}
