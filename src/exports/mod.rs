//! Exports: every report, and the order, invoice and stock movement lists, written in the
//! filters on screen as CSV (and, as they arrive, XLSX and PDF). An export runs in the
//! background (`jobs`) while the page shows its progress, then downloads as a file.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use crate::auth::guard::Ctx;
use crate::choice::Choice;
use crate::error::AppError;

#[cfg(feature = "server")]
pub mod csv_file;
#[cfg(feature = "server")]
pub mod formula;
#[cfg(feature = "server")]
pub mod jobs;
#[cfg(feature = "server")]
pub mod pdf_file;
#[cfg(feature = "server")]
pub mod source;
#[cfg(feature = "server")]
pub mod table;
pub mod view;
#[cfg(feature = "server")]
pub mod xlsx_file;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Pdf,
}

impl Choice for ExportFormat {
    const ALL: &'static [Self] = &[Self::Csv, Self::Xlsx, Self::Pdf];

    fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Xlsx => "Excel",
            Self::Pdf => "PDF",
        }
    }
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pdf => "application/pdf",
        }
    }
}

/// What is exported: a report or a list, read with its page's URL query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportWhat {
    SalesReport,
    PaymentsReport,
    OrdersReport,
    StockReport,
    Orders,
    Invoices,
    /// One product's stock movements (`product=ID`).
    Movements,
    /// The audit trail (administrators).
    Audit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "message", rename_all = "snake_case")]
pub enum ExportState {
    Running,
    Done,
    Failed(String),
}

/// How far an export has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportStatus {
    pub id: String,
    pub file_name: String,
    pub written: u64,
    pub total: u64,
    pub state: ExportState,
}

impl ExportStatus {
    /// Where the finished file downloads from.
    pub fn url(&self) -> String {
        format!("/api/exports/{}/file", self.id)
    }
}

/// Starts exporting `what` as `format`, in the filters of `query` (the page's URL query).
#[post("/api/exports/start", ctx: Ctx)]
pub async fn start_export(
    what: ExportWhat,
    format: ExportFormat,
    query: String,
) -> Result<ExportStatus, AppError> {
    let state = &ctx.state;
    let (user, prepared) = match what {
        ExportWhat::SalesReport => (
            ctx.require(crate::reports::SALES)?,
            crate::reports::sales_export::prepare(state, &query).await?,
        ),
        ExportWhat::PaymentsReport => (
            ctx.require(crate::reports::PAYMENTS)?,
            crate::reports::payments_export::prepare(state, &query).await?,
        ),
        ExportWhat::OrdersReport => (
            ctx.require(crate::reports::ORDERS)?,
            crate::reports::orders_export::prepare(state, &query).await?,
        ),
        ExportWhat::StockReport => (
            ctx.require(crate::reports::STOCK)?,
            crate::reports::stock_export::prepare(state, &query).await?,
        ),
        ExportWhat::Orders => (
            ctx.require(crate::orders::READ)?,
            crate::orders::export::prepare(state, &query).await?,
        ),
        ExportWhat::Invoices => (
            ctx.require(crate::invoices::READ)?,
            crate::invoices::export::prepare(state, &query).await?,
        ),
        ExportWhat::Movements => (
            ctx.require(crate::stock::READ)?,
            crate::stock::export::prepare(state, &query).await?,
        ),
        ExportWhat::Audit => (
            ctx.require(crate::audit::READ)?,
            crate::audit::export::prepare(state, &query).await?,
        ),
    };
    state.exports.start(user.id, format, prepared)
}

#[get("/api/exports/status?id", ctx: Ctx)]
pub async fn export_status(id: String) -> Result<ExportStatus, AppError> {
    let user = ctx.require(crate::auth::Access::SignedIn)?;
    ctx.state.exports.status(user.id, &id)
}

/// `GET /api/exports/{id}/file`: a finished export, to the user who made it.
#[cfg(feature = "server")]
pub async fn file(
    ctx: Ctx,
    dioxus::server::axum::extract::Path(id): dioxus::server::axum::extract::Path<String>,
) -> Result<dioxus::server::axum::response::Response, AppError> {
    use dioxus::server::axum::http::header;
    use dioxus::server::axum::response::IntoResponse;
    let user = ctx.require(crate::auth::Access::SignedIn)?;
    let (name, content_type, path) = ctx.state.exports.file(user.id, &id)?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| AppError::internal("export file", e))?;
    // Streamed from disk: a large export never sits in memory.
    let body =
        dioxus::server::axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
