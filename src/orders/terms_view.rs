//! The order entry's terms: the client's own reference (their purchase order number), where
//! the goods go, and until when a quotation of the draft holds.

use dioxus::prelude::*;

use super::QUOTE_DAYS;
use crate::ui::form::{Field, Submit};

#[component]
pub fn Terms(
    reference: Signal<String>,
    address: Signal<String>,
    valid_until: Signal<String>,
    submit: Submit,
) -> Element {
    rsx! {
        section { class: "card stack", id: "order-terms",
            div { class: "field-row",
                Field {
                    label: "Client's reference",
                    name: "client_reference",
                    value: reference,
                    error: submit.error("client_reference"),
                    hint: "Their purchase order number, printed on our papers",
                }
                Field {
                    label: "Quotation valid until",
                    name: "valid_until",
                    kind: "date",
                    value: valid_until,
                    error: submit.error("valid_until"),
                    hint: format!("{QUOTE_DAYS} days from the quotation's date if left empty"),
                }
            }
            Field {
                label: "Delivery address",
                name: "delivery_address",
                value: address,
                rows: 3,
                error: submit.error("delivery_address"),
                hint: "The client's shipping address if left empty",
            }
        }
    }
}
