//! Reading what people type, the same in the browser (messages as they type) and on the
//! server: quantities, percentages, dates, and the list of problems a form collects. Every
//! module's `rules.rs` builds on these.

use chrono::NaiveDate;

use crate::error::FieldError;

/// Largest quantity one line or movement may carry: far from overflow when summed.
pub const MAX_QUANTITY: i64 = 1_000_000_000;

/// A whole number, as typed ("12", "+3", "-2"); the reason otherwise.
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

/// A percentage from 0 to 100 with up to two decimals, in basis points: "19" → 1900,
/// "7.5 %" → 750.
pub fn parse_rate(text: &str) -> Result<i32, String> {
    let t = text.trim().trim_end_matches('%').trim();
    let not_a_rate = || format!("'{t}' is not a percentage, like 19 or 7.5");
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return Err(not_a_rate());
    }
    if whole.len() > 3 {
        return Err("enter a rate from 0 to 100 %".into());
    }
    let whole: i32 = whole.parse().map_err(|_| not_a_rate())?;
    let frac: i32 = format!("{frac:0<2}").parse().map_err(|_| not_a_rate())?;
    match whole * 100 + frac {
        bp if bp <= 10_000 => Ok(bp),
        _ => Err("enter a rate from 0 to 100 %".into()),
    }
}

/// `YYYY-MM-DD`, a real calendar day.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|_| t.len() == 10)
        .ok_or_else(|| format!("'{t}' is not a date; use YYYY-MM-DD"))
}

/// A list filter's `from` and `to` days as typed (either may be empty), checked: `from` no
/// later than `to`. The error names its field.
pub fn parse_date_range(
    from: &str,
    to: &str,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), FieldError> {
    let read = |text: &str, field: &str| match text.trim() {
        "" => Ok(None),
        t => parse_date(t).map(Some).map_err(|message| FieldError {
            field: field.into(),
            message,
        }),
    };
    let (from, to) = (read(from, "from")?, read(to, "to")?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(FieldError {
            field: "to".into(),
            message: "the end date is before the start date".into(),
        });
    }
    Ok((from, to))
}

/// The field a form line's problem is shown at: `lines[2].quantity`.
pub fn line_field(index: usize, field: &str) -> String {
    format!("lines[{index}].{field}")
}

/// What is wrong with a form, field by field.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// A text field longer than `max` characters.
    pub fn check_length(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("use at most {max} characters"));
        }
    }

    /// How many problems so far (a part of a form can tell whether it added any).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn rates_are_percentages_in_basis_points() {
        assert_eq!(parse_rate("19"), Ok(1900));
        assert_eq!(parse_rate(" 7.5 %"), Ok(750));
        assert_eq!(parse_rate("0.07"), Ok(7));
        assert_eq!(parse_rate("100"), Ok(10_000));
        assert!(parse_rate("100.01").is_err());
        assert!(parse_rate("-1").is_err());
        assert!(parse_rate("7.555").is_err());
        assert!(parse_rate("").is_err());
        assert!(parse_rate("99999999999999999999").is_err());
        assert!(parse_rate(".5").is_err());
    }

    #[test]
    fn dates_are_real_days_written_in_full() {
        assert_eq!(
            parse_date("2026-12-01").map(|d| d.to_string()),
            Ok("2026-12-01".into())
        );
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026-2-3").is_err());
    }
}
