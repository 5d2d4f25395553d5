//! Stock in a real browser: add a product, receive, adjust with a reason, count on a phone, the low-stock badge
//! and filter, the history and chart, the phone layout.

use fantoccini::Locator;

use crate::support::{ADMIN, Browser, PASSWORD, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);

pub async fn seed_product(b: &Browser, sku: &str, reorder: i64, receive: i64) -> i64 {
    let form = serde_json::json!({ "form": {
        "sku": sku, "name": format!("Item {sku}"), "unit": "pcs", "unit_price": "2.50",
        "tax_rate": "19", "reorder_level": reorder.to_string(),
    }});
    assert_eq!(b.api_post("/api/products/create", form).await, 200);
    let id = b
        .client
        .execute_async(
            r#"const [sku, done] = arguments;
               fetch('/api/stock/?q=' + encodeURIComponent(sku)).then(r => r.json())
                 .then(p => done(p.rows[0].id));"#,
            vec![sku.into()],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    if receive > 0 {
        let body = serde_json::json!({ "id": id, "form": { "quantity": receive.to_string() } });
        assert_eq!(b.api_post("/api/products/receive", body).await, 200);
    }
    id
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn add_receive_adjust_and_see_history_and_chart() {
    browser_test("stock-flow", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        b.click(r#"#sidebar a[href^="/stock"]"#).await;
        b.wait_for("#stock-empty").await;
        b.click("#new-product").await;
        b.fill("sku", "CRATE-01").await;
        b.fill("name", "Stacking crate").await;
        b.fill("unit_price", "-4").await;
        b.click(r#"#product-form button[type="submit"]"#).await;
        b.wait_text("#field-unit_price-msg", "cannot be negative")
            .await;
        b.fill("unit_price", "7.90").await;
        b.fill("reorder_level", "10").await;
        b.click(r#"#product-form button[type="submit"]"#).await;
        b.wait_text("#product-name", "CRATE-01").await;

        // Receive 25.
        b.fill("receive_quantity", "25").await;
        b.fill("reference", "PO-7731").await;
        b.click(r#"#receive-form button[type="submit"]"#).await;
        b.wait_text("#on-hand", "25 pcs").await;
        // Adjust for another reason: it needs a note; then -17 leaves 8, at or below the
        // reorder level.
        let reason = b.wait_for(r#"select[name="adjust_reason"]"#).await;
        reason.select_by_value("other").await.unwrap();
        b.fill("adjust_quantity", "-17").await;
        b.click(r#"#adjust-form button[type="submit"]"#).await;
        b.wait_text("#field-note-msg", "say what happened").await;
        b.fill("note", "water damage").await;
        b.click(r#"#adjust-form button[type="submit"]"#).await;
        b.wait_text("#available", "8 pcs").await;
        b.wait_for("#low-badge").await;

        // History (newest first) and the chart.
        let rows = b.wait_text("#movement-table tbody", "water damage").await;
        assert!(rows.contains("-17") && rows.contains("PO-7731"), "{rows}");
        // Kinds read as words people use, not as stored.
        assert!(
            rows.contains("Receipt") && rows.contains("Adjustment"),
            "{rows}"
        );
        let path = b.wait_for("#stock-chart path").await;
        let d = path.attr("d").await.unwrap().unwrap_or_default();
        assert!(
            d.starts_with('M') && d.contains('H') && d.contains('V'),
            "{d}"
        );
        b.screenshot("product-detail").await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn low_stock_badge_and_filter() {
    browser_test("stock-low", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_product(&b, "OK-1", 5, 50).await;
        seed_product(&b, "LOW-1", 10, 3).await;
        seed_product(&b, "LOW-2", 10, 0).await;
        b.open("/stock").await;
        b.wait_hydrated().await;
        b.wait_text("#low-stock-badge", "2").await;
        b.wait_text("#stock-total", "3 products").await;
        let low_rows = b
            .client
            .find_all(Locator::Css("#stock-table tr.low"))
            .await
            .unwrap();
        assert_eq!(low_rows.len(), 2, "low rows highlighted");
        b.click("#low-filter").await;
        b.wait_url("low=true", |u| u.contains("low=true")).await;
        b.wait_text("#stock-total", "2 products").await;
        let text = b.wait_for("#stock-table tbody").await.text().await.unwrap();
        assert!(text.contains("LOW-1") && text.contains("LOW-2") && !text.contains("OK-1"));
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_stock_page_fits_a_phone() {
    browser_test("stock-375", PHONE, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_product(&b, "PHN-1", 5, 40).await;
        seed_product(&b, "PHN-2-LONG-SKU", 30, 4).await;
        b.open("/stock").await;
        b.wait_hydrated().await;
        b.wait_text("#stock-total", "2 products").await;
        b.screenshot("stock-375").await;
        b.assert_fits(375).await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_double_clicked_receipt_or_adjustment_is_applied_once() {
    browser_test("stock-double-click", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        let id = seed_product(&b, "DBL-STOCK", 0, 8).await;
        b.open(&format!("/products/{id}")).await;
        b.wait_hydrated().await;
        b.wait_text("#on-hand", "8 pcs").await;
        b.fill("receive_quantity", "5").await;
        b.double_click(r#"#receive-form button[type="submit"]"#)
            .await;
        b.wait_text("#on-hand", "13 pcs").await;
        // Give a second receipt every chance to land: it must not.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        b.open(&format!("/products/{id}")).await;
        b.wait_hydrated().await;
        b.wait_text("#on-hand", "13 pcs").await;
        let reason = b.wait_for(r#"select[name="adjust_reason"]"#).await;
        reason.select_by_value("breakage").await.unwrap();
        b.fill("adjust_quantity", "-1").await;
        b.double_click(r#"#adjust-form button[type="submit"]"#)
            .await;
        b.wait_text("#on-hand", "12 pcs").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        b.open(&format!("/products/{id}")).await;
        b.wait_hydrated().await;
        let on_hand = b.wait_text("#on-hand", "pcs").await;
        assert_eq!(on_hand, "12 pcs");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_stock_count_on_a_phone_records_the_difference() {
    browser_test("stock-count-375", (375, 812), |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        let id = seed_product(&b, "COUNT-375", 0, 10).await;
        b.open(&format!("/products/{id}")).await;
        b.wait_hydrated().await;
        b.wait_text("#on-hand", "10 pcs").await;
        // A count is what the form starts with: the shelf's number, not the change.
        b.fill("counted", "7").await;
        b.fill("note", "aisle 4").await;
        b.click("#adjust-send").await;
        b.wait_text("#on-hand", "7 pcs").await;
        let rows = b.wait_text("#movement-table tbody", "Stock count").await;
        assert!(rows.contains("-3") && rows.contains("aisle 4"), "{rows}");
        b.screenshot("stock-count-375").await;
        b.assert_fits(375).await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_stock_chart_has_its_scales_and_the_history_can_hide_reservations() {
    browser_test("stock-chart-375", (375, 812), |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        crate::clients::seed_client(&b, "Chart Buyer", "chart@example.com").await;
        let id = seed_product(&b, "CHART-1", 0, 12).await;
        // A confirmed order reserves one: a movement of reservations only.
        crate::orders::seed_order(&b, "Chart Buyer", id, true).await;
        b.open(&format!("/products/{id}")).await;
        b.wait_hydrated().await;
        // A value scale at round numbers from 0 to above the highest level (12: 0, 5, 10, 15),
        // and the day under the time axis.
        let scale = b.wait_text("#stock-chart", "15").await;
        assert!(scale.contains("10") && scale.contains('5'), "{scale}");
        let day = b.wait_for("#stock-chart .chart-day").await;
        let day = day.text().await.unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").is_ok(),
            "{day}"
        );
        b.wait_text("#movement-table tbody", "Reservation").await;
        b.click("#changes-only").await;
        let mut rows = String::new();
        for _ in 0..100 {
            rows = b.wait_text("#movement-table tbody", "Receipt").await;
            if !rows.contains("Reservation") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(!rows.contains("Reservation"), "{rows}");
        b.screenshot("stock-chart-375").await;
        b.assert_fits(375).await;
    })
    .await;
}
