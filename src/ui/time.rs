//! How pages show dates and times: one format everywhere.

use chrono::{DateTime, Utc};

/// `2026-12-03 14:05 UTC`.
pub fn date_time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
