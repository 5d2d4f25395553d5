//! A line's discount as people type it: an amount off the line (`5.00`) or a percent of it
//! (`10%`). A percent becomes an amount by the one money rule (`money::percent_off`), on the
//! entry page as you type and on the server alike; the order line keeps both, so the percent
//! is what an edit shows again and the amount is what every total, invoice and credit uses.

use crate::input::parse_rate;
use crate::money::{self, Money, TooLarge};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    Amount(Money),
    /// Basis points of the line: `1250` is 12.5 %.
    Percent(i64),
}

impl Discount {
    pub const NONE: Discount = Discount::Amount(Money::ZERO);

    /// Reads `""`, `5.00`, `1,234.50`, `10%`, `12.5 %`.
    pub fn parse(text: &str) -> Result<Discount, String> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(Discount::NONE);
        }
        if t.ends_with('%') {
            return parse_rate(t).map(|bp| Discount::Percent(bp.into()));
        }
        match Money::parse(t)? {
            m if m < Money::ZERO => Err("a discount cannot be negative".into()),
            m => Ok(Discount::Amount(m)),
        }
    }

    /// A stored line's discount: its percent if it was given as one, else its amount.
    pub fn stored(amount: Money, percent_bp: Option<i64>) -> Discount {
        percent_bp.map_or(Discount::Amount(amount), Discount::Percent)
    }

    /// The amount off `quantity` × `unit_price`.
    pub fn amount(self, quantity: i64, unit_price: Money) -> Result<Money, TooLarge> {
        match self {
            Discount::Amount(m) => Ok(m),
            Discount::Percent(bp) => money::percent_off(quantity, unit_price, bp),
        }
    }

    /// The percent, when it is one.
    pub fn percent(self) -> Option<i64> {
        match self {
            Discount::Percent(bp) => Some(bp),
            Discount::Amount(_) => None,
        }
    }

    /// As it is typed back into a form: `""`, `5.00`, `12.5%`.
    pub fn text(self) -> String {
        match self {
            Discount::Amount(Money::ZERO) => String::new(),
            Discount::Amount(m) => m.to_string(),
            Discount::Percent(bp) => money::percent(bp).replace(' ', ""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Discount::{self, Amount, Percent};
    use crate::money::Money;

    #[test]
    fn reads_amounts_and_percents() {
        for (text, read) in [
            ("", Amount(Money::ZERO)),
            ("  ", Amount(Money::ZERO)),
            ("5", Amount(Money(500))),
            ("1,234.50", Amount(Money(123_450))),
            ("10%", Percent(1000)),
            ("12.5 %", Percent(1250)),
            (" 0.25% ", Percent(25)),
            ("100%", Percent(10_000)),
            ("0%", Percent(0)),
        ] {
            assert_eq!(Discount::parse(text), Ok(read), "{text:?}");
            // What a form shows again reads back as the same discount.
            assert_eq!(Discount::parse(&read.text()), Ok(read), "{text:?}");
        }
        for bad in ["101%", "-5%", "-1.00", "ten%", "%", "1.234%", "5 €"] {
            assert!(Discount::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_percent_is_of_the_line_and_an_amount_is_itself() {
        assert_eq!(Percent(1000).amount(3, Money(999)), Ok(Money(300)));
        assert_eq!(Amount(Money(10)).amount(3, Money(999)), Ok(Money(10)));
        assert_eq!(Discount::stored(Money(300), Some(1000)), Percent(1000));
        assert_eq!(Discount::stored(Money(300), None), Amount(Money(300)));
    }
}
