//! Registration, sign-in, sign-out, throttling and the session cookie.

use sales::auth::CurrentUser;
use sales::error::AppError;

use crate::support::{PASSWORD, TestApp, spawn_app, spawn_app_with};

#[derive(serde::Deserialize)]
struct ErrorBody {
    data: AppError,
}

async fn error_of(res: reqwest::Response) -> (u16, AppError) {
    let status = res.status().as_u16();
    (
        status,
        res.json::<ErrorBody>().await.expect("typed error").data,
    )
}

async fn me(app: &TestApp) -> Option<CurrentUser> {
    app.get("/api/auth/me").await.json().await.unwrap()
}

fn form(username: &str, email: &str, password: &str, confirm: &str) -> serde_json::Value {
    serde_json::json!({ "form": {
        "username": username, "first_name": "Ann", "last_name": "Lee",
        "email": email, "password": password, "confirm": confirm,
    }})
}

#[tokio::test]
async fn register_sign_out_and_sign_in_again() {
    let app = spawn_app().await;
    let res = app.register("ann").await;
    assert_eq!(res.status(), 200);
    let user: CurrentUser = res.json().await.unwrap();
    assert_eq!(
        user.role,
        sales::auth::Role::Admin,
        "the first account is admin"
    );
    assert_eq!(me(&app).await.unwrap().username, "ann");

    assert_eq!(
        app.call("/api/auth/logout", &serde_json::json!({}))
            .await
            .status(),
        200
    );
    assert_eq!(me(&app).await, None);

    // Username or email, any case.
    for login in ["ANN", "Ann@Example.com"] {
        let res = app.sign_in(login, PASSWORD).await;
        assert_eq!(res.status(), 200, "{login}");
        assert_eq!(me(&app).await.unwrap().username, "ann");
        app.call("/api/auth/logout", &serde_json::json!({})).await;
    }
}

#[tokio::test]
async fn later_accounts_get_the_default_role() {
    let app = spawn_app().await;
    app.register("ann").await;
    let other = app.new_client();
    let res = other
        .post(app.url("/api/auth/register"))
        .header("X-Request-Client", "dioxus")
        .json(&form("bob", "bob@example.com", PASSWORD, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<CurrentUser>().await.unwrap().role,
        sales::auth::Role::Sales
    );
}

#[tokio::test]
async fn every_password_rule_is_enforced_by_the_server() {
    let app = spawn_app().await;
    let cases = [
        ("short1!", "short1!", "password", "at least 10 characters"),
        (
            "password1234",
            "password1234",
            "password",
            "too easy to guess",
        ),
        (
            "ann.lee.example",
            "ann.lee.example",
            "password",
            "must not be your username",
        ),
        (
            "ann@example.com",
            "ann@example.com",
            "password",
            "must not be your email address",
        ),
        (
            PASSWORD,
            "something else entirely",
            "confirm",
            "do not match",
        ),
    ];
    for (password, confirm, field, expected) in cases {
        let res = app
            .call(
                "/api/auth/register",
                &form("ann.lee.example", "ann@example.com", password, confirm),
            )
            .await;
        let (status, err) = error_of(res).await;
        assert_eq!(status, 400, "{password}");
        let msg = err.field_message(field).unwrap_or_default();
        assert!(msg.contains(expected), "{password}: {field} says {msg:?}");
    }
    assert_eq!(me(&app).await, None, "nothing was registered");
}

#[tokio::test]
async fn bad_account_fields_are_named() {
    let app = spawn_app().await;
    let bad = serde_json::json!({ "form": {
        "username": "a b", "first_name": " ", "last_name": "", "email": "nope",
        "password": PASSWORD, "confirm": PASSWORD,
    }});
    let (status, err) = error_of(app.call("/api/auth/register", &bad).await).await;
    assert_eq!(status, 400);
    for field in ["username", "first_name", "last_name", "email"] {
        assert!(err.field_message(field).is_some(), "{field}");
    }
}

#[tokio::test]
async fn taken_username_and_email_are_refused_clearly() {
    let app = spawn_app().await;
    app.register("ann").await;
    let other = app.new_client();
    for (username, email, field, expected) in [
        ("ANN", "new@example.com", "username", "already taken"),
        ("newbie", "Ann@Example.com", "email", "already exists"),
    ] {
        let res = other
            .post(app.url("/api/auth/register"))
            .header("X-Request-Client", "dioxus")
            .json(&form(username, email, PASSWORD, PASSWORD))
            .send()
            .await
            .unwrap();
        let (status, err) = error_of(res).await;
        assert_eq!(status, 400);
        assert!(
            err.field_message(field).unwrap().contains(expected),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn wrong_credentials_get_one_generic_answer() {
    let app = spawn_app().await;
    app.register("ann").await;
    app.call("/api/auth/logout", &serde_json::json!({})).await;
    for (login, password) in [
        ("ann", "wrong password here"),
        ("nobody", PASSWORD),
        ("", ""),
    ] {
        let (status, err) = error_of(app.sign_in(login, password).await).await;
        assert_eq!(status, 401);
        assert_eq!(err.to_string(), "invalid username or password");
    }
    assert_eq!(me(&app).await, None);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    app.register("ann").await;
    app.call("/api/auth/logout", &serde_json::json!({})).await;
    for _ in 0..5 {
        assert_eq!(app.sign_in("ann", "not the password").await.status(), 401);
    }
    // Even the right password is refused now, with a plain wait time.
    let (status, err) = error_of(app.sign_in("ann", PASSWORD).await).await;
    assert_eq!(status, 429);
    assert!(err.to_string().contains("try again in 15 minutes"), "{err}");
}

#[tokio::test]
async fn twenty_failures_from_one_ip_lock_that_ip() {
    let app = spawn_app().await;
    for i in 0..20 {
        let res = app
            .sign_in(&format!("user{}", i % 4), "whatever password")
            .await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let (status, _) = error_of(app.sign_in("someone-new", "whatever").await).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn the_session_cookie_is_private_http_only_and_strict() {
    let app = spawn_app().await;
    let res = app.register("ann").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("sales_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http: no Secure flag: {cookie}"
    );
    // Private: the value is encrypted, not the bare session id stored in the database.
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("sales_session=");
    assert!(value.len() > 40, "{value}");

    let https = spawn_app_with(&[("BASE_URL", "https://sales.example.com")]).await;
    let res = https.register("ann").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn registration_can_be_switched_off() {
    let app = spawn_app_with(&[("REGISTRATION_OPEN", "false")]).await;
    let (status, err) = error_of(app.register("ann").await).await;
    assert_eq!(status, 403);
    assert!(err.to_string().contains("registration is closed"));
}

#[tokio::test]
async fn an_idle_session_expires_but_an_active_one_does_not() {
    let app = spawn_app_with(&[("SESSION_IDLE_SECONDS", "3")]).await;
    app.register("ann").await;
    // Active: a request every second keeps the session alive past the idle timeout.
    for _ in 0..5 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let now = me(&app).await;
        assert!(now.is_some(), "still signed in while active");
    }
    // Idle for longer than the timeout: signed out.
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    assert_eq!(me(&app).await, None);
    assert_eq!(app.get("/api/system/info").await.status(), 401);
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_cap_even_when_active() {
    let app = spawn_app_with(&[("SESSION_IDLE_SECONDS", "60"), ("SESSION_MAX_SECONDS", "3")]).await;
    app.register("ann").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(me(&app).await.is_some());
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(me(&app).await.is_some());
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(me(&app).await, None, "past the absolute cap");
}

#[tokio::test]
async fn expired_sessions_are_removed_from_the_database() {
    use axum_login::tower_sessions::session_store::ExpiredDeletion;
    use sales::auth::session_store::DbSessionStore;
    use sales::server::entities::session;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = spawn_app_with(&[("SESSION_IDLE_SECONDS", "1")]).await;
    app.register("ann").await;
    let other = spawn_app_with(&[]).await; // a live session elsewhere must not matter
    other.register("bob").await;
    assert_eq!(session::Entity::find().count(app.db()).await.unwrap(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    DbSessionStore::new(app.db().clone())
        .delete_expired()
        .await
        .unwrap();
    assert_eq!(session::Entity::find().count(app.db()).await.unwrap(), 0);
}
