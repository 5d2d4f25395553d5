//! List state in page URLs. The dioxus router percent-decodes a whole query string once
//! before a route reads it, so values are written with `&`, `=` and `%` encoded twice and
//! read back pair by pair.

use dioxus::router::exports::percent_encoding::percent_decode_str;

/// A value as it must be written into a route's query.
pub fn escape(value: &str) -> String {
    value
        .replace('%', "%2525")
        .replace('&', "%2526")
        .replace('=', "%253D")
}

/// The (key, value) pairs of a query the router has decoded once.
pub fn pairs(query: &str) -> impl Iterator<Item = (&str, String)> {
    query.split('&').map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (
            key,
            percent_decode_str(value).decode_utf8_lossy().to_string(),
        )
    })
}
