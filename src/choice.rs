//! Named choices (roles, statuses, priorities, list orders): one trait for the word that is
//! stored and put in URLs, the label people read, and reading the word back. The selects
//! built on it live in `ui::select`.
//!
//! A choice kept in a column is declared inside `stored_choice!`: on the server the enum is then
//! that column's type, stored as its word, and every read checks the word (`stored`).

/// An enum of a few named values.
pub trait Choice: Copy + PartialEq + 'static {
    /// Every value, in the order selects list them.
    const ALL: &'static [Self];

    /// The word stored in the database and written in URLs (`partially_delivered`).
    fn as_str(self) -> &'static str;

    /// What people read (`Partially delivered`).
    fn label(self) -> &'static str;

    /// The value of a stored or typed word; `None` for an unknown one.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// A stored word no variant has: the database holds a value this build does not know (a
/// newer build wrote it, or someone edited a row by hand). Reading it is an error, never a
/// silent fallback to some default.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} '{word}' in the database")]
pub struct Unknown {
    pub kind: &'static str,
    pub word: String,
}

/// Reads a stored word back (the `from_str` of a `Choice` column).
pub fn stored<C: Choice>(word: &str) -> Result<C, Unknown> {
    C::parse(word).ok_or_else(|| Unknown {
        kind: std::any::type_name::<C>()
            .rsplit("::")
            .next()
            .unwrap_or("value"),
        word: word.to_string(),
    })
}

/// The stored word of a value (the `to_str` of a `Choice` column).
pub fn word<C: Choice>(value: &C) -> &'static str {
    value.as_str()
}

/// Serde for a choice as its word, for `#[serde(into = "String", try_from = "String")]`: an
/// unknown word is refused as "'x' is not `$what`".
#[macro_export]
macro_rules! choice_word_serde {
    ($ty:ty, $what:literal) => {
        impl From<$ty> for String {
            fn from(c: $ty) -> String {
                $crate::choice::Choice::as_str(c).to_string()
            }
        }

        impl TryFrom<String> for $ty {
            type Error = String;

            fn try_from(word: String) -> Result<Self, String> {
                <$ty as $crate::choice::Choice>::parse(&word)
                    .ok_or_else(|| format!("'{word}' is not {}", $what))
            }
        }
    };
}

/// Declares an enum kept in a database column: on the server it is the column's type
/// (sea-orm `DeriveValueType`), written as its `Choice` word and read back through `stored`,
/// so an unknown word fails the read.
#[macro_export]
macro_rules! stored_choice {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($body:tt)* }) => {
        #[cfg_attr(feature = "server", derive(sea_orm::DeriveValueType))]
        #[cfg_attr(
            feature = "server",
            sea_orm(
                value_type = "String",
                from_str = "crate::choice::stored",
                to_str = "crate::choice::word"
            )
        )]
        $(#[$meta])*
        $vis enum $name { $($body)* }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderStatus;

    #[test]
    fn a_stored_word_reads_back_and_an_unknown_one_is_an_error() {
        assert_eq!(
            stored::<OrderStatus>("confirmed").ok(),
            Some(OrderStatus::Confirmed)
        );
        let err = stored::<OrderStatus>("shipped").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown OrderStatus 'shipped' in the database"
        );
        assert_eq!(
            word(&OrderStatus::PartiallyDelivered),
            "partially_delivered"
        );
    }
}
