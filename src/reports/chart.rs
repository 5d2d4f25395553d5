//! Report charts, drawn as SVG in the page: bars for one series (net sales by period), an
//! optional line for a second (orders booked), a zero line, and the highest value marked.
//! The geometry is worked out here, in plain numbers, so the PDF export draws the same chart.

use dioxus::prelude::*;

/// The drawing area, in SVG user units (the SVG scales to its box).
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 240.0;
/// Room left for the value labels (left) and period labels (bottom).
pub const LEFT: f64 = 64.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// One bar: where it stands, and how it is labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
}

/// A chart's shapes: the bars, the line's points, the zero line's height, and the scale's
/// top value (in the series' own units).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub bars: Vec<Bar>,
    pub line: Vec<(f64, f64)>,
    pub zero: f64,
    pub top: i64,
}

/// Lays out `bars` (and `line`, on its own scale) over the drawing area. Negative bars hang
/// below the zero line.
pub fn layout(labels: &[String], bars: &[i64], line: Option<&[i64]>) -> Layout {
    let n = bars.len().max(1) as f64;
    let slot = (WIDTH - LEFT) / n;
    let top = bars.iter().copied().max().unwrap_or(0).max(0);
    let bottom = bars.iter().copied().min().unwrap_or(0).min(0);
    let span = (top - bottom).max(1) as f64;
    let plot = HEIGHT - BOTTOM - TOP;
    let y_of = |v: i64| TOP + (top - v) as f64 / span * plot;
    let zero = y_of(0);
    let shapes = bars
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (v, label))| {
            let y = y_of(*v);
            Bar {
                x: LEFT + i as f64 * slot + slot * 0.15,
                y: y.min(zero),
                width: slot * 0.7,
                height: (zero - y).abs(),
                label: label.clone(),
            }
        })
        .collect();
    let line = line
        .map(|values| {
            let high = values.iter().copied().max().unwrap_or(0).max(1) as f64;
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let x = LEFT + (i as f64 + 0.5) * slot;
                    (x, TOP + (1.0 - *v as f64 / high) * plot)
                })
                .collect()
        })
        .unwrap_or_default();
    Layout {
        bars: shapes,
        line,
        zero,
        top,
    }
}

/// Which period labels to write under the bars: every one while they fit, else every k-th.
pub fn label_every(n: usize) -> usize {
    n.div_ceil(12).max(1)
}

/// A bar chart with an optional line; `format` writes a bar's value for its tooltip and the
/// scale.
#[component]
pub fn BarChart(
    id: String,
    title: String,
    labels: Vec<String>,
    bars: Vec<i64>,
    bar_name: String,
    line: Option<Vec<i64>>,
    line_name: Option<String>,
    format: Callback<i64, String>,
) -> Element {
    let l = layout(&labels, &bars, line.as_deref());
    let every = label_every(labels.len());
    let points: Vec<String> = l
        .line
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let points = points.join(" ");
    let top_label = format.call(l.top);
    rsx! {
        figure { class: "chart", id: "{id}",
            svg {
                view_box: "0 0 {WIDTH} {HEIGHT}",
                role: "img",
                "aria-label": "{title}",
                preserve_aspect_ratio: "none",
                line { class: "chart-axis", x1: "{LEFT}", x2: "{WIDTH}", y1: "{l.zero}", y2: "{l.zero}" }
                text { class: "chart-scale", x: "{LEFT - 6.0}", y: "{TOP + 4.0}", text_anchor: "end", "{top_label}" }
                for (i, (b, v)) in l.bars.iter().zip(bars.iter()).enumerate() {
                    g { key: "{i}",
                        rect {
                            class: if *v < 0 { "chart-bar negative" } else { "chart-bar" },
                            x: "{b.x:.1}",
                            y: "{b.y:.1}",
                            width: "{b.width:.1}",
                            height: "{b.height:.1}",
                            "data-value": "{v}",
                            title { "{b.label}: {format.call(*v)}" }
                        }
                        if i % every == 0 {
                            text {
                                class: "chart-label",
                                x: "{b.x + b.width / 2.0:.1}",
                                y: "{HEIGHT - 8.0}",
                                text_anchor: "middle",
                                "{b.label}"
                            }
                        }
                    }
                }
                if !points.is_empty() {
                    polyline { class: "chart-line", points: "{points}" }
                }
            }
            figcaption { class: "chart-legend",
                span { class: "legend-bar", "{bar_name}" }
                if let Some(name) = line_name {
                    span { class: "legend-line", "{name}" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stand_on_the_zero_line_and_negative_ones_hang_below_it() {
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let l = layout(&labels, &[100, 0, -50], Some(&[2, 4, 0]));
        assert_eq!(l.top, 100);
        // The tallest bar reaches the top; the zero line sits two thirds down the plot.
        assert!((l.bars[0].y - TOP).abs() < 1e-9);
        assert!((l.bars[0].y + l.bars[0].height - l.zero).abs() < 1e-9);
        assert_eq!(l.bars[1].height, 0.0);
        assert!((l.bars[2].y - l.zero).abs() < 1e-9, "hangs from zero");
        assert!(l.bars[2].height > 0.0);
        assert!(l.bars[0].x < l.bars[1].x && l.bars[1].x < l.bars[2].x);
        // The line's highest point is at the top, its zero at the bottom of the plot.
        assert!((l.line[1].1 - TOP).abs() < 1e-9);
        assert!((l.line[2].1 - (HEIGHT - BOTTOM)).abs() < 1e-9);
        assert_eq!(label_every(12), 1);
        assert_eq!(label_every(31), 3);
    }

    #[test]
    fn an_empty_or_all_zero_series_draws_flat() {
        let l = layout(&[], &[], None);
        assert!(l.bars.is_empty() && l.line.is_empty());
        let l = layout(&["x".to_string()], &[0], None);
        assert_eq!(l.bars[0].height, 0.0);
    }
}
