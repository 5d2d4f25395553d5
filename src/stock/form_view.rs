//! The product form (new and edit): the shared rules check it in the browser, the server
//! checks again; messages appear at their fields.

use dioxus::prelude::*;

use super::rules::read_product;
use super::{Product, ProductForm, create_product, get_product, update_product};
use crate::app::Route;
use crate::error::AppError;
use crate::ui::form::{Field, Form, use_submit};
use crate::ui::toast::use_toasts;

#[component]
pub fn ProductNew() -> Element {
    let initial = ProductForm {
        unit: "pcs".into(),
        unit_price: "0.00".into(),
        tax_rate: "19".into(),
        reorder_level: "0".into(),
        ..Default::default()
    };
    rsx! {
        document::Title { "New product · Stock" }
        ProductEditor { id: None, initial }
    }
}

#[component]
pub fn ProductEdit(id: ReadSignal<i64>) -> Element {
    let product = use_loader(move || get_product(id()))?;
    let p = product();
    rsx! {
        document::Title { "Edit {p.sku} · Stock" }
        ProductEditor { id: Some(p.id), initial: form_of(&p) }
    }
}

fn form_of(p: &Product) -> ProductForm {
    let rate = crate::money::Money(p.tax_rate_bp).to_string();
    ProductForm {
        sku: p.sku.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        unit: p.unit.clone(),
        unit_price: p.unit_price.to_string(),
        tax_rate: rate.trim_end_matches(".00").to_string(),
        reorder_level: p.reorder_level.to_string(),
    }
}

#[component]
fn ProductEditor(id: Option<i64>, initial: ProductForm) -> Element {
    let mut toasts = use_toasts();
    let sku = use_signal(|| initial.sku.clone());
    let name = use_signal(|| initial.name.clone());
    let description = use_signal(|| initial.description.clone());
    let unit = use_signal(|| initial.unit.clone());
    let price = use_signal(|| initial.unit_price.clone());
    let rate = use_signal(|| initial.tax_rate.clone());
    let reorder = use_signal(|| initial.reorder_level.clone());
    let submit = use_submit();
    let save = move |_| {
        let saving = async move {
            let form = ProductForm {
                sku: sku(),
                name: name(),
                description: description(),
                unit: unit(),
                unit_price: price(),
                tax_rate: rate(),
                reorder_level: reorder(),
            };
            read_product(&form).map_err(AppError::fields)?;
            match id {
                Some(id) => update_product(id, form).await,
                None => create_product(form).await,
            }
        };
        submit.run(saving, move |p| {
            toasts.success(format!("{} saved", p.sku));
            navigator().push(Route::ProductDetail { id: p.id });
        })
    };
    let err = |f: &str| submit.error(f);
    let title = if id.is_some() {
        "Edit product"
    } else {
        "New product"
    };
    rsx! {
        div { class: "page-header",
            div { h1 { "{title}" } }
        }
        Form { class: "card stack form-wide", id: "product-form", submit, onsubmit: save,
            div { class: "field-row",
                Field { label: "SKU", name: "sku", value: sku, error: err("sku"), hint: "Unique; letters, digits and - _ . /" }
                Field { label: "Name", name: "name", value: name, error: err("name") }
            }
            Field { label: "Description", name: "description", value: description, rows: 3, error: err("description") }
            div { class: "field-row",
                Field { label: "Unit", name: "unit", value: unit, error: err("unit"), hint: "pcs, kg, box…" }
                Field { label: "Unit price", name: "unit_price", value: price, inputmode: "decimal", error: err("unit_price"), hint: "Like 1,234.50" }
            }
            div { class: "field-row",
                Field { label: "Tax rate (%)", name: "tax_rate", value: rate, inputmode: "decimal", error: err("tax_rate") }
                Field {
                    label: "Reorder level",
                    name: "reorder_level",
                    value: reorder,
                    inputmode: "numeric",
                    error: err("reorder_level"),
                    hint: "Flagged as low stock when what is available falls to this or below.",
                }
            }
            div { class: "actions",
                button { class: "btn btn-primary", r#type: "submit", disabled: submit.running(), "Save" }
                Link { class: "btn", to: Route::StockList { query: Default::default() }, "Cancel" }
            }
        }
    }
}
