//! The outbox (`outbox_mails`): mail written in the same transaction as the change that
//! causes it and sent afterwards by a worker, so a committed change never loses its mail and
//! a rolled-back one never sends any. And the ledger's typed link to its source
//! (`stock_movements.order_id`), which replaces the order number kept as free text: an
//! order's outstanding reservation is the sum of its movements.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxMails {
    Table,
    Id,
    Recipient,
    Subject,
    Body,
    MessageId,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

/// Fills the new column from the order numbers the reservation and release rows kept as
/// their reference. The ledger is append-only, so its update trigger steps aside for this one
/// statement.
const SQLITE_BACKFILL: &[&str] = &[
    "DROP TRIGGER stock_movements_no_update",
    "UPDATE stock_movements SET order_id = (SELECT o.id FROM orders o WHERE o.number = \
     stock_movements.reference), reference = '' WHERE kind IN ('reservation', 'release')",
    "CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements \
     BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END",
];

const POSTGRES_BACKFILL: &[&str] = &[
    "ALTER TABLE stock_movements DISABLE TRIGGER stock_movements_append_only",
    "UPDATE stock_movements SET order_id = (SELECT o.id FROM orders o WHERE o.number = \
     stock_movements.reference), reference = '' WHERE kind IN ('reservation', 'release')",
    "ALTER TABLE stock_movements ENABLE TRIGGER stock_movements_append_only",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OutboxMails::Table)
                .col(
                    ColumnDef::new(OutboxMails::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(OutboxMails::Recipient).string().not_null())
                .col(ColumnDef::new(OutboxMails::Subject).string().not_null())
                .col(ColumnDef::new(OutboxMails::Body).text().not_null())
                .col(ColumnDef::new(OutboxMails::MessageId).string().not_null())
                .col(
                    ColumnDef::new(OutboxMails::Status)
                        .string_len(16)
                        .not_null()
                        .check(Expr::col(OutboxMails::Status).is_in(["pending", "sent", "failed"])),
                )
                .col(
                    ColumnDef::new(OutboxMails::Attempts)
                        .integer()
                        .not_null()
                        .default(0),
                )
                // NULL once nothing more will be tried (sent, or given up).
                .col(ColumnDef::new(OutboxMails::NextAttemptAt).timestamp_with_time_zone())
                .col(
                    ColumnDef::new(OutboxMails::LastError)
                        .text()
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(OutboxMails::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(OutboxMails::SentAt).timestamp_with_time_zone())
                .to_owned(),
        )
        .await?;
        // The worker's question: what is due now?
        m.create_index(
            Index::create()
                .name("idx_outbox_mails_next_attempt_at")
                .table(OutboxMails::Table)
                .col(OutboxMails::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        // The admin page's question: what failed, newest first?
        m.create_index(
            Index::create()
                .name("idx_outbox_mails_status_id")
                .table(OutboxMails::Table)
                .col(OutboxMails::Status)
                .col(OutboxMails::Id)
                .to_owned(),
        )
        .await?;

        let db = m.get_connection();
        // Raw SQL: SQLite can add a column with a foreign key only this way.
        db.execute_unprepared(
            "ALTER TABLE stock_movements ADD COLUMN order_id BIGINT NULL REFERENCES orders (id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_stock_movements_order_id ON stock_movements (order_id, product_id)",
        )
        .await?;
        let backfill = match m.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_BACKFILL,
            _ => SQLITE_BACKFILL,
        };
        // One call, so one connection runs all three: on SQLite each call may take another
        // pooled connection, whose view of the schema could predate the DROP.
        db.execute_unprepared(&backfill.join(";\n")).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX idx_stock_movements_order_id")
            .await?;
        db.execute_unprepared("ALTER TABLE stock_movements DROP COLUMN order_id")
            .await?;
        m.drop_table(Table::drop().table(OutboxMails::Table).to_owned())
            .await
    }
}
