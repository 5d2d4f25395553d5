//! Deliveries (ARCHITECTURE.md, "Workflows" and "Stock"): a delivery of some of a confirmed
//! order's lines, its own lines, and what each order line has on its way and has delivered.
//!
//! `order_lines.scheduled` (on open deliveries) and `order_lines.delivered` are cached totals
//! moved by one conditional UPDATE each, as product stock is: `scheduled + delivered` never
//! passes the line's quantity, even when two deliveries are scheduled at once. The ledger's
//! shipments name their delivery (`stock_movements.delivery_id`) beside their order.
//!
//! The board's indexes: late and upcoming by date, within a status; one client's and one
//! order's deliveries.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Deliveries {
    Table,
    Id,
    Number,
    Seq,
    OrderId,
    ClientId,
    Priority,
    Status,
    ScheduledDate,
    WindowFrom,
    WindowTo,
    Address,
    Carrier,
    Tracking,
    Notes,
    FailureReason,
    Recipient,
    DeliveredAt,
    ConfirmedBy,
    Signature,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DeliveryLines {
    Table,
    Id,
    DeliveryId,
    OrderLineId,
    ProductId,
    Quantity,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    Scheduled,
    Delivered,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}

fn when<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).timestamp_with_time_zone().to_owned()
}

fn user_key<T: IntoIden + 'static>(from: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Deliveries::Table, from)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// A plain index on `deliveries`.
async fn index(m: &SchemaManager<'_>, name: &str, cols: &[Deliveries]) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(Deliveries::Table);
    for c in cols {
        i.col(*c);
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(
                    ColumnDef::new(Deliveries::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Deliveries::Number).string_len(32).not_null())
                .col(ColumnDef::new(Deliveries::Seq).big_integer().not_null())
                .col(ColumnDef::new(Deliveries::OrderId).big_integer().not_null())
                // The order's client and priority, fixed once it is confirmed: the board filters
                // and sorts by them without a join.
                .col(
                    ColumnDef::new(Deliveries::ClientId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Deliveries::Priority)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Deliveries::Status)
                        .string_len(24)
                        .not_null()
                        .check(Expr::col(Deliveries::Status).is_in([
                            "scheduled",
                            "out_for_delivery",
                            "delivered",
                            "failed",
                            "cancelled",
                        ])),
                )
                .col(ColumnDef::new(Deliveries::ScheduledDate).date().not_null())
                // "HH:MM" in the business time zone, or none.
                .col(ColumnDef::new(Deliveries::WindowFrom).string_len(5).null())
                .col(ColumnDef::new(Deliveries::WindowTo).string_len(5).null())
                .col(text(Deliveries::Address))
                .col(text(Deliveries::Carrier))
                .col(text(Deliveries::Tracking))
                .col(text(Deliveries::Notes))
                .col(ColumnDef::new(Deliveries::FailureReason).text().null())
                .col(ColumnDef::new(Deliveries::Recipient).text().null())
                .col(when(Deliveries::DeliveredAt).null())
                .col(ColumnDef::new(Deliveries::ConfirmedBy).big_integer().null())
                // The drawn signature as SVG path data, or none.
                .col(ColumnDef::new(Deliveries::Signature).text().null())
                .col(
                    ColumnDef::new(Deliveries::CreatedBy)
                        .big_integer()
                        .not_null(),
                )
                .col(when(Deliveries::CreatedAt).not_null())
                .col(when(Deliveries::UpdatedAt).not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Deliveries::Table, Deliveries::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Deliveries::Table, Deliveries::ClientId)
                        .to(Clients::Table, Clients::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(&mut user_key(Deliveries::ConfirmedBy))
                .foreign_key(&mut user_key(Deliveries::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_number")
                .table(Deliveries::Table)
                .col(Deliveries::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        use Deliveries as D;
        index(m, "idx_deliveries_order", &[D::OrderId, D::Id]).await?;
        index(
            m,
            "idx_deliveries_client",
            &[D::ClientId, D::ScheduledDate, D::Id],
        )
        .await?;
        index(m, "idx_deliveries_date", &[D::ScheduledDate, D::Id]).await?;
        let status_date = [D::Status, D::ScheduledDate, D::Id];
        index(m, "idx_deliveries_status_date", &status_date).await?;

        m.create_table(
            Table::create()
                .table(DeliveryLines::Table)
                .col(
                    ColumnDef::new(DeliveryLines::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(DeliveryLines::DeliveryId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(DeliveryLines::OrderLineId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(DeliveryLines::ProductId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(DeliveryLines::Quantity)
                        .big_integer()
                        .not_null()
                        .check(Expr::col(DeliveryLines::Quantity).gt(0)),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DeliveryLines::Table, DeliveryLines::DeliveryId)
                        .to(Deliveries::Table, Deliveries::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DeliveryLines::Table, DeliveryLines::OrderLineId)
                        .to(OrderLines::Table, OrderLines::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DeliveryLines::Table, DeliveryLines::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_delivery_lines_delivery")
                .table(DeliveryLines::Table)
                .col(DeliveryLines::DeliveryId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_delivery_lines_order_line")
                .table(DeliveryLines::Table)
                .col(DeliveryLines::OrderLineId)
                .to_owned(),
        )
        .await?;

        // One column per statement: SQLite adds columns one at a time.
        for column in [OrderLines::Scheduled, OrderLines::Delivered] {
            m.alter_table(
                Table::alter()
                    .table(OrderLines::Table)
                    .add_column(ColumnDef::new(column).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        }
        // Raw SQL: SQLite can add a column with a foreign key only this way.
        let db = m.get_connection();
        db.execute_unprepared(
            "ALTER TABLE stock_movements ADD COLUMN delivery_id BIGINT NULL REFERENCES deliveries (id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_stock_movements_delivery_id ON stock_movements (delivery_id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX idx_stock_movements_delivery_id")
            .await?;
        db.execute_unprepared("ALTER TABLE stock_movements DROP COLUMN delivery_id")
            .await?;
        for column in [OrderLines::Delivered, OrderLines::Scheduled] {
            m.alter_table(
                Table::alter()
                    .table(OrderLines::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(DeliveryLines::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Deliveries::Table).to_owned())
            .await
    }
}
