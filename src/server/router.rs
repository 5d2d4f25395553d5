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
use std::time::Duration;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::trace::TraceLayer;

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

/// The session cookie's name.
pub(super) const SESSION_COOKIE: &str = "sales_session";

pub fn build(state: AppState) -> Router {
    ensure_public_dir();
    let config = &state.config;
    let idle = time::Duration::seconds(config.session_idle.as_secs() as i64);
    // Private cookie: the session id is encrypted and authenticated with the configured key.
    let store = DbSessionStore::new(state.db.clone(), state.signed_in.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.https())
        .with_expiry(Expiry::OnInactivity(idle))
        .with_private(Key::from(&config.session_key));
    let backend = Backend::new(state.db.clone(), state.signed_in.clone());
    let auth = AuthManagerLayerBuilder::new(backend, sessions)
        .with_data_key(crate::auth::fresh::AUTH_KEY)
        .build();
    Router::new()
        .route("/health", get(health))
        .route("/manifest.webmanifest", get(super::install::manifest))
        .route("/icons/{name}", get(super::install::icon))
        // Files (a download, an image), so plain handlers rather than server functions.
        .route("/api/clients/export.csv", get(crate::clients::csv::export))
        .route("/api/orders/{id}/qr.svg", get(crate::orders::qr::qr_svg))
        .route(
            "/api/deliveries/{id}/note.pdf",
            get(crate::deliveries::note::note_pdf),
        )
        .route(
            "/api/orders/{id}/quotation.pdf",
            get(crate::orders::paper::quotation_pdf),
        )
        .route(
            "/api/orders/{id}/confirmation.pdf",
            get(crate::orders::paper::confirmation_pdf),
        )
        .route(
            "/api/invoices/{id}/invoice.pdf",
            get(crate::invoices::pdf::invoice_pdf),
        )
        .route(
            "/api/credit-notes/{id}/pdf",
            get(crate::invoices::pdf::credit_note_pdf),
        )
        .route("/api/exports/{id}/file", get(crate::exports::file))
        .route(
            "/api/admin/check-numbers",
            get(super::numbers::check_numbers),
        )
        .route("/api/{*rest}", any(api_not_found))
        .serve_dioxus_application(ServeConfig::new(), crate::app::App)
        .layer(auth)
        // Inside the guard (a query it refuses is refused before any copy is looked up),
        // outside the session layer, which a kept sign-in page skips.
        .layer(middleware::from_fn_with_state(
            super::page_cache::PageCache::default(),
            super::page_cache::serve,
        ))
        .layer(middleware::from_fn(api_guard))
        .layer(Extension(state.clone()))
        .layer(middleware::from_fn_with_state(
            super::headers::Headers::new(&state.config),
            super::headers::secure,
        ))
        .layer(compression())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(log_answer)
                .on_failure(log_failure),
        )
}

/// gzip for answers a browser asks compressed and that are not already: the release build
/// writes brotli copies of the bundle, but browsers ask for brotli only over HTTPS, so over
/// plain HTTP (a LAN install, the tests) the 5 MB wasm would otherwise travel raw. Small
/// answers are left alone; they gain nothing worth the work. Only tower-http's gzip feature is
/// built, so this never brotli-compresses on the fly (slow at its default quality).
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(DefaultPredicate::new().and(SizeAbove::new(1024)))
}

/// Every request runs in a span naming its method and path (never its query, which may hold
/// what a person typed), so whatever is logged while serving it, a 500's cause above all, says
/// which request it was.
fn request_span(req: &Request) -> tracing::Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
}

/// Each answer at debug, with its status and latency.
fn log_answer(res: &Response, latency: Duration, _: &tracing::Span) {
    tracing::debug!(status = res.status().as_u16(), ?latency, "answered");
}

/// A server error at error, within its request's span.
fn log_failure(failure: ServerErrorsFailureClass, latency: Duration, _: &tracing::Span) {
    tracing::error!(%failure, ?latency, "failed");
}

/// Background task: every five minutes, delete expired sessions, old request keys, and
/// sign-in failures and rate-limit counts that no longer count; once per period across all
/// the servers on one database (`cluster::claim_run`).
pub async fn remove_expired_sessions(db: DatabaseConnection) {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(300);
    let store = DbSessionStore::new(db.clone(), Default::default());
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        match super::cluster::claim_run(&db, "sweep", EVERY).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!("claiming the sweep: {e}");
                continue;
            }
        }
        if let Err(e) = store.delete_expired().await {
            tracing::warn!("removing expired sessions: {e}");
        }
        if let Err(e) = super::idempotency::sweep(&db).await {
            tracing::warn!("removing old request keys: {e}");
        }
        if let Err(e) = crate::auth::service::sweep_failures(&db).await {
            tracing::warn!("removing old sign-in failures: {e}");
        }
        if let Err(e) = super::throttle::sweep(&db).await {
            tracing::warn!("removing old rate-limit counts: {e}");
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

/// Largest body a server-function call may carry: a form's worth (an order of 200 lines is
/// about 30 KiB). Uploads stream past this and enforce their own documented cap.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// Routes whose body is a streamed upload, each refusing past its own cap while it reads.
const STREAMED_UPLOADS: &[&str] = &["/api/clients/import"];

/// Largest framework error body read back when deciding what a 500 really is. An error that
/// echoes a request can be several times the request (JSON escapes), never this much.
const ERROR_READ_LIMIT: usize = 1024 * 1024;

/// The one request middleware, in front of everything:
/// - refuses a NUL character in a query string (PostgreSQL cannot store or compare it, SQLite
///   can: refused here, both backends behave the same);
/// - for `/api/`: refuses state-changing calls without the dioxus client header (CSRF guard,
///   with SameSite), caps the body, refuses NUL in it, and never lets a framework error, a
///   panic's text or an echo of the input reach the client.
async fn api_guard(req: Request, next: Next) -> Response {
    if has_nul_in_query(req.uri().query()) {
        return nul_refused().into_response();
    }
    let path = req.uri().path();
    if !path.starts_with("/api/") {
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
    let req = if STREAMED_UPLOADS.contains(&path) {
        req
    } else {
        match buffer_body(req, FORM_BODY_LIMIT).await {
            Ok(req) => req,
            Err(refused) => return refused.into_response(),
        }
    };
    let res = next.run(req).await;
    if res.status() == StatusCode::INTERNAL_SERVER_ERROR {
        return reclassify_500(res).await;
    }
    res
}

fn nul_refused() -> AppError {
    AppError::invalid("text may not contain the NUL character (\\0)")
}

/// `%00` is the only way a NUL reaches a query string.
fn has_nul_in_query(query: Option<&str>) -> bool {
    query.is_some_and(|q| q.as_bytes().windows(3).any(|w| w == b"%00"))
}

/// Reads the body up to `limit` (413 beyond it) and refuses a NUL in it, so that neither an
/// oversized body nor text the database cannot hold ever reaches a server function.
async fn buffer_body(req: Request, limit: usize) -> Result<Request, AppError> {
    let too_large =
        || AppError::TooLarge(format!("the request is larger than {} KiB", limit / 1024));
    let declared = req
        .headers()
        .get(dioxus::server::axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) if is_length_limit(&e) => return Err(too_large()),
        Err(_) => return Err(AppError::invalid("the request body could not be read")),
    };
    if json_has_nul(&bytes) {
        return Err(nul_refused());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn is_length_limit(err: &dioxus::server::axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// A raw NUL byte, or a JSON `\u0000` escape that is not itself an escaped backslash followed
/// by the letters `u0000`.
fn json_has_nul(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    bytes.windows(6).enumerate().any(|(i, w)| {
        w == b"\\u0000" && bytes[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
    })
}

/// Our own 500 is `AppError::Internal`, already generic. Anything else answering 500 is the
/// framework: its "cannot decode the arguments" (which is a 400, and quotes the input), or a
/// panic's text. Neither is shown: the first becomes a short 400, the rest a logged, generic
/// 500.
async fn reclassify_500(res: Response) -> Response {
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_READ_LIMIT).await else {
        tracing::error!("an oversized error answer was replaced by the generic 500");
        return AppError::Internal.into_response();
    };
    let json = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
    if json
        .as_ref()
        .and_then(|v| serde_json::from_value::<AppError>(v.get("data")?.clone()).ok())
        .is_some()
    {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let framework_msg = json
        .as_ref()
        .and_then(|v| v.get("error")?.as_str())
        .unwrap_or_default();
    // dioxus words a bad request body as "error deserializing server function …"
    if framework_msg.starts_with("error deserializing server function")
        || framework_msg.starts_with("missing argument")
    {
        return AppError::invalid(
            "the request could not be read: a value is missing, of the wrong type, or not one \
             of the choices",
        )
        .into_response();
    }
    let shown: String = String::from_utf8_lossy(&bytes).chars().take(2000).collect();
    tracing::error!("a 500 from the framework was replaced by the generic one: {shown}");
    AppError::Internal.into_response()
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
