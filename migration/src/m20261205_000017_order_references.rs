//! What an order says beyond its lines: the client's own reference (their purchase order
//! number), where it is delivered, and until when a quotation of it holds; and the order a
//! mail was sent for (a quotation or an order confirmation), so the order shows how its
//! sending went.
//!
//! The delivery address is fixed on the order when it is saved (by default the client's
//! shipping address), as Odoo and ERPNext do: a client moving later does not move the goods
//! of an order already agreed. Existing orders get their client's shipping address now.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Orders {
    Table,
    ClientReference,
    DeliveryAddress,
    ValidUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            ColumnDef::new(Orders::ClientReference)
                .string_len(100)
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(Orders::DeliveryAddress)
                .text()
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(Orders::ValidUntil).date().null().to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE orders SET delivery_address = \
             (SELECT shipping_address FROM clients WHERE clients.id = orders.client_id)",
        )
        .await?;
        db.execute_unprepared(
            "ALTER TABLE outbox_mails ADD COLUMN order_id BIGINT NULL REFERENCES orders (id)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_outbox_mails_order ON outbox_mails (order_id)")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX idx_outbox_mails_order")
            .await?;
        db.execute_unprepared("ALTER TABLE outbox_mails DROP COLUMN order_id")
            .await?;
        for column in [
            Orders::ClientReference,
            Orders::DeliveryAddress,
            Orders::ValidUntil,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
