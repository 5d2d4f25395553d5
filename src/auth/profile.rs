//! The profile page: one's own name and email, and a password change.

use dioxus::prelude::*;

use super::rules::password_problems;
use super::{change_password, current_user, update_profile};
use crate::choice::Choice;
use crate::error::AppError;
use crate::ui::action::use_busy;
use crate::ui::form::{Field, Form, field_error, form_error};
use crate::ui::toast::use_toasts;

#[component]
pub fn Profile() -> Element {
    let me = use_loader(current_user)?;
    let Some(user) = me() else {
        return rsx! {};
    };
    let mut toasts = use_toasts();
    let first_name = use_signal(|| user.first_name.clone());
    let last_name = use_signal(|| user.last_name.clone());
    let email = use_signal(|| user.email.clone());
    let mut details_answer = use_signal(|| None::<AppError>);
    let details_busy = use_busy();
    let password_busy = use_busy();

    let current = use_signal(String::new);
    let password = use_signal(String::new);
    let confirm = use_signal(String::new);
    let mut password_answer = use_signal(|| None::<AppError>);
    let username = user.username.clone();
    let live = use_memo(move || {
        let p = password();
        let problems = password_problems(&p, &username, &email());
        (!p.is_empty() && !problems.is_empty())
            .then(|| format!("This password is refused: {}.", problems.join("; ")))
    });

    let save_details = move |_| {
        details_busy.run(async move {
            match update_profile(first_name(), last_name(), email()).await {
                Ok(_) => {
                    details_answer.set(None);
                    toasts.success("Your details were saved");
                }
                Err(err) => details_answer.set(Some(err)),
            }
        })
    };
    let save_password = move |_| {
        let (mut current, mut password, mut confirm) = (current, password, confirm);
        password_busy.run(async move {
            match change_password(current(), password(), confirm()).await {
                Ok(()) => {
                    password_answer.set(None);
                    current.set(String::new());
                    password.set(String::new());
                    confirm.set(String::new());
                    toasts.success("Password changed; your other sessions were signed out");
                }
                Err(err) => password_answer.set(Some(err)),
            }
        })
    };
    let d = |f: &str| field_error(&details_answer(), f);
    let p = |f: &str| field_error(&password_answer(), f);
    let mismatch = (!confirm().is_empty() && confirm() != password())
        .then(|| "the two passwords do not match".to_string());

    rsx! {
        document::Title { "Your profile · Sales" }
        div { class: "page-header",
            div {
                h1 { "Your profile" }
                p { class: "muted", "Signed in as {user.username} · {user.role.label()}" }
            }
        }
        div { class: "cards",
            section { class: "card",
                h2 { "Details" }
                Form { class: "stack", id: "profile-form", busy: details_busy, onsubmit: save_details,
                    if let Some(msg) = form_error(&details_answer()) {
                        p { class: "form-error", role: "alert", "{msg}" }
                    }
                    Field { label: "First name", name: "first_name", value: first_name, autocomplete: "given-name", error: d("first_name") }
                    Field { label: "Last name", name: "last_name", value: last_name, autocomplete: "family-name", error: d("last_name") }
                    Field { label: "Email", name: "email", kind: "email", value: email, autocomplete: "email", error: d("email") }
                    button { class: "btn btn-primary", r#type: "submit", disabled: details_busy.get(), "Save details" }
                }
            }
            section { class: "card",
                h2 { "Password" }
                Form { class: "stack", id: "password-form", busy: password_busy, onsubmit: save_password,
                    if let Some(msg) = form_error(&password_answer()) {
                        p { class: "form-error", role: "alert", "{msg}" }
                    }
                    Field { label: "Current password", name: "current", kind: "password", value: current, autocomplete: "current-password", error: p("current") }
                    Field { label: "New password", name: "password", kind: "password", value: password, autocomplete: "new-password", error: live().or(p("password")) }
                    Field { label: "Confirm new password", name: "confirm", kind: "password", value: confirm, autocomplete: "new-password", error: mismatch.or(p("confirm")) }
                    button { class: "btn btn-primary", r#type: "submit", disabled: password_busy.get(), "Change password" }
                }
            }
        }
    }
}
