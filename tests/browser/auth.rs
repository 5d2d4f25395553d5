//! Registration and sign-in in a real browser.

use crate::support::{ADMIN, PASSWORD, browser_test, browser_test_with};

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);

async fn open_register(b: &crate::support::Browser) {
    b.open("/register").await;
    b.wait_for(r#".auth-card[data-hydrated="true"]"#).await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_weak_password_is_refused_with_its_reason_while_typing() {
    browser_test("weak-password", DESKTOP, |b| async move {
        open_register(&b).await;
        b.fill("username", "carol").await;
        b.fill("password", "password1").await;
        // The length at once, in the page; the strength once the server has answered.
        let text = b
            .wait_text("#field-password-msg.field-error", "too easy to guess")
            .await;
        assert!(text.contains("at least 10 characters"), "{text}");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_mismatched_confirmation_is_refused() {
    browser_test("mismatch", DESKTOP, |b| async move {
        open_register(&b).await;
        b.fill("password", PASSWORD).await;
        b.fill("confirm", "correct horse battery stapler").await;
        let msg = b.wait_for("#field-confirm-msg.field-error").await;
        assert_eq!(msg.text().await.unwrap(), "the two passwords do not match");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_registration_waits_for_an_administrator() {
    browser_test("register", DESKTOP, |b| async move {
        open_register(&b).await;
        for (name, value) in [
            ("username", "carol"),
            ("first_name", "Carol"),
            ("last_name", "Jones"),
            ("email", "carol@example.com"),
            ("password", "violet kettle marching north"),
            ("confirm", "violet kettle marching north"),
        ] {
            b.fill(name, value).await;
        }
        b.click(r#"button[type="submit"]"#).await;
        // An admin exists, so this account waits: no shell, a plain explanation.
        let text = b.wait_text("#registration-pending", "approve").await;
        assert!(text.contains("Carol"), "{text}");
        b.open("/login").await;
        b.wait_for(r#".auth-card[data-hydrated="true"]"#).await;
        b.fill("login", "carol").await;
        b.fill("password", "violet kettle marching north").await;
        b.click(r#"button[type="submit"]"#).await;
        b.wait_text("#login-form-error", "approval").await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn before_the_app_loads_a_form_cannot_send_a_password_in_the_url() {
    // JavaScript off: the page exactly as a slow phone shows it before the wasm arrives.
    browser_test_with("no-js-login", PHONE, false, |b| async move {
        let secret = "a password that must stay secret";
        b.open("/login").await;
        let form = b.wait_for("#login-form").await;
        assert_eq!(form.attr("method").await.unwrap().as_deref(), Some("post"));
        b.wait_for("#login-form fieldset[disabled]").await;
        // Try everything a person would: type, press Enter, press the button. The fields
        // refuse input until the app has loaded, so whatever WebDriver reports is ignored.
        let login = b.wait_for(r#"[name="login"]"#).await;
        let _ = login.send_keys(ADMIN).await;
        let password = b.wait_for(r#"[name="password"]"#).await;
        let _ = password.send_keys(&format!("{secret}\u{E007}")).await;
        let _ = b.wait_for(r#"button[type="submit"]"#).await.click().await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.path(), "/login", "{url}");
        assert!(!url.as_str().contains("password"), "{url}");
        assert!(!url.as_str().contains("secret"), "{url}");
        let log = std::fs::read_to_string(&b.server_log).unwrap();
        assert!(
            !log.contains("secret"),
            "the server log holds the password:\n{log}"
        );
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn sign_out_returns_to_the_sign_in_page() {
    browser_test("sign-out", DESKTOP, |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        b.click("#sign-out").await;
        b.wait_for(r#"input[name="login"]"#).await;
        // The session is gone: the dashboard sends us back to sign in.
        b.open("/").await;
        b.wait_for(r#"input[name="login"]"#).await;
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.path(), "/login", "{url}");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn wrong_password_shows_the_generic_message() {
    browser_test("wrong-password", DESKTOP, |b| async move {
        b.open("/login").await;
        b.wait_for(r#".auth-card[data-hydrated="true"]"#).await;
        b.fill("login", ADMIN).await;
        b.fill("password", "not the password").await;
        b.click(r#"button[type="submit"]"#).await;
        let msg = b.wait_for("#login-form-error").await;
        assert_eq!(msg.text().await.unwrap(), "invalid username or password");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn login_page_at_375px() {
    browser_test("login-375", PHONE, |b| async move {
        b.open("/login").await;
        b.wait_for(r#".auth-card[data-hydrated="true"]"#).await;
        b.screenshot("login-375").await;
        b.assert_fits(375).await;
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn sign_in_returns_to_the_page_asked_for() {
    browser_test("return-to", DESKTOP, |b| async move {
        b.open("/profile").await;
        // Sent to sign in, with the page remembered.
        b.wait_for(r#".auth-card[data-hydrated="true"]"#).await;
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.path(), "/login");
        assert!(
            url.query().unwrap_or_default().contains("next=/profile"),
            "{url}"
        );
        b.fill("login", ADMIN).await;
        b.fill("password", PASSWORD).await;
        b.click(r#"button[type="submit"]"#).await;
        b.wait_for("#profile-form").await;
        assert_eq!(b.client.current_url().await.unwrap().path(), "/profile");
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_admin_approves_a_request_then_changes_its_role() {
    browser_test("change-role", DESKTOP, |b| async move {
        crate::support::register_user(&b.base, "bob").await;
        b.sign_in(ADMIN, PASSWORD).await;
        b.click(r#"a[href="/users"]"#).await;
        // The request waits at the top, with a role to pick.
        let select = b
            .wait_for(r#"tr.pending-request[data-user="bob"] select[name="role"]"#)
            .await;
        select.select_by_value("warehouse").await.unwrap();
        b.click("#approve-bob").await;
        let toast = b.wait_for(".toast-success").await;
        let text = toast.prop("textContent").await.unwrap().unwrap_or_default();
        assert!(text.contains("bob approved as Warehouse"), "{text}");
        b.wait_gone(r#"tr.pending-request[data-user="bob"]"#).await;
        // Now an account like any other: a role picked asks first, and "keep" changes nothing.
        let select = b
            .wait_for(r#"tr[data-user="bob"] select[name="role"]"#)
            .await;
        select.select_by_value("accounting").await.unwrap();
        b.wait_text("#role-change-bob", "Warehouse → Accounting?")
            .await;
        b.click("#keep-role-bob").await;
        b.wait_gone("#role-change-bob").await;
        let select = b
            .wait_for(r#"tr[data-user="bob"] select[name="role"]"#)
            .await;
        assert_eq!(
            select.prop("value").await.unwrap().as_deref(),
            Some("warehouse")
        );
        select.select_by_value("accounting").await.unwrap();
        b.click("#confirm-role-bob").await;
        b.wait_text(".toaster", "bob is now Accounting").await;
        // Never signed in: the list says so.
        b.wait_text(r#"tr[data-user="bob"] .last-sign-in"#, "never")
            .await;
        // The change is stored: a fresh load shows it.
        b.open("/users").await;
        b.wait_hydrated().await;
        let select = b
            .wait_for(r#"tr[data-user="bob"] select[name="role"]"#)
            .await;
        assert_eq!(
            select.prop("value").await.unwrap().as_deref(),
            Some("accounting")
        );
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_admin_invites_a_person_on_a_phone() {
    browser_test("invite-375", (375, 812), |b| async move {
        b.sign_in(ADMIN, PASSWORD).await;
        b.open("/users").await;
        b.wait_hydrated().await;
        b.click("#invite-open").await;
        b.fill("first_name", "Ivy").await;
        b.fill("last_name", "Ng").await;
        b.fill("email", "not-an-email").await;
        b.fill("username", "ivy").await;
        b.click("#invite-send").await;
        b.wait_text("#field-email-msg", "email").await;
        b.fill("email", "ivy@example.com").await;
        b.click("#invite-send").await;
        b.wait_text(".toaster", "Invitation sent to ivy@example.com")
            .await;
        b.wait_text(r#"tr[data-user="ivy"]"#, "invited").await;
        // The admin's own sign-in is listed.
        b.wait_text(r#"tr[data-user="admin"] .last-sign-in"#, "20")
            .await;
        b.screenshot("users-375").await;
        b.assert_fits(375).await;
    })
    .await;
}
