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

/// What a route receives for a query written with `escape`: encoded for the URL, then the
/// whole query decoded once (for tests of each list's URL form).
#[cfg(test)]
pub fn as_router_reads(query: &str) -> String {
    use dioxus::router::exports::{QUERY_ASCII_SET, percent_encoding::utf8_percent_encode};
    let url = utf8_percent_encode(query, QUERY_ASCII_SET).to_string();
    percent_decode_str(&url).decode_utf8_lossy().to_string()
}
