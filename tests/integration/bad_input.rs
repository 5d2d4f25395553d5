//! Bad input never fails the server: oversized bodies (413), NUL characters (refused the same
//! on SQLite and PostgreSQL), numbers at and past the ends of i64, amounts too large to store,
//! oversized choices (a short 400 that never echoes the input), and a panic's text never
//! reaches the client.

use sales::error::AppError;
use sales::server::entities::{client, order};
use sales::stock::{AdjustmentForm, ReceiptForm};

use crate::support::api::{
    ErrorBody, adjustment, client_form, field_error, order_form, product_form, receipt,
};
use crate::support::fixtures::shop;
use crate::support::{TestApp, spawn_app};

/// A JSON call whose raw body is `body`, as the dioxus client would send it.
async fn raw(app: &TestApp, path: &str, body: Vec<u8>) -> reqwest::Response {
    app.post_raw(&app.client, path)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The answer is the app's own error with `status`, short, with no trace of the framework.
async fn app_error(res: reqwest::Response, status: u16) -> AppError {
    assert_eq!(res.status(), status);
    let text = res.text().await.unwrap();
    assert!(
        text.len() < 1000,
        "a short answer, not an echo: {} bytes",
        text.len()
    );
    for leak in [
        "panicked",
        "unwrap",
        "FailedToBufferBody",
        ".rs:",
        "LengthLimit",
    ] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    serde_json::from_str::<ErrorBody>(&text)
        .unwrap_or_else(|e| panic!("not the app's error ({e}): {text}"))
        .data
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_on_every_route() {
    let app = spawn_app().await;
    app.register("admin").await;
    // Just over 2 MiB (the framework's own limit, where it used to panic), and just over ours.
    let just_over = sales::server::router::FORM_BODY_LIMIT + 1;
    for size in [2 * 1024 * 1024 + 1, just_over] {
        let name = "n".repeat(size);
        for path in [
            "/api/clients/create",
            "/api/auth/login",
            "/api/products/receive",
        ] {
            let body =
                serde_json::to_vec(&serde_json::json!({ "form": { "name": name } })).unwrap();
            let err = app_error(raw(&app, path, body).await, 413).await;
            assert!(matches!(err, AppError::TooLarge(_)), "{path}: {err:?}");
        }
    }
    assert_eq!(
        app.count::<client::Entity>().await,
        0,
        "nothing was written"
    );
    // A form's worth still goes through.
    assert_eq!(
        app.create_client(&client_form(&"n".repeat(200), ""))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn nul_characters_are_refused_before_the_database_on_both_backends() {
    let app = spawn_app().await;
    app.register("admin").await;
    for path in [
        "/api/clients/?q=a%00b",
        "/api/stock/?q=%00",
        "/api/orders/?q=%00",
        "/api/users/?query=x%00",
    ] {
        let err = app_error(app.get(path).await, 400).await;
        assert!(err.to_string().contains("NUL"), "{path}: {err}");
    }
    // The pages that search as they render, too.
    for page in ["/clients?q=%00", "/stock?q=a%00"] {
        assert_eq!(app.get(page).await.status(), 400, "{page}");
    }
    // In a JSON body, as an escape; and sign-in text.
    let body = br#"{"form":{"name":"Acme\u0000Corp"}}"#.to_vec();
    app_error(raw(&app, "/api/clients/create", body).await, 400).await;
    let body = br#"{"form":{"login":"ann\u0000","password":"x"}}"#.to_vec();
    app_error(raw(&app, "/api/auth/login", body).await, 400).await;
    assert_eq!(app.count::<client::Entity>().await, 0);
    // The six characters \u0000 typed as text are only text.
    let body = br#"{"form":{"name":"Acme \\u0000 Corp"}}"#.to_vec();
    let res = raw(&app, "/api/clients/create", body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.count::<client::Entity>().await, 1);
}

#[tokio::test]
async fn quantities_at_and_past_the_ends_of_i64_get_a_field_message() {
    let (app, client, products) = shop(&[10]).await;
    let id = products[0].id;
    for qty in [
        "-9223372036854775808",
        "9223372036854775807",
        "99999999999999999999",
    ] {
        let msg = field_error(app.receive(id, &receipt(qty)).await, "quantity").await;
        assert!(msg.contains("at most"), "receive {qty}: {msg}");
        let res = app.adjust(id, &adjustment(qty, "count")).await;
        let msg = field_error(res, "quantity").await;
        assert!(msg.contains("at most"), "adjust {qty}: {msg}");
        let res = app.create_product(&product_form("X-1", qty)).await;
        assert!(field_error(res, "reorder_level").await.contains("at most"));
        let res = app
            .create_order(&order_form(client.id, &[(id, 1, "1.00")]), false)
            .await;
        assert_eq!(res.status(), 200, "a good order for contrast");
        let mut bad = order_form(client.id, &[(id, 1, "1.00")]);
        bad.lines[0].quantity = qty.into();
        let msg = field_error(app.create_order(&bad, false).await, "lines[0].quantity").await;
        assert!(msg.contains("at most"), "{msg}");
    }
    assert_eq!(app.product(id).await.on_hand, 10, "nothing moved");
}

#[tokio::test]
async fn amounts_too_large_to_store_are_refused_at_their_line_or_total() {
    let (app, client, products) = shop(&[0, 0]).await;
    let (a, b) = (products[0].id, products[1].id);
    // 10^9 × 10,000,000,000.00: each input within its limit, the line 10^21 cents.
    let res = app
        .create_order(
            &order_form(client.id, &[(a, 1_000_000_000, "10,000,000,000.00")]),
            false,
        )
        .await;
    let msg = field_error(res, "lines[0].amount").await;
    assert!(msg.contains("net amount is over the limit"), "{msg}");
    // Two lines that fit, summing past the limit: refused at the total.
    let line = (a, 600, "10,000,000,000.00");
    let res = app
        .create_order(
            &order_form(client.id, &[line, (b, 600, "10,000,000,000.00")]),
            false,
        )
        .await;
    let msg = field_error(res, "total").await;
    assert!(msg.contains("over the limit"), "{msg}");
    assert_eq!(app.count::<order::Entity>().await, 0, "nothing was written");
    // Editing a draft is held to the same rule.
    let draft: sales::orders::Order = app
        .create_order(&order_form(client.id, &[(a, 1, "1.00")]), false)
        .await
        .json()
        .await
        .unwrap();
    let huge = order_form(client.id, &[(a, 1_000_000_000, "10,000,000,000.00")]);
    let res = app.update_order(draft.id, &huge).await;
    field_error(res, "lines[0].amount").await;
}

#[tokio::test]
async fn an_oversized_choice_is_a_short_400_that_never_echoes_it() {
    let (app, client, products) = shop(&[5]).await;
    let order: sales::orders::Order = app
        .create_order(
            &order_form(client.id, &[(products[0].id, 1, "1.00")]),
            false,
        )
        .await
        .json()
        .await
        .unwrap();
    for size in [10, 60_000] {
        let junk = "Q".repeat(size);
        // A word no Priority has: only raw JSON can say it.
        let mut with_priority =
            serde_json::to_value(order_form(client.id, &[(products[0].id, 1, "1.00")])).unwrap();
        with_priority["priority"] = junk.clone().into();
        for (path, body) in [
            (
                "/api/users/role",
                serde_json::json!({ "id": 1, "role": junk }),
            ),
            (
                "/api/orders/transition",
                serde_json::json!({ "id": order.id, "action": junk }),
            ),
            (
                "/api/orders/create",
                serde_json::json!({ "form": with_priority, "confirm": false }),
            ),
        ] {
            let res = raw(&app, path, serde_json::to_vec(&body).unwrap()).await;
            let err = app_error(res, 400).await;
            assert!(
                !err.to_string().contains("QQQQQQQQQ"),
                "{path} echoes: {err}"
            );
        }
    }
    // Past the body limit: refused by size, just as short.
    let body = serde_json::json!({ "id": 1, "role": "Q".repeat(70_000) });
    app_error(
        raw(&app, "/api/users/role", serde_json::to_vec(&body).unwrap()).await,
        413,
    )
    .await;
    assert_eq!(app.count::<order::Entity>().await, 1);
}

#[tokio::test]
async fn the_same_receipt_or_adjustment_sent_twice_is_applied_once() {
    let app = spawn_app().await;
    app.register("admin").await;
    let p = app.new_product("IDEM-1", "0").await;
    let keyed = |quantity: &str, key: &str| ReceiptForm {
        request_key: Some(key.into()),
        ..receipt(quantity)
    };
    let first = keyed("5", "receipt-key-0001");
    // Ten copies at once, as retries racing each other: one receipt.
    let copies = (0..10).map(|_| app.receive(p.id, &first));
    for res in futures::future::join_all(copies).await {
        assert_eq!(res.status(), 200);
    }
    assert_eq!(app.product(p.id).await.on_hand, 5);
    // A new key is a new receipt.
    let second = keyed("5", "receipt-key-0002");
    assert_eq!(app.receive(p.id, &second).await.status(), 200);
    assert_eq!(app.product(p.id).await.on_hand, 10);

    // A refused adjustment claims nothing: the same key works once the stock is there.
    let take = AdjustmentForm {
        request_key: Some("adjust-key-0001".into()),
        ..adjustment("-15", "count")
    };
    assert_eq!(app.adjust(p.id, &take).await.status(), 409);
    assert_eq!(app.receive(p.id, &receipt("5")).await.status(), 200);
    for _ in 0..2 {
        let res = app.adjust(p.id, &take).await;
        assert_eq!(res.status(), 200);
        let after: sales::stock::Product = res.json().await.unwrap();
        assert_eq!(
            after.on_hand, 0,
            "taken once, and the answer says so both times"
        );
    }
    let bad = keyed("1", "not a key!");
    let msg = field_error(app.receive(p.id, &bad).await, "request_key").await;
    assert!(msg.contains("request key"), "{msg}");
    assert!(app.drift().await.is_empty());
}
