//! Database schema history: one file per migration, applied in order at server start-up.
//! Every migration must run on both SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_audit_events;
mod m20261124_000002_users_sessions;
mod m20261125_000003_clients;
mod m20261126_000004_client_search;
mod m20261126_000005_products_stock;
mod m20261127_000006_orders;
mod m20261203_000007_approval_request_keys;
mod m20261203_000008_outbox_ledger_source;
mod m20261203_000009_deliveries;
mod m20261203_000010_invoices;
mod m20261204_000011_sales_summary;
mod m20261205_000012_report_tallies;
mod m20261205_000013_line_percent_discounts;
mod m20261205_000014_user_last_sign_in;
mod m20261205_000015_client_search_folded;
mod m20261205_000016_adjustment_reasons;
mod m20261205_000017_order_references;
mod m20261205_000018_uncovered_lines;
mod m20261205_000019_rate_hits;
mod m20261205_000020_audit_filters;
mod m20261205_000021_server_jobs;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_audit_events::Migration),
            Box::new(m20261124_000002_users_sessions::Migration),
            Box::new(m20261125_000003_clients::Migration),
            Box::new(m20261126_000004_client_search::Migration),
            Box::new(m20261126_000005_products_stock::Migration),
            Box::new(m20261127_000006_orders::Migration),
            Box::new(m20261203_000007_approval_request_keys::Migration),
            Box::new(m20261203_000008_outbox_ledger_source::Migration),
            Box::new(m20261203_000009_deliveries::Migration),
            Box::new(m20261203_000010_invoices::Migration),
            Box::new(m20261204_000011_sales_summary::Migration),
            Box::new(m20261205_000012_report_tallies::Migration),
            Box::new(m20261205_000013_line_percent_discounts::Migration),
            Box::new(m20261205_000014_user_last_sign_in::Migration),
            Box::new(m20261205_000015_client_search_folded::Migration),
            Box::new(m20261205_000016_adjustment_reasons::Migration),
            Box::new(m20261205_000017_order_references::Migration),
            Box::new(m20261205_000018_uncovered_lines::Migration),
            Box::new(m20261205_000019_rate_hits::Migration),
            Box::new(m20261205_000020_audit_filters::Migration),
            Box::new(m20261205_000021_server_jobs::Migration),
        ]
    }
}
