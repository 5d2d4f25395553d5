//! Work in progress kept on this device (the browser's local storage), so that a reload, a
//! closed tab or a click on another page never throws away what someone was typing, and a
//! guard that asks before leaving a page with unsaved changes.
//!
//! Keys are per user (`sales.u{id}.{what}`); signing out forgets them all. Only the browser
//! keeps anything: on the server (while a page is first rendered) these do nothing.

use dioxus::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Every key this module writes starts with this.
const PREFIX: &str = "sales.";

/// The key of `what`, kept for user `user`.
pub fn key(user: i64, what: &str) -> String {
    format!("{PREFIX}u{user}.{what}")
}

/// A JavaScript string literal of `s` (JSON's is one).
fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// What is kept under `key`, if anything readable is.
pub async fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    let value = document::eval(&format!("return localStorage.getItem({})", js(key)))
        .await
        .ok()?;
    serde_json::from_str(value.as_str()?).ok()
}

/// Keeps `value` under `key`, replacing what was there.
pub fn write<T: Serialize>(key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        document::eval(&format!(
            "try {{ localStorage.setItem({}, {}) }} catch (e) {{}}",
            js(key),
            js(&json)
        ));
    }
}

/// Forgets what is kept under `key`.
pub fn forget(key: &str) {
    document::eval(&format!("localStorage.removeItem({})", js(key)));
}

/// Forgets everything kept, for every user (at sign-out).
pub fn forget_all() {
    document::eval(&format!(
        "Object.keys(localStorage).filter(k => k.startsWith({})).forEach(k => localStorage.removeItem(k))",
        js(PREFIX)
    ));
}

/// While `message` is set, leaving the page asks first: a reload or a closed tab through the
/// browser's own prompt, a click on a link outside `#{form}` through `message`. The guard is
/// installed once per page load and reads the current state, so turning it off is one call.
pub fn guard_leaving(form: &str, message: Option<&str>) {
    let state = match message {
        Some(m) => format!("{{ form: {}, message: {} }}", js(form), js(m)),
        None => "null".into(),
    };
    document::eval(&format!(
        r#"window.salesLeaveGuard = {state};
        if (!window.salesLeaveGuardOn) {{
            window.salesLeaveGuardOn = true;
            window.addEventListener('beforeunload', e => {{
                if (window.salesLeaveGuard) {{ e.preventDefault(); e.returnValue = ''; }}
            }});
            document.addEventListener('click', e => {{
                const g = window.salesLeaveGuard;
                const a = g && e.target.closest && e.target.closest('a[href]');
                if (!a || a.closest('#' + g.form)) return;
                if (!confirm(g.message)) {{ e.preventDefault(); e.stopImmediatePropagation(); }}
            }}, true);
        }}"#
    ));
}

/// What `use_kept` stores: the value, and what the page started from when it was made (a
/// value kept while editing a record that has changed since is not offered back).
#[derive(Serialize, serde::Deserialize)]
struct Stored<T> {
    base: T,
    value: T,
}

/// A form's value kept on this device (`use_kept`).
#[derive(Clone, Copy)]
pub struct Kept {
    key: Signal<String>,
    /// Whether the page opened with a kept value in place of its start.
    pub restored: Signal<bool>,
    /// Set once the value is saved or thrown away: nothing is kept after that.
    done: Signal<bool>,
    guarded: Signal<bool>,
    ready: Signal<bool>,
}

impl Kept {
    /// Whether the page has looked for a kept value yet (a value found is in place by then).
    pub fn checked(&self) -> bool {
        (self.ready)()
    }

    /// The page puts the kept value aside and starts again (what is typed next is kept).
    pub fn start_again(self) {
        let mut restored = self.restored;
        restored.set(false);
    }

    /// The value was saved (or is being thrown away): forget it, and stop asking.
    pub fn forget(mut self) {
        self.done.set(true);
        self.restored.set(false);
        forget(&self.key.peek());
        if *self.guarded.peek() {
            guard_leaving("", None);
            self.guarded.set(false);
        }
    }
}

/// Keeps `current` on this device as `what` (for the signed-in user) while it differs from
/// `start`, and asks before leaving the page (`guard_leaving`, for links outside `#form`)
/// meanwhile. Once the page is live, a value kept from the same `start` is handed to
/// `restore`. Saving calls `Kept::forget`.
pub fn use_kept<T>(
    what: &str,
    form: &'static str,
    start: T,
    current: Memo<T>,
    restore: impl FnMut(T) + 'static,
) -> Kept
where
    T: Serialize + DeserializeOwned + PartialEq + Clone + 'static,
{
    let me = crate::app::use_me();
    let key = use_signal(|| key(me.peek().id, what));
    let mut ready = use_signal(|| false);
    let restored = use_signal(|| false);
    let done = use_signal(|| false);
    let guarded = use_signal(|| false);
    let kept = Kept {
        key,
        restored,
        done,
        guarded,
        ready,
    };
    let base = start.clone();
    let mut restore = Some(restore);
    // Effects run in the browser only, after the page is live; this one reads no signal, so
    // it runs once.
    use_effect(move || {
        let (base, Some(mut restore)) = (base.clone(), restore.take()) else {
            return;
        };
        let mut restored = restored;
        spawn(async move {
            if let Some(k) = read::<Stored<T>>(&key.peek()).await
                && k.base == base
                && k.value != base
            {
                restore(k.value);
                restored.set(true);
            }
            ready.set(true);
        });
    });
    use_effect(move || {
        let value = current();
        if !ready() || done() {
            return;
        }
        let changed = value != start;
        if changed {
            let stored = Stored {
                base: start.clone(),
                value,
            };
            write(&key.peek(), &stored);
        } else {
            forget(&key.peek());
        }
        let mut guarded = guarded;
        if changed != *guarded.peek() {
            guarded.set(changed);
            guard_leaving(form, changed.then_some(LEAVE));
        }
    });
    use_drop(move || {
        if *guarded.peek() {
            guard_leaving("", None);
        }
    });
    kept
}

/// What a click away from a changed form asks.
const LEAVE: &str = "Leave this page? What you entered stays on this device and comes back \
                     when you open the page again.";
