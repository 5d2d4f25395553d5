//! What an order says beyond its lines, and what it goes to the client as. The client's
//! reference and the delivery address are kept with the order (the address defaulting to the
//! client's shipping address, and staying put when the client moves). Deliveries and invoices
//! use them. A draft prints as a quotation with a valid-until date, and a confirmed order as
//! an order confirmation; `pdftotext` reads both. Each is mailed with its PDF through a real
//! SMTP server, only while the order is what the paper says.

use std::time::{Duration, Instant};

use chrono::Days;
use sales::audit::AuditEvent;
use sales::clients::Client;
use sales::deliveries::Delivery;
use sales::invoices::SendForm;
use sales::orders::{Action, Order, OrderForm, Paper, QUOTE_DAYS};
use sales::outbox::MailStatus;
use sales::server::entities::outbox_mail;

use crate::support::api::{client_form, conflict, field_error, ok, order_form, schedule_form};
use crate::support::fixtures::app_with_mail;
use crate::support::smtp::REFUSAL;
use crate::support::{TestApp, pdftotext, spawn_app};

/// A client billed in Kraków whose goods go to a warehouse in Łódź.
async fn client_shipping_elsewhere(app: &TestApp) -> Client {
    let mut form = client_form("Zoë Łukasiewicz", "zoe@example.com");
    form.billing_address = "Müllerstraße 5\n30-001 Kraków".into();
    form.shipping_address = "Magazyn 3\n90-001 Łódź".into();
    ok(app.create_client(&form).await).await
}

/// A draft for `client` of 3 × 10.00 of a product with stock, with the client's reference.
async fn draft(app: &TestApp, client: i64) -> Order {
    let p = app.product_with_stock("LAMP-7", 50).await;
    let form = OrderForm {
        client_reference: "PO-7781".into(),
        ..order_form(client, &[(p.id, 3, "10.00")])
    };
    ok(app.create_order(&form, false).await).await
}

async fn pdf_text(app: &TestApp, id: i64, paper: Paper) -> String {
    let res = app.order_pdf(id, paper).await;
    assert_eq!(res.status(), 200, "{paper:?} of order {id}");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(
        res.headers()["cache-control"],
        "private, no-cache",
        "it follows the order"
    );
    pdftotext(&res.bytes().await.unwrap())
}

fn contains_all(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} missing from:\n{text}");
    }
}

#[tokio::test]
async fn a_draft_prints_as_a_quotation_and_a_confirmed_order_as_a_confirmation() {
    let app = spawn_app().await;
    app.register("admin").await;
    let client = client_shipping_elsewhere(&app).await;
    let order = draft(&app, client.id).await;
    assert_eq!(order.client_reference, "PO-7781");
    assert_eq!(
        order.delivery_address, "Magazyn 3\n90-001 Łódź",
        "the client's shipping address by default"
    );
    assert_eq!(order.valid_until, None);

    let today = app.state.config.business.zone.today();
    let text = pdf_text(&app, order.id, Paper::Quotation).await;
    contains_all(
        &text,
        &[
            "Quotation",
            &order.number,
            "Zoë Łukasiewicz",
            "30-001 Kraków",
            "DELIVER TO",
            "90-001 Łódź",
            "Valid until",
            &(today + Days::new(QUOTE_DAYS as u64)).to_string(),
            "Your reference",
            "PO-7781",
            "Product LAMP-7",
            "3 pcs",
            // 30.00 net, 5.70 tax at 19 %.
            "30.00",
            "35.70",
        ],
    );
    assert!(
        !text.contains("Balance due"),
        "a quotation asks for no payment"
    );
    let early = app.order_pdf(order.id, Paper::Confirmation).await;
    assert_eq!(early.status(), 409, "a draft is not confirmed yet");

    // The quotation's own date, typed on the draft.
    let valid = today + Days::new(10);
    let form = OrderForm {
        client_reference: "PO-7781".into(),
        valid_until: valid.to_string(),
        requested_date: (today + Days::new(5)).to_string(),
        ..order_form(client.id, &[(order.lines[0].product_id, 3, "10.00")])
    };
    let order: Order = ok(app.update_order(order.id, &form).await).await;
    assert_eq!(order.valid_until, Some(valid));
    let text = pdf_text(&app, order.id, Paper::Quotation).await;
    contains_all(&text, &["Valid until", &valid.to_string()]);

    ok::<Order>(app.transition(order.id, Action::Confirm).await).await;
    let text = pdf_text(&app, order.id, Paper::Confirmation).await;
    contains_all(
        &text,
        &[
            "Order confirmation",
            &order.number,
            "Deliver by",
            &(today + Days::new(5)).to_string(),
            "PO-7781",
            "90-001 Łódź",
            "35.70",
        ],
    );
    assert!(!text.contains("Valid until"));
    let late = app.order_pdf(order.id, Paper::Quotation).await;
    assert!(conflict(late).await.contains("order confirmation"));

    ok::<Order>(app.transition(order.id, Action::Cancel).await).await;
    for paper in [Paper::Quotation, Paper::Confirmation] {
        assert_eq!(app.order_pdf(order.id, paper).await.status(), 409);
    }
    assert_eq!(app.order_pdf(999_999, Paper::Quotation).await.status(), 404);
}

#[tokio::test]
async fn the_order_keeps_its_address_and_reference_for_deliveries_and_invoices() {
    let app = spawn_app().await;
    app.register("admin").await;
    let client = client_shipping_elsewhere(&app).await;
    let p = app.product_with_stock("DESK-2", 20).await;
    let today = app.state.config.business.zone.today();

    // Refused, with the message at the field and nothing written.
    let bad = OrderForm {
        client_reference: "R".repeat(101),
        delivery_address: "A".repeat(1001),
        ..order_form(client.id, &[(p.id, 2, "49.99")])
    };
    let res = app.create_order(&bad, false).await;
    assert_eq!(res.status(), 400);
    let past = OrderForm {
        valid_until: (today - Days::new(1)).to_string(),
        ..order_form(client.id, &[(p.id, 2, "49.99")])
    };
    let msg = field_error(app.create_order(&past, false).await, "valid_until").await;
    assert!(msg.contains("passed"), "{msg}");
    let msg = field_error(app.create_order(&bad, false).await, "client_reference").await;
    assert!(msg.contains("100"), "{msg}");
    assert_eq!(
        app.count::<sales::server::entities::order::Entity>().await,
        0
    );

    // A typed address is the order's; the client moving later changes neither.
    let form = OrderForm {
        client_reference: "  PO-9 ".into(),
        delivery_address: "Site office\nul. Budowlana 2\n31-000 Kraków".into(),
        ..order_form(client.id, &[(p.id, 2, "49.99")])
    };
    let order: Order = ok(app.create_order(&form, true).await).await;
    assert_eq!(order.client_reference, "PO-9", "trimmed");
    let mut moved = client_form("Zoë Łukasiewicz", "zoe@example.com");
    moved.billing_address = "Müllerstraße 5\n30-001 Kraków".into();
    moved.shipping_address = "Nowa 9\n00-001 Warszawa".into();
    ok::<Client>(app.update_client(client.id, &moved).await).await;
    let order = app.order(order.id).await;
    assert!(order.delivery_address.contains("Budowlana"));

    // A delivery with no address of its own goes to the order's.
    let line = order.lines[0].id;
    let d: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, "", &[(line, "2")]))
        .await)
    .await;
    assert_eq!(d.address, order.delivery_address);
    let step = sales::deliveries::Step::Deliver {
        recipient: "Sam".into(),
        note: String::new(),
        signature: None,
    };
    ok::<Delivery>(app.step_delivery(d.id, &step).await).await;

    // The invoice prints the client's reference and where the goods went.
    let inv = app.issued_invoice(order.id).await;
    let text = pdftotext(&app.invoice_pdf(inv.id).await);
    contains_all(
        &text,
        &[
            "Your reference",
            "PO-9",
            "DELIVER TO",
            "ul. Budowlana 2",
            "Müllerstraße 5",
            &order.number,
        ],
    );
    assert!(!text.contains("Warszawa"));
}

/// Order `id` once its newest mail has been tried.
async fn mail_settled(app: &TestApp, id: i64) -> Order {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let order = app.order(id).await;
        if order
            .mails
            .first()
            .is_some_and(|m| m.status != MailStatus::Pending)
        {
            return order;
        }
        assert!(Instant::now() < deadline, "the mail was never tried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_quotation_and_the_confirmation_are_mailed_with_their_pdfs() {
    let (app, smtp) = app_with_mail().await;
    app.register("admin").await;
    let client = client_shipping_elsewhere(&app).await;
    let order = draft(&app, client.id).await;
    assert_eq!(order.client_email.as_deref(), Some("zoe@example.com"));
    let form = SendForm {
        to: "buyer@zoe.example".into(),
        subject: format!("Quotation {}", order.number),
        message: "Dzień dobry, our offer is attached.".into(),
    };

    // Refused before anything is queued: a bad address, or the wrong paper for a draft.
    let bad = SendForm {
        to: "not an address".into(),
        ..form.clone()
    };
    let msg = field_error(app.send_order(order.id, Paper::Quotation, &bad).await, "to").await;
    assert!(msg.contains("not an email"), "{msg}");
    let wrong = app.send_order(order.id, Paper::Confirmation, &form).await;
    assert_eq!(wrong.status(), 409);
    assert_eq!(app.count::<outbox_mail::Entity>().await, 0);

    ok::<Order>(app.send_order(order.id, Paper::Quotation, &form).await).await;
    let mail = smtp.wait_for("buyer@zoe.example").await;
    assert!(
        mail.data
            .contains(&format!("Quotation {}.pdf", order.number))
    );
    let text = pdftotext(&mail.pdf_attachment());
    contains_all(
        &text,
        &["Quotation", &order.number, "PO-7781", "Valid until"],
    );
    let sent = mail_settled(&app, order.id).await;
    assert_eq!(sent.mails[0].status, MailStatus::Sent);

    // Confirmed: the confirmation goes out; a server refusal shows, and is sent again.
    ok::<Order>(app.transition(order.id, Action::Confirm).await).await;
    assert_eq!(
        app.send_order(order.id, Paper::Quotation, &form)
            .await
            .status(),
        409
    );
    smtp.refuse(1);
    let confirmation = SendForm {
        subject: format!("Order confirmation {}", order.number),
        ..form.clone()
    };
    ok::<Order>(
        app.send_order(order.id, Paper::Confirmation, &confirmation)
            .await,
    )
    .await;
    let failed = mail_settled(&app, order.id).await;
    let m = &failed.mails[0];
    assert_eq!(m.status, MailStatus::Failed);
    assert!(m.last_error.contains(&REFUSAL[..3]), "{}", m.last_error);
    ok::<Order>(app.resend_order(order.id, m.id).await).await;
    let mail = smtp
        .wait_for_text("buyer@zoe.example", "Order confirmation")
        .await;
    let text = pdftotext(&mail.pdf_attachment());
    contains_all(&text, &["Order confirmation", &order.number, "90-001 Łódź"]);
    // Another order's mail is not this order's to send again.
    assert_eq!(app.resend_order(order.id + 1, m.id).await.status(), 404);

    let history: Vec<AuditEvent> = app.read(&format!("/api/orders/{}/history", order.id)).await;
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "order.quotation_sent",
        "order.confirmation_sent",
        "order.mail_resent",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}
