//! The delivery note PDF, read back with `pdftotext` (Debian's poppler-utils): the seller from
//! configuration, the accented client and address, the number, the lines with ordered, this
//! delivery and outstanding, and who signed once delivered.

use sales::deliveries::{Delivery, Step};
use sales::orders::Order;

use crate::support::api::{client_form, ok, order_form, schedule_form};
use crate::support::{TestApp, pdftotext, spawn_app_with};

async fn note(app: &TestApp, id: i64) -> String {
    let res = app.get(&format!("/api/deliveries/{id}/note.pdf")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    assert!(
        bytes.len() < 150_000,
        "a font subset: {} bytes",
        bytes.len()
    );
    pdftotext(&bytes)
}

#[tokio::test]
async fn the_note_prints_accents_lines_and_the_signature() {
    let app = spawn_app_with(&[
        ("COMPANY_NAME", "Łódź Trading sp. z o.o."),
        ("COMPANY_ADDRESS", "ul. Piotrkowska 1|90-001 Łódź"),
        ("COMPANY_TAX_ID", "PL1234567890"),
    ])
    .await;
    app.register("admin").await;
    let mut form = client_form("Zoë Łukasiewicz", "");
    form.shipping_address = "Müllerstraße 5\n30-001 Kraków".into();
    let client: sales::clients::Client = ok(app.create_client(&form).await).await;
    let a = app.product_with_stock("CHAIR-1", 20).await;
    let b = app.product_with_stock("DESK-2", 20).await;
    let order: Order = ok(app
        .create_order(
            &order_form(client.id, &[(a.id, 5, "10"), (b.id, 2, "50")]),
            true,
        )
        .await)
    .await;
    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    let d: Delivery = ok(app
        .schedule_delivery(&schedule_form(
            order.id,
            &soon,
            &[(order.lines[0].id, "3"), (order.lines[1].id, "2")],
        ))
        .await)
    .await;

    let text = note(&app, d.id).await;
    for expected in [
        "Delivery note",
        d.number.as_str(),
        order.number.as_str(),
        "Łódź Trading sp. z o.o.",
        "90-001 Łódź",
        "PL1234567890",
        "Zoë Łukasiewicz",
        "Müllerstraße 5",
        "30-001 Kraków",
        "Van 2",
        "Name, date and signature",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // The product's line carries its figures: ordered, this delivery, outstanding.
    let row = |sku: &str| {
        text.lines()
            .find(|l| l.contains(&format!("Product {sku}")) && l.contains("pcs"))
            .unwrap_or_else(|| panic!("no figures for {sku}:\n{text}"))
            .to_string()
    };
    let figures = |line: String| -> Vec<String> {
        line.split_whitespace()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            .map(String::from)
            .collect()
    };
    assert_eq!(figures(row("CHAIR-1")), ["5", "3", "2"]);
    assert_eq!(figures(row("DESK-2")), ["2", "2", "0"]);

    let step = Step::Deliver {
        recipient: "Jürgen Weiß".into(),
        note: String::new(),
        signature: Some("M10 10L50 40L90 20M100 100L150 120".into()),
    };
    ok::<Delivery>(app.step_delivery(d.id, &step).await).await;
    let text = note(&app, d.id).await;
    assert!(text.contains("Jürgen Weiß"), "{text}");
    assert!(!text.contains("Name, date and signature"), "{text}");
    assert!(text.contains("Delivered"), "{text}");
}

#[tokio::test]
async fn a_note_needs_a_signed_in_user_and_a_real_delivery() {
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    assert_eq!(
        app.get("/api/deliveries/424242/note.pdf").await.status(),
        404
    );
    let stranger = app.new_client();
    let res = stranger
        .get(app.url("/api/deliveries/1/note.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}
