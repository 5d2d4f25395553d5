//! reCAPTCHA v2 against a local verify server that says yes to one token and no to others.

use dioxus::server::axum::routing::post;
use dioxus::server::axum::{Form, Json, Router};
use std::collections::HashMap;

use crate::support::{PASSWORD, TestApp, spawn_app, spawn_app_with};

/// Answers `success: true` only for the token "human" with the secret "s3cret".
async fn verify_server() -> String {
    let app = Router::new().route(
        "/siteverify",
        post(|Form(f): Form<HashMap<String, String>>| async move {
            let ok = f.get("secret").map(String::as_str) == Some("s3cret")
                && f.get("response").map(String::as_str) == Some("human");
            Json(serde_json::json!({ "success": ok }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/siteverify", listener.local_addr().unwrap());
    tokio::spawn(async move { dioxus::server::axum::serve(listener, app).await.unwrap() });
    url
}

async fn with_captcha(verify_url: &str) -> TestApp {
    spawn_app_with(&[
        ("RECAPTCHA_SITE_KEY", "site-key"),
        ("RECAPTCHA_SECRET", "s3cret"),
        ("RECAPTCHA_VERIFY_URL", verify_url),
    ])
    .await
}

fn register_body(captcha: Option<&str>) -> serde_json::Value {
    serde_json::json!({ "form": {
        "username": "ann", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.com",
        "password": PASSWORD, "confirm": PASSWORD, "captcha": captcha,
    }})
}

#[tokio::test]
async fn the_site_key_is_published_only_when_configured() {
    let plain = spawn_app().await;
    let s: serde_json::Value = plain.get("/api/auth/settings").await.json().await.unwrap();
    assert!(s["recaptcha_site_key"].is_null());
    let app = with_captcha(&verify_server().await).await;
    let s: serde_json::Value = app.get("/api/auth/settings").await.json().await.unwrap();
    assert_eq!(s["recaptcha_site_key"], "site-key");
}

#[tokio::test]
async fn a_verified_token_passes_and_others_are_refused() {
    let app = with_captcha(&verify_server().await).await;
    for (token, expected) in [(None, 400), (Some("robot"), 400), (Some("human"), 200)] {
        let res = app.call("/api/auth/register", &register_body(token)).await;
        assert_eq!(res.status(), expected, "{token:?}");
        if expected == 400 {
            let body: serde_json::Value = res.json().await.unwrap();
            assert!(
                body["message"].as_str().unwrap().contains("robot"),
                "{body}"
            );
        }
    }
    // Sign-in and reset requests are checked too.
    app.call("/api/auth/logout", &serde_json::json!({})).await;
    let login = |captcha: &'static str| serde_json::json!({ "form": { "login": "ann", "password": PASSWORD, "captcha": captcha } });
    assert_eq!(
        app.call("/api/auth/login", &login("robot")).await.status(),
        400
    );
    assert_eq!(
        app.call("/api/auth/login", &login("human")).await.status(),
        200
    );
    let forgot = serde_json::json!({ "email": "ann@example.com", "captcha": "robot" });
    assert_eq!(app.call("/api/auth/forgot", &forgot).await.status(), 400);
}

#[tokio::test]
async fn an_unreachable_verifier_is_a_clear_503_not_a_500() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = with_captcha(&format!("http://127.0.0.1:{port}/siteverify")).await;
    let res = app
        .call("/api/auth/register", &register_body(Some("human")))
        .await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("could not be verified"),
        "{body}"
    );
}

#[tokio::test]
async fn the_public_forms_show_the_widget_only_when_configured() {
    let plain = spawn_app().await;
    for page in ["/login", "/register", "/forgot-password"] {
        let html = plain.get(page).await.text().await.unwrap();
        assert!(!html.contains("g-recaptcha"), "{page}");
    }
    let app = with_captcha(&verify_server().await).await;
    for page in ["/login", "/register", "/forgot-password"] {
        let html = app.get(page).await.text().await.unwrap();
        assert!(
            html.contains(r#"data-sitekey="site-key""#),
            "{page}: {html}"
        );
    }
}
