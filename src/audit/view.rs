//! The audit trail page (admin): every change and sign-in, newest first, filtered by user,
//! kind of record (and one record), action and dates, all in the URL; keyset pages and an
//! export of everything the filters match.

use dioxus::prelude::*;

use super::{AuditEntity, AuditEvent, AuditQuery, list_audit};
use crate::app::Route;
use crate::business::use_business;
use crate::choice::Choice as _;
use crate::exports::view::ExportMenu;
use crate::exports::{ExportFormat, ExportWhat};
use crate::paging::{Page, PageQuery};
use crate::ui::filtered::use_filtered;
use crate::ui::pager::Pager;
use crate::ui::select::{DateFilter, FilterSelect, InputFilter};
use crate::users::list_users;

#[component]
pub fn AuditTrail(query: ReadSignal<AuditQuery>) -> Element {
    let loaded = use_filtered(query, list_audit)?;
    let users = use_resource(|| list_users(String::new()));
    let refilter = move |change: &dyn Fn(&mut AuditQuery)| {
        let mut q = query.peek().first_page();
        change(&mut q);
        navigator().push(q.route());
    };
    let q = query();
    let result = loaded();
    let problem = |field: &str| {
        result
            .as_ref()
            .err()
            .and_then(|e| e.field_message(field))
            .map(str::to_string)
    };
    let people = match &*users.read() {
        Some(Ok(list)) => list.iter().map(|u| (u.id, u.username.clone())).collect(),
        _ => Vec::new(),
    };
    rsx! {
        document::Title { "Audit trail · Sales" }
        div { class: "page-header",
            div {
                h1 { "Audit trail" }
                p { class: "muted", "Every change and every sign-in: who, what and when." }
            }
            div { class: "actions",
                ExportMenu { what: ExportWhat::Audit, query: q.first_page().to_string(), formats: vec![ExportFormat::Csv, ExportFormat::Xlsx] }
            }
        }
        div { class: "toolbar", id: "audit-filters",
            label { class: "date-filter",
                span { "User" }
                select {
                    class: "sort",
                    name: "user",
                    aria_label: "User",
                    onchange: move |e: FormEvent| {
                        let user = e.value().parse().ok();
                        refilter(&|q| q.user = user)
                    },
                    option { value: "", selected: q.user.is_none(), "Anyone" }
                    for (id, name) in people {
                        option { value: "{id}", selected: q.user == Some(id), "{name}" }
                    }
                }
            }
            FilterSelect {
                value: q.entity,
                name: "entity",
                label: "Record",
                any: "Any record",
                on_change: move |entity| refilter(&|q| q.entity = entity),
            }
            InputFilter {
                kind: "number",
                name: "record",
                label: "Record id",
                value: q.record.map(|id| id.to_string()).unwrap_or_default(),
                error: problem("record"),
                on_change: move |v: String| {
                    let record = v.trim().parse().ok();
                    refilter(&|q| q.record = record)
                },
            }
            InputFilter {
                kind: "text",
                name: "action",
                label: "Action",
                placeholder: "e.g. order.confirmed or login",
                value: q.action.clone(),
                error: problem("action"),
                on_change: move |v: String| refilter(&|q| q.action = v.trim().to_string()),
            }
            DateFilter {
                name: "from",
                label: "From",
                value: q.from.clone(),
                error: problem("from"),
                on_change: move |v: String| refilter(&|q| q.from = v.clone()),
            }
            DateFilter {
                name: "to",
                label: "To",
                value: q.to.clone(),
                error: problem("to"),
                on_change: move |v: String| refilter(&|q| q.to = v.clone()),
            }
        }
        match result {
            Ok(page) => rsx! {
                Events { page, query: q.clone() }
            },
            Err(e) => rsx! {
                div { class: "card empty-state", id: "audit-refused",
                    h2 { "These filters cannot be shown" }
                    p { class: "muted", "{e}" }
                }
            },
        }
    }
}

#[component]
fn Events(page: Page<AuditEvent>, query: AuditQuery) -> Element {
    let zone = use_business().zone;
    if page.rows.is_empty() {
        return rsx! {
            div { class: "card empty-state", id: "audit-empty",
                h2 { "No event matches" }
                Link { class: "btn", to: AuditQuery::default().route(), "Show every event" }
            }
        };
    }
    rsx! {
        div { class: "card table-card",
            table { class: "table", id: "audit-table",
                thead {
                    tr {
                        th { "When" }
                        th { "User" }
                        th { "Action" }
                        th { "Record" }
                        th { class: "hide-sm", "Details" }
                    }
                }
                tbody {
                    for e in page.rows {
                        tr { key: "{e.id}", "data-event": "{e.id}",
                            td { class: "nowrap", "{zone.date_time(&e.at)}" }
                            td { "data-label": "User", {e.actor.clone().unwrap_or_else(|| "system".into())} }
                            td { "data-label": "Action", class: "primary", "{e.action}" }
                            td { "data-label": "Record", Record { event: e.clone() } }
                            td { "data-label": "Details", class: "break hide-sm", "{e.details}" }
                        }
                    }
                }
            }
        }
        Pager {
            id: "audit-total",
            total: page.total,
            capped: page.total_capped,
            prev: page.prev,
            next: page.next,
            one: "event",
            many: "events",
            query,
        }
    }
}

/// The record an event is about: a link to its page where it has one, and a link to its
/// events alone.
#[component]
fn Record(event: AuditEvent) -> Element {
    let entity = AuditEntity::parse(&event.entity);
    let Some(id) = event
        .entity_id
        .as_deref()
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return rsx! { "{event.entity}" };
    };
    let page = match entity {
        Some(AuditEntity::Client) => Some(Route::ClientDetail { id }),
        Some(AuditEntity::Product) => Some(Route::ProductDetail { id }),
        Some(AuditEntity::Order) => Some(Route::OrderDetail { id }),
        Some(AuditEntity::Delivery) => Some(Route::DeliveryDetail { id }),
        Some(AuditEntity::Invoice) => Some(Route::InvoiceDetail { id }),
        Some(AuditEntity::User | AuditEntity::Mail) | None => None,
    };
    let only = AuditQuery {
        entity,
        record: Some(id),
        ..AuditQuery::default()
    };
    rsx! {
        if let Some(to) = page {
            Link { to, "{event.entity} {id}" }
        } else {
            "{event.entity} {id}"
        }
        if entity.is_some() {
            " "
            Link { class: "sub", to: only.route(), title: "This record's events only", "events" }
        }
    }
}
