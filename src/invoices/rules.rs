//! Reading the invoice forms, the same in the browser (messages at each field as the form is
//! sent) and on the server: a draft's lowered quantities, the issue and due dates, a credit
//! note's reason and quantities, a payment, a mail. What an invoice or a line still allows is
//! the server's check, against the invoice as it is.

use chrono::NaiveDate;

use super::{CreditForm, DraftForm, IssueForm, PaymentForm};
use crate::error::FieldError;
use crate::input::{Problems, line_field, parse_date, parse_quantity};
use crate::money::Money;

pub const MAX_NOTES: usize = 2000;
pub const MAX_REASON: usize = 500;
pub const MAX_REFERENCE: usize = 200;
/// Payment terms an issue date may be pushed out by, at most: about three years.
pub const MAX_TERMS_DAYS: i64 = 1100;

/// A quantity typed for a line: empty is none (0); otherwise a whole number ≥ 0.
fn read_part(text: &str, field: String, problems: &mut Problems) -> Option<i64> {
    if text.trim().is_empty() {
        return Some(0);
    }
    match parse_quantity(text) {
        Ok(q) if q < 0 => {
            problems.add(field, "use 0 or more");
            None
        }
        Ok(q) => Some(q),
        Err(e) => {
            problems.add(field, e);
            None
        }
    }
}

/// A draft as edited: (line id, quantity; 0 removes the line) in the form's order.
pub fn read_draft(form: &DraftForm) -> Result<Vec<(usize, i64, i64)>, Vec<FieldError>> {
    let mut problems = Problems::default();
    problems.check_length("notes", &form.notes, MAX_NOTES);
    let mut lines = Vec::new();
    for (i, l) in form.lines.iter().enumerate() {
        if let Some(q) = read_part(&l.quantity, line_field(i, "quantity"), &mut problems) {
            lines.push((i, l.id, q));
        }
    }
    if problems.is_empty() && lines.iter().all(|&(_, _, q)| q == 0) {
        problems.add("lines", "an invoice needs a line; delete the draft instead");
    }
    match problems.is_empty() {
        true => Ok(lines),
        false => Err(problems.into_vec()),
    }
}

/// The issue date (empty: `today`; never later than today) and the due date (empty: the
/// issue date plus `terms_days`; never before the issue date).
pub fn read_issue(
    form: &IssueForm,
    today: NaiveDate,
    terms_days: i32,
) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
    let mut problems = Problems::default();
    let issued = match form.issue_date.trim() {
        "" => Some(today),
        t => match parse_date(t) {
            Ok(d) if d > today => {
                problems.add("issue_date", "an invoice cannot be issued in the future");
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                problems.add("issue_date", e);
                None
            }
        },
    };
    let due = match (form.due_date.trim(), issued) {
        ("", Some(i)) => i.checked_add_days(chrono::Days::new(terms_days.max(0) as u64)),
        ("", None) => None,
        (t, issued) => match parse_date(t) {
            Ok(d) if issued.is_some_and(|i| d < i) => {
                problems.add("due_date", "the due date is before the issue date");
                None
            }
            Ok(d) if issued.is_some_and(|i| (d - i).num_days() > MAX_TERMS_DAYS) => {
                problems.add("due_date", "the due date is more than three years away");
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                problems.add("due_date", e);
                None
            }
        },
    };
    match (issued, due) {
        (Some(i), Some(d)) if problems.is_empty() => Ok((i, d)),
        _ => Err(problems.into_vec()),
    }
}

/// A credit note: its reason, and (unless `full`) (line id, quantity > 0) in the form's order.
pub fn read_credit(form: &CreditForm) -> Result<Vec<(usize, i64, i64)>, Vec<FieldError>> {
    let mut problems = Problems::default();
    if form.reason.trim().is_empty() {
        problems.add("reason", "say why the invoice is credited");
    }
    problems.check_length("reason", &form.reason, MAX_REASON);
    let mut lines = Vec::new();
    if !form.full {
        for (i, l) in form.lines.iter().enumerate() {
            let field = line_field(i, "quantity");
            match read_part(&l.quantity, field, &mut problems) {
                Some(q) if q > 0 => lines.push((i, l.invoice_line_id, q)),
                _ => {}
            }
        }
        if problems.is_empty() && lines.is_empty() {
            problems.add("lines", "enter a quantity to credit on at least one line");
        }
    }
    match problems.is_empty() {
        true => Ok(lines),
        false => Err(problems.into_vec()),
    }
}

/// A payment: an amount above zero, and a date (empty: `today`) not in the future.
pub fn read_payment(
    form: &PaymentForm,
    today: NaiveDate,
) -> Result<(Money, NaiveDate), Vec<FieldError>> {
    let mut problems = Problems::default();
    let amount = match Money::parse(&form.amount) {
        Ok(m) if m.cents() <= 0 => {
            problems.add("amount", "enter an amount above zero");
            None
        }
        Ok(m) => Some(m),
        Err(e) => {
            problems.add("amount", e);
            None
        }
    };
    let paid_on = match form.paid_on.trim() {
        "" => Some(today),
        t => match parse_date(t) {
            Ok(d) if d > today => {
                problems.add("paid_on", "a payment cannot be dated in the future");
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                problems.add("paid_on", e);
                None
            }
        },
    };
    problems.check_length("reference", &form.reference, MAX_REFERENCE);
    match (amount, paid_on) {
        (Some(a), Some(d)) if problems.is_empty() => Ok((a, d)),
        _ => Err(problems.into_vec()),
    }
}

/// An IBAN as configured: spaces dropped, upper case, its country and check digits right
/// (ISO 13616: the number read with letters as 10–35 leaves 1 modulo 97).
pub fn read_iban(text: &str) -> Result<String, String> {
    let iban: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let shape = (15..=34).contains(&iban.len())
        && iban.is_char_boundary(2)
        && iban[..2].bytes().all(|b| b.is_ascii_uppercase())
        && iban.bytes().all(|b| b.is_ascii_alphanumeric());
    if !shape {
        return Err(format!("'{text}' is not an IBAN"));
    }
    let rotated = iban[4..].bytes().chain(iban[..4].bytes());
    let rest = rotated.fold(0u32, |acc, b| {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            _ => u32::from(b - b'A') + 10,
        };
        match v {
            0..=9 => (acc * 10 + v) % 97,
            _ => (acc * 100 + v) % 97,
        }
    });
    match rest {
        1 => Ok(iban),
        _ => Err(format!("'{text}' has wrong check digits for an IBAN")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoices::{CreditLine, DraftLine};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_iban_is_checked() {
        assert_eq!(
            read_iban("de89 3704 0044 0532 0130 00"),
            Ok("DE89370400440532013000".into())
        );
        assert!(read_iban("DE88370400440532013000").is_err());
        assert!(read_iban("not an iban").is_err());
        assert!(read_iban("ĐE89370400440532013000").is_err());
    }

    #[test]
    fn issue_dates_default_to_today_and_the_terms() {
        let today = d("2026-12-03");
        assert_eq!(
            read_issue(&IssueForm::default(), today, 30),
            Ok((today, d("2027-01-02")))
        );
        let form = IssueForm {
            issue_date: "2026-12-01".into(),
            due_date: "2026-12-15".into(),
        };
        assert_eq!(
            read_issue(&form, today, 30),
            Ok((d("2026-12-01"), d("2026-12-15")))
        );
        let future = IssueForm {
            issue_date: "2026-12-04".into(),
            ..IssueForm::default()
        };
        assert_eq!(
            read_issue(&future, today, 30).unwrap_err()[0].field,
            "issue_date"
        );
        let early = IssueForm {
            due_date: "2026-12-02".into(),
            ..IssueForm::default()
        };
        assert_eq!(
            read_issue(&early, today, 30).unwrap_err()[0].field,
            "due_date"
        );
    }

    #[test]
    fn a_draft_keeps_a_line_and_quantities_are_whole() {
        let form = |qs: &[&str]| DraftForm {
            notes: String::new(),
            lines: qs
                .iter()
                .enumerate()
                .map(|(i, q)| DraftLine {
                    id: i as i64 + 1,
                    quantity: q.to_string(),
                })
                .collect(),
        };
        assert_eq!(
            read_draft(&form(&["2", ""])),
            Ok(vec![(0, 1, 2), (1, 2, 0)])
        );
        assert_eq!(read_draft(&form(&["0", ""])).unwrap_err()[0].field, "lines");
        assert_eq!(
            read_draft(&form(&["1.5", "-1"])).unwrap_err()[1].field,
            "lines[1].quantity"
        );
    }

    #[test]
    fn a_credit_needs_a_reason_and_something_to_credit() {
        let mut form = CreditForm {
            reason: String::new(),
            full: false,
            lines: vec![CreditLine {
                invoice_line_id: 4,
                quantity: "".into(),
            }],
        };
        let fields: Vec<String> = read_credit(&form)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["reason"]);
        form.reason = "damaged".into();
        assert_eq!(read_credit(&form).unwrap_err()[0].field, "lines");
        form.lines[0].quantity = "2".into();
        assert_eq!(read_credit(&form), Ok(vec![(0, 4, 2)]));
        form.full = true;
        assert_eq!(read_credit(&form), Ok(vec![]));
    }

    #[test]
    fn a_payment_is_positive_and_not_in_the_future() {
        let today = d("2026-12-03");
        let pay = |amount: &str, on: &str| PaymentForm {
            amount: amount.into(),
            paid_on: on.into(),
            ..PaymentForm::default()
        };
        assert_eq!(
            read_payment(&pay("12.50", ""), today),
            Ok((Money(1250), today))
        );
        assert_eq!(
            read_payment(&pay("0", ""), today).unwrap_err()[0].field,
            "amount"
        );
        assert_eq!(
            read_payment(&pay("-5", ""), today).unwrap_err()[0].field,
            "amount"
        );
        assert_eq!(
            read_payment(&pay("5", "2026-12-04"), today).unwrap_err()[0].field,
            "paid_on"
        );
    }
}
