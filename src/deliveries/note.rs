//! The delivery note, as PDF: the seller (from configuration), the client and the delivery
//! address, the number and dates, the lines (ordered, on this delivery, still outstanding,
//! with the header repeated on each page), a QR code of the delivery's page, and a box for
//! the recipient's signature — or the signature drawn on the phone, once delivered.
//!
//! `GET /api/deliveries/{id}/note.pdf`; drawn off the async runtime.

use dioxus::server::axum::extract::Path;
use dioxus::server::axum::http::header;
use dioxus::server::axum::response::{IntoResponse, Response};

use super::rules::strokes;
use super::{Delivery, DeliveryStatus, READ};
use crate::auth::guard::Ctx;
use crate::business::Zone;
use crate::choice::Choice;
use crate::error::AppError;
use crate::server::config::Company;
use crate::server::pdf::{INK, MARGIN, MUTED, PAGE_H, PAGE_W, Sheet, leading, width, wrap};

/// Where each column of the lines ends (figures) or starts (text), in mm.
const COL_PRODUCT: f32 = MARGIN;
const COL_ORDERED: f32 = 135.0;
const COL_THIS: f32 = 165.0;
const COL_LEFT: f32 = PAGE_W - MARGIN;
/// Text size of the body, in pt.
const BODY: f32 = 9.5;
/// The signature box's height, and what the page keeps free for it.
const SIGN_H: f32 = 38.0;

/// What the note needs beside the delivery.
pub struct NoteContext<'a> {
    pub company: &'a Company,
    pub zone: &'a Zone,
    /// The delivery page's address, for the QR code.
    pub link: String,
}

/// The note's bytes. CPU work: call it from `spawn_blocking`.
pub fn render(d: &Delivery, cx: &NoteContext) -> Result<Vec<u8>, AppError> {
    let mut s = Sheet::new(&format!("Delivery note {}", d.number))
        .map_err(|_| AppError::internal("delivery note", "the PDF font could not be read"))?;
    let mut y = header(&mut s, d, cx);
    y = parties(&mut s, d, y);
    y = facts(&mut s, d, cx.zone, y);
    y = lines(&mut s, d, y + 4.0);
    if y + SIGN_H + 12.0 > PAGE_H - MARGIN {
        s.new_page();
        y = MARGIN;
    }
    signature(&mut s, d, cx.zone, y + 8.0);
    Ok(s.finish())
}

/// Seller top left, title and number top right, the QR code under them; answers where the
/// next block starts.
fn header(s: &mut Sheet, d: &Delivery, cx: &NoteContext) -> f32 {
    let c = cx.company;
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
    s.text_right(PAGE_W - MARGIN, MARGIN + 6.0, 16.0, INK, "Delivery note");
    s.text_right(PAGE_W - MARGIN, MARGIN + 13.0, 12.0, INK, &d.number);
    let qr = 28.0;
    s.qr(PAGE_W - MARGIN - qr, MARGIN + 16.0, qr, &cx.link);
    y.max(MARGIN + 16.0 + qr) + 4.0
}

/// The client and where the goods go.
fn parties(s: &mut Sheet, d: &Delivery, y: f32) -> f32 {
    let half = (PAGE_W - 2.0 * MARGIN) / 2.0 - 5.0;
    s.text(MARGIN, y, 8.0, MUTED, "CLIENT");
    s.text(MARGIN + half + 10.0, y, 8.0, MUTED, "DELIVER TO");
    let left = s.wrapped(MARGIN, y + 5.0, half, 11.0, &d.client_name);
    let mut right = y + 5.0;
    for line in wrap(&d.address, half, BODY) {
        s.text(MARGIN + half + 10.0, right, BODY, INK, &line);
        right += leading(BODY);
    }
    left.max(right) + 3.0
}

/// Order, dates, driver, tracking, status.
fn facts(s: &mut Sheet, d: &Delivery, zone: &Zone, y: f32) -> f32 {
    let window = match (&d.window_from, &d.window_to) {
        (Some(f), Some(t)) => format!(" {f}–{t}"),
        _ => String::new(),
    };
    let mut rows = vec![
        ("Order", d.order_number.clone()),
        ("Scheduled", format!("{}{window}", d.scheduled_date)),
        ("Status", d.status.label().to_string()),
    ];
    if !d.carrier.is_empty() {
        rows.push(("Driver or carrier", d.carrier.clone()));
    }
    if !d.tracking.is_empty() {
        rows.push(("Tracking", d.tracking.clone()));
    }
    if let Some(at) = &d.delivered_at {
        rows.push(("Delivered", zone.date_time(at)));
    }
    let mut y = y;
    for (label, value) in rows {
        s.text(MARGIN, y, BODY, MUTED, label);
        s.text(MARGIN + 38.0, y, BODY, INK, &value);
        y += leading(BODY);
    }
    if !d.notes.is_empty() {
        y = s.wrapped(MARGIN, y + 1.0, PAGE_W - 2.0 * MARGIN, BODY, &d.notes);
    }
    y
}

fn table_head(s: &mut Sheet, y: f32) -> f32 {
    s.rect(MARGIN, y - 4.5, PAGE_W - 2.0 * MARGIN, 6.5, Some(0.93));
    s.text(COL_PRODUCT + 1.0, y, 8.5, MUTED, "Product");
    s.text_right(COL_ORDERED, y, 8.5, MUTED, "Ordered");
    s.text_right(COL_THIS, y, 8.5, MUTED, "This delivery");
    s.text_right(COL_LEFT - 1.0, y, 8.5, MUTED, "Outstanding");
    y + 7.0
}

/// The lines, breaking pages (and repeating the header) as they fill.
fn lines(s: &mut Sheet, d: &Delivery, y: f32) -> f32 {
    let mut y = table_head(s, y);
    let text_w = COL_ORDERED - 22.0 - COL_PRODUCT;
    for l in &d.lines {
        let name = wrap(&l.description, text_w, BODY);
        let height = leading(BODY) * (name.len() as f32 + 1.0) + 1.5;
        if y + height > PAGE_H - MARGIN {
            s.new_page();
            y = table_head(s, MARGIN + 5.0);
        }
        let mut ly = y;
        for part in &name {
            s.text(COL_PRODUCT + 1.0, ly, BODY, INK, part);
            ly += leading(BODY);
        }
        s.text(COL_PRODUCT + 1.0, ly, 8.0, MUTED, &l.sku);
        let unit = |q: i64| format!("{q} {}", l.unit);
        s.text_right(COL_ORDERED, y, BODY, INK, &unit(l.ordered));
        s.text_right(COL_THIS, y, BODY, INK, &unit(l.quantity));
        s.text_right(COL_LEFT - 1.0, y, BODY, INK, &unit(l.outstanding));
        y += height;
        s.line((MARGIN, y - 4.0), (PAGE_W - MARGIN, y - 4.0), 0.3, 0.8);
    }
    y
}

/// The box the recipient signs in, or the signature drawn on the phone and who took it.
fn signature(s: &mut Sheet, d: &Delivery, zone: &Zone, y: f32) {
    let (x, w) = (MARGIN, 90.0);
    s.text(x, y, 8.0, MUTED, "RECEIVED BY");
    let top = y + 2.0;
    s.rect(x, top, w, SIGN_H - 8.0, None);
    let signed = d.status == DeliveryStatus::Delivered;
    if let Some(path) = d.signature.as_deref().filter(|_| signed) {
        // The pad is 300 × 150 units; the box keeps its proportions.
        let scale = ((w - 4.0) / 300.0).min((SIGN_H - 12.0) / 150.0);
        for stroke in strokes(path) {
            let points: Vec<(f32, f32)> = stroke
                .iter()
                .map(|&(px, py)| (x + 2.0 + px * scale, top + 2.0 + py * scale))
                .collect();
            s.stroke(&points, 1.0, 0.1);
        }
    }
    let below = top + SIGN_H - 3.0;
    match (&d.recipient, &d.delivered_at) {
        (Some(who), Some(at)) if signed => {
            s.text(
                x,
                below,
                BODY,
                INK,
                &format!("{who}, {}", zone.date_time(at)),
            );
        }
        _ => {
            s.text(x, below, 8.0, MUTED, "Name, date and signature");
            let line_x = x + w + 10.0;
            s.text(line_x, y, 8.0, MUTED, "GOODS RECEIVED IN GOOD ORDER");
            let rule = line_x + width("GOODS RECEIVED IN GOOD ORDER", 8.0);
            s.line(
                (line_x, top + 14.0),
                (rule.max(line_x + 60.0), top + 14.0),
                0.4,
                0.5,
            );
        }
    }
}

/// The delivery page's address, which the QR code carries: `https://sales.example/deliveries/7`.
pub fn link(base: &url::Url, id: i64) -> String {
    let mut link = base.clone();
    link.set_path(&format!("{}deliveries/{id}", base.path()));
    link.to_string()
}

/// `GET /api/deliveries/{id}/note.pdf`
pub async fn note_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(READ)?;
    let d = super::read::get(&ctx.state.db, id).await?;
    let state = ctx.state.clone();
    let number = d.number.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        let cx = NoteContext {
            company: &state.config.company,
            zone: &state.config.business.zone,
            link: link(&state.config.base_url, d.id),
        };
        render(&d, &cx)
    })
    .await
    .map_err(|e| AppError::internal("delivery note", e))??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{number}.pdf\""),
            ),
            // A note changes with its delivery: never reuse an old copy.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
