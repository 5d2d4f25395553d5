//! Client CSV import (all-or-nothing, every bad line reported) and export of a filtered list.
//! Both go through the `csv` crate; the columns are the same both ways, so an exported file
//! imports again.

use std::collections::HashMap;

use dioxus::fullstack::ByteStream;
use dioxus::server::axum::extract::Query;
use dioxus::server::axum::http::header;
use dioxus::server::axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::service::{Clean, clean};
use super::{CSV_COLUMNS as COLUMNS, ClientForm, ClientQuery, ImportReport, READ};
use crate::audit::Actor;
use crate::auth::guard::Ctx;
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::exports::formula::{escape, unescape};
use crate::server::entities::client;
use crate::server::write::Write;

/// Uploads above this are refused before parsing (10k clients take about 1.5 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// More bad lines than this are summarised, so the answer stays readable.
const MAX_REPORTED: usize = 100;
/// Rows per INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const CHUNK: usize = 500;

/// Collects an upload, refusing it once it passes `MAX_BYTES`.
pub async fn read_upload(mut file: ByteStream) -> AppResult<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = file.next().await {
        let chunk =
            chunk.map_err(|_| AppError::invalid("the upload was interrupted; please try again"))?;
        if bytes.len() + chunk.len() > MAX_BYTES {
            return Err(AppError::invalid(format!(
                "the file is larger than {} MB; split it into smaller files",
                MAX_BYTES / (1024 * 1024)
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    // A NUL is no part of a CSV text file, and PostgreSQL cannot store it: refused on both
    // backends alike (the API middleware does the same for every other body).
    if bytes.contains(&0) {
        return Err(AppError::invalid(
            "the file contains NUL characters; export it as a CSV text file",
        ));
    }
    Ok(bytes)
}

/// "Billing address", "billing-address" and "BILLING_ADDRESS" all name `billing_address`.
fn column_key(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Maps each known column to its index in the file; unknown, repeated or missing columns make
/// the whole file wrong.
fn header_map(headers: &csv::StringRecord) -> AppResult<HashMap<&'static str, usize>> {
    let mut map = HashMap::new();
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let key = column_key(h);
        match COLUMNS.iter().find(|c| **c == key) {
            Some(c) if map.insert(*c, i).is_some() => {
                problems.push(format!("column '{h}' appears twice"))
            }
            Some(_) => {}
            None => problems.push(format!("unknown column '{h}'")),
        }
    }
    if !map.contains_key("name") {
        problems.push("the 'name' column is missing".into());
    }
    if problems.is_empty() {
        return Ok(map);
    }
    Err(AppError::invalid(format!(
        "the file's columns are wrong ({}); the first line must name the columns, from: {}",
        problems.join("; "),
        COLUMNS.join(", ")
    )))
}

/// The file as text, or which line first breaks UTF-8.
fn as_text(bytes: &[u8]) -> AppResult<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        AppError::invalid(format!(
            "the file is not UTF-8 text (first problem on line {line}); \
             save it as \"CSV UTF-8\" and try again"
        ))
    })
}

/// Spreadsheets set to a European locale write `;` between fields.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// One valid row, remembered with its line for later messages.
struct Row {
    line: u64,
    clean: Clean,
}

/// Parses and checks every row; the rows only if all of them are good.
fn parse(bytes: &[u8]) -> AppResult<Vec<Row>> {
    let text = as_text(bytes)?;
    if text.trim().is_empty() {
        return Err(AppError::invalid("the file is empty"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| AppError::invalid(format!("the first line cannot be read: {e}")))?
        .clone();
    let map = header_map(&headers)?;
    let mut rows = Vec::new();
    let mut problems: Vec<FieldError> = Vec::new();
    let mut bad = |line: u64, message: String| {
        problems.push(FieldError {
            field: format!("line {line}"),
            message,
        })
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} fields, the header has {expected_len}"),
                    _ => format!("cannot be read: {e}"),
                };
                bad(line, message);
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // blank lines are not clients
        }
        let get = |c: &str| {
            let cell = map.get(c).and_then(|i| record.get(*i)).unwrap_or("");
            unescape(cell).to_string()
        };
        let terms = get("payment_terms_days");
        let payment_terms_days = match terms.trim() {
            "" => 30,
            t => match t.parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    bad(
                        line,
                        format!("payment_terms_days: '{t}' is not a whole number of days"),
                    );
                    continue;
                }
            },
        };
        let form = ClientForm {
            name: get("name"),
            contact: get("contact"),
            email: get("email"),
            phone: get("phone"),
            billing_address: get("billing_address"),
            shipping_address: get("shipping_address"),
            tax_id: get("tax_id"),
            payment_terms_days,
            notes: get("notes"),
        };
        match clean(form) {
            Ok(c) => {
                if let Some(email) = &c.email
                    && let Some(first) = seen.insert(email.clone(), line)
                {
                    bad(line, format!("email: {email} is also on line {first}"));
                    seen.insert(email.clone(), first);
                }
                rows.push(Row { line, clean: c });
            }
            Err(AppError::Invalid { fields, .. }) => {
                for f in fields {
                    bad(line, format!("{}: {}", f.field, f.message));
                }
            }
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(rejected(problems));
    }
    if rows.is_empty() {
        return Err(AppError::invalid("the file has a header but no clients"));
    }
    Ok(rows)
}

/// The answer for a file with bad lines: each line's problem (the first `MAX_REPORTED`).
fn rejected(mut problems: Vec<FieldError>) -> AppError {
    let lines = {
        let mut l: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        l.dedup();
        l.len()
    };
    let total = problems.len();
    problems.truncate(MAX_REPORTED);
    if total > MAX_REPORTED {
        problems.push(FieldError {
            field: "more".into(),
            message: format!("… and {} more problems", total - MAX_REPORTED),
        });
    }
    AppError::Invalid {
        message: format!(
            "{lines} line{} of the file {} problems, so nothing was imported",
            if lines == 1 { "" } else { "s" },
            if lines == 1 { "has" } else { "have" },
        ),
        fields: problems,
    }
}

/// Emails in the file that active clients already use, with the client's name.
async fn taken_emails(
    db: &impl sea_orm::ConnectionTrait,
    rows: &[Row],
) -> AppResult<HashMap<String, String>> {
    let emails: Vec<&String> = rows.iter().filter_map(|r| r.clean.email.as_ref()).collect();
    let mut taken = HashMap::new();
    for chunk in emails.chunks(CHUNK) {
        let found: Vec<(Option<String>, String)> = client::Entity::find()
            .select_only()
            .column(client::Column::Email)
            .column(client::Column::Name)
            .filter(client::Column::Active.eq(true))
            .filter(client::Column::Email.is_in(chunk.iter().map(|e| e.as_str())))
            .into_tuple()
            .all(db)
            .await
            .or_internal("client import")?;
        taken.extend(found.into_iter().filter_map(|(e, n)| Some((e?, n))));
    }
    Ok(taken)
}

/// Imports every client in the file, or none: a bad line, a duplicate email (within the file
/// or against an active client) or any write error leaves the database as it was.
pub async fn import(
    db: &DatabaseConnection,
    actor: Actor,
    bytes: &[u8],
) -> AppResult<ImportReport> {
    let rows = parse(bytes)?;
    let mut w = Write::begin(db, actor).await?;
    let taken = taken_emails(&*w, &rows).await?;
    let clashes: Vec<FieldError> = rows
        .iter()
        .filter_map(|r| {
            let email = r.clean.email.as_ref()?;
            let owner = taken.get(email)?;
            Some(FieldError {
                field: format!("line {}", r.line),
                message: format!("email: {owner} already uses {email}"),
            })
        })
        .collect();
    if !clashes.is_empty() {
        return Err(rejected(clashes));
    }
    let imported = rows.len();
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<Row> = rows.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let names: Vec<String> = chunk
            .iter()
            .map(|r| format!("{} (CSV import)", r.clean.name))
            .collect();
        let ids = client::Entity::insert_many(chunk.into_iter().map(|r| r.clean.into_new()))
            .exec_with_returning_keys(&*w)
            .await
            .map_err(super::service::write_err)?;
        for (id, name) in ids.into_iter().zip(names) {
            w.record(super::service::CREATED, id, name);
        }
    }
    w.commit().await?;
    Ok(ImportReport { imported })
}

/// `GET /api/clients/export.csv?…`: every client the list query matches, in its order.
pub async fn export(ctx: Ctx, Query(query): Query<ClientQuery>) -> Result<Response, AppError> {
    ctx.require(READ)?;
    let clients = super::list::all(&ctx.state.db, &query).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write_err = |e: csv::Error| AppError::internal("client export", e);
    out.write_record(COLUMNS).map_err(write_err)?;
    for c in clients {
        let terms = c.payment_terms_days.to_string();
        // Terms are a number the system wrote; every other cell is what someone typed.
        let cells = [
            escape(&c.name),
            escape(&c.contact),
            escape(c.email.as_deref().unwrap_or("")),
            escape(&c.phone),
            escape(&c.billing_address),
            escape(&c.shipping_address),
            escape(&c.tax_id),
            terms.as_str().into(),
            escape(&c.notes),
        ];
        out.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(write_err)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::internal("client export", e.to_string()))?;
    let which = if query.archived {
        "archived-clients"
    } else {
        "clients"
    };
    let file = format!("{which}-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}
