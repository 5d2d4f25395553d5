//! Clients: create, read, update, validation, unique email, roles, audit.

use sales::clients::Client;
use sales::error::AppError;

use crate::support::{TestApp, spawn_app};

pub fn form(name: &str, email: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name, "contact": "Jo Buyer", "email": email, "phone": "+49 30 1234",
        "billing_address": "1 Main St\n10115 Berlin", "shipping_address": "",
        "tax_id": "DE123", "payment_terms_days": 14, "notes": "",
    })
}

pub async fn create(app: &TestApp, name: &str, email: &str) -> reqwest::Response {
    app.call(
        "/api/clients/create",
        &serde_json::json!({ "form": form(name, email) }),
    )
    .await
}

pub async fn count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    sales::server::entities::client::Entity::find()
        .count(app.db())
        .await
        .unwrap()
}

#[derive(serde::Deserialize)]
pub struct ErrorBody {
    pub data: AppError,
}

#[tokio::test]
async fn create_read_and_update_a_client() {
    let app = spawn_app().await;
    app.register("admin").await;
    let res = create(&app, "  Acme GmbH ", "Billing@Acme.example").await;
    assert_eq!(res.status(), 200);
    let c: Client = res.json().await.unwrap();
    assert_eq!(c.name, "Acme GmbH", "trimmed");
    assert_eq!(
        c.email.as_deref(),
        Some("billing@acme.example"),
        "lower-cased"
    );
    assert_eq!(
        c.shipping_address, c.billing_address,
        "shipping defaults to billing"
    );
    assert_eq!(c.payment_terms_days, 14);
    assert!(c.active);

    let read: Client = app
        .get(&format!("/api/clients/{}", c.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, c);

    let mut changed = form("Acme AG", "");
    changed["shipping_address"] = "Dock 4".into();
    let res = app
        .call(
            "/api/clients/update",
            &serde_json::json!({ "id": c.id, "form": changed }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let u: Client = res.json().await.unwrap();
    assert_eq!((u.name.as_str(), u.email.as_deref()), ("Acme AG", None));
    assert_eq!(u.shipping_address, "Dock 4");

    let events = sales::audit::service::for_entity(app.db(), "client", c.id)
        .await
        .unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["client.created", "client.updated"]);
}

#[tokio::test]
async fn invalid_input_names_each_field_and_writes_nothing() {
    let app = spawn_app().await;
    app.register("admin").await;
    let bad = serde_json::json!({ "form": {
        "name": " ", "email": "nope", "phone": "call me", "payment_terms_days": 400,
    }});
    let res = app.call("/api/clients/create", &bad).await;
    assert_eq!(res.status(), 400);
    let err = res.json::<ErrorBody>().await.unwrap().data;
    for field in ["name", "email", "phone", "payment_terms_days"] {
        assert!(err.field_message(field).is_some(), "{field}: {err:?}");
    }
    assert_eq!(count(&app).await, 0);
    // Wrong types are a 400 too, not a 500.
    let res = app
        .call(
            "/api/clients/create",
            &serde_json::json!({ "form": { "name": "X", "payment_terms_days": "thirty" } }),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn an_email_is_unique_among_active_clients_ignoring_case() {
    let app = spawn_app().await;
    app.register("admin").await;
    assert_eq!(
        create(&app, "Acme", "sales@acme.example").await.status(),
        200
    );
    let res = create(&app, "Acme Twin", "SALES@acme.example").await;
    assert_eq!(res.status(), 400);
    let err = res.json::<ErrorBody>().await.unwrap().data;
    assert!(
        err.field_message("email")
            .unwrap()
            .contains("Acme already uses"),
        "{err:?}"
    );
    // Clients without email do not clash.
    assert_eq!(create(&app, "No Mail 1", "").await.status(), 200);
    assert_eq!(create(&app, "No Mail 2", "").await.status(), 200);
    assert_eq!(count(&app).await, 3);
}

#[tokio::test]
async fn unknown_clients_are_404() {
    let app = spawn_app().await;
    app.register("admin").await;
    assert_eq!(app.get("/api/clients/999").await.status(), 404);
    let res = app
        .call(
            "/api/clients/update",
            &serde_json::json!({ "id": 999, "form": form("X", "") }),
        )
        .await;
    assert_eq!(res.status(), 404);
}
