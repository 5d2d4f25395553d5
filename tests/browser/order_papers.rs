//! An order's terms and papers in a real browser: the client's reference and a delivery
//! address typed at entry, shown on the order; the draft's quotation opened as a PDF and
//! mailed to the client's address (filled in); once confirmed, the order confirmation in its
//! place; and the order page on a 375 px phone.

use crate::invoices::download;
use crate::orders::{open_entry, search};
use crate::support::{Browser, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);

/// Where the order page's PDF link points.
async fn paper_link(b: &Browser) -> String {
    let link = b.wait_for("#paper-pdf").await;
    link.attr("href").await.unwrap().expect("an href")
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_draft_goes_out_as_a_quotation_and_a_confirmed_order_as_a_confirmation() {
    browser_test("order-papers", DESKTOP, |b| async move {
        open_entry(&b, "Paper Buyer", &["PAPER-1"]).await;
        search(&b, "product-search", "PAPER-1").await;
        b.click("#product-search-list .picker-choice").await;
        b.fill("client_reference", "PO-55").await;
        b.fill("delivery_address", "Dock 4\nHarbour Road 1").await;
        b.click("#save-order").await;
        b.wait_url("the order's page", |u| {
            u.contains("/orders/") && !u.contains("new")
        })
        .await;
        b.wait_hydrated().await;
        b.wait_text("#order-reference", "PO-55").await;
        b.wait_text("#order-address", "Harbour Road 1").await;
        b.wait_text("#order-papers", "Quotation").await;

        let pdf = paper_link(&b).await;
        assert!(pdf.ends_with("/quotation.pdf"), "{pdf}");
        let (status, kind, start) = download(&b, &pdf).await;
        assert_eq!(
            (status, kind.as_str(), start.as_str()),
            (200, "application/pdf", "%PDF-")
        );

        b.wait_value("to", "paper.buyer@example.com").await;
        b.fill("to", "buyer at paper").await;
        b.click("#send-quotation").await;
        b.wait_text("#order-sending", "is not an email address")
            .await;
        b.fill("to", "buyer@paper.example").await;
        b.click("#send-quotation").await;
        // No SMTP in these tests: the outbox writes the mail to the log and counts it sent.
        b.wait_text("#order-mails", "buyer@paper.example").await;
        b.wait_text("#order-mails", "Sent").await;
        b.wait_text("#order-history", "to buyer@paper.example")
            .await;

        b.click("#confirm-order").await;
        b.wait_text("#order-number", "Confirmed").await;
        b.wait_text("#order-papers", "Order confirmation").await;
        let pdf = paper_link(&b).await;
        assert!(pdf.ends_with("/confirmation.pdf"), "{pdf}");
        b.wait_for("#send-confirmation").await;
        let number = b.wait_text("#order-number", "SO-").await;
        let number = number.split_whitespace().next().unwrap().to_string();
        b.wait_value("subject", &format!("Order confirmation {number}"))
            .await;

        b.client.set_window_size(375, 812).await.unwrap();
        b.wait_text("#order-papers", "Order confirmation").await;
        b.assert_fits(375).await;
        b.screenshot("order-papers-375").await;
    })
    .await;
}
