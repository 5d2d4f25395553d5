//! Exports: reports and lists written as CSV (and, as they arrive, XLSX and PDF) in the
//! filters on screen.

#[cfg(feature = "server")]
pub mod formula;
