//! Receivables aging: what each client owes as of a day (today by default, in the URL), by
//! how far past due, with totals that match the invoice list's outstanding figure.

use dioxus::prelude::*;

use super::{AgingQuery, BUCKETS, InvoiceFilter, InvoiceQuery, invoice_aging};
use crate::app::Route;
use crate::business::use_business;
use crate::paging::PageQuery;

#[component]
pub fn Aging(as_of: ReadSignal<String>) -> Element {
    let report = use_loader(move || invoice_aging(AgingQuery { as_of: as_of() }))?;
    let business = use_business();
    let r = report();
    rsx! {
        document::Title { "Aging · Invoices" }
        div { class: "page-header",
            div {
                p { class: "crumbs",
                    Link { to: Route::InvoiceList { query: Default::default() }, "Invoices" }
                }
                h1 { "Receivables aging" }
                p { class: "muted", "What each client owed on {r.as_of}, by days past due." }
            }
        }
        div { class: "toolbar",
            label { class: "date-filter",
                span { "As of" }
                input {
                    r#type: "date",
                    name: "as_of",
                    value: "{r.as_of}",
                    onchange: move |e: FormEvent| {
                        navigator().push(Route::Aging { as_of: e.value() });
                    },
                }
            }
        }
        if r.rows.is_empty() {
            div { class: "card empty-state", id: "aging-empty",
                h2 { "Nothing was due" }
            }
        } else {
            div { class: "card table-card",
                table { class: "table", id: "aging-table",
                    thead {
                        tr {
                            th { "Client" }
                            for b in BUCKETS {
                                th { class: "num", "{b}" }
                            }
                            th { class: "num", "Total" }
                        }
                    }
                    tbody {
                        for row in r.rows.iter() {
                            tr { key: "{row.client_id}",
                                td { class: "primary",
                                    Link {
                                        to: (InvoiceQuery { client: Some(row.client_id), status: Some(InvoiceFilter::Open), ..InvoiceQuery::default() }).route(),
                                        "{row.client_name}"
                                    }
                                }
                                for (n, b) in row.buckets.iter().enumerate() {
                                    td { class: "num", "data-label": BUCKETS[n], "{business.money(*b)}" }
                                }
                                td { class: "num", "data-label": "Total", "{business.money(row.total)}" }
                            }
                        }
                    }
                    tfoot {
                        tr { id: "aging-totals",
                            th { "Total" }
                            for b in r.totals.iter() {
                                th { class: "num", "{business.money(*b)}" }
                            }
                            th { class: "num", id: "aging-total", "{business.money(r.total)}" }
                        }
                    }
                }
            }
        }
    }
}
