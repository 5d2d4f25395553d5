//! Bringing people in by email, through a real SMTP server on loopback: an invitation makes
//! the account at once, and its link lets the person choose a password once, within a week;
//! an administrator's reset link for anyone; the users list's last sign-in.

use sales::server::entities::{audit_event, password_reset, user};
use sales::users::UserRow;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::reset::{NEW_PASSWORD, expire_links, reset, token_in};
use crate::support::api::field_error;
use crate::support::fixtures::{app_with_mail, client_with_role};
use crate::support::{PASSWORD, TestApp};

fn invite(username: &str, email: &str) -> serde_json::Value {
    serde_json::json!({ "form": {
        "username": username, "first_name": "Bea", "last_name": "Lee", "email": email,
        "role": "warehouse",
    }})
}

async fn row_of(app: &TestApp, username: &str) -> UserRow {
    let rows: Vec<UserRow> = app.read(&format!("/api/users/?query={username}")).await;
    rows.into_iter().find(|r| r.username == username).unwrap()
}

#[tokio::test]
async fn an_invited_person_chooses_a_password_once_and_signs_in() {
    let (app, smtp) = app_with_mail().await;
    app.register("admin").await;
    let res = app
        .call("/api/users/invite", &invite("bea", "Bea@Example.com"))
        .await;
    assert_eq!(res.status(), 200);
    let bea: UserRow = res.json().await.unwrap();
    assert_eq!((bea.invited, bea.active, bea.pending), (true, true, false));
    assert_eq!(
        (bea.email.as_str(), bea.last_sign_in),
        ("bea@example.com", None)
    );
    // No password works until she chooses one.
    let other = app.new_client();
    assert_eq!(
        app.sign_in_with(&other, "bea", PASSWORD).await.status(),
        401
    );
    assert_eq!(app.sign_in_with(&other, "bea", "").await.status(), 401);

    let mail = smtp.wait_for("bea@example.com").await;
    assert!(
        mail.data.contains("Subject: Your Sales account"),
        "{}",
        mail.data
    );
    let text = mail.data.replace("=\n", "");
    assert!(text.contains("username 'bea', role Warehouse"), "{text}");
    let token = token_in(&mail.data);
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 200);
    assert_eq!(
        reset(&app, &token, NEW_PASSWORD).await.status(),
        400,
        "once"
    );
    let res = app.sign_in_with(&other, "bea", NEW_PASSWORD).await;
    assert_eq!(res.status(), 200);
    let bea = row_of(&app, "bea").await;
    assert!(!bea.invited && bea.last_sign_in.is_some(), "{bea:?}");
    let invited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("user.invited"))
        .filter(audit_event::Column::EntityId.eq(bea.id.to_string()))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(invited, 1);

    // A taken address or name, or a bad one, is refused at its field and writes nothing.
    let users = user::Entity::find().count(app.db()).await.unwrap();
    let res = app
        .call("/api/users/invite", &invite("bea2", "bea@example.com"))
        .await;
    assert!(field_error(res, "email").await.contains("already exists"));
    let res = app
        .call("/api/users/invite", &invite("BEA", "new@example.com"))
        .await;
    assert!(field_error(res, "username").await.contains("taken"));
    let res = app
        .call("/api/users/invite", &invite("bob", "not-an-email"))
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(user::Entity::find().count(app.db()).await.unwrap(), users);
    assert_eq!(smtp.count(), 1, "one mail: the invitation");
}

#[tokio::test]
async fn an_invitation_expires_after_a_week() {
    let (app, smtp) = app_with_mail().await;
    app.register("admin").await;
    let res = app
        .call("/api/users/invite", &invite("cyd", "cyd@example.com"))
        .await;
    assert_eq!(res.status(), 200);
    let token = token_in(&smtp.wait_for("cyd@example.com").await.data);
    let link = password_reset::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let days = (link.expires_at - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((6.9..=7.0).contains(&days), "valid for {days} days");
    expire_links(&app).await;
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 400);
    let other = app.new_client();
    assert_eq!(
        app.sign_in_with(&other, "cyd", NEW_PASSWORD).await.status(),
        401
    );
}

#[tokio::test]
async fn an_admin_sends_anyone_a_link_to_choose_a_new_password() {
    let (app, smtp) = app_with_mail().await;
    app.register("admin").await;
    let (_, dee) = client_with_role(&app, "dee", sales::auth::Role::Sales).await;
    // The approval mail went first.
    smtp.wait_for("dee@example.com").await;
    let res = app
        .call("/api/users/send-reset", &serde_json::json!({ "id": dee }))
        .await;
    assert_eq!(res.status(), 200);
    let mail = smtp
        .wait_for_text("dee@example.com", "Choose a new Sales password")
        .await;
    let token = token_in(&mail.data);
    // The old password still works until the link is used.
    let other = app.new_client();
    assert_eq!(
        app.sign_in_with(&other, "dee", PASSWORD).await.status(),
        200
    );
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 200);
    let fresh = app.new_client();
    assert_eq!(
        app.sign_in_with(&fresh, "dee", PASSWORD).await.status(),
        401
    );
    assert_eq!(
        app.sign_in_with(&fresh, "dee", NEW_PASSWORD).await.status(),
        200
    );
    let res = app
        .call(
            "/api/users/send-reset",
            &serde_json::json!({ "id": 999_999 }),
        )
        .await;
    assert_eq!(res.status(), 404);
}
