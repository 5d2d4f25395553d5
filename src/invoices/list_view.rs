//! The invoice list: number search, status (with open and overdue), client, issue and due
//! date ranges, all in the URL; keyset pages and the outstanding total of everything the
//! filters match. Also the status badge and the invoice table the order and client pages
//! share.

use dioxus::prelude::*;

use super::{
    InvoicePage, InvoiceQuery, InvoiceRow, InvoiceStatus, invoices_outstanding, list_invoices,
};
use crate::app::Route;
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::clients::picker::ClientFilter;
use crate::exports::view::ExportMenu;
use crate::exports::{ExportFormat, ExportWhat};
use crate::paging::PageQuery;
use crate::ui::pager::Pager;
use crate::ui::search::SearchBox;
use crate::ui::select::{DateFilter, FilterSelect};

/// The status as a coloured badge, and "Overdue" beside it when it is.
#[component]
pub fn InvoiceBadge(status: InvoiceStatus, overdue: bool) -> Element {
    let tone = match status {
        InvoiceStatus::Draft => "badge",
        InvoiceStatus::Issued => "badge badge-info",
        InvoiceStatus::PartiallyPaid => "badge badge-warn",
        InvoiceStatus::Paid => "badge badge-ok",
        InvoiceStatus::Credited => "badge badge-bad",
    };
    rsx! {
        span { class: "{tone}", "data-status": status.as_str(), "{status.label()}" }
        if overdue {
            span { class: "badge badge-bad overdue-mark", "Overdue" }
        }
    }
}

#[component]
pub fn InvoiceList(query: ReadSignal<InvoiceQuery>) -> Element {
    let page = use_loader(move || list_invoices(query()))?;
    let outstanding = use_resource(move || invoices_outstanding(query()));
    let business = use_business();
    let q_now = use_memo(move || query().q);
    let refilter = move |change: &dyn Fn(&mut InvoiceQuery)| {
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
        document::Title { "Invoices · Sales" }
        div { class: "page-header",
            div {
                h1 { "Invoices" }
                p { class: "muted", "Made from orders; issued, paid and credited." }
            }
            div { class: "actions",
                ExportMenu { what: ExportWhat::Invoices, query: q.first_page().to_string(), formats: ExportFormat::ALL.to_vec() }
                Link { class: "btn", id: "aging-link", to: Route::Aging { as_of: String::new() }, "Aging" }
            }
        }
        div { class: "toolbar",
            SearchBox {
                value: q_now,
                placeholder: "Invoice number, e.g. 17 or INV-2026-0001",
                label: "Search invoice numbers",
                on_search: move |text: String| {
                    navigator().replace((InvoiceQuery { q: text, ..query.peek().first_page() }).route());
                },
            }
            FilterSelect {
                value: q.status,
                name: "status",
                label: "Status",
                any: "Any status",
                on_change: move |status| refilter(&|q| q.status = status),
            }
            DateFilter {
                name: "from",
                label: "Issued from",
                value: q.from.clone(),
                on_change: move |v: String| refilter(&|q| q.from = v.clone()),
            }
            DateFilter {
                name: "to",
                label: "Issued to",
                value: q.to.clone(),
                on_change: move |v: String| refilter(&|q| q.to = v.clone()),
            }
            DateFilter {
                name: "due_from",
                label: "Due from",
                value: q.due_from.clone(),
                on_change: move |v: String| refilter(&|q| q.due_from = v.clone()),
            }
            DateFilter {
                name: "due_to",
                label: "Due to",
                value: q.due_to.clone(),
                on_change: move |v: String| refilter(&|q| q.due_to = v.clone()),
            }
            ClientFilter {
                chosen: q.client.map(|_| client_name.clone()),
                every: (InvoiceQuery { client: None, ..q.first_page() }).route(),
                title: "Show every client's invoices",
                on_pick: move |id| refilter(&|q| q.client = Some(id)),
            }
        }
        p { class: "summary-line", id: "invoices-outstanding",
            "Outstanding: "
            strong {
                match &*outstanding.read() {
                    Some(Ok(m)) => business.money(*m),
                    Some(Err(_)) => "—".to_string(),
                    None => "…".to_string(),
                }
            }
        }
        Rows { page: p, query: q.clone() }
    }
}

#[component]
fn Rows(page: InvoicePage, query: InvoiceQuery) -> Element {
    if page.rows.is_empty() {
        let filtered = query.first_page() != InvoiceQuery::default();
        return rsx! {
            div { class: "card empty-state", id: "invoices-empty",
                if filtered {
                    h2 { "No invoice matches" }
                    Link { class: "btn", to: InvoiceQuery::default().route(), "Show all invoices" }
                } else {
                    h2 { "No invoices yet" }
                    p { class: "muted", "Invoices are made from an order's page, once it is delivered." }
                }
            }
        };
    }
    rsx! {
        InvoiceTable { rows: page.rows }
        Pager {
            id: "invoices-total",
            total: page.total,
            capped: page.total_capped,
            prev: page.prev,
            next: page.next,
            one: "invoice",
            many: "invoices",
            query,
        }
    }
}

/// Invoices as a table: the list, an order's and a client's.
#[component]
pub fn InvoiceTable(rows: Vec<InvoiceRow>) -> Element {
    let business = use_business();
    rsx! {
        div { class: "card table-card",
            table { class: "table", id: "invoices-table",
                thead {
                    tr {
                        th { "Invoice" }
                        th { class: "hide-sm", "Client" }
                        th { "Status" }
                        th { class: "hide-md", "Issued" }
                        th { class: "hide-sm", "Due" }
                        th { class: "num", "Total" }
                        th { class: "num", "Balance" }
                    }
                }
                tbody {
                    for i in rows {
                        tr { key: "{i.id}", class: if i.overdue { "late" }, "data-number": i.number.clone().unwrap_or_default(),
                            td { class: "primary",
                                Link { to: Route::InvoiceDetail { id: i.id },
                                    {i.number.clone().unwrap_or_else(|| format!("Draft #{}", i.id))}
                                }
                                span { class: "sub show-sm", "{i.client_name}" }
                            }
                            td { "data-label": "Client", class: "hide-sm", "{i.client_name}" }
                            td { "data-label": "Status", InvoiceBadge { status: i.status, overdue: i.overdue } }
                            td { "data-label": "Issued", class: "nowrap hide-md",
                                if let Some(d) = i.issue_date { "{d}" }
                            }
                            td { "data-label": "Due", class: "nowrap hide-sm",
                                if let Some(d) = i.due_date { "{d}" }
                            }
                            td { "data-label": "Total", class: "num", "{business.money(i.total)}" }
                            td { "data-label": "Balance", class: "num", "{business.money(i.balance)}" }
                        }
                    }
                }
            }
        }
    }
}
