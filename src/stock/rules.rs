//! Product and movement rules, shared by the browser (messages as you type) and the server.

use super::{AdjustmentForm, ProductForm, ReceiptForm};
use crate::error::FieldError;
use crate::money::Money;

/// Largest quantity one movement may carry: far from overflow when summed.
pub const MAX_QUANTITY: i64 = 1_000_000_000;

/// A product as the database stores it, read from the form.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub unit_price: Money,
    pub tax_rate_bp: i64,
    pub reorder_level: i64,
}

/// A whole number, as typed ("12", "+3", "-2"); `None` with the reason otherwise.
pub fn parse_quantity(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    match digits.parse::<i64>() {
        // A range check, not `abs()`: `i64::MIN` has no absolute value in an i64.
        Ok(n) if (-MAX_QUANTITY..=MAX_QUANTITY).contains(&n) => Ok(n),
        Ok(_) => Err(format!("use at most {MAX_QUANTITY} at a time")),
        Err(_) if t.is_empty() => Err("enter a quantity".into()),
        // Digits that do not fit an i64 are simply too many.
        Err(_) if is_integer(digits) => Err(format!("use at most {MAX_QUANTITY} at a time")),
        Err(_) if t.contains(['.', ',']) => Err("quantities are whole numbers".into()),
        Err(_) => Err(format!("'{t}' is not a whole number")),
    }
}

fn is_integer(text: &str) -> bool {
    let bare = text.strip_prefix('-').unwrap_or(text);
    !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit())
}

/// A percentage with up to two decimals, as basis points: "19" → 1900, "7.5" → 750.
pub fn parse_rate(text: &str) -> Result<i64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    let bp = Money::parse(t).map_err(|_| format!("'{t}' is not a percentage, like 19 or 7.5"))?;
    match bp.cents() {
        n if (0..=10_000).contains(&n) => Ok(n),
        _ => Err("enter a rate from 0 to 100 %".into()),
    }
}

fn field(out: &mut Vec<FieldError>, field: &str, message: impl Into<String>) {
    out.push(FieldError {
        field: field.into(),
        message: message.into(),
    });
}

/// The product, or every field that breaks a rule.
pub fn read_product(f: &ProductForm) -> Result<ProductInput, Vec<FieldError>> {
    let mut out = Vec::new();
    let sku = f.sku.trim();
    if sku.is_empty() {
        field(&mut out, "sku", "enter a SKU");
    } else if sku.chars().count() > 64 {
        field(&mut out, "sku", "use at most 64 characters");
    } else if !sku
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        field(&mut out, "sku", "use letters, digits and - _ . / only");
    }
    let name = f.name.trim();
    if name.is_empty() {
        field(&mut out, "name", "enter the product's name");
    } else if name.chars().count() > 200 {
        field(&mut out, "name", "use at most 200 characters");
    }
    if f.description.trim().chars().count() > 4000 {
        field(&mut out, "description", "use at most 4000 characters");
    }
    let unit = f.unit.trim();
    if unit.is_empty() {
        field(&mut out, "unit", "enter a unit, like pcs, kg or box");
    } else if unit.chars().count() > 16 {
        field(&mut out, "unit", "use at most 16 characters");
    }
    let price = match Money::parse(&f.unit_price) {
        Ok(p) if p.cents() < 0 => {
            field(&mut out, "unit_price", "a price cannot be negative");
            None
        }
        Ok(p) => Some(p),
        Err(e) => {
            field(&mut out, "unit_price", e);
            None
        }
    };
    let rate = parse_rate(&f.tax_rate)
        .map_err(|e| field(&mut out, "tax_rate", e))
        .ok();
    let reorder = match parse_quantity(&f.reorder_level) {
        Ok(n) if n < 0 => {
            field(
                &mut out,
                "reorder_level",
                "the reorder level cannot be negative",
            );
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            field(&mut out, "reorder_level", e);
            None
        }
    };
    match (price, rate, reorder) {
        (Some(unit_price), Some(tax_rate_bp), Some(reorder_level)) if out.is_empty() => {
            Ok(ProductInput {
                sku: sku.to_string(),
                name: name.to_string(),
                description: f.description.trim().to_string(),
                unit: unit.to_string(),
                unit_price,
                tax_rate_bp,
                reorder_level,
            })
        }
        _ => Err(out),
    }
}

/// A receipt: (quantity > 0, unit cost if given), or the fields that are wrong.
pub fn read_receipt(f: &ReceiptForm) -> Result<(i64, Option<Money>), Vec<FieldError>> {
    let mut out = Vec::new();
    let qty = match parse_quantity(&f.quantity) {
        Ok(n) if n <= 0 => {
            field(
                &mut out,
                "quantity",
                "a receipt adds stock: enter more than 0",
            );
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            field(&mut out, "quantity", e);
            None
        }
    };
    let cost = match f.unit_cost.trim() {
        "" => Some(None),
        t => match Money::parse(t) {
            Ok(c) if c.cents() >= 0 => Some(Some(c)),
            Ok(_) => {
                field(&mut out, "unit_cost", "a cost cannot be negative");
                None
            }
            Err(e) => {
                field(&mut out, "unit_cost", e);
                None
            }
        },
    };
    check_text(&mut out, "reference", &f.reference, 100);
    check_text(&mut out, "note", &f.note, 1000);
    match (qty, cost) {
        (Some(q), Some(c)) if out.is_empty() => Ok((q, c)),
        _ => Err(out),
    }
}

/// An adjustment: a non-zero signed quantity, or the fields that are wrong.
pub fn read_adjustment(f: &AdjustmentForm) -> Result<i64, Vec<FieldError>> {
    let mut out = Vec::new();
    let qty = match parse_quantity(&f.quantity) {
        Ok(0) => {
            field(
                &mut out,
                "quantity",
                "enter how many to add (+) or remove (-)",
            );
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            field(&mut out, "quantity", e);
            None
        }
    };
    if f.reason.trim().is_empty() {
        field(&mut out, "reason", "say why (a count, breakage, loss…)");
    }
    check_text(&mut out, "reason", &f.reason, 1000);
    match qty {
        Some(q) if out.is_empty() => Ok(q),
        _ => Err(out),
    }
}

fn check_text(out: &mut Vec<FieldError>, name: &str, value: &str, max: usize) {
    if value.trim().chars().count() > max {
        field(out, name, format!("use at most {max} characters"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProductForm {
        ProductForm {
            sku: "AB-100".into(),
            name: "Widget".into(),
            unit: "pcs".into(),
            unit_price: "12.50".into(),
            tax_rate: "19".into(),
            reorder_level: "5".into(),
            ..Default::default()
        }
    }

    fn fields(f: &ProductForm) -> Vec<String> {
        read_product(f)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_good_product_reads_into_cents_and_basis_points() {
        let p = read_product(&good()).unwrap();
        assert_eq!(
            (p.unit_price, p.tax_rate_bp, p.reorder_level),
            (Money(1250), 1900, 5)
        );
        let half = ProductForm {
            tax_rate: "7.5 %".into(),
            ..good()
        };
        assert_eq!(read_product(&half).unwrap().tax_rate_bp, 750);
    }

    #[test]
    fn each_product_rule_names_its_field() {
        for (form, field) in [
            (
                ProductForm {
                    sku: " ".into(),
                    ..good()
                },
                "sku",
            ),
            (
                ProductForm {
                    sku: "a b".into(),
                    ..good()
                },
                "sku",
            ),
            (
                ProductForm {
                    name: "".into(),
                    ..good()
                },
                "name",
            ),
            (
                ProductForm {
                    unit: "".into(),
                    ..good()
                },
                "unit",
            ),
            (
                ProductForm {
                    unit_price: "-1".into(),
                    ..good()
                },
                "unit_price",
            ),
            (
                ProductForm {
                    unit_price: "12.345".into(),
                    ..good()
                },
                "unit_price",
            ),
            (
                ProductForm {
                    tax_rate: "101".into(),
                    ..good()
                },
                "tax_rate",
            ),
            (
                ProductForm {
                    tax_rate: "abc".into(),
                    ..good()
                },
                "tax_rate",
            ),
            (
                ProductForm {
                    reorder_level: "-1".into(),
                    ..good()
                },
                "reorder_level",
            ),
            (
                ProductForm {
                    reorder_level: "2.5".into(),
                    ..good()
                },
                "reorder_level",
            ),
        ] {
            assert_eq!(fields(&form), [field], "{form:?}");
        }
    }

    #[test]
    fn quantities_are_whole_numbers() {
        assert_eq!(parse_quantity(" +3 "), Ok(3));
        assert_eq!(parse_quantity("-2"), Ok(-2));
        assert_eq!(
            parse_quantity("1.5"),
            Err("quantities are whole numbers".into())
        );
        assert!(parse_quantity("").is_err());
        assert!(parse_quantity("ten").is_err());
        assert!(parse_quantity("2000000000").is_err());
        // The ends of i64 and beyond it are refused with the same message, never a panic.
        for huge in [
            "-9223372036854775808",
            "9223372036854775807",
            "-9223372036854775809",
            "99999999999999999999999",
        ] {
            assert_eq!(
                parse_quantity(huge),
                Err(format!("use at most {MAX_QUANTITY} at a time")),
                "{huge}"
            );
        }
        let receipt = |q: &str| ReceiptForm {
            quantity: q.into(),
            ..Default::default()
        };
        assert!(read_receipt(&receipt("0")).is_err());
        assert!(read_receipt(&receipt("-4")).is_err());
        assert_eq!(read_receipt(&receipt("4")), Ok((4, None)));
        let adjust = |q: &str, r: &str| AdjustmentForm {
            quantity: q.into(),
            reason: r.into(),
            ..Default::default()
        };
        assert!(
            read_adjustment(&adjust("-3", " ")).is_err(),
            "a reason is required"
        );
        assert!(read_adjustment(&adjust("0", "count")).is_err());
        assert_eq!(read_adjustment(&adjust("-3", "count")), Ok(-3));
    }
}
