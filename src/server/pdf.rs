//! A4 documents with printpdf (delivery notes now, invoices and reports later): text in the
//! repository's DejaVu Sans (embedded as a subset, so "Zoë Łukasiewicz, Kraków" prints as
//! typed), lines, boxes, strokes and QR codes, placed in millimetres from the page's top
//! left. printpdf has no layout of its own (DESIGN.md §13): callers place columns and break
//! pages, with `room` and `new_page`.
//!
//! Rendering is CPU work: call `finish` off the async runtime (`tokio::task::spawn_blocking`).

use std::sync::LazyLock;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`): Latin, Greek and
/// Cyrillic, every accent a client's name may carry.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Parsed once per process; each document embeds the subset it uses.
static FONT: LazyLock<Option<ParsedFont>> =
    LazyLock::new(|| ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new()));

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
/// The margin on every side.
pub const MARGIN: f32 = 15.0;

fn pt(mm: f32) -> Pt {
    Mm(mm).into()
}

/// A point `x` mm from the left and `y` mm from the top.
fn at(x: f32, y: f32) -> Point {
    Point {
        x: pt(x),
        y: pt(PAGE_H - y),
    }
}

fn grey(level: f32) -> Color {
    Color::Rgb(Rgb::new(level, level, level, None))
}

/// Text colour: near black, and lighter for labels.
pub const INK: f32 = 0.1;
pub const MUTED: f32 = 0.42;

/// A document being drawn, page by page.
pub struct Sheet {
    doc: PdfDocument,
    font: FontId,
    pages: Vec<PdfPage>,
    ops: Vec<Op>,
}

/// The font could not be read: a broken build, reported as a 500 by the caller.
#[derive(Debug)]
pub struct NoFont;

impl Sheet {
    /// An empty document titled `title`, on its first page.
    pub fn new(title: &str) -> Result<Self, NoFont> {
        let font = FONT.as_ref().ok_or(NoFont)?;
        let mut doc = PdfDocument::new(title);
        // printpdf dates a document 1970 unless told (DESIGN.md §13).
        let now = printpdf::DateTime::now_utc();
        doc.metadata.info.creation_date = now;
        doc.metadata.info.modification_date = now;
        doc.metadata.info.metadata_date = now;
        let font = doc.add_font(font);
        Ok(Self {
            doc,
            font,
            pages: Vec::new(),
            ops: Vec::new(),
        })
    }

    /// `text` at `x` mm from the left, its baseline `y` mm from the top, `size` pt.
    pub fn text(&mut self, x: f32, y: f32, size: f32, shade: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let p = at(x, y);
        self.ops.extend([
            Op::StartTextSection,
            // Shapes and text share the fill colour: set it for every text.
            Op::SetFillColor { col: grey(shade) },
            Op::SetFont {
                font: PdfFontHandle::External(self.font.clone()),
                size: Pt(size),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(p.x, p.y),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    /// `text` ending at `right` mm from the left (figures in a column).
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, shade: f32, text: &str) {
        self.text(right - width(text, size), y, size, shade, text);
    }

    /// `text` in lines of at most `max` mm, each `leading` mm below the last, from `y`;
    /// answers the baseline after the last line.
    pub fn wrapped(&mut self, x: f32, y: f32, max: f32, size: f32, text: &str) -> f32 {
        let mut y = y;
        for line in wrap(text, max, size) {
            self.text(x, y, size, INK, &line);
            y += leading(size);
        }
        y
    }

    /// A straight line, `thickness` pt.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness: f32, shade: f32) {
        self.stroke(&[from, to], thickness, shade);
    }

    /// Joined straight segments through `points` (a signature's stroke).
    pub fn stroke(&mut self, points: &[(f32, f32)], thickness: f32, shade: f32) {
        if points.len() < 2 {
            return;
        }
        let points = points
            .iter()
            .map(|&(x, y)| LinePoint {
                p: at(x, y),
                bezier: false,
            })
            .collect();
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: grey(shade) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points,
                    is_closed: false,
                },
            },
            Op::RestoreGraphicsState,
        ]);
    }

    /// A box outlined (`fill` None) or filled with grey `fill`, top left at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<f32>) {
        let corner = at(x, y + h);
        let (mode, colour) = match fill {
            Some(level) => (
                printpdf::PaintMode::Fill,
                Op::SetFillColor { col: grey(level) },
            ),
            None => (
                printpdf::PaintMode::Stroke,
                Op::SetOutlineColor { col: grey(0.6) },
            ),
        };
        self.ops.extend([
            Op::SaveGraphicsState,
            colour,
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: corner.x,
                    y: corner.y,
                    width: pt(w),
                    height: pt(h),
                    mode: Some(mode),
                    winding_order: None,
                },
            },
            Op::RestoreGraphicsState,
        ]);
    }

    /// A QR code of `content`, `size` mm square, top left at (`x`, `y`): its dark modules as
    /// filled squares (DESIGN.md §13: no SVG renderer needed).
    pub fn qr(&mut self, x: f32, y: f32, size: f32, content: &str) {
        let Ok(code) = qrcode::QrCode::new(content.as_bytes()) else {
            return;
        };
        let n = code.width();
        let quiet = 2.0;
        let cell = size / (n as f32 + 2.0 * quiet);
        for row in 0..n {
            for col in 0..n {
                if code[(col, row)] == qrcode::Color::Dark {
                    let (cx, cy) = (col as f32 + quiet, row as f32 + quiet);
                    self.rect(x + cx * cell, y + cy * cell, cell, cell, Some(0.0));
                }
            }
        }
    }

    /// Ends the page being drawn; what follows goes on a new one.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
    }

    /// The finished document's bytes (CPU work: off the async runtime).
    pub fn finish(mut self) -> Vec<u8> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let options = PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        };
        self.doc
            .with_pages(self.pages)
            .save(&options, &mut Vec::new())
    }
}

/// The distance between baselines for text of `size` pt, in mm.
pub fn leading(size: f32) -> f32 {
    size * 0.3528 * 1.35
}

/// How wide `text` is at `size` pt, in mm, measured as printpdf places glyphs (each advance
/// rounded down to 1/1000 em, DESIGN.md §13).
pub fn width(text: &str, size: f32) -> f32 {
    let Some(font) = FONT.as_ref() else {
        return 0.0;
    };
    let per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
    let thousandths: f32 = text
        .chars()
        .map(|c| {
            let advance = font
                .lookup_glyph_index(c as u32)
                .map_or(0, |g| font.get_horizontal_advance(g));
            (f32::from(advance) * 1000.0 / per_em).floor()
        })
        .sum();
    thousandths / 1000.0 * size * 0.3528
}

/// `text` broken into lines of at most `max` mm at `size` pt: at its own line breaks, then
/// between words; a word longer than a line is cut.
pub fn wrap(text: &str, max: f32, size: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = match line.is_empty() {
                true => word.to_string(),
                false => format!("{line} {word}"),
            };
            if width(&candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            // One word wider than the line: cut it where it fills the line.
            let mut rest = word.to_string();
            while width(&rest, size) > max && rest.chars().count() > 1 {
                let mut cut: String = rest.chars().collect();
                while width(&cut, size) > max && cut.chars().count() > 1 {
                    cut.pop();
                }
                rest = rest[cut.len()..].to_string();
                out.push(cut);
            }
            line = rest;
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_reads_and_measures_accented_text() {
        assert!(FONT.is_some(), "the repository's font parses");
        let plain = width("Zoe Lukasiewicz", 10.0);
        assert!(plain > 20.0 && plain < 40.0, "{plain} mm");
        // Accents take the width of their letters, not nothing.
        assert!((width("Zoë Łukasiewicz", 10.0) - plain).abs() < 1.0);
    }

    #[test]
    fn long_text_wraps_between_words_and_cuts_what_cannot() {
        let lines = wrap("Müllerstraße 5\n31-000 Kraków Poland", 32.0, 10.0);
        assert_eq!(lines[0], "Müllerstraße 5");
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 10.0) <= 32.0), "{lines:?}");
        let cut = wrap(&"W".repeat(60), 20.0, 10.0);
        assert!(cut.len() > 1 && cut.iter().all(|l| width(l, 10.0) <= 20.0));
        assert_eq!(cut.concat(), "W".repeat(60));
    }

    #[test]
    fn a_document_renders_with_its_font_embedded_as_a_subset() {
        let mut s = Sheet::new("Test").unwrap();
        s.text(MARGIN, 20.0, 12.0, INK, "Zoë Łukasiewicz");
        s.qr(150.0, 20.0, 30.0, "https://sales.example/deliveries/1");
        s.new_page();
        s.text(MARGIN, 20.0, 12.0, INK, "Page two");
        let bytes = s.finish();
        assert!(bytes.starts_with(b"%PDF-"));
        // A subset, not the whole 740 KB font.
        assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
    }
}
