//! Registration and sign-in in a real browser.

use crate::support::{ADMIN, PASSWORD, browser_test};

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
        let msg = b.wait_for("#field-password-msg.field-error").await;
        let text = msg.text().await.unwrap();
        assert!(text.contains("at least 10 characters"), "{text}");
        assert!(text.contains("too easy to guess"), "{text}");
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
async fn registration_succeeds_and_signs_in() {
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
        let who = b.wait_for("#current-user").await;
        assert_eq!(who.text().await.unwrap(), "Carol Jones");
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
        let msg = b.wait_for("#login-error").await;
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
async fn the_admin_changes_a_role() {
    browser_test("change-role", DESKTOP, |b| async move {
        crate::support::register_user(&b.base, "bob").await;
        b.sign_in(ADMIN, PASSWORD).await;
        b.click(r#"a[href="/users"]"#).await;
        let select = b
            .wait_for(r#"tr[data-user="bob"] select[name="role"]"#)
            .await;
        select.select_by_value("warehouse").await.unwrap();
        let toast = b.wait_for(".toast-success").await;
        let text = toast.prop("textContent").await.unwrap().unwrap_or_default();
        assert!(text.contains("bob is now Warehouse"), "{text}");
        // The change is stored: a fresh load shows it.
        b.open("/users").await;
        b.wait_hydrated().await;
        let select = b
            .wait_for(r#"tr[data-user="bob"] select[name="role"]"#)
            .await;
        assert_eq!(
            select.prop("value").await.unwrap().as_deref(),
            Some("warehouse")
        );
    })
    .await;
}
