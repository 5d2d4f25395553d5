//! A line's discount may be given as a percent of the line (`order_lines.discount_bp`, basis
//! points); `discount` stays the amount it came to, which every total uses.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    DiscountBp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Existing discounts were all typed as amounts: none has a percent.
        m.alter_table(
            Table::alter()
                .table(OrderLines::Table)
                .add_column(ColumnDef::new(OrderLines::DiscountBp).integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OrderLines::Table)
                .drop_column(OrderLines::DiscountBp)
                .to_owned(),
        )
        .await
    }
}
