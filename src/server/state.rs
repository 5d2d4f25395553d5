//! Shared server state, handed to every request and to server functions as an extractor.

use std::sync::Arc;

use dioxus::server::axum::extract::FromRequestParts;
use dioxus::server::axum::http::request::Parts;
use sea_orm::DatabaseConnection;

use super::config::Config;
use super::mail::Mailer;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Outgoing HTTP (reCAPTCHA verification), one connection pool for the process.
    pub http: reqwest::Client,
    /// New orders queue here to be written in groups (`orders::intake`).
    pub orders: crate::orders::intake::Intake,
    /// Invoices issued, and their PDFs stored, in groups the same way (`invoices::issuing`).
    pub invoicing: crate::invoices::issuing::Invoicing,
    /// Exports being written, and their files (`exports::jobs`).
    pub exports: crate::exports::jobs::Exports,
    /// This server's short-lived copies of sessions and users (`auth::fresh`).
    pub signed_in: Arc<crate::auth::fresh::SignedIn>,
}

/// Server functions name `state: AppState` in their attribute to receive it; the router puts
/// it on every request as an extension.
impl<S: Send + Sync> FromRequestParts<S> for AppState {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<AppState>()
            .cloned()
            .ok_or_else(|| AppError::internal("request", "AppState extension missing"))
    }
}
