//! Sign-in and registration pages (public, outside the shell).

use dioxus::prelude::*;

use super::rules::password_problems;
use super::{LoginForm, RegisterForm, Registered, auth_settings, login, register};
use crate::app::Route;
use crate::error::AppError;
use crate::ui::action::use_busy;
use crate::ui::captcha::{Captcha, captcha_token};
use crate::ui::form::{Field, Form, field_error, form_error, use_hydrated};

/// The centred card the public pages sit in.
#[component]
pub fn AuthLayout() -> Element {
    // Like the shell's flag: true once the browser has taken over the page.
    let hydrated = use_hydrated();
    rsx! {
        div { class: "auth-page",
            div {
                class: "auth-card",
                "data-hydrated": "{hydrated}",
                div { class: "auth-brand",
                    span { class: "brand-mark", "S" }
                    "Sales"
                }
                Outlet::<Route> {}
            }
        }
    }
}

/// Only same-site paths are followed after sign-in (no open redirect).
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[component]
pub fn Login(next: String) -> Element {
    let settings = use_loader(auth_settings)?;
    let login_value = use_signal(String::new);
    let password = use_signal(String::new);
    let mut answer = use_signal(|| None::<AppError>);
    let busy = use_busy();
    let target = safe_next(&next);
    let site_key = settings().recaptcha_site_key;
    let captcha_on = site_key.is_some();

    let submit = move |_| {
        let target = target.clone();
        busy.run(async move {
            let form = LoginForm {
                login: login_value(),
                password: password(),
                captcha: captcha_token(captcha_on).await,
            };
            match login(form).await {
                // A full page load, so every server-rendered page sees the new session.
                Ok(_) => {
                    answer.set(None);
                    navigator().replace(target);
                }
                Err(e) => answer.set(Some(e)),
            }
        })
    };

    rsx! {
        document::Title { "Sign in · Sales" }
        h1 { "Sign in" }
        Form { class: "stack", id: "login-form", busy, onsubmit: submit,
            if let Some(msg) = form_error(&answer()) {
                p { class: "form-error", role: "alert", id: "login-error", "{msg}" }
            }
            Field {
                label: "Username or email",
                name: "login",
                value: login_value,
                autocomplete: "username",
                error: field_error(&answer(), "login"),
            }
            Field {
                label: "Password",
                name: "password",
                kind: "password",
                value: password,
                autocomplete: "current-password",
                error: field_error(&answer(), "password"),
            }
            if let Some(key) = site_key {
                Captcha { site_key: key, error: field_error(&answer(), "captcha") }
            }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: busy.get(),
                if busy.get() { "Signing in…" } else { "Sign in" }
            }
        }
        p { class: "auth-alt",
            Link { to: Route::ForgotPassword {}, "Forgot your password?" }
        }
        if settings().registration_open {
            p { class: "auth-alt",
                "New here? "
                Link { to: Route::Register {}, "Create an account" }
            }
        }
    }
}

#[component]
pub fn Register() -> Element {
    let settings = use_loader(auth_settings)?;
    let username = use_signal(String::new);
    let first_name = use_signal(String::new);
    let last_name = use_signal(String::new);
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let confirm = use_signal(String::new);
    let mut answer = use_signal(|| None::<AppError>);
    let busy = use_busy();
    let mut pending = use_signal(|| false);

    // The same rules the server applies, shown while typing.
    let live_password = use_memo(move || {
        let p = password();
        if p.is_empty() {
            return None;
        }
        let problems = password_problems(&p, &username(), &email());
        (!problems.is_empty())
            .then(|| format!("This password is refused: {}.", problems.join("; ")))
    });
    let live_confirm = use_memo(move || {
        (!confirm().is_empty() && confirm() != password())
            .then(|| "the two passwords do not match".to_string())
    });

    let site_key = settings().recaptcha_site_key;
    let captcha_on = site_key.is_some();
    let submit = move |_| {
        busy.run(async move {
            let form = RegisterForm {
                username: username(),
                first_name: first_name(),
                last_name: last_name(),
                email: email(),
                password: password(),
                confirm: confirm(),
                captcha: captcha_token(captcha_on).await,
            };
            match register(form).await {
                Ok(Registered::SignedIn(_)) => {
                    answer.set(None);
                    navigator().replace(Route::Dashboard {});
                }
                Ok(Registered::Pending) => {
                    answer.set(None);
                    pending.set(true);
                }
                Err(e) => answer.set(Some(e)),
            }
        })
    };

    if !settings().registration_open {
        return rsx! {
            document::Title { "Create an account · Sales" }
            h1 { "Registration is closed" }
            p { class: "muted", "Ask an administrator for an account." }
            Link { to: Route::Login { next: "/".into() }, "Back to sign in" }
        };
    }

    if pending() {
        return rsx! {
            document::Title { "Create an account · Sales" }
            h1 { "Request sent" }
            div { id: "registration-pending", class: "stack",
                p { "Thank you, {first_name}. Your account has been created and waits for an administrator to approve it and give it a role." }
                p { class: "muted", "Until then you cannot sign in. Administrators have been told by email." }
                Link { to: Route::Login { next: "/".into() }, "Back to sign in" }
            }
        };
    }

    let err = |field: &str| field_error(&answer(), field);
    rsx! {
        document::Title { "Create an account · Sales" }
        h1 { "Create an account" }
        Form { class: "stack", id: "register-form", busy, onsubmit: submit,
            if let Some(msg) = form_error(&answer()) {
                p { class: "form-error", role: "alert", "{msg}" }
            }
            Field { label: "Username", name: "username", value: username, autocomplete: "username", error: err("username") }
            div { class: "field-row",
                Field { label: "First name", name: "first_name", value: first_name, autocomplete: "given-name", error: err("first_name") }
                Field { label: "Last name", name: "last_name", value: last_name, autocomplete: "family-name", error: err("last_name") }
            }
            Field { label: "Email", name: "email", kind: "email", value: email, autocomplete: "email", error: err("email") }
            Field {
                label: "Password",
                name: "password",
                kind: "password",
                value: password,
                autocomplete: "new-password",
                error: live_password().or(err("password")),
                hint: "At least 10 characters; a few unrelated words work well.",
            }
            Field {
                label: "Confirm password",
                name: "confirm",
                kind: "password",
                value: confirm,
                autocomplete: "new-password",
                error: live_confirm().or(err("confirm")),
            }
            if let Some(key) = site_key {
                Captcha { site_key: key, error: err("captcha") }
            }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: busy.get(),
                if busy.get() { "Creating…" } else { "Create account" }
            }
        }
        p { class: "auth-alt",
            "Already have an account? "
            Link { to: Route::Login { next: "/".into() }, "Sign in" }
        }
    }
}
