//! A list's filters, folded away on a phone behind a "Filters" button that says how many are
//! active, so the list itself fills the first screen; on a wider screen they stay in view.

use dioxus::prelude::*;

#[component]
pub fn FilterFold(
    /// How many filters are set (the button's count).
    active: usize,
    children: Element,
) -> Element {
    let mut open = use_signal(|| false);
    let label = match active {
        0 => "Filters".to_string(),
        n => format!("Filters ({n})"),
    };
    rsx! {
        button {
            class: "btn filters-toggle",
            r#type: "button",
            id: "filters-toggle",
            aria_expanded: "{open}",
            aria_controls: "filters",
            onclick: move |_| open.toggle(),
            "{label}"
        }
        div { class: "filters", id: "filters", "data-open": "{open}", {children} }
    }
}
