//! Password reset through a real SMTP server on loopback.

use std::time::Duration;

use crate::support::fixtures::app_with_mail;
use crate::support::smtp::SmtpServer;
use crate::support::{PASSWORD, TestApp};

pub(crate) const NEW_PASSWORD: &str = "violet kettle marching north";

/// The token from the link in the mail (quoted-printable soft breaks undone).
pub(crate) fn token_in(mail: &str) -> String {
    let text = mail.replace("=\n", "").replace("=3D", "=");
    let start = text
        .find("reset-password?token=")
        .expect("link in the mail")
        + "reset-password?token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// Ask for a reset of ann@example.com and return the token from the mail.
async fn reset_token(app: &TestApp, smtp: &SmtpServer) -> String {
    app.call(
        "/api/auth/forgot",
        &serde_json::json!({ "email": "ann@example.com" }),
    )
    .await;
    token_in(&smtp.wait_for("ann@example.com").await.data)
}

/// Ages every password link past its end, a minute ago.
pub(crate) async fn expire_links(app: &TestApp) {
    use sales::server::entities::password_reset;
    use sea_orm::EntityTrait;
    use sea_orm::sea_query::Expr;
    password_reset::Entity::update_many()
        .col_expr(
            password_reset::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(app.db())
        .await
        .unwrap();
}

pub(crate) async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.call(
        "/api/auth/reset",
        &serde_json::json!({ "token": token, "password": password, "confirm": password }),
    )
    .await
}

#[tokio::test]
async fn reset_by_email_works_once() {
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    app.call("/api/auth/logout", &serde_json::json!({})).await;

    let res = app
        .call(
            "/api/auth/forgot",
            &serde_json::json!({ "email": "ANN@example.com" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mail = smtp.wait_for("ann@example.com").await;
    assert!(
        mail.data.contains("Subject: Reset your Sales password"),
        "{}",
        mail.data
    );
    let token = token_in(&mail.data);
    assert_eq!(token.len(), 64, "{}", mail.data);

    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 200);
    assert_eq!(
        app.sign_in("ann", PASSWORD).await.status(),
        401,
        "old password is gone"
    );
    assert_eq!(app.sign_in("ann", NEW_PASSWORD).await.status(), 200);

    // Single use.
    let again = reset(&app, &token, "another fine long passphrase").await;
    assert_eq!(again.status(), 400);
    let body: serde_json::Value = again.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("invalid, used or expired")
    );
}

#[tokio::test]
async fn the_answer_is_the_same_for_unknown_addresses_and_no_mail_is_sent() {
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    let known = app
        .call(
            "/api/auth/forgot",
            &serde_json::json!({ "email": "ann@example.com" }),
        )
        .await;
    let unknown = app
        .call(
            "/api/auth/forgot",
            &serde_json::json!({ "email": "nobody@example.com" }),
        )
        .await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    smtp.wait_for("ann@example.com").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.count(), 1, "only the known address got mail");
}

#[tokio::test]
async fn only_the_hash_of_the_token_is_stored() {
    use sales::server::entities::password_reset;
    use sea_orm::EntityTrait;
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    let token = reset_token(&app, &smtp).await;
    let rows = password_reset::Entity::find().all(app.db()).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].token_hash, token);
    assert!(!rows[0].token_hash.contains(&token[..16]));
}

#[tokio::test]
async fn an_expired_or_made_up_token_is_refused() {
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    let token = reset_token(&app, &smtp).await;
    expire_links(&app).await;
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 400);
    assert_eq!(
        reset(&app, &"0".repeat(64), NEW_PASSWORD).await.status(),
        400
    );
    assert_eq!(reset(&app, "", NEW_PASSWORD).await.status(), 400);
}

#[tokio::test]
async fn the_new_password_must_follow_the_rules() {
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    let token = reset_token(&app, &smtp).await;
    let res = reset(&app, &token, "short").await;
    assert_eq!(res.status(), 400);
    // The token survives a refused attempt.
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 200);
}
