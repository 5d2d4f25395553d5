//! The users page (admin): search, change role, deactivate and reactivate.

use dioxus::prelude::*;

use super::{UserRow, list_users, set_active, set_role};
use crate::auth::Role;
use crate::choice::Choice;
use crate::ui::toast::use_toasts;

#[component]
pub fn Users() -> Element {
    let mut query = use_signal(String::new);
    let mut users = use_loader(move || list_users(query()))?;

    rsx! {
        div { class: "page-header",
            div {
                h1 { "Users" }
                p { class: "muted", "Roles decide what each person may see and change." }
            }
            input {
                class: "search",
                r#type: "search",
                name: "q",
                placeholder: "Search name, username or email",
                aria_label: "Search users",
                value: "{query}",
                oninput: move |e| query.set(e.value()),
            }
        }
        div { class: "card table-card",
            if users().is_empty() {
                p { class: "empty", "No user matches “{query}”." }
            } else {
                table { class: "table",
                    thead {
                        tr {
                            th { "Name" }
                            th { "Username" }
                            th { class: "hide-sm", "Email" }
                            th { "Role" }
                            th { "Status" }
                        }
                    }
                    tbody {
                        for u in users() {
                            UserLine { key: "{u.id}", user: u, on_change: move |_| users.restart() }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn UserLine(user: UserRow, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let id = user.id;
    let username = user.username.clone();
    let name = username.clone();
    rsx! {
        tr { "data-user": "{user.username}",
            td { "{user.name}" }
            td { "{user.username}" }
            td { class: "hide-sm", "{user.email}" }
            td {
                select {
                    name: "role",
                    aria_label: "Role of {user.username}",
                    onchange: move |e| {
                        let username = username.clone();
                        async move {
                            let Some(role) = Role::parse(&e.value()) else { return };
                            match set_role(id, role).await {
                                Ok(_) => {
                                    toasts.success(format!("{username} is now {}", role.label()));
                                    on_change.call(());
                                }
                                Err(err) => toasts.error(err.to_string()),
                            }
                        }
                    },
                    for &r in Role::ALL {
                        option { value: "{r}", selected: r == user.role, "{r.label()}" }
                    }
                }
            }
            td {
                button {
                    class: if user.active { "btn btn-small" } else { "btn btn-small btn-primary" },
                    r#type: "button",
                    onclick: move |_| {
                        let name = name.clone();
                        async move {
                            match set_active(id, !user.active).await {
                                Ok(u) => {
                                    let what = if u.active { "reactivated" } else { "deactivated" };
                                    toasts.success(format!("{name} {what}"));
                                    on_change.call(());
                                }
                                Err(err) => toasts.error(err.to_string()),
                            }
                        }
                    },
                    if user.active { "Deactivate" } else { "Reactivate" }
                }
                if !user.active {
                    span { class: "badge badge-bad", "inactive" }
                }
            }
        }
    }
}
