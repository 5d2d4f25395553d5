//! The users page (admin): requests waiting for approval first, then every account; search,
//! change role, deactivate and reactivate.

use dioxus::prelude::*;

use super::{UserRow, approve_user, decline_user, list_users, set_active, set_role};
use crate::auth::Role;
use crate::choice::Choice;
use crate::ui::action::use_busy;
use crate::ui::confirm::ConfirmButton;
use crate::ui::select::ChoiceSelect;
use crate::ui::toast::use_toasts;

#[component]
pub fn Users() -> Element {
    let mut query = use_signal(String::new);
    let mut users = use_loader(move || list_users(query()))?;

    rsx! {
        document::Title { "Users · Sales" }
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
                            if u.pending {
                                RequestLine { key: "{u.id}", user: u, on_change: move |_| users.restart() }
                            } else {
                                UserLine { key: "{u.id}", user: u, on_change: move |_| users.restart() }
                            }
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
    let busy = use_busy();
    let id = user.id;
    let username = user.username.clone();
    let name = username.clone();
    rsx! {
        tr { "data-user": "{user.username}",
            td { class: "primary", "{user.name}" }
            td { "data-label": "Username", "{user.username}" }
            td { "data-label": "Email", class: "hide-sm", "{user.email}" }
            td { "data-label": "Role",
                ChoiceSelect {
                    value: user.role,
                    name: "role",
                    label: "Role of {user.username}",
                    disabled: busy.get(),
                    on_change: move |role: Role| {
                        let username = username.clone();
                        busy.run(async move {
                            match set_role(id, role).await {
                                Ok(_) => {
                                    toasts.success(format!("{username} is now {}", role.label()));
                                    on_change.call(());
                                }
                                Err(err) => toasts.error(err.to_string()),
                            }
                        })
                    },
                }
            }
            td { "data-label": "Status",
                button {
                    class: if user.active { "btn btn-small" } else { "btn btn-small btn-primary" },
                    r#type: "button",
                    disabled: busy.get(),
                    onclick: move |_| {
                        let name = name.clone();
                        busy.run(async move {
                            match set_active(id, !user.active).await {
                                Ok(u) => {
                                    let what = if u.active { "reactivated" } else { "deactivated" };
                                    toasts.success(format!("{name} {what}"));
                                    on_change.call(());
                                }
                                Err(err) => toasts.error(err.to_string()),
                            }
                        })
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

/// A registration waiting for approval: pick the role, then approve; or decline.
#[component]
fn RequestLine(user: UserRow, on_change: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let busy = use_busy();
    let mut role = use_signal(|| user.role);
    let id = user.id;
    let username = user.username.clone();
    let declined = user.username.clone();
    rsx! {
        tr { class: "pending-request", "data-user": "{user.username}",
            td { class: "primary", "{user.name}" }
            td { "data-label": "Username", "{user.username}" }
            td { "data-label": "Email", class: "hide-sm", "{user.email}" }
            td { "data-label": "Role",
                ChoiceSelect {
                    value: role(),
                    name: "role",
                    label: "Role for {user.username}",
                    on_change: move |r: Role| role.set(r),
                }
            }
            td { "data-label": "Request", class: "actions",
                span { class: "badge badge-warn", "waiting" }
                button {
                    class: "btn btn-small btn-primary",
                    r#type: "button",
                    id: "approve-{user.username}",
                    disabled: busy.get(),
                    onclick: move |_| {
                        let username = username.clone();
                        busy.run(async move {
                            match approve_user(id, role()).await {
                                Ok(u) => {
                                    toasts.success(format!("{username} approved as {}", u.role.label()));
                                    on_change.call(());
                                }
                                Err(err) => toasts.error(err.to_string()),
                            }
                        })
                    },
                    "Approve"
                }
                ConfirmButton {
                    id: "decline-{user.username}",
                    label: "Decline",
                    confirm_label: "Yes, decline",
                    busy,
                    on_confirm: move |_| {
                        let name = declined.clone();
                        busy.run(async move {
                            match decline_user(id).await {
                                Ok(_) => {
                                    toasts.success(format!("{name}'s request declined"));
                                    on_change.call(());
                                }
                                Err(err) => toasts.error(err.to_string()),
                            }
                        })
                    },
                }
            }
        }
    }
}
