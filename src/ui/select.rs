//! A list's filters: selects built from a `Choice` (one value of it, a list's order, a filter
//! with an "any" option) and labelled inputs (a date, a word, an id).

use dioxus::prelude::*;

use crate::choice::Choice;

/// One value of `C` (a role, say); `on_change` gets the one picked.
#[component]
pub fn ChoiceSelect<C: Choice>(
    value: C,
    name: String,
    label: String,
    #[props(default)] disabled: bool,
    on_change: EventHandler<C>,
) -> Element {
    rsx! {
        select {
            name: "{name}",
            aria_label: "{label}",
            disabled,
            onchange: move |e| {
                if let Some(c) = C::parse(&e.value()) {
                    on_change.call(c);
                }
            },
            for c in C::ALL.iter().copied() {
                option { value: c.as_str(), selected: c == value, "{c.label()}" }
            }
        }
    }
}

/// The sort select of a list page (`S::default()` is the list's default order); `on_change`
/// gets the order picked.
#[component]
pub fn SortSelect<S: Choice + Default>(
    value: S,
    label: String,
    on_change: EventHandler<S>,
) -> Element {
    rsx! {
        select {
            class: "sort",
            name: "sort",
            aria_label: "{label}",
            onchange: move |e| on_change.call(S::parse(&e.value()).unwrap_or_default()),
            for s in S::ALL.iter().copied() {
                option { value: s.as_str(), selected: s == value, "{s.label()}" }
            }
        }
    }
}

/// A list filter: `any` (e.g. "Any status") or one value; `on_change` gets the choice.
#[component]
pub fn FilterSelect<C: Choice>(
    value: Option<C>,
    name: String,
    label: String,
    any: String,
    on_change: EventHandler<Option<C>>,
) -> Element {
    rsx! {
        select {
            class: "sort",
            name: "{name}",
            aria_label: "{label}",
            onchange: move |e| on_change.call(C::parse(&e.value())),
            option { value: "", selected: value.is_none(), "{any}" }
            for c in C::ALL.iter().copied() {
                option { value: c.as_str(), selected: Some(c) == value, "{c.label()}" }
            }
        }
    }
}

/// A list or report's date filter: a labelled date input whose change goes to `on_change`
/// (`YYYY-MM-DD`, or empty when cleared), with the server's message under it when it refused
/// the date.
#[component]
pub fn DateFilter(
    name: String,
    label: String,
    value: String,
    #[props(default)] error: Option<String>,
    on_change: EventHandler<String>,
) -> Element {
    rsx! {
        InputFilter { kind: "date", name, label, value, error, on_change }
    }
}

/// A labelled filter typed in an input of `kind` (`date`, `text`, `number`), reported when
/// it is changed (on Enter or leaving it), with the server's message when it refuses it.
#[component]
pub fn InputFilter(
    kind: &'static str,
    name: String,
    label: String,
    value: String,
    #[props(default)] placeholder: String,
    #[props(default)] error: Option<String>,
    on_change: EventHandler<String>,
) -> Element {
    let invalid = error.is_some();
    rsx! {
        label { class: "date-filter",
            span { "{label}" }
            input {
                r#type: kind,
                name: "{name}",
                value: "{value}",
                placeholder: "{placeholder}",
                aria_invalid: invalid,
                onchange: move |e: FormEvent| on_change.call(e.value()),
            }
            if let Some(m) = error {
                span { class: "field-error", "{m}" }
            }
        }
    }
}
