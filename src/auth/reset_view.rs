//! The "forgot password" and "choose a new password" pages.

use dioxus::prelude::*;

use super::strength::use_password_feedback;
use super::{auth_settings, request_password_reset, reset_password};
use crate::app::Route;
use crate::ui::captcha::{Captcha, captcha_token};
use crate::ui::form::{Field, Form, use_submit};

#[component]
pub fn ForgotPassword() -> Element {
    let settings = use_loader(auth_settings)?;
    let site_key = settings().recaptcha_site_key;
    let captcha_on = site_key.is_some();
    let email = use_signal(String::new);
    let mut sent = use_signal(|| false);
    let submit = use_submit();

    let send = move |_| {
        let asking =
            async move { request_password_reset(email(), captcha_token(captcha_on).await).await };
        submit.run(asking, move |()| sent.set(true))
    };

    if sent() {
        return rsx! {
            document::Title { "Forgotten password · Sales" }
            h1 { "Check your email" }
            p { id: "reset-sent",
                "If an account uses {email}, a link to choose a new password is on its way. It works once, for 30 minutes."
            }
            Link { to: Route::Login { next: "/".into() }, "Back to sign in" }
        };
    }
    rsx! {
        document::Title { "Forgotten password · Sales" }
        h1 { "Forgot your password?" }
        p { class: "muted", "Enter the email address of your account and we will send you a link." }
        Form { class: "stack", id: "forgot-form", submit, onsubmit: send,
            Field { label: "Email", name: "email", kind: "email", value: email, autocomplete: "email", error: submit.error("email") }
            if let Some(key) = site_key {
                Captcha { site_key: key, error: submit.error("captcha") }
            }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: submit.running(), "Send the link" }
        }
        p { class: "auth-alt", Link { to: Route::Login { next: "/".into() }, "Back to sign in" } }
    }
}

#[component]
pub fn ResetPassword(token: String) -> Element {
    let password = use_signal(String::new);
    let confirm = use_signal(String::new);
    let mut done = use_signal(|| false);
    let submit = use_submit();
    // Username and email are unknown here; the server checks those two rules on submit.
    let unknown = use_signal(String::new);
    let live = use_password_feedback(password, unknown, unknown);

    let send = move |_| {
        let token = token.clone();
        let resetting = async move { reset_password(token, password(), confirm()).await };
        submit.run(resetting, move |()| done.set(true))
    };

    if done() {
        return rsx! {
            document::Title { "New password · Sales" }
            h1 { "Password changed" }
            p { id: "reset-done", "You can now sign in with your new password." }
            Link { class: "btn btn-primary btn-block", to: Route::Login { next: "/".into() }, "Sign in" }
        };
    }
    let mismatch = (!confirm().is_empty() && confirm() != password())
        .then(|| "the two passwords do not match".to_string());
    rsx! {
        document::Title { "New password · Sales" }
        h1 { "Choose a new password" }
        Form { class: "stack", id: "reset-form", submit, onsubmit: send,
            // The link's token has no field of its own.
            if let Some(msg) = submit.error("token") {
                p { class: "form-error", role: "alert", "{msg}" }
            }
            Field { label: "New password", name: "password", kind: "password", value: password, autocomplete: "new-password", error: live().or(submit.error("password")) }
            Field { label: "Confirm password", name: "confirm", kind: "password", value: confirm, autocomplete: "new-password", error: mismatch.or(submit.error("confirm")) }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: submit.running(), "Change password" }
        }
    }
}
