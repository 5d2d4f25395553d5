//! A button that asks twice: the first click turns it into a red "confirm" button, the
//! second does the thing. For deletes and cancellations, instead of a browser dialog.
//!
//! The confirming click must be a deliberate second action: the confirm button appears in
//! the same spot, so it ignores clicks for a moment after it appears (the second click of a
//! double click lands within it), and is disabled while the action runs.

use dioxus::prelude::*;

use super::action::Busy;
use super::timer::sleep;

/// How long the confirm button ignores clicks after it appears: longer than the gap between
/// the two clicks of a double click, shorter than a person reading it and clicking again.
pub const ARM_DELAY_MS: u32 = 600;

#[component]
pub fn ConfirmButton(
    /// The element id of the first button; the confirm button gets `confirm-<id>`.
    id: String,
    label: String,
    confirm_label: String,
    /// The control's running action: while it runs, neither button takes a click.
    busy: Busy,
    on_confirm: EventHandler<()>,
) -> Element {
    let mut armed = use_signal(|| false);
    let mut ready = use_signal(|| false);
    if armed() {
        rsx! {
            button {
                class: "btn btn-danger",
                id: "confirm-{id}",
                r#type: "button",
                disabled: !ready() || busy.get(),
                "data-ready": "{ready}",
                onclick: move |_| {
                    if !ready() || busy.get() {
                        return;
                    }
                    armed.set(false);
                    ready.set(false);
                    on_confirm.call(());
                },
                "{confirm_label}"
            }
        }
    } else {
        rsx! {
            button {
                class: "btn",
                id: "{id}",
                r#type: "button",
                disabled: busy.get(),
                onclick: move |_| async move {
                    armed.set(true);
                    sleep(ARM_DELAY_MS).await;
                    ready.set(true);
                },
                "{label}"
            }
        }
    }
}
