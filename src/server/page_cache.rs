//! The sign-in pages, rendered once per address: they show nobody's data, and what they do
//! show (the configuration's sign-up and reCAPTCHA settings, the bundle's asset names) is fixed
//! for the life of the process. A render builds a whole virtual DOM, most of a sign-in
//! page's cost; a copy costs a lookup.
//!
//! The copy is taken before the security headers' middleware, so each answer still gets its
//! own nonce. A request carrying a session cookie is rendered as before: the session layer may
//! renew its cookie, and a copy must never carry one. Each server keeps its own copies, made
//! from its own configuration, so servers behind one balancer never disagree with themselves.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use dioxus::server::axum::body::{Body, Bytes, to_bytes};
use dioxus::server::axum::extract::{Request, State};
use dioxus::server::axum::http::{HeaderMap, Method, StatusCode, header};
use dioxus::server::axum::middleware::Next;
use dioxus::server::axum::response::{IntoResponse, Response};

use super::headers::PAGE_READ_LIMIT;
use super::router::SESSION_COOKIE;
use crate::error::AppError;

/// The pages shown before signing in (`app::Route`'s `AuthLayout`). The reset page is left
/// out: its address holds a secret token, which no copy should keep.
const PUBLIC_PAGES: &[&str] = &["/login", "/register", "/forgot-password"];

/// Addresses kept (`/login?next=…` varies with where a visitor was going); past this,
/// pages are rendered as before rather than kept.
const MAX_PAGES: usize = 256;

#[derive(Clone)]
struct Page {
    headers: HeaderMap,
    body: Bytes,
}

/// The copies, shared by every request of this server.
#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<RwLock<HashMap<String, Page>>>,
}

/// The middleware: a kept copy when there is one, else the rendered page, kept when it may be.
pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(key) = cacheable(&req) else {
        return next.run(req).await;
    };
    if let Some(page) = cache.get(&key) {
        let mut res = Response::new(Body::from(page.body));
        *res.headers_mut() = page.headers;
        return res;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    // Read whole as the nonce middleware reads every page, under the same limit.
    match to_bytes(body, PAGE_READ_LIMIT).await {
        Ok(body) => {
            cache.keep(key, &parts.headers, body.clone());
            Response::from_parts(parts, Body::from(body))
        }
        // The render failed midway (a sign-in page is a few kilobytes).
        Err(e) => AppError::internal("rendering a sign-in page", e).into_response(),
    }
}

/// The address a copy is kept under, for a plain GET of a sign-in page without a session.
fn cacheable(req: &Request) -> Option<String> {
    let path = req.uri().path();
    if req.method() != Method::GET || !PUBLIC_PAGES.contains(&path) {
        return None;
    }
    let has_session = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .any(|c| {
            c.split_once('=')
                .is_some_and(|(name, _)| name.trim() == SESSION_COOKIE)
        });
    if has_session {
        return None;
    }
    Some(req.uri().path_and_query()?.as_str().to_string())
}

impl PageCache {
    fn get(&self, key: &str) -> Option<Page> {
        // A poisoned lock only means a panic elsewhere mid-insert: render instead.
        self.pages.read().ok()?.get(key).cloned()
    }

    fn keep(&self, key: String, headers: &HeaderMap, body: Bytes) {
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        if pages.len() < MAX_PAGES {
            let headers = headers.clone();
            pages.insert(key, Page { headers, body });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, cookie: Option<&str>) -> Request {
        let mut req = Request::builder().uri(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_gets_of_the_sign_in_pages_are_kept() {
        assert_eq!(
            cacheable(&get("/login?next=%2Forders", None)).as_deref(),
            Some("/login?next=%2Forders")
        );
        assert_eq!(
            cacheable(&get("/register", Some("theme=dark"))).as_deref(),
            Some("/register")
        );
        assert_eq!(
            cacheable(&get("/login", Some("a=1; sales_session=xyz"))),
            None
        );
        // A cookie whose name merely starts alike is no session.
        assert!(cacheable(&get("/login", Some("sales_session_seen=1"))).is_some());
        assert_eq!(cacheable(&get("/reset-password?token=secret", None)), None);
        assert_eq!(cacheable(&get("/", None)), None);
        let post = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .body(Body::empty())
            .unwrap();
        assert_eq!(cacheable(&post), None);
    }

    #[test]
    fn it_stops_keeping_pages_when_full() {
        let cache = PageCache::default();
        for i in 0..MAX_PAGES + 5 {
            cache.keep(format!("/login?next=/{i}"), &HeaderMap::new(), Bytes::new());
        }
        assert_eq!(cache.pages.read().unwrap().len(), MAX_PAGES);
        assert!(cache.get("/login?next=/0").is_some());
        assert!(cache.get(&format!("/login?next=/{MAX_PAGES}")).is_none());
    }
}
