//! Invoices on the server: a draft made from an order, edited, deleted or issued, each in a
//! write unit. Settling one (payments, credit notes) is `settle`; reading is `read`.
//!
//! What each order line has on invoices is `order_lines.invoiced`, moved by one conditional
//! UPDATE per line (`invoiced + q` only while it stays within what the line may invoice), the
//! way deliveries hold their quantities: two invoices made at once for one order never
//! together invoice more than it has.
//!
//! Issuing takes the number in the transaction that marks the invoice issued and stores what
//! it was issued as (`document`). The PDF is drawn from that record after the commit and
//! stored once (`pdf::store`): drawn inside, it would hold the number series — and SQLite's
//! one writer — for the few milliseconds of drawing every issue. Drawn from the stored
//! record, a PDF made later (after a crash between the two) reads exactly the same.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::issuing::{IssueJob, Issued};
use super::read::Settled;
use super::rules::{read_draft, read_issue};
use super::{DraftForm, ENTITY, Invoice, InvoicePolicy, InvoiceStatus, IssueForm};
use crate::audit::{Actor, Event};
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::input::line_field;
use crate::money::{self, Money, Totals};
use crate::orders::OrderStatus;
use crate::orders::service as orders;
use crate::server::AppState;
use crate::server::entities::{client, invoice, invoice_line, order, order_line, product};
use crate::server::write::Write;
use crate::users::service::display_names;

const CREATED: Event = Event::new(ENTITY, "invoice.created");
const UPDATED: Event = Event::new(ENTITY, "invoice.updated");
const DELETED: Event = Event::new(ENTITY, "invoice.deleted");

/// A new draft of everything order `order_id` has left to invoice: per line, up to what was
/// delivered (or, under `INVOICE_POLICY=ordered`, ordered; a cancelled order only what it
/// delivered), less what other invoices have. Answers the draft's id.
pub async fn create(state: &AppState, actor: Actor, order_id: i64) -> AppResult<i64> {
    let policy = state.config.invoice_policy;
    let mut w = Write::begin(&state.db, actor).await?;
    // The order's row first (ARCHITECTURE.md, "Writes"), then its lines.
    let order = orders::lock(&w, Expr::val(order_id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("order {order_id}")))?;
    if order.status == OrderStatus::Draft {
        return Err(AppError::Conflict(format!(
            "{} is a draft; confirm it before invoicing",
            order.number
        )));
    }
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order.id))
        .order_by_asc(order_line::Column::Position)
        .all(&*w)
        .await
        .or_internal("invoices")?;
    let units = units(&*w, lines.iter().map(|l| l.product_id)).await?;
    let mut rows = Vec::new();
    for l in &lines {
        let q = limit(policy, order.status, l) - l.invoiced;
        if q <= 0 {
            continue;
        }
        let (cap, limit_col) = limit_column(policy, order.status);
        let held = order_line::Entity::update_many()
            .col_expr(
                order_line::Column::Invoiced,
                Expr::col(order_line::Column::Invoiced).add(q),
            )
            .filter(order_line::Column::Id.eq(l.id))
            .filter(
                Expr::col(order_line::Column::Invoiced)
                    .add(q)
                    .lte(Expr::col(limit_col)),
            )
            .exec(&*w)
            .await
            .or_internal("invoices")?;
        if held.rows_affected == 0 {
            // Not reachable while the order's lock is held; kept as the last guard.
            return Err(AppError::Conflict(format!(
                "{} of {} is already invoiced ({cap})",
                l.description, order.number
            )));
        }
        let discount = money::part_discount(Money(l.discount), l.quantity, l.invoiced, q);
        rows.push(new_line(l, q, discount, units.get(&l.product_id))?);
    }
    if rows.is_empty() {
        return Err(AppError::Conflict(nothing_left(policy, &order)));
    }
    let totals = totals_of(&rows)?;
    let now = Utc::now();
    let saved = invoice::ActiveModel {
        number: Set(None),
        seq: Set(None),
        order_id: Set(order.id),
        client_id: Set(order.client_id),
        status: Set(InvoiceStatus::Draft),
        issue_date: Set(None),
        due_date: Set(None),
        notes: Set(String::new()),
        net: Set(totals.net.cents()),
        tax: Set(totals.tax.cents()),
        total: Set(totals.total.cents()),
        paid: Set(0),
        credited: Set(0),
        balance: Set(totals.total.cents()),
        created_by: Set(actor.id()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*w)
    .await
    .or_internal("invoices")?;
    let rows = rows.into_iter().enumerate().map(|(i, mut r)| {
        r.invoice_id = Set(saved.id);
        r.position = Set(i as i32 + 1);
        r
    });
    invoice_line::Entity::insert_many(rows)
        .exec_without_returning(&*w)
        .await
        .or_internal("invoices")?;
    w.record(
        CREATED,
        saved.id,
        format!("draft of {}, total {}", order.number, totals.total),
    );
    w.commit().await?;
    Ok(saved.id)
}

/// Rewrites a draft: its notes, and lines removed or lowered (never raised: what a draft may
/// take was settled when it was made). What a line gives up can be invoiced again.
pub async fn update(
    db: &DatabaseConnection,
    actor: Actor,
    id: i64,
    form: DraftForm,
) -> AppResult<()> {
    let wanted = read_draft(&form).map_err(AppError::fields)?;
    let mut w = Write::begin(db, actor).await?;
    let inv = lock_draft(&w, id, "edited").await?;
    let lines: HashMap<i64, invoice_line::Model> = lines_of(&*w, id)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut refused = Vec::new();
    let mut changes = Vec::new();
    for &(i, line_id, q) in &wanted {
        match lines.get(&line_id) {
            None => refused.push(FieldError {
                field: line_field(i, "quantity"),
                message: "not a line of this invoice".into(),
            }),
            Some(l) if q > l.quantity => refused.push(FieldError {
                field: line_field(i, "quantity"),
                message: format!(
                    "at most {} (a draft's quantities can only be lowered; make a new invoice for more)",
                    l.quantity
                ),
            }),
            Some(l) if q < l.quantity => changes.push((l.clone(), q)),
            Some(_) => {}
        }
    }
    // A line the form leaves out is removed, as with quantity 0.
    let named: Vec<i64> = wanted.iter().map(|&(_, id, _)| id).collect();
    let mut dropped: Vec<(invoice_line::Model, i64)> = lines
        .values()
        .filter(|l| !named.contains(&l.id))
        .map(|l| (l.clone(), 0))
        .collect();
    changes.append(&mut dropped);
    if !refused.is_empty() {
        return Err(AppError::fields(refused));
    }
    if changes.iter().filter(|(_, q)| *q == 0).count() == lines.len() {
        return Err(AppError::field(
            "lines",
            "an invoice needs a line; delete the draft instead",
        ));
    }
    // In order line order, as every writer of order lines takes them.
    changes.sort_by_key(|(l, _)| l.order_line_id);
    for (l, q) in &changes {
        give_back(&*w, l.order_line_id, l.quantity - q).await?;
        if *q == 0 {
            invoice_line::Entity::delete_by_id(l.id)
                .exec(&*w)
                .await
                .or_internal("invoices")?;
            continue;
        }
        let discount = money::share(Money(l.discount), *q, l.quantity);
        let a = money::line_amounts(*q, Money(l.unit_price), discount, l.tax_rate_bp.into())
            .map_err(|e| AppError::invalid(e.to_string()))?;
        let mut am: invoice_line::ActiveModel = l.clone().into();
        am.quantity = Set(*q);
        am.discount = Set(discount.cents());
        am.net = Set(a.net.cents());
        am.tax = Set(a.tax.cents());
        am.update(&*w).await.or_internal("invoices")?;
    }
    let kept = lines_of(&*w, id).await?;
    let totals = totals_of_models(&kept)?;
    let mut am: invoice::ActiveModel = inv.into();
    am.notes = Set(form.notes.trim().to_string());
    am.net = Set(totals.net.cents());
    am.tax = Set(totals.tax.cents());
    am.total = Set(totals.total.cents());
    am.balance = Set(totals.total.cents());
    am.update(&*w).await.or_internal("invoices")?;
    w.record(
        UPDATED,
        id,
        format!("{} line(s), total {}", kept.len(), totals.total),
    );
    w.commit().await
}

/// Deletes a draft; its quantities can be invoiced again.
pub async fn delete(db: &DatabaseConnection, actor: Actor, id: i64) -> AppResult<()> {
    let mut w = Write::begin(db, actor).await?;
    let inv = lock_draft(&w, id, "deleted").await?;
    let mut lines = lines_of(&*w, id).await?;
    lines.sort_by_key(|l| l.order_line_id);
    for l in &lines {
        give_back(&*w, l.order_line_id, l.quantity).await?;
    }
    invoice::Entity::delete_by_id(id)
        .exec(&*w)
        .await
        .or_internal("invoices")?;
    let order = order::Entity::find_by_id(inv.order_id)
        .one(&*w)
        .await
        .or_internal("invoices")?;
    let of = order.map(|o| o.number).unwrap_or_default();
    w.record(
        DELETED,
        id,
        format!("draft of {of}, total {}", Money(inv.total)),
    );
    w.commit().await
}

/// Issues a draft: its number (`INV-YYYY-NNNNN`, the year of the issue date), its dates, and
/// the record it is issued as, in one transaction shared with the drafts issued at the same
/// moment (`issuing`); then its PDF, drawn and stored. Answers the invoice as issued (a draft
/// has no payments, credit notes or mails to read).
pub async fn issue(state: &AppState, actor: Actor, id: i64, form: IssueForm) -> AppResult<Invoice> {
    let db = &state.db;
    let today = state.config.business.zone.today();
    // The invoice's client (its payment terms give the due date), in one query.
    let of_invoice = sea_orm::sea_query::Query::select()
        .column(invoice::Column::ClientId)
        .from(invoice::Entity)
        .and_where(Expr::col(invoice::Column::Id).eq(id))
        .to_owned();
    let client = client::Entity::find()
        .filter(client::Column::Id.in_subquery(of_invoice))
        .one(db)
        .await
        .or_internal("invoices")?
        .ok_or_else(|| AppError::NotFound(format!("invoice {id}")))?;
    let dates = read_issue(&form, today, client.payment_terms_days).map_err(AppError::fields)?;
    // The order and its delivery notes are read before the write: they are not the draft's
    // to change, and every statement kept out of the write is one less that the number
    // series (and SQLite's one writer) waits for.
    let references = super::document::references(db, id).await?;
    let order_number = references.order_number.clone();
    let job = IssueJob {
        actor,
        id,
        dates,
        client: client.clone(),
        references,
    };
    let Issued {
        row,
        lines,
        document,
    } = state.invoicing.issues.submit(job).await?;
    super::pdf::store_invoice(state, id, document).await?;
    let names = display_names(db, [row.created_by]).await?;
    let made_by = names.get(&row.created_by).cloned();
    Ok(super::read::assemble(
        row,
        today,
        order_number,
        client,
        lines,
        Settled::default(),
        made_by,
    ))
}

/// Draft `id`, its row locked until the unit ends; a 409 naming what happened to it when it
/// is no longer a draft (`doing`: what was refused, "edited").
async fn lock_draft(w: &Write, id: i64, doing: &str) -> AppResult<invoice::Model> {
    use invoice::Column as I;
    let locked = invoice::Entity::update_many()
        .col_expr(I::UpdatedAt, Expr::val(Utc::now()))
        .filter(I::Id.eq(id))
        .filter(I::Status.eq(InvoiceStatus::Draft))
        .exec_with_returning(&**w)
        .await
        .or_internal("invoices")?;
    match locked.into_iter().next() {
        Some(m) => Ok(m),
        None => Err(super::issuing::not_a_draft(&**w, id, doing).await),
    }
}

/// How much of order line `l` may be on invoices: what was delivered, or under the ordered
/// policy what was ordered — but only what was delivered once the order is cancelled.
pub(super) fn limit(policy: InvoicePolicy, status: OrderStatus, l: &order_line::Model) -> i64 {
    match limit_column(policy, status).1 {
        order_line::Column::Quantity => l.quantity,
        _ => l.delivered,
    }
}

/// The column `limit` reads, and what it means in a message.
fn limit_column(policy: InvoicePolicy, status: OrderStatus) -> (&'static str, order_line::Column) {
    match (policy, status) {
        (InvoicePolicy::Ordered, s) if s != OrderStatus::Cancelled => {
            ("all that was ordered", order_line::Column::Quantity)
        }
        _ => ("all that was delivered", order_line::Column::Delivered),
    }
}

fn nothing_left(policy: InvoicePolicy, order: &order::Model) -> String {
    match (policy, order.status) {
        (InvoicePolicy::Delivered, OrderStatus::Confirmed) => format!(
            "nothing of {} has been delivered yet; invoices take what was delivered",
            order.number
        ),
        _ => format!(
            "everything {} may invoice is already invoiced",
            order.number
        ),
    }
}

/// Gives `q` units of order line `line_id` back to what may be invoiced.
pub(super) async fn give_back(db: &impl ConnectionTrait, line_id: i64, q: i64) -> AppResult<()> {
    order_line::Entity::update_many()
        .col_expr(
            order_line::Column::Invoiced,
            Expr::col(order_line::Column::Invoiced).sub(q),
        )
        .filter(order_line::Column::Id.eq(line_id))
        .exec(db)
        .await
        .or_internal("invoices")?;
    Ok(())
}

/// An invoice line of `q` units of order line `l`, with its share of the discount.
fn new_line(
    l: &order_line::Model,
    q: i64,
    discount: Money,
    unit: Option<&String>,
) -> AppResult<invoice_line::ActiveModel> {
    let a = money::line_amounts(q, Money(l.unit_price), discount, l.tax_rate_bp.into())
        .map_err(|e| AppError::invalid(e.to_string()))?;
    Ok(invoice_line::ActiveModel {
        order_line_id: Set(l.id),
        product_id: Set(l.product_id),
        description: Set(l.description.clone()),
        unit: Set(unit.cloned().unwrap_or_default()),
        quantity: Set(q),
        unit_price: Set(l.unit_price),
        discount: Set(discount.cents()),
        tax_rate_bp: Set(l.tax_rate_bp),
        net: Set(a.net.cents()),
        tax: Set(a.tax.cents()),
        credited: Set(0),
        ..Default::default()
    })
}

fn totals_of(rows: &[invoice_line::ActiveModel]) -> AppResult<Totals> {
    let amounts = rows.iter().map(|r| money::LineAmounts {
        net: Money(*r.net.as_ref()),
        tax: Money(*r.tax.as_ref()),
    });
    money::totals(amounts).map_err(|e| AppError::invalid(e.to_string()))
}

pub(super) fn totals_of_models(rows: &[invoice_line::Model]) -> AppResult<Totals> {
    let amounts = rows.iter().map(|r| money::LineAmounts {
        net: Money(r.net),
        tax: Money(r.tax),
    });
    money::totals(amounts).map_err(|e| AppError::invalid(e.to_string()))
}

/// Invoice `id`'s lines, in their order.
pub(super) async fn lines_of(
    db: &impl ConnectionTrait,
    id: i64,
) -> AppResult<Vec<invoice_line::Model>> {
    invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(id))
        .order_by_asc(invoice_line::Column::Position)
        .all(db)
        .await
        .or_internal("invoices")
}

/// The units products are sold in, by product id.
async fn units(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(product::Entity::find()
        .filter(product::Column::Id.is_in(ids))
        .all(db)
        .await
        .or_internal("invoices")?
        .into_iter()
        .map(|p| (p.id, p.unit))
        .collect())
}
