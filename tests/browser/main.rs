//! Browser tests: the dx-built app in headless Chromium, driven through chromedriver.
//!
//! They need the built server (`dx build`), so plain `cargo test` lists them as ignored;
//! `scripts/test` builds the app and runs them with `--include-ignored`.

#[path = "../common/accounts.rs"]
mod accounts;
#[path = "../common/process.rs"]
mod process;
mod support;

mod audit;
mod auth;
mod clients;
mod deliveries;
mod install;
mod invoices;
mod order_papers;
mod orders;
mod reports;
mod shell;
mod stock;
mod stock_loss;
