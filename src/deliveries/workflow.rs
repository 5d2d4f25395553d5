//! The delivery workflow (ARCHITECTURE.md, "Workflows") as data: statuses, and for each action
//! the statuses it may start from and where it leads. The browser reads it to offer only the
//! allowed buttons; the server walks the same edges with conditional updates.

use serde::{Deserialize, Serialize};

use crate::choice::Choice;

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DeliveryStatus {
        Scheduled,
        OutForDelivery,
        Delivered,
        /// Not handed over; waits to be rescheduled or cancelled, its quantities still held.
        Failed,
        Cancelled,
    }
}

impl Choice for DeliveryStatus {
    const ALL: &'static [Self] = &[
        Self::Scheduled,
        Self::OutForDelivery,
        Self::Delivered,
        Self::Failed,
        Self::Cancelled,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::OutForDelivery => "Out for delivery",
            Self::Delivered => "Delivered",
            Self::Failed => "Failed",
            Self::Cancelled => "Cancelled",
        }
    }
}

impl DeliveryStatus {
    /// Still to be handed over: its quantities are held against the order's lines.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Scheduled | Self::OutForDelivery | Self::Failed)
    }
}

/// What a user can do to a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The driver has it on the way.
    Depart,
    /// Handed over (recipient, time, optional signature): stock ships.
    Deliver,
    /// Not handed over (a reason is required).
    Fail,
    /// A failed delivery gets a new date and is scheduled again.
    Reschedule,
    /// Called off while scheduled (or after failing): its quantities can be scheduled again.
    Cancel,
}

use DeliveryStatus::{Cancelled, Delivered, Failed, OutForDelivery, Scheduled};

impl Action {
    pub const ALL: [Action; 5] = [
        Self::Depart,
        Self::Deliver,
        Self::Fail,
        Self::Reschedule,
        Self::Cancel,
    ];

    /// The statuses this action starts from.
    pub fn from(self) -> &'static [DeliveryStatus] {
        match self {
            Self::Depart => &[Scheduled],
            Self::Deliver => &[Scheduled, OutForDelivery],
            Self::Fail => &[Scheduled, OutForDelivery],
            Self::Reschedule => &[Failed],
            Self::Cancel => &[Scheduled, Failed],
        }
    }

    /// The status it leads to.
    pub fn to(self) -> DeliveryStatus {
        match self {
            Self::Depart => OutForDelivery,
            Self::Deliver => Delivered,
            Self::Fail => Failed,
            Self::Reschedule => Scheduled,
            Self::Cancel => Cancelled,
        }
    }

    pub fn allowed_from(self, status: DeliveryStatus) -> bool {
        self.from().contains(&status)
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Depart => "Out for delivery",
            Self::Deliver => "Delivered",
            Self::Fail => "Failed",
            Self::Reschedule => "Reschedule",
            Self::Cancel => "Cancel delivery",
        }
    }

    /// The audit action, e.g. `delivery.delivered`.
    pub fn event(self) -> crate::audit::Event {
        let action = match self {
            Self::Depart => "delivery.out_for_delivery",
            Self::Deliver => "delivery.delivered",
            Self::Fail => "delivery.failed",
            Self::Reschedule => "delivery.rescheduled",
            Self::Cancel => "delivery.cancelled",
        };
        crate::audit::Event::new(super::ENTITY, action)
    }

    /// The plain 409 message when `status` does not allow this action.
    pub fn refusal(self, number: &str, status: DeliveryStatus) -> String {
        let now = status.label().to_lowercase();
        let allowed: Vec<String> = self
            .from()
            .iter()
            .map(|s| s.label().to_lowercase())
            .collect();
        format!(
            "{number} is {now}; only a delivery that is {} can be marked {}",
            allowed.join(" or "),
            self.to().label().to_lowercase()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_starts_from_exactly_its_statuses() {
        let allowed = |a: Action| -> Vec<DeliveryStatus> {
            DeliveryStatus::ALL
                .iter()
                .copied()
                .filter(|s| a.allowed_from(*s))
                .collect()
        };
        assert_eq!(allowed(Action::Depart), [Scheduled]);
        assert_eq!(allowed(Action::Deliver), [Scheduled, OutForDelivery]);
        assert_eq!(allowed(Action::Fail), [Scheduled, OutForDelivery]);
        assert_eq!(allowed(Action::Reschedule), [Failed]);
        assert_eq!(allowed(Action::Cancel), [Scheduled, Failed]);
        // Nothing leaves a delivered or cancelled delivery.
        for a in Action::ALL {
            assert!(
                !a.allowed_from(Delivered) && !a.allowed_from(Cancelled),
                "{a:?}"
            );
        }
    }

    #[test]
    fn open_deliveries_hold_their_quantities() {
        let open: Vec<_> = DeliveryStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, [Scheduled, OutForDelivery, Failed]);
    }

    #[test]
    fn refusals_say_what_is_allowed() {
        let msg = Action::Cancel.refusal("DN-2026-00001", OutForDelivery);
        assert_eq!(
            msg,
            "DN-2026-00001 is out for delivery; only a delivery that is scheduled or failed \
             can be marked cancelled"
        );
    }

    #[test]
    fn names_round_trip() {
        for &s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DeliveryStatus::parse("lost"), None);
    }
}
