//! Short-lived copies of the two rows every signed-in request reads before its work starts:
//! its session and its user. Without them each request costs two database reads; with them,
//! one pair per session (and user) every half second.
//!
//! Why this stays correct with several servers: a copy is used for at most `FRESH_FOR`, so a
//! session ended on another server (signed out, its user deactivated, its password changed)
//! stops working here within that time. On this server the change is seen at once: the
//! session store drops or replaces its copy as it writes, and every change to a user
//! replaces or drops its copy after it commits.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum_login::tower_sessions::session::{Id, Record};

use super::backend::SessionUser;

/// The session key under which axum-login keeps the signed-in user's id and the password
/// hash the session is bound to: its default, named on the auth layer so both sides agree.
pub const AUTH_KEY: &str = "axum-login.data";

/// How long a copy is trusted: well within the one second a change made on another server
/// may take to reach this one.
pub const FRESH_FOR: Duration = Duration::from_millis(500);
/// Copies kept at most; past it the stale ones go, then, if need be, all of them.
const MAX_ENTRIES: usize = 10_000;

/// A map whose entries are good for `FRESH_FOR` after they were put.
struct Fresh<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Fresh<K, V> {
    fn new() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (Instant, V)>> {
        // A panic while holding the lock leaves nothing half-written worth refusing.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: &K) -> Option<V> {
        let entries = self.lock();
        let (at, value) = entries.get(key)?;
        (at.elapsed() < FRESH_FOR).then(|| value.clone())
    }

    fn put(&self, key: K, value: V) {
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), value));
    }

    fn remove(&self, key: &K) {
        self.lock().remove(key);
    }

    /// Removes a fresh entry that `stale` judges out of date; whether it did.
    fn remove_if(&self, key: &K, stale: impl FnOnce(&V) -> bool) -> bool {
        let mut entries = self.lock();
        let judged = entries
            .get(key)
            .is_some_and(|(at, value)| at.elapsed() < FRESH_FOR && stale(value));
        if judged {
            entries.remove(key);
        }
        judged
    }
}

/// This server's copies of sessions and users; one per server (`AppState::signed_in`).
pub struct SignedIn {
    sessions: Fresh<Id, Record>,
    users: Fresh<i64, SessionUser>,
}

impl Default for SignedIn {
    fn default() -> Self {
        Self {
            sessions: Fresh::new(),
            users: Fresh::new(),
        }
    }
}

impl SignedIn {
    /// A session read or written less than `FRESH_FOR` ago, unless it has expired since.
    pub fn session(&self, id: &Id) -> Option<Record> {
        self.sessions
            .get(id)
            .filter(|r| r.expiry_date > time::OffsetDateTime::now_utc())
    }

    pub fn keep_session(&self, record: &Record) {
        self.sessions.put(record.id, record.clone());
    }

    /// Whether `record` is bound to the password hash this server's copy of its user holds
    /// (or there is no copy). If not, the user copy goes, so the user is read anew.
    ///
    /// axum-login ends a session whose hash differs from its user's. Without this, a password
    /// changed on another server moments ago could make this one end the very session that
    /// changed it, instead of only the user's other sessions. The session store also reads
    /// a disagreeing session anew rather than trust its own copy, which may be the stale one.
    pub fn reconcile(&self, record: &Record) -> bool {
        let Some(bound) = record.data.get(AUTH_KEY) else {
            return true;
        };
        let Some(id) = bound.get("user_id").and_then(|v| v.as_i64()) else {
            return true;
        };
        // Compared in place: this runs on every signed-in request.
        let bound_hash = bound.get("auth_hash").and_then(|h| h.as_array());
        let same = |hash: &[u8]| {
            bound_hash.is_some_and(|a| {
                a.len() == hash.len()
                    && a.iter()
                        .zip(hash)
                        .all(|(v, b)| v.as_u64() == Some(u64::from(*b)))
            })
        };
        !self
            .users
            .remove_if(&id, |copy| !same(copy.password_hash().as_bytes()))
    }

    pub fn forget_session(&self, id: &Id) {
        self.sessions.remove(id);
    }

    pub fn user(&self, id: i64) -> Option<SessionUser> {
        self.users.get(&id)
    }

    pub fn keep_user(&self, user: &SessionUser) {
        self.users.put(user.id, user.clone());
    }

    /// Call after a change to user `id` commits: this server's next request reads it anew.
    pub fn forget_user(&self, id: i64) {
        self.users.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_good_for_half_a_second_and_gone_once_forgotten() {
        let fresh: Fresh<i64, &str> = Fresh::new();
        fresh.put(1, "one");
        assert_eq!(fresh.get(&1), Some("one"));
        fresh.remove(&1);
        assert_eq!(fresh.get(&1), None);
        fresh.put(2, "two");
        std::thread::sleep(FRESH_FOR + Duration::from_millis(20));
        assert_eq!(
            fresh.get(&2),
            None,
            "a copy older than FRESH_FOR is not used"
        );
    }

    #[test]
    fn only_a_copy_judged_stale_is_removed() {
        let fresh: Fresh<i64, &str> = Fresh::new();
        fresh.put(1, "old");
        assert!(!fresh.remove_if(&1, |v| *v == "new"));
        assert_eq!(fresh.get(&1), Some("old"));
        assert!(fresh.remove_if(&1, |v| *v == "old"));
        assert_eq!(fresh.get(&1), None);
        assert!(!fresh.remove_if(&2, |_| true), "nothing to remove");
    }

    #[test]
    fn a_full_map_drops_stale_copies_first() {
        let fresh: Fresh<usize, usize> = Fresh::new();
        for k in 0..MAX_ENTRIES {
            fresh.put(k, k);
        }
        fresh.put(MAX_ENTRIES, 0);
        // Nothing was stale, so everything went but the newest.
        assert_eq!(fresh.lock().len(), 1);
        assert_eq!(fresh.get(&MAX_ENTRIES), Some(0));
    }
}
