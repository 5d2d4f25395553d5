//! A product's stock level over time, drawn as SVG: a step line on a time axis (dates under
//! it), a value scale with grid lines at round numbers, and the levels grouped by day (each
//! day's last) when there are too many movements to tell apart.

use dioxus::prelude::*;

use super::LevelPoint;
use crate::business::{Zone, use_business};
use crate::reports::chart::{HEIGHT, LEFT, WIDTH};

const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// More movements than this are drawn as one level a day.
const BY_DAY_OVER: usize = 60;

/// A round step for a scale up to `max` in about four steps (1, 2 or 5 × 10ⁿ), and the
/// scale's top: the first multiple of the step at or above `max`.
fn scale(max: i64) -> (i64, i64) {
    let max = max.max(1);
    let rough = (max as f64 / 4.0).max(1.0);
    let power = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
        .round() as i64;
    // Both positive: the step is at least 1.
    (step, max.saturating_add(step - 1) / step * step)
}

/// Each business day's last level, when there are more points than can be told apart.
fn by_day(points: &[LevelPoint], zone: &Zone) -> Vec<LevelPoint> {
    if points.len() <= BY_DAY_OVER {
        return points.to_vec();
    }
    let mut out: Vec<LevelPoint> = Vec::new();
    for p in points {
        match out.last_mut() {
            Some(last) if zone.date(&last.at) == zone.date(&p.at) => *last = p.clone(),
            _ => out.push(p.clone()),
        }
    }
    out
}

#[component]
pub fn StockChart(points: Vec<LevelPoint>) -> Element {
    let zone = use_business().zone;
    if points.is_empty() {
        return rsx! {
            p { class: "muted", "No movements yet." }
        };
    }
    let grouped = points.len() > BY_DAY_OVER;
    let points = by_day(&points, &zone);
    let high = points.iter().map(|p| p.on_hand).max().unwrap_or(0);
    let (step, top) = scale(high);
    let (t0, t1) = (points[0].at, points[points.len() - 1].at);
    let span = (t1 - t0).num_seconds().max(1) as f64;
    let plot = HEIGHT - BOTTOM - TOP;
    let x = |t: chrono::DateTime<chrono::Utc>| {
        LEFT + (t - t0).num_seconds() as f64 / span * (WIDTH - LEFT)
    };
    let y = |v: i64| TOP + (top - v.max(0)) as f64 / top as f64 * plot;
    let mut path = format!("M{LEFT:.1},{:.1}", y(points[0].on_hand));
    for p in points.iter().skip(1) {
        path.push_str(&format!(" H{:.1} V{:.1}", x(p.at), y(p.on_hand)));
    }
    path.push_str(&format!(" H{WIDTH}"));
    let ticks: Vec<i64> = (0..=top / step).map(|i| i * step).collect();
    // The first and last days, and the middle one when the span is long enough to need it.
    let mut days = vec![(LEFT, zone.date(&t0)), (WIDTH, zone.date(&t1))];
    if days[0].1 != days[1].1 {
        let mid = t0 + (t1 - t0) / 2;
        days.insert(1, ((LEFT + WIDTH) / 2.0, zone.date(&mid)));
    }
    days.dedup_by(|a, b| a.1 == b.1);
    let what = if grouped {
        "each day's closing level"
    } else {
        "the level after each movement"
    };
    rsx! {
        figure { class: "chart", id: "stock-chart",
            svg {
                view_box: "0 0 {WIDTH} {HEIGHT}",
                preserve_aspect_ratio: "none",
                role: "img",
                "aria-label": "Stock level from {days[0].1} to {days[days.len() - 1].1}, {what}, at most {high}",
                for v in ticks {
                    g { key: "{v}",
                        line { class: "chart-axis chart-grid", x1: "{LEFT}", x2: "{WIDTH}", y1: "{y(v):.1}", y2: "{y(v):.1}" }
                        text { class: "chart-scale", x: "{LEFT - 6.0}", y: "{y(v) + 4.0:.1}", text_anchor: "end", "{v}" }
                    }
                }
                path { class: "chart-step", d: "{path}" }
                for (i, (at, day)) in days.iter().enumerate() {
                    text {
                        key: "{i}",
                        class: "chart-label chart-day",
                        x: "{at:.1}",
                        y: "{HEIGHT - 8.0}",
                        text_anchor: if i == 0 { "start" } else if *at >= WIDTH { "end" } else { "middle" },
                        "{day}"
                    }
                }
            }
            figcaption { class: "chart-legend",
                span { id: "stock-chart-what", if grouped { "One level a day (the day's last)" } else { "After each movement" } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_steps_by_round_numbers() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(3), (1, 3));
        assert_eq!(scale(8), (2, 8));
        assert_eq!(scale(9), (5, 10));
        assert_eq!(scale(37), (10, 40));
        assert_eq!(scale(1234), (500, 1500));
    }

    #[test]
    fn many_movements_become_one_level_a_day() {
        let zone = Zone::utc();
        let day = |d: u32, h: u32, v| LevelPoint {
            at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, d, h, 0, 0).unwrap(),
            on_hand: v,
        };
        let few = vec![day(1, 9, 5), day(1, 10, 4)];
        assert_eq!(by_day(&few, &zone), few, "few enough to show each");
        let many: Vec<LevelPoint> = (0..70)
            .map(|i| day(1 + i / 10, 8 + i % 10, i as i64))
            .collect();
        let days = by_day(&many, &zone);
        assert_eq!(days.len(), 7);
        assert_eq!(days[0].on_hand, 9, "the day's last level");
        assert_eq!(days[6].on_hand, 69);
    }
}
