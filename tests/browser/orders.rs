//! Orders in a real browser: a three-line order through the pickers (by Enter and by click),
//! totals following every edit, save and confirm, the reservation on the stock page, cancel
//! releasing it, order entry on a phone, and an order started from a client's page.

use crate::clients::seed_client;
use crate::stock::seed_product;
use crate::support::{ADMIN, Browser, PASSWORD, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);
/// WebDriver's keys.
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const UP: &str = "\u{E013}";
const DOWN: &str = "\u{E015}";

/// Types into a picker and waits for its first match.
pub(crate) async fn search(b: &Browser, picker: &str, text: &str) {
    let input = b.wait_for(&format!("#{picker}")).await;
    input.send_keys(text).await.unwrap();
    b.wait_text(&format!("#{picker}-list .picker-choice"), text)
        .await;
}

async fn pick_client(b: &Browser, name: &str) {
    search(b, "client-search", name).await;
    b.click("#client-search-list .picker-choice").await;
    b.wait_text("#picked-client", name).await;
}

/// Signed in as the admin, on order entry for a new client `client` with `skus` in stock
/// (10 each) and the client picked.
pub(crate) async fn open_entry(b: &Browser, client: &str, skus: &[&str]) {
    b.sign_in(ADMIN, PASSWORD).await;
    seed_client(
        b,
        client,
        &format!("{}@example.com", client.replace(' ', ".")),
    )
    .await;
    for sku in skus {
        seed_product(b, sku, 0, 10).await;
    }
    b.open("/orders/new").await;
    b.wait_hydrated().await;
    pick_client(b, client).await;
}

/// The stock row of `sku` on the stock page.
async fn stock_row(b: &Browser, sku: &str, expected: &str) -> String {
    b.open(&format!("/stock?q={sku}")).await;
    b.wait_text(&format!(r#"#stock-table tr[data-sku="{sku}"]"#), expected)
        .await
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn enter_confirm_and_cancel_a_three_line_order() {
    browser_test("order-flow", DESKTOP, |b| async move {
        open_entry(&b, "Browser Buyer", &["ORD-A", "ORD-B", "ORD-C"]).await;
        // Enter takes the first match, even typed straight after the SKU.
        b.wait_for("#product-search")
            .await
            .send_keys(&format!("ORD-A{ENTER}"))
            .await
            .unwrap();
        b.wait_value("line-0-quantity", "1").await;
        search(&b, "product-search", "ORD-B").await;
        b.click("#product-search-list .picker-choice").await;
        b.wait_value("line-1-quantity", "1").await;
        search(&b, "product-search", "ORD-C").await;
        b.wait_for("#product-search")
            .await
            .send_keys(ENTER)
            .await
            .unwrap();
        b.wait_value("line-2-quantity", "1").await;
        // 3 × 2.50 at 19 %.
        b.wait_text("#total-total", "8.94").await;
        b.fill("line-0-quantity", "4").await;
        b.wait_text("#total-net", "15.00").await;
        // Tax is rounded per line, half up: 1.90 + 0.48 (from 0.475) + 0.57.
        b.fill("line-2-unit_price", "3.00").await;
        b.wait_text("#total-tax", "2.95").await;
        b.wait_text("#total-total", "18.45").await;
        b.click("#save-confirm").await;
        b.wait_url("the order page", |u| {
            u.contains("/orders/") && !u.ends_with("/new")
        })
        .await;
        let title = b.wait_text("#order-number", "Confirmed").await;
        assert!(title.starts_with("SO-"), "{title}");
        b.wait_text("#total-total", "18.45").await;
        let lines = b.wait_text("#order-lines", "ORD-C").await;
        assert!(
            lines.contains("ORD-A") && lines.contains("ORD-B"),
            "{lines}"
        );
        let order_url = b.client.current_url().await.unwrap().to_string();

        // Reserved on the stock page: 4 of 10.
        let row = stock_row(&b, "ORD-A", "6 pcs").await;
        assert!(row.contains('4'), "{row}");

        // Cancel (a second click confirms) releases the reservation.
        b.client.goto(&order_url).await.unwrap();
        b.wait_hydrated().await;
        b.click("#cancel-order").await;
        b.click(r#"#confirm-cancel-order[data-ready="true"]"#).await;
        b.wait_text("#order-number", "Cancelled").await;
        b.wait_text("#order-history", "cancelled").await;

        // Duplicate: a new draft with the same client and lines, whatever became of this one.
        b.click("#duplicate-order").await;
        b.wait_text("#picked-client", "Browser Buyer").await;
        b.wait_value("line-0-quantity", "4").await;
        b.wait_value("line-2-unit_price", "3.00").await;
        b.wait_text("#total-total", "18.45").await;
        b.click("#save-order").await;
        let copy = b.wait_text("#order-number", "Draft").await;
        assert_ne!(
            copy.split_whitespace().next(),
            title.split_whitespace().next(),
            "{copy}"
        );
        b.wait_text("#total-total", "18.45").await;
        stock_row(&b, "ORD-A", "10 pcs").await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn order_entry_fits_a_phone() {
    browser_test("order-entry-375", PHONE, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Phone Buyer", "phone@example.com").await;
        seed_product(&b, "PHONE-LINE-1", 0, 5).await;
        b.open("/orders/new").await;
        b.wait_hydrated().await;
        pick_client(&b, "Phone Buyer").await;
        search(&b, "product-search", "PHONE-LINE").await;
        b.click("#product-search-list .picker-choice").await;
        b.fill("line-0-quantity", "7").await;
        b.wait_text("#line-0-short", "2 pcs more than available")
            .await;
        b.wait_text("#total-total", "20.83").await;
        b.screenshot("order-entry-375").await;
        b.assert_fits(375).await;
        // The list's filters fold behind a button that counts the active ones.
        b.open("/orders?status=confirmed&priority=high").await;
        b.wait_hydrated().await;
        b.wait_for("#orders-empty").await;
        b.wait_text("#filters-toggle", "Filters (2)").await;
        let status = b.wait_for(r#"select[name="status"]"#).await;
        assert!(!status.is_displayed().await.unwrap(), "folded away");
        b.screenshot("orders-375").await;
        b.click("#filters-toggle").await;
        assert!(status.is_displayed().await.unwrap(), "shown on asking");
        b.screenshot("orders-375-filters").await;
        b.assert_fits(375).await;
    })
    .await;
}

/// Makes the page's "leave this page?" question answer `yes`, and remembers what it asked.
async fn answer_leaving(b: &Browser, yes: bool) {
    b.client
        .execute(
            "const [yes] = arguments; \
             window.confirm = m => { window.asked = m; return yes; };",
            vec![yes.into()],
        )
        .await
        .unwrap();
}

async fn asked(b: &Browser) -> String {
    let asked = b.client.execute("return window.asked || ''", vec![]).await;
    asked.unwrap().as_str().unwrap_or_default().to_string()
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn an_order_being_entered_is_never_lost() {
    browser_test("order-kept", DESKTOP, |b| async move {
        open_entry(&b, "Kept Buyer", &["KEEP-A", "KEEP-B"]).await;
        let product = b.wait_for("#product-search").await;
        product.send_keys(&format!("KEEP-A{ENTER}")).await.unwrap();
        b.wait_value("line-0-quantity", "1").await;
        // The same SKU again raises its line's quantity, and the keyboard is on it, selected.
        search(&b, "product-search", "KEEP-A").await;
        b.wait_for("#product-search")
            .await
            .send_keys(ENTER)
            .await
            .unwrap();
        b.wait_value("line-0-quantity", "2").await;
        b.wait_gone("#line-1-quantity").await;
        let typed = b.client.active_element().await.unwrap();
        typed.send_keys("4").await.unwrap();
        b.wait_value("line-0-quantity", "4").await;
        // A percent discount: 10 % of 4 × 2.50 is 1.00 off.
        b.fill("line-0-discount", "10%").await;
        b.wait_text("#line-0-discount-amount", "1.00 off").await;
        b.wait_text("#line-0-net", "9.00").await;
        // A line that does not read yet is named under the total, with why.
        search(&b, "product-search", "KEEP-B").await;
        b.wait_for("#product-search")
            .await
            .send_keys(ENTER)
            .await
            .unwrap();
        b.fill("line-1-quantity", "x").await;
        b.wait_text(
            "#total-left-out",
            "line 2 (KEEP-B): 'x' is not a whole number",
        )
        .await;
        b.wait_text("#total-net", "9.00").await;

        // Leaving by the menu asks; "no" stays on the page with everything in it.
        answer_leaving(&b, false).await;
        b.click("#sidebar a[href^='/stock']").await;
        assert!(asked(&b).await.contains("Leave this page?"));
        b.wait_value("line-0-discount", "10%").await;
        // A reload (the browser asks too) brings it all back.
        let unload = b
            .client
            .execute(
                "const e = new Event('beforeunload', { cancelable: true }); \
                 window.dispatchEvent(e); return e.defaultPrevented;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(unload, serde_json::json!(true), "a reload asks first");
        b.client
            .execute("window.salesLeaveGuard = null", vec![])
            .await
            .unwrap();
        b.client.refresh().await.unwrap();
        b.wait_hydrated().await;
        b.wait_for("#entry-restored").await;
        b.wait_text("#picked-client", "Kept Buyer").await;
        b.wait_value("line-0-quantity", "4").await;
        b.wait_value("line-0-discount", "10%").await;
        b.wait_text("#total-left-out", "line 2 (KEEP-B)").await;
        // "Yes" by the menu leaves; coming back offers it again.
        answer_leaving(&b, true).await;
        b.click("#sidebar a[href^='/stock']").await;
        b.wait_url("the stock page", |u| u.contains("/stock")).await;
        b.open("/orders/new").await;
        b.wait_hydrated().await;
        b.wait_for("#entry-restored").await;
        b.wait_value("line-0-quantity", "4").await;
        b.screenshot("order-kept").await;

        // Saved, it is no longer kept.
        b.click("#line-1-remove").await;
        b.click("#save-order").await;
        b.wait_url("the order page", |u| {
            u.contains("/orders/") && !u.ends_with("/new")
        })
        .await;
        b.wait_text("#order-lines", "10 %").await;
        let kept = "return Object.keys(localStorage).filter(k => k.startsWith('sales.')).length";
        assert_eq!(
            b.client.execute(kept, vec![]).await.unwrap(),
            serde_json::json!(0)
        );
        b.open("/orders/new").await;
        b.wait_hydrated().await;
        b.wait_for(r#".page-header[data-kept-checked="true"]"#)
            .await;
        b.wait_gone("#entry-restored").await;
        b.wait_gone("#line-0-quantity").await;
    })
    .await;
}

/// Creates an order for the client named `client` through the API; returns its number.
pub(crate) async fn seed_order(b: &Browser, client: &str, product: i64, confirm: bool) -> String {
    let script = r#"
        const [name, product, confirm, done] = arguments;
        fetch('/api/clients/?q=' + encodeURIComponent(name)).then(r => r.json()).then(p =>
          fetch('/api/orders/create', {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-Request-Client': 'dioxus' },
            body: JSON.stringify({ confirm, form: { client_id: p.rows[0].id,
              lines: [{ product_id: product, quantity: '1', unit_price: '5' }] } }),
          })).then(r => r.json()).then(o => done(o.number));
    "#;
    let number = b
        .client
        .execute_async(script, vec![client.into(), product.into(), confirm.into()])
        .await
        .unwrap();
    number.as_str().unwrap().to_string()
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_order_list_filters_by_client_and_status_in_the_url() {
    browser_test("order-list", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Filter One", "one@example.com").await;
        seed_client(&b, "Filter Two", "two@example.com").await;
        let p = seed_product(&b, "FLT-1", 0, 50).await;
        let one = seed_order(&b, "Filter One", p, true).await;
        let two = seed_order(&b, "Filter Two", p, false).await;
        b.open("/orders").await;
        b.wait_hydrated().await;
        b.wait_text("#orders-total", "2 orders").await;
        search(&b, "client-filter-search", "Filter Two").await;
        b.click("#client-filter-search-list .picker-choice").await;
        b.wait_url("client filter", |u| u.contains("client=")).await;
        b.wait_text("#orders-total", "1 order").await;
        b.wait_text("#orders-table", &two).await;
        b.click("#client-filter").await;
        b.wait_text("#orders-total", "2 orders").await;
        let status = b.wait_for(r#"select[name="status"]"#).await;
        status.select_by_value("confirmed").await.unwrap();
        b.wait_url("status filter", |u| u.contains("status=confirmed"))
            .await;
        let table = b.wait_text("#orders-table", &one).await;
        assert!(!table.contains(&two), "{table}");
        b.wait_text(
            &format!(r#"tr[data-number="{one}"] [data-status]"#),
            "Confirmed",
        )
        .await;
        // A new sort keeps the filters.
        let sort = b.wait_for(r#"select[name="sort"]"#).await;
        sort.select_by_value("largest").await.unwrap();
        b.wait_url("sort", |u| {
            u.contains("sort=largest") && u.contains("status=confirmed")
        })
        .await;
        b.wait_text("#orders-table", &one).await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_client_page_starts_an_order_for_that_client() {
    browser_test("order-from-client", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Counter Buyer", "counter@example.com").await;
        seed_product(&b, "CTR-1", 0, 5).await;
        b.open("/clients?q=Counter").await;
        b.wait_hydrated().await;
        b.click("tr[data-client] a").await;
        b.wait_text("#client-name", "Counter Buyer").await;
        b.click("#new-order-for-client").await;
        b.wait_url("order entry", |u| u.contains("/orders/new?client="))
            .await;
        // The client is picked already: the first keystrokes go to products.
        b.wait_text("#picked-client", "Counter Buyer").await;
        b.wait_for("#product-search")
            .await
            .send_keys(&format!("CTR-1{ENTER}"))
            .await
            .unwrap();
        b.wait_value("line-0-quantity", "1").await;
        b.click("#save-order").await;
        let title = b.wait_text("#order-number", "Draft").await;
        let number = title.split_whitespace().next().unwrap().to_string();
        // Back on the client's page, the new order is in its history.
        b.click("#order-client").await;
        b.wait_text("#client-orders", &number).await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_pickers_follow_the_arrow_keys() {
    browser_test("picker-keys", DESKTOP, |b| async move {
        open_entry(&b, "Arrow Buyer", &["SCREW-1", "SCREW-2", "SCREW-3"]).await;
        let input = b.wait_for("#product-search").await;
        input.send_keys("screw").await.unwrap();
        b.wait_text("#product-search-list", "SCREW-3").await;
        // The first match is highlighted; ↓ twice moves to the third, ↑ once back to the second.
        assert_eq!(
            input
                .attr("aria-activedescendant")
                .await
                .unwrap()
                .as_deref(),
            Some("product-search-opt-0")
        );
        input.send_keys(&format!("{DOWN}{DOWN}")).await.unwrap();
        b.wait_text("#product-search-list li.highlighted", "SCREW-3")
            .await;
        input.send_keys(UP).await.unwrap();
        let active = b
            .wait_text("#product-search-list li.highlighted", "SCREW-2")
            .await;
        assert!(!active.contains("SCREW-3"), "{active}");
        assert_eq!(
            input
                .attr("aria-activedescendant")
                .await
                .unwrap()
                .as_deref(),
            Some("product-search-opt-1")
        );
        let selected = b
            .wait_for(r#"#product-search-opt-1[aria-selected="true"]"#)
            .await;
        assert!(selected.text().await.unwrap().contains("SCREW-2"));
        // Enter takes the highlighted match, not the first.
        input.send_keys(ENTER).await.unwrap();
        b.wait_value("line-0-quantity", "1").await;
        b.wait_for(r#".order-line[data-sku="SCREW-2"]"#).await;
        // Escape closes the list and keeps what was typed.
        let input = b.wait_for("#product-search").await;
        input.send_keys("screw").await.unwrap();
        b.wait_text("#product-search-list", "SCREW-1").await;
        input.send_keys(ESCAPE).await.unwrap();
        b.wait_gone("#product-search-list").await;
        assert_eq!(input.prop("value").await.unwrap().as_deref(), Some("screw"));
        // ↓ opens it again.
        input.send_keys(DOWN).await.unwrap();
        b.wait_for("#product-search-list").await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_double_click_gives_one_action_and_never_confirms_by_itself() {
    browser_test("order-double-click", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Double Buyer", "double@example.com").await;
        let product = seed_product(&b, "DBL-1", 0, 10).await;
        let number = seed_order(&b, "Double Buyer", product, true).await;
        b.open(&format!("/orders?q={number}")).await;
        b.wait_hydrated().await;
        b.click(&format!(r#"tr[data-number="{number}"] a"#)).await;
        b.wait_text("#order-number", "Confirmed").await;
        // Back to draft, double-clicked: one request, one answer, no refusal beside it.
        b.double_click("#revert-order").await;
        b.wait_text("#order-number", "Draft").await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let toasts = b.wait_for(".toaster").await.text().await.unwrap();
        assert_eq!(toasts.matches("is draft").count(), 1, "{toasts}");
        assert!(
            b.client
                .find_all(fantoccini::Locator::Css(".toast-error"))
                .await
                .unwrap()
                .is_empty(),
            "{toasts}"
        );
        // Cancel, double-clicked: the second click lands on "Yes, cancel" and is ignored.
        b.double_click("#cancel-order").await;
        b.wait_for("#confirm-cancel-order").await;
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        b.wait_text("#order-number", "Draft").await;
        // A deliberate second click does it.
        b.click(r#"#confirm-cancel-order[data-ready="true"]"#).await;
        b.wait_text("#order-number", "Cancelled").await;
    })
    .await;
}
