//! Invoicing in a real browser: from a delivered order's page, a draft invoice of what was
//! delivered; issued; its PDF downloaded; a partial payment recorded; sent by mail; and the
//! list and the invoice on a 375 px phone.

use serde_json::json;

use crate::deliveries::confirmed_order;
use crate::support::{Browser, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);

/// Fetches `path` in the page with the browser's session: (status, content type, first
/// bytes as text).
pub(crate) async fn download(b: &Browser, path: &str) -> (u64, String, String) {
    let answer = b
        .client
        .execute_async(
            r#"const [path, done] = arguments;
               fetch(path, { credentials: 'same-origin' })
                 .then(r => r.arrayBuffer().then(buf => done([r.status,
                    r.headers.get('content-type'),
                    String.fromCharCode(...new Uint8Array(buf.slice(0, 5)))])));"#,
            vec![path.into()],
        )
        .await
        .unwrap();
    (
        answer[0].as_u64().unwrap(),
        answer[1].as_str().unwrap_or_default().to_string(),
        answer[2].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn invoice_a_delivered_order_issue_pay_in_part_and_send() {
    browser_test("invoice-flow", DESKTOP, |b| async move {
        let order = confirmed_order(&b).await;
        let lines: Vec<_> = order["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| json!({ "order_line_id": l["id"], "quantity": l["quantity"].to_string() }))
            .collect();
        let form = json!({ "form": { "order_id": order["id"], "lines": lines } });
        let d = b.api_json("/api/deliveries/schedule", form).await;
        let step = json!({ "id": d["id"], "step": { "action": "deliver", "recipient": "Sam" } });
        b.api_json("/api/deliveries/step", step).await;

        b.open(&format!("/orders/{}", order["id"])).await;
        b.wait_hydrated().await;
        b.wait_text("#invoicing-progress", "Not invoiced").await;
        b.click("#create-invoice").await;
        b.wait_url("the draft's page", |u| u.contains("/invoices/"))
            .await;
        b.wait_text("#invoice-number", "Draft").await;
        b.click("#issue-invoice").await;
        let heading = b.wait_text("#invoice-number", "Issued").await;
        assert!(heading.contains("INV-"), "{heading}");

        let pdf = b
            .wait_for("#invoice-pdf")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let (status, kind, start) = download(&b, &pdf).await;
        assert_eq!(
            (status, kind.as_str(), start.as_str()),
            (200, "application/pdf", "%PDF-")
        );

        b.fill("amount", "5.00").await;
        b.click("#record-payment").await;
        b.wait_text("#invoice-number", "Partially paid").await;
        b.wait_text("#invoice-payments", "Bank transfer").await;

        b.fill("to", "billing@zoe.example").await;
        b.click("#send-invoice").await;
        // No SMTP in these tests: the outbox writes the mail to the log and counts it sent.
        b.wait_text("#invoice-mails", "billing@zoe.example").await;
        b.wait_text("#invoice-mails", "Sent").await;

        b.open(&format!("/orders/{}", order["id"])).await;
        b.wait_text("#invoicing-progress", "Fully invoiced").await;

        // The list and the invoice on a phone.
        b.client.set_window_size(375, 812).await.unwrap();
        b.open("/invoices").await;
        b.wait_hydrated().await;
        b.wait_text("#invoices-table", "Zoë Łukasiewicz").await;
        b.wait_text("#invoices-outstanding", "Outstanding").await;
        b.assert_fits(375).await;
        b.screenshot("invoices-phone").await;
        b.click("#invoices-table a").await;
        b.wait_text("#invoice-number", "Partially paid").await;
        b.assert_fits(375).await;
        b.screenshot("invoice-phone").await;
    })
    .await;
}
