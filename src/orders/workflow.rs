//! The order workflow (ARCHITECTURE.md, "Workflows") as data: statuses, priorities, and for each action the
//! edges it may take and what each edge does to stock. The browser reads it to offer only
//! the allowed buttons; the server walks the same edges with conditional updates.

use serde::{Deserialize, Serialize};

use crate::choice::Choice;

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum OrderStatus {
        Draft,
        Confirmed,
        /// Set by the deliveries module.
        PartiallyDelivered,
        /// Set by the deliveries module.
        Delivered,
        Cancelled,
    }
}

impl Choice for OrderStatus {
    const ALL: &'static [Self] = &[
        Self::Draft,
        Self::Confirmed,
        Self::PartiallyDelivered,
        Self::Delivered,
        Self::Cancelled,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Confirmed => "confirmed",
            Self::PartiallyDelivered => "partially_delivered",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Confirmed => "Confirmed",
            Self::PartiallyDelivered => "Partially delivered",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
        }
    }
}

impl OrderStatus {
    /// Booked: confirmed and not cancelled (the sales report's orders booked).
    pub fn is_booked(self) -> bool {
        !matches!(self, Self::Draft | Self::Cancelled)
    }
}

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Priority {
        Low,
        #[default]
        Normal,
        High,
        Urgent,
    }
}

impl Choice for Priority {
    const ALL: &'static [Self] = &[Self::Low, Self::Normal, Self::High, Self::Urgent];

    fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Normal => "Normal",
            Self::High => "High",
            Self::Urgent => "Urgent",
        }
    }
}

/// What a user can do to an order (deliveries move it on to partially delivered and delivered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Confirm,
    Revert,
    Cancel,
}

/// What an edge does to stock, in the same transaction as the status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reserve every line, or nothing.
    Reserve,
    /// Give back what the order had reserved.
    Release,
    None,
}

/// One allowed step: from this status to that one, with its effect on stock.
pub struct Edge {
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub effect: Effect,
}

use OrderStatus::{Cancelled, Confirmed, Draft, PartiallyDelivered};

const CONFIRM: &[Edge] = &[Edge {
    from: Draft,
    to: Confirmed,
    effect: Effect::Reserve,
}];
const REVERT: &[Edge] = &[Edge {
    from: Confirmed,
    to: Draft,
    effect: Effect::Release,
}];
const CANCEL: &[Edge] = &[
    Edge {
        from: Confirmed,
        to: Cancelled,
        effect: Effect::Release,
    },
    Edge {
        from: Draft,
        to: Cancelled,
        effect: Effect::None,
    },
    // What was delivered stays delivered; the ledger says what is still reserved for it.
    Edge {
        from: PartiallyDelivered,
        to: Cancelled,
        effect: Effect::Release,
    },
];

impl Action {
    pub const ALL: [Action; 3] = [Self::Confirm, Self::Revert, Self::Cancel];

    pub fn edges(self) -> &'static [Edge] {
        match self {
            Self::Confirm => CONFIRM,
            Self::Revert => REVERT,
            Self::Cancel => CANCEL,
        }
    }

    pub fn allowed_from(self, status: OrderStatus) -> bool {
        self.edges().iter().any(|e| e.from == status)
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Confirm => "Confirm",
            Self::Revert => "Back to draft",
            Self::Cancel => "Cancel order",
        }
    }

    /// The audit action, e.g. `order.confirmed`.
    pub fn event(self) -> crate::audit::Event {
        let action = match self {
            Self::Confirm => "order.confirmed",
            Self::Revert => "order.reverted",
            Self::Cancel => "order.cancelled",
        };
        crate::audit::Event::new(super::ENTITY, action)
    }

    /// The plain 409 message when `status` does not allow this action.
    pub fn refusal(self, number: &str, status: OrderStatus) -> String {
        let now = status.label().to_lowercase();
        match self {
            Self::Confirm => format!("{number} is {now}; only a draft can be confirmed"),
            Self::Revert => {
                format!("{number} is {now}; only a confirmed order can go back to draft")
            }
            Self::Cancel => {
                format!(
                    "{number} is {now}; only a draft, confirmed or partially delivered order \
                     can be cancelled"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_allowed_from_exactly_its_edges() {
        let allowed = |a: Action| -> Vec<OrderStatus> {
            OrderStatus::ALL
                .iter()
                .copied()
                .filter(|s| a.allowed_from(*s))
                .collect()
        };
        assert_eq!(allowed(Action::Confirm), [Draft]);
        assert_eq!(allowed(Action::Revert), [Confirmed]);
        assert_eq!(
            allowed(Action::Cancel),
            [Draft, Confirmed, PartiallyDelivered]
        );
    }

    #[test]
    fn names_round_trip() {
        for &s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        for &p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        assert_eq!(OrderStatus::parse("shipped"), None);
    }
}
