//! Pages of a long list, cut by keyset (never by OFFSET): the page a list shows, where a page
//! starts, and what a list's query must offer to be paged. The server side is
//! `server::keyset`; the links are `ui::pager::Pager`.

use serde::{Deserialize, Serialize};

/// Lists count their matches only this far: an exact total of a huge result costs more than
/// it tells anyone ("1,000+").
pub const COUNT_CAP: u64 = 1000;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// How many rows match over all pages, counted up to `COUNT_CAP`...
    pub total: u64,
    /// ...and whether there are more than that.
    pub total_capped: bool,
    /// Where the previous page starts (`PageAt::Before` this id), if there is one.
    pub prev: Option<i64>,
    /// Where the next page starts (`PageAt::After` this id), if there is one.
    pub next: Option<i64>,
}

impl<T> Page<T> {
    /// The same page with each row mapped (stored rows to what pages show).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(f).collect(),
            total: self.total,
            total_capped: self.total_capped,
            prev: self.prev,
            next: self.next,
        }
    }
}

/// Where a page starts: the top of the list, or just after or before the row with this id
/// (in the list's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageAt {
    #[default]
    First,
    After(i64),
    Before(i64),
}

impl PageAt {
    /// From a query's `after` and `before` (`after` wins when both are given).
    pub fn from_ids(after: Option<i64>, before: Option<i64>) -> Self {
        match (after, before) {
            (Some(id), _) => Self::After(id),
            (None, Some(id)) => Self::Before(id),
            (None, None) => Self::First,
        }
    }

    /// The `after` and `before` a query keeps in the URL.
    pub fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            Self::First => (None, None),
            Self::After(id) => (Some(id), None),
            Self::Before(id) => (None, Some(id)),
        }
    }
}

/// A list's query (filters, order, page) that pages can be cut from.
pub trait PageQuery: Clone + PartialEq + 'static {
    fn at(&self) -> PageAt;

    /// The same list, starting at `at`.
    fn starting(&self, at: PageAt) -> Self;

    /// The list's page at this query.
    fn route(self) -> crate::app::Route;

    /// The same list from its first page (a new filter or order starts at the top).
    fn first_page(&self) -> Self {
        self.starting(PageAt::First)
    }
}

/// `PageQuery` for a query struct with `after` and `before` fields, shown by the route
/// variant `$route { query }`.
#[macro_export]
macro_rules! page_query {
    ($query:ty, $route:ident) => {
        impl $crate::paging::PageQuery for $query {
            fn at(&self) -> $crate::paging::PageAt {
                $crate::paging::PageAt::from_ids(self.after, self.before)
            }

            fn starting(&self, at: $crate::paging::PageAt) -> Self {
                let (after, before) = at.ids();
                Self {
                    after,
                    before,
                    ..self.clone()
                }
            }

            fn route(self) -> $crate::app::Route {
                $crate::app::Route::$route { query: self }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_start_round_trips_through_the_url_ids() {
        for at in [PageAt::First, PageAt::After(7), PageAt::Before(9)] {
            let (after, before) = at.ids();
            assert_eq!(PageAt::from_ids(after, before), at);
        }
        assert_eq!(PageAt::from_ids(Some(1), Some(2)), PageAt::After(1));
    }
}
