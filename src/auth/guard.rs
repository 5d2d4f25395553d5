//! `Ctx`: what every server function receives — state, the session, the caller's IP — and the
//! one access check (`require`) that every protected server function calls first.

use std::net::SocketAddr;

use chrono::Utc;
use dioxus::server::axum::extract::{ConnectInfo, FromRequestParts};
use dioxus::server::axum::http::request::Parts;

use super::backend::{AuthSession, SessionUser};
use super::role::Access;
use crate::choice::Choice;
use crate::error::{AppError, AppResult};
use crate::server::AppState;

/// Session keys kept beside axum-login's own data.
const SIGNED_IN_AT: &str = "signed_in_at";
const LAST_SEEN: &str = "last_seen";
/// How stale `last_seen` may get before a request refreshes it (and with it the inactivity
/// expiry): at most once a minute per session instead of a database write on every request,
/// and often enough that an active session never lapses (a quarter of the idle timeout).
fn touch_every_secs(idle: std::time::Duration) -> i64 {
    (idle.as_secs() as i64 / 4).clamp(0, 60)
}

pub struct Ctx {
    pub state: AppState,
    pub auth: AuthSession,
    pub ip: String,
}

impl Ctx {
    /// The signed-in user, or 401.
    pub fn user(&self) -> AppResult<&SessionUser> {
        self.auth.user.as_ref().ok_or_else(AppError::sign_in)
    }

    /// The signed-in user if their role passes `access`; 401 or 403 otherwise.
    pub fn require(&self, access: Access) -> AppResult<&SessionUser> {
        let user = self.user()?;
        if access.allows(user.role) {
            Ok(user)
        } else {
            Err(AppError::Forbidden(format!(
                "your role ({}) does not allow this",
                user.role.label()
            )))
        }
    }

    /// Start a session for `user` under a new session id. axum-login rotates the id only
    /// when the session had no user; a sign-in over a live session (another account on the
    /// same browser, say) must not keep an id that was known before it.
    pub async fn sign_in(&mut self, user: &SessionUser) -> AppResult<()> {
        self.auth
            .session
            .cycle_id()
            .await
            .map_err(|e| AppError::internal("session id", e))?;
        self.auth
            .login(user)
            .await
            .map_err(|e| AppError::internal("session login", e))?;
        let now = Utc::now().timestamp();
        self.insert(SIGNED_IN_AT, now).await?;
        self.insert(LAST_SEEN, now).await
    }

    /// Keep this session valid after the user's password hash changed (others end).
    pub async fn rebind(&mut self, user: &SessionUser) -> AppResult<()> {
        self.auth
            .login(user)
            .await
            .map_err(|e| AppError::internal("session rebind", e))
    }

    pub async fn sign_out(&mut self) -> AppResult<()> {
        self.auth
            .logout()
            .await
            .map_err(|e| AppError::internal("session logout", e))?;
        Ok(())
    }

    async fn insert(&self, key: &str, value: i64) -> AppResult<()> {
        self.auth
            .session
            .insert(key, value)
            .await
            .map_err(|e| AppError::internal("session write", e))
    }

    async fn get(&self, key: &str) -> Option<i64> {
        self.auth.session.get::<i64>(key).await.ok().flatten()
    }

    /// Enforce the absolute session lifetime and keep the inactivity clock running.
    async fn check_lifetime(&mut self) -> AppResult<()> {
        if self.auth.user.is_none() {
            return Ok(());
        }
        let now = Utc::now().timestamp();
        let max = self.state.config.session_max.as_secs() as i64;
        match self.get(SIGNED_IN_AT).await {
            Some(t) if now - t < max => {}
            _ => return self.sign_out().await,
        }
        let every = touch_every_secs(self.state.config.session_idle);
        if self.get(LAST_SEEN).await.is_none_or(|t| now - t >= every) {
            // Marks the session modified, so it is saved with a fresh inactivity expiry.
            self.insert(LAST_SEEN, now).await?;
        }
        Ok(())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, AppError> {
        let state = AppState::from_request_parts(parts, s).await?;
        let auth = parts
            .extensions
            .get::<AuthSession>()
            .cloned()
            .ok_or_else(|| AppError::internal("request", "auth layer missing"))?;
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let forwarded = (!forwarded.is_empty()).then(|| forwarded.join(","));
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| {
                let trusted = &state.config.trusted_proxies;
                crate::server::proxy::client_ip(c.0.ip(), forwarded.as_deref(), trusted).to_string()
            })
            .unwrap_or_else(|| "unknown".into());
        let mut ctx = Ctx { state, auth, ip };
        ctx.check_lifetime().await?;
        Ok(ctx)
    }
}
