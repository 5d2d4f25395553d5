//! Named choices (roles, statuses, priorities, list orders): one trait for the word that is
//! stored and put in URLs, the label people read, and reading the word back. The selects
//! built on it live in `ui::select`.

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
