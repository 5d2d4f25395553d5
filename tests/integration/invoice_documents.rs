//! An issued invoice's PDF and its mail: `pdftotext` finds the seller, the accented buyer, the
//! number and references, the lines, the tax summary and the totals; every download is the
//! same bytes (the SHA-256 stored at issue), even after the client's address changes; the
//! mail reaches a real SMTP server with the PDF attached, and a refusing server leaves it
//! failed with its answer, to be sent again.

use std::time::{Duration, Instant};

use chrono::{Datelike, Days};
use sales::invoices::{Invoice, SendForm};
use sales::outbox::MailStatus;
use sales::server::entities::invoice;
use sea_orm::EntityTrait;
use sha2::{Digest, Sha256};

use crate::support::api::{client_form, ok};
use crate::support::smtp::{REFUSAL, SmtpServer};
use crate::support::{TestApp, pdftotext, spawn_app_with};

const COMPANY: [(&str, &str); 6] = [
    ("COMPANY_NAME", "Łódź Trading sp. z o.o."),
    ("COMPANY_ADDRESS", "ul. Piotrkowska 1|90-001 Łódź"),
    ("COMPANY_TAX_ID", "PL1234567890"),
    ("COMPANY_BANK", "Bank Śląski"),
    ("COMPANY_IBAN", "DE89 3704 0044 0532 0130 00"),
    ("COMPANY_BIC", "COBADEFFXXX"),
];

/// An app with the company above (and `extra`), a client with accents and an issued invoice
/// for two delivered lines.
async fn invoiced(extra: &[(&str, &str)]) -> (TestApp, Invoice) {
    let mut env: Vec<(&str, &str)> = COMPANY.to_vec();
    env.extend_from_slice(extra);
    let app = spawn_app_with(&env).await;
    app.register("admin").await;
    let mut form = client_form("Zoë Łukasiewicz", "zoe@example.com");
    form.billing_address = "Müllerstraße 5\n30-001 Kraków".into();
    form.tax_id = "PL9876543210".into();
    let client: sales::clients::Client = ok(app.create_client(&form).await).await;
    let a = app.product_with_stock("CHAIR-1", 20).await;
    let b = app.product_with_stock("DESK-2", 20).await;
    let order = app
        .delivered_order(client.id, &[(a.id, 5, "10.00"), (b.id, 2, "49.99")])
        .await;
    let invoice = app.issued_invoice(order.id).await;
    (app, invoice)
}

#[tokio::test]
async fn the_invoice_pdf_holds_everything_and_never_changes() {
    let (app, inv) = invoiced(&[]).await;
    let number = inv.number.clone().unwrap();
    let first = app.invoice_pdf(inv.id).await;
    assert!(
        first.len() < 150_000,
        "a font subset: {} bytes",
        first.len()
    );
    let text = pdftotext(&first);
    let order = app.order(inv.order_id).await;
    let today = app.state.config.business.zone.today();
    let delivery_notes: Vec<sales::deliveries::Delivery> = app
        .read(&format!("/api/deliveries/of-order/{}", order.id))
        .await;
    for expected in [
        number.as_str(),
        "Łódź Trading sp. z o.o.",
        "ul. Piotrkowska 1",
        "PL1234567890",
        "Zoë Łukasiewicz",
        "Müllerstraße 5",
        "30-001 Kraków",
        "PL9876543210",
        &order.number,
        &delivery_notes[0].number,
        &today.to_string(),
        &(today + Days::new(14)).to_string(),
        "14 days",
        "Product CHAIR-1",
        "5 pcs",
        "49.99",
        "19 %",
        // 50.00 + 99.98 = 149.98 net, 9.50 + 19.00 tax (18.9962 → 19.00), 178.48 total.
        "149.98",
        "28.50",
        "178.48",
        "Balance due",
        "DE89 3704 0044 0532 0130 00",
        "COBADEFFXXX",
        "Bank Śląski",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert_eq!(
        inv.total.to_string(),
        "178.48",
        "the page and the PDF agree"
    );
    assert_eq!(inv.total, order.total, "and the order");

    // Frozen: the client moves, the company renames; the PDF stays the same bytes.
    let mut moved = client_form("Zoë Łukasiewicz", "zoe@example.com");
    moved.billing_address = "Nowa 9\n00-001 Warszawa".into();
    ok::<sales::clients::Client>(app.update_client(inv.client_id, &moved).await).await;
    let second = app.invoice_pdf(inv.id).await;
    assert_eq!(first, second, "byte-identical downloads");
    let stored = invoice::Entity::find_by_id(inv.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let hash: String = Sha256::digest(&second)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stored.pdf_sha256.as_deref(), Some(hash.as_str()));
    assert!(!pdftotext(&second).contains("Warszawa"));
    let year = today.year();
    assert!(number.starts_with(&format!("INV-{year}-")));
}

#[tokio::test]
async fn a_draft_has_no_pdf_and_a_missing_invoice_has_none_either() {
    let (app, inv) = invoiced(&[]).await;
    let order = app.order(inv.order_id).await;
    let again = app
        .delivered_order(inv.client_id, &[(order.lines[0].product_id, 1, "1.00")])
        .await;
    let draft = app.draft_invoice(again.id).await;
    let res = app
        .get(&format!("/api/invoices/{}/invoice.pdf", draft.id))
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        app.get("/api/invoices/999999/invoice.pdf").await.status(),
        404
    );
    assert_eq!(app.get("/api/credit-notes/999999/pdf").await.status(), 404);
}

/// Waits (up to 10 s) for invoice `id`'s newest mail to leave `pending`.
async fn mail_settled(app: &TestApp, id: i64) -> Invoice {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let inv = app.invoice(id).await;
        if inv
            .mails
            .first()
            .is_some_and(|m| m.status != MailStatus::Pending)
        {
            return inv;
        }
        assert!(Instant::now() < deadline, "the mail was never tried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_invoice_is_mailed_with_its_pdf_and_a_refusal_can_be_sent_again() {
    let smtp = SmtpServer::start().await;
    let env = smtp.env();
    let mut extra: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    extra.push(("MAIL_RETRY_SECONDS", "3600"));
    let (app, inv) = invoiced(&extra).await;
    let number = inv.number.clone().unwrap();
    let pdf = app.invoice_pdf(inv.id).await;
    let form = SendForm {
        to: "billing@zoe.example".into(),
        subject: format!("Invoice {number}"),
        message: "Dzień dobry, the invoice is attached.".into(),
    };
    let bad = SendForm {
        to: "not an address".into(),
        ..form.clone()
    };
    let res = app.send_invoice(inv.id, &bad).await;
    assert_eq!(res.status(), 400);

    ok::<Invoice>(app.send_invoice(inv.id, &form).await).await;
    let mail = smtp.wait_for("billing@zoe.example").await;
    assert!(
        mail.data.contains(&format!("Invoice {number}")),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("application/pdf"), "{}", mail.data);
    assert!(
        mail.data.contains(&format!("{number}.pdf")),
        "{}",
        mail.data
    );
    assert_eq!(
        mail.pdf_attachment(),
        pdf,
        "the attachment is the stored PDF"
    );
    let sent = mail_settled(&app, inv.id).await;
    assert_eq!(sent.mails[0].status, MailStatus::Sent);

    // A server answering 5xx: failed, with its answer on the invoice; sent again on retry.
    smtp.refuse(1);
    let to_refuse = SendForm {
        to: "refused@zoe.example".into(),
        ..form.clone()
    };
    ok::<Invoice>(app.send_invoice(inv.id, &to_refuse).await).await;
    let failed = mail_settled(&app, inv.id).await;
    let m = &failed.mails[0];
    assert_eq!(m.status, MailStatus::Failed);
    assert!(m.last_error.contains(&REFUSAL[..3]), "{}", m.last_error);
    ok::<Invoice>(app.resend_invoice(inv.id, m.id).await).await;
    smtp.wait_for("refused@zoe.example").await;
    // The mail stays failed until the worker records the server's acceptance, a moment
    // after the server has it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.invoice(inv.id).await.mails[0].status != MailStatus::Sent {
        assert!(
            Instant::now() < deadline,
            "the mail sent again was never recorded sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let history: Vec<sales::audit::AuditEvent> =
        app.read(&format!("/api/invoices/{}/history", inv.id)).await;
    let sends = history
        .iter()
        .filter(|e| e.action.starts_with("invoice.sent") || e.action == "invoice.resent")
        .count();
    assert_eq!(sends, 3, "every send is an audit event");
}
