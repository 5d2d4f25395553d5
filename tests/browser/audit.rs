//! The audit trail page in a real browser: filters typed and chosen go into the URL and
//! narrow the list; a refused filter is shown at its field.

use crate::clients::seed_client;
use crate::support::{ADMIN, PASSWORD, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_trail_is_filtered_from_the_page() {
    browser_test("audit-filters", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        seed_client(&b, "Harbour Supplies", "").await;
        b.click(r#"#sidebar a[href^="/audit"]"#).await;
        b.wait_hydrated().await;
        b.wait_text("#audit-table", "client.created").await;

        // An action family, typed: only sign-ins are left.
        b.fill("action", "login\u{E007}").await;
        b.wait_url("the action filter", |u| u.contains("action=login"))
            .await;
        b.wait_text("#audit-table", "login.succeeded").await;
        let table = b.wait_for("#audit-table").await.text().await.unwrap();
        assert!(!table.contains("client.created"), "{table}");

        // A kind of record, chosen: the client's event and a link to its page.
        b.open("/audit").await;
        b.wait_hydrated().await;
        let select = b.wait_for(r#"select[name="entity"]"#).await;
        select.select_by_value("client").await.unwrap();
        b.wait_url("the record filter", |u| u.contains("entity=client"))
            .await;
        b.wait_text("#audit-table", "client 1").await;

        // Dates the wrong way round: the message at the field, the page still there.
        b.open("/audit?from=2026-02-01&to=2026-01-01").await;
        b.wait_hydrated().await;
        b.wait_text(".field-error", "before the start").await;
        b.wait_for("#audit-refused").await;
    })
    .await;
}
