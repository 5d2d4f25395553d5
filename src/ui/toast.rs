//! Toast messages: any component pushes one with `use_toasts()`; the shell shows them.
//!
//! A toast removes itself when its CSS life-cycle animation ends, so no timer is needed on
//! either web or desktop.

use dioxus::prelude::*;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

#[derive(Clone, PartialEq, Debug)]
struct Toast {
    id: u64,
    kind: ToastKind,
    text: String,
}

/// Handle to the toast list; cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Toasts {
    list: Signal<Vec<Toast>>,
    next_id: Signal<u64>,
}

impl Toasts {
    pub fn show(&mut self, kind: ToastKind, text: impl Into<String>) {
        let id = *self.next_id.peek();
        self.next_id.set(id + 1);
        self.list.write().push(Toast {
            id,
            kind,
            text: text.into(),
        });
    }

    pub fn success(&mut self, text: impl Into<String>) {
        self.show(ToastKind::Success, text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.show(ToastKind::Error, text);
    }

    fn dismiss(&mut self, id: u64) {
        self.list.write().retain(|t| t.id != id);
    }
}

/// Called once by the shell.
pub fn provide_toasts() -> Toasts {
    use_context_provider(|| Toasts {
        list: Signal::new(Vec::new()),
        next_id: Signal::new(0),
    })
}

pub fn use_toasts() -> Toasts {
    use_context::<Toasts>()
}

#[component]
pub fn Toaster() -> Element {
    let mut toasts = use_toasts();
    let list = toasts.list.read().clone();
    rsx! {
        div { class: "toaster", role: "status", aria_live: "polite",
            for toast in list {
                div {
                    key: "{toast.id}",
                    class: match toast.kind {
                        ToastKind::Success => "toast toast-success",
                        ToastKind::Error => "toast toast-error",
                        ToastKind::Info => "toast toast-info",
                    },
                    onanimationend: move |_| toasts.dismiss(toast.id),
                    span { class: "toast-text", "{toast.text}" }
                    button {
                        class: "toast-close",
                        r#type: "button",
                        aria_label: "Dismiss",
                        onclick: move |_| toasts.dismiss(toast.id),
                        "×"
                    }
                }
            }
        }
    }
}
