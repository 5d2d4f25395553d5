//! Errors keep their HTTP status through the real server-function machinery, bad input is a
//! 400 (never a 500), and the CSRF guard refuses calls without the client header.
//!
//! The probe server functions below are registered by the same `#[post]` macro the app uses,
//! so these tests exercise the app's error path, not a copy of it.

use dioxus::prelude::*;
use sales::error::{AppError, FieldError};
use serde::Deserialize;

use crate::support::spawn_app;

/// Answers with the error for `code`, or `Ok` for 200.
#[post("/api/test/fail")]
async fn probe_fail(code: u16) -> Result<String, AppError> {
    match code {
        200 => Ok("fine".into()),
        400 => Err(AppError::fields(vec![FieldError {
            field: "email".into(),
            message: "not an email address".into(),
        }])),
        401 => Err(AppError::sign_in()),
        403 => Err(AppError::Forbidden("sales may not do this".into())),
        404 => Err(AppError::NotFound("client 99".into())),
        409 => Err(AppError::Conflict(
            "SO-2026-00001 is already confirmed".into(),
        )),
        413 => Err(AppError::TooLarge("the file is too large".into())),
        429 => Err(AppError::TooManyRequests("try again in 15 minutes".into())),
        _ => Err(AppError::Internal),
    }
}

/// Panics with details no client may see.
#[post("/api/test/panic")]
async fn probe_panic() -> Result<String, AppError> {
    panic!("secret detail at src/hidden.rs:42");
}

#[derive(Deserialize)]
struct Payload {
    code: u16,
    message: String,
    data: AppError,
}

#[tokio::test]
async fn each_error_arrives_with_its_own_status() {
    let app = spawn_app().await;
    for code in [400u16, 401, 403, 404, 409, 413, 429, 500] {
        let res = app
            .call("/api/test/fail", &serde_json::json!({ "code": code }))
            .await;
        assert_eq!(res.status().as_u16(), code, "status for {code}");
        let body: Payload = res.json().await.expect("error body is the typed error");
        assert_eq!(body.code, code);
        assert!(!body.message.is_empty());
        use dioxus::fullstack::AsStatusCode;
        assert_eq!(body.data.as_status_code().as_u16(), code);
    }
}

#[tokio::test]
async fn field_errors_reach_the_client_by_field() {
    let app = spawn_app().await;
    let res = app
        .call("/api/test/fail", &serde_json::json!({ "code": 400 }))
        .await;
    let body: Payload = res.json().await.unwrap();
    assert_eq!(
        body.data.field_message("email"),
        Some("not an email address")
    );
}

#[tokio::test]
async fn internal_errors_hide_their_details() {
    let app = spawn_app().await;
    let res = app
        .call("/api/test/fail", &serde_json::json!({ "code": 500 }))
        .await;
    assert_eq!(res.status(), 500);
    let body: Payload = res.json().await.unwrap();
    assert_eq!(body.data, AppError::Internal);
    assert_eq!(
        body.message,
        "something went wrong on our side; it has been logged"
    );
}

#[tokio::test]
async fn a_panic_answers_the_generic_500_and_shows_nothing_of_itself() {
    let app = spawn_app().await;
    let res = app.call("/api/test/panic", &serde_json::json!({})).await;
    assert_eq!(res.status(), 500);
    let text = res.text().await.unwrap();
    assert!(
        !text.contains("secret") && !text.contains("panicked"),
        "{text}"
    );
    let body: Payload = serde_json::from_str(&text).expect("the app's own error");
    assert_eq!(body.data, AppError::Internal);
}

#[tokio::test]
async fn malformed_input_is_a_400_not_a_500() {
    let app = spawn_app().await;
    let bad_bodies: [&[u8]; 5] = [
        b"not json",
        b"{}",
        br#"{"code": "four hundred"}"#,
        br#"{"code": -1}"#,
        b"\xff\xfe\x00garbage",
    ];
    for body in bad_bodies {
        let res = app
            .post_raw(&app.client, "/api/test/fail")
            .header("Content-Type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            400,
            "body {:?}",
            String::from_utf8_lossy(body)
        );
        let payload: Payload = res.json().await.unwrap();
        assert!(matches!(payload.data, AppError::Invalid { .. }));
    }
}

#[tokio::test]
async fn state_changing_calls_need_the_client_header() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/test/fail"))
        .json(&serde_json::json!({ "code": 200 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let payload: Payload = res.json().await.unwrap();
    assert!(
        payload.message.contains("X-Request-Client"),
        "{}",
        payload.message
    );

    // The same call from the app's client goes through.
    let ok = app
        .call("/api/test/fail", &serde_json::json!({ "code": 200 }))
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<String>().await.unwrap(), "fine");
}

#[tokio::test]
async fn reads_do_not_need_the_client_header() {
    let app = spawn_app().await;
    app.register("ann").await;
    let res = app.get("/api/system/info").await;
    assert_eq!(res.status(), 200, "GET is not state-changing");
}
