//! What an invoice or a credit note was issued as: seller, buyer, references, lines, tax
//! summary and totals, fixed in the transaction that numbers it and stored with it (JSON).
//! The PDF is drawn from this record alone (`pdf`), so it never changes with the client's
//! address or the company's settings afterwards.
//!
//! An order's quotation and confirmation are the same kind of record (`orders::document`),
//! drawn by the same code, but made afresh each time: a draft's quotation follows the draft.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};

use super::TaxRow;
use crate::deliveries::DeliveryStatus;
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::{LineAmounts, Money};
use crate::server::config::{Company, Config};
use crate::server::entities::{client, delivery, invoice, invoice_line, order};

/// The client as billed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Buyer {
    pub name: String,
    pub address: String,
    pub tax_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocLine {
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    pub unit_price: Money,
    pub discount: Money,
    pub tax_rate_bp: i64,
    pub net: Money,
    pub tax: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    Invoice {
        due_date: NaiveDate,
        payment_terms_days: i64,
        /// The order's delivery notes handed over by the time of issue.
        delivery_notes: Vec<String>,
    },
    CreditNote {
        /// The invoice it corrects.
        invoice_number: String,
        reason: String,
    },
    /// A draft order offered to the client: the number is the order's.
    Quotation { valid_until: NaiveDate },
    /// A confirmed order, as agreed: the number is the order's.
    Confirmation { requested_date: Option<NaiveDate> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub kind: Kind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub currency: String,
    pub seller: Company,
    pub buyer: Buyer,
    /// Where the goods go: the order's delivery address (absent from records issued before
    /// orders had one, and from credit notes).
    #[serde(default)]
    pub ship_to: String,
    pub order_number: String,
    /// The client's own reference for the order (their purchase order number).
    #[serde(default)]
    pub client_reference: String,
    pub lines: Vec<DocLine>,
    pub tax_summary: Vec<TaxRow>,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
    /// Paid before issue (always nothing for a new invoice) and due on it.
    pub paid: Money,
    pub balance: Money,
    pub notes: String,
}

impl Document {
    pub fn title(&self) -> &'static str {
        match self.kind {
            Kind::Invoice { .. } => "Invoice",
            Kind::CreditNote { .. } => "Credit note",
            Kind::Quotation { .. } => "Quotation",
            Kind::Confirmation { .. } => "Order confirmation",
        }
    }
}

/// Net and tax per rate, lowest rate first: each line's own rounded amounts summed, so the
/// summary adds up to the document's totals exactly.
pub fn tax_summary<'a>(lines: impl IntoIterator<Item = (i64, &'a LineAmounts)>) -> Vec<TaxRow> {
    let mut by_rate: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (rate, a) in lines {
        let e = by_rate.entry(rate).or_default();
        e.0 += a.net.cents();
        e.1 += a.tax.cents();
    }
    by_rate
        .into_iter()
        .map(|(rate_bp, (net, tax))| TaxRow {
            rate_bp,
            net: Money(net),
            tax: Money(tax),
        })
        .collect()
}

pub fn doc_lines(lines: &[invoice_line::Model]) -> Vec<DocLine> {
    lines
        .iter()
        .map(|l| DocLine {
            description: l.description.clone(),
            quantity: l.quantity,
            unit: l.unit.clone(),
            unit_price: Money(l.unit_price),
            discount: Money(l.discount),
            tax_rate_bp: l.tax_rate_bp.into(),
            net: Money(l.net),
            tax: Money(l.tax),
        })
        .collect()
}

pub fn summary_of(lines: &[DocLine]) -> Vec<TaxRow> {
    let amounts: Vec<(i64, LineAmounts)> = lines
        .iter()
        .map(|l| {
            (
                l.tax_rate_bp,
                LineAmounts {
                    net: l.net,
                    tax: l.tax,
                },
            )
        })
        .collect();
    tax_summary(amounts.iter().map(|(r, a)| (*r, a)))
}

pub fn buyer(c: &client::Model) -> Buyer {
    Buyer {
        name: c.name.clone(),
        address: c.billing_address.clone(),
        tax_id: c.tax_id.clone(),
    }
}

/// What an invoice refers to: its order (number, the client's reference, where it was
/// delivered) and the order's delivery notes handed over by then, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct References {
    pub order_number: String,
    pub client_reference: String,
    pub ship_to: String,
    pub delivery_notes: Vec<String>,
}

/// What invoice `id` refers to, in one query.
pub async fn references(db: &impl ConnectionTrait, id: i64) -> AppResult<References> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
    let (o, d) = (order::Entity, delivery::Entity);
    let q = Query::select()
        .column((o, order::Column::Number))
        .column((o, order::Column::ClientReference))
        .column((o, order::Column::DeliveryAddress))
        .expr_as(Expr::col((d, delivery::Column::Number)), Alias::new("note"))
        .from(o)
        .join(
            JoinType::LeftJoin,
            d,
            Expr::col((d, delivery::Column::OrderId))
                .equals((o, order::Column::Id))
                .and(
                    Expr::col((d, delivery::Column::Status))
                        .eq(Expr::val(DeliveryStatus::Delivered)),
                ),
        )
        .and_where(
            Expr::col((o, order::Column::Id)).in_subquery(
                Query::select()
                    .column(invoice::Column::OrderId)
                    .from(invoice::Entity)
                    .and_where(Expr::col(invoice::Column::Id).eq(id))
                    .to_owned(),
            ),
        )
        .order_by((d, delivery::Column::Id), sea_orm::Order::Asc)
        .to_owned();
    let rows = db.query_all(&q).await.or_internal("invoices")?;
    let first = rows
        .first()
        .ok_or_else(|| AppError::NotFound(format!("invoice {id}")))?;
    let text =
        |name: &str| -> AppResult<String> { first.try_get("", name).or_internal("invoices") };
    let mut delivery_notes = Vec::new();
    for r in &rows {
        let note: Option<String> = r.try_get("", "note").or_internal("invoices")?;
        delivery_notes.extend(note);
    }
    Ok(References {
        order_number: text("number")?,
        client_reference: text("client_reference")?,
        ship_to: text("delivery_address")?,
        delivery_notes,
    })
}

/// The record invoice `inv` is issued as, numbered `number` with `dates` (issue, due), of
/// the order and delivery notes `references` names, with `lines`.
pub fn of_invoice(
    config: &Config,
    (inv, lines): (&invoice::Model, &[invoice_line::Model]),
    number: &str,
    references: References,
    dates: (NaiveDate, NaiveDate),
    client: &client::Model,
) -> Document {
    let lines = doc_lines(lines);
    Document {
        kind: Kind::Invoice {
            due_date: dates.1,
            payment_terms_days: (dates.1 - dates.0).num_days(),
            delivery_notes: references.delivery_notes,
        },
        number: number.to_string(),
        issue_date: dates.0,
        currency: config.business.currency.clone(),
        seller: config.company.clone(),
        buyer: buyer(client),
        ship_to: references.ship_to,
        order_number: references.order_number,
        client_reference: references.client_reference,
        tax_summary: summary_of(&lines),
        lines,
        net: Money(inv.net),
        tax: Money(inv.tax),
        total: Money(inv.total),
        paid: Money(inv.paid),
        balance: Money(inv.balance),
        notes: inv.notes.clone(),
    }
}

pub async fn order_of(db: &impl ConnectionTrait, id: i64) -> AppResult<order::Model> {
    order::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("invoices")?
        .ok_or_else(|| AppError::internal("invoices", "an invoice without its order"))
}
