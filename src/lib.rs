//! Sales ordering system: one Dioxus fullstack codebase for the web server, the browser
//! (hydrated wasm) and the desktop app.
//!
//! Each feature folder holds its DTOs and server functions (`mod.rs`), its pages (`view.rs`)
//! and, on the server only, its business rules (`service.rs`).

pub mod app;
pub mod audit;
pub mod auth;
pub mod business;
pub mod choice;
pub mod clients;
pub mod dashboard;
pub mod deliveries;
pub mod error;
pub mod exports;
pub mod input;
pub mod invoices;
pub mod money;
pub mod orders;
pub mod outbox;
pub mod paging;
pub mod reports;
pub mod stock;
pub mod ui;
pub mod users;

#[cfg(feature = "server")]
pub mod server;

// Its settings' rules are plain Rust, tested with the rest of the library.
#[cfg(any(feature = "desktop", test))]
pub mod desktop;
