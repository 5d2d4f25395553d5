//! The shell in a real browser: hydration, the phone menu, the 404 page.

use fantoccini::Locator;

use crate::support::{ADMIN, PASSWORD, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn check_connection_works_once_hydrated() {
    browser_test("check-connection", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        let button = b
            .client
            .find(Locator::Id("check-connection"))
            .await
            .unwrap();
        button.click().await.unwrap();
        // Only the hydrated app can call the server function and show the toast.
        let toast = b.wait_for(".toast-success").await;
        // textContent, not text(): the toast fades in from opacity 0, which WebDriver treats
        // as invisible text.
        let text = toast.prop("textContent").await.unwrap().unwrap_or_default();
        assert!(text.contains("Database connected (sqlite"), "{text}");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn phone_menu_opens_and_closes_at_375px() {
    browser_test("phone-menu", PHONE, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        let sidebar = b.client.find(Locator::Id("sidebar")).await.unwrap();
        assert_eq!(
            sidebar.attr("class").await.unwrap().as_deref(),
            Some("sidebar")
        );
        let toggle = b.client.find(Locator::Css(".menu-toggle")).await.unwrap();
        assert!(
            toggle.is_displayed().await.unwrap(),
            "the menu button shows on a phone"
        );

        toggle.click().await.unwrap();
        b.wait_for("#sidebar.open").await;
        assert_eq!(
            toggle.attr("aria-expanded").await.unwrap().as_deref(),
            Some("true")
        );
        b.screenshot("shell-375-menu-open").await;

        // Tapping the dimmed page beside the open menu closes it again.
        tap(&b, 350.0, 400.0).await;
        b.wait_for(r#"#sidebar[class="sidebar"]"#).await;
        b.screenshot("shell-375").await;

        // Nothing overflows sideways at phone width.
        b.assert_fits(375).await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn unknown_page_shows_the_404_page() {
    browser_test("not-found", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        b.open("/nowhere").await;
        let code = b.wait_for(".error-code").await;
        assert_eq!(code.text().await.unwrap(), "404");
        b.wait_hydrated().await;
        // After hydration the page still shows the 404, and the nav still works.
        b.client
            .find(Locator::LinkText("Back to the dashboard"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.client
            .wait()
            .for_url(&url_for(&b.base, "/"))
            .await
            .unwrap();
        b.wait_for("#check-connection").await;
        let h1 = b.client.find(Locator::Css("h1")).await.unwrap();
        assert_eq!(h1.text().await.unwrap(), "Dashboard");
    })
    .await;
}

/// A tap at viewport coordinates (WebDriver's element click aims at the centre, which the
/// open drawer covers).
async fn tap(b: &crate::support::Browser, x: f64, y: f64) {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
    let tap = MouseActions::new("finger".into())
        .then(PointerAction::MoveTo {
            duration: None,
            x,
            y,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    b.client.perform_actions(tap).await.unwrap();
}

fn url_for(base: &str, path: &str) -> url::Url {
    url::Url::parse(&format!("{base}{path}")).unwrap()
}

/// The id of the first row a list API answers for `path`.
async fn first_id(b: &crate::support::Browser, path: &str) -> i64 {
    b.client
        .execute_async(
            r#"const [path, done] = arguments;
               fetch(path).then(r => r.json()).then(p => done(p.rows[0].id));"#,
            vec![path.into()],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

/// Every page at 375 px: nothing cut off, nothing reachable only by scrolling sideways, even
/// with a long unbroken client name. A new module adds its pages to this walk.
#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn every_page_fits_a_phone() {
    browser_test("every-page-375", PHONE, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        let long = "Internationalekonstruktionsmaterialgrosshandelsgesellschaft";
        crate::clients::seed_client(&b, long, "phone.walk@example.com").await;
        let client = first_id(&b, "/api/clients/?q=Internationale").await;
        let product = crate::stock::seed_product(&b, "PHONE-WALK-1", 2, 50).await;
        let order = serde_json::json!({ "form": { "client_id": client, "priority": "normal",
            "lines": [{ "product_id": product, "quantity": "3", "unit_price": "12.50", "discount": "1" }] },
            "confirm": false });
        assert_eq!(b.api_post("/api/orders/create", order).await, 200);
        let order = first_id(&b, "/api/orders/").await;
        let receipt = serde_json::json!({ "id": product, "form": { "quantity": "5",
            "reference": "PO-WALK-1", "note": "a note long enough to wrap on a phone screen" } });
        assert_eq!(b.api_post("/api/products/receive", receipt).await, 200);
        for path in [
            "/".to_string(),
            "/profile".into(),
            "/clients".into(),
            "/clients/new".into(),
            "/clients/import".into(),
            format!("/clients/{client}"),
            format!("/clients/{client}/edit"),
            "/orders".into(),
            "/orders/new".into(),
            format!("/orders/{order}"),
            format!("/orders/{order}/edit"),
            "/stock".into(),
            "/stock/new".into(),
            format!("/products/{product}"),
            format!("/products/{product}/edit"),
            "/users".into(),
            "/outbox".into(),
            "/audit?action=login".into(),
            "/no/such/page".into(),
        ] {
            b.open(&path).await;
            b.wait_hydrated().await;
            b.assert_fits(375).await;
        }
    })
    .await;
}

/// The page's Content-Security-Policy lets Dioxus's own inline scripts run (by their nonce),
/// and the retitling on client-side navigation, but no script the page did not come with.
#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_page_runs_only_the_scripts_it_came_with() {
    browser_test("csp", DESKTOP, |b| async move {
        // Signed in and hydrated: the nonce let the hydration scripts run.
        b.sign_in(ADMIN, PASSWORD).await;
        let violations = r#"window.__violations = [];
            document.addEventListener('securitypolicyviolation',
                e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"#;
        b.client.execute(violations, vec![]).await.unwrap();

        // A client-side navigation retitles the tab through Dioxus's eval.
        b.click(r#"#sidebar a[href^="/clients"]"#).await;
        b.wait_url("the clients list", |u| u.contains("/clients"))
            .await;
        let mut title = String::new();
        for _ in 0..50 {
            title = b.client.title().await.unwrap();
            if title == "Clients · Sales" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(title, "Clients · Sales");

        // An inline script added to the page without the nonce is refused.
        let inject = r#"const s = document.createElement('script');
            s.textContent = 'window.__injected = true';
            document.body.appendChild(s);"#;
        b.client.execute(inject, vec![]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let ran = b
            .client
            .execute("return window.__injected === true", vec![])
            .await
            .unwrap();
        assert_eq!(ran, serde_json::json!(false), "the injected script ran");
        let seen = b
            .client
            .execute("return window.__violations", vec![])
            .await
            .unwrap();
        let seen: Vec<String> = serde_json::from_value(seen).unwrap();
        assert_eq!(seen.len(), 1, "only the injection is refused: {seen:?}");
        assert!(seen[0].starts_with("script-src"), "{seen:?}");
    })
    .await;
}
