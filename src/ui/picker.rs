//! A search-and-pick input (a client, a product), following the ARIA combobox
//! pattern: type, see matches, move a visible highlight with ↑/↓, take it with Enter (the
//! first match unless moved) or a click, close the list with Escape. An Enter pressed before
//! the matches for what was typed have arrived is kept and honoured when they do, so a fast
//! typist's Enter is never lost.

use dioxus::prelude::*;

use crate::ui::timer::sleep;

/// Wait this long after the last keystroke before searching.
const DEBOUNCE_MS: u32 = 150;

/// One match offered by a picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub id: i64,
    pub title: String,
    pub detail: String,
    /// Shown dimmed (e.g. no stock available); still pickable.
    pub dim: bool,
}

/// Matches for a search, with the text they answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matches {
    pub text: String,
    pub items: Vec<Match>,
}

/// Moves keyboard focus to the element with this id (after a pick, to the next field).
pub fn focus(id: &str) {
    document::eval(&format!("document.getElementById('{id}')?.focus()"));
}

/// Focuses the input with this id and selects what it holds, so typing replaces it. After
/// the next frame: a value the page is about to write into the input would drop the selection.
pub fn focus_and_select(id: &str) {
    document::eval(&format!(
        "requestAnimationFrame(() => setTimeout(() => {{ \
         const e = document.getElementById('{id}'); if (e) {{ e.focus(); e.select(); }} }}, 0))"
    ));
}

#[component]
pub fn Picker(
    id: String,
    label: String,
    placeholder: String,
    /// The settled search text; the parent loads `choices` for it.
    search: Signal<String>,
    choices: Matches,
    on_pick: EventHandler<Match>,
    #[props(default)] error: Option<String>,
) -> Element {
    let mut search = search;
    let mut typed = use_signal(String::new);
    let mut keystrokes = use_signal(|| 0u64);
    let mut enter_waiting = use_signal(|| false);
    // The highlighted match (an index into the current matches) and whether Escape closed
    // the list; typing starts both over.
    let mut highlight = use_signal(|| 0usize);
    let mut dismissed = use_signal(|| false);
    let items = choices.items.clone();
    let answered = choices.text.clone();
    let mut pick = move |c: Match| {
        // A search still waiting out its debounce must not bring back the old matches.
        keystrokes += 1;
        typed.set(String::new());
        search.set(String::new());
        enter_waiting.set(false);
        on_pick.call(c);
    };
    // An Enter that came before its matches: take the first once they are here.
    let first = items.first().cloned();
    let current = answered.clone();
    use_effect(use_reactive!(|first, current| {
        if *enter_waiting.peek()
            && current.trim() == typed.peek().trim()
            && let Some(c) = first
        {
            pick(c);
        }
    }));
    let input = move |e: FormEvent| async move {
        let text = e.value();
        typed.set(text.clone());
        highlight.set(0);
        dismissed.set(false);
        let stamp = *keystrokes.peek() + 1;
        keystrokes.set(stamp);
        sleep(DEBOUNCE_MS).await;
        if *keystrokes.peek() == stamp {
            search.set(text);
        }
    };
    let settled = answered.clone();
    let shown = items.clone();
    let keydown = move |e: KeyboardEvent| {
        let current = settled.trim() == typed.peek().trim();
        let count = if current { shown.len() } else { 0 };
        match e.key() {
            Key::ArrowDown | Key::ArrowUp => {
                e.prevent_default();
                dismissed.set(false);
                if count > 0 {
                    let h = (*highlight.peek()).min(count - 1);
                    let next = match e.key() {
                        Key::ArrowDown => (h + 1).min(count - 1),
                        _ => h.saturating_sub(1),
                    };
                    highlight.set(next);
                }
            }
            Key::Enter => {
                e.prevent_default();
                let text = typed.peek().clone();
                if text.trim().is_empty() {
                    return;
                }
                if count > 0 {
                    let h = (*highlight.peek()).min(count - 1);
                    pick(shown[h].clone());
                } else {
                    enter_waiting.set(true);
                    search.set(text);
                }
            }
            Key::Escape => {
                e.prevent_default();
                dismissed.set(true);
            }
            _ => {}
        }
    };
    let list_id = format!("{id}-list");
    let open = !typed().trim().is_empty() && !dismissed();
    // Only matches for what the box shows now may be picked; older ones wait for their answer.
    let current = answered.trim() == typed().trim();
    let items = if current { items } else { Vec::new() };
    let active = highlight().min(items.len().saturating_sub(1));
    let active_id = (open && !items.is_empty()).then(|| format!("{id}-opt-{active}"));
    rsx! {
        div { class: if error.is_some() { "field picker has-error" } else { "field picker" },
            label { r#for: "{id}", "{label}" }
            input {
                id: "{id}",
                r#type: "search",
                autocomplete: "off",
                placeholder: "{placeholder}",
                value: "{typed}",
                role: "combobox",
                aria_autocomplete: "list",
                aria_expanded: open,
                aria_controls: "{list_id}",
                aria_activedescendant: active_id.unwrap_or_default(),
                aria_invalid: error.is_some(),
                oninput: input,
                onkeydown: keydown,
            }
            if open {
                ul { class: "picker-list", id: "{list_id}", role: "listbox",
                    if !current {
                        li { class: "muted picker-none", "Searching…" }
                    } else if items.is_empty() {
                        li { class: "muted picker-none", "No match" }
                    }
                    for (i, c) in items.into_iter().enumerate() {
                        li {
                            key: "{c.id}",
                            id: "{id}-opt-{i}",
                            role: "option",
                            aria_selected: i == active,
                            class: if i == active { "highlighted" } else { "" },
                            onmouseenter: move |_| highlight.set(i),
                            button {
                                r#type: "button",
                                tabindex: "-1",
                                class: if c.dim { "picker-choice dim" } else { "picker-choice" },
                                "data-id": "{c.id}",
                                onclick: {
                                    let c = c.clone();
                                    move |_| pick(c.clone())
                                },
                                span { class: "picker-title", "{c.title}" }
                                span { class: "sub", "{c.detail}" }
                            }
                        }
                    }
                }
            }
            if let Some(msg) = &error {
                p { class: "field-error", role: "alert", "{msg}" }
            }
        }
    }
}
