//! Invoice and credit note PDFs: drawn once from what the document was issued as
//! (`document::Document`), stored with their SHA-256, and served as those exact bytes ever
//! after (`GET /api/invoices/{id}/invoice.pdf`, `GET /api/credit-notes/{id}/pdf`). An order's
//! quotation and confirmation are drawn by the same code (`render`), on each request.
//!
//! The page: seller and title; buyer, delivery address and references (dates, terms, order,
//! the client's reference, delivery notes);
//! the lines, breaking pages and repeating their header; the tax summary per rate, totals,
//! paid and balance due; the bank details with an EPC069-12 (SEPA credit transfer) QR code
//! when an IBAN is configured and the currency is the euro.

use dioxus::server::axum::extract::Path;
use dioxus::server::axum::http::header;
use dioxus::server::axum::response::{IntoResponse, Response};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use sha2::{Digest, Sha256};

use super::READ;
use super::document::{Document, Kind};
use crate::auth::guard::Ctx;
use crate::business::money_in;
use crate::error::{AppError, AppResult, OrInternal};
use crate::money::{Money, percent};
use crate::server::AppState;
use crate::server::entities::credit_note;
use crate::server::grouped::Writer;
use crate::server::pdf::{INK, MARGIN, MUTED, PAGE_H, PAGE_W, Sheet, leading, wrap};

const BODY: f32 = 9.0;
/// Where each column of the lines ends (figures) or starts (text), in mm.
const COL_QTY: f32 = 108.0;
const COL_PRICE: f32 = 128.0;
const COL_DISCOUNT: f32 = 148.0;
const COL_RATE: f32 = 163.0;
const COL_NET: f32 = PAGE_W - MARGIN - 1.0;

/// The document's bytes. CPU work: call it from `spawn_blocking`.
pub fn render(doc: &Document) -> AppResult<Vec<u8>> {
    let title = format!("{} {}", doc.title(), doc.number);
    let mut s = Sheet::new(&title)
        .map_err(|_| AppError::internal("invoice PDF", "the PDF font could not be read"))?;
    let money = |m: Money| money_in(&doc.currency, m);
    let mut y = header(&mut s, doc);
    y = parties(&mut s, doc, y);
    y = lines(&mut s, doc, &money, y + 3.0);
    y = summary(&mut s, doc, &money, y + 2.0);
    if matches!(doc.kind, Kind::Invoice { .. }) {
        payment(&mut s, doc, y + 4.0);
    }
    Ok(s.finish())
}

fn header(s: &mut Sheet, doc: &Document) -> f32 {
    let c = &doc.seller;
    s.text(MARGIN, MARGIN + 6.0, 14.0, INK, &c.name);
    let mut y = MARGIN + 12.0;
    for line in c.address.lines().filter(|l| !l.trim().is_empty()) {
        s.text(MARGIN, y, BODY, MUTED, line);
        y += leading(BODY);
    }
    if !c.tax_id.is_empty() {
        s.text(MARGIN, y, BODY, MUTED, &format!("Tax id {}", c.tax_id));
        y += leading(BODY);
    }
    s.text_right(PAGE_W - MARGIN, MARGIN + 6.0, 16.0, INK, doc.title());
    s.text_right(PAGE_W - MARGIN, MARGIN + 13.0, 12.0, INK, &doc.number);
    y.max(MARGIN + 18.0) + 6.0
}

/// Address lines from `y`, each wrapped to `width`; answers where the next line goes.
fn address(s: &mut Sheet, text: &str, width: f32, y: f32) -> f32 {
    let mut y = y;
    for line in text.lines() {
        for part in wrap(line, width, BODY) {
            s.text(MARGIN, y, BODY, INK, &part);
            y += leading(BODY);
        }
    }
    y
}

/// The buyer (and where the goods go, when elsewhere) on the left; dates and references on
/// the right.
fn parties(s: &mut Sheet, doc: &Document, y: f32) -> f32 {
    let half = (PAGE_W - 2.0 * MARGIN) / 2.0 - 5.0;
    s.text(MARGIN, y, 8.0, MUTED, "BILL TO");
    let left = s.wrapped(MARGIN, y + 5.0, half, 11.0, &doc.buyer.name);
    let mut left = address(s, &doc.buyer.address, half, left);
    if !doc.buyer.tax_id.is_empty() {
        s.text(
            MARGIN,
            left,
            BODY,
            MUTED,
            &format!("Tax id {}", doc.buyer.tax_id),
        );
        left += leading(BODY);
    }
    if !doc.ship_to.trim().is_empty() && doc.ship_to.trim() != doc.buyer.address.trim() {
        s.text(MARGIN, left + 2.0, 8.0, MUTED, "DELIVER TO");
        left = address(s, &doc.ship_to, half, left + 2.0 + leading(BODY));
    }
    let dated = match doc.kind {
        Kind::Invoice { .. } | Kind::CreditNote { .. } => "Issue date",
        Kind::Quotation { .. } | Kind::Confirmation { .. } => "Date",
    };
    let mut facts = vec![(dated, doc.issue_date.to_string())];
    match &doc.kind {
        Kind::Invoice {
            due_date,
            payment_terms_days,
            delivery_notes,
        } => {
            facts.push(("Due date", due_date.to_string()));
            facts.push(("Payment terms", format!("{payment_terms_days} days")));
            facts.push(("Order", doc.order_number.clone()));
            if !delivery_notes.is_empty() {
                facts.push(("Delivery notes", delivery_notes.join(", ")));
            }
        }
        Kind::CreditNote {
            invoice_number,
            reason,
        } => {
            facts.push(("Corrects invoice", invoice_number.clone()));
            facts.push(("Order", doc.order_number.clone()));
            facts.push(("Reason", reason.clone()));
        }
        Kind::Quotation { valid_until } => facts.push(("Valid until", valid_until.to_string())),
        Kind::Confirmation { requested_date } => {
            if let Some(d) = requested_date {
                facts.push(("Deliver by", d.to_string()));
            }
        }
    }
    if !doc.client_reference.is_empty() {
        facts.push(("Your reference", doc.client_reference.clone()));
    }
    let x = MARGIN + half + 10.0;
    let mut right = y + 5.0;
    for (label, value) in facts {
        s.text(x, right, BODY, MUTED, label);
        right = s.wrapped(x + 32.0, right, half - 32.0, BODY, &value);
    }
    left.max(right) + 4.0
}

fn table_head(s: &mut Sheet, y: f32) -> f32 {
    s.rect(MARGIN, y - 4.5, PAGE_W - 2.0 * MARGIN, 6.5, Some(0.93));
    s.text(MARGIN + 1.0, y, 8.0, MUTED, "Description");
    s.text_right(COL_QTY, y, 8.0, MUTED, "Quantity");
    s.text_right(COL_PRICE, y, 8.0, MUTED, "Unit price");
    s.text_right(COL_DISCOUNT, y, 8.0, MUTED, "Discount");
    s.text_right(COL_RATE, y, 8.0, MUTED, "Tax");
    s.text_right(COL_NET, y, 8.0, MUTED, "Net");
    y + 7.0
}

/// The lines, breaking pages (and repeating the header) as they fill.
fn lines(s: &mut Sheet, doc: &Document, money: &dyn Fn(Money) -> String, y: f32) -> f32 {
    let mut y = table_head(s, y);
    let text_w = COL_QTY - 22.0 - MARGIN;
    for l in &doc.lines {
        let name = wrap(&l.description, text_w, BODY);
        let height = leading(BODY) * name.len() as f32 + 2.5;
        if y + height > PAGE_H - MARGIN {
            s.new_page();
            y = table_head(s, MARGIN + 5.0);
        }
        let mut ly = y;
        for part in &name {
            s.text(MARGIN + 1.0, ly, BODY, INK, part);
            ly += leading(BODY);
        }
        s.text_right(COL_QTY, y, BODY, INK, &format!("{} {}", l.quantity, l.unit));
        s.text_right(COL_PRICE, y, BODY, INK, &l.unit_price.to_string());
        if l.discount != Money::ZERO {
            s.text_right(COL_DISCOUNT, y, BODY, INK, &format!("-{}", l.discount));
        }
        s.text_right(COL_RATE, y, BODY, INK, &percent(l.tax_rate_bp));
        s.text_right(COL_NET, y, BODY, INK, &money(l.net));
        y += height;
        s.line((MARGIN, y - 4.0), (PAGE_W - MARGIN, y - 4.0), 0.3, 0.8);
    }
    y
}

/// Tax per rate on the left, totals on the right; keeps the block on one page.
fn summary(s: &mut Sheet, doc: &Document, money: &dyn Fn(Money) -> String, y: f32) -> f32 {
    let rows = doc.tax_summary.len().max(5) as f32 + 2.0;
    let mut y = y;
    if y + rows * leading(BODY) > PAGE_H - MARGIN {
        s.new_page();
        y = MARGIN + 5.0;
    }
    let (l1, l2, l3) = (MARGIN + 1.0, MARGIN + 45.0, MARGIN + 75.0);
    s.text(l1, y, 8.0, MUTED, "TAX RATE");
    s.text_right(l2, y, 8.0, MUTED, "NET");
    s.text_right(l3, y, 8.0, MUTED, "TAX");
    let mut left = y + leading(BODY);
    for t in &doc.tax_summary {
        s.text(l1, left, BODY, INK, &percent(t.rate_bp));
        s.text_right(l2, left, BODY, INK, &money(t.net));
        s.text_right(l3, left, BODY, INK, &money(t.tax));
        left += leading(BODY);
    }
    let (label_x, value_x) = (COL_RATE - 30.0, COL_NET);
    let mut totals = vec![
        ("Net", money(doc.net)),
        ("Tax", money(doc.tax)),
        ("Total", money(doc.total)),
    ];
    if matches!(doc.kind, Kind::Invoice { .. }) {
        totals.push(("Paid", money(doc.paid)));
        totals.push(("Balance due", money(doc.balance)));
    }
    let mut right = y;
    for (label, value) in totals {
        let strong = matches!(label, "Total" | "Balance due");
        let size = if strong { 10.5 } else { BODY };
        s.text(
            label_x,
            right,
            size,
            if strong { INK } else { MUTED },
            label,
        );
        s.text_right(value_x, right, size, INK, &value);
        right += leading(size) + 0.5;
    }
    let mut y = left.max(right) + 2.0;
    if !doc.notes.is_empty() {
        y = s.wrapped(MARGIN, y + 2.0, PAGE_W - 2.0 * MARGIN, BODY, &doc.notes);
    }
    y
}

/// How to pay: the bank, IBAN, BIC and reference, and the transfer's QR code.
fn payment(s: &mut Sheet, doc: &Document, y: f32) {
    let c = &doc.seller;
    if c.iban.is_empty() && c.bank.is_empty() {
        return;
    }
    let qr = 32.0;
    let mut y = y;
    if y + qr + 8.0 > PAGE_H - MARGIN {
        s.new_page();
        y = MARGIN + 5.0;
    }
    s.text(MARGIN, y, 8.0, MUTED, "PAYMENT");
    let mut rows = Vec::new();
    if !c.bank.is_empty() {
        rows.push(("Bank", c.bank.clone()));
    }
    if !c.iban.is_empty() {
        rows.push(("IBAN", spaced(&c.iban)));
    }
    if !c.bic.is_empty() {
        rows.push(("BIC", c.bic.clone()));
    }
    rows.push(("Reference", doc.number.clone()));
    let mut ly = y + 5.0;
    for (label, value) in rows {
        s.text(MARGIN, ly, BODY, MUTED, label);
        s.text(MARGIN + 25.0, ly, BODY, INK, &value);
        ly += leading(BODY);
    }
    if let Some(payload) = epc_payload(doc) {
        s.qr(PAGE_W - MARGIN - qr, y - 3.0, qr, &payload);
        s.text_right(PAGE_W - MARGIN, y + qr, 7.0, MUTED, "Scan to pay");
    }
}

/// An IBAN in groups of four, as people read it.
fn spaced(iban: &str) -> String {
    let chars: Vec<char> = iban.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The EPC069-12 QR code's text (version 002, UTF-8, SEPA credit transfer): the seller's
/// BIC, name (≤ 70 characters), IBAN, the amount due in euro and the invoice number as the
/// remittance. `None` without an IBAN, in another currency, or with nothing (or more than
/// the format's 999,999,999.99) due.
pub fn epc_payload(doc: &Document) -> Option<String> {
    let c = &doc.seller;
    let due = doc.balance.cents();
    if c.iban.is_empty() || doc.currency != "EUR" || !(1..=99_999_999_999).contains(&due) {
        return None;
    }
    let name: String = c.name.chars().take(70).collect();
    let amount = format!("EUR{}.{:02}", due / 100, due % 100);
    Some(
        [
            "BCD",
            "002",
            "1",
            "SCT",
            &c.bic,
            &name,
            &c.iban,
            &amount,
            "",
            "",
            &doc.number,
        ]
        .join("\n"),
    )
}

/// Draws `doc` off the async runtime.
pub(crate) async fn draw(doc: Document) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || render(&doc))
        .await
        .map_err(|e| AppError::internal("invoice PDF", e))?
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A PDF to store: `bytes` for row `id` of `table` (`invoices` or `credit_notes`).
pub struct Drawn {
    table: &'static str,
    id: i64,
    bytes: Vec<u8>,
}

/// Stores drawn PDFs with their SHA-256, those that arrive together in one transaction
/// (`AppState::invoicing`). A row that has one already keeps it: the first stored stays, so
/// every download is the same bytes. Answers, per PDF, whether its bytes are the ones stored
/// (false: another request stored first).
pub struct PdfWriter {
    pub db: DatabaseConnection,
}

impl Writer for PdfWriter {
    type Job = Drawn;
    type Done = bool;
    const NAME: &'static str = "document PDF";

    async fn write(&self, drawn: &[Drawn]) -> AppResult<Vec<bool>> {
        let (pdf, sha) = (Alias::new("pdf"), Alias::new("pdf_sha256"));
        let (_gate, txn) = crate::server::db::begin_write(&self.db)
            .await
            .or_internal("document PDF")?;
        let mut stored = Vec::with_capacity(drawn.len());
        for d in drawn {
            let update = Query::update()
                .table(Alias::new(d.table))
                .values([
                    (pdf.clone(), d.bytes.clone().into()),
                    (sha.clone(), sha256_hex(&d.bytes).into()),
                ])
                .and_where(Expr::col(Alias::new("id")).eq(d.id))
                .and_where(Expr::col(pdf.clone()).is_null())
                .to_owned();
            let done = txn.execute(&update).await.or_internal("document PDF")?;
            stored.push(done.rows_affected() == 1);
        }
        txn.commit().await.or_internal("document PDF")?;
        Ok(stored)
    }
}

/// Draws `doc` and stores it as the PDF of row `id` of `table`; answers whether these bytes
/// were stored, and the bytes.
async fn store(
    state: &AppState,
    table: &'static str,
    id: i64,
    doc: Document,
) -> AppResult<(bool, Vec<u8>)> {
    let bytes = draw(doc).await?;
    let job = Drawn {
        table,
        id,
        bytes: bytes.clone(),
    };
    let stored = state.invoicing.pdfs.submit(job).await?;
    Ok((stored, bytes))
}

/// Draws invoice `id`'s PDF from `doc` and stores it (see `PdfWriter`); answers the stored
/// bytes.
pub async fn store_invoice(state: &AppState, id: i64, doc: Document) -> AppResult<Vec<u8>> {
    match store(state, "invoices", id, doc).await? {
        (true, bytes) => Ok(bytes),
        _ => super::read::find(&state.db, id)
            .await?
            .pdf
            .ok_or_else(|| AppError::internal("invoice PDF", "not stored")),
    }
}

/// Credit note `id`'s PDF, drawn and stored the same way.
pub async fn store_credit_note(state: &AppState, id: i64, doc: Document) -> AppResult<Vec<u8>> {
    match store(state, "credit_notes", id, doc).await? {
        (true, bytes) => Ok(bytes),
        _ => find_credit_note(&state.db, id)
            .await?
            .pdf
            .ok_or_else(|| AppError::internal("credit note PDF", "not stored")),
    }
}

pub async fn find_credit_note(db: &DatabaseConnection, id: i64) -> AppResult<credit_note::Model> {
    credit_note::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("credit notes")?
        .ok_or_else(|| AppError::NotFound(format!("credit note {id}")))
}

/// Invoice `id`'s stored PDF; drawn and stored first if an issue stopped short of it.
pub async fn invoice_bytes(state: &AppState, id: i64) -> AppResult<(String, Vec<u8>)> {
    let inv = super::read::find(&state.db, id).await?;
    let number = inv
        .number
        .clone()
        .ok_or_else(|| AppError::Conflict("a draft has no PDF yet; issue it first".into()))?;
    let bytes = match inv.pdf {
        Some(b) => b,
        None => {
            let doc = parse(inv.document.as_deref())?;
            store_invoice(state, id, doc).await?
        }
    };
    Ok((number, bytes))
}

pub fn parse(json: Option<&str>) -> AppResult<Document> {
    let json = json.ok_or_else(|| AppError::internal("invoice PDF", "issued without a record"))?;
    serde_json::from_str(json).map_err(|e| AppError::internal("invoice PDF", e))
}

/// `bytes` as `{name}.pdf`, shown in the browser. A `frozen` document (issued) is the same
/// bytes for as long as it exists and may be kept for an hour; any other follows its order.
pub(crate) fn pdf_response(name: &str, bytes: Vec<u8>, frozen: bool) -> Response {
    let cache = match frozen {
        true => "private, max-age=3600",
        false => "private, no-cache",
    };
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.pdf\""),
            ),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/invoices/{id}/invoice.pdf`
pub async fn invoice_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(READ)?;
    let (number, bytes) = invoice_bytes(&ctx.state, id).await?;
    Ok(pdf_response(&number, bytes, true))
}

/// `GET /api/credit-notes/{id}/pdf`
pub async fn credit_note_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(READ)?;
    let note = find_credit_note(&ctx.state.db, id).await?;
    let bytes = match note.pdf {
        Some(b) => b,
        None => store_credit_note(&ctx.state, id, parse(Some(&note.document))?).await?,
    };
    Ok(pdf_response(&note.number, bytes, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payment_qr_code_follows_epc069_12() {
        use crate::invoices::document::{Buyer, Document, Kind};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let mut doc = Document {
            kind: Kind::Invoice {
                due_date: today,
                payment_terms_days: 0,
                delivery_notes: Vec::new(),
            },
            number: "INV-2026-00017".into(),
            issue_date: today,
            currency: "EUR".into(),
            seller: crate::server::config::Company {
                name: "Łódź Trading".into(),
                iban: "DE89370400440532013000".into(),
                bic: "COBADEFFXXX".into(),
                ..Default::default()
            },
            buyer: Buyer {
                name: "Zoë".into(),
                address: String::new(),
                tax_id: String::new(),
            },
            ship_to: String::new(),
            order_number: "SO-2026-00001".into(),
            client_reference: String::new(),
            lines: Vec::new(),
            tax_summary: Vec::new(),
            net: Money(0),
            tax: Money(0),
            total: Money(123_456),
            paid: Money(0),
            balance: Money(123_456),
            notes: String::new(),
        };
        assert_eq!(
            epc_payload(&doc).unwrap(),
            "BCD\n002\n1\nSCT\nCOBADEFFXXX\nŁódź Trading\nDE89370400440532013000\n\
             EUR1234.56\n\n\nINV-2026-00017"
        );
        doc.balance = Money(0);
        assert_eq!(epc_payload(&doc), None, "nothing due");
        doc.balance = Money(100);
        doc.currency = "USD".into();
        assert_eq!(epc_payload(&doc), None, "SEPA transfers are in euro");
        doc.currency = "EUR".into();
        doc.seller.iban = String::new();
        assert_eq!(epc_payload(&doc), None, "no IBAN configured");
    }

    #[test]
    fn ibans_print_in_groups_of_four() {
        assert_eq!(
            spaced("DE89370400440532013000"),
            "DE89 3704 0044 0532 0130 00"
        );
    }
}
