//! Spreadsheet formula injection: a text cell that begins with `=`, `+`, `-` or `@` is run as a
//! formula by Excel, LibreOffice and Google Sheets when a CSV file is opened (`=HYPERLINK(…)`
//! in a client's name). Such a cell is written with a leading apostrophe, which spreadsheets
//! read as "this is text" and do not show; imports take it off again, so an exported file
//! imports back unchanged. Only text is escaped: numbers the system writes (`-5.00`) stay
//! numbers.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 4] = ['=', '+', '-', '@'];

/// `text` as a CSV text cell: with an apostrophe before a leading formula character.
pub fn escape(text: &str) -> Cow<'_, str> {
    match text.starts_with(TRIGGERS) {
        true => Cow::Owned(format!("'{text}")),
        false => Cow::Borrowed(text),
    }
}

/// A cell read from a CSV file, with `escape`'s apostrophe taken off.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_written_as_text_and_read_back() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+49 30 1", "'+49 30 1"),
            ("-rebate", "'-rebate"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Acme", "Acme"),
            ("", ""),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(escape(cell), written);
            assert_eq!(unescape(&escape(cell)), cell);
        }
    }
}
