//! Reserved stock that was broken or lost (`order_lines.uncovered`): the units of a line its
//! order no longer holds in reserve, because the shelf lost them after the order was
//! confirmed. They are reserved again as stock arrives (`orders::shortage`).
//!
//! Few lines are ever short, so a partial index finds them (per product, and for the
//! dashboard's count) without growing with the order book.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Uncovered,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OrderLines::Table)
                .add_column(
                    ColumnDef::new(OrderLines::Uncovered)
                        .big_integer()
                        .not_null()
                        .default(0)
                        .check(Expr::col(OrderLines::Uncovered).gte(0)),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_order_lines_uncovered ON order_lines (product_id, order_id) \
                 WHERE uncovered > 0",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX idx_order_lines_uncovered")
            .await?;
        m.alter_table(
            Table::alter()
                .table(OrderLines::Table)
                .drop_column(OrderLines::Uncovered)
                .to_owned(),
        )
        .await
    }
}
