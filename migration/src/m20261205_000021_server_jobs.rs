//! `server_jobs`: when each periodic job (the sweeps) last ran. Several app servers on one
//! database claim a period's run by a conditional UPDATE of its row, so it runs once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServerJobs {
    Table,
    Name,
    LastRunAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ServerJobs::Table)
                .col(
                    ColumnDef::new(ServerJobs::Name)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ServerJobs::LastRunAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ServerJobs::Table).to_owned())
            .await
    }
}
