//! What every report page shares: its header and filter bar (`ReportFilters`): period, grouping,
//! client, the chosen product, the export buttons, and the server's message at a refused
//! field; the figure tiles above the table (`Tile`); and a row of the table (`PeriodRow`).

use chrono::NaiveDate;
use dioxus::prelude::*;

use super::{Grouping, ReportQuery};
use crate::app::Route;
use crate::choice::Choice;
use crate::clients::picker::ClientFilter;
use crate::error::AppError;
use crate::exports::view::ExportMenu;
use crate::exports::{ExportFormat, ExportWhat};
use crate::orders::OrderStatus;
use crate::ui::select::DateFilter;

#[component]
pub fn ReportFilters(
    title: String,
    about: String,
    what: ExportWhat,
    query: ReadSignal<ReportQuery>,
    /// The report's route for a query: where a changed filter goes.
    route: Callback<ReportQuery, Route>,
    /// The server's refusal of these filters, if it refused them.
    problems: Option<AppError>,
    /// The chosen client's and product's names.
    names: (Option<String>, Option<String>),
    /// The period shown (the defaults filled in), once loaded.
    dates: Option<(NaiveDate, NaiveDate)>,
    formats: Vec<ExportFormat>,
    /// Whether the orders' status is a filter (the orders report).
    #[props(default)]
    status_filter: bool,
    /// Whether a client is a filter (all but the stock report).
    #[props(default = true)]
    client_filter: bool,
) -> Element {
    let q = query();
    let go = move |change: &dyn Fn(&mut ReportQuery)| {
        let mut next = query.peek().clone();
        change(&mut next);
        navigator().push(route.call(next));
    };
    let problem = |field: &str| {
        problems
            .as_ref()
            .and_then(|e| e.field_message(field))
            .map(str::to_string)
    };
    let (from, to) = match dates {
        Some((f, t)) => (f.to_string(), t.to_string()),
        None => (q.from.clone(), q.to.clone()),
    };
    let (client_name, product_name) = names;
    rsx! {
        div { class: "page-header",
            div {
                p { class: "crumbs", Link { to: Route::Reports {}, "Reports" } }
                h1 { "{title}" }
                p { class: "muted", "{about}" }
            }
            div { class: "actions",
                ExportMenu { what, query: q.to_string(), formats }
            }
        }
        div { class: "toolbar", id: "report-filters",
            DateFilter {
                name: "from",
                label: "From",
                value: from,
                error: problem("from"),
                on_change: move |v: String| go(&|q| q.from = v.clone()),
            }
            DateFilter {
                name: "to",
                label: "To",
                value: to,
                error: problem("to"),
                on_change: move |v: String| go(&|q| q.to = v.clone()),
            }
            label { class: "date-filter",
                span { "Group" }
                select {
                    class: "sort",
                    name: "by",
                    aria_label: "Group by",
                    onchange: move |e: FormEvent| {
                        let by = Grouping::parse(&e.value()).unwrap_or_default();
                        go(&|q| q.by = by)
                    },
                    for g in Grouping::ALL.iter().copied() {
                        option { value: g.as_str(), selected: g == q.by, "{g.label()}" }
                    }
                }
                if let Some(m) = problem("by") {
                    span { class: "field-error", "{m}" }
                }
            }
            if status_filter {
                label { class: "date-filter",
                    span { "Status" }
                    select {
                        class: "sort",
                        name: "status",
                        aria_label: "Status",
                        onchange: move |e: FormEvent| {
                            let status = OrderStatus::parse(&e.value());
                            go(&|q| q.status = status)
                        },
                        option { value: "", selected: q.status.is_none(), "Any" }
                        for s in OrderStatus::ALL.iter().copied() {
                            option { value: s.as_str(), selected: q.status == Some(s), "{s.label()}" }
                        }
                    }
                }
            }
            if client_filter {
                ClientFilter {
                    chosen: q.client.map(|_| client_name.clone()),
                    every: route.call(ReportQuery { client: None, ..q.clone() }),
                    title: "Show every client",
                    on_pick: move |id| go(&|q| q.client = Some(id)),
                }
            }
            if q.product.is_some() {
                Link {
                    class: "btn btn-small active",
                    id: "product-filter",
                    title: "Show every product",
                    to: route.call(ReportQuery { product: None, ..q.clone() }),
                    "{product_name.clone().unwrap_or_else(|| \"One product\".into())} ✕"
                }
            }
        }
        if let Some(e) = problems {
            div { class: "card empty-state", id: "report-refused",
                h2 { "These filters cannot be shown" }
                p { class: "muted", "{e}" }
            }
        }
    }
}

/// One figure above a report: its label and value.
#[component]
pub fn Tile(id: String, label: String, value: String) -> Element {
    rsx! {
        div { class: "tile", id: "{id}",
            span { class: "tile-label", "{label}" }
            strong { class: "tile-value", "{value}" }
        }
    }
}

/// One period's row of a report's table (or, as `head`, its totals): the label, then each
/// (column, value) as a number cell labelled for narrow screens.
#[component]
pub fn PeriodRow(label: String, head: bool, cells: Vec<(&'static str, String)>) -> Element {
    rsx! {
        tr { "data-period": "{label}",
            if head {
                th { "{label}" }
            } else {
                td { class: "primary", "{label}" }
            }
            for (name, value) in cells {
                td { class: "num", "data-label": name, "{value}" }
            }
        }
    }
}
