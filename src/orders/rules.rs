//! Order rules, shared by the entry page (messages at the line as you type) and the server.
//! Field names point at the line: `lines[2].quantity`.

use chrono::NaiveDate;

use super::discount::Discount;
use super::{LineForm, OrderForm, Priority};
use crate::error::FieldError;
use crate::input::{Problems, parse_date, parse_quantity};
use crate::money::{self, LineAmounts, Money, Totals};

/// Lines one order may hold: far beyond a hand-entered order, short of a runaway request.
pub const MAX_LINES: usize = 200;
/// Characters of notes.
pub const MAX_NOTES: usize = 2000;
/// Characters of the client's reference, and of the delivery address.
pub const MAX_REFERENCE: usize = 100;
pub const MAX_ADDRESS: usize = 1000;

/// One line, read.
#[derive(Debug, Clone, PartialEq)]
pub struct LineInput {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price: Money,
    /// The amount off the line, and the percent it was typed as (if it was).
    pub discount: Money,
    pub discount_bp: Option<i64>,
}

/// An order, read: every value checked except what needs the database (client and products
/// exist and are active), which the service checks.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderInput {
    pub client_id: i64,
    pub priority: Priority,
    pub requested_date: Option<NaiveDate>,
    pub notes: String,
    pub client_reference: String,
    /// Empty until `check` puts the client's shipping address in.
    pub delivery_address: String,
    pub valid_until: Option<NaiveDate>,
    pub lines: Vec<LineInput>,
}

pub use crate::input::line_field;

/// One line, or its problems under `lines[i]`.
pub fn read_line(i: usize, l: &LineForm, out: &mut Problems) -> Option<LineInput> {
    let before = out.len();
    if l.product_id.is_none() {
        out.add(line_field(i, "product"), "choose a product");
    }
    let quantity = match parse_quantity(&l.quantity) {
        Ok(q) if q > 0 => Some(q),
        Ok(_) => {
            out.add(line_field(i, "quantity"), "order at least 1");
            None
        }
        Err(e) => {
            out.add(line_field(i, "quantity"), e);
            None
        }
    };
    let unit_price = match Money::parse(&l.unit_price) {
        Ok(p) if p >= Money::ZERO => Some(p),
        Ok(_) => {
            out.add(line_field(i, "unit_price"), "a price cannot be negative");
            None
        }
        Err(e) => {
            out.add(line_field(i, "unit_price"), e);
            None
        }
    };
    let discount = Discount::parse(&l.discount)
        .map_err(|e| out.add(line_field(i, "discount"), e))
        .ok();
    // The discount as an amount, once the line it is taken from reads.
    let amount = match (quantity, unit_price, discount) {
        (Some(q), Some(p), Some(d)) => match d.amount(q, p) {
            Ok(a) => Some(a),
            Err(e) => {
                out.add(line_field(i, "amount"), e.to_string());
                None
            }
        },
        _ => None,
    };
    if let (Some(q), Some(p), Some(Discount::Amount(d))) = (quantity, unit_price, discount) {
        // A gross beyond an i64 is above any discount (and refused as too large when priced).
        if let Ok(gross) = i64::try_from(i128::from(q) * i128::from(p.cents()))
            && d.cents() > gross
        {
            out.add(
                line_field(i, "discount"),
                format!("the discount is more than the line ({})", Money(gross)),
            );
        }
    }
    match (l.product_id, quantity, unit_price, discount, amount) {
        (Some(product_id), Some(quantity), Some(unit_price), Some(d), Some(discount))
            if out.len() == before =>
        {
            Some(LineInput {
                product_id,
                quantity,
                unit_price,
                discount,
                discount_bp: d.percent(),
            })
        }
        _ => None,
    }
}

/// The order, or every field that breaks a rule.
pub fn read_order(f: &OrderForm) -> Result<OrderInput, Vec<FieldError>> {
    let mut out = Problems::default();
    if f.client_id.is_none() {
        out.add("client_id", "choose a client");
    }
    let requested_date = match f.requested_date.trim() {
        "" => None,
        d => parse_date(d).map_err(|e| out.add("requested_date", e)).ok(),
    };
    let valid_until = match f.valid_until.trim() {
        "" => None,
        d => parse_date(d).map_err(|e| out.add("valid_until", e)).ok(),
    };
    let notes = f.notes.trim().to_string();
    out.check_length("notes", &notes, MAX_NOTES);
    let client_reference = f.client_reference.trim().to_string();
    out.check_length("client_reference", &client_reference, MAX_REFERENCE);
    let delivery_address = f.delivery_address.trim().to_string();
    out.check_length("delivery_address", &delivery_address, MAX_ADDRESS);
    if f.lines.is_empty() {
        out.add("lines", "add at least one line");
    } else if f.lines.len() > MAX_LINES {
        out.add("lines", format!("use at most {MAX_LINES} lines"));
    }
    let lines: Vec<LineInput> = f
        .lines
        .iter()
        .take(MAX_LINES)
        .enumerate()
        .filter_map(|(i, l)| read_line(i, l, &mut out))
        .collect();
    match f.client_id {
        Some(client_id) if out.is_empty() => Ok(OrderInput {
            client_id,
            priority: f.priority,
            requested_date,
            notes,
            client_reference,
            delivery_address,
            valid_until,
            lines,
        }),
        _ => Err(out.into_vec()),
    }
}

/// Each line's money and the order's totals, by the one money rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    pub lines: Vec<LineAmounts>,
    pub totals: Totals,
}

/// The form field an amount too large to store is reported at: its line, or the total.
pub const TOTAL_FIELD: &str = "total";

/// Prices the lines, each at its tax rate; an amount too large to store is refused at the
/// line it belongs to (`lines[i].amount`) or at the total.
pub fn price(lines: impl IntoIterator<Item = (LineInput, i64)>) -> Result<Priced, FieldError> {
    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, (l, rate))| {
            money::line_amounts(l.quantity, l.unit_price, l.discount, rate).map_err(|e| {
                FieldError {
                    field: line_field(i, "amount"),
                    message: e.to_string(),
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let totals = money::totals(lines.iter().copied()).map_err(|e| FieldError {
        field: TOTAL_FIELD.into(),
        message: e.to_string(),
    })?;
    Ok(Priced { lines, totals })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: &str, p: &str, d: &str) -> LineForm {
        LineForm {
            product_id: Some(1),
            quantity: q.into(),
            unit_price: p.into(),
            discount: d.into(),
        }
    }

    fn form(lines: Vec<LineForm>) -> OrderForm {
        OrderForm {
            client_id: Some(1),
            lines,
            ..OrderForm::default()
        }
    }

    fn fields(f: &OrderForm) -> Vec<String> {
        read_order(f)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn reads_a_good_order() {
        let mut f = form(vec![line("3", "12.50", ""), line("1", "0", "0")]);
        f.requested_date = "2026-12-01".into();
        let o = read_order(&f).unwrap();
        assert_eq!(o.lines[0].quantity, 3);
        assert_eq!(o.lines[0].unit_price, Money(1250));
        assert_eq!(o.lines[0].discount, Money::ZERO);
        assert_eq!(o.requested_date, NaiveDate::from_ymd_opt(2026, 12, 1));
    }

    #[test]
    fn points_at_the_wrong_line() {
        let f = form(vec![
            line("1", "1", ""),
            line("0", "1", ""),
            line("2", "-1", ""),
        ]);
        assert_eq!(fields(&f), ["lines[1].quantity", "lines[2].unit_price"]);
        let f = form(vec![line("-2", "x", "1,00")]);
        assert_eq!(
            fields(&f),
            [
                "lines[0].quantity",
                "lines[0].unit_price",
                "lines[0].discount"
            ]
        );
        let f = form(vec![line("2", "1.00", "2.01")]);
        assert_eq!(fields(&f), ["lines[0].discount"]);
        let f = form(vec![line("2", "1.00", "100.5%"), line("1", "1", "-2%")]);
        assert_eq!(fields(&f), ["lines[0].discount", "lines[1].discount"]);
    }

    #[test]
    fn a_percent_discount_becomes_its_amount_and_is_kept() {
        let o = read_order(&form(vec![
            line("3", "3.33", "12.5%"),
            line("2", "5", "1.50"),
        ]))
        .unwrap();
        assert_eq!(
            (o.lines[0].discount, o.lines[0].discount_bp),
            (Money(125), Some(1250))
        );
        assert_eq!(
            (o.lines[1].discount, o.lines[1].discount_bp),
            (Money(150), None)
        );
        // 100 % is the whole line, whatever it is.
        let o = read_order(&form(vec![line("7", "19.99", "100%")])).unwrap();
        assert_eq!(o.lines[0].discount, Money(13_993));
    }

    #[test]
    fn refuses_empty_orders_missing_client_bad_dates_and_long_notes() {
        assert_eq!(fields(&form(vec![])), ["lines"]);
        let mut f = form(vec![line("1", "1", "")]);
        f.client_id = None;
        f.requested_date = "2026-02-30".into();
        f.notes = "n".repeat(MAX_NOTES + 1);
        assert_eq!(fields(&f), ["client_id", "requested_date", "notes"]);
        let mut f = form(vec![LineForm::default()]);
        f.lines[0].product_id = None;
        assert_eq!(
            fields(&f),
            [
                "lines[0].product",
                "lines[0].quantity",
                "lines[0].unit_price"
            ]
        );
    }

    #[test]
    fn totals_round_each_line_half_up() {
        let l = |q, p| LineInput {
            product_id: 1,
            quantity: q,
            unit_price: Money(p),
            discount: Money::ZERO,
            discount_bp: None,
        };
        // 0.05 at 10 % is 0.005 → 0.01 per line; two lines make 0.02, not round(0.01) = 0.01.
        let t = price([(l(1, 5), 1000), (l(1, 5), 1000)]).unwrap().totals;
        assert_eq!((t.net, t.tax, t.total), (Money(10), Money(2), Money(12)));
        // Amounts too large to store are refused at their line, or at the total.
        let huge = l(1_000_000_000, 1_000_000_000_000);
        let err = price([(l(1, 5), 0), (huge, 1900)]).unwrap_err();
        assert_eq!(err.field, "lines[1].amount");
        let big = l(1, money::MAX_AMOUNT.cents());
        let err = price([(big.clone(), 0), (big, 0)]).unwrap_err();
        assert_eq!(err.field, TOTAL_FIELD);
    }
}
