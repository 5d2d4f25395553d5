//! Reports: figures over a period of the business's calendar, with their filters in the URL,
//! a table, an SVG chart and totals. Each report states who may open it; the reports page
//! lists those a role may.

use chrono::NaiveDate;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::auth::{Access, Role};
use crate::error::AppError;
use crate::money::Money;

pub mod chart;
pub mod filters_view;
pub mod index_view;
#[cfg(feature = "server")]
pub mod kept;
#[cfg(feature = "server")]
pub mod local_day;
#[cfg(feature = "server")]
pub mod orders;
#[cfg(feature = "server")]
pub mod orders_export;
pub mod orders_view;
#[cfg(feature = "server")]
pub mod payments;
#[cfg(feature = "server")]
pub mod payments_export;
pub mod payments_view;
pub mod period;
pub mod query;
#[cfg(feature = "server")]
pub mod sales;
#[cfg(feature = "server")]
pub mod sales_detail;
#[cfg(feature = "server")]
pub mod sales_export;
pub mod sales_view;
#[cfg(feature = "server")]
pub mod stock;
#[cfg(feature = "server")]
pub mod stock_export;
pub mod stock_view;
#[cfg(feature = "server")]
pub mod summary;

pub use period::Grouping;
pub use query::ReportQuery;

/// Sales: accounting and sales (and admin).
pub const SALES: Access = Access::Roles(&[Role::Sales, Role::Accounting]);
/// Orders and deliveries: sales and accounting (and admin).
pub const ORDERS: Access = Access::Roles(&[Role::Sales, Role::Accounting]);
/// Stock: the warehouse and accounting (and admin).
pub const STOCK: Access = Access::Roles(&[Role::Warehouse, Role::Accounting]);
/// Payments and receivables: accounting (and admin).
pub const PAYMENTS: Access = Access::Roles(&[Role::Accounting]);

/// Clients and products ranked beside a report's periods: the first this many.
pub const RANKED: usize = 10;

/// One period of the sales report (or its totals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesRow {
    /// `2026-12`, `2026-W49`, `2026-12-03`, or `Total`.
    pub label: String,
    /// The period's first day.
    pub start: NaiveDate,
    /// Net invoiced (issued invoices, by issue date).
    pub invoiced: Money,
    /// Net credited (credit notes, by their issue date).
    pub credited: Money,
    /// Net sales: invoiced less credited.
    pub net: Money,
    pub tax: Money,
    pub total: Money,
    /// Orders booked (confirmed and not cancelled), by the day they were entered.
    pub orders: i64,
    pub booked: Money,
}

/// A client or product by net sales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedRow {
    pub id: i64,
    pub name: String,
    /// Units invoiced less credited (products only).
    pub quantity: i64,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
}

/// The first clients or products by net sales, and how many had any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub count: usize,
    pub rows: Vec<RankedRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Grouping,
    /// The chosen client's and product's names.
    pub client: Option<String>,
    pub product: Option<String>,
    pub rows: Vec<SalesRow>,
    pub totals: SalesRow,
    pub clients: Ranked,
    pub products: Ranked,
}

/// One period of payments received (or their totals): the amount by method, in the order of
/// `PaymentsReport::methods`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentsRow {
    pub label: String,
    pub start: NaiveDate,
    pub by_method: Vec<Money>,
    /// How many payments.
    pub count: i64,
    pub total: Money,
}

/// A client with something past due on the aging's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueClient {
    pub id: i64,
    pub name: String,
    /// Past due, in any bucket after "current".
    pub overdue: Money,
    pub over_90: Money,
    /// Everything it owed, due or not.
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentsReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Grouping,
    pub client: Option<String>,
    pub methods: Vec<crate::invoices::PaymentMethod>,
    pub rows: Vec<PaymentsRow>,
    pub totals: PaymentsRow,
    /// The aging's day: the period's last.
    pub as_of: NaiveDate,
    /// What was owed on it by bucket (`invoices::BUCKETS`), and in all.
    pub buckets: [Money; 5],
    pub outstanding: Money,
    pub overdue: Vec<OverdueClient>,
}

/// One period of the orders report (or its totals): orders entered, and deliveries
/// scheduled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrdersRow {
    pub label: String,
    pub start: NaiveDate,
    /// Orders entered, and their value (drafts and cancelled ones included).
    pub orders: i64,
    pub value: Money,
    /// Of them, delivered in full, and cancelled.
    pub delivered: i64,
    pub cancelled: i64,
    /// Average days from confirmation to the last delivery, over the delivered ones.
    pub lead_days: Option<f64>,
    /// Deliveries scheduled in the period (not cancelled), and how many of them were late.
    pub deliveries: i64,
    pub late: i64,
}

/// Orders of one status or priority: how many, and their value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub label: String,
    /// The list filter's value (`confirmed`, `high`).
    pub key: String,
    pub orders: i64,
    pub value: Money,
}

/// A delivery that was late: delivered after its scheduled day, or still open after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateDelivery {
    pub id: i64,
    pub number: String,
    pub client: String,
    pub scheduled: NaiveDate,
    /// The business day it was delivered; none while open.
    pub delivered: Option<NaiveDate>,
    pub days_late: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrdersReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Grouping,
    pub client: Option<String>,
    pub product: Option<String>,
    pub status: Option<crate::orders::OrderStatus>,
    pub rows: Vec<OrdersRow>,
    pub totals: OrdersRow,
    pub by_status: Vec<Breakdown>,
    pub by_priority: Vec<Breakdown>,
    /// The latest late deliveries of the period, up to `RANKED`.
    pub late: Vec<LateDelivery>,
    /// As of today, whatever the period: orders open (confirmed or partially delivered) and
    /// their value; open deliveries due today, and late.
    pub today: NaiveDate,
    pub open_orders: i64,
    pub open_value: Money,
    pub due_today: i64,
    pub late_now: i64,
}

#[get("/api/reports/orders?{query}", ctx: Ctx)]
pub async fn orders_report(query: ReportQuery) -> Result<OrdersReport, AppError> {
    ctx.require(ORDERS)?;
    let zone = &ctx.state.config.business.zone;
    orders::report(&ctx.state.db, zone, zone.today(), &query).await
}

/// One period of the stock report (or its totals): the quantities moved, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockRow {
    pub label: String,
    pub start: NaiveDate,
    /// Units received, shipped (as a positive number), and adjusted (signed).
    pub received: i64,
    pub shipped: i64,
    pub adjusted: i64,
    /// Units reserved for orders, and released from them.
    pub reserved: i64,
    pub released: i64,
    /// How many movements.
    pub movements: i64,
}

/// A product in the stock report: its stock now and what it is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockLine {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub reorder_level: i64,
    /// On hand at the unit price, and at the last receipt's cost (none without one).
    pub at_price: Money,
    pub at_cost: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Grouping,
    pub product: Option<String>,
    pub rows: Vec<StockRow>,
    pub totals: StockRow,
    /// Now, over the active products (or the chosen one).
    pub products: i64,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub at_price: Money,
    pub at_cost: Money,
    /// Products with stock but no receipt cost: left out of `at_cost`.
    pub uncosted: i64,
    /// Products at or below their reorder level: how many, and the first `LOW_SHOWN` of
    /// them, least available first.
    pub low_count: i64,
    pub low: Vec<StockLine>,
    /// The products worth most at their unit price, up to `RANKED`.
    pub top: Vec<StockLine>,
}

/// How many low products the stock report lists (the stock list has them all).
pub const LOW_SHOWN: usize = 25;

#[get("/api/reports/stock?{query}", ctx: Ctx)]
pub async fn stock_report(query: ReportQuery) -> Result<StockReport, AppError> {
    ctx.require(STOCK)?;
    let zone = &ctx.state.config.business.zone;
    stock::report(&ctx.state.db, zone, zone.today(), &query).await
}

#[get("/api/reports/payments?{query}", ctx: Ctx)]
pub async fn payments_report(query: ReportQuery) -> Result<PaymentsReport, AppError> {
    ctx.require(PAYMENTS)?;
    let today = ctx.state.config.business.zone.today();
    payments::report(&ctx.state.db, today, &query).await
}

#[get("/api/reports/sales?{query}", ctx: Ctx)]
pub async fn sales_report(query: ReportQuery) -> Result<SalesReport, AppError> {
    ctx.require(SALES)?;
    let zone = &ctx.state.config.business.zone;
    sales::report(&ctx.state.db, zone, zone.today(), &query).await
}

/// Who may open the reports page: anyone who may open one of its reports.
pub const READ: Access = Access::Roles(&[Role::Sales, Role::Accounting, Role::Warehouse]);

/// This module's entry in the navigation.
pub const NAV: crate::app::NavItem = crate::app::NavItem {
    label: "Reports",
    icon: "▤",
    to: || crate::app::Route::Reports {},
    access: READ,
    badge: None,
};
