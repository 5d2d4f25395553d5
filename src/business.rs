//! The business's own settings that every page shows things by: its currency and its time
//! zone. The server reads them from the configuration (`CURRENCY`, `TIMEZONE`); pages get them
//! once, with the shell, through `use_business`.
//!
//! Times are stored and sent in UTC. The zone comes to the browser as a table of its UTC
//! offsets (worked out on the server from the IANA database, which stays out of the wasm
//! bundle), so a time reads the same in the server-rendered page and after hydration.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::money::Money;
#[cfg(feature = "server")]
use crate::server::AppState;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Business {
    /// ISO 4217 code (`EUR`).
    pub currency: String,
    pub zone: Zone,
}

impl Default for Business {
    fn default() -> Self {
        Self {
            currency: "EUR".into(),
            zone: Zone::utc(),
        }
    }
}

impl Business {
    /// An amount with its currency: `€1,234.56`, `$-5.00`, `1,234.56 CHF`.
    pub fn money(&self, m: Money) -> String {
        money_in(&self.currency, m)
    }
}

/// An amount in `currency` (an ISO 4217 code), as `Business::money` writes it: for a
/// document that keeps the currency it was issued in.
pub fn money_in(currency: &str, m: Money) -> String {
    match symbol(currency) {
        Some(s) => format!("{s}{m}"),
        None => format!("{m} {currency}"),
    }
}

/// The symbol written before amounts, for currencies whose symbol is unambiguous enough;
/// others show their code after the amount.
pub fn symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        _ => return None,
    })
}

/// A time zone as UTC offsets: from each UTC instant in `offsets` (ascending, seconds since
/// the epoch), the zone is that many seconds ahead of UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// The IANA name (`Europe/Berlin`).
    pub name: String,
    pub offsets: Vec<(i64, i32)>,
}

impl Zone {
    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            offsets: vec![(i64::MIN, 0)],
        }
    }

    /// The offset in force at `at`.
    pub fn offset_at(&self, at: &DateTime<Utc>) -> FixedOffset {
        let t = at.timestamp();
        let i = self.offsets.partition_point(|(from, _)| *from <= t);
        let secs = i.checked_sub(1).map_or(0, |i| self.offsets[i].1);
        FixedOffset::east_opt(secs).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero"))
    }

    /// `at` on the business's clocks.
    pub fn local(&self, at: &DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset_at(at))
    }

    /// The business's calendar day at `at`.
    pub fn date(&self, at: &DateTime<Utc>) -> NaiveDate {
        self.local(at).date_naive()
    }

    /// When the business's day `date` begins, in UTC.
    pub fn start_of(&self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_time(chrono::NaiveTime::MIN);
        // The offset at local midnight: first guessed as if it were UTC, then at the instant
        // that guess gives (they differ only across a change of the clocks that day).
        let guess = midnight.and_utc() - self.offset_at(&midnight.and_utc());
        let start = midnight.and_utc() - self.offset_at(&guess);
        // A midnight the clocks skipped: the day begins when they jump.
        if self.date(&start) < date {
            guess
        } else {
            start
        }
    }

    /// Today, on the business's calendar (server only: the browser's clock is not asked).
    #[cfg(feature = "server")]
    pub fn today(&self) -> NaiveDate {
        self.date(&Utc::now())
    }

    /// `2026-12-03 14:05`, on the business's clocks.
    pub fn date_time(&self, at: &DateTime<Utc>) -> String {
        self.local(at).format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The business's settings, for every page (public: nothing in them is a secret).
#[get("/api/business", state: AppState)]
pub async fn business() -> Result<Business, AppError> {
    Ok(state.config.business.clone())
}

/// The settings the shell loaded.
pub fn use_business() -> Business {
    use_context::<Signal<Business>>()()
}

/// Provides the settings to every page below (the shell calls it once).
pub fn provide_business(b: Business) {
    use_context_provider(|| Signal::new(b));
}

/// Works out a zone's offset table from the IANA database (server only).
#[cfg(feature = "server")]
pub fn zone_table(tz: chrono_tz::Tz) -> Zone {
    use chrono::{Offset, TimeZone};
    let offset = |t: i64| -> i32 {
        let at = DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default();
        tz.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
    };
    // From 2000 to 2070, day by day; each change is then found to the second. (Earlier times
    // take the offset of 2000: the table travels with every page, so it covers what the
    // business's records can hold, not all of history.)
    let (start, end, day) = (946_684_800_i64, 3_155_760_000_i64, 86_400);
    let mut offsets = vec![(i64::MIN, offset(start))];
    let mut t = start;
    while t < end {
        let next = t + day;
        let (before, after) = (offset(t), offset(next));
        if before != after {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            offsets.push((hi, after));
        }
        t = next;
    }
    Zone {
        name: tz.name().to_string(),
        offsets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[cfg(feature = "server")]
    #[test]
    fn berlin_changes_its_clocks_on_the_right_second() {
        let z = zone_table(chrono_tz::Europe::Berlin);
        // Summer time began on 29 March 2026 at 01:00 UTC.
        assert_eq!(z.date_time(&at("2026-03-29T00:59:59Z")), "2026-03-29 01:59");
        assert_eq!(z.date_time(&at("2026-03-29T01:00:00Z")), "2026-03-29 03:00");
        // 23:30 UTC on 31 December is already the new year in Berlin.
        assert_eq!(
            z.date(&at("2026-12-31T23:30:00Z")).to_string(),
            "2027-01-01"
        );
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(z.start_of(day("2027-01-01")), at("2026-12-31T23:00:00Z"));
        assert_eq!(z.start_of(day("2026-07-01")), at("2026-06-30T22:00:00Z"));
        // São Paulo once moved its clocks at midnight: that day began at 01:00.
        let sp = zone_table(chrono_tz::America::Sao_Paulo);
        assert_eq!(sp.start_of(day("2018-11-04")), at("2018-11-04T03:00:00Z"));
        let tokyo = zone_table(chrono_tz::Asia::Tokyo);
        assert_eq!(
            tokyo.offsets.len(),
            1,
            "no changes since 2000: {:?}",
            tokyo.offsets
        );
        assert_eq!(
            tokyo.date_time(&at("2026-06-01T00:00:00Z")),
            "2026-06-01 09:00"
        );
    }

    #[test]
    fn utc_and_money_with_its_currency() {
        let b = Business::default();
        assert_eq!(
            b.zone.date_time(&at("2026-12-03T14:05:09Z")),
            "2026-12-03 14:05"
        );
        assert_eq!(b.money(Money(123_456)), "€1,234.56");
        let chf = Business {
            currency: "CHF".into(),
            ..Business::default()
        };
        assert_eq!(chf.money(Money(-500)), "-5.00 CHF");
    }
}
