//! Form building blocks: the form itself, and a labelled input with its error shown right
//! under it.

use dioxus::prelude::*;

use super::action::Busy;
use crate::error::AppError;

/// Whether the browser has taken over the server-rendered page. Until then a form cannot
/// be sent: the browser would send it by itself, with every field in the request.
#[derive(Clone, Copy)]
pub struct Hydrated(Signal<bool>);

/// At the root of the app: false while the page is only server-rendered HTML, true once the
/// app runs in the browser (effects never run on the server).
pub fn provide_hydrated() {
    let mut hydrated = use_context_provider(|| Hydrated(Signal::new(false)));
    use_effect(move || hydrated.0.set(true));
}

/// Whether the app runs in the browser yet (true where nothing provides the flag). Layouts
/// show it as `data-hydrated`, which end-to-end tests wait for.
pub fn use_hydrated() -> bool {
    try_use_context::<Hydrated>().is_none_or(|h| (h.0)())
}

/// Every form of the app. It is a POST, so that even a browser sending it by itself never
/// puts its fields (a password) in a URL; its fields are disabled until the app has loaded,
/// so it cannot be sent that way at all; and a submit while `busy` is dropped.
#[component]
pub fn Form(
    #[props(default)] id: Option<String>,
    #[props(default)] class: String,
    busy: Busy,
    onsubmit: EventHandler<FormEvent>,
    children: Element,
) -> Element {
    let hydrated = use_hydrated();
    rsx! {
        form {
            id,
            class: "{class}",
            method: "post",
            novalidate: true,
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                if hydrated && !busy.get() {
                    onsubmit.call(e);
                }
            },
            fieldset { class: "form-fields", disabled: !hydrated, {children} }
        }
    }
}

/// The message for `field` in the last server answer, if any.
pub fn field_error(result: &Option<AppError>, field: &str) -> Option<String> {
    result
        .as_ref()
        .and_then(|e| e.field_message(field))
        .map(str::to_string)
}

/// A form-wide message for errors that do not belong to one field.
pub fn form_error(result: &Option<AppError>) -> Option<String> {
    match result {
        Some(AppError::Invalid { fields, .. }) if !fields.is_empty() => None,
        Some(e) => Some(e.to_string()),
        None => None,
    }
}

#[component]
pub fn Field(
    label: String,
    name: String,
    value: Signal<String>,
    #[props(default = "text".to_string())] kind: String,
    #[props(default)] autocomplete: Option<String>,
    #[props(default)] error: Option<String>,
    /// Guidance shown under the field while there is no error.
    #[props(default)]
    hint: Option<String>,
    /// A text area of this many rows instead of a one-line input.
    #[props(default)]
    rows: Option<u32>,
    /// The keyboard phones show: `numeric` for whole numbers, `decimal` for amounts. (Not
    /// for signed numbers: phone number pads have no minus key.)
    #[props(default)]
    inputmode: Option<&'static str>,
) -> Element {
    let mut value = value;
    let id = format!("field-{name}");
    let described = format!("{id}-msg");
    rsx! {
        div { class: if error.is_some() { "field has-error" } else { "field" },
            label { r#for: "{id}", "{label}" }
            if let Some(rows) = rows {
                textarea {
                    id: "{id}",
                    name: "{name}",
                    rows: "{rows}",
                    value: "{value}",
                    aria_invalid: error.is_some(),
                    aria_describedby: "{described}",
                    oninput: move |e| value.set(e.value()),
                }
            } else {
                input {
                    id: "{id}",
                    name: "{name}",
                    r#type: "{kind}",
                    inputmode,
                    value: "{value}",
                    autocomplete: autocomplete.unwrap_or_default(),
                    aria_invalid: error.is_some(),
                    aria_describedby: "{described}",
                    oninput: move |e| value.set(e.value()),
                }
            }
            if let Some(msg) = &error {
                p { class: "field-error", id: "{described}", role: "alert", "{msg}" }
            } else if let Some(h) = &hint {
                p { class: "field-hint", id: "{described}", "{h}" }
            }
        }
    }
}
