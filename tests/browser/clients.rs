//! Clients in a real browser: create, search, edit, archive, a field error, the phone layout.

use fantoccini::Locator;

use crate::support::{ADMIN, Browser, PASSWORD, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);

pub async fn seed_client(b: &Browser, name: &str, email: &str) {
    let form = serde_json::json!({ "form": {
        "name": name, "email": email, "contact": "Pat Doe", "phone": "+44 117 555 0100",
        "billing_address": "1 Quay St\nBristol", "payment_terms_days": 30,
    }});
    assert_eq!(b.api_post("/api/clients/create", form).await, 200);
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn create_search_edit_and_archive_a_client() {
    browser_test("clients-flow", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        b.click(r#"#sidebar a[href^="/clients"]"#).await;
        b.wait_for("#clients-empty").await;

        // Create.
        b.click("#new-client").await;
        b.fill("name", "Harbour Supplies").await;
        b.fill("contact", "Nia Walsh").await;
        b.fill("email", "orders@harbour.example").await;
        b.fill("billing_address", "3 Dock Road\nCardiff").await;
        b.click(r#"#client-form button[type="submit"]"#).await;
        b.wait_text("#client-name", "Harbour Supplies").await;
        let detail = b
            .wait_url("/clients/<id>", |u| u.contains("/clients/"))
            .await;

        // Search finds it, and only it, as you type; the search lands in the URL.
        seed_client(&b, "Inland Traders", "hello@inland.example").await;
        b.open("/clients").await;
        b.wait_hydrated().await;
        b.wait_text("#client-total", "2 clients").await;
        b.fill("q", "harb").await;
        b.wait_url("?q=harb", |u| u.ends_with("/clients?q=harb"))
            .await;
        b.wait_text("#client-total", "1 client").await;
        let rows = b
            .client
            .find_all(Locator::Css("#client-table tbody tr"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].text().await.unwrap().contains("Harbour Supplies"));
        // The URL alone reproduces the list.
        b.open("/clients?q=inland").await;
        b.wait_text("#client-table tbody", "Inland Traders").await;

        // Edit.
        b.open(detail.trim_start_matches(&b.base)).await;
        b.wait_hydrated().await;
        b.click("#edit-client").await;
        b.wait_value("name", "Harbour Supplies").await;
        b.fill("name", "Harbour Supplies Ltd").await;
        b.click(r#"#client-form button[type="submit"]"#).await;
        b.wait_text("#client-name", "Harbour Supplies Ltd").await;
        b.screenshot("client-detail").await;

        // Archive: badged, gone from the list, kept under Archived.
        b.click("#archive-client").await;
        b.wait_for("#archived-badge").await;
        b.wait_text("#client-history", "archived").await;
        b.open("/clients?q=harbour").await;
        b.wait_for("#clients-empty").await;
        b.open("/clients?q=harbour&archived=true").await;
        b.wait_text("#client-table tbody", "Harbour Supplies Ltd")
            .await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn validation_errors_show_at_their_fields() {
    browser_test("clients-validation", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Taken Email Co", "taken@example.com").await;
        b.open("/clients/new").await;
        b.wait_hydrated().await;
        // Checked in the browser: no name, a malformed email.
        b.fill("email", "not-an-email").await;
        b.click(r#"#client-form button[type="submit"]"#).await;
        b.wait_text("#field-name-msg", "enter the client's name")
            .await;
        b.wait_text("#field-email-msg", "enter a valid email address")
            .await;
        // Checked on the server: the email belongs to another active client.
        b.fill("name", "Second Co").await;
        b.fill("email", "taken@example.com").await;
        b.click(r#"#client-form button[type="submit"]"#).await;
        b.wait_text("#field-email-msg", "Taken Email Co already uses this email")
            .await;
        b.wait_gone("#field-name-msg").await;
        assert!(
            b.client
                .current_url()
                .await
                .unwrap()
                .path()
                .ends_with("/clients/new")
        );
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_client_list_fits_a_phone() {
    browser_test("clients-375", PHONE, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        for (name, email) in [
            ("Alder & Birch Joinery", "office@alderbirch.example"),
            ("Bramble Café", "hello@bramble.example"),
            (
                "Copperline Electrical Contractors International",
                "jobs@copperline.example",
            ),
        ] {
            seed_client(&b, name, email).await;
        }
        b.open("/clients").await;
        b.wait_hydrated().await;
        b.wait_text("#client-total", "3 clients").await;
        b.screenshot("clients-375").await;
        b.assert_fits(375).await;
        // Each client is a card: the name on top, then every column under its heading;
        // nothing is left out.
        let row = b
            .client
            .find(Locator::Css("#client-table tbody tr"))
            .await
            .unwrap();
        let mut labels = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.unwrap() {
            if cell.is_displayed().await.unwrap() {
                labels.push(cell.attr("data-label").await.unwrap().unwrap_or_default());
            }
        }
        assert_eq!(
            labels,
            ["", "Contact", "Email", "Phone", "Billing address"],
            "every column shows"
        );
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_double_click_on_delete_does_not_delete() {
    browser_test("client-delete-double-click", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Keep Me Ltd", "keep@example.com").await;
        b.open("/clients?q=Keep").await;
        b.wait_hydrated().await;
        b.click("tr[data-client] a").await;
        b.wait_text("#client-name", "Keep Me Ltd").await;
        // The second click of the double click lands on "Delete for good": ignored.
        b.double_click("#delete-client").await;
        b.wait_for("#confirm-delete-client").await;
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        b.open("/clients?q=Keep").await;
        b.wait_text("#client-table tbody", "Keep Me Ltd").await;
        // Asked twice on purpose, it goes.
        b.click("tr[data-client] a").await;
        b.wait_text("#client-name", "Keep Me Ltd").await;
        b.wait_hydrated().await;
        b.click("#delete-client").await;
        b.click(r#"#confirm-delete-client[data-ready="true"]"#)
            .await;
        b.wait_url("the client list", |u| !u.contains("/clients/"))
            .await;
        b.open("/clients?q=Keep").await;
        b.wait_for("#clients-empty").await;
    })
    .await;
}

/// A client named as markup is shown as text, on the list and on its page, both as the server
/// rendered them and after the browser took over, and nothing in it ran.
#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_name_written_as_markup_shows_as_text_and_never_runs() {
    browser_test("clients-markup", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        let name = r#"<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"#;
        seed_client(&b, name, "").await;
        b.open("/clients").await;
        b.wait_hydrated().await;
        b.wait_text("#client-table", name).await;
        b.click("#client-table a[href^=\"/clients/\"]").await;
        b.wait_text("#client-name", name).await;
        let ran = b
            .client
            .execute(
                "return [window.__xss === undefined, document.querySelectorAll('main img, main script').length];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(ran, serde_json::json!([true, 0]), "nothing ran, no element made");
        // The same on a page the server rendered.
        let here = b.client.current_url().await.unwrap();
        b.open(here.path()).await;
        b.wait_hydrated().await;
        b.wait_text("#client-name", name).await;
        let ran = b
            .client
            .execute("return window.__xss === undefined;", vec![])
            .await
            .unwrap();
        assert_eq!(ran, serde_json::json!(true));
    })
    .await;
}
