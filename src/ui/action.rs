//! Actions that change state: at most one running per control, and a key that makes a
//! repeated request harmless.
//!
//! A double click sends two click events before the page re-renders, so disabling the button
//! alone cannot stop the second: `Busy::run` drops it synchronously, in the event handler,
//! before any request starts. Requests that add (receipts, adjustments) also carry a
//! `request_key`, so the same request arriving twice by any route is applied once.

use std::future::Future;

use dioxus::prelude::*;

/// Whether an action of this control is running (its buttons show it disabled).
#[derive(Clone, Copy, PartialEq)]
pub struct Busy(Signal<bool>);

pub fn use_busy() -> Busy {
    Busy(use_signal(|| false))
}

impl Busy {
    pub fn get(&self) -> bool {
        (self.0)()
    }

    /// Runs `work` unless an earlier run is still going, in which case this call does nothing.
    pub fn run(self, work: impl Future<Output = ()> + 'static) {
        let mut flag = self.0;
        if *flag.peek() {
            return;
        }
        flag.set(true);
        spawn(async move {
            work.await;
            flag.set(false);
        });
    }
}

/// A fresh idempotency key: 32 hex digits, unique for all practical purposes within one
/// user's requests (the server keeps keys per user).
pub fn request_key() -> String {
    let (a, b) = random_pair();
    format!("{a:016x}{b:016x}")
}

#[cfg(all(target_arch = "wasm32", feature = "web"))]
fn random_pair() -> (u64, u64) {
    // 53 random bits each; a key only has to differ from the same user's other keys.
    let bits = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    (bits(), bits() ^ (js_sys::Date::now() as u64))
}

#[cfg(not(all(target_arch = "wasm32", feature = "web")))]
fn random_pair() -> (u64, u64) {
    use std::hash::{BuildHasher, Hasher};
    // Each RandomState is freshly keyed from the process's random seed.
    let bits = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.finish()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    (bits(now), bits(now.rotate_left(32)))
}

#[cfg(test)]
mod tests {
    use super::request_key;

    #[test]
    fn keys_are_well_formed_and_differ() {
        let keys: std::collections::HashSet<String> = (0..1000).map(|_| request_key()).collect();
        assert_eq!(keys.len(), 1000);
        assert!(
            keys.iter()
                .all(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }
}
