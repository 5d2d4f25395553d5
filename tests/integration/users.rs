//! User administration, profile changes, and the role matrix over every protected server
//! function.

use sales::auth::{CurrentUser, Registered, Role};
use sales::choice::Choice;
use sales::users::UserRow;

use crate::support::api::credit_form;
use crate::support::fixtures::{client_with_role, shop};
use crate::support::surface;
use crate::support::{CLIENT_HEADER, PASSWORD, TestApp, spawn_app};

async fn me(app: &TestApp, client: &reqwest::Client) -> Option<CurrentUser> {
    client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> u16 {
    answer(app, client, method, path, body).await.0
}

/// The status and body of calling `path`.
async fn answer(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, String) {
    let req = match method {
        "GET" => client.get(app.url(path)),
        // A file upload: the body is the raw bytes.
        "UPLOAD" => client
            .post(app.url(path))
            .header("Content-Type", "application/octet-stream")
            .body(body.as_str().unwrap_or_default().to_string()),
        _ => client.post(app.url(path)).json(&body),
    };
    let res = req
        .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

/// Every protected function refuses the roles it is not for, even for a record that exists
/// (each sample path's id 1 does), and a refusal carries none of the record.
#[tokio::test]
async fn the_role_matrix_holds_for_every_protected_server_function() {
    let (app, acme, products) = shop(&[50]).await;
    let order = app
        .delivered_order(acme.id, &[(products[0].id, 2, "10.00")])
        .await;
    let invoice = app.issued_invoice(order.id).await;
    // Credit note 1: one of the two pieces taken back.
    let line = invoice.lines[0].id;
    let res = app
        .credit_invoice(invoice.id, &credit_form("damaged", &[(line, "1")]))
        .await;
    assert_eq!(res.status(), 200);
    let numbers = [order.number.clone(), invoice.number.clone().unwrap()];
    assert_eq!(
        (acme.id, products[0].id, order.id, invoice.id),
        (1, 1, 1, 1)
    );
    let (_, target) = client_with_role(&app, "target", Role::Sales).await;
    let endpoints = surface::protected(target);
    let signed_out = app.new_client();
    let mut clients = vec![(Role::Admin, app.client.clone())];
    for role in [Role::Sales, Role::Warehouse, Role::Accounting] {
        clients.push((role, client_with_role(&app, role.as_str(), role).await.0));
    }
    for (method, path, body, allowed) in &endpoints {
        assert_eq!(
            call(&app, &signed_out, method, path, body.clone()).await,
            401,
            "{path} signed out"
        );
        for (role, client) in &clients {
            let (status, text) = answer(&app, client, method, path, body.clone()).await;
            let may = *role == Role::Admin || allowed.contains(role);
            if may {
                assert!(
                    status != 401 && status != 403,
                    "{role} may call {path}: got {status}"
                );
                if *method == "GET" && path.contains("/1") && *role == Role::Admin {
                    assert_eq!(status, 200, "record 1 of {path} exists");
                }
            } else {
                assert_eq!(status, 403, "{role} may not call {path}");
                for secret in [acme.name.as_str(), &numbers[0], &numbers[1]] {
                    assert!(
                        !text.contains(secret),
                        "{path} to {role} tells {secret}: {text}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn admin_searches_users_and_changes_a_role() {
    let app = spawn_app().await;
    app.register("admin").await;
    let (bob, bob_id) = client_with_role(&app, "bob", Role::Sales).await;
    client_with_role(&app, "carol", Role::Sales).await;

    let rows: Vec<UserRow> = app.get("/api/users/?query=BOB").await.json().await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.username.as_str()).collect::<Vec<_>>(),
        ["bob"]
    );
    let all: Vec<UserRow> = app.get("/api/users/?query=").await.json().await.unwrap();
    assert_eq!(all.len(), 3);

    let res = app
        .call(
            "/api/users/role",
            &serde_json::json!({ "id": bob_id, "role": "warehouse" }),
        )
        .await;
    assert_eq!(res.json::<UserRow>().await.unwrap().role, Role::Warehouse);
    assert_eq!(
        me(&app, &bob).await.unwrap().role,
        Role::Warehouse,
        "takes effect on the next request"
    );
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_at_once_and_cannot_sign_in() {
    let app = spawn_app().await;
    app.register("admin").await;
    let (bob, bob_id) = client_with_role(&app, "bob", Role::Sales).await;
    assert!(me(&app, &bob).await.is_some());

    let res = app
        .call(
            "/api/users/active",
            &serde_json::json!({ "id": bob_id, "active": false }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(me(&app, &bob).await, None, "the open session ended");
    let res = app.sign_in_with(&bob, "bob", PASSWORD).await;
    assert_eq!(res.status(), 403);

    app.call(
        "/api/users/active",
        &serde_json::json!({ "id": bob_id, "active": true }),
    )
    .await;
    let res = app.sign_in_with(&bob, "bob", PASSWORD).await;
    assert_eq!(res.status(), 200, "reactivated");
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let Registered::SignedIn(me) = app.register("admin").await.json().await.unwrap() else {
        panic!("the first account signs in");
    };
    let me_id = me.id;
    for (path, body) in [
        (
            "/api/users/role",
            serde_json::json!({ "id": me_id, "role": "sales" }),
        ),
        (
            "/api/users/active",
            serde_json::json!({ "id": me_id, "active": false }),
        ),
    ] {
        assert_eq!(app.call(path, &body).await.status(), 409, "{path}");
    }
    assert_eq!(
        app.call(
            "/api/users/role",
            &serde_json::json!({ "id": 999, "role": "sales" })
        )
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_only() {
    let app = spawn_app().await;
    app.register("ann").await;
    let laptop = app.new_client();
    app.sign_in_with(&laptop, "ann", PASSWORD).await;
    assert!(me(&app, &laptop).await.is_some());

    let new = "violet kettle marching north";
    let wrong = app
        .call(
            "/api/auth/password",
            &serde_json::json!({ "current": "nope", "password": new, "confirm": new }),
        )
        .await;
    assert_eq!(wrong.status(), 400, "the current password is required");
    let res = app
        .call(
            "/api/auth/password",
            &serde_json::json!({ "current": PASSWORD, "password": new, "confirm": new }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(me(&app, &app.client).await.is_some(), "this session stays");
    assert_eq!(me(&app, &laptop).await, None, "the other session ended");
    assert_eq!(app.sign_in("ann", new).await.status(), 200);
}

#[tokio::test]
async fn profile_edits_are_validated_and_saved() {
    let app = spawn_app().await;
    app.register("ann").await;
    client_with_role(&app, "bob", Role::Sales).await;
    let taken = app
        .call("/api/auth/profile", &serde_json::json!({ "first_name": "Ann", "last_name": "Lee", "email": "BOB@example.com" }))
        .await;
    assert_eq!(taken.status(), 400);
    let bad = app
        .call(
            "/api/auth/profile",
            &serde_json::json!({ "first_name": "", "last_name": "Lee", "email": "nope" }),
        )
        .await;
    assert_eq!(bad.status(), 400);
    let ok = app
        .call("/api/auth/profile", &serde_json::json!({ "first_name": "Annie", "last_name": "Lee", "email": "annie@example.com" }))
        .await;
    assert_eq!(ok.status(), 200);
    let now = me(&app, &app.client).await.unwrap();
    assert_eq!(
        (now.first_name.as_str(), now.email.as_str()),
        ("Annie", "annie@example.com")
    );
}

#[tokio::test]
async fn account_events_are_audited() {
    use sales::server::entities::audit_event;
    use sea_orm::{EntityTrait, QueryOrder};
    let app = spawn_app().await;
    app.register("admin").await;
    let (_, bob_id) = client_with_role(&app, "bob", Role::Warehouse).await;
    app.call(
        "/api/users/role",
        &serde_json::json!({ "id": bob_id, "role": "accounting" }),
    )
    .await;
    app.call(
        "/api/users/active",
        &serde_json::json!({ "id": bob_id, "active": false }),
    )
    .await;
    app.sign_in("nobody", "wrong password!").await;
    let new = "violet kettle marching north";
    app.call(
        "/api/auth/password",
        &serde_json::json!({ "current": PASSWORD, "password": new, "confirm": new }),
    )
    .await;
    app.call("/api/auth/logout", &serde_json::json!({})).await;
    app.sign_in("admin", new).await;

    let actions: Vec<String> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for expected in [
        "user.registered",
        "user.approved",
        "user.role_changed",
        "user.deactivated",
        "login.failed",
        "password.changed",
        "logout",
        "login.succeeded",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_page_the_role_may_not_open_renders_no_data() {
    let app = spawn_app().await;
    app.register("admin").await;
    let (sales, _) = client_with_role(&app, "sam", Role::Sales).await;
    client_with_role(&app, "secretive", Role::Accounting).await;
    let res = sales.get(app.url("/users")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(html.contains("Not allowed"), "{html}");
    for hidden in ["secretive", "admin@example.com"] {
        assert!(!html.contains(hidden), "{hidden} leaked into the page");
    }
    // The admin sees the list.
    let html = app.get("/users").await.text().await.unwrap();
    assert!(html.contains("secretive"));
}
