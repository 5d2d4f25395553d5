//! Issuing invoices in groups (`server::grouped`): the drafts issued at one moment are locked
//! in one statement, numbered with one advance of the year's sequence, their lines read in
//! one query, and each marked issued with its record (`document`) and audit event, all in one
//! transaction. Their PDFs are drawn after the commit, in parallel, and stored together
//! (`pdf::PdfWriter`).
//!
//! A group that fails is issued again one draft at a time, so a draft issued meanwhile gets
//! its 409 and a failing one gives its number back to the next.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::document::{self, Document};
use super::pdf::PdfWriter;
use super::{ENTITY, InvoiceStatus};
use crate::audit::{Actor, Event};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::Money;
use crate::reports::kept;
use crate::reports::summary::{Changes, Line};
use crate::server::config::Config;
use crate::server::entities::{client, invoice, invoice_line};
use crate::server::grouped::{Grouped, Writer};
use crate::server::sequence;
use crate::server::write::Write;

const ISSUED: Event = Event::new(ENTITY, "invoice.issued");

/// The queues invoicing writes through (`AppState::invoicing`).
#[derive(Clone)]
pub struct Invoicing {
    pub issues: Grouped<IssueWriter>,
    pub pdfs: Grouped<PdfWriter>,
}

impl Invoicing {
    /// Starts both writer tasks on the current tokio runtime.
    pub fn start(db: &DatabaseConnection, config: Arc<Config>) -> Self {
        Self {
            issues: Grouped::start(IssueWriter::new(db, config)),
            pdfs: Grouped::start(PdfWriter { db: db.clone() }),
        }
    }
}

/// A draft to issue, with what was read for it before the write: its client (the buyer) and
/// its references (order, delivery notes).
pub struct IssueJob {
    pub actor: Actor,
    pub id: i64,
    pub dates: (NaiveDate, NaiveDate),
    pub client: client::Model,
    pub references: super::document::References,
}

/// An invoice as issued: its row, its lines and the record its PDF is drawn from.
pub struct Issued {
    pub row: invoice::Model,
    pub lines: Vec<invoice_line::Model>,
    pub document: Document,
}

/// Issues the drafts of one group in one transaction (`issue_all`).
pub struct IssueWriter {
    db: DatabaseConnection,
    config: Arc<Config>,
}

impl IssueWriter {
    pub fn new(db: &DatabaseConnection, config: Arc<Config>) -> Self {
        Self {
            db: db.clone(),
            config,
        }
    }
}

impl Writer for IssueWriter {
    type Job = IssueJob;
    type Done = Issued;
    const NAME: &'static str = "invoice issuing";

    async fn write(&self, jobs: &[IssueJob]) -> AppResult<Vec<Issued>> {
        // The system's unit: each invoice's own actor is written on its row and event.
        let mut w = Write::begin(&self.db, None).await?;
        match issue_all(&mut w, &self.config, jobs).await {
            Ok(issued) => {
                w.commit().await?;
                Ok(issued)
            }
            Err(e) => {
                // Rolled back before the gate opens, so the next writer finds the lock free.
                w.rollback().await?;
                Err(e)
            }
        }
    }
}

/// The statements of one group: every draft locked, numbered, marked issued and recorded.
async fn issue_all(w: &mut Write, config: &Config, jobs: &[IssueJob]) -> AppResult<Vec<Issued>> {
    let now = Utc::now();
    let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
    use invoice::Column as I;
    let mut drafts: HashMap<i64, invoice::Model> = invoice::Entity::update_many()
        .col_expr(I::UpdatedAt, Expr::val(now))
        .filter(I::Id.is_in(ids.clone()))
        .filter(I::Status.eq(InvoiceStatus::Draft))
        .exec_with_returning(&**w)
        .await
        .or_internal("invoices")?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    // Each job takes its draft once: a draft asked twice in one group is refused the second
    // time, alone, with the 409 of an invoice already issued.
    let mut locked = Vec::with_capacity(jobs.len());
    for j in jobs {
        match drafts.remove(&j.id) {
            Some(m) => locked.push(m),
            None => return Err(not_a_draft(&**w, j.id, "issued again").await),
        }
    }
    let numbers = numbers(w, jobs).await?;
    let mut lines: HashMap<i64, Vec<invoice_line::Model>> = HashMap::new();
    let all = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.is_in(ids))
        .order_by_asc(invoice_line::Column::Position)
        .all(&**w)
        .await
        .or_internal("invoices")?;
    for l in all {
        lines.entry(l.invoice_id).or_default().push(l);
    }
    let mut issued = Vec::with_capacity(jobs.len());
    let mut summary = Changes::default();
    for ((j, inv), (seq, number)) in jobs.iter().zip(locked).zip(numbers) {
        let lines = lines.remove(&j.id).unwrap_or_default();
        let (day, due) = j.dates;
        let counted: Vec<Line> = lines
            .iter()
            .map(|l| Line {
                product: l.product_id,
                net: l.net,
                tax: l.tax,
                quantity: l.quantity,
            })
            .collect();
        summary.invoiced(day, inv.client_id, &counted);
        let document = document::of_invoice(
            config,
            (&inv, &lines),
            &number,
            j.references.clone(),
            j.dates,
            &j.client,
        );
        let json =
            serde_json::to_string(&document).map_err(|e| AppError::internal("invoices", e))?;
        // Guarded by the status again: only the draft locked above becomes this number.
        let done = invoice::Entity::update_many()
            .col_expr(I::Number, Expr::val(number.clone()))
            .col_expr(I::Seq, Expr::val(seq))
            .col_expr(I::Status, Expr::val(InvoiceStatus::Issued))
            .col_expr(I::IssueDate, Expr::val(day))
            .col_expr(I::DueDate, Expr::val(due))
            .col_expr(I::Document, Expr::val(json))
            .col_expr(I::IssuedBy, Expr::val(j.actor.id()))
            .col_expr(I::IssuedAt, Expr::val(now))
            .col_expr(I::UpdatedAt, Expr::val(now))
            .filter(I::Id.eq(j.id))
            .filter(I::Status.eq(InvoiceStatus::Draft))
            .exec_with_returning(&**w)
            .await
            .or_internal("invoices")?;
        let Some(row) = done.into_iter().next() else {
            return Err(AppError::Conflict(format!(
                "invoice {} was issued meanwhile",
                j.id
            )));
        };
        kept::receivables::moved(w, row.due_date, None, (row.status, row.balance));
        let what = format!("{number}, due {due}, total {}", Money(inv.total));
        w.record_by(j.actor, ISSUED, j.id, what);
        issued.push(Issued {
            row,
            lines,
            document,
        });
    }
    summary.add_to(w);
    Ok(issued)
}

/// Each job's number, in job order: one advance of the sequence per year of issue.
async fn numbers(w: &Write, jobs: &[IssueJob]) -> AppResult<Vec<(i64, String)>> {
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, j) in jobs.iter().enumerate() {
        by_year.entry(j.dates.0.year()).or_default().push(i);
    }
    let mut numbers = vec![(0, String::new()); jobs.len()];
    for (year, at) in by_year {
        let taken = sequence::take_many(&**w, "INV", year, at.len()).await?;
        for (i, number) in at.into_iter().zip(taken) {
            numbers[i] = number;
        }
    }
    Ok(numbers)
}

/// The 409 for invoice `id` that is no longer a draft, naming what became of it (`doing`:
/// what was refused, "edited").
pub(super) async fn not_a_draft(db: &impl ConnectionTrait, id: i64, doing: &str) -> AppError {
    let now = match super::read::find(db, id).await {
        Ok(now) => now,
        Err(e) => return e,
    };
    AppError::Conflict(format!(
        "{} is {}; an issued invoice cannot be {doing} — correct it with a credit note",
        now.number.as_deref().unwrap_or("the invoice"),
        now.status.label().to_lowercase()
    ))
}
