//! Products and the stock ledger (ARCHITECTURE.md, "Stock"): `stock_movements` is append-only, and the
//! cached `on_hand` / `reserved` on each product are kept in the same transaction as every
//! movement. The CHECK constraints are the database's own guard of 0 ≤ reserved ≤ on_hand.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Sku,
    SkuKey,
    Name,
    NameKey,
    Description,
    Unit,
    UnitPrice,
    TaxRateBp,
    ReorderLevel,
    OnHand,
    Reserved,
    LowStockAlerted,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    ProductId,
    Kind,
    DeltaOnHand,
    DeltaReserved,
    UnitCost,
    Reference,
    Note,
    UserId,
    At,
}

/// Rows of the ledger are never changed or removed: corrections are new movements.
const SQLITE_APPEND_ONLY: &[&str] = &[
    "CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements \
     BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END",
    "CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements \
     BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END",
];

const POSTGRES_APPEND_ONLY: &[&str] = &[
    "CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'stock_movements is append-only'; END $$",
    "CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements \
     FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let not_negative = |c: Products| Expr::col(c).gte(0);
        m.create_table(
            Table::create()
                .table(Products::Table)
                .col(
                    ColumnDef::new(Products::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Products::Sku).string_len(64).not_null())
                // Lower-cased SKU: uniqueness ignores case.
                .col(ColumnDef::new(Products::SkuKey).string_len(64).not_null())
                .col(ColumnDef::new(Products::Name).string_len(200).not_null())
                .col(ColumnDef::new(Products::NameKey).string_len(200).not_null())
                .col(ColumnDef::new(Products::Description).text().not_null())
                .col(ColumnDef::new(Products::Unit).string_len(16).not_null())
                // Cents (ARCHITECTURE.md, "Money, quantities, numbers").
                .col(
                    ColumnDef::new(Products::UnitPrice)
                        .big_integer()
                        .not_null()
                        .check(not_negative(Products::UnitPrice)),
                )
                // Basis points: 1900 = 19 %.
                .col(
                    ColumnDef::new(Products::TaxRateBp)
                        .integer()
                        .not_null()
                        .check(Expr::col(Products::TaxRateBp).between(0, 10_000)),
                )
                .col(
                    ColumnDef::new(Products::ReorderLevel)
                        .big_integer()
                        .not_null()
                        .default(0)
                        .check(not_negative(Products::ReorderLevel)),
                )
                .col(
                    ColumnDef::new(Products::OnHand)
                        .big_integer()
                        .not_null()
                        .default(0)
                        .check(not_negative(Products::OnHand)),
                )
                .col(
                    ColumnDef::new(Products::Reserved)
                        .big_integer()
                        .not_null()
                        .default(0)
                        .check(not_negative(Products::Reserved)),
                )
                // Set when the low-stock mail went out; cleared when stock recovers above the
                // reorder level, so the mail is sent once per crossing.
                .col(
                    ColumnDef::new(Products::LowStockAlerted)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Products::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(Products::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Products::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .check(Expr::col(Products::Reserved).lte(Expr::col(Products::OnHand)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_products_sku_key")
                .table(Products::Table)
                .col(Products::SkuKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_products_active_name")
                .table(Products::Table)
                .col(Products::Active)
                .col(Products::NameKey)
                .col(Products::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StockMovements::Table)
                .col(
                    ColumnDef::new(StockMovements::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(StockMovements::ProductId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(StockMovements::Kind)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(StockMovements::DeltaOnHand)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(StockMovements::DeltaReserved)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(StockMovements::UnitCost)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(StockMovements::Reference)
                        .string_len(100)
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(StockMovements::Note).text().not_null())
                .col(ColumnDef::new(StockMovements::UserId).big_integer().null())
                .col(
                    ColumnDef::new(StockMovements::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .check(Expr::col(StockMovements::Kind).is_in([
                    "receipt",
                    "adjustment",
                    "reservation",
                    "release",
                    "shipment",
                ]))
                .foreign_key(
                    ForeignKey::create()
                        .from(StockMovements::Table, StockMovements::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        // A product's history, newest first, paged by id.
        m.create_index(
            Index::create()
                .name("idx_stock_movements_product")
                .table(StockMovements::Table)
                .col(StockMovements::ProductId)
                .col(StockMovements::Id)
                .to_owned(),
        )
        .await?;
        let statements = match m.get_database_backend() {
            DatabaseBackend::Sqlite => SQLITE_APPEND_ONLY,
            _ => POSTGRES_APPEND_ONLY,
        };
        for sql in statements {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(StockMovements::Table).to_owned())
            .await?;
        if m.get_database_backend() != DatabaseBackend::Sqlite {
            m.get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS stock_movements_append_only()")
                .await?;
        }
        m.drop_table(Table::drop().table(Products::Table).to_owned())
            .await
    }
}
