//! Reading a delivery being scheduled, the same in the browser (messages at each field as the
//! form is sent) and on the server: a date that has not passed, an optional time window,
//! lengths, and for each line a whole quantity above zero. What is still left to deliver of
//! each line is the server's check, against the order as it is.

use chrono::{NaiveDate, NaiveTime};

use super::{ScheduleForm, Step};
use crate::error::FieldError;
use crate::input::{Problems, parse_date, parse_quantity};

pub const MAX_ADDRESS: usize = 500;
pub const MAX_SHORT: usize = 100;
pub const MAX_NOTES: usize = 2000;
/// A signature's path data: a finger's strokes, well inside a form's body limit.
pub const MAX_SIGNATURE: usize = 50_000;

/// A form that reads: each line's order line and quantity above zero (lines with nothing to
/// deliver dropped), the date, and the window as typed ("09:00", or none).
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleInput {
    /// (index in the form, order line id, quantity), in the form's order.
    pub lines: Vec<(usize, i64, i64)>,
    pub date: NaiveDate,
    pub window: Option<Window>,
}

pub use crate::input::line_field;

/// "09:00"; the reason otherwise.
fn parse_time(text: &str) -> Result<NaiveTime, String> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .ok()
        .filter(|_| t.len() == 5)
        .ok_or_else(|| format!("'{t}' is not a time; use HH:MM, like 09:30"))
}

/// A time window: both ends "HH:MM", the end after the start.
pub type Window = (NaiveTime, NaiveTime);

/// The date (not before `today`) and the optional window of a schedule, problems noted.
fn read_when(
    problems: &mut Problems,
    date: &str,
    from: &str,
    to: &str,
    today: NaiveDate,
) -> (Option<NaiveDate>, Option<Window>) {
    let date = match parse_date(date) {
        Ok(d) if d < today => {
            problems.add("scheduled_date", "this date has passed");
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            problems.add("scheduled_date", e);
            None
        }
    };
    let window = match (from.trim(), to.trim()) {
        ("", "") => None,
        (from, to) => match (parse_time(from), parse_time(to)) {
            (Ok(f), Ok(t)) if f < t => Some((f, t)),
            (Ok(_), Ok(_)) => {
                problems.add("window_to", "the window must end after it starts");
                None
            }
            (from, to) => {
                if let Err(e) = from {
                    problems.add("window_from", e);
                }
                if let Err(e) = to {
                    problems.add("window_to", e);
                }
                None
            }
        },
    };
    (date, window)
}

pub fn read_schedule(
    form: &ScheduleForm,
    today: NaiveDate,
) -> Result<ScheduleInput, Vec<FieldError>> {
    let mut problems = Problems::default();
    let (date, window) = read_when(
        &mut problems,
        &form.scheduled_date,
        &form.window_from,
        &form.window_to,
        today,
    );
    problems.check_length("address", &form.address, MAX_ADDRESS);
    problems.check_length("carrier", &form.carrier, MAX_SHORT);
    problems.check_length("tracking", &form.tracking, MAX_SHORT);
    problems.check_length("notes", &form.notes, MAX_NOTES);
    let mut lines = Vec::new();
    for (i, line) in form.lines.iter().enumerate() {
        // An empty quantity is a line not delivered this time.
        if line.quantity.trim().is_empty() {
            continue;
        }
        match parse_quantity(&line.quantity) {
            Ok(q) if q > 0 => lines.push((i, line.order_line_id, q)),
            Ok(0) => {}
            Ok(_) => problems.add(line_field(i, "quantity"), "enter more than 0"),
            Err(e) => problems.add(line_field(i, "quantity"), e),
        }
    }
    if lines.is_empty() && problems.is_empty() {
        problems.add(
            "lines",
            "choose at least one line and how much of it to deliver",
        );
    }
    match date {
        Some(date) if problems.is_empty() => Ok(ScheduleInput {
            lines,
            date,
            window,
        }),
        _ => Err(problems.into_vec()),
    }
}

/// What a step needs: a recipient for a delivered one, a reason for a failed one, a date (not
/// passed) for a rescheduled one. Answers the new date and window of a reschedule.
pub fn read_step(
    step: &Step,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, Option<Window>)>, Vec<FieldError>> {
    let mut problems = Problems::default();
    let mut when = None;
    match step {
        Step::Deliver {
            recipient,
            note,
            signature,
        } => {
            required(
                &mut problems,
                "recipient",
                recipient,
                "who took it",
                MAX_SHORT,
            );
            problems.check_length("note", note, MAX_NOTES);
            if let Some(path) = signature {
                problems.check_length("signature", path, MAX_SIGNATURE);
                if !is_path_data(path) {
                    problems.add(
                        "signature",
                        "the signature could not be read; draw it again",
                    );
                }
            }
        }
        Step::Fail { reason } => {
            required(&mut problems, "reason", reason, "why it failed", MAX_NOTES)
        }
        Step::Reschedule {
            scheduled_date,
            window_from,
            window_to,
        } => {
            let (date, window) =
                read_when(&mut problems, scheduled_date, window_from, window_to, today);
            when = date.map(|d| (d, window));
        }
        Step::Depart | Step::Cancel => {}
    }
    match problems.is_empty() {
        true => Ok(when),
        false => Err(problems.into_vec()),
    }
}

/// Whether `path` is the pad's own path data, moves and lines to whole or decimal points
/// ("M10 20L11.5 22"): nothing else reaches the SVG on the page or the delivery note.
pub fn is_path_data(path: &str) -> bool {
    path.chars()
        .all(|c| matches!(c, 'M' | 'L' | '0'..='9' | '.' | ' ' | ','))
}

/// The signature's strokes as points, from path data `is_path_data` accepts: each `M` starts
/// a stroke, each `L` adds a point to it.
pub fn strokes(path: &str) -> Vec<Vec<(f32, f32)>> {
    let spaced = path.replace('M', " M ").replace('L', " L ");
    let mut tokens = spaced.split([' ', ',']).filter(|t| !t.is_empty());
    let mut out: Vec<Vec<(f32, f32)>> = Vec::new();
    while let Some(t) = tokens.next() {
        if t == "M" {
            out.push(Vec::new());
        } else if t != "L" {
            continue;
        }
        let point = (tokens.next(), tokens.next());
        if let ((Some(x), Some(y)), Some(stroke)) = (point, out.last_mut())
            && let (Ok(x), Ok(y)) = (x.parse(), y.parse())
        {
            stroke.push((x, y));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// A text that must be there, and not too long.
fn required(problems: &mut Problems, field: &str, value: &str, what: &str, max: usize) {
    if value.trim().is_empty() {
        problems.add(field, format!("enter {what}"));
    } else {
        problems.check_length(field, value, max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliveries::ScheduleLine;

    fn form(lines: &[(i64, &str)]) -> ScheduleForm {
        ScheduleForm {
            order_id: 1,
            scheduled_date: "2026-12-10".into(),
            lines: lines
                .iter()
                .map(|&(id, q)| ScheduleLine {
                    order_line_id: id,
                    quantity: q.into(),
                })
                .collect(),
            ..ScheduleForm::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn fields(r: Result<ScheduleInput, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_form_reads_and_drops_lines_left_out() {
        let mut f = form(&[(7, "3"), (8, ""), (9, "0")]);
        f.window_from = "09:00".into();
        f.window_to = "12:30".into();
        let input = read_schedule(&f, today()).unwrap();
        assert_eq!(input.lines, [(0, 7, 3)]);
        assert_eq!(input.date, NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        let (from, to) = input.window.unwrap();
        assert_eq!(
            (from.to_string(), to.to_string()),
            ("09:00:00".into(), "12:30:00".into())
        );
    }

    #[test]
    fn signatures_are_read_as_strokes_and_nothing_else_passes() {
        assert!(is_path_data("M10 20L11.5 22L12,23M5 5L6 6"));
        assert!(!is_path_data("M10 20\"/><script>"));
        assert_eq!(
            strokes("M10 20L11.5 22L12,23M5 5L6 6"),
            [
                vec![(10.0, 20.0), (11.5, 22.0), (12.0, 23.0)],
                vec![(5.0, 5.0), (6.0, 6.0)]
            ]
        );
        assert!(strokes("").is_empty());
    }

    #[test]
    fn each_problem_is_named_at_its_field() {
        assert_eq!(
            fields(read_schedule(&form(&[(7, "-2")]), today())),
            ["lines[0].quantity"]
        );
        assert_eq!(
            fields(read_schedule(&form(&[(7, "1.5")]), today())),
            ["lines[0].quantity"]
        );
        assert_eq!(fields(read_schedule(&form(&[(7, "")]), today())), ["lines"]);
        let mut past = form(&[(7, "1")]);
        past.scheduled_date = "2026-12-02".into();
        assert_eq!(fields(read_schedule(&past, today())), ["scheduled_date"]);
        let mut backwards = form(&[(7, "1")]);
        backwards.window_from = "14:00".into();
        backwards.window_to = "09:00".into();
        assert_eq!(fields(read_schedule(&backwards, today())), ["window_to"]);
        let mut half = form(&[(7, "1")]);
        half.window_from = "9".into();
        assert_eq!(
            fields(read_schedule(&half, today())),
            ["window_from", "window_to"]
        );
        let mut long = form(&[(7, "1")]);
        long.address = "x".repeat(MAX_ADDRESS + 1);
        assert_eq!(fields(read_schedule(&long, today())), ["address"]);
    }
}
