//! Breakage of reserved stock in a real browser, on a phone: recorded on the product page,
//! the order it took from shows on the product, the order and the dashboard; a receipt on
//! the product page reserves it again and the notices go.

use crate::clients::seed_client;
use crate::orders::seed_order;
use crate::stock::seed_product;
use crate::support::{ADMIN, PASSWORD, browser_test};

const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn broken_reserved_stock_shows_on_the_product_the_order_and_the_dashboard() {
    browser_test("stock-loss-375", PHONE, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Loss Buyer", "loss@example.com").await;
        let product = seed_product(&b, "LOSS-1", 0, 1).await;
        let number = seed_order(&b, "Loss Buyer", product, true).await;

        b.open(&format!("/products/{product}")).await;
        b.wait_hydrated().await;
        let reason = b.wait_for(r#"select[name="adjust_reason"]"#).await;
        reason.select_by_value("breakage").await.unwrap();
        b.fill("adjust_quantity", "-1").await;
        b.fill("note", "dropped").await;
        b.click("#adjust-send").await;
        b.wait_text("#product-short", &number).await;
        b.wait_text("#product-short", "1 pcs LOSS-1").await;
        b.assert_fits(375).await;
        b.screenshot("product-short-375").await;

        // The sticky header covers the link once the form scrolled; follow it as a link.
        let order = b
            .wait_for("#product-short a")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        b.open(&order).await;
        b.wait_hydrated().await;
        b.wait_text("#order-short", "1 pcs LOSS-1").await;
        b.wait_text("#order-lines", "1 wait for stock").await;
        b.assert_fits(375).await;
        b.screenshot("order-short-375").await;

        b.open("/").await;
        b.wait_hydrated().await;
        b.wait_text("#dashboard-short", &number).await;
        b.assert_fits(375).await;

        // Stock arrives: reserved for the order again, and every notice goes.
        b.open(&format!("/products/{product}")).await;
        b.wait_hydrated().await;
        b.fill("receive_quantity", "1").await;
        b.click(r#"#receive-form button[type="submit"]"#).await;
        b.wait_gone("#product-short").await;
        b.open("/").await;
        b.wait_hydrated().await;
        b.wait_for("#tile-orders").await;
        assert!(
            b.client
                .find(fantoccini::Locator::Id("dashboard-short"))
                .await
                .is_err(),
            "nothing waits for stock any more"
        );
    })
    .await;
}
