//! The line under every paged list: how many rows match, and links to the previous and next
//! page (plain links, so they work before the page is interactive and keep the URL true).

use dioxus::prelude::*;

use crate::paging::{PageAt, PageQuery};

/// `id` names the count for tests; `one` and `many` are the row's noun ("order", "orders").
#[component]
pub fn Pager<Q: PageQuery>(
    id: String,
    total: u64,
    capped: bool,
    prev: Option<i64>,
    next: Option<i64>,
    one: &'static str,
    many: &'static str,
    query: Q,
) -> Element {
    let count = match (total, capped) {
        (n, true) => format!("{n}+ {many}"),
        (1, false) => format!("1 {one}"),
        (n, false) => format!("{n} {many}"),
    };
    rsx! {
        div { class: "pager",
            span { class: "muted", id: "{id}", "{count}" }
            div { class: "actions",
                if let Some(before) = prev {
                    Link {
                        class: "btn btn-small",
                        rel: "prev",
                        to: query.starting(PageAt::Before(before)).route(),
                        "← Previous"
                    }
                }
                if let Some(after) = next {
                    Link {
                        class: "btn btn-small",
                        rel: "next",
                        to: query.starting(PageAt::After(after)).route(),
                        "Next →"
                    }
                }
            }
        }
    }
}
