//! Accounts that wait for an administrator's approval (`users.pending`), and the keys that
//! make a repeated request (a double click, a network retry) apply once (`request_keys`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Pending,
}

#[derive(DeriveIden)]
enum RequestKeys {
    Table,
    UserId,
    Key,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Existing accounts were all let in already: none is pending.
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(
                    ColumnDef::new(Users::Pending)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        // Keyed per user: one user's keys can never block another's request.
        m.create_table(
            Table::create()
                .table(RequestKeys::Table)
                .col(ColumnDef::new(RequestKeys::UserId).big_integer().not_null())
                .col(ColumnDef::new(RequestKeys::Key).string_len(64).not_null())
                .col(
                    ColumnDef::new(RequestKeys::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(RequestKeys::UserId)
                        .col(RequestKeys::Key),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RequestKeys::Table, RequestKeys::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // The sweep deletes old keys by age.
        m.create_index(
            Index::create()
                .name("idx_request_keys_created_at")
                .table(RequestKeys::Table)
                .col(RequestKeys::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RequestKeys::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::Pending)
                .to_owned(),
        )
        .await
    }
}
