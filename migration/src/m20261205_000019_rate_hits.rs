//! `rate_hits`: recent password-reset requests and registrations, counted per IP and per
//! address to rate-limit them. Kept in the database, not in the process, so the limit holds
//! across restarts and across several app servers; swept once older than the longest window.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateHits {
    Table,
    Id,
    Action,
    Ip,
    Address,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RateHits::Table)
                .col(
                    ColumnDef::new(RateHits::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(RateHits::Action).string_len(32).not_null())
                .col(ColumnDef::new(RateHits::Ip).string_len(45).not_null())
                .col(ColumnDef::new(RateHits::Address).string_len(254).not_null())
                .col(
                    ColumnDef::new(RateHits::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_rate_hits_ip", RateHits::Ip),
            ("idx_rate_hits_address", RateHits::Address),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(RateHits::Table)
                    .col(RateHits::Action)
                    .col(col)
                    .col(RateHits::At)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RateHits::Table).to_owned())
            .await
    }
}
