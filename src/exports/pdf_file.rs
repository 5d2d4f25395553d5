//! PDF exports through printpdf (`server::pdf::Sheet`, the repository's font): the title, the
//! filters and the time it was made; the report's chart, drawn with the geometry the page's
//! SVG uses (`reports::chart::layout`); then the table, breaking pages and repeating its
//! header. A PDF is for reading, so it takes at most `MAX_ROWS` rows; a longer table is
//! refused before it starts, never cut short.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::table::{Batches, Cell, Chart, Head, Kind};
use crate::business::money_in;
use crate::error::{AppError, AppResult};
use crate::reports::chart;
use crate::server::pdf::{INK, MARGIN, MUTED, PAGE_H, PAGE_W, Sheet, leading, width};

/// Rows a PDF export takes: about 90 pages.
pub const MAX_ROWS: u64 = 5_000;
const BODY: f32 = 7.5;
const CHART_H: f32 = 60.0;

/// Refuses a table too long for a PDF, with what to do instead.
pub fn check_size(total: u64) -> AppResult<()> {
    match total > MAX_ROWS {
        true => Err(AppError::invalid(format!(
            "a PDF holds up to {MAX_ROWS} rows and this has {total}: narrow the filters, or \
             export CSV or Excel"
        ))),
        false => Ok(()),
    }
}

fn fault(e: impl std::fmt::Debug) -> AppError {
    AppError::internal("PDF export", e)
}

/// Where each column starts, and how wide it is (mm): text columns take twice a figure's.
fn columns(head: &Head) -> Vec<(f32, f32)> {
    let weight = |k: Kind| if k == Kind::Text { 2.0 } else { 1.0 };
    let total: f32 = head.columns.iter().map(|c| weight(c.kind)).sum();
    let unit = (PAGE_W - 2.0 * MARGIN) / total.max(1.0);
    let mut x = MARGIN;
    head.columns
        .iter()
        .map(|c| {
            let w = unit * weight(c.kind);
            let at = (x, w);
            x += w;
            at
        })
        .collect()
}

/// `text` cut to fit `max` mm, with an ellipsis when cut. Widths add up glyph by glyph
/// (`width`), so one pass measures it.
fn fit(text: &str, max: f32) -> String {
    if width(text, BODY) <= max {
        return text.to_string();
    }
    let room = max - width("…", BODY);
    let (mut out, mut used) = (String::new(), 0.0);
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]), BODY);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    format!("{out}…")
}

/// Writes `head` and every batch to `path` as a PDF, counting rows in `written`. Blocking.
pub fn write(head: &Head, mut batches: Batches, path: &Path, written: &AtomicU64) -> AppResult<()> {
    let mut s = Sheet::new(&head.title).map_err(|_| fault("the PDF font could not be read"))?;
    let mut y = top(&mut s, head);
    if let Some(c) = &head.chart {
        draw_chart(&mut s, c, y, &head.currency);
        y += CHART_H + 8.0;
    }
    let cols = columns(head);
    y = table_head(&mut s, head, &cols, y);
    while let Some(batch) = batches.blocking_recv() {
        let batch = batch?;
        for row in &batch {
            if y + leading(BODY) > PAGE_H - MARGIN {
                s.new_page();
                y = table_head(&mut s, head, &cols, MARGIN + 5.0);
            }
            for ((cell, (x, w)), c) in row.iter().zip(&cols).zip(&head.columns) {
                let text = match cell {
                    Cell::Text(t) => t.clone(),
                    Cell::Int(n) => n.to_string(),
                    Cell::Money(m) => money_in(&head.currency, crate::money::Money(*m)),
                    Cell::Date(d) => d.to_string(),
                    Cell::Empty => String::new(),
                };
                let text = fit(&text, w - 2.0);
                match c.kind {
                    Kind::Text | Kind::Date => s.text(x + 1.0, y, BODY, INK, &text),
                    Kind::Int | Kind::Money => s.text_right(x + w - 1.0, y, BODY, INK, &text),
                }
            }
            y += leading(BODY);
        }
        written.fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
    std::fs::write(path, s.finish()).map_err(fault)
}

/// Title, filters and time; answers where the next part starts.
fn top(s: &mut Sheet, head: &Head) -> f32 {
    s.text(MARGIN, MARGIN + 5.0, 16.0, INK, &head.title);
    let mut y = MARGIN + 12.0;
    let filters: Vec<String> = head
        .filters
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    for line in crate::server::pdf::wrap(&filters.join("   "), PAGE_W - 2.0 * MARGIN, 9.0) {
        s.text(MARGIN, y, 9.0, MUTED, &line);
        y += leading(9.0);
    }
    s.text(MARGIN, y, 9.0, MUTED, &format!("Made {}", head.made));
    y + 8.0
}

fn table_head(s: &mut Sheet, head: &Head, cols: &[(f32, f32)], y: f32) -> f32 {
    s.rect(MARGIN, y - 4.0, PAGE_W - 2.0 * MARGIN, 6.0, Some(0.93));
    for (c, (x, w)) in head.columns.iter().zip(cols) {
        match c.kind {
            Kind::Text | Kind::Date => s.text(x + 1.0, y, BODY, MUTED, c.title),
            Kind::Int | Kind::Money => s.text_right(x + w - 1.0, y, BODY, MUTED, c.title),
        }
    }
    y + 6.5
}

/// The chart in a box `CHART_H` mm high from `y`, scaled from the page's SVG geometry.
fn draw_chart(s: &mut Sheet, c: &Chart, y: f32, currency: &str) {
    let line = c.line.as_ref().map(|(_, v)| v.as_slice());
    let l = chart::layout(&c.labels, &c.bars, line);
    let (sx, sy) = (
        (PAGE_W - 2.0 * MARGIN) / chart::WIDTH as f32,
        CHART_H / chart::HEIGHT as f32,
    );
    let at = |x: f64, yy: f64| (MARGIN + x as f32 * sx, y + yy as f32 * sy);
    s.text(MARGIN, y - 2.0, 9.0, INK, &c.title);
    let (zx, zy) = at(chart::LEFT, l.zero);
    s.line((zx, zy), (PAGE_W - MARGIN, zy), 0.4, 0.5);
    let top = money_in(currency, crate::money::Money(l.top));
    s.text_right(zx - 1.0, y + 4.0, 6.5, MUTED, &top);
    let every = chart::label_every(l.bars.len());
    for (i, b) in l.bars.iter().enumerate() {
        let (x, by) = at(b.x, b.y);
        s.rect(x, by, b.width as f32 * sx, b.height as f32 * sy, Some(0.45));
        if i % every == 0 {
            let (cx, _) = at(b.x + b.width / 2.0, 0.0);
            let w = width(&b.label, 6.0);
            s.text(cx - w / 2.0, y + CHART_H - 1.0, 6.0, MUTED, &b.label);
        }
    }
    let points: Vec<(f32, f32)> = l.line.iter().map(|(x, yy)| at(*x, *yy)).collect();
    s.stroke(&points, 1.2, 0.15);
    let mut legend = format!("■ {}", c.bar_name);
    if let Some((name, _)) = &c.line {
        legend.push_str(&format!("    — {name}"));
    }
    s.text(MARGIN, y + CHART_H + 4.0, 7.0, MUTED, &legend);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_cell_is_cut_to_its_column_with_an_ellipsis() {
        assert_eq!(fit("Acme", 30.0), "Acme");
        let long = "A very long client name that cannot fit in one narrow column".repeat(20);
        let cut = fit(&long, 30.0);
        assert!(cut.ends_with('…') && cut.len() < long.len());
        assert!(width(&cut, BODY) <= 30.0 + 1e-3, "{}", width(&cut, BODY));
        // As much as fits: one more character would not.
        let kept = cut.trim_end_matches('…');
        let next = long[kept.len()..].chars().next().unwrap();
        assert!(width(&format!("{kept}{next}…"), BODY) > 30.0);
    }
}
