//! The axum-login backend: how a session's user id becomes a user on every request.
//!
//! Sign-in itself (throttling, argon2, audit) lives in the service; the backend only loads
//! users. An inactive or deleted user loads as `None`, which ends their sessions at once, and
//! the session is bound to the password hash, so a password change ends the other sessions.
//! Loaded users are kept for a moment (`fresh`).

use std::sync::Arc;

use axum_login::{AuthUser, AuthnBackend, UserId};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use super::CurrentUser;
use super::fresh::SignedIn;
use crate::audit::Actor;
use crate::server::entities::user;

/// The signed-in user as the server sees them on each request: what pages see, plus the
/// password hash the session is bound to.
#[derive(Clone)]
pub struct SessionUser {
    profile: CurrentUser,
    password_hash: String,
}

// Hand-written so the password hash never reaches a log line.
impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("id", &self.profile.id)
            .field("username", &self.profile.username)
            .field("role", &self.profile.role)
            .finish_non_exhaustive()
    }
}

/// `user.id`, `user.role`… read straight through to the profile.
impl std::ops::Deref for SessionUser {
    type Target = CurrentUser;

    fn deref(&self) -> &CurrentUser {
        &self.profile
    }
}

impl SessionUser {
    /// `None` for an inactive or not yet approved account: such a user has no session.
    pub fn from_model(m: user::Model) -> Option<Self> {
        if !m.active || m.pending {
            return None;
        }
        Some(Self {
            profile: CurrentUser {
                id: m.id,
                role: m.role,
                username: m.username,
                first_name: m.first_name,
                last_name: m.last_name,
                email: m.email,
            },
            password_hash: m.password_hash,
        })
    }

    /// This user as the maker of a change.
    pub fn actor(&self) -> Actor {
        Actor::new(self.profile.id)
    }

    pub fn profile(&self) -> &CurrentUser {
        &self.profile
    }

    pub fn password_hash(&self) -> &str {
        &self.password_hash
    }
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

#[derive(Clone)]
pub struct Backend {
    db: DatabaseConnection,
    copies: Arc<SignedIn>,
}

impl Backend {
    pub fn new(db: DatabaseConnection, copies: Arc<SignedIn>) -> Self {
        Self { db, copies }
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    /// Sign-in goes through `service::login`, which then calls `AuthSession::login`.
    type Credentials = std::convert::Infallible;
    type Error = DbErr;

    async fn authenticate(&self, creds: Self::Credentials) -> Result<Option<SessionUser>, DbErr> {
        match creds {}
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, DbErr> {
        if let Some(copy) = self.copies.user(*id) {
            return Ok(Some(copy));
        }
        let user = user::Entity::find_by_id(*id)
            .one(&self.db)
            .await?
            .and_then(SessionUser::from_model);
        if let Some(user) = &user {
            self.copies.keep_user(user);
        }
        Ok(user)
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;
