//! CSV exports through the csv crate: a header of column titles, then the rows as they
//! arrive. Text cells are escaped against formula injection (`formula`); numbers, amounts
//! (two decimals, no grouping) and dates (`YYYY-MM-DD`) are written plainly.

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use super::formula::escape;
use super::table::{Batches, Cell, Head, money_text};
use crate::error::{AppError, AppResult};

fn fault(e: impl std::fmt::Debug) -> AppError {
    AppError::internal("CSV export", e)
}

/// Writes `head`'s columns and every batch to `out`, counting rows in `written`. Blocking:
/// run it off the async runtime.
pub fn write(
    head: &Head,
    mut batches: Batches,
    out: impl Write,
    written: &AtomicU64,
) -> AppResult<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(head.columns.iter().map(|c| c.title))
        .map_err(fault)?;
    while let Some(batch) = batches.blocking_recv() {
        let batch = batch?;
        for row in &batch {
            for cell in row {
                let text: Cow<str> = match cell {
                    Cell::Text(t) => escape(t),
                    Cell::Int(n) => n.to_string().into(),
                    Cell::Money(m) => money_text(*m).into(),
                    Cell::Date(d) => d.to_string().into(),
                    Cell::Empty => "".into(),
                };
                csv.write_field(text.as_bytes()).map_err(fault)?;
            }
            csv.write_record(None::<&[u8]>).map_err(fault)?;
        }
        written.fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
    csv.flush().map_err(fault)?;
    Ok(())
}
