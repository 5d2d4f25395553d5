//! What the order list shows (number search, filters, order, page) and its form in the page
//! URL, so a filtered list can be shared and Back works.

use serde::{Deserialize, Serialize};

use super::{OrderStatus, Priority};
use crate::choice::Choice;

/// Orders per page.
pub const PAGE_SIZE: u64 = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSort {
    #[default]
    Newest,
    Oldest,
    /// Largest total first.
    Largest,
}

impl Choice for OrderSort {
    const ALL: &'static [Self] = &[Self::Newest, Self::Oldest, Self::Largest];

    fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Largest => "largest",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Newest => "Newest first",
            Self::Oldest => "Oldest first",
            Self::Largest => "Largest total first",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderQuery {
    /// An order number or part of one: "SO-2026-00042", "2026-0004", "42".
    pub q: String,
    pub status: Option<OrderStatus>,
    pub client: Option<i64>,
    pub priority: Option<Priority>,
    /// Ordered on or after, `YYYY-MM-DD`.
    pub from: String,
    /// Ordered on or before, `YYYY-MM-DD`.
    pub to: String,
    pub sort: OrderSort,
    pub after: Option<i64>,
    pub before: Option<i64>,
}

crate::page_query!(OrderQuery, OrderList);

impl OrderQuery {
    /// How many filters narrow the list (the search and the order aside): the phone's
    /// "Filters (n)".
    pub fn active_filters(&self) -> usize {
        [
            self.status.is_some(),
            self.client.is_some(),
            self.priority.is_some(),
            !self.from.is_empty(),
            !self.to.is_empty(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count()
    }

    /// One client's orders, newest first (the client page's history).
    pub fn for_client(client: i64) -> Self {
        Self {
            client: Some(client),
            ..Self::default()
        }
    }
}

// In the URL only what differs from the default list: `/orders?status=confirmed&from=2026-01-01`.
crate::url_query!(OrderQuery {
    q,
    status,
    client,
    priority,
    from,
    to,
    sort,
    after,
    before
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trips_every_filter() {
        let q = OrderQuery {
            q: "SO-2026 & co".into(),
            status: Some(OrderStatus::PartiallyDelivered),
            client: Some(7),
            priority: Some(Priority::Urgent),
            from: "2026-01-01".into(),
            to: "2026-03-31".into(),
            sort: OrderSort::Largest,
            after: Some(99),
            before: None,
        };
        let read = crate::ui::url::as_router_reads(&q.to_string());
        assert_eq!(OrderQuery::from(read.as_str()), q);
        assert_eq!(OrderQuery::default().to_string(), "");
    }
}
