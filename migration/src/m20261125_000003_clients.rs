//! Clients: contact data, addresses, payment terms, and an active flag for archiving.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
    Name,
    Contact,
    Email,
    Phone,
    BillingAddress,
    ShippingAddress,
    TaxId,
    PaymentTermsDays,
    Notes,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Clients::Table)
                .col(
                    ColumnDef::new(Clients::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Clients::Name).string_len(200).not_null())
                .col(
                    ColumnDef::new(Clients::Contact)
                        .string_len(200)
                        .not_null()
                        .default(""),
                )
                // Lower-cased; NULL when the client has no email.
                .col(ColumnDef::new(Clients::Email).string_len(254).null())
                .col(
                    ColumnDef::new(Clients::Phone)
                        .string_len(50)
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(Clients::BillingAddress).text().not_null())
                .col(ColumnDef::new(Clients::ShippingAddress).text().not_null())
                .col(
                    ColumnDef::new(Clients::TaxId)
                        .string_len(50)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Clients::PaymentTermsDays)
                        .integer()
                        .not_null()
                        .default(30)
                        .check(Expr::col(Clients::PaymentTermsDays).between(0, 365)),
                )
                .col(ColumnDef::new(Clients::Notes).text().not_null())
                .col(
                    ColumnDef::new(Clients::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(Clients::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Clients::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        // Email is unique among active clients only: an archived client keeps its address
        // without blocking a new one. Partial indexes work on SQLite and PostgreSQL alike.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_clients_active_email ON clients (email) \
                 WHERE active AND email IS NOT NULL",
            )
            .await?;
        // The list is sorted by name by default and paged by (name, id).
        m.create_index(
            Index::create()
                .name("idx_clients_name_id")
                .table(Clients::Table)
                .col(Clients::Name)
                .col(Clients::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Clients::Table).to_owned())
            .await
    }
}
