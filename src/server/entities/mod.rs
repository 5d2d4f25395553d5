//! sea-orm entities, one file per table.

pub mod audit_event;
pub mod client;
pub mod credit_note;
pub mod credit_note_line;
pub mod delivery;
pub mod delivery_line;
pub mod invoice;
pub mod invoice_line;
pub mod login_failure;
pub mod order;
pub mod order_line;
pub mod outbox_mail;
pub mod password_reset;
pub mod payment;
pub mod product;
pub mod rate_hit;
pub mod request_key;
pub mod server_job;
pub mod session;
pub mod stock_movement;
pub mod user;
