//! List state in page URLs. The dioxus router percent-decodes a whole query string once
//! before a route reads it, so values are written with `&`, `=` and `%` encoded twice and
//! read back pair by pair.

use dioxus::router::exports::percent_encoding::{
    NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};

use crate::choice::Choice;

/// A value as it must be written into a route's query.
pub fn escape(value: &str) -> String {
    value
        .replace('%', "%2525")
        .replace('&', "%2526")
        .replace('=', "%253D")
}

/// `value` as one component of a link (a maps query): everything but letters and digits
/// percent-encoded.
pub fn escape_component(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

/// A value a list keeps in its page URL: written only when it differs from the list's
/// default, read back leniently (what cannot be read leaves the default in place).
pub trait UrlValue: Sized {
    /// The value as written into the query, or `None` to leave its key out.
    fn to_url(&self) -> Option<String>;
    /// The value from its (once-decoded) text, or `None` when it cannot be read.
    fn from_url(text: String) -> Option<Self>;
}

/// Free text: escaped, left out when empty.
impl UrlValue for String {
    fn to_url(&self) -> Option<String> {
        (!self.is_empty()).then(|| escape(self))
    }
    fn from_url(text: String) -> Option<Self> {
        Some(text)
    }
}

/// A filter that is on or off: `key=true` when on.
impl UrlValue for bool {
    fn to_url(&self) -> Option<String> {
        self.then(|| "true".to_string())
    }
    fn from_url(text: String) -> Option<Self> {
        Some(text == "true")
    }
}

/// An id (a client, a keyset cursor), when there is one.
impl UrlValue for Option<i64> {
    fn to_url(&self) -> Option<String> {
        self.map(|id| id.to_string())
    }
    fn from_url(text: String) -> Option<Self> {
        text.parse().ok().map(Some)
    }
}

/// An optional choice (a status filter), by its stored word.
impl<T: Choice> UrlValue for Option<T> {
    fn to_url(&self) -> Option<String> {
        self.map(|c| c.as_str().to_string())
    }
    fn from_url(text: String) -> Option<Self> {
        T::parse(&text).map(Some)
    }
}

/// A choice with a default (a sort order): left out when it is the default.
impl<T: Choice + Default> UrlValue for T {
    fn to_url(&self) -> Option<String> {
        (*self != T::default()).then(|| self.as_str().to_string())
    }
    fn from_url(text: String) -> Option<Self> {
        T::parse(&text)
    }
}

/// The URL form of a list's query: `Display` writes each listed field that differs from the
/// default, in the order given (`/orders?status=confirmed&from=2026-01-01`); `From<&str>`
/// reads what it wrote, after the router's decoding. Every field is a `UrlValue`.
#[macro_export]
macro_rules! url_query {
    ($query:ty { $($field:ident),* $(,)? }) => {
        impl ::std::fmt::Display for $query {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                use $crate::ui::url::UrlValue as _;
                let pairs: Vec<String> = [
                    $( self.$field.to_url().map(|v| format!("{}={v}", stringify!($field))) ),*
                ]
                .into_iter()
                .flatten()
                .collect();
                f.write_str(&pairs.join("&"))
            }
        }

        impl From<&str> for $query {
            fn from(query: &str) -> Self {
                use $crate::ui::url::UrlValue;
                let mut out = Self::default();
                for (key, value) in $crate::ui::url::pairs(query) {
                    match key {
                        $( stringify!($field) => {
                            if let Some(v) = UrlValue::from_url(value) {
                                out.$field = v;
                            }
                        } )*
                        _ => {}
                    }
                }
                out
            }
        }
    };
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
