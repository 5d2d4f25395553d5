//! Clients: create, read, update, validation, unique email, roles, audit.

use sales::clients::Client;
use sales::server::entities::client;

use crate::support::api::{client_form, error_of};
use crate::support::spawn_app;

#[tokio::test]
async fn create_read_and_update_a_client() {
    let app = spawn_app().await;
    app.register("admin").await;
    let res = app
        .create_client(&client_form("  Acme GmbH ", "Billing@Acme.example"))
        .await;
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

    assert_eq!(app.client(c.id).await, c);

    let mut changed = client_form("Acme AG", "");
    changed.shipping_address = "Dock 4".into();
    let res = app.update_client(c.id, &changed).await;
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
    let err = error_of(res).await;
    for field in ["name", "email", "phone", "payment_terms_days"] {
        assert!(err.field_message(field).is_some(), "{field}: {err:?}");
    }
    assert_eq!(app.count::<client::Entity>().await, 0);
    // Wrong types are a 400 too, not a 500.
    let res = app
        .call(
            "/api/clients/create",
            &serde_json::json!({ "form": { "name": "X", "payment_terms_days": "thirty" } }),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.count::<client::Entity>().await, 0);
}

#[tokio::test]
async fn an_email_is_unique_among_active_clients_ignoring_case() {
    let app = spawn_app().await;
    app.register("admin").await;
    assert_eq!(
        app.create_client(&client_form("Acme", "sales@acme.example"))
            .await
            .status(),
        200
    );
    let res = app
        .create_client(&client_form("Acme Twin", "SALES@acme.example"))
        .await;
    assert_eq!(res.status(), 400);
    let err = error_of(res).await;
    assert!(
        err.field_message("email")
            .unwrap()
            .contains("Acme already uses"),
        "{err:?}"
    );
    // Clients without email do not clash.
    assert_eq!(
        app.create_client(&client_form("No Mail 1", ""))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.create_client(&client_form("No Mail 2", ""))
            .await
            .status(),
        200
    );
    assert_eq!(app.count::<client::Entity>().await, 3);
}

#[tokio::test]
async fn unknown_clients_are_404() {
    let app = spawn_app().await;
    app.register("admin").await;
    assert_eq!(app.get("/api/clients/999").await.status(), 404);
    let res = app.update_client(999, &client_form("X", "")).await;
    assert_eq!(res.status(), 404);
}
