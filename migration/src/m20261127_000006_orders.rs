//! Sales orders (ARCHITECTURE.md, "Money, quantities, numbers" and "Workflows"): the order, its lines, and the `sequences` table that hands
//! out document numbers inside the transaction that writes the document.
//!
//! The indexes serve the order list at a million rows: each filter (status, client,
//! priority, date range) has an index ending in the list's keyset `(created_at, id)`, and the
//! order by total has its own, alone and within a status. Every index is paid for on each
//! order written, so there are no others.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sequences {
    Table,
    Name,
    Next,
}

#[derive(DeriveIden, Clone, Copy)]
enum Orders {
    Table,
    Id,
    Number,
    Seq,
    ClientId,
    Status,
    Priority,
    RequestedDate,
    Notes,
    Net,
    Tax,
    Total,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    Position,
    ProductId,
    Description,
    Quantity,
    UnitPrice,
    Discount,
    TaxRateBp,
    Net,
    Tax,
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

fn id_col<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn money_col<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

/// A plain index on `orders`.
async fn index(m: &SchemaManager<'_>, name: &str, cols: &[Orders]) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(Orders::Table);
    for c in cols {
        i.col(*c);
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One row per series and year ("SO-2026"); `next` is the number the next document gets.
        m.create_table(
            Table::create()
                .table(Sequences::Table)
                .col(
                    ColumnDef::new(Sequences::Name)
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Sequences::Next).big_integer().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Orders::Table)
                .col(id_col(Orders::Id))
                .col(ColumnDef::new(Orders::Number).string_len(32).not_null())
                // The number's running part, for "find order 42".
                .col(ColumnDef::new(Orders::Seq).big_integer().not_null())
                .col(ColumnDef::new(Orders::ClientId).big_integer().not_null())
                .col(
                    ColumnDef::new(Orders::Status)
                        .string_len(24)
                        .not_null()
                        .check(Expr::col(Orders::Status).is_in([
                            "draft",
                            "confirmed",
                            "partially_delivered",
                            "delivered",
                            "cancelled",
                        ])),
                )
                .col(
                    ColumnDef::new(Orders::Priority)
                        .string_len(8)
                        .not_null()
                        .check(
                            Expr::col(Orders::Priority).is_in(["low", "normal", "high", "urgent"]),
                        ),
                )
                .col(ColumnDef::new(Orders::RequestedDate).date().null())
                .col(ColumnDef::new(Orders::Notes).text().not_null())
                .col(money_col(Orders::Net))
                .col(money_col(Orders::Tax))
                .col(money_col(Orders::Total))
                .col(ColumnDef::new(Orders::CreatedBy).big_integer().not_null())
                .col(
                    ColumnDef::new(Orders::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Orders::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Orders::Table, Orders::ClientId)
                        .to(Clients::Table, Clients::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Orders::Table, Orders::CreatedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_orders_number")
                .table(Orders::Table)
                .col(Orders::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        use Orders as O;
        index(m, "idx_orders_seq", &[O::Seq]).await?;
        index(m, "idx_orders_created", &[O::CreatedAt, O::Id]).await?;
        let status = [O::Status, O::CreatedAt, O::Id];
        index(m, "idx_orders_status", &status).await?;
        let client = [O::ClientId, O::CreatedAt, O::Id];
        index(m, "idx_orders_client", &client).await?;
        let priority = [O::Priority, O::CreatedAt, O::Id];
        index(m, "idx_orders_priority", &priority).await?;
        // Status and priority together: either alone can be the wrong walk (a rare status, or a
        // rare priority), and SQLite's statistics cannot tell which; this one is exact.
        let both = [O::Status, O::Priority, O::CreatedAt, O::Id];
        index(m, "idx_orders_status_priority", &both).await?;
        index(m, "idx_orders_total", &[O::Total, O::Id]).await?;
        // A status tab sorted by total (the largest drafts, say).
        let status_total = [O::Status, O::Total, O::Id];
        index(m, "idx_orders_status_total", &status_total).await?;

        m.create_table(
            Table::create()
                .table(OrderLines::Table)
                .col(id_col(OrderLines::Id))
                .col(ColumnDef::new(OrderLines::OrderId).big_integer().not_null())
                .col(ColumnDef::new(OrderLines::Position).integer().not_null())
                .col(
                    ColumnDef::new(OrderLines::ProductId)
                        .big_integer()
                        .not_null(),
                )
                // The product's name when the line was written: the order reads as agreed
                // even if the catalogue changes later.
                .col(
                    ColumnDef::new(OrderLines::Description)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OrderLines::Quantity)
                        .big_integer()
                        .not_null()
                        .check(Expr::col(OrderLines::Quantity).gt(0)),
                )
                .col(
                    ColumnDef::new(OrderLines::UnitPrice)
                        .big_integer()
                        .not_null()
                        .check(Expr::col(OrderLines::UnitPrice).gte(0)),
                )
                .col(
                    ColumnDef::new(OrderLines::Discount)
                        .big_integer()
                        .not_null()
                        .check(Expr::col(OrderLines::Discount).gte(0)),
                )
                .col(
                    ColumnDef::new(OrderLines::TaxRateBp)
                        .integer()
                        .not_null()
                        .check(Expr::col(OrderLines::TaxRateBp).between(0, 10_000)),
                )
                .col(money_col(OrderLines::Net))
                .col(money_col(OrderLines::Tax))
                .foreign_key(
                    ForeignKey::create()
                        .from(OrderLines::Table, OrderLines::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrderLines::Table, OrderLines::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_order_lines_order")
                .table(OrderLines::Table)
                .col(OrderLines::OrderId)
                .col(OrderLines::Position)
                .to_owned(),
        )
        .await?;
        // Deleting a product checks the restricting key through this index, not a scan.
        m.create_index(
            Index::create()
                .name("idx_order_lines_product")
                .table(OrderLines::Table)
                .col(OrderLines::ProductId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(OrderLines::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Orders::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Sequences::Table).to_owned())
            .await
    }
}
