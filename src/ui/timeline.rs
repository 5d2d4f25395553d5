//! A record's history from the audit trail, oldest first: what happened, when (on the
//! business's clocks), by whom, and the details.

use dioxus::prelude::*;

use crate::audit::AuditEvent;
use crate::business::use_business;

/// `prefix` is the entity's part of the action names ("order."), left out of the labels.
#[component]
pub fn Timeline(events: Vec<AuditEvent>, prefix: &'static str) -> Element {
    let zone = use_business().zone;
    rsx! {
        ol { class: "timeline",
            for ev in events {
                li { key: "{ev.id}",
                    strong { "{ev.action.trim_start_matches(prefix).replace('_', \" \")}" }
                    " · {zone.date_time(&ev.at)}"
                    if let Some(who) = &ev.actor {
                        " · {who}"
                    }
                    if !ev.details.is_empty() {
                        span { class: "sub", "{ev.details}" }
                    }
                }
            }
        }
    }
}
