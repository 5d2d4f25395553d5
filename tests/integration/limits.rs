//! Rate limits on password-reset requests and registrations, per IP and per address, kept in
//! the database (`server::throttle`).

use crate::accounts::register_body;
use crate::support::api::error_of;
use crate::support::fixtures::app_with_mail;
use crate::support::{TestApp, spawn_app_with};
use sea_orm::{EntityTrait, PaginatorTrait};

/// A reset request for `email`, forwarded from `ip`: its status and, for a refusal, the message.
async fn forgot(app: &TestApp, ip: &str, email: &str) -> (u16, String) {
    let body = serde_json::json!({ "email": email });
    answer(app.call_from(ip, "/api/auth/forgot", &body).await).await
}

async fn answer(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    if status == 200 {
        return (status, String::new());
    }
    (status, error_of(res).await.to_string())
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_whether_or_not_it_has_an_account() {
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    for email in ["ann@example.com", "nobody@example.com"] {
        for i in 0..3 {
            assert_eq!(
                forgot(&app, "127.0.0.1", email).await.0,
                200,
                "{email} #{i}"
            );
        }
        let (status, message) = forgot(&app, "127.0.0.1", email).await;
        assert_eq!(status, 429, "{email}");
        assert!(
            message.contains("too many password-reset requests; try again in 60 minutes"),
            "{message}"
        );
    }
    smtp.wait_for("ann@example.com").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.count(), 3, "the refused request sent nothing");
}

#[tokio::test]
async fn reset_requests_are_limited_per_ip() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    for i in 0..10 {
        let email = format!("person{i}@example.com");
        assert_eq!(forgot(&app, "203.0.113.5", &email).await.0, 200, "#{i}");
    }
    let (status, _) = forgot(&app, "203.0.113.5", "one-more@example.com").await;
    assert_eq!(status, 429);
    // Another client behind the same proxy is not held back.
    assert_eq!(
        forgot(&app, "203.0.113.6", "one-more@example.com").await.0,
        200
    );
}

#[tokio::test]
async fn registrations_are_limited_per_ip_and_per_address() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let register = |ip: &'static str, name: String| {
        let app = &app;
        async move {
            let res = app
                .call_from(ip, "/api/auth/register", &register_body(&name))
                .await;
            answer(res).await
        }
    };
    for i in 0..10 {
        assert_eq!(
            register("203.0.113.7", format!("user{i}")).await.0,
            200,
            "#{i}"
        );
    }
    let (status, message) = register("203.0.113.7", "user10".into()).await;
    assert_eq!(status, 429);
    assert!(message.contains("too many registrations"), "{message}");
    assert_eq!(register("203.0.113.8", "user10".into()).await.0, 200);

    // The same address, tried again from elsewhere: the second and third are refused as
    // taken, the fourth is not even checked.
    for ip in ["192.0.2.1", "192.0.2.2"] {
        assert_eq!(register(ip, "user10".into()).await.0, 400, "taken");
    }
    assert_eq!(register("192.0.2.3", "user10".into()).await.0, 429);

    // A form refused at its fields costs nothing and is not counted.
    let weak = serde_json::json!({ "form": {
        "username": "weak", "first_name": "W", "last_name": "K", "email": "weak@example.com",
        "password": "short", "confirm": "short",
    }});
    for _ in 0..5 {
        let (status, _) = answer(
            app.call_from("192.0.2.9", "/api/auth/register", &weak)
                .await,
        )
        .await;
        assert_eq!(status, 400);
    }
    assert_eq!(register("192.0.2.9", "weak".into()).await.0, 200);
    let users = sales::server::entities::user::Entity::find()
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(users, 12, "no refused registration wrote an account");
}

#[tokio::test]
async fn old_counts_are_swept() {
    use sales::server::entities::rate_hit;
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app_with(&[]).await;
    for (address, minutes_ago) in [("old@example.com", 61), ("recent@example.com", 1)] {
        rate_hit::ActiveModel {
            action: Set("password.reset".into()),
            ip: Set("192.0.2.1".into()),
            address: Set(address.into()),
            at: Set(chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)),
            ..Default::default()
        }
        .insert(app.db())
        .await
        .unwrap();
    }
    sales::server::throttle::sweep(app.db()).await.unwrap();
    let left: Vec<String> = rate_hit::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.address)
        .collect();
    assert_eq!(left, vec!["recent@example.com".to_string()]);
}
