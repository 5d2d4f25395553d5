//! The profile page: one's own name and email, and a password change.

use dioxus::prelude::*;

use super::strength::use_password_feedback;
use super::{change_password, current_user, update_profile};
use crate::choice::Choice;
use crate::ui::form::{Field, Form, use_submit};
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
    let details = use_submit();
    let password_change = use_submit();

    let current = use_signal(String::new);
    let password = use_signal(String::new);
    let confirm = use_signal(String::new);
    let username = use_signal(|| user.username.clone());
    let live = use_password_feedback(password, username, email);

    let save_details = move |_| {
        let saving = async move { update_profile(first_name(), last_name(), email()).await };
        details.run(saving, move |_| toasts.success("Your details were saved"))
    };
    let save_password = move |_| {
        let (mut current, mut password, mut confirm) = (current, password, confirm);
        let changing = async move { change_password(current(), password(), confirm()).await };
        password_change.run(changing, move |()| {
            current.set(String::new());
            password.set(String::new());
            confirm.set(String::new());
            toasts.success("Password changed; your other sessions were signed out");
        })
    };
    let d = |f: &str| details.error(f);
    let p = |f: &str| password_change.error(f);
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
                Form { class: "stack", id: "profile-form", submit: details, onsubmit: save_details,
                    Field { label: "First name", name: "first_name", value: first_name, autocomplete: "given-name", error: d("first_name") }
                    Field { label: "Last name", name: "last_name", value: last_name, autocomplete: "family-name", error: d("last_name") }
                    Field { label: "Email", name: "email", kind: "email", value: email, autocomplete: "email", error: d("email") }
                    button { class: "btn btn-primary", r#type: "submit", disabled: details.running(), "Save details" }
                }
            }
            section { class: "card",
                h2 { "Password" }
                Form { class: "stack", id: "password-form", submit: password_change, onsubmit: save_password,
                    Field { label: "Current password", name: "current", kind: "password", value: current, autocomplete: "current-password", error: p("current") }
                    Field { label: "New password", name: "password", kind: "password", value: password, autocomplete: "new-password", error: live().or(p("password")) }
                    Field { label: "Confirm new password", name: "confirm", kind: "password", value: confirm, autocomplete: "new-password", error: mismatch.or(p("confirm")) }
                    button { class: "btn btn-primary", r#type: "submit", disabled: password_change.running(), "Change password" }
                }
            }
        }
    }
}
