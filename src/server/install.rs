//! What makes the web app installable from a browser, on a phone or a desktop: the web app
//! manifest (`/manifest.webmanifest`) and its icons (`/icons/…`, drawn by `scripts/icons`).
//! The page names the manifest and the theme colour in its head (`app::App`). Public, like
//! `/health`: browsers fetch a manifest without the session cookie.

use dioxus::server::axum::extract::Path;
use dioxus::server::axum::http::{StatusCode, header};
use dioxus::server::axum::response::{IntoResponse, Response};

use crate::app::THEME_COLOUR;

/// The icons by name, with their size: two in the favicon's rounded square, and one for
/// launchers that cut their own shape (`maskable`, the glyph inside the middle 40 %).
const ICONS: [(&str, &str, &[u8]); 3] = [
    (
        "icon-192.png",
        "192x192",
        include_bytes!("../../assets/icons/icon-192.png"),
    ),
    (
        "icon-512.png",
        "512x512",
        include_bytes!("../../assets/icons/icon-512.png"),
    ),
    (
        "maskable-512.png",
        "512x512",
        include_bytes!("../../assets/icons/maskable-512.png"),
    ),
];

/// `GET /manifest.webmanifest`
pub async fn manifest() -> Response {
    let icons: Vec<serde_json::Value> = ICONS
        .iter()
        .map(|(name, sizes, _)| {
            serde_json::json!({
                "src": format!("/icons/{name}"),
                "sizes": sizes,
                "type": "image/png",
                "purpose": if name.starts_with("maskable") { "maskable" } else { "any" },
            })
        })
        .collect();
    let body = serde_json::json!({
        "name": "Sales ordering",
        "short_name": "Sales",
        "description": "Clients, orders, stock, deliveries, invoices and reports",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    });
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// `GET /icons/{name}`
pub async fn icon(Path(name): Path<String>) -> Response {
    match ICONS.iter().find(|(n, _, _)| *n == name) {
        Some((_, _, bytes)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
