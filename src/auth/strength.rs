//! The password rule as the person types: length and "not your username or email" at once,
//! in the browser; then the full check, strength included, from the server once typing
//! pauses (see `rules`: the strength estimate's word lists stay out of the browser).

use dioxus::prelude::*;

use super::check_password;
use super::rules::password_basics;
use crate::ui::timer::sleep;

/// How long typing must pause before the server is asked.
const PAUSE_MS: u32 = 250;

/// The message under a new-password field: `None` while it is empty or acceptable.
/// `username` and `email` are what the password must not repeat (empty where unknown).
pub fn use_password_feedback(
    password: Signal<String>,
    username: Signal<String>,
    email: Signal<String>,
) -> Memo<Option<String>> {
    // Each keystroke restarts this, dropping the wait before it: one request per pause.
    let checked = use_resource(move || async move {
        let (p, u, e) = (password(), username(), email());
        if p.is_empty() {
            return (p, Vec::new());
        }
        sleep(PAUSE_MS).await;
        // Unreachable server: say only what the page knows; the submit checks again.
        let problems = check_password(p.clone(), u.clone(), e.clone())
            .await
            .unwrap_or_else(|_| password_basics(&p, &u, &e));
        (p, problems)
    });
    use_memo(move || {
        let p = password();
        if p.is_empty() {
            return None;
        }
        let problems = match &*checked.read() {
            Some((for_text, problems)) if *for_text == p => problems.clone(),
            _ => password_basics(&p, &username(), &email()),
        };
        (!problems.is_empty())
            .then(|| format!("This password is refused: {}.", problems.join("; ")))
    })
}
