//! Settling issued invoices: payments recorded and deleted, and credit notes, each in a
//! write unit. An invoice's `paid`, `credited` and `balance` move by one conditional UPDATE
//! (`settle`), which also guards what may move: a payment only while at least that much is
//! due, so payments made at once never together overpay. Its status then follows from the
//! amounts (`InvoiceStatus::of`), and so does the date it was settled on (for aging as of an
//! earlier day).

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::document::{self, DocLine, Document, Kind};
use super::rules::{read_credit, read_payment};
use super::service::{give_back, lines_of};
use super::{CreditForm, ENTITY, InvoiceStatus, PaymentForm};
use crate::audit::{Actor, Event};
use crate::choice::Choice;
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::input::line_field;
use crate::money::{self, LineAmounts, Money};
use crate::reports::kept;
use crate::reports::summary::{Changes, Line};
use crate::server::AppState;
use crate::server::entities::{
    client, credit_note, credit_note_line, invoice, invoice_line, payment,
};
use crate::server::idempotency;
use crate::server::sequence;
use crate::server::write::Write;

const PAID: Event = Event::new(ENTITY, "invoice.payment_recorded");
const PAYMENT_DELETED: Event = Event::new(ENTITY, "invoice.payment_deleted");
const CREDITED: Event = Event::new(ENTITY, "invoice.credited");

/// Records a payment of invoice `id`. More than is due is refused at the amount, naming what
/// is due; nothing is written.
pub async fn pay(
    db: &DatabaseConnection,
    today: NaiveDate,
    actor: Actor,
    id: i64,
    form: PaymentForm,
) -> AppResult<()> {
    let (amount, paid_on) = read_payment(&form, today).map_err(AppError::fields)?;
    let mut w = Write::begin(db, actor).await?;
    if !idempotency::claim(&*w, actor.id(), form.request_key.as_deref()).await? {
        // Already recorded by this very request, sent again.
        return w.commit().await;
    }
    let guard = Expr::col(invoice::Column::Balance).gte(amount.cents());
    let Some(inv) = settle(&w, id, amount.cents(), 0, Some(guard)).await? else {
        let now = super::read::find(&*w, id).await?;
        return Err(refusal(&now, amount));
    };
    let saved = payment::ActiveModel {
        invoice_id: Set(id),
        client_id: Set(inv.client_id),
        amount: Set(amount.cents()),
        paid_on: Set(paid_on),
        method: Set(form.method),
        reference: Set(form.reference.trim().to_string()),
        created_by: Set(actor.id()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*w)
    .await
    .or_internal("payments")?;
    kept::payments::counted(&mut w, &saved, 1);
    follow(&mut w, &inv, amount.cents()).await?;
    w.record(
        PAID,
        id,
        format!(
            "{} on {paid_on} by {} (payment {}), {} left",
            amount,
            form.method.label().to_lowercase(),
            saved.id,
            Money(inv.balance)
        ),
    );
    w.commit().await
}

/// Why a payment of `amount` on `inv` was refused.
fn refusal(inv: &invoice::Model, amount: Money) -> AppError {
    let number = inv.number.as_deref().unwrap_or("the invoice");
    match inv.status {
        InvoiceStatus::Draft => AppError::Conflict("a draft cannot be paid; issue it first".into()),
        InvoiceStatus::Paid | InvoiceStatus::Credited => AppError::Conflict(format!(
            "{number} is {}; nothing is due on it",
            inv.status.label().to_lowercase()
        )),
        _ => AppError::field(
            "amount",
            format!(
                "only {} is due on {number}; {amount} would overpay it",
                Money(inv.balance)
            ),
        ),
    }
}

/// Deletes payment `payment_id`; its invoice owes the amount again. Answers the invoice's id.
pub async fn delete_payment(
    db: &DatabaseConnection,
    actor: Actor,
    payment_id: i64,
) -> AppResult<i64> {
    let mut w = Write::begin(db, actor).await?;
    let p = payment::Entity::find_by_id(payment_id)
        .one(&*w)
        .await
        .or_internal("payments")?
        .ok_or_else(|| AppError::NotFound(format!("payment {payment_id}")))?;
    // Deleted first: the invoice's settled date is read from what remains.
    let gone = payment::Entity::delete_by_id(payment_id)
        .exec(&*w)
        .await
        .or_internal("payments")?;
    if gone.rows_affected != 1 {
        return Err(AppError::NotFound(format!("payment {payment_id}")));
    }
    let inv = settle(&w, p.invoice_id, -p.amount, 0, None)
        .await?
        .ok_or_else(|| AppError::internal("payments", "a payment without its invoice"))?;
    kept::payments::counted(&mut w, &p, -1);
    follow(&mut w, &inv, -p.amount).await?;
    w.record(
        PAYMENT_DELETED,
        p.invoice_id,
        format!(
            "{} of {} by {} ({}) deleted, {} due again",
            Money(p.amount),
            p.paid_on,
            p.method.label().to_lowercase(),
            match p.reference.as_str() {
                "" => "no reference",
                r => r,
            },
            Money(inv.balance)
        ),
    );
    w.commit().await?;
    Ok(p.invoice_id)
}

/// Issues a credit note for `form`'s lines of invoice `id` (or all that is left of it): each
/// quantity at most what the line has not had credited. The quantities can be invoiced again
/// from the order. Numbered `CN-YYYY-NNNNN` in the same transaction; its PDF after.
pub async fn credit(state: &AppState, actor: Actor, id: i64, form: CreditForm) -> AppResult<()> {
    let db = &state.db;
    let today = state.config.business.zone.today();
    let wanted = read_credit(&form).map_err(AppError::fields)?;
    let mut w = Write::begin(db, actor).await?;
    // The invoice's row first: two credit notes of one invoice take turns.
    let inv = lock_issued(&w, id).await?;
    let lines = lines_of(&*w, id).await?;
    let wanted: Vec<(usize, i64, i64)> = match form.full {
        true => lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.credited < l.quantity)
            .map(|(i, l)| (i, l.id, l.quantity - l.credited))
            .collect(),
        false => wanted,
    };
    if wanted.is_empty() {
        return Err(AppError::Conflict("every line is already credited".into()));
    }
    let mut refused = Vec::new();
    let mut taken: Vec<(invoice_line::Model, i64, LineAmounts, Money)> = Vec::new();
    for &(i, line_id, q) in &wanted {
        let Some(l) = lines.iter().find(|l| l.id == line_id) else {
            refused.push(FieldError {
                field: line_field(i, "quantity"),
                message: "not a line of this invoice".into(),
            });
            continue;
        };
        if !take_back(&*w, line_id, q).await? {
            refused.push(FieldError {
                field: line_field(i, "quantity"),
                message: format!(
                    "only {} of {} left to credit, {q} asked",
                    l.quantity - l.credited,
                    l.description
                ),
            });
            continue;
        }
        let price = Money(l.unit_price);
        let (whole, rate) = (Money(l.discount), l.tax_rate_bp.into());
        let a = money::taken_back(l.quantity, price, whole, rate, l.credited, q)
            .map_err(|e| AppError::invalid(e.to_string()))?;
        let discount = money::part_discount(whole, l.quantity, l.credited, q);
        taken.push((l.clone(), q, a, discount));
    }
    if !refused.is_empty() {
        return Err(AppError::fields(refused));
    }
    let totals =
        money::totals(taken.iter().map(|t| t.2)).map_err(|e| AppError::invalid(e.to_string()))?;
    let settled = settle(&w, id, 0, totals.total.cents(), None)
        .await?
        .ok_or_else(|| AppError::internal("credit notes", "the invoice went away"))?;
    // Invoiceable again from the order, in order line order.
    let mut freed: Vec<(i64, i64)> = taken.iter().map(|t| (t.0.order_line_id, t.1)).collect();
    freed.sort_unstable();
    for (line_id, q) in freed {
        give_back(&*w, line_id, q).await?;
    }
    let (seq, number) = sequence::take(&*w, "CN", today.year()).await?;
    let client = client::Entity::find_by_id(inv.client_id)
        .one(&*w)
        .await
        .or_internal("credit notes")?
        .ok_or_else(|| AppError::internal("credit notes", "an invoice without its client"))?;
    let order = document::order_of(&*w, inv.order_id).await?;
    let invoice_number = inv.number.clone().unwrap_or_default();
    let doc_lines: Vec<DocLine> = taken
        .iter()
        .map(|(l, q, a, discount)| DocLine {
            description: l.description.clone(),
            quantity: *q,
            unit: l.unit.clone(),
            unit_price: Money(l.unit_price),
            discount: *discount,
            tax_rate_bp: l.tax_rate_bp.into(),
            net: a.net,
            tax: a.tax,
        })
        .collect();
    let doc = Document {
        kind: Kind::CreditNote {
            invoice_number: invoice_number.clone(),
            reason: form.reason.trim().to_string(),
        },
        number: number.clone(),
        issue_date: today,
        currency: state.config.business.currency.clone(),
        seller: state.config.company.clone(),
        buyer: document::buyer(&client),
        ship_to: String::new(),
        order_number: order.number,
        client_reference: order.client_reference,
        tax_summary: document::summary_of(&doc_lines),
        lines: doc_lines,
        net: totals.net,
        tax: totals.tax,
        total: totals.total,
        paid: Money::ZERO,
        balance: Money::ZERO,
        notes: String::new(),
    };
    let json = serde_json::to_string(&doc).map_err(|e| AppError::internal("credit notes", e))?;
    let note = credit_note::ActiveModel {
        number: Set(number.clone()),
        seq: Set(seq),
        invoice_id: Set(id),
        client_id: Set(inv.client_id),
        issue_date: Set(today),
        reason: Set(form.reason.trim().to_string()),
        net: Set(totals.net.cents()),
        tax: Set(totals.tax.cents()),
        total: Set(totals.total.cents()),
        document: Set(json),
        created_by: Set(actor.id()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*w)
    .await
    .or_internal("credit notes")?;
    let rows = taken
        .iter()
        .map(|(l, q, a, discount)| credit_note_line::ActiveModel {
            credit_note_id: Set(note.id),
            invoice_line_id: Set(l.id),
            quantity: Set(*q),
            discount: Set(discount.cents()),
            net: Set(a.net.cents()),
            tax: Set(a.tax.cents()),
            ..Default::default()
        });
    credit_note_line::Entity::insert_many(rows)
        .exec_without_returning(&*w)
        .await
        .or_internal("credit notes")?;
    let mut summary = Changes::default();
    let credited: Vec<Line> = taken
        .iter()
        .map(|(l, q, a, _)| Line {
            product: l.product_id,
            net: a.net.cents(),
            tax: a.tax.cents(),
            quantity: *q,
        })
        .collect();
    summary.credited(today, inv.client_id, &credited);
    summary.add_to(&mut w);
    follow(&mut w, &settled, totals.total.cents()).await?;
    w.record(
        CREDITED,
        id,
        format!(
            "{number} for {invoice_number}: {} ({}), {} left",
            totals.total,
            form.reason.trim(),
            Money(settled.balance)
        ),
    );
    w.commit().await?;
    super::pdf::store_credit_note(state, note.id, doc).await?;
    Ok(())
}

/// Issued invoice `id`, its row locked until the unit ends; a 409 for a draft or one fully
/// credited.
async fn lock_issued(w: &Write, id: i64) -> AppResult<invoice::Model> {
    use invoice::Column as I;
    let locked = invoice::Entity::update_many()
        .col_expr(I::UpdatedAt, Expr::val(Utc::now()))
        .filter(I::Id.eq(id))
        .filter(I::Status.is_in([
            InvoiceStatus::Issued,
            InvoiceStatus::PartiallyPaid,
            InvoiceStatus::Paid,
        ]))
        .exec_with_returning(&**w)
        .await
        .or_internal("invoices")?;
    if let Some(m) = locked.into_iter().next() {
        return Ok(m);
    }
    let now = super::read::find(&**w, id).await?;
    Err(AppError::Conflict(match now.status {
        InvoiceStatus::Draft => "a draft is edited, not credited; change or delete it".into(),
        _ => format!(
            "{} is already fully credited",
            now.number.as_deref().unwrap_or("the invoice")
        ),
    }))
}

/// Takes `q` more of invoice line `line_id` back, if it has that much not yet credited.
async fn take_back(db: &impl ConnectionTrait, line_id: i64, q: i64) -> AppResult<bool> {
    use invoice_line::Column as L;
    let done = invoice_line::Entity::update_many()
        .col_expr(L::Credited, Expr::col(L::Credited).add(q))
        .filter(L::Id.eq(line_id))
        .filter(Expr::col(L::Credited).add(q).lte(Expr::col(L::Quantity)))
        .exec(db)
        .await
        .or_internal("credit notes")?;
    Ok(done.rows_affected == 1)
}

/// Moves issued invoice `id`'s paid and credited amounts (and its balance with them), when
/// `guard` holds; answers the invoice as changed, or `None` when nothing matched.
async fn settle(
    w: &Write,
    id: i64,
    paid: i64,
    credited: i64,
    guard: Option<SimpleExpr>,
) -> AppResult<Option<invoice::Model>> {
    use invoice::Column as I;
    let mut update = invoice::Entity::update_many()
        .col_expr(I::Paid, Expr::col(I::Paid).add(paid))
        .col_expr(I::Credited, Expr::col(I::Credited).add(credited))
        .col_expr(I::Balance, Expr::col(I::Balance).sub(paid + credited))
        .col_expr(I::UpdatedAt, Expr::val(Utc::now()))
        .filter(I::Id.eq(id))
        .filter(I::Status.ne(InvoiceStatus::Draft));
    if let Some(g) = guard {
        update = update
            .filter(I::Status.is_in(InvoiceStatus::OPEN))
            .filter(g);
    }
    let changed = update
        .exec_with_returning(&**w)
        .await
        .or_internal("invoices")?;
    Ok(changed.into_iter().next())
}

/// After `inv`'s amounts moved (its balance down by `moved`): its status from them, and
/// while settled the date it was settled on (its last payment's or credit note's); what it
/// owes moves in the receivables summary.
async fn follow(w: &mut Write, inv: &invoice::Model, moved: i64) -> AppResult<()> {
    use invoice::Column as I;
    let status = InvoiceStatus::of(inv.total, inv.paid, inv.credited);
    kept::receivables::moved(
        w,
        inv.due_date,
        Some((inv.status, inv.balance + moved)),
        (status, inv.balance),
    );
    let settled_on = match status {
        InvoiceStatus::Paid | InvoiceStatus::Credited => last_date(&**w, inv.id).await?,
        _ => None,
    };
    if status == inv.status && settled_on == inv.settled_on {
        return Ok(());
    }
    invoice::Entity::update_many()
        .col_expr(I::Status, Expr::val(status))
        .col_expr(I::SettledOn, Expr::val(settled_on))
        .filter(I::Id.eq(inv.id))
        .exec(&**w)
        .await
        .or_internal("invoices")?;
    Ok(())
}

/// The latest of invoice `id`'s payment dates and credit note dates.
async fn last_date(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<NaiveDate>> {
    let paid: Option<NaiveDate> = payment::Entity::find()
        .select_only()
        .column_as(payment::Column::PaidOn.max(), "d")
        .filter(payment::Column::InvoiceId.eq(id))
        .into_tuple()
        .one(db)
        .await
        .or_internal("invoices")?
        .flatten();
    let credited: Option<NaiveDate> = credit_note::Entity::find()
        .select_only()
        .column_as(credit_note::Column::IssueDate.max(), "d")
        .filter(credit_note::Column::InvoiceId.eq(id))
        .into_tuple()
        .one(db)
        .await
        .or_internal("invoices")?
        .flatten();
    Ok(Ord::max(paid, credited))
}
