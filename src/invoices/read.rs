//! Reading invoices for pages: one with its lines, tax summary, credit notes, payments and
//! mails; an order's invoicing; a client's invoices and balance. Overdue is decided here, on
//! the business's `today`.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::document::tax_summary;
use super::{
    CLIENT_ROWS, ClientInvoicing, CreditNoteRow, Invoice, InvoiceLine, InvoiceRow, OrderInvoicing,
    PaymentRow, Progress, is_overdue,
};
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::{LineAmounts, Money};
use crate::orders::OrderStatus;
use crate::server::AppState;
use crate::server::entities::{
    client, credit_note, invoice, invoice_line, order, order_line, outbox_mail, payment,
};
use crate::users::service::display_names;

/// `SUM(expr)` as a BIGINT: PostgreSQL sums bigints as numeric.
pub fn sum(expr: Expr) -> Expr {
    expr.sum().cast_as(Alias::new("BIGINT"))
}

/// The open invoices' condition, written out as the partial indexes of migration 10 name it
/// (a bound value would keep either database from using them).
pub fn open() -> Expr {
    Expr::cust(OPEN_SQL)
}

pub const OPEN_SQL: &str = "status IN ('issued', 'partially_paid')";

/// The open invoices, for a sum of what is due: with the (always true) due date condition,
/// SQLite reads them from the partial index that holds every column such a sum needs,
/// rather than each row by its status.
pub fn open_for_sums() -> Expr {
    open().and(Expr::col((invoice::Entity, invoice::Column::DueDate)).is_not_null())
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<invoice::Model> {
    invoice::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("invoices")?
        .ok_or_else(|| AppError::NotFound(format!("invoice {id}")))
}

/// A list row of `m`, its client named from `names`.
pub fn row(m: invoice::Model, names: &HashMap<i64, String>, today: NaiveDate) -> InvoiceRow {
    InvoiceRow {
        id: m.id,
        overdue: is_overdue(m.status, m.due_date, today),
        client_name: names.get(&m.client_id).cloned().unwrap_or_default(),
        number: m.number,
        order_id: m.order_id,
        client_id: m.client_id,
        status: m.status,
        issue_date: m.issue_date,
        due_date: m.due_date,
        total: Money(m.total),
        balance: Money(m.balance),
    }
}

/// List rows of `models`, their clients named in one query.
pub async fn rows(
    db: &DatabaseConnection,
    models: Vec<invoice::Model>,
    today: NaiveDate,
) -> AppResult<Vec<InvoiceRow>> {
    let names = crate::clients::service::names(db, models.iter().map(|m| m.client_id)).await?;
    Ok(models.into_iter().map(|m| row(m, &names, today)).collect())
}

/// The invoice list's columns: everything but the stored document and PDF.
pub fn without_documents() -> sea_orm::Select<invoice::Entity> {
    use invoice::Column as I;
    invoice::Entity::find()
        .select_only()
        .columns([
            I::Id,
            I::Number,
            I::Seq,
            I::OrderId,
            I::ClientId,
            I::Status,
            I::IssueDate,
            I::DueDate,
            I::Notes,
            I::Net,
            I::Tax,
            I::Total,
            I::Paid,
            I::Credited,
            I::Balance,
            I::SettledOn,
            I::CreatedBy,
            I::IssuedBy,
            I::CreatedAt,
            I::UpdatedAt,
            I::IssuedAt,
        ])
        .column_as(Expr::value(Option::<String>::None), "document")
        .column_as(Expr::value(Option::<Vec<u8>>::None), "pdf")
        .column_as(Expr::value(Option::<String>::None), "pdf_sha256")
}

pub async fn get(db: &DatabaseConnection, today: NaiveDate, id: i64) -> AppResult<Invoice> {
    let m = without_documents()
        .filter(invoice::Column::Id.eq(id))
        .one(db)
        .await
        .or_internal("invoices")?
        .ok_or_else(|| AppError::NotFound(format!("invoice {id}")))?;
    let order = super::document::order_of(db, m.order_id).await?;
    let client = client::Entity::find_by_id(m.client_id)
        .one(db)
        .await
        .or_internal("invoices")?
        .ok_or_else(|| AppError::internal("invoices", "an invoice without its client"))?;
    let lines = super::service::lines_of(db, id).await?;
    let notes = credit_note::Entity::find()
        .select_only()
        .columns([
            credit_note::Column::Id,
            credit_note::Column::Number,
            credit_note::Column::IssueDate,
            credit_note::Column::Reason,
            credit_note::Column::Total,
        ])
        .filter(credit_note::Column::InvoiceId.eq(id))
        .order_by_asc(credit_note::Column::Id)
        .into_tuple::<(i64, String, NaiveDate, String, i64)>()
        .all(db)
        .await
        .or_internal("invoices")?
        .into_iter()
        .map(|(id, number, issue_date, reason, total)| CreditNoteRow {
            id,
            number,
            issue_date,
            reason,
            total: Money(total),
        })
        .collect();
    // Payments are above zero (a CHECK): nothing paid means none to read.
    let payments = match m.paid {
        0 => Vec::new(),
        _ => payment::Entity::find()
            .filter(payment::Column::InvoiceId.eq(id))
            .order_by_asc(payment::Column::PaidOn)
            .order_by_asc(payment::Column::Id)
            .all(db)
            .await
            .or_internal("invoices")?,
    };
    let mails = crate::outbox::service::sent_for(db, outbox_mail::Column::InvoiceId, id).await?;
    let people = payments.iter().map(|p| p.created_by).chain([m.created_by]);
    let names = display_names(db, people).await?;
    let payments = payments
        .into_iter()
        .map(|p| PaymentRow {
            id: p.id,
            amount: Money(p.amount),
            paid_on: p.paid_on,
            method: p.method,
            reference: p.reference,
            recorded_by: names.get(&p.created_by).cloned().unwrap_or_default(),
        })
        .collect();
    let settled = Settled {
        credit_notes: notes,
        payments,
        mails,
    };
    let made_by = names.get(&m.created_by).cloned();
    Ok(assemble(
        m,
        today,
        order.number,
        client,
        lines,
        settled,
        made_by,
    ))
}

/// What has happened to an issued invoice since: its credit notes, payments and mails.
#[derive(Default)]
pub struct Settled {
    pub credit_notes: Vec<CreditNoteRow>,
    pub payments: Vec<PaymentRow>,
    pub mails: Vec<crate::outbox::OutboxMail>,
}

/// An invoice as pages show it, from its row and what goes with it.
pub fn assemble(
    m: invoice::Model,
    today: NaiveDate,
    order_number: String,
    client: client::Model,
    lines: Vec<invoice_line::Model>,
    settled: Settled,
    created_by: Option<String>,
) -> Invoice {
    let amounts: Vec<(i64, LineAmounts)> = lines
        .iter()
        .map(|l| {
            let a = LineAmounts {
                net: Money(l.net),
                tax: Money(l.tax),
            };
            (l.tax_rate_bp.into(), a)
        })
        .collect();
    Invoice {
        id: m.id,
        number: m.number,
        order_id: m.order_id,
        order_number,
        client_id: m.client_id,
        client_name: client.name,
        client_email: client.email,
        payment_terms_days: client.payment_terms_days,
        status: m.status,
        overdue: is_overdue(m.status, m.due_date, today),
        issue_date: m.issue_date,
        due_date: m.due_date,
        notes: m.notes,
        tax_summary: tax_summary(amounts.iter().map(|(r, a)| (*r, a))),
        lines: lines.into_iter().map(line).collect(),
        net: Money(m.net),
        tax: Money(m.tax),
        total: Money(m.total),
        paid: Money(m.paid),
        credited: Money(m.credited),
        balance: Money(m.balance),
        credit_notes: settled.credit_notes,
        payments: settled.payments,
        mails: settled.mails,
        created_by,
        created_at: m.created_at,
    }
}

fn line(l: invoice_line::Model) -> InvoiceLine {
    InvoiceLine {
        id: l.id,
        order_line_id: l.order_line_id,
        description: l.description,
        unit: l.unit,
        quantity: l.quantity,
        unit_price: Money(l.unit_price),
        discount: Money(l.discount),
        tax_rate_bp: l.tax_rate_bp.into(),
        net: Money(l.net),
        tax: Money(l.tax),
        credited: l.credited,
    }
}

/// Order `order_id`'s invoices and how much of it they cover.
pub async fn of_order(state: &AppState, order_id: i64) -> AppResult<OrderInvoicing> {
    let db = &state.db;
    let today = state.config.business.zone.today();
    let policy = state.config.invoice_policy;
    let order = order::Entity::find_by_id(order_id)
        .one(db)
        .await
        .or_internal("invoices")?
        .ok_or_else(|| AppError::NotFound(format!("order {order_id}")))?;
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .all(db)
        .await
        .or_internal("invoices")?;
    let invoiced: i64 = lines.iter().map(|l| l.invoiced).sum();
    // Everything the order will ever invoice: what it delivered once cancelled.
    let cancelled = order.status == OrderStatus::Cancelled;
    let whole: i64 = lines
        .iter()
        .map(|l| if cancelled { l.delivered } else { l.quantity })
        .sum();
    let progress = match invoiced {
        0 => Progress::NotInvoiced,
        n if n >= whole => Progress::Fully,
        _ => Progress::Partially,
    };
    let invoiceable = match order.status {
        OrderStatus::Draft => 0,
        s => lines
            .iter()
            .map(|l| super::service::limit(policy, s, l) - l.invoiced)
            .filter(|q| *q > 0)
            .sum(),
    };
    let models = without_documents()
        .filter(invoice::Column::OrderId.eq(order_id))
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await
        .or_internal("invoices")?;
    Ok(OrderInvoicing {
        progress,
        invoiceable,
        policy,
        invoices: rows(db, models, today).await?,
    })
}

/// Client `client_id`'s newest invoices, what it owes and what of that is past due.
pub async fn of_client(
    db: &DatabaseConnection,
    today: NaiveDate,
    client_id: i64,
) -> AppResult<ClientInvoicing> {
    use invoice::Column as I;
    let open = |select: sea_orm::Select<invoice::Entity>| {
        select
            .select_only()
            .column_as(sum(Expr::col(I::Balance)), "s")
            .filter(I::ClientId.eq(client_id))
            .filter(open_for_sums())
            .into_tuple::<Option<i64>>()
    };
    let balance = open(invoice::Entity::find())
        .one(db)
        .await
        .or_internal("invoices")?
        .flatten()
        .unwrap_or(0);
    let overdue = open(invoice::Entity::find().filter(I::DueDate.lt(today)))
        .one(db)
        .await
        .or_internal("invoices")?
        .flatten()
        .unwrap_or(0);
    let models = without_documents()
        .filter(I::ClientId.eq(client_id))
        .order_by_desc(I::Id)
        .limit(CLIENT_ROWS)
        .all(db)
        .await
        .or_internal("invoices")?;
    Ok(ClientInvoicing {
        balance: Money(balance),
        overdue: Money(overdue),
        invoices: rows(db, models, today).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choice::Choice;
    use crate::invoices::InvoiceStatus;

    #[test]
    fn the_written_out_open_condition_names_the_open_statuses() {
        let words: Vec<String> = InvoiceStatus::OPEN
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        assert_eq!(OPEN_SQL, format!("status IN ({})", words.join(", ")));
    }
}
