//! Integration tests: the real router on a random port, a fresh database per test, driven
//! over HTTP. They run on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

#[path = "../common/accounts.rs"]
mod accounts;
#[path = "../common/process.rs"]
mod process;
mod support;

mod audit;
mod auth;
mod backup;
mod bad_input;
mod binary;
mod client_csv;
mod client_list;
mod clients;
mod cluster;
mod crash;
mod dashboard;
mod deliveries;
mod delivery_board;
mod delivery_note;
mod errors;
mod exports;
mod headers;
mod injection;
mod invitations;
mod invoice_aging;
mod invoice_documents;
mod invoice_races;
mod invoices;
mod limits;
mod order_papers;
mod order_races;
mod orders;
mod orders_report;
mod outbox;
mod recaptcha;
mod report_summaries;
mod reports;
mod reset;
mod sales_summary;
mod shell;
mod stock;
mod stock_loss;
mod stock_report;
mod sweep;
mod users;
