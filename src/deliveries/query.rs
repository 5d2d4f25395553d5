//! What the delivery board shows (status, a day or a date range, driver, client, page) and its
//! form in the page URL, so a driver's "today" view can be bookmarked and Back works.

use serde::{Deserialize, Serialize};

use super::DeliveryStatus;

/// Deliveries per page.
pub const PAGE_SIZE: u64 = 25;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardQuery {
    /// One status; none means every open one (scheduled, out for delivery, failed).
    pub status: Option<DeliveryStatus>,
    /// Only what is scheduled for today, in the business's calendar (the drivers' view);
    /// overrides `from` and `to`.
    pub today: bool,
    /// Scheduled on or after, `YYYY-MM-DD`.
    pub from: String,
    /// Scheduled on or before, `YYYY-MM-DD`.
    pub to: String,
    /// Part of the driver's or carrier's name.
    pub driver: String,
    pub client: Option<i64>,
    pub after: Option<i64>,
    pub before: Option<i64>,
}

crate::page_query!(BoardQuery, DeliveryBoard);

impl BoardQuery {
    /// The drivers' view: today's open deliveries.
    pub fn today() -> Self {
        Self {
            today: true,
            ..Self::default()
        }
    }
}

// In the URL only what differs from the default board: `/deliveries?today=true&driver=van`.
crate::url_query!(BoardQuery {
    status,
    today,
    from,
    to,
    driver,
    client,
    after,
    before
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trips_every_filter() {
        let q = BoardQuery {
            status: Some(DeliveryStatus::OutForDelivery),
            today: true,
            from: "2026-01-01".into(),
            to: "2026-03-31".into(),
            driver: "Van 2 & co".into(),
            client: Some(7),
            after: Some(99),
            before: None,
        };
        let read = crate::ui::url::as_router_reads(&q.to_string());
        assert_eq!(BoardQuery::from(read.as_str()), q);
        assert_eq!(BoardQuery::default().to_string(), "");
    }
}
