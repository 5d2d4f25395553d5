//! What an export writes, whatever its format: a title, the filters it was made with, typed
//! columns, and rows of cells that arrive in batches through a bounded channel (so a
//! million-row list never sits in memory), plus the chart a report draws.

use chrono::NaiveDate;
use tokio::sync::mpsc;

use crate::error::AppResult;
use crate::server::modules::Task;

/// How a column's cells are written: text as text, numbers and money as numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    Int,
    /// Minor units (cents), written as an amount with two decimals.
    Money,
    Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: &'static str,
    pub kind: Kind,
}

pub const fn column(title: &'static str, kind: Kind) -> Column {
    Column { title, kind }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Money(i64),
    Date(NaiveDate),
    Empty,
}

pub type Row = Vec<Cell>;

/// A report's chart, as the export draws it: bars by period and an optional line.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub labels: Vec<String>,
    pub bars: Vec<i64>,
    pub bar_name: String,
    pub line: Option<(String, Vec<i64>)>,
    /// The table columns the bars and the line are read from, in its first `labels.len()`
    /// rows (the first column holds the labels): a spreadsheet's chart refers to its cells.
    pub columns: (usize, Option<usize>),
}

/// Everything about an export but its rows.
#[derive(Debug, Clone)]
pub struct Head {
    pub title: String,
    /// The file's name without its extension: `sales-2026-01-01-2026-12-04`.
    pub stem: String,
    /// The filters it was made with, as (label, value), printed on PDFs and sheets.
    pub filters: Vec<(String, String)>,
    pub columns: Vec<Column>,
    /// How many rows will come: the progress's "of".
    pub total: u64,
    pub chart: Option<Chart>,
    /// The business's currency, for money formats.
    pub currency: String,
    /// When it was made, on the business's clocks: `2026-12-04 15:30`.
    pub made: String,
}

impl Head {
    /// A table made now, on the business's calendar and clocks: named `{stem}-{today}`.
    #[cfg(feature = "server")]
    pub fn now(
        state: &crate::server::AppState,
        (title, stem): (&str, &str),
        filters: Vec<(String, String)>,
        columns: &[Column],
        total: u64,
    ) -> Self {
        let business = &state.config.business;
        Self {
            title: title.to_string(),
            stem: format!("{stem}-{}", business.zone.today()),
            filters,
            columns: columns.to_vec(),
            total,
            chart: None,
            currency: business.currency.clone(),
            made: business.zone.date_time(&chrono::Utc::now()),
        }
    }
}

/// Rows in batches, as a source sends them and the writer receives them.
pub type Batches = mpsc::Receiver<AppResult<Vec<Row>>>;
pub type Sink = mpsc::Sender<AppResult<Vec<Row>>>;
/// Reads a source's rows into its sink.
pub type Source = Box<dyn FnOnce(Sink) -> Task<'static, ()> + Send>;

/// Batches waiting for the writer beyond this many hold up the reader: memory stays bounded.
pub const QUEUED_BATCHES: usize = 4;
/// Rows per batch a source reads at once.
pub const BATCH: u64 = 1000;

/// An export ready to run: its head, and the task that sends its rows.
pub struct Prepared {
    pub head: Head,
    pub rows: Source,
}

/// A source whose rows are all in hand (a report's table): sent as one batch.
pub fn all_at_once(head: Head, rows: Vec<Row>) -> Prepared {
    Prepared {
        head,
        rows: Box::new(move |tx| {
            Box::pin(async move {
                let _ = tx.send(Ok(rows)).await;
            })
        }),
    }
}

/// Money in minor units as text with two decimals: `-1234.50`.
pub fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_is_written_without_grouping() {
        assert_eq!(super::money_text(-123_450), "-1234.50");
        assert_eq!(super::money_text(5), "0.05");
    }
}
