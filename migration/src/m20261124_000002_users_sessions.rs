//! Users, their sessions, failed sign-ins (for throttling) and password-reset tokens.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    UsernameKey,
    FirstName,
    LastName,
    Email,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Account,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create().name(name).table(table).to_owned();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(id(Users::Id))
                .col(ColumnDef::new(Users::Username).string_len(64).not_null())
                // Lower-cased username: uniqueness and sign-in ignore case.
                .col(
                    ColumnDef::new(Users::UsernameKey)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Users::FirstName).string_len(100).not_null())
                .col(ColumnDef::new(Users::LastName).string_len(100).not_null())
                // Stored lower-cased, so the unique key ignores case too.
                .col(
                    ColumnDef::new(Users::Email)
                        .string_len(254)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Users::PasswordHash)
                        .string_len(255)
                        .not_null(),
                )
                .col(ColumnDef::new(Users::Role).string_len(16).not_null().check(
                    Expr::col(Users::Role).is_in(["admin", "sales", "warehouse", "accounting"]),
                ))
                .col(
                    ColumnDef::new(Users::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(timestamp(Users::CreatedAt))
                .col(timestamp(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(
                    ColumnDef::new(Sessions::Id)
                        .string_len(40)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Sessions::Data).blob().not_null())
                .col(timestamp(Sessions::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_sessions_expires_at",
            Sessions::Table,
            &["expires_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(id(LoginFailures::Id))
                .col(
                    ColumnDef::new(LoginFailures::Account)
                        .string_len(254)
                        .not_null(),
                )
                .col(ColumnDef::new(LoginFailures::Ip).string_len(45).not_null())
                .col(timestamp(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_login_failures_account",
            LoginFailures::Table,
            &["account", "at"],
        ))
        .await?;
        m.create_index(index(
            "idx_login_failures_ip",
            LoginFailures::Table,
            &["ip", "at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PasswordResets::Table)
                .col(id(PasswordResets::Id))
                .col(
                    ColumnDef::new(PasswordResets::UserId)
                        .big_integer()
                        .not_null(),
                )
                // SHA-256 of the emailed token, hex: the token itself is never stored.
                .col(
                    ColumnDef::new(PasswordResets::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(timestamp(PasswordResets::ExpiresAt))
                .col(
                    ColumnDef::new(PasswordResets::UsedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(timestamp(PasswordResets::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PasswordResets::Table, PasswordResets::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PasswordResets::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
