//! A stock adjustment's reason code (`stock_movements.reason`: count, breakage, loss, found,
//! other), beside its free note. Earlier adjustments keep their note and have no code.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(StockMovements::Table)
                .add_column(ColumnDef::new(StockMovements::Reason).string_len(20).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(StockMovements::Table)
                .drop_column(StockMovements::Reason)
                .to_owned(),
        )
        .await
    }
}
