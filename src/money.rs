//! Money: an integer count of minor units (cents) in the one configured currency (DESIGN §5).
//! Never a float. Shared by the browser and the server, so what a form shows is what is stored.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount in cents. Negative amounts exist (credits, refunds) but prices are checked ≥ 0
/// where they are entered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(pub i64);

/// The largest amount a form accepts: 10 billion in major units, far from `i64` overflow even
/// when multiplied by quantities and summed.
pub const MAX_MAJOR: i64 = 10_000_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Reads what a person types: `1234.5`, `1,234.50`, `-3`, `0.07`. Thousands separators
    /// are commas; at most two decimals; nothing else.
    pub fn parse(text: &str) -> Result<Money, String> {
        let t = text.trim();
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        if digits.is_empty() {
            return Err("enter an amount, like 12.50".into());
        }
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let grouped_ok = !whole.contains(',') || {
            let groups: Vec<&str> = whole.split(',').collect();
            (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3)
        };
        let whole: String = whole.chars().filter(|c| *c != ',').collect();
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if !grouped_ok
            || !all_digits(&whole)
            || !all_digits(frac)
            || (whole.is_empty() && frac.is_empty())
        {
            return Err(format!(
                "'{text}' is not an amount; use digits and a point, like 1,234.50"
            ));
        }
        if frac.len() > 2 {
            return Err("use at most two decimals".into());
        }
        let major: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .ok()
                .filter(|m| *m <= MAX_MAJOR)
                .ok_or_else(|| "that amount is too large".to_string())?
        };
        let minor: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let cents = major * 100 + minor;
        Ok(Money(if negative { -cents } else { cents }))
    }
}

/// `1,234.50`, `-0.07`: two decimals, comma thousands separators, no currency symbol.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped}.{:02}", abs % 100)
    }
}

/// One document line's money: net = quantity × unit price − discount, and its tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LineAmounts {
    pub net: Money,
    pub tax: Money,
}

/// A document's money: Σ net, Σ tax (rounded per line) and their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub net: Money,
    pub tax: Money,
    pub total: Money,
}

/// The one rounding rule (DESIGN §5), used by order entry in the browser, the server, invoices,
/// PDFs and reports alike: line tax = net × rate / 10000, rounded half up to the cent
/// (half away from zero for a negative net). Computed in 128 bits, so no product of a
/// quantity and a price can overflow on the way.
pub fn line_amounts(
    quantity: i64,
    unit_price: Money,
    discount: Money,
    rate_bp: i64,
) -> LineAmounts {
    let net = i128::from(quantity) * i128::from(unit_price.0) - i128::from(discount.0);
    let scaled = net * i128::from(rate_bp);
    let half = 5_000 * scaled.signum();
    let tax = (scaled + half) / 10_000;
    let clamp = |v: i128| Money(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64);
    LineAmounts {
        net: clamp(net),
        tax: clamp(tax),
    }
}

/// Sums lines into document totals.
pub fn totals(lines: impl IntoIterator<Item = LineAmounts>) -> Totals {
    let (net, tax) = lines.into_iter().fold((0i64, 0i64), |(n, t), l| {
        (n.saturating_add(l.net.0), t.saturating_add(l.tax.0))
    });
    Totals {
        net: Money(net),
        tax: Money(tax),
        total: Money(net.saturating_add(tax)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_separators_and_two_decimals() {
        for (cents, text) in [
            (0, "0.00"),
            (7, "0.07"),
            (-7, "-0.07"),
            (123_450, "1,234.50"),
            (100_000_000, "1,000,000.00"),
            (-123_456_789, "-1,234,567.89"),
        ] {
            assert_eq!(Money(cents).to_string(), text);
        }
    }

    #[test]
    fn parses_what_people_type_and_round_trips() {
        for (text, cents) in [
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            (" 1,234.56 ", 123_456),
            (".5", 50),
            ("0.07", 7),
            ("-3", -300),
            ("1,000,000", 100_000_000),
        ] {
            assert_eq!(Money::parse(text), Ok(Money(cents)), "{text}");
            assert_eq!(Money::parse(&Money(cents).to_string()), Ok(Money(cents)));
        }
    }

    #[test]
    fn line_tax_rounds_half_up_per_line() {
        // (qty, unit price ¢, discount ¢, rate bp) → (net ¢, tax ¢)
        for (q, p, d, r, net, tax) in [
            (1, 1000, 0, 1900, 1000, 190),
            (3, 333, 0, 1900, 999, 190),       // 189.81 → 190
            (1, 50, 0, 1900, 50, 10),          // 9.5 → 10 (half up)
            (1, 150, 0, 700, 150, 11),         // 10.5 → 11
            (1, 149, 0, 700, 149, 10),         // 10.43 → 10
            (7, 1999, 500, 1900, 13493, 2564), // 2563.67 → 2564
            (2, 125, 0, 2000, 250, 50),
            (1, 1, 0, 1900, 1, 0), // 0.19 → 0
            (1, 3, 0, 1900, 3, 1), // 0.57 → 1
            (10, 0, 0, 1900, 0, 0),
            (4, 2500, 10000, 1900, 0, 0), // discount takes it all
            (1, 1000, 0, 0, 1000, 0),
            (1, -50, 0, 1900, -50, -10), // a credit: half away from zero
        ] {
            assert_eq!(
                line_amounts(q, Money(p), Money(d), r),
                LineAmounts {
                    net: Money(net),
                    tax: Money(tax)
                },
                "{q} × {p} − {d} at {r} bp"
            );
        }
    }

    #[test]
    fn totals_sum_the_rounded_lines() {
        // Tax is rounded per line, then summed: 3 × round(4.75) = 15 cents, where taxing the
        // summed net (0.75 × 19 % = 14.25) would give 14.
        let line = line_amounts(1, Money(25), Money(0), 1900);
        assert_eq!(line.tax, Money(5));
        let t = totals([line, line, line]);
        assert_eq!(
            t,
            Totals {
                net: Money(75),
                tax: Money(15),
                total: Money(90)
            }
        );
        // Huge quantities do not overflow on the way.
        let big = line_amounts(1_000_000_000, Money(1_000_000_000), Money(0), 10_000);
        assert_eq!(big.net, Money(1_000_000_000_000_000_000));
        assert_eq!(totals([]), Totals::default());
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for text in [
            "", "abc", "1.234", "12,34", "1,2345", "1.2.3", "1e5", "--1", "$5", ".",
        ] {
            assert!(Money::parse(text).is_err(), "{text:?} accepted");
        }
        assert!(Money::parse("99999999999").is_err(), "too large");
    }
}
