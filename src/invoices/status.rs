//! An invoice's status (ARCHITECTURE.md, "Workflows"): draft until issued, then derived from
//! its payments and credit notes — never set by hand — and overdue derived when read. Shared
//! with the browser, which shows the same words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::choice::Choice;

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum InvoiceStatus {
        /// Being prepared: no number, may be edited or deleted.
        Draft,
        /// Numbered and frozen; nothing paid yet.
        Issued,
        PartiallyPaid,
        Paid,
        /// Voided by credit notes for all of it.
        Credited,
    }
}

impl Choice for InvoiceStatus {
    const ALL: &'static [Self] = &[
        Self::Draft,
        Self::Issued,
        Self::PartiallyPaid,
        Self::Paid,
        Self::Credited,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Issued => "issued",
            Self::PartiallyPaid => "partially_paid",
            Self::Paid => "paid",
            Self::Credited => "credited",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Issued => "Issued",
            Self::PartiallyPaid => "Partially paid",
            Self::Paid => "Paid",
            Self::Credited => "Credited",
        }
    }
}

impl InvoiceStatus {
    /// Issued and not settled: something is still due on it.
    pub const OPEN: [Self; 2] = [Self::Issued, Self::PartiallyPaid];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// An issued invoice's status from its amounts (cents): credited when credit notes took
    /// all of it, paid once nothing is left, partially paid once something was paid.
    pub fn of(total: i64, paid: i64, credited: i64) -> Self {
        if credited > 0 && credited >= total {
            Self::Credited
        } else if total - paid - credited <= 0 {
            Self::Paid
        } else if paid > 0 {
            Self::PartiallyPaid
        } else {
            Self::Issued
        }
    }
}

/// Past its due date with something still due, on the business's `today`. An invoice due
/// today is not overdue yet.
pub fn is_overdue(status: InvoiceStatus, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    status.is_open() && due.is_some_and(|d| d < today)
}

crate::stored_choice! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PaymentMethod {
        #[default]
        BankTransfer,
        Card,
        Cash,
        Cheque,
        Other,
    }
}

impl Choice for PaymentMethod {
    const ALL: &'static [Self] = &[
        Self::BankTransfer,
        Self::Card,
        Self::Cash,
        Self::Cheque,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::Card => "card",
            Self::Cash => "cash",
            Self::Cheque => "cheque",
            Self::Other => "other",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::BankTransfer => "Bank transfer",
            Self::Card => "Card",
            Self::Cash => "Cash",
            Self::Cheque => "Cheque",
            Self::Other => "Other",
        }
    }
}

/// How much of its orders the business invoices (`INVOICE_POLICY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoicePolicy {
    /// What was delivered (the default).
    #[default]
    Delivered,
    /// What was ordered, before delivery (prepayment).
    Ordered,
}

impl Choice for InvoicePolicy {
    const ALL: &'static [Self] = &[Self::Delivered, Self::Ordered];

    fn as_str(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Ordered => "ordered",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Delivered => "What was delivered",
            Self::Ordered => "What was ordered",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_amounts() {
        use InvoiceStatus::*;
        for (total, paid, credited, want) in [
            (1000, 0, 0, Issued),
            (1000, 1, 0, PartiallyPaid),
            (1000, 999, 0, PartiallyPaid),
            (1000, 1000, 0, Paid),
            (1000, 600, 400, Paid),
            (1000, 0, 400, Issued),
            (1000, 0, 1000, Credited),
            (1000, 1000, 1000, Credited),
            (0, 0, 0, Paid),
        ] {
            assert_eq!(
                InvoiceStatus::of(total, paid, credited),
                want,
                "{total} {paid} {credited}"
            );
        }
    }

    #[test]
    fn overdue_only_after_the_due_date_while_open() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let due = Some(d("2026-12-03"));
        assert!(!is_overdue(InvoiceStatus::Issued, due, d("2026-12-03")));
        assert!(is_overdue(InvoiceStatus::Issued, due, d("2026-12-04")));
        assert!(is_overdue(
            InvoiceStatus::PartiallyPaid,
            due,
            d("2026-12-04")
        ));
        assert!(!is_overdue(InvoiceStatus::Paid, due, d("2027-01-01")));
        assert!(!is_overdue(InvoiceStatus::Draft, None, d("2027-01-01")));
    }
}
