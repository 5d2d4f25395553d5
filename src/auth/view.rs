//! Sign-in and registration pages (public, outside the shell).

use dioxus::prelude::*;

use super::strength::use_password_feedback;
use super::{LoginForm, RegisterForm, Registered, auth_settings, login, register};
use crate::app::Route;
use crate::ui::captcha::{Captcha, captcha_token};
use crate::ui::form::{Field, Form, use_hydrated, use_submit};

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
    let submit = use_submit();
    let target = safe_next(&next);
    let site_key = settings().recaptcha_site_key;
    let captcha_on = site_key.is_some();

    let send = move |_| {
        let target = target.clone();
        let sending = async move {
            let form = LoginForm {
                login: login_value(),
                password: password(),
                captcha: captcha_token(captcha_on).await,
            };
            login(form).await
        };
        // A full page load, so every server-rendered page sees the new session.
        submit.run(sending, move |_| {
            navigator().replace(target);
        })
    };

    rsx! {
        document::Title { "Sign in · Sales" }
        h1 { "Sign in" }
        Form { class: "stack", id: "login-form", submit, onsubmit: send,
            Field {
                label: "Username or email",
                name: "login",
                value: login_value,
                autocomplete: "username",
                error: submit.error("login"),
            }
            Field {
                label: "Password",
                name: "password",
                kind: "password",
                value: password,
                autocomplete: "current-password",
                error: submit.error("password"),
            }
            if let Some(key) = site_key {
                Captcha { site_key: key, error: submit.error("captcha") }
            }
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: submit.running(),
                if submit.running() { "Signing in…" } else { "Sign in" }
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
    let submit = use_submit();
    let mut pending = use_signal(|| false);

    // The same rules the server applies, shown while typing.
    let live_password = use_password_feedback(password, username, email);
    let live_confirm = use_memo(move || {
        (!confirm().is_empty() && confirm() != password())
            .then(|| "the two passwords do not match".to_string())
    });

    let site_key = settings().recaptcha_site_key;
    let captcha_on = site_key.is_some();
    let send = move |_| {
        let sending = async move {
            let form = RegisterForm {
                username: username(),
                first_name: first_name(),
                last_name: last_name(),
                email: email(),
                password: password(),
                confirm: confirm(),
                captcha: captcha_token(captcha_on).await,
            };
            register(form).await
        };
        submit.run(sending, move |registered| match registered {
            Registered::SignedIn(_) => {
                navigator().replace(Route::Dashboard {});
            }
            Registered::Pending => pending.set(true),
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

    let err = |field: &str| submit.error(field);
    rsx! {
        document::Title { "Create an account · Sales" }
        h1 { "Create an account" }
        Form { class: "stack", id: "register-form", submit, onsubmit: send,
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
            button { class: "btn btn-primary btn-block", r#type: "submit", disabled: submit.running(),
                if submit.running() { "Creating…" } else { "Create account" }
            }
        }
        p { class: "auth-alt",
            "Already have an account? "
            Link { to: Route::Login { next: "/".into() }, "Sign in" }
        }
    }
}
