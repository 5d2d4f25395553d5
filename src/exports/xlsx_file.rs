//! XLSX exports through rust_xlsxwriter in constant-memory mode: each row goes to disk as it
//! comes. Above the table, the title, the filters and when it was made; money as numbers in
//! the currency's format, dates as dates; the report's chart as a native Excel chart. A table
//! longer than a sheet (1,048,576 rows) goes on in a second sheet, and so on, each with its
//! header: never cut short.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Datelike;
use rust_xlsxwriter::{Chart, ChartType, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::table::{Batches, Cell, Head, Kind};
use crate::error::{AppError, AppResult};

/// Rows on one sheet, Excel's limit.
pub const SHEET_ROWS: u32 = 1_048_576;
/// Rows above the table: title, filters, made at, a blank line.
const ABOVE: u32 = 4;

fn fault(e: XlsxError) -> AppError {
    AppError::internal("XLSX export", e)
}

/// The number format of amounts in `currency`: `€#,##0.00`, or `#,##0.00 "CHF"`.
pub fn money_format(currency: &str) -> String {
    match crate::business::symbol(currency) {
        Some(s) => format!("\"{s}\"#,##0.00;-\"{s}\"#,##0.00"),
        None => format!("#,##0.00 \"{currency}\";-#,##0.00 \"{currency}\""),
    }
}

struct Formats {
    money: Format,
    date: Format,
    bold: Format,
    title: Format,
}

/// Writes `head` and every batch to `path` as a workbook, counting rows in `written`.
/// Blocking: run it off the async runtime.
pub fn write(head: &Head, batches: Batches, path: &Path, written: &AtomicU64) -> AppResult<()> {
    write_sheets(head, batches, path, written, SHEET_ROWS)
}

/// `write`, with sheets of `sheet_rows` rows (a test's small sheets).
fn write_sheets(
    head: &Head,
    mut batches: Batches,
    path: &Path,
    written: &AtomicU64,
    sheet_rows: u32,
) -> AppResult<()> {
    let f = Formats {
        money: Format::new().set_num_format(money_format(&head.currency)),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        bold: Format::new().set_bold(),
        title: Format::new().set_bold().set_font_size(14),
    };
    let mut book = Workbook::new();
    let mut sheets = 1;
    let mut sheet = new_sheet(&mut book, head, &f, sheets)?;
    let mut row = ABOVE + 1;
    if let Some(c) = &head.chart {
        sheet
            .insert_chart(1, head.columns.len() as u16 + 1, &chart(c, head))
            .map_err(fault)?;
    }
    while let Some(batch) = batches.blocking_recv() {
        let batch = batch?;
        for cells in &batch {
            if row == sheet_rows {
                sheets += 1;
                sheet = new_sheet(&mut book, head, &f, sheets)?;
                row = ABOVE + 1;
            }
            for (col, cell) in cells.iter().enumerate() {
                write_cell(sheet, row, col as u16, cell, &f)?;
            }
            row += 1;
        }
        written.fetch_add(batch.len() as u64, Ordering::Relaxed);
    }
    book.save(path).map_err(fault)
}

/// The name of sheet `n`: `Sales`, `Sales (2)`… Sheet names are at most 31 characters and
/// take none of `[]:*?/\`.
fn sheet_name(head: &Head, n: u32) -> String {
    let name = match n {
        1 => head.title.clone(),
        n => format!("{} ({n})", head.title),
    };
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
    name.chars().take(31).collect()
}

/// Sheet `n` (`Sales`, `Sales (2)`…) with the lines above the table and its header.
fn new_sheet<'a>(
    book: &'a mut Workbook,
    head: &Head,
    f: &Formats,
    n: u32,
) -> AppResult<&'a mut Worksheet> {
    let sheet = book.add_worksheet_with_constant_memory().map_err(fault)?;
    sheet.set_name(sheet_name(head, n)).map_err(fault)?;
    sheet
        .write_string_with_format(0, 0, &head.title, &f.title)
        .map_err(fault)?;
    let filters: Vec<String> = head
        .filters
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    sheet
        .write_string(1, 0, filters.join("   "))
        .map_err(fault)?;
    sheet
        .write_string(2, 0, format!("Made {}", head.made))
        .map_err(fault)?;
    for (col, c) in head.columns.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(ABOVE, col, c.title, &f.bold)
            .map_err(fault)?;
        let width = match c.kind {
            Kind::Text => 24,
            Kind::Money => 16,
            Kind::Int | Kind::Date => 12,
        };
        sheet.set_column_width(col, width).map_err(fault)?;
    }
    Ok(sheet)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> AppResult<()> {
    match cell {
        // A string cell is never a formula: no escaping needed.
        Cell::Text(t) => sheet.write_string(row, col, t).map(|_| ()),
        Cell::Int(n) => sheet.write_number(row, col, *n as f64).map(|_| ()),
        Cell::Money(m) => sheet
            .write_number_with_format(row, col, *m as f64 / 100.0, &f.money)
            .map(|_| ()),
        Cell::Date(d) => {
            let at = ExcelDateTime::from_ymd(
                u16::try_from(d.year()).unwrap_or(1900),
                d.month() as u8,
                d.day() as u8,
            )
            .map_err(fault)?;
            sheet
                .write_datetime_with_format(row, col, &at, &f.date)
                .map(|_| ())
        }
        Cell::Empty => Ok(()),
    }
    .map_err(fault)
}

/// The report's chart, reading its cells on the first sheet: labels in the first column, the
/// bars' and line's values in theirs.
fn chart(c: &super::table::Chart, head: &Head) -> Chart {
    let name = sheet_name(head, 1);
    let sheet = name.as_str();
    let (first, last) = (ABOVE + 1, ABOVE + c.labels.len().max(1) as u32);
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(&c.title);
    let (bars, line) = c.columns;
    chart
        .add_series()
        .set_name(&c.bar_name)
        .set_categories((sheet, first, 0, last, 0))
        .set_values((sheet, first, bars as u16, last, bars as u16));
    if let (Some((name, _)), Some(col)) = (&c.line, line) {
        chart
            .add_series()
            .set_name(name)
            .set_categories((sheet, first, 0, last, 0))
            .set_values((sheet, first, col as u16, last, col as u16));
    }
    chart
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx, open_workbook};

    use super::*;
    use crate::exports::table::{Head, column};

    #[test]
    fn a_table_longer_than_a_sheet_goes_on_in_the_next_with_its_header() {
        let head = Head {
            title: "Orders".into(),
            stem: "orders".into(),
            filters: vec![("Status".into(), "Any".into())],
            columns: vec![column("Number", Kind::Text), column("Total", Kind::Money)],
            total: 25,
            chart: None,
            currency: "EUR".into(),
            made: "2026-12-04 15:30".into(),
        };
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let rows: Vec<_> = (0..25)
            .map(|i| vec![Cell::Text(format!("SO-{i}")), Cell::Money(i * 150)])
            .collect();
        tx.try_send(Ok(rows)).unwrap();
        drop(tx);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.xlsx");
        let written = AtomicU64::new(0);
        // Sheets of 15 rows: the 5 above the table and header, then 10 of the table.
        write_sheets(&head, rx, &path, &written, 15).unwrap();
        assert_eq!(written.load(Ordering::Relaxed), 25);
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names(), ["Orders", "Orders (2)", "Orders (3)"]);
        let mut seen = Vec::new();
        for name in book.sheet_names() {
            let sheet = book.worksheet_range(&name).unwrap();
            assert_eq!(
                sheet.get_value((4, 0)),
                Some(&Data::String("Number".into()))
            );
            for r in 5..15 {
                if let Some(Data::String(n)) = sheet.get_value((r, 0)) {
                    let total = sheet.get_value((r, 1)).cloned();
                    seen.push((n.clone(), total));
                }
            }
        }
        assert_eq!(seen.len(), 25, "every row, none twice");
        assert_eq!(seen[24], ("SO-24".into(), Some(Data::Float(36.0))));
    }
}
