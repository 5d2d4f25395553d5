//! An order as the client receives it: a draft as a quotation (valid until the order's date,
//! or `QUOTE_DAYS` from today), a confirmed order as an order confirmation. Both are the
//! invoice's document (`invoices::document`) drawn by the invoice's code (`invoices::pdf`),
//! made afresh on each request so a quotation follows its draft; and both are mailed through
//! the outbox, with the order, once the audit event commits.
//!
//! `GET /api/orders/{id}/quotation.pdf`, `GET /api/orders/{id}/confirmation.pdf`.

use chrono::Duration;
use dioxus::server::axum::extract::Path;
use dioxus::server::axum::response::Response;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::check::products_by_id;
use super::store::{find, lines_of};
use super::{ENTITY, Paper, QUOTE_DAYS, READ};
use crate::audit::{Actor, Event};
use crate::auth::guard::Ctx;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::invoices::document::{self, DocLine, Document, Kind};
use crate::money::Money;
use crate::outbox::Mail;
use crate::outbox::compose::{SendForm, read_send};
use crate::server::AppState;
use crate::server::entities::{client, order, outbox_mail};
use crate::server::write::Write;

const QUOTATION_SENT: Event = Event::new(ENTITY, "order.quotation_sent");
const CONFIRMATION_SENT: Event = Event::new(ENTITY, "order.confirmation_sent");
const RESENT: Event = Event::new(ENTITY, "order.mail_resent");

/// A 409 unless order `m` can go out as `paper` now.
fn check_paper(m: &order::Model, paper: Paper) -> AppResult<()> {
    match Paper::of(m.status) {
        Some(p) if p == paper => Ok(()),
        Some(p) => Err(AppError::Conflict(format!(
            "{} is {}: it goes to the client as an {}, not a {}",
            m.number,
            m.status.label().to_lowercase(),
            p.title().to_lowercase(),
            paper.title().to_lowercase()
        ))),
        None => Err(AppError::Conflict(format!(
            "{} is cancelled; there is nothing to send",
            m.number
        ))),
    }
}

/// Order `id` as `paper`, dated today; a 409 when the order is not (or no longer) that.
pub async fn document(state: &AppState, id: i64, paper: Paper) -> AppResult<Document> {
    let db = &state.db;
    let m = find(db, id).await?;
    check_paper(&m, paper)?;
    let client = client::Entity::find_by_id(m.client_id)
        .one(db)
        .await
        .or_internal("orders")?
        .ok_or_else(|| AppError::internal("orders", "an order without its client"))?;
    let lines = lines_of(db, id).await?;
    let products = products_by_id(db, lines.iter().map(|l| l.product_id)).await?;
    let lines: Vec<DocLine> = lines
        .iter()
        .map(|l| DocLine {
            description: l.description.clone(),
            quantity: l.quantity,
            unit: products
                .get(&l.product_id)
                .map(|p| p.unit.clone())
                .unwrap_or_default(),
            unit_price: Money(l.unit_price),
            discount: Money(l.discount),
            tax_rate_bp: l.tax_rate_bp.into(),
            net: Money(l.net),
            tax: Money(l.tax),
        })
        .collect();
    let today = state.config.business.zone.today();
    let kind = match paper {
        Paper::Quotation => Kind::Quotation {
            valid_until: m.valid_until.unwrap_or(today + Duration::days(QUOTE_DAYS)),
        },
        Paper::Confirmation => Kind::Confirmation {
            requested_date: m.requested_date,
        },
    };
    Ok(Document {
        kind,
        number: m.number.clone(),
        issue_date: today,
        currency: state.config.business.currency.clone(),
        seller: state.config.company.clone(),
        buyer: document::buyer(&client),
        ship_to: m.delivery_address.clone(),
        order_number: m.number.clone(),
        client_reference: m.client_reference.clone(),
        tax_summary: document::summary_of(&lines),
        lines,
        net: Money(m.net),
        tax: Money(m.tax),
        total: Money(m.total),
        paid: Money::ZERO,
        balance: Money(m.total),
        notes: m.notes,
    })
}

/// The file name a paper goes by: `Quotation SO-2026-00042`.
fn file_name(paper: Paper, number: &str) -> String {
    format!("{} {number}", paper.title())
}

async fn pdf(ctx: Ctx, id: i64, paper: Paper) -> Result<Response, AppError> {
    ctx.require(READ)?;
    let doc = document(&ctx.state, id, paper).await?;
    let name = file_name(paper, &doc.number);
    let bytes = crate::invoices::pdf::draw(doc).await?;
    Ok(crate::invoices::pdf::pdf_response(&name, bytes, false))
}

/// `GET /api/orders/{id}/quotation.pdf`
pub async fn quotation_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    pdf(ctx, id, Paper::Quotation).await
}

/// `GET /api/orders/{id}/confirmation.pdf`
pub async fn confirmation_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    pdf(ctx, id, Paper::Confirmation).await
}

/// Queues order `id` as `paper`, with its PDF, to `form.to`. The status is checked again in
/// the write, so an order confirmed meanwhile is not sent out as a quotation.
pub async fn send(
    state: &AppState,
    actor: Actor,
    id: i64,
    paper: Paper,
    form: SendForm,
) -> AppResult<()> {
    read_send(&form).map_err(AppError::fields)?;
    let doc = document(state, id, paper).await?;
    let number = doc.number.clone();
    let bytes = crate::invoices::pdf::draw(doc).await?;
    let mut w = Write::begin(&state.db, actor).await?;
    check_paper(&find(&*w, id).await?, paper)?;
    let to = form.to.trim().to_string();
    w.mail(Mail {
        order_id: Some(id),
        ..Mail::with_pdf(form, format!("{}.pdf", file_name(paper, &number)), bytes)
    });
    let event = match paper {
        Paper::Quotation => QUOTATION_SENT,
        Paper::Confirmation => CONFIRMATION_SENT,
    };
    w.record(event, id, format!("{number} to {to}"));
    w.commit().await
}

/// Sends order `id`'s failed mail `mail_id` again.
pub async fn resend(db: &DatabaseConnection, actor: Actor, id: i64, mail_id: i64) -> AppResult<()> {
    let about = (outbox_mail::Column::OrderId, id);
    crate::outbox::service::resend_for(db, actor, about, mail_id, RESENT).await
}
