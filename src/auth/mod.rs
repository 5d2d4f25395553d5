//! Users and sign-in: registration, sessions, roles, password reset (ARCHITECTURE.md, "Roles").

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub mod profile;
pub mod reset_view;
mod role;
pub mod rules;
mod strength;
pub mod view;

pub use role::{Access, Role};

#[cfg(feature = "server")]
pub mod backend;
#[cfg(feature = "server")]
pub mod fresh;
#[cfg(feature = "server")]
pub mod guard;
#[cfg(feature = "server")]
pub mod password;
#[cfg(feature = "server")]
pub mod reset;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod session_store;

#[cfg(feature = "server")]
use crate::server::AppState;
#[cfg(feature = "server")]
use guard::Ctx;

/// The signed-in user as pages see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: Role,
}

impl CurrentUser {
    /// "Sam Seller": how the person is shown to others.
    pub fn display_name(&self) -> String {
        crate::users::display_name(&self.first_name, &self.last_name, &self.username)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegisterForm {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub confirm: String,
    /// reCAPTCHA response token, when reCAPTCHA is on.
    #[serde(default)]
    pub captcha: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginForm {
    /// Username or email.
    pub login: String,
    pub password: String,
    #[serde(default)]
    pub captcha: Option<String>,
}

/// What a registration led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Registered {
    /// The very first account: an administrator, signed in.
    SignedIn(CurrentUser),
    /// Waiting for an administrator to approve it and pick its role; no access until then.
    Pending,
}

/// What the public pages need to know before the user signs in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthSettings {
    pub registration_open: bool,
    pub recaptcha_site_key: Option<String>,
}

#[cfg(feature = "server")]
impl From<&backend::SessionUser> for CurrentUser {
    fn from(u: &backend::SessionUser) -> Self {
        u.profile().clone()
    }
}

/// Who is signed in (`None` for a visitor). Public: the shell uses it to decide what to show.
#[get("/api/auth/me", ctx: Ctx)]
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(ctx.auth.user.as_ref().map(CurrentUser::from))
}

#[get("/api/auth/settings", state: AppState)]
pub async fn auth_settings() -> Result<AuthSettings, AppError> {
    Ok(AuthSettings {
        registration_open: state.config.registration_open,
        recaptcha_site_key: state.config.recaptcha.as_ref().map(|r| r.site_key.clone()),
    })
}

#[post("/api/auth/register", ctx: Ctx)]
pub async fn register(form: RegisterForm) -> Result<Registered, AppError> {
    let mut ctx = ctx;
    crate::server::recaptcha::check(&ctx.state, form.captcha.as_deref(), &ctx.ip).await?;
    match service::register(&ctx.state.db, &ctx.state.config, &ctx.ip, form).await? {
        service::NewAccount::FirstAdmin(user) => {
            ctx.sign_in(&user).await?;
            Ok(Registered::SignedIn(CurrentUser::from(&user)))
        }
        service::NewAccount::Pending => Ok(Registered::Pending),
    }
}

#[post("/api/auth/login", ctx: Ctx)]
pub async fn login(form: LoginForm) -> Result<CurrentUser, AppError> {
    let mut ctx = ctx;
    crate::server::recaptcha::check(&ctx.state, form.captcha.as_deref(), &ctx.ip).await?;
    let user = service::login(&ctx.state.db, &ctx.ip, form).await?;
    ctx.sign_in(&user).await?;
    Ok(CurrentUser::from(&user))
}

#[post("/api/auth/logout", ctx: Ctx)]
pub async fn logout() -> Result<(), AppError> {
    let mut ctx = ctx;
    if let Some(user) = ctx.auth.user.as_ref().map(|u| u.actor()) {
        service::logged_out(&ctx.state.db, user).await?;
    }
    ctx.sign_out().await
}

/// Why this password would be refused, for the pages to say while the person types. Public:
/// registration and reset use it before anyone is signed in; it reads nothing stored.
#[post("/api/auth/password-check")]
pub async fn check_password(
    password: String,
    username: String,
    email: String,
) -> Result<Vec<String>, AppError> {
    Ok(rules::password_problems(&password, &username, &email))
}

/// Always answers the same, whether or not the address has an account.
#[post("/api/auth/forgot", ctx: Ctx)]
pub async fn request_password_reset(
    email: String,
    captcha: Option<String>,
) -> Result<(), AppError> {
    crate::server::recaptcha::check(&ctx.state, captcha.as_deref(), &ctx.ip).await?;
    reset::request(&ctx.state, &ctx.ip, &email).await
}

#[post("/api/auth/reset", state: AppState)]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    reset::complete(&state, &token, password, confirm).await
}

#[post("/api/auth/profile", ctx: Ctx)]
pub async fn update_profile(
    first_name: String,
    last_name: String,
    email: String,
) -> Result<CurrentUser, AppError> {
    let user = ctx.require(Access::SignedIn)?;
    let updated = service::update_profile(&ctx.state, user, first_name, last_name, email).await?;
    Ok(CurrentUser::from(&updated))
}

/// Change one's own password. Every other session of this user ends; this one stays.
#[post("/api/auth/password", ctx: Ctx)]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let mut ctx = ctx;
    let user = ctx.require(Access::SignedIn)?.clone();
    let updated = service::change_password(&ctx.state, &user, current, password, confirm).await?;
    ctx.rebind(&updated).await
}
