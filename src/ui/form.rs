//! Form building blocks: the form itself, its submission, and a labelled input with its error
//! shown right under it.

use std::future::Future;

use dioxus::prelude::*;

use super::action::{Busy, use_busy};
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

/// A form's submission: at most one at a time (a double click sends once), and the last
/// refusal kept, so each field shows its own message and `Form` shows the rest above them.
#[derive(Clone, Copy, PartialEq)]
pub struct Submit {
    busy: Busy,
    answer: Signal<Option<AppError>>,
}

pub fn use_submit() -> Submit {
    Submit {
        busy: use_busy(),
        answer: use_signal(|| None),
    }
}

impl Submit {
    /// Runs `work` unless a submission is still running. Success clears the last refusal and
    /// hands the value to `done`; a refusal (the server's, or a check made before sending)
    /// is kept for the fields.
    pub fn run<T: 'static>(
        self,
        work: impl Future<Output = Result<T, AppError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        let mut answer = self.answer;
        self.busy.run(async move {
            match work.await {
                Ok(value) => {
                    answer.set(None);
                    done(value);
                }
                Err(err) => answer.set(Some(err)),
            }
        });
    }

    /// The submission's running state, for a control (a confirm button) that waits on it.
    pub fn busy(&self) -> Busy {
        self.busy
    }

    /// Whether a submission is running (its buttons show it disabled).
    pub fn running(&self) -> bool {
        self.busy.get()
    }

    /// The message for `field` in the last refusal.
    pub fn error(&self, field: &str) -> Option<String> {
        field_error(&self.answer.read(), field)
    }

    /// The last refusal, for parts of the form drawn by their own components.
    pub fn answer(&self) -> Option<AppError> {
        (self.answer)()
    }
}

/// Every form of the app. It is a POST, so that even a browser sending it by itself never
/// puts its fields (a password) in a URL; its fields are disabled until the app has loaded,
/// so it cannot be sent that way at all; a submit while one runs is dropped; and a refusal
/// that belongs to no field shows at its top, as `<id>-error`.
#[component]
pub fn Form(
    id: String,
    #[props(default)] class: String,
    submit: Submit,
    /// A heading above the form-wide message.
    #[props(default)]
    heading: Option<String>,
    onsubmit: EventHandler<FormEvent>,
    children: Element,
) -> Element {
    let hydrated = use_hydrated();
    let refusal = form_error(&submit.answer.read());
    rsx! {
        form {
            id: "{id}",
            class: "{class}",
            method: "post",
            novalidate: true,
            onsubmit: move |e: FormEvent| {
                e.prevent_default();
                if hydrated && !submit.running() {
                    onsubmit.call(e);
                }
            },
            if let Some(h) = heading {
                h2 { "{h}" }
            }
            if let Some(msg) = refusal {
                p { class: "form-error", id: "{id}-error", role: "alert", "{msg}" }
            }
            fieldset { class: "form-fields", disabled: !hydrated, {children} }
        }
    }
}

/// The message for `field` in the last server answer, if any.
fn field_error(result: &Option<AppError>, field: &str) -> Option<String> {
    result
        .as_ref()
        .and_then(|e| e.field_message(field))
        .map(str::to_string)
}

/// A form-wide message for errors that do not belong to one field.
fn form_error(result: &Option<AppError>) -> Option<String> {
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
