//! The create and edit forms. The shared rules run in the browser on submit (messages at each
//! field, no request) and again on the server (the same messages, nothing written).

use dioxus::prelude::*;

use super::rules::client_problems;
use super::{Client, ClientForm, create_client, get_client, update_client};
use crate::app::Route;
use crate::error::AppError;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::toast::use_toasts;

#[component]
pub fn ClientNew() -> Element {
    rsx! {
        document::Title { "New client · Clients" }
        ClientEditor { id: None, initial: ClientForm::default() }
    }
}

#[component]
pub fn ClientEdit(id: ReadSignal<i64>) -> Element {
    let client = use_loader(move || get_client(id()))?;
    let c = client();
    rsx! {
        document::Title { "Edit {c.name} · Clients" }
        ClientEditor { id: Some(c.id), initial: form_of(&c) }
    }
}

fn form_of(c: &Client) -> ClientForm {
    ClientForm {
        name: c.name.clone(),
        contact: c.contact.clone(),
        email: c.email.clone().unwrap_or_default(),
        phone: c.phone.clone(),
        billing_address: c.billing_address.clone(),
        // Shown empty when it just repeats billing, so editing billing moves both.
        shipping_address: if c.shipping_address == c.billing_address {
            String::new()
        } else {
            c.shipping_address.clone()
        },
        tax_id: c.tax_id.clone(),
        payment_terms_days: c.payment_terms_days,
        notes: c.notes.clone(),
    }
}

#[component]
fn ClientEditor(id: Option<i64>, initial: ClientForm) -> Element {
    let mut toasts = use_toasts();
    let name = use_signal(|| initial.name.clone());
    let contact = use_signal(|| initial.contact.clone());
    let email = use_signal(|| initial.email.clone());
    let phone = use_signal(|| initial.phone.clone());
    let billing = use_signal(|| initial.billing_address.clone());
    let shipping = use_signal(|| initial.shipping_address.clone());
    let tax_id = use_signal(|| initial.tax_id.clone());
    let terms = use_signal(|| initial.payment_terms_days.to_string());
    let notes = use_signal(|| initial.notes.clone());
    let submit = use_submit();

    let save = move |_| {
        let saving = async move {
            let Ok(days) = terms().trim().parse::<i64>() else {
                return Err(AppError::field(
                    "payment_terms_days",
                    "enter a whole number of days, like 30",
                ));
            };
            let form = ClientForm {
                name: name(),
                contact: contact(),
                email: email(),
                phone: phone(),
                billing_address: billing(),
                shipping_address: shipping(),
                tax_id: tax_id(),
                payment_terms_days: days,
                notes: notes(),
            };
            let problems = client_problems(&form);
            if !problems.is_empty() {
                return Err(AppError::fields(problems));
            }
            match id {
                Some(id) => update_client(id, form).await,
                None => create_client(form).await,
            }
        };
        submit.run(saving, move |c| {
            toasts.success(format!("{} saved", c.name));
            navigator().push(Route::ClientDetail { id: c.id });
        })
    };
    let err = |f: &str| submit.error(f);
    let (title, cancel) = match id {
        Some(id) => ("Edit client", Route::ClientDetail { id }),
        None => (
            "New client",
            Route::ClientList {
                query: Default::default(),
            },
        ),
    };

    rsx! {
        div { class: "page-header",
            div {
                h1 { "{title}" }
                p { class: "muted", "Only the name is required." }
            }
        }
        Form { class: "card stack form-wide", id: "client-form", submit, onsubmit: save,
            Field { label: "Name", name: "name", value: name, autocomplete: "organization", error: err("name") }
            div { class: "field-row",
                Field { label: "Contact person", name: "contact", value: contact, autocomplete: "name", error: err("contact") }
                Field { label: "Email", name: "email", value: email, kind: "email", autocomplete: "email", error: err("email") }
            }
            div { class: "field-row",
                Field { label: "Phone", name: "phone", value: phone, kind: "tel", autocomplete: "tel", error: err("phone") }
                Field { label: "Tax id", name: "tax_id", value: tax_id, error: err("tax_id") }
            }
            div { class: "field-row",
                Field { label: "Billing address", name: "billing_address", value: billing, rows: 3, error: err("billing_address") }
                Field {
                    label: "Shipping address",
                    name: "shipping_address",
                    value: shipping,
                    rows: 3,
                    error: err("shipping_address"),
                    hint: "Leave empty to ship to the billing address.",
                }
            }
            Field {
                label: "Payment terms (days)",
                name: "payment_terms_days",
                value: terms,
                kind: "number",
                inputmode: "numeric",
                error: err("payment_terms_days"),
                hint: "Invoices fall due this many days after they are issued.",
            }
            Field { label: "Notes", name: "notes", value: notes, rows: 3, error: err("notes") }
            div { class: "actions",
                button { class: "btn btn-primary", r#type: "submit", disabled: submit.running(), "Save" }
                Link { class: "btn", to: cancel, "Cancel" }
            }
        }
    }
}
