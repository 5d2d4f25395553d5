//! Invoices, credit notes and payments (ARCHITECTURE.md, "Invoices"): an invoice is made from
//! one order's quantities not yet invoiced, edited while a draft, issued with a gapless
//! `INV-YYYY-NNNNN` number and a frozen PDF, then settled by payments and corrected only by
//! credit notes (`CN-YYYY-NNNNN`). Its status follows from those (`status`), and overdue is
//! decided when read, on the business's calendar.

use chrono::{DateTime, NaiveDate, Utc};
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;
use crate::money::Money;

#[cfg(feature = "server")]
pub mod aging;
pub mod aging_view;
#[cfg(feature = "server")]
pub mod demo;
pub mod detail_view;
#[cfg(feature = "server")]
pub mod document;
#[cfg(feature = "server")]
pub mod export;
#[cfg(feature = "server")]
pub mod issuing;
#[cfg(feature = "server")]
pub mod list;
pub mod list_view;
pub mod order_view;
#[cfg(feature = "server")]
pub mod pdf;
mod query;
#[cfg(feature = "server")]
pub mod read;
pub mod rules;
#[cfg(feature = "server")]
pub mod send;
#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod settle;
pub mod settle_view;
mod status;

pub use query::{InvoiceFilter, InvoiceQuery, PAGE_SIZE};
pub use status::{InvoicePolicy, InvoiceStatus, PaymentMethod, is_overdue};

/// What this module runs and seeds on the server (`server::modules`).
#[cfg(feature = "server")]
pub const MODULE: crate::server::modules::Module = crate::server::modules::Module {
    name: "invoices",
    background: None,
    demo: Some(|state, actor| Box::pin(demo::seed(state, actor))),
};

/// The record kind this module's audit events are about.
pub const ENTITY: &str = "invoice";

/// Sales reads invoices; accounting (and admin) makes, issues, credits, records payments
/// and sends them. The warehouse has no access.
pub const READ: Access = Access::Roles(&[Role::Sales, Role::Accounting]);
pub const WRITE: Access = Access::Roles(&[Role::Accounting]);

/// One invoice line as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub id: i64,
    pub order_line_id: i64,
    pub description: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub discount: Money,
    pub tax_rate_bp: i64,
    pub net: Money,
    pub tax: Money,
    /// Taken back by credit notes so far.
    pub credited: i64,
}

/// The tax of one rate on a document: its net and its tax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxRow {
    pub rate_bp: i64,
    pub net: Money,
    pub tax: Money,
}

/// A credit note as the invoice page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteRow {
    pub id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
    pub reason: String,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub id: i64,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub method: PaymentMethod,
    pub reference: String,
    /// Who recorded it (display name).
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    /// `None` while a draft.
    pub number: Option<String>,
    pub order_id: i64,
    pub order_number: String,
    pub client_id: i64,
    pub client_name: String,
    /// Where "Send" goes by default.
    pub client_email: Option<String>,
    /// The client's payment terms: the due date a draft is issued with by default.
    pub payment_terms_days: i32,
    pub status: InvoiceStatus,
    pub overdue: bool,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub notes: String,
    pub lines: Vec<InvoiceLine>,
    pub tax_summary: Vec<TaxRow>,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
    pub paid: Money,
    pub credited: Money,
    /// Still due; negative when a credit is owed back to the client.
    pub balance: Money,
    pub credit_notes: Vec<CreditNoteRow>,
    pub payments: Vec<PaymentRow>,
    /// The mails it was sent in, newest first: how each went.
    pub mails: Vec<crate::outbox::OutboxMail>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One row of the invoice list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: i64,
    pub number: Option<String>,
    pub order_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub status: InvoiceStatus,
    pub overdue: bool,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub total: Money,
    pub balance: Money,
}

/// One page of the invoice list.
pub type InvoicePage = crate::paging::Page<InvoiceRow>;

/// How much of an order is on invoices (drafts included, less what credit notes took back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    NotInvoiced,
    Partially,
    Fully,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotInvoiced => "Not invoiced",
            Self::Partially => "Partially invoiced",
            Self::Fully => "Fully invoiced",
        }
    }
}

/// An order's invoicing, for its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderInvoicing {
    pub progress: Progress,
    /// Units that a new invoice would take now, under the business's policy.
    pub invoiceable: i64,
    pub policy: InvoicePolicy,
    pub invoices: Vec<InvoiceRow>,
}

/// A client's invoices, for the client page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientInvoicing {
    /// Σ balance of its open invoices, and the part past due.
    pub balance: Money,
    pub overdue: Money,
    /// The newest, up to `CLIENT_ROWS`.
    pub invoices: Vec<InvoiceRow>,
}

/// Invoices the client page shows.
pub const CLIENT_ROWS: u64 = 20;

/// One line of a draft as edited: a quantity up to what it has; 0 or empty removes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftLine {
    pub id: i64,
    pub quantity: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftForm {
    pub notes: String,
    pub lines: Vec<DraftLine>,
}

/// Issuing a draft: both dates `YYYY-MM-DD`; an empty issue date is today, an empty due
/// date the issue date plus the client's payment terms.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IssueForm {
    pub issue_date: String,
    pub due_date: String,
}

/// How much of one invoice line a credit note takes back; empty or 0 for none.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditLine {
    pub invoice_line_id: i64,
    pub quantity: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditForm {
    pub reason: String,
    /// Every line, all that is left of it: the whole invoice.
    pub full: bool,
    pub lines: Vec<CreditLine>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentForm {
    pub amount: String,
    /// `YYYY-MM-DD`; empty for today.
    pub paid_on: String,
    pub method: PaymentMethod,
    pub reference: String,
    /// Made by the browser for this one payment: sent twice, it is recorded once.
    pub request_key: Option<String>,
}

pub use crate::outbox::compose::SendForm;

/// One client's receivables in an aging report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgingRow {
    pub client_id: i64,
    pub client_name: String,
    /// Not yet due, then 1–30, 31–60, 61–90 and over 90 days past due.
    pub buckets: [Money; 5],
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aging {
    pub as_of: NaiveDate,
    pub rows: Vec<AgingRow>,
    pub totals: [Money; 5],
    pub total: Money,
}

/// The aging buckets' names, in order.
pub const BUCKETS: [&str; 5] = ["Current", "1–30", "31–60", "61–90", "Over 90"];

#[get("/api/invoices/?{query}", ctx: Ctx)]
pub async fn list_invoices(query: InvoiceQuery) -> Result<InvoicePage, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    list::page(&ctx.state.db, today, &query).await
}

/// What is still due on the invoices `query` lists (all its pages).
#[get("/api/invoices/outstanding?{query}", ctx: Ctx)]
pub async fn invoices_outstanding(query: InvoiceQuery) -> Result<Money, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    list::outstanding(&ctx.state.db, today, &query).await
}

#[get("/api/invoices/{id}", ctx: Ctx)]
pub async fn get_invoice(id: i64) -> Result<Invoice, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    read::get(&ctx.state.db, today, id).await
}

/// The invoice's timeline, from the audit trail.
#[get("/api/invoices/{id}/history", ctx: Ctx)]
pub async fn invoice_history(id: i64) -> Result<Vec<crate::audit::AuditEvent>, AppError> {
    ctx.require(READ)?;
    crate::audit::service::for_entity(&ctx.state.db, ENTITY, id).await
}

#[get("/api/invoices/of-order/{order_id}", ctx: Ctx)]
pub async fn order_invoicing(order_id: i64) -> Result<OrderInvoicing, AppError> {
    ctx.require(READ)?;
    read::of_order(&ctx.state, order_id).await
}

#[get("/api/invoices/of-client/{client_id}", ctx: Ctx)]
pub async fn client_invoicing(client_id: i64) -> Result<ClientInvoicing, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    read::of_client(&ctx.state.db, today, client_id).await
}

/// The day an aging report is as of.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AgingQuery {
    /// `YYYY-MM-DD`; empty for today.
    pub as_of: String,
}

/// Receivables by client as of a day.
#[get("/api/invoices/aging?{query}", ctx: Ctx)]
pub async fn invoice_aging(query: AgingQuery) -> Result<Aging, AppError> {
    ctx.require(READ)?;
    let today = ctx.state.config.business.zone.today();
    aging::report(&ctx.state.db, today, &query.as_of).await
}

/// A draft of what order `order_id` has left to invoice.
#[post("/api/invoices/create", ctx: Ctx)]
pub async fn create_invoice(order_id: i64) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    let id = service::create(&ctx.state, user.actor(), order_id).await?;
    get_one(&ctx, id).await
}

#[post("/api/invoices/update", ctx: Ctx)]
pub async fn update_invoice(id: i64, form: DraftForm) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    service::update(&ctx.state.db, user.actor(), id, form).await?;
    get_one(&ctx, id).await
}

/// Deletes a draft; what it held can be invoiced again.
#[post("/api/invoices/delete", ctx: Ctx)]
pub async fn delete_invoice(id: i64) -> Result<(), AppError> {
    let user = ctx.require(WRITE)?;
    service::delete(&ctx.state.db, user.actor(), id).await
}

#[post("/api/invoices/issue", ctx: Ctx)]
pub async fn issue_invoice(id: i64, form: IssueForm) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    service::issue(&ctx.state, user.actor(), id, form).await
}

#[post("/api/invoices/credit", ctx: Ctx)]
pub async fn credit_invoice(id: i64, form: CreditForm) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    settle::credit(&ctx.state, user.actor(), id, form).await?;
    get_one(&ctx, id).await
}

#[post("/api/invoices/pay", ctx: Ctx)]
pub async fn record_payment(id: i64, form: PaymentForm) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    let today = ctx.state.config.business.zone.today();
    settle::pay(&ctx.state.db, today, user.actor(), id, form).await?;
    get_one(&ctx, id).await
}

/// Deletes payment `payment_id` (a mistake); the invoice owes it again. An audit event.
#[post("/api/invoices/delete-payment", ctx: Ctx)]
pub async fn delete_payment(payment_id: i64) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    let id = settle::delete_payment(&ctx.state.db, user.actor(), payment_id).await?;
    get_one(&ctx, id).await
}

/// Queues the invoice's PDF to `form.to`; it is sent once the change has committed.
#[post("/api/invoices/send", ctx: Ctx)]
pub async fn send_invoice(id: i64, form: SendForm) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    send::send(&ctx.state, user.actor(), id, form).await?;
    get_one(&ctx, id).await
}

/// Sends a failed mail of this invoice again.
#[post("/api/invoices/resend", ctx: Ctx)]
pub async fn resend_invoice(id: i64, mail_id: i64) -> Result<Invoice, AppError> {
    let user = ctx.require(WRITE)?;
    send::resend(&ctx.state.db, user.actor(), id, mail_id).await?;
    get_one(&ctx, id).await
}

#[cfg(feature = "server")]
async fn get_one(ctx: &Ctx, id: i64) -> Result<Invoice, AppError> {
    let today = ctx.state.config.business.zone.today();
    read::get(&ctx.state.db, today, id).await
}

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Invoices",
    icon: "€",
    to: || crate::app::Route::InvoiceList {
        query: InvoiceQuery::default(),
    },
    access: READ,
    badge: None,
};
