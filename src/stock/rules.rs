//! Product and movement rules, shared by the browser (messages as you type) and the server.

use super::{AdjustReason, AdjustmentForm, ProductForm, ReceiptForm};
use crate::error::FieldError;
use crate::input::{Problems, parse_quantity, parse_rate};
use crate::money::Money;

/// What is left to sell: on hand less what orders hold reserved.
pub fn available(on_hand: i64, reserved: i64) -> i64 {
    on_hand - reserved
}

/// Low on stock: available at or below the reorder level (ARCHITECTURE.md, "Stock").
pub fn is_low(on_hand: i64, reserved: i64, reorder_level: i64) -> bool {
    available(on_hand, reserved) <= reorder_level
}

/// A product as the database stores it, read from the form.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub unit_price: Money,
    pub tax_rate_bp: i32,
    pub reorder_level: i64,
}

/// The product, or every field that breaks a rule.
pub fn read_product(f: &ProductForm) -> Result<ProductInput, Vec<FieldError>> {
    let mut out = Problems::default();
    let sku = f.sku.trim();
    if sku.is_empty() {
        out.add("sku", "enter a SKU");
    } else if sku.chars().count() > 64 {
        out.add("sku", "use at most 64 characters");
    } else if !sku
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        out.add("sku", "use letters, digits and - _ . / only");
    }
    let name = f.name.trim();
    if name.is_empty() {
        out.add("name", "enter the product's name");
    } else if name.chars().count() > 200 {
        out.add("name", "use at most 200 characters");
    }
    if f.description.trim().chars().count() > 4000 {
        out.add("description", "use at most 4000 characters");
    }
    let unit = f.unit.trim();
    if unit.is_empty() {
        out.add("unit", "enter a unit, like pcs, kg or box");
    } else if unit.chars().count() > 16 {
        out.add("unit", "use at most 16 characters");
    }
    let price = match Money::parse(&f.unit_price) {
        Ok(p) if p.cents() < 0 => {
            out.add("unit_price", "a price cannot be negative");
            None
        }
        Ok(p) => Some(p),
        Err(e) => {
            out.add("unit_price", e);
            None
        }
    };
    let rate = parse_rate(&f.tax_rate)
        .map_err(|e| out.add("tax_rate", e))
        .ok();
    let reorder = match parse_quantity(&f.reorder_level) {
        Ok(n) if n < 0 => {
            out.add("reorder_level", "the reorder level cannot be negative");
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            out.add("reorder_level", e);
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
        _ => Err(out.into_vec()),
    }
}

/// A receipt: (quantity > 0, unit cost if given), or the fields that are wrong.
pub fn read_receipt(f: &ReceiptForm) -> Result<(i64, Option<Money>), Vec<FieldError>> {
    let mut out = Problems::default();
    let qty = match parse_quantity(&f.quantity) {
        Ok(n) if n <= 0 => {
            out.add("quantity", "a receipt adds stock: enter more than 0");
            None
        }
        Ok(n) => Some(n),
        Err(e) => {
            out.add("quantity", e);
            None
        }
    };
    let cost = match f.unit_cost.trim() {
        "" => Some(None),
        t => match Money::parse(t) {
            Ok(c) if c.cents() >= 0 => Some(Some(c)),
            Ok(_) => {
                out.add("unit_cost", "a cost cannot be negative");
                None
            }
            Err(e) => {
                out.add("unit_cost", e);
                None
            }
        },
    };
    out.check_length("reference", f.reference.trim(), 100);
    out.check_length("note", f.note.trim(), 1000);
    match (qty, cost) {
        (Some(q), Some(c)) if out.is_empty() => Ok((q, c)),
        _ => Err(out.into_vec()),
    }
}

/// An adjustment: a non-zero signed quantity, or the fields that are wrong.
/// An adjustment as read: a count states the level on the shelf, anything else the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjusting {
    Counted(i64),
    Change(i64),
}

pub fn read_adjustment(f: &AdjustmentForm) -> Result<Adjusting, Vec<FieldError>> {
    let mut out = Problems::default();
    let read = if f.reason == AdjustReason::Count {
        match parse_quantity(&f.counted) {
            Ok(n) if n >= 0 => Some(Adjusting::Counted(n)),
            Ok(_) => {
                out.add("counted", "a count cannot be below zero");
                None
            }
            Err(e) => {
                out.add("counted", e);
                None
            }
        }
    } else {
        match parse_quantity(&f.quantity) {
            Ok(0) => {
                out.add("quantity", "enter how many to add (+) or remove (-)");
                None
            }
            Ok(n) => Some(Adjusting::Change(n)),
            Err(e) => {
                out.add("quantity", e);
                None
            }
        }
    };
    if f.reason == AdjustReason::Other && f.note.trim().is_empty() {
        out.add("note", "say what happened");
    }
    out.check_length("note", f.note.trim(), 1000);
    match read {
        Some(a) if out.is_empty() => Ok(a),
        _ => Err(out.into_vec()),
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
    fn receipts_add_and_adjustments_change_with_a_reason() {
        let receipt = |q: &str| ReceiptForm {
            quantity: q.into(),
            ..Default::default()
        };
        assert!(read_receipt(&receipt("0")).is_err());
        assert!(read_receipt(&receipt("-4")).is_err());
        assert_eq!(read_receipt(&receipt("4")), Ok((4, None)));
        let adjust = |reason, q: &str, note: &str| AdjustmentForm {
            reason,
            quantity: q.into(),
            counted: q.into(),
            note: note.into(),
            ..Default::default()
        };
        use AdjustReason::*;
        assert!(read_adjustment(&adjust(Breakage, "0", "")).is_err());
        assert_eq!(
            read_adjustment(&adjust(Breakage, "-3", "")),
            Ok(Adjusting::Change(-3))
        );
        assert_eq!(
            read_adjustment(&adjust(Found, "+2", "")),
            Ok(Adjusting::Change(2))
        );
        // A count states the shelf: zero is a count too, below zero is not.
        assert_eq!(
            read_adjustment(&adjust(Count, "0", "")),
            Ok(Adjusting::Counted(0))
        );
        let fields = |f| -> Vec<String> {
            read_adjustment(&f)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(adjust(Count, "-1", "")), ["counted"]);
        assert_eq!(fields(adjust(Other, "2", " ")), ["note"], "other says what");
    }
}
