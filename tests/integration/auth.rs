//! Registration, sign-in, sign-out, throttling and the session cookie.

use sales::auth::{CurrentUser, RegisterForm, Registered};
use sales::error::AppError;

use crate::support::fixtures::app_with_mail;
use crate::support::{
    LIVE_SITE, PASSWORD, TestApp, api, session_cookie, spawn_app, spawn_app_with,
};

async fn error_of(res: reqwest::Response) -> (u16, AppError) {
    (res.status().as_u16(), api::error_of(res).await)
}

async fn me(app: &TestApp) -> Option<CurrentUser> {
    app.get("/api/auth/me").await.json().await.unwrap()
}

fn form(username: &str, email: &str, password: &str, confirm: &str) -> serde_json::Value {
    let form = RegisterForm {
        username: username.into(),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: email.into(),
        password: password.into(),
        confirm: confirm.into(),
        captcha: None,
    };
    serde_json::json!({ "form": form })
}

#[tokio::test]
async fn register_sign_out_and_sign_in_again() {
    let app = spawn_app().await;
    let res = app.register("ann").await;
    assert_eq!(res.status(), 200);
    let Registered::SignedIn(user) = res.json().await.unwrap() else {
        panic!("the first account is signed in at once");
    };
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
async fn later_accounts_wait_for_an_admin_and_get_the_role_picked() {
    let app = spawn_app().await;
    app.register("ann").await;
    let bob = app.new_client();
    let res = app.register_with(&bob, "bob").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Registered>().await.unwrap(), Registered::Pending);
    // Not signed in, cannot sign in, reads nothing.
    let url = app.url("/api/auth/me");
    let me_bob = |c: reqwest::Client| {
        let url = url.clone();
        async move {
            c.get(url)
                .send()
                .await
                .unwrap()
                .json::<Option<CurrentUser>>()
                .await
                .unwrap()
        }
    };
    assert_eq!(me_bob(bob.clone()).await, None);
    let (status, err) = error_of(app.sign_in_with(&bob, "bob", PASSWORD).await).await;
    assert_eq!(status, 403);
    assert!(err.to_string().contains("approval"), "{err}");
    let clients = bob.get(app.url("/api/clients/?q=")).send().await.unwrap();
    assert_eq!(clients.status(), 401);
    // A wrong password still reads as the generic refusal: nothing about the account leaks.
    let (status, _) = error_of(app.sign_in_with(&bob, "bob", "not the password").await).await;
    assert_eq!(status, 401);

    // The admin sees the request first in the list and approves it with a role.
    let rows: Vec<sales::users::UserRow> =
        app.get("/api/users/?query=").await.json().await.unwrap();
    assert_eq!((rows[0].username.as_str(), rows[0].pending), ("bob", true));
    let res = app
        .call(
            "/api/users/approve",
            &serde_json::json!({ "id": rows[0].id, "role": "warehouse" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let row: sales::users::UserRow = res.json().await.unwrap();
    assert_eq!(
        (row.pending, row.role),
        (false, sales::auth::Role::Warehouse)
    );
    // Answered once: a second answer is a 409.
    let again = app
        .call("/api/users/decline", &serde_json::json!({ "id": row.id }))
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(app.sign_in_with(&bob, "bob", PASSWORD).await.status(), 200);
    assert_eq!(
        me_bob(bob.clone()).await.map(|u| u.role),
        Some(sales::auth::Role::Warehouse)
    );
}

#[tokio::test]
async fn a_declined_request_never_gets_in() {
    let app = spawn_app().await;
    app.register("ann").await;
    let eve = app.new_client();
    app.register_with(&eve, "eve").await;
    let rows: Vec<sales::users::UserRow> =
        app.get("/api/users/?query=eve").await.json().await.unwrap();
    let res = app
        .call(
            "/api/users/decline",
            &serde_json::json!({ "id": rows[0].id }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (status, err) = error_of(app.sign_in_with(&eve, "eve", PASSWORD).await).await;
    assert_eq!(status, 403);
    assert!(err.to_string().contains("deactivated"), "{err}");
    let approve = app
        .call(
            "/api/users/approve",
            &serde_json::json!({ "id": rows[0].id, "role": "admin" }),
        )
        .await;
    assert_eq!(
        approve.status(),
        409,
        "a declined request cannot be approved later"
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
        let res = app
            .call_with(
                &other,
                "/api/auth/register",
                &form(username, email, PASSWORD, PASSWORD),
            )
            .await;
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
async fn the_lockout_counts_per_account_whichever_identifier_is_typed() {
    let app = spawn_app().await;
    app.register("victor").await;
    app.call("/api/auth/logout", &serde_json::json!({})).await;
    // Failures typed both ways add up on the one account.
    for login in [
        "victor",
        "VICTOR@example.com",
        "Victor",
        "victor@example.com",
        "victor",
    ] {
        assert_eq!(app.sign_in(login, "not the password").await.status(), 401);
    }
    for login in ["victor", "VICTOR@example.com", "Victor@Example.com"] {
        let (status, _) = error_of(app.sign_in(login, PASSWORD).await).await;
        assert_eq!(
            status, 429,
            "{login} with the right password is locked out too"
        );
    }
}

#[tokio::test]
async fn unknown_and_overlong_names_are_counted_and_never_fail_the_server() {
    let app = spawn_app().await;
    app.register("ann").await;
    app.call("/api/auth/logout", &serde_json::json!({})).await;
    // Far past any username or email column (254): still the generic 401, then throttled.
    let long = "x".repeat(10_000);
    for _ in 0..5 {
        let (status, err) = error_of(app.sign_in(&long, "whatever").await).await;
        assert_eq!(status, 401);
        assert_eq!(err.to_string(), "invalid username or password");
    }
    assert_eq!(app.sign_in(&long, "whatever").await.status(), 429);
    // Multi-byte characters are shortened on a character boundary.
    let (status, _) = error_of(app.sign_in(&"é".repeat(300), "whatever").await).await;
    assert_eq!(status, 401);
    // Another unknown name is counted on its own.
    assert_eq!(app.sign_in("nobody", "whatever").await.status(), 401);
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

    let https = spawn_app_with(LIVE_SITE).await;
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
    // The cap leaves 3 s of slack after the last "still signed in" check: with 3 s it failed
    // once when a loaded machine took over a second to register and ask.
    let app = spawn_app_with(&[("SESSION_IDLE_SECONDS", "60"), ("SESSION_MAX_SECONDS", "5")]).await;
    app.register("ann").await;
    // The session began during `register`, so past this instant + 5 s it is past the cap.
    let signed_in = std::time::Instant::now();
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(me(&app).await.is_some());
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(me(&app).await.is_some());
    let past_cap = std::time::Duration::from_millis(5_500);
    tokio::time::sleep(past_cap.saturating_sub(signed_in.elapsed())).await;
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
    DbSessionStore::new(app.db().clone(), Default::default())
        .delete_expired()
        .await
        .unwrap();
    assert_eq!(session::Entity::find().count(app.db()).await.unwrap(), 0);
}

#[tokio::test]
async fn admins_are_mailed_about_each_request_and_the_person_when_approved() {
    let (app, smtp) = app_with_mail().await;
    app.register("ann").await;
    let res = app.register_with(&app.new_client(), "bob").await;
    assert_eq!(res.json::<Registered>().await.unwrap(), Registered::Pending);
    let mail = smtp.wait_for("ann@example.com").await.data;
    assert!(mail.contains("Account request: bob"), "{mail}");
    assert!(
        mail.contains("/users"),
        "the mail links the users page: {mail}"
    );
    assert_eq!(
        smtp.count(),
        1,
        "the requester is not mailed before approval"
    );
    let rows: Vec<sales::users::UserRow> =
        app.get("/api/users/?query=bob").await.json().await.unwrap();
    app.call(
        "/api/users/approve",
        &serde_json::json!({ "id": rows[0].id, "role": "sales" }),
    )
    .await;
    let mail = smtp.wait_for("bob@example.com").await.data;
    assert!(mail.contains("approved"), "{mail}");
}

/// A sign-in with `ip` as the X-Forwarded-For header: its status.
async fn sign_in_from(app: &TestApp, ip: &str, login: &str) -> u16 {
    let body = crate::accounts::login_body(login, "whatever password");
    let res = app.call_from(ip, "/api/auth/login", &body).await;
    res.status().as_u16()
}

/// 20 failed sign-ins (over 4 accounts, under their own limit) from `forwarded`, then one
/// from `then` to a fresh account: its status.
async fn failures_then_try(app: &TestApp, forwarded: &str, then: &str) -> u16 {
    for i in 0..20 {
        let status = sign_in_from(app, forwarded, &format!("user{}", i % 4)).await;
        assert_eq!(status, 401, "attempt {i}");
    }
    sign_in_from(app, then, "someone-new").await
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked_out() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    // Another client behind the same proxy is not locked out by the first one's failures.
    assert_eq!(
        failures_then_try(&app, "198.51.100.7", "198.51.100.8").await,
        401
    );
    let again = sign_in_from(&app, "198.51.100.7", "someone-else").await;
    assert_eq!(again, 429, "the failing address is locked");

    // From a peer that is not a trusted proxy, the header is not believed: varying it does
    // not escape the limit.
    let app = spawn_app().await;
    assert_eq!(
        failures_then_try(&app, "203.0.113.1", "203.0.113.2").await,
        429
    );
}

#[tokio::test]
async fn failed_sign_ins_older_than_the_window_are_swept() {
    use sales::server::entities::login_failure;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let app = spawn_app().await;
    let old = chrono::Utc::now() - chrono::Duration::minutes(16);
    for (account, at) in [("old", old), ("recent", chrono::Utc::now())] {
        login_failure::ActiveModel {
            account: Set(account.into()),
            ip: Set("192.0.2.1".into()),
            at: Set(at),
            ..Default::default()
        }
        .insert(app.db())
        .await
        .unwrap();
    }
    // The app's own sweep may run first (its first tick is at start); either way the old
    // failure goes and the recent one stays.
    sales::auth::service::sweep_failures(app.db())
        .await
        .unwrap();
    let left: Vec<String> = login_failure::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.account)
        .collect();
    assert_eq!(left, vec!["recent".to_string()]);
}

async fn session_ids(app: &TestApp) -> Vec<String> {
    use sales::server::entities::session;
    use sea_orm::EntityTrait;
    let rows = session::Entity::find().all(app.db()).await.unwrap();
    rows.into_iter().map(|s| s.id).collect()
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    app.register("ann").await;
    let client = app.new_client();
    let others = session_ids(&app).await;
    let first = app.sign_in_with(&client, "ann", PASSWORD).await;
    assert_eq!(first.status(), 200);
    let old_cookie = session_cookie(&first, "the first sign-in");
    assert_eq!(app.who_with(&old_cookie).await.as_deref(), Some("ann"));
    let old_ids: Vec<String> = (session_ids(&app).await.into_iter())
        .filter(|id| !others.contains(id))
        .collect();
    assert_eq!(old_ids.len(), 1, "this browser's session");

    // Signing in again on the same browser: a new id; the old cookie is worth nothing.
    let again = app.sign_in_with(&client, "ann", PASSWORD).await;
    assert_eq!(again.status(), 200);
    let new_cookie = session_cookie(&again, "signing in again");
    assert_eq!(app.who_with(&new_cookie).await.as_deref(), Some("ann"));
    assert_eq!(
        app.who_with(&old_cookie).await,
        None,
        "the old id still works"
    );
    let new_ids = session_ids(&app).await;
    assert!(
        old_ids.iter().all(|id| !new_ids.contains(id)),
        "the old id is gone: {old_ids:?} -> {new_ids:?}"
    );

    // A visitor gets no session id before signing in, so there is none to plant (fixation).
    let visitor = app.new_client();
    let res = app
        .sign_in_with(&visitor, "ann", "wrong password here")
        .await;
    assert_eq!(res.status(), 401);
    assert!(res.headers().get("set-cookie").is_none());

    // Signing out ends the session: replaying its cookie gets nobody.
    let out = app
        .call_with(&client, "/api/auth/logout", &serde_json::json!({}))
        .await;
    assert_eq!(out.status(), 200);
    assert_eq!(
        app.who_with(&new_cookie).await,
        None,
        "replayed after sign-out"
    );
}
