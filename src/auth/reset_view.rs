//! The "forgot password" and "choose a new password" pages.

use dioxus::prelude::*;

use super::rules::password_problems;
use super::{auth_settings, request_password_reset, reset_password};
use crate::app::Route;
use crate::error::AppError;
use crate::ui::action::use_busy;
use crate::ui::captcha::{Captcha, captcha_token};
use crate::ui::form::{Field, Form, field_error, form_error};

#[component]
pub fn ForgotPassword() -> Element {
    let settings = use_loader(auth_settings)?;
    let site_key = settings().recaptcha_site_key;
    let captcha_on = site_key.is_some();
    let email = use_signal(String::new);
    let mut answer = use_signal(|| None::<AppError>);
    let mut sent = use_signal(|| false);
    let busy = use_busy();

    let submit = move |_| {
        busy.run(async move {
            match request_password_reset(email(), captcha_token(captcha_on).await).await {
                Ok(()) => sent.set(true),
                Err(err) => answer.set(Some(err)),
            }
        })
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
        Form { class: "stack", id: "forgot-form", busy, onsubmit: submit,
            if let Some(msg) = form_error(&answer()) {
                p { class: "form-error", role: "alert", "{msg}" }
            }
            Field { label: "Email", name: "email", kind: "email", value: email, autocomplete: "email", error: field_error(&answer(), "email") }
            if let Some(key) = site_key {
                Captcha { site_key: key, error: field_error(&answer(), "captcha") }
            }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: busy.get(), "Send the link" }
        }
        p { class: "auth-alt", Link { to: Route::Login { next: "/".into() }, "Back to sign in" } }
    }
}

#[component]
pub fn ResetPassword(token: String) -> Element {
    let password = use_signal(String::new);
    let confirm = use_signal(String::new);
    let mut answer = use_signal(|| None::<AppError>);
    let mut done = use_signal(|| false);
    let busy = use_busy();
    // Username and email are unknown here; the server checks those two rules on submit.
    let live = use_memo(move || {
        let p = password();
        let problems = password_problems(&p, "", "");
        (!p.is_empty() && !problems.is_empty())
            .then(|| format!("This password is refused: {}.", problems.join("; ")))
    });

    let submit = move |_| {
        let token = token.clone();
        busy.run(async move {
            match reset_password(token, password(), confirm()).await {
                Ok(()) => done.set(true),
                Err(err) => answer.set(Some(err)),
            }
        })
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
        Form { class: "stack", id: "reset-form", busy, onsubmit: submit,
            if let Some(msg) = field_error(&answer(), "token").or(form_error(&answer())) {
                p { class: "form-error", role: "alert", "{msg}" }
            }
            Field { label: "New password", name: "password", kind: "password", value: password, autocomplete: "new-password", error: live().or(field_error(&answer(), "password")) }
            Field { label: "Confirm password", name: "confirm", kind: "password", value: confirm, autocomplete: "new-password", error: mismatch.or(field_error(&answer(), "confirm")) }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: busy.get(), "Change password" }
        }
    }
}
