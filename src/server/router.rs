//! The HTTP surface: health check, API guard, server functions and the rendered app.
//!
//! `build` is the one place the router is assembled; the binary and the tests both call it,
//! so tests exercise exactly what production serves.

use dioxus::server::axum::body::{Body, to_bytes};
use dioxus::server::axum::extract::{Extension, Request};
use dioxus::server::axum::http::{Method, StatusCode};
use dioxus::server::axum::middleware::{self, Next};
use dioxus::server::axum::response::{IntoResponse, Response};
use dioxus::server::axum::routing::{any, get};
use dioxus::server::axum::{Json, Router};
use dioxus::server::{DioxusRouterExt, ServeConfig};
use serde::Serialize;

use axum_login::AuthManagerLayerBuilder;
use axum_login::tower_sessions::cookie::{Key, SameSite};
use axum_login::tower_sessions::session_store::ExpiredDeletion;
use axum_login::tower_sessions::{Expiry, SessionManagerLayer};
use sea_orm::DatabaseConnection;

use super::AppState;
use super::db;
use crate::auth::backend::Backend;
use crate::auth::session_store::DbSessionStore;
use crate::error::AppError;

/// Header the dioxus client adds to every server-function call; a cross-site form cannot.
const CLIENT_HEADER: &str = "x-request-client";

pub fn build(state: AppState) -> Router {
    ensure_public_dir();
    let config = &state.config;
    let idle = time::Duration::seconds(config.session_idle.as_secs() as i64);
    // Private cookie: the session id is encrypted and authenticated with the configured key.
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("sales_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.https())
        .with_expiry(Expiry::OnInactivity(idle))
        .with_private(Key::from(&config.session_key));
    let auth = AuthManagerLayerBuilder::new(Backend::new(state.db.clone()), sessions).build();
    Router::new()
        .route("/health", get(health))
        // Files (a download, an image), so plain handlers rather than server functions.
        .route("/api/clients/export.csv", get(crate::clients::csv::export))
        .route("/api/orders/{id}/qr.svg", get(crate::orders::qr::qr_svg))
        .route("/api/{*rest}", any(api_not_found))
        .serve_dioxus_application(ServeConfig::new(), crate::app::App)
        .layer(auth)
        .layer(middleware::from_fn(api_guard))
        .layer(Extension(state))
}

/// Background task: delete expired sessions every five minutes.
pub async fn remove_expired_sessions(db: DatabaseConnection) {
    let store = DbSessionStore::new(db);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        tick.tick().await;
        if let Err(e) = store.delete_expired().await {
            tracing::warn!("removing expired sessions: {e}");
        }
    }
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
    backend: &'static str,
    version: &'static str,
}

/// Load balancers and the benchmark poll this: 200 when the database answers, else 503.
async fn health(Extension(state): Extension<AppState>) -> Response {
    let ok = db::ping(&state.db).await.is_ok();
    let body = Health {
        status: if ok { "ok" } else { "degraded" },
        database: if ok { "ok" } else { "unreachable" },
        backend: state.config.backend.name(),
        version: env!("CARGO_PKG_VERSION"),
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

async fn api_not_found() -> AppError {
    AppError::NotFound("this API endpoint".into())
}

/// The one API middleware:
/// - refuses state-changing calls without the dioxus client header (CSRF guard, with SameSite);
/// - turns the framework's "could not decode the arguments" answer, which it sends as a 500,
///   into the 400 it really is, so no input can produce a 500.
async fn api_guard(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let from_client = req
        .headers()
        .get(CLIENT_HEADER)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"dioxus"));
    if changes_state && !from_client {
        return AppError::Forbidden(
            "this request did not come from the application (X-Request-Client header missing)"
                .into(),
        )
        .into_response();
    }
    let res = next.run(req).await;
    if res.status() == StatusCode::INTERNAL_SERVER_ERROR {
        return reclassify_framework_error(res).await;
    }
    res
}

/// Our own 500s carry `data.kind`; a bare `{"error": "error deserializing …"}` is the framework
/// refusing the request body (on the server it can only mean the arguments).
async fn reclassify_framework_error(res: Response) -> Response {
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let framework_msg = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("error")?.as_str().map(str::to_string))
        .filter(|m| {
            // dioxus words a bad request body as "error deserializing server function results"
            m.starts_with("error deserializing server function")
                || m.starts_with("missing argument")
        });
    match framework_msg {
        Some(m) => AppError::invalid(format!("the request could not be read: {m}")).into_response(),
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// Static files are served from `public/` beside the executable (dx puts the wasm bundle
/// there). dioxus panics if the folder is missing, as it is for a plain `cargo run` or the
/// tests; then pages are still rendered, just without the browser bundle.
fn ensure_public_dir() {
    if std::env::var_os("DIOXUS_PUBLIC_PATH").is_some() {
        return;
    }
    let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("public")))
    else {
        return;
    };
    if !dir.exists() {
        tracing::warn!(
            "no {} folder: serving pages without the browser bundle (build with dx)",
            dir.display()
        );
        if let Err(e) = std::fs::create_dir_all(&dir) {
            tracing::warn!("cannot create {}: {e}", dir.display());
        }
    }
}
