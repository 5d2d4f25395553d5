//! A button that asks twice: the first click turns it into a red "confirm" button, the
//! second does the thing. For deletes, instead of a browser dialog.

use dioxus::prelude::*;

#[component]
pub fn ConfirmButton(
    /// The element id of the first button; the confirm button gets `confirm-<id>`.
    id: String,
    label: String,
    confirm_label: String,
    on_confirm: EventHandler<()>,
) -> Element {
    let mut armed = use_signal(|| false);
    if armed() {
        rsx! {
            button {
                class: "btn btn-danger",
                id: "confirm-{id}",
                r#type: "button",
                onclick: move |_| {
                    armed.set(false);
                    on_confirm.call(());
                },
                "{confirm_label}"
            }
        }
    } else {
        rsx! {
            button { class: "btn", id: "{id}", r#type: "button", onclick: move |_| armed.set(true), "{label}" }
        }
    }
}
