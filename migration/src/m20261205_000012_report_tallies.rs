//! The reports' other summaries (ARCHITECTURE.md, "Reports"), kept by the writing
//! transactions like the sales summary, so no report sums a year of detail per request:
//!
//! - `order_days`: orders by the business day they were entered, their status and priority —
//!   how many, their value, and for delivered ones the seconds from confirmation to their
//!   last delivery;
//! - `delivery_days`: deliveries (not cancelled) by scheduled day and state — open, delivered
//!   on time, delivered late;
//! - `stock_days`: the ledger's movements by business day and kind;
//! - `payment_days`: payments by day paid and method;
//! - `receivables`: what open invoices owe now, by due date.
//!
//! Each has a `changes` count, like the sales summary's. They are built at start-up from the
//! detail (`summary_builds` names the zone each was built in), not here: a migration does
//! not know the business's time zone.
//!
//! `products.last_cost`: the unit cost of the product's last receipt that had one, kept by
//! the ledger, so the stock's worth at cost needs no search of the ledger per product.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Products {
    Table,
    LastCost,
}

/// A key column: its name, and whether it is a date (else a word).
type Key = (&'static str, bool);

/// (table, key columns, figure columns).
const TABLES: [(&str, &[Key], &[&str]); 5] = [
    (
        "order_days",
        &[("day", true), ("status", false), ("priority", false)],
        &["orders", "value", "lead_orders", "lead_secs"],
    ),
    (
        "delivery_days",
        &[("day", true), ("state", false)],
        &["deliveries"],
    ),
    (
        "stock_days",
        &[("day", true), ("kind", false)],
        &["movements", "on_hand", "reserved"],
    ),
    (
        "payment_days",
        &[("day", true), ("method", false)],
        &["payments", "amount"],
    ),
    ("receivables", &[("due_date", true)], &["owed"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, keys, figures) in TABLES {
            let mut t = Table::create();
            t.table(Alias::new(table));
            let mut pk = Index::create();
            for (key, is_date) in keys {
                let mut c = ColumnDef::new(Alias::new(*key));
                match is_date {
                    true => c.date(),
                    false => c.string_len(24),
                };
                t.col(c.not_null());
                pk.col(Alias::new(*key));
            }
            for f in figures.iter().chain(&["changes"]) {
                t.col(
                    ColumnDef::new(Alias::new(*f))
                        .big_integer()
                        .not_null()
                        .default(0),
                );
            }
            t.primary_key(&mut pk);
            m.create_table(t.to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Products::Table)
                .add_column(ColumnDef::new(Products::LastCost).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE products SET last_cost = (SELECT m.unit_cost FROM stock_movements m \
                 WHERE m.product_id = products.id AND m.kind = 'receipt' \
                 AND m.unit_cost IS NOT NULL ORDER BY m.id DESC LIMIT 1)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Products::Table)
                .drop_column(Products::LastCost)
                .to_owned(),
        )
        .await?;
        for (table, ..) in TABLES {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
