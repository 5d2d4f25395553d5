//! What the audit trail page shows (who, which kind of record and which one, what happened,
//! between which dates, page) and its form in the page URL, so a filtered trail can be shared
//! and Back works.

use serde::{Deserialize, Serialize};

use crate::choice::Choice;

/// Events per page.
pub const PAGE_SIZE: u64 = 50;

/// The kinds of record events are about: each module's `ENTITY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum AuditEntity {
    Client,
    Product,
    Order,
    Delivery,
    Invoice,
    User,
    Mail,
}

impl Choice for AuditEntity {
    const ALL: &'static [Self] = &[
        Self::Client,
        Self::Product,
        Self::Order,
        Self::Delivery,
        Self::Invoice,
        Self::User,
        Self::Mail,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Client => crate::clients::ENTITY,
            Self::Product => crate::stock::ENTITY,
            Self::Order => crate::orders::ENTITY,
            Self::Delivery => crate::deliveries::ENTITY,
            Self::Invoice => crate::invoices::ENTITY,
            Self::User => crate::users::ENTITY,
            Self::Mail => crate::outbox::ENTITY,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Client => "Clients",
            Self::Product => "Products and stock",
            Self::Order => "Orders",
            Self::Delivery => "Deliveries",
            Self::Invoice => "Invoices",
            Self::User => "Users and sign-ins",
            Self::Mail => "Mail",
        }
    }
}

crate::choice_word_serde!(AuditEntity, "a kind of record");

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// The user who made the change.
    pub user: Option<i64>,
    pub entity: Option<AuditEntity>,
    /// One record of `entity` (its id).
    pub record: Option<i64>,
    /// An action (`order.confirmed`), or a family of them by its first word (`order`,
    /// `login`).
    pub action: String,
    /// On or after / on or before, `YYYY-MM-DD` on the business's calendar.
    pub from: String,
    pub to: String,
    pub after: Option<i64>,
    pub before: Option<i64>,
}

crate::page_query!(AuditQuery, AuditTrail);

crate::url_query!(AuditQuery {
    user,
    entity,
    record,
    action,
    from,
    to,
    after,
    before
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trips_every_filter() {
        let q = AuditQuery {
            user: Some(3),
            entity: Some(AuditEntity::Order),
            record: Some(42),
            action: "order.confirmed".into(),
            from: "2026-01-01".into(),
            to: "2026-03-31".into(),
            after: None,
            before: Some(7),
        };
        let read = crate::ui::url::as_router_reads(&q.to_string());
        assert_eq!(AuditQuery::from(read.as_str()), q);
        assert_eq!(AuditQuery::default().to_string(), "");
    }
}
