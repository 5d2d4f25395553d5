//! A list's sort order: one trait for its word in the URL, its label and reading it back, and
//! the select every list page shows it in.

use dioxus::prelude::*;

/// The orders a list can be sorted in (an enum whose default is the list's default order).
pub trait SortOrder: Copy + Default + PartialEq + 'static {
    /// Every order, in the select's order.
    const ALL: &'static [Self];

    /// Its word in the URL (`sort=newest`).
    fn as_str(self) -> &'static str;

    /// What the select shows.
    fn label(self) -> &'static str;

    /// Unknown values (an edited URL) fall back to the default order.
    fn parse(s: &str) -> Self {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == s)
            .unwrap_or_default()
    }
}

/// The sort select of a list page; `on_change` gets the order picked.
#[component]
pub fn SortSelect<S: SortOrder>(value: S, label: String, on_change: EventHandler<S>) -> Element {
    rsx! {
        select {
            class: "sort",
            name: "sort",
            aria_label: "{label}",
            onchange: move |e| on_change.call(S::parse(&e.value())),
            for s in S::ALL.iter().copied() {
                option { value: s.as_str(), selected: s == value, "{s.label()}" }
            }
        }
    }
}
