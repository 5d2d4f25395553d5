//! What the invoice list shows (number search, status or overdue, client, issue and due date
//! ranges, page) and its form in the page URL, so a filtered list can be shared and Back
//! works.

use serde::{Deserialize, Serialize};

use super::InvoiceStatus;
use crate::choice::Choice;

/// Invoices per page.
pub const PAGE_SIZE: u64 = 25;

/// The list's status filter: one status, or the derived "open" and "overdue". Written as its
/// one word (`paid`, `overdue`) in URLs and queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum InvoiceFilter {
    Is(InvoiceStatus),
    /// Issued or partially paid: something is due.
    Open,
    /// Open and past its due date.
    Overdue,
}

impl Choice for InvoiceFilter {
    const ALL: &'static [Self] = &[
        Self::Open,
        Self::Overdue,
        Self::Is(InvoiceStatus::Draft),
        Self::Is(InvoiceStatus::Issued),
        Self::Is(InvoiceStatus::PartiallyPaid),
        Self::Is(InvoiceStatus::Paid),
        Self::Is(InvoiceStatus::Credited),
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Is(s) => s.as_str(),
            Self::Open => "open",
            Self::Overdue => "overdue",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Is(s) => s.label(),
            Self::Open => "Open (something due)",
            Self::Overdue => "Overdue",
        }
    }
}

crate::choice_word_serde!(InvoiceFilter, "an invoice status");

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceQuery {
    /// An invoice number or part of one: "INV-2026-00017", "2026-0001", "17".
    pub q: String,
    pub status: Option<InvoiceFilter>,
    pub client: Option<i64>,
    /// Issued on or after / on or before, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// Due on or after / on or before, `YYYY-MM-DD`.
    pub due_from: String,
    pub due_to: String,
    pub after: Option<i64>,
    pub before: Option<i64>,
}

crate::page_query!(InvoiceQuery, InvoiceList);

crate::url_query!(InvoiceQuery {
    q,
    status,
    client,
    from,
    to,
    due_from,
    due_to,
    after,
    before
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trips_every_filter() {
        let q = InvoiceQuery {
            q: "INV-2026".into(),
            status: Some(InvoiceFilter::Overdue),
            client: Some(7),
            from: "2026-01-01".into(),
            to: "2026-03-31".into(),
            due_from: "2026-02-01".into(),
            due_to: "2026-04-30".into(),
            after: Some(99),
            before: None,
        };
        let read = crate::ui::url::as_router_reads(&q.to_string());
        assert_eq!(InvoiceQuery::from(read.as_str()), q);
        assert_eq!(InvoiceQuery::default().to_string(), "");
        let partly = InvoiceQuery {
            status: Some(InvoiceFilter::Is(InvoiceStatus::PartiallyPaid)),
            ..InvoiceQuery::default()
        };
        let read = crate::ui::url::as_router_reads(&partly.to_string());
        assert_eq!(InvoiceQuery::from(read.as_str()), partly);
    }
}
