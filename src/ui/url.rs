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

/// A list's query string with only what differs from its default, in a fixed order:
/// `Params::default().text("q", q).flag("low", low).page(after, before)`.
#[derive(Default)]
pub struct Params(Vec<String>);

impl Params {
    /// `key=value`, escaped, unless empty.
    pub fn text(mut self, key: &str, value: &str) -> Self {
        if !value.is_empty() {
            self.0.push(format!("{key}={}", escape(value)));
        }
        self
    }

    /// `key=true` when set.
    pub fn flag(self, key: &str, on: bool) -> Self {
        self.text(key, if on { "true" } else { "" })
    }

    /// `key=value` when there is one (ids, and names that need no escaping).
    pub fn some(mut self, key: &str, value: Option<impl std::fmt::Display>) -> Self {
        if let Some(v) = value {
            self.0.push(format!("{key}={v}"));
        }
        self
    }

    /// The keyset cursor.
    pub fn page(self, after: Option<i64>, before: Option<i64>) -> Self {
        self.some("after", after).some("before", before)
    }
}

impl std::fmt::Display for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("&"))
    }
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
