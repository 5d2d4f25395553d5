//! The search box of a list: shows what is typed at once, reports it after a pause (debounce)
//! so the list is not reloaded per keystroke, and follows the URL when Back changes it.

use dioxus::prelude::*;

use super::timer::sleep;

/// Wait this long after the last keystroke before searching.
const DEBOUNCE_MS: u32 = 250;

#[component]
pub fn SearchBox(
    /// The search the list currently shows (from its URL).
    value: ReadSignal<String>,
    placeholder: String,
    label: String,
    #[props(default)] title: String,
    /// Called with the settled text, only when it differs from `value`.
    on_search: EventHandler<String>,
) -> Element {
    let mut typed = use_signal(|| value.peek().clone());
    // Back and forward change the URL under the box: show what the URL says.
    use_effect(move || typed.set(value()));
    let mut keystrokes = use_signal(|| 0u64);
    let input = move |e: FormEvent| async move {
        let text = e.value();
        typed.set(text.clone());
        let stamp = *keystrokes.peek() + 1;
        keystrokes.set(stamp);
        sleep(DEBOUNCE_MS).await;
        if *keystrokes.peek() == stamp && text != *value.peek() {
            on_search.call(text);
        }
    };
    rsx! {
        input {
            class: "search",
            r#type: "search",
            name: "q",
            placeholder: "{placeholder}",
            aria_label: "{label}",
            title: "{title}",
            value: "{typed}",
            oninput: input,
        }
    }
}
