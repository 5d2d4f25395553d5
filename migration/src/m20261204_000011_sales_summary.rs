//! The sales summary (ARCHITECTURE.md, "Reports"): what was invoiced and credited, by business
//! day, for the whole business (`dim` 'all', `dim_id` 0), for each client and for each
//! product; and the orders booked, for the whole business. The writing transactions keep it (issuing, crediting, confirming, reverting
//! and cancelling orders); the sales report and the dashboard read it instead of summing a
//! year of invoices per request.
//!
//! `summary_builds` says which business time zone the summary was built in: orders count on
//! the business day they were entered, so a server started in another zone builds it again.
//! The rows themselves are built then (the app knows the zone; a migration does not).
//!
//! `orders.confirmed_at`: when the order was last confirmed, for the time from confirmation
//! to delivery. Orders confirmed before it existed take it from their last reservation in
//! the stock ledger (a confirmation reserves every line).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SalesSummary {
    Table,
    Dim,
    DimId,
    Day,
    Invoiced,
    Credited,
    Tax,
    Quantity,
    Orders,
    Booked,
    Changes,
}

#[derive(DeriveIden)]
enum SummaryBuilds {
    Table,
    Name,
    Zone,
    BuiltAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    ConfirmedAt,
}

fn big(c: SalesSummary) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .default(0)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SalesSummary as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(ColumnDef::new(S::Dim).string_len(8).not_null())
                .col(ColumnDef::new(S::DimId).big_integer().not_null())
                .col(ColumnDef::new(S::Day).date().not_null())
                // Net invoiced and net credited; tax and quantity invoiced less credited.
                .col(big(S::Invoiced))
                .col(big(S::Credited))
                .col(big(S::Tax))
                .col(big(S::Quantity))
                // Orders booked (confirmed, not cancelled) and their value: 'all' rows only.
                .col(big(S::Orders))
                .col(big(S::Booked))
                // How many times the row was added to since the summary was built: a period's
                // 'all' rows sum to a number that grows with every change in it, so a
                // ranking summed before can be known to be still true (`summary::ranked`).
                .col(big(S::Changes))
                .primary_key(Index::create().col(S::Dim).col(S::DimId).col(S::Day))
                .check(Expr::col(S::Dim).is_in(["all", "client", "product"]))
                .to_owned(),
        )
        .await?;
        // The rankings: every client's (or product's) days in a period, read from the index
        // alone.
        m.create_index(
            Index::create()
                .name("idx_sales_summary_ranking")
                .table(S::Table)
                .col(S::Dim)
                .col(S::Day)
                .col(S::DimId)
                .col(S::Invoiced)
                .col(S::Credited)
                .col(S::Tax)
                .col(S::Quantity)
                .to_owned(),
        )
        .await?;
        // The detail read with a product chosen: its invoice lines, and the credit note lines
        // taking them back.
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_invoice_lines_product ON invoice_lines (product_id, invoice_id)",
            )
            .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_credit_note_lines_line ON credit_note_lines (invoice_line_id)",
            )
            .await?;
        m.create_table(
            Table::create()
                .table(SummaryBuilds::Table)
                .col(
                    ColumnDef::new(SummaryBuilds::Name)
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(SummaryBuilds::Zone).string().not_null())
                .col(
                    ColumnDef::new(SummaryBuilds::BuiltAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Orders::Table)
                .add_column(
                    ColumnDef::new(Orders::ConfirmedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE orders SET confirmed_at = (SELECT MAX(m.at) FROM stock_movements m \
                 WHERE m.order_id = orders.id AND m.kind = 'reservation') \
                 WHERE status NOT IN ('draft')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Orders::Table)
                .drop_column(Orders::ConfirmedAt)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(SummaryBuilds::Table).to_owned())
            .await?;
        for index in ["idx_invoice_lines_product", "idx_credit_note_lines_line"] {
            m.get_connection()
                .execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        m.drop_table(Table::drop().table(SalesSummary::Table).to_owned())
            .await
    }
}
