//! What an invoice or a credit note was issued as: seller, buyer, references, lines, tax
//! summary and totals, fixed in the transaction that numbers it and stored with it (JSON).
//! The PDF is drawn from this record alone (`pdf`), so it never changes with the client's
//! address or the company's settings afterwards.

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub kind: Kind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub currency: String,
    pub seller: Company,
    pub buyer: Buyer,
    pub order_number: String,
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

/// What invoice `id` refers to: its order's number and the order's delivery notes handed
/// over so far, oldest first, in one query.
pub async fn references(db: &impl ConnectionTrait, id: i64) -> AppResult<(String, Vec<String>)> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
    let (o, d) = (order::Entity, delivery::Entity);
    let q = Query::select()
        .column((o, order::Column::Number))
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
    let mut rows = Vec::new();
    for r in db.query_all(&q).await.or_internal("invoices")? {
        let number: String = r.try_get("", "number").or_internal("invoices")?;
        let note: Option<String> = r.try_get("", "note").or_internal("invoices")?;
        rows.push((number, note));
    }
    let number = rows
        .first()
        .map(|(n, _)| n.clone())
        .ok_or_else(|| AppError::NotFound(format!("invoice {id}")))?;
    Ok((number, rows.into_iter().filter_map(|(_, d)| d).collect()))
}

/// The record invoice `inv` is issued as, numbered `number` with `dates` (issue, due), of
/// the order and delivery notes `references` names, with `lines`.
pub fn of_invoice(
    config: &Config,
    (inv, lines): (&invoice::Model, &[invoice_line::Model]),
    number: &str,
    (order_number, delivery_notes): (String, Vec<String>),
    dates: (NaiveDate, NaiveDate),
    client: &client::Model,
) -> Document {
    let lines = doc_lines(lines);
    Document {
        kind: Kind::Invoice {
            due_date: dates.1,
            payment_terms_days: (dates.1 - dates.0).num_days(),
            delivery_notes,
        },
        number: number.to_string(),
        issue_date: dates.0,
        currency: config.business.currency.clone(),
        seller: config.company.clone(),
        buyer: buyer(client),
        order_number,
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
