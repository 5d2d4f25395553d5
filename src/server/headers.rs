//! Security headers on every answer, and the nonce that lets Dioxus's own inline scripts run
//! under a Content-Security-Policy that allows no other inline script.
//!
//! A server-rendered page carries two inline scripts of Dioxus's: the hydration queue and the
//! page's hydration data, which differs per request. Each page gets a fresh nonce, written
//! into those `<script>` tags here. Only a bare `<script>` tag gets one: Dioxus escapes every
//! text and attribute it renders, so a name such as `<script>alert(1)</script>` reaches the
//! page as `&lt;script&gt;…` and can never become a tag, let alone one with the nonce.
//!
//! `'unsafe-eval'` stays in `script-src`: Dioxus's `document::eval`, which `document::Title`
//! uses to retitle the tab on every client-side navigation, runs through `new Function`.
//! It lets the page's own code build functions from strings; it lets no injected markup run.
//! `'wasm-unsafe-eval'` is what compiling the app's WebAssembly needs.

use dioxus::server::axum::body::{Body, to_bytes};
use dioxus::server::axum::extract::{Request, State};
use dioxus::server::axum::http::{HeaderMap, HeaderValue, header};
use dioxus::server::axum::middleware::Next;
use dioxus::server::axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::Config;
use crate::error::AppError;

/// The policies, built once from the configuration.
pub struct Headers {
    /// The page policy, split where the nonce goes.
    page: (String, String),
    hsts: bool,
}

/// reCAPTCHA's widget: its script, the scripts it loads, and the frame it draws in.
const RECAPTCHA_SCRIPTS: &str =
    " https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/";
const RECAPTCHA_FRAMES: &str =
    "https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/";

/// A PDF shown in the browser's own viewer: nothing but framing is restricted, because
/// Chromium's viewer is refused by `object-src`/`default-src 'none'` on the document.
const PDF_POLICY: &str = "frame-ancestors 'none'";

/// Anything else that is not a page (JSON, CSV, images, the bundle): it may run nothing.
const OTHER_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// What the browser may use: no camera, microphone, location, payment or USB access.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// Pages as they are: the bundle and the reset link's token stay on this site.
const REFERRER: &str = "same-origin";

/// A year, the usual for a site that is HTTPS for good.
const HSTS: &str = "max-age=31536000";

/// Largest page read back to set its nonce; the longest list page is far below it.
pub(super) const PAGE_READ_LIMIT: usize = 16 * 1024 * 1024;

impl Headers {
    pub fn new(config: &Config) -> Arc<Self> {
        let captcha = config.recaptcha.is_some();
        let frames = if captcha { RECAPTCHA_FRAMES } else { "'none'" };
        let before = "default-src 'self'; script-src 'self' 'nonce-".to_string();
        let after = format!(
            "' 'wasm-unsafe-eval' 'unsafe-eval'{}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
             frame-src {frames}; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'",
            if captcha { RECAPTCHA_SCRIPTS } else { "" },
        );
        Arc::new(Headers {
            page: (before, after),
            hsts: config.https(),
        })
    }
}

/// The middleware: a nonce into each page, and the headers on every answer.
pub async fn secure(State(headers): State<Arc<Headers>>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let policy = match kind(res.headers()) {
        Kind::Page => {
            let nonce = nonce();
            let res = match with_nonce(res, &nonce).await {
                Ok(res) => res,
                Err(e) => return e.into_response(),
            };
            let (before, after) = &headers.page;
            return stamp(res, &format!("{before}{nonce}{after}"), headers.hsts);
        }
        Kind::Pdf => PDF_POLICY,
        Kind::Other => OTHER_POLICY,
    };
    stamp(res, policy, headers.hsts)
}

enum Kind {
    Page,
    Pdf,
    Other,
}

fn kind(headers: &HeaderMap) -> Kind {
    let ty = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ty.starts_with("text/html") {
        Kind::Page
    } else if ty.starts_with("application/pdf") {
        Kind::Pdf
    } else {
        Kind::Other
    }
}

fn stamp(mut res: Response, policy: &str, hsts: bool) -> Response {
    let h = res.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, REFERRER),
        (
            header::HeaderName::from_static("permissions-policy"),
            PERMISSIONS,
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    if hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    res
}

/// 128 random bits, hex: a fresh one per page, so a nonce seen once is useless later.
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The page with `nonce` on each bare `<script>` tag (Dioxus's inline scripts).
async fn with_nonce(res: Response, nonce: &str) -> Result<Response, AppError> {
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, PAGE_READ_LIMIT)
        .await
        .map_err(|e| AppError::internal("reading a page to set its nonce", e))?;
    let page = add_nonce(&bytes, nonce);
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok(Response::from_parts(parts, Body::from(page)))
}

fn add_nonce(page: &[u8], nonce: &str) -> Vec<u8> {
    const BARE: &[u8] = b"<script>";
    let tagged = format!("<script nonce=\"{nonce}\">");
    let mut out = Vec::with_capacity(page.len() + 2 * tagged.len());
    let mut copied = 0;
    for at in memchr::memmem::find_iter(page, BARE) {
        out.extend_from_slice(&page[copied..at]);
        out.extend_from_slice(tagged.as_bytes());
        copied = at + BARE.len();
    }
    out.extend_from_slice(&page[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_script_tags_get_the_nonce() {
        let page = b"<p>&lt;script&gt;x</p><script>a()</script><script type=\"module\" src=\"/m.js\"></script><script>b()</script>";
        let out = String::from_utf8(add_nonce(page, "ab12")).unwrap();
        assert_eq!(
            out,
            "<p>&lt;script&gt;x</p><script nonce=\"ab12\">a()</script><script type=\"module\" \
             src=\"/m.js\"></script><script nonce=\"ab12\">b()</script>"
        );
    }

    #[test]
    fn each_page_gets_a_new_nonce() {
        assert_ne!(nonce(), nonce());
        assert_eq!(nonce().len(), 32);
    }
}
