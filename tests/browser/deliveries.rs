//! Deliveries in a real browser: a partial delivery scheduled from the order page, the board,
//! and the driver's page at 375 px — out for delivery, then delivered with a signature drawn
//! with the pointer — after which the order is partially delivered and stock has gone out.

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use serde_json::{Value, json};

use crate::clients::seed_client;
use crate::stock::seed_product;
use crate::support::{ADMIN, Browser, PASSWORD, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);

/// Signed in as the admin: a client and a confirmed order of 5 × DLV-A and 2 × DLV-B
/// (10 of each in stock). Answers the order as the server sent it.
pub async fn confirmed_order(b: &Browser) -> Value {
    b.sign_in(ADMIN, PASSWORD).await;
    seed_client(b, "Zoë Łukasiewicz", "zoe@example.com").await;
    let a = seed_product(b, "DLV-A", 0, 10).await;
    let c = seed_product(b, "DLV-B", 0, 10).await;
    let clients = b
        .client
        .execute_async(
            r#"const [done] = arguments;
               fetch('/api/clients/?q=Zo').then(r => r.json()).then(p => done(p.rows[0].id));"#,
            vec![],
        )
        .await
        .unwrap();
    let lines = json!([
        { "product_id": a, "quantity": "5", "unit_price": "2.50" },
        { "product_id": c, "quantity": "2", "unit_price": "2.50" },
    ]);
    let form = json!({ "form": { "client_id": clients, "lines": lines }, "confirm": true });
    b.api_json("/api/orders/create", form).await
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn schedule_a_partial_delivery_from_the_order_page() {
    browser_test("delivery-schedule", DESKTOP, |b| async move {
        let order = confirmed_order(&b).await;
        b.open(&format!("/orders/{}", order["id"])).await;
        b.wait_hydrated().await;
        b.wait_text("#order-deliveries", "Nothing scheduled yet")
            .await;
        b.click("#deliver-partial").await;
        // Prefilled with what is left: deliver 2 of the 5, none of the other line.
        b.wait_value("lines[0].quantity", "5").await;
        b.fill("lines[0].quantity", "2").await;
        b.fill("lines[1].quantity", "0").await;
        b.fill("carrier", "Van 7").await;
        b.click("#schedule-submit").await;
        let list = b.wait_text("#order-deliveries", "Scheduled").await;
        assert!(
            list.contains("DN-") && list.contains("2 × Item DLV-A"),
            "{list}"
        );
        assert!(!list.contains("DLV-B"), "{list}");

        // On the board, with its driver; then the whole board as a picture.
        b.open("/deliveries").await;
        b.wait_hydrated().await;
        let row = b.wait_text("#deliveries-table", "Van 7").await;
        assert!(row.contains("Zoë Łukasiewicz"), "{row}");
        b.screenshot("deliveries-board").await;
    })
    .await;
}

/// Draws a stroke across the signature pad with the pointer, as a finger or mouse would.
async fn sign(b: &Browser) {
    let pad = b.wait_for("#signature-pad").await;
    let at = |x: f64, y: f64| PointerAction::MoveToElement {
        element: pad.clone(),
        duration: None,
        x,
        y,
    };
    let stroke = MouseActions::new("finger".into())
        .then(at(-110.0, 20.0))
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(at(-60.0, -30.0))
        .then(at(-10.0, 25.0))
        .then(at(40.0, -25.0))
        .then(at(100.0, 10.0))
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    b.client.perform_actions(stroke).await.unwrap();
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_driver_confirms_a_delivery_on_a_phone_with_a_signature() {
    browser_test("delivery-phone", PHONE, |b| async move {
        let order = confirmed_order(&b).await;
        let line = order["lines"][0]["id"].clone();
        let form = json!({ "form": { "order_id": order["id"], "carrier": "Van 7",
            "address": "Müllerstraße 5\n30-001 Kraków",
            "lines": [{ "order_line_id": line, "quantity": "2" }] } });
        let d = b.api_json("/api/deliveries/schedule", form).await;

        b.open(&format!("/deliveries/{}", d["id"])).await;
        b.wait_hydrated().await;
        b.wait_text("#delivery-address", "Kraków").await;
        let maps = b
            .wait_for("#delivery-address")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        assert!(maps.starts_with("geo:0,0?q=M%C3%BCllerstra"), "{maps}");
        b.assert_fits(375).await;
        b.click("#step-depart").await;
        b.wait_text("#delivery-number", "Out for delivery").await;

        b.click("#step-deliver").await;
        b.fill("recipient", "Zoë Łukasiewicz").await;
        sign(&b).await;
        b.wait_for("#signature-pad path[d^='M']").await;
        b.assert_fits(375).await;
        b.screenshot("delivery-phone").await;
        b.click("#deliver-submit").await;
        b.wait_text("#delivery-number", "Delivered").await;
        b.wait_text("#delivery-received", "Zoë Łukasiewicz").await;
        let drawn = b
            .wait_for("svg.signature path")
            .await
            .attr("d")
            .await
            .unwrap()
            .unwrap();
        assert!(drawn.starts_with('M') && drawn.contains('L'), "{drawn}");

        // The order is partially delivered; the stock page shows 2 gone out.
        b.open(&format!("/orders/{}", order["id"])).await;
        b.wait_text("#order-number", "Partially delivered").await;
        b.wait_text("#order-lines", "3 outstanding").await;
        b.open("/stock?q=DLV-A").await;
        b.wait_text(
            r#"#stock-table tr[data-sku="DLV-A"] td[data-label="On hand"]"#,
            "8",
        )
        .await;
    })
    .await;
}
