//! Money: an integer count of minor units (cents) in the one configured currency (ARCHITECTURE.md, "Money, quantities, numbers").
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

/// The largest amount (either sign) a line, a document or a payment may carry:
/// 10,000,000,000,000.00. Far inside `i64`, so that sums of many documents (reports,
/// balances) cannot overflow either.
pub const MAX_AMOUNT: Money = Money(1_000_000_000_000_000);

/// Which amount does not fit under `MAX_AMOUNT`. Nothing is ever clamped or wrapped: an
/// amount that does not fit is refused, at the line or the total it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TooLarge {
    #[error("this line's net amount is over the limit of {MAX_AMOUNT}")]
    LineNet,
    #[error("this line's tax is over the limit of {MAX_AMOUNT}")]
    LineTax,
    #[error("the net total is over the limit of {MAX_AMOUNT}")]
    Net,
    #[error("the tax total is over the limit of {MAX_AMOUNT}")]
    Tax,
    #[error("the total is over the limit of {MAX_AMOUNT}")]
    Total,
}

/// `v` as money, if it fits under `MAX_AMOUNT`.
fn bounded(v: i128, which: TooLarge) -> Result<Money, TooLarge> {
    i64::try_from(v)
        .ok()
        .filter(|c| c.unsigned_abs() <= MAX_AMOUNT.0.unsigned_abs())
        .map(Money)
        .ok_or(which)
}

/// The one rounding rule (ARCHITECTURE.md, "Money, quantities, numbers"), used by order entry in the browser, the server, invoices,
/// PDFs and reports alike: line tax = net × rate / 10000, rounded half up to the cent
/// (half away from zero for a negative net). Computed in 128 bits, then refused if it does
/// not fit.
pub fn line_amounts(
    quantity: i64,
    unit_price: Money,
    discount: Money,
    rate_bp: i64,
) -> Result<LineAmounts, TooLarge> {
    let net = i128::from(quantity) * i128::from(unit_price.0) - i128::from(discount.0);
    let net = bounded(net, TooLarge::LineNet)?;
    let tax = bounded(
        per_10_000(i128::from(net.0) * i128::from(rate_bp)),
        TooLarge::LineTax,
    )?;
    Ok(LineAmounts { net, tax })
}

/// A percent discount's amount: `bp` basis points (`1000` = 10 %) of quantity × unit price,
/// rounded half up to the cent (half away from zero on a negative line) like the tax, so
/// the browser shows what the server stores. Refused as the line's net when it cannot fit.
pub fn percent_off(quantity: i64, unit_price: Money, bp: i64) -> Result<Money, TooLarge> {
    let scaled = i128::from(quantity)
        .checked_mul(i128::from(unit_price.0))
        .and_then(|gross| gross.checked_mul(i128::from(bp)))
        .ok_or(TooLarge::LineNet)?;
    bounded(per_10_000(scaled), TooLarge::LineNet)
}

/// `scaled` / 10,000 rounded half away from zero: the one rounding of a rate or a percent
/// given in basis points.
fn per_10_000(scaled: i128) -> i128 {
    (scaled + 5_000 * scaled.signum()) / 10_000
}

/// Sums lines into document totals; each sum must fit too.
pub fn totals(lines: impl IntoIterator<Item = LineAmounts>) -> Result<Totals, TooLarge> {
    let (net, tax) = lines.into_iter().fold((0i128, 0i128), |(n, t), l| {
        (n + i128::from(l.net.0), t + i128::from(l.tax.0))
    });
    Ok(Totals {
        net: bounded(net, TooLarge::Net)?,
        tax: bounded(tax, TooLarge::Tax)?,
        total: bounded(net + tax, TooLarge::Total)?,
    })
}

/// A tax rate in basis points as people read it: "19 %", "7.5 %", "12.25 %".
pub fn percent(bp: i64) -> String {
    let whole = bp / 100;
    match (bp % 100).abs() {
        0 => format!("{whole} %"),
        f if f % 10 == 0 => format!("{whole}.{} %", f / 10),
        f => format!("{whole}.{f:02} %"),
    }
}

/// The share of `amount` that `part` of `whole` units carry, rounded half away from zero:
/// how a line's discount is split when only some of its quantity is invoiced or credited.
pub fn share(amount: Money, part: i64, whole: i64) -> Money {
    if whole == 0 {
        return Money::ZERO;
    }
    let scaled = i128::from(amount.0) * i128::from(part);
    let whole = i128::from(whole);
    let half = whole / 2 * scaled.signum();
    // |amount × part / whole| ≤ |amount| for part ≤ whole, so it fits back in i64.
    Money(((scaled + half) / whole) as i64)
}

/// The discount units `before..before + q` of a line of `quantity` carry: the difference of
/// the shares up to each end. So the parts a line is invoiced in add up to its discount
/// exactly, however the rounding of each part falls.
pub fn part_discount(discount: Money, quantity: i64, before: i64, q: i64) -> Money {
    Money(share(discount, before + q, quantity).0 - share(discount, before, quantity).0)
}

/// What taking back units `before..before + q` of an invoiced line returns (a credit note):
/// the line's amounts up to `before + q` less its amounts up to `before`, each by the one
/// rule. Crediting a line in pieces therefore returns exactly its net and tax, and a full
/// credit note brings the invoice to zero to the cent; a piece's tax may differ by a cent
/// from its own net × rate (the piece that completes the line takes the remainder).
pub fn taken_back(
    quantity: i64,
    unit_price: Money,
    discount: Money,
    rate_bp: i64,
    before: i64,
    q: i64,
) -> Result<LineAmounts, TooLarge> {
    let upto = |k: i64| line_amounts(k, unit_price, share(discount, k, quantity), rate_bp);
    let (end, start) = (upto(before + q)?, upto(before)?);
    Ok(LineAmounts {
        net: Money(end.net.0 - start.net.0),
        tax: Money(end.tax.0 - start.tax.0),
    })
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
                line_amounts(q, Money(p), Money(d), r).unwrap(),
                LineAmounts {
                    net: Money(net),
                    tax: Money(tax)
                },
                "{q} × {p} − {d} at {r} bp"
            );
        }
    }

    #[test]
    fn a_percent_discount_rounds_half_up_like_the_tax() {
        // (qty, unit price ¢, percent bp) → discount ¢
        for (q, p, bp, off) in [
            (1, 1000, 1000, 100),           // 10 % of 10.00
            (1, 999, 1000, 100),            // 99.9 → 100
            (1, 994, 1000, 99),             // 99.4 → 99
            (1, 5, 1000, 1),                // 0.5 → 1 (half up)
            (1, 4, 1000, 0),                // 0.4 → 0
            (3, 333, 1250, 125),            // 12.5 % of 9.99: 124.875 → 125
            (7, 1999, 333, 466),            // 3.33 % of 139.93: 465.97 → 466
            (2, 125, 10_000, 250),          // 100 % takes the whole line
            (4, 2500, 0, 0),                // 0 %
            (1, -50, 1000, -5),             // a credit: half away from zero
            (1_000_000_000, 1, 1, 100_000), // 0.01 % of 10,000,000.00
        ] {
            assert_eq!(
                percent_off(q, Money(p), bp),
                Ok(Money(off)),
                "{bp} bp of {q} × {p}"
            );
        }
        // A line's net follows: 12.5 % off 3 × 3.33 leaves 8.74, taxed at 19 %.
        let off = percent_off(3, Money(333), 1250).unwrap();
        let a = line_amounts(3, Money(333), off, 1900).unwrap();
        assert_eq!((a.net, a.tax), (Money(874), Money(166)));
        assert_eq!(
            percent_off(i64::MAX, Money(i64::MAX), 10_000),
            Err(TooLarge::LineNet)
        );
    }

    #[test]
    fn totals_sum_the_rounded_lines() {
        // Tax is rounded per line, then summed: 3 × round(4.75) = 15 cents, where taxing the
        // summed net (0.75 × 19 % = 14.25) would give 14.
        let line = line_amounts(1, Money(25), Money(0), 1900).unwrap();
        assert_eq!(line.tax, Money(5));
        let t = totals([line, line, line]).unwrap();
        assert_eq!(
            t,
            Totals {
                net: Money(75),
                tax: Money(15),
                total: Money(90)
            }
        );
        assert_eq!(totals([]), Ok(Totals::default()));
    }

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(percent(1900), "19 %");
        assert_eq!(percent(2000), "20 %");
        assert_eq!(percent(750), "7.5 %");
        assert_eq!(percent(1225), "12.25 %");
        assert_eq!(percent(0), "0 %");
    }

    #[test]
    fn tax_on_many_small_lines_is_rounded_per_line() {
        // 100 lines of 0.05 at 19 %: 0.95 ¢ of tax each, 1 ¢ per line once rounded. A system
        // taxing the summed net (5.00 × 19 % = 0.95) prints 0.95 where the lines add to 1.00;
        // here the document's tax is the sum of its lines' tax, so both read 1.00.
        let line = line_amounts(1, Money(5), Money(0), 1900).unwrap();
        let t = totals(std::iter::repeat_n(line, 100)).unwrap();
        assert_eq!(
            (t.net, t.tax, t.total),
            (Money(500), Money(100), Money(600))
        );
    }

    #[test]
    fn a_discount_split_over_invoices_adds_up_to_the_line_discount() {
        // (discount ¢, line quantity, the parts invoiced) → each part's discount ¢. A third
        // of 1.00 is 33.33 ¢: rounding each part on its own gives 33 + 33 + 33 = 99 ¢, a cent
        // short of what the order promised; the running shares give 33 + 34 + 33.
        for (d, q, parts, want) in [
            (100, 3, vec![1, 1, 1], vec![33, 34, 33]),
            (100, 3, vec![2, 1], vec![67, 33]),
            (1, 10, vec![3, 3, 4], vec![0, 1, 0]),
            (1000, 7, vec![7], vec![1000]),
            (0, 5, vec![2, 3], vec![0, 0]),
        ] {
            let mut before = 0;
            let got: Vec<i64> = parts
                .iter()
                .map(|&p| {
                    let part = part_discount(Money(d), q, before, p).0;
                    before += p;
                    part
                })
                .collect();
            assert_eq!(got, want, "{d} ¢ over {q} in {parts:?}");
            assert_eq!(got.iter().sum::<i64>(), d);
        }
        assert_eq!(share(Money(-100), 1, 3), Money(-33));
        assert_eq!(share(Money(5), 1, 2), Money(3), "half a cent rounds up");
    }

    #[test]
    fn a_credit_for_part_of_a_line_and_then_the_rest_returns_the_line_exactly() {
        // 3 × 0.33 at 19 %: net 0.99, tax 0.19 (18.81 ¢). Crediting one unit, then two, then
        // nothing is left: 0.33 + 0.66 and 0.06 + 0.13. Taxing each piece on its own
        // (6.27 → 6, 12.54 → 13) happens to agree here; below it would not.
        let line = line_amounts(3, Money(33), Money(0), 1900).unwrap();
        let one = taken_back(3, Money(33), Money(0), 1900, 0, 1).unwrap();
        let rest = taken_back(3, Money(33), Money(0), 1900, 1, 2).unwrap();
        assert_eq!(one.net.0 + rest.net.0, line.net.0);
        assert_eq!(one.tax.0 + rest.tax.0, line.tax.0);
        // 3 × 0.05 at 10 % (1.5 ¢ of tax, 2 ¢ on the line): one unit at a time, each piece
        // taxed on its own would return 1 + 1 + 1 = 3 ¢ of the 2 ¢ charged; the running
        // amounts return 1 + 0 + 1.
        let pieces: Vec<i64> = (0..3)
            .map(|k| taken_back(3, Money(5), Money(0), 1000, k, 1).unwrap().tax.0)
            .collect();
        assert_eq!(pieces, vec![1, 0, 1]);
        assert_eq!(
            line_amounts(3, Money(5), Money(0), 1000).unwrap().tax,
            Money(2)
        );
        // With a discount of 0.10 on 3 × 1.00 at 19 %: the discount splits 3 + 4 + 3 ¢.
        let whole = line_amounts(3, Money(100), Money(10), 1900).unwrap();
        let parts: Vec<LineAmounts> = (0..3)
            .map(|k| taken_back(3, Money(100), Money(10), 1900, k, 1).unwrap())
            .collect();
        let nets: Vec<i64> = parts.iter().map(|p| p.net.0).collect();
        assert_eq!(nets, vec![97, 96, 97]);
        assert_eq!(nets.iter().sum::<i64>(), whole.net.0);
        assert_eq!(parts.iter().map(|p| p.tax.0).sum::<i64>(), whole.tax.0);
    }

    #[test]
    fn amounts_that_do_not_fit_are_refused_never_clamped() {
        // The largest quantity at the largest price: 10^21 cents, far past i64.
        let max_price = Money(MAX_MAJOR * 100);
        assert_eq!(
            line_amounts(1_000_000_000, max_price, Money(0), 1900),
            Err(TooLarge::LineNet)
        );
        // Exactly at the limit fits; a cent more does not.
        let at = line_amounts(1, MAX_AMOUNT, Money(0), 0).unwrap();
        assert_eq!(at.net, MAX_AMOUNT);
        assert_eq!(
            line_amounts(1, Money(MAX_AMOUNT.0 + 1), Money(0), 0),
            Err(TooLarge::LineNet)
        );
        // A net that fits with a tax rate beyond 100 % that does not.
        assert_eq!(
            line_amounts(1, MAX_AMOUNT, Money(0), 10_001),
            Err(TooLarge::LineTax)
        );
        // Lines that fit, summing past the limit: the net total, then the total.
        assert_eq!(totals([at, at]), Err(TooLarge::Net));
        let half = line_amounts(1, Money(MAX_AMOUNT.0 / 2), Money(0), 10_000).unwrap();
        assert_eq!(
            totals([half]),
            Ok(Totals {
                net: half.net,
                tax: half.tax,
                total: MAX_AMOUNT
            })
        );
        let over = line_amounts(1, Money(MAX_AMOUNT.0 / 2 + 1), Money(0), 10_000).unwrap();
        assert_eq!(totals([over]), Err(TooLarge::Total));
        // Negative amounts (credits) are bounded the same way.
        assert_eq!(
            line_amounts(1, Money(-MAX_AMOUNT.0 - 1), Money(0), 0),
            Err(TooLarge::LineNet)
        );
        assert!(
            TooLarge::Total
                .to_string()
                .contains("10,000,000,000,000.00")
        );
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

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// Cents that `parse` accepts: up to `MAX_MAJOR` whole units either way.
        fn typed_cents() -> impl Strategy<Value = i64> {
            let max = MAX_MAJOR * 100 - 1;
            -max..=max
        }

        proptest! {
            #[test]
            fn what_is_shown_reads_back_as_the_same_amount(cents in typed_cents()) {
                prop_assert_eq!(Money::parse(&Money(cents).to_string()), Ok(Money(cents)));
            }

            #[test]
            fn a_line_mirrored_in_sign_has_mirrored_amounts(
                q in -1_000_000i64..=1_000_000,
                p in -10_000_000_000i64..=10_000_000_000,
                d in -1_000_000_000i64..=1_000_000_000,
                rate in 0i64..=10_000,
            ) {
                let line = line_amounts(q, Money(p), Money(d), rate);
                let mirrored = line_amounts(q, Money(-p), Money(-d), rate);
                match (line, mirrored) {
                    (Ok(a), Ok(b)) => {
                        prop_assert_eq!(a.net, Money(-b.net.0));
                        prop_assert_eq!(a.tax, Money(-b.tax.0));
                    }
                    (a, b) => prop_assert_eq!(a.is_err(), b.is_err()),
                }
            }

            #[test]
            fn any_line_is_priced_within_the_limit_or_refused(
                q in any::<i64>(),
                p in any::<i64>(),
                d in any::<i64>(),
                rate in 0i64..=10_000,
            ) {
                // Never a panic or a wrapped number: either it fits, or it is refused.
                if let Ok(a) = line_amounts(q, Money(p), Money(d), rate) {
                    prop_assert!(a.net.0.abs() <= MAX_AMOUNT.0);
                    prop_assert!(a.tax.0.abs() <= MAX_AMOUNT.0);
                    let exact = i128::from(q) * i128::from(p) - i128::from(d);
                    prop_assert_eq!(i128::from(a.net.0), exact);
                }
            }
        }
    }
}
