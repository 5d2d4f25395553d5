//! Client form rules, shared by the browser (messages as you type) and the server.

use super::ClientForm;
use crate::auth::rules::is_email;
use crate::error::FieldError;
use crate::input::Problems;

pub const MAX_PAYMENT_TERMS_DAYS: i64 = 365;

/// Every field that breaks a rule, with a message for the person filling the form.
pub fn client_problems(f: &ClientForm) -> Vec<FieldError> {
    let mut out = Problems::default();
    if f.name.trim().is_empty() {
        out.add("name", "enter the client's name");
    }
    for (field, value, max) in [
        ("name", &f.name, 200),
        ("contact", &f.contact, 200),
        ("phone", &f.phone, 50),
        ("tax_id", &f.tax_id, 50),
        ("billing_address", &f.billing_address, 1000),
        ("shipping_address", &f.shipping_address, 1000),
        ("notes", &f.notes, 2000),
    ] {
        out.check_length(field, value.trim(), max);
    }
    if !f.email.trim().is_empty() && !is_email(&f.email) {
        out.add(
            "email",
            "enter a valid email address, like billing@example.com",
        );
    }
    if !f.phone.trim().is_empty()
        && !f
            .phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
    {
        out.add("phone", "use digits, spaces and + - ( ) . / only");
    }
    if !(0..=MAX_PAYMENT_TERMS_DAYS).contains(&f.payment_terms_days) {
        out.add(
            "payment_terms_days",
            format!("enter a number of days from 0 to {MAX_PAYMENT_TERMS_DAYS}"),
        );
    }
    out.into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ClientForm {
        ClientForm {
            name: "Acme GmbH".into(),
            email: "billing@acme.example".into(),
            phone: "+49 (30) 123-456".into(),
            payment_terms_days: 30,
            ..Default::default()
        }
    }

    fn fields(f: &ClientForm) -> Vec<String> {
        client_problems(f).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_client_passes() {
        assert!(client_problems(&valid()).is_empty());
        let minimal = ClientForm {
            name: "Just a name".into(),
            payment_terms_days: 0,
            ..Default::default()
        };
        assert!(
            client_problems(&minimal).is_empty(),
            "only the name is required"
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        let cases: Vec<(ClientForm, &str)> = vec![
            (
                ClientForm {
                    name: "  ".into(),
                    ..valid()
                },
                "name",
            ),
            (
                ClientForm {
                    name: "x".repeat(201),
                    ..valid()
                },
                "name",
            ),
            (
                ClientForm {
                    email: "not-an-email".into(),
                    ..valid()
                },
                "email",
            ),
            (
                ClientForm {
                    phone: "call me".into(),
                    ..valid()
                },
                "phone",
            ),
            (
                ClientForm {
                    payment_terms_days: -1,
                    ..valid()
                },
                "payment_terms_days",
            ),
            (
                ClientForm {
                    payment_terms_days: 366,
                    ..valid()
                },
                "payment_terms_days",
            ),
            (
                ClientForm {
                    notes: "n".repeat(2001),
                    ..valid()
                },
                "notes",
            ),
            (
                ClientForm {
                    tax_id: "t".repeat(51),
                    ..valid()
                },
                "tax_id",
            ),
        ];
        for (form, field) in cases {
            assert_eq!(fields(&form), [field], "{form:?}");
        }
    }
}
