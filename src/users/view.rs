//! The users page (admin): requests waiting for approval first, then every account with its
//! last sign-in; search, invite a person, change a role (asked twice: it changes what the
//! person may do at once), send a password-reset link, deactivate and reactivate.

use dioxus::prelude::*;

use super::{
    InviteForm, UserRow, approve_user, decline_user, invite_user, list_users, send_reset_link,
    set_active, set_role,
};
use crate::auth::Role;
use crate::business::use_business;
use crate::choice::Choice;
use crate::ui::action::use_busy;
use crate::ui::confirm::ConfirmButton;
use crate::ui::email::Email;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::select::ChoiceSelect;
use crate::ui::toast::use_toasts;

#[component]
pub fn Users() -> Element {
    let mut query = use_signal(String::new);
    let mut users = use_loader(move || list_users(query()))?;
    let mut inviting = use_signal(|| false);

    rsx! {
        document::Title { "Users · Sales" }
        div { class: "page-header",
            div {
                h1 { "Users" }
                p { class: "muted", "Roles decide what each person may see and change." }
            }
            div { class: "actions",
                input {
                    class: "search",
                    r#type: "search",
                    name: "q",
                    placeholder: "Search name, username or email",
                    aria_label: "Search users",
                    value: "{query}",
                    oninput: move |e| query.set(e.value()),
                }
                button {
                    class: "btn btn-primary",
                    r#type: "button",
                    id: "invite-open",
                    onclick: move |_| inviting.toggle(),
                    "Invite someone"
                }
            }
        }
        if inviting() {
            InviteCard {
                on_done: move |_| {
                    inviting.set(false);
                    users.restart();
                },
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
                            th { "Last sign-in" }
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
    let business = use_business();
    let busy = use_busy();
    // A role picked but not yet confirmed.
    let mut proposed = use_signal(|| None::<Role>);
    let id = user.id;
    let (name, sent_to) = (user.username.clone(), user.email.clone());
    let username = user.username.clone();
    let last = user
        .last_sign_in
        .map_or("never".to_string(), |at| business.zone.date_time(&at));
    rsx! {
        tr { "data-user": "{user.username}",
            td { class: "primary", "{user.name}" }
            td { "data-label": "Username", "{user.username}" }
            td { "data-label": "Email", class: "hide-sm", Email { address: user.email.clone() } }
            td { "data-label": "Role",
                ChoiceSelect {
                    value: proposed().unwrap_or(user.role),
                    name: "role",
                    label: "Role of {user.username}",
                    disabled: busy.get(),
                    on_change: move |role: Role| proposed.set((role != user.role).then_some(role)),
                }
                if let Some(role) = proposed() {
                    div { class: "role-change", id: "role-change-{user.username}",
                        span { "{user.role.label()} → {role.label()}?" }
                        button {
                            class: "btn btn-small btn-primary",
                            r#type: "button",
                            id: "confirm-role-{user.username}",
                            disabled: busy.get(),
                            onclick: move |_| {
                                let username = username.clone();
                                busy.run(async move {
                                    match set_role(id, role).await {
                                        Ok(_) => {
                                            toasts.success(format!("{username} is now {}", role.label()));
                                            proposed.set(None);
                                            on_change.call(());
                                        }
                                        Err(err) => toasts.error(err.to_string()),
                                    }
                                })
                            },
                            "Change role"
                        }
                        button {
                            class: "btn btn-small",
                            r#type: "button",
                            id: "keep-role-{user.username}",
                            onclick: move |_| proposed.set(None),
                            "Keep {user.role.label()}"
                        }
                    }
                }
            }
            td { "data-label": "Last sign-in", class: "last-sign-in", "{last}" }
            td { "data-label": "Status", class: "actions",
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
                if user.active {
                    button {
                        class: "btn btn-small",
                        r#type: "button",
                        id: "send-reset-{user.username}",
                        disabled: busy.get(),
                        onclick: move |_| {
                            let to = sent_to.clone();
                            busy.run(async move {
                                match send_reset_link(id).await {
                                    Ok(()) => toasts.success(format!("A password link is on its way to {to}")),
                                    Err(err) => toasts.error(err.to_string()),
                                }
                            })
                        },
                        "Send reset link"
                    }
                }
                if user.invited {
                    span { class: "badge badge-warn", "invited" }
                }
                if !user.active {
                    span { class: "badge badge-bad", "inactive" }
                }
            }
        }
    }
}

/// Invites a person: the account is made, and they choose their password from the email.
#[component]
fn InviteCard(on_done: EventHandler<()>) -> Element {
    let mut toasts = use_toasts();
    let submit = use_submit();
    let username = use_signal(String::new);
    let first = use_signal(String::new);
    let last = use_signal(String::new);
    let email = use_signal(String::new);
    let mut role = use_signal(|| Role::Sales);
    let err = move |f: &str| submit.error(f);
    rsx! {
        section { class: "card stack", id: "invite-card",
            h2 { "Invite someone" }
            p { class: "muted",
                "They get an email with a link to choose their password; the link works once, for a week."
            }
            Form {
                id: "invite-form",
                class: "stack",
                submit,
                onsubmit: move |_| {
                    let form = InviteForm {
                        username: username(),
                        first_name: first(),
                        last_name: last(),
                        email: email(),
                        role: role(),
                    };
                    submit.run(invite_user(form), move |u| {
                        toasts.success(format!("Invitation sent to {}", u.email));
                        on_done.call(());
                    })
                },
                div { class: "field-row",
                    Field { label: "First name", name: "first_name", value: first, error: err("first_name") }
                    Field { label: "Last name", name: "last_name", value: last, error: err("last_name") }
                }
                div { class: "field-row",
                    Field { label: "Email", name: "email", kind: "email", value: email, error: err("email") }
                    Field { label: "Username", name: "username", value: username, error: err("username") }
                }
                ChoiceSelect {
                    value: role(),
                    name: "invite-role",
                    label: "Role",
                    on_change: move |r: Role| role.set(r),
                }
                div { class: "actions",
                    button { class: "btn btn-primary", r#type: "submit", id: "invite-send",
                        disabled: submit.running(),
                        "Send invitation"
                    }
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
            td { "data-label": "Email", class: "hide-sm", Email { address: user.email.clone() } }
            td { "data-label": "Role",
                ChoiceSelect {
                    value: role(),
                    name: "role",
                    label: "Role for {user.username}",
                    on_change: move |r: Role| role.set(r),
                }
            }
            td { "data-label": "Last sign-in", class: "last-sign-in", "never" }
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
