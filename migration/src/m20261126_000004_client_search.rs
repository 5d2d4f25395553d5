//! Client search and sorting at scale: a lower-cased sort key and a search column, indexed
//! for substring search (FTS5 trigram on SQLite, pg_trgm on PostgreSQL).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Clients {
    Table,
    Active,
    NameKey,
    SearchText,
    Id,
}

/// The search text of rows written before this migration; the application keeps it up to date
/// from then on (it also adds the phone's digits, which SQL cannot do portably).
const BACKFILL: &str = "UPDATE clients SET name_key = lower(name), search_text = lower(\
    name || ' ' || contact || ' ' || coalesce(email, '') || ' ' || phone || ' ' || \
    billing_address || ' ' || shipping_address)";

const SQLITE_FTS: &[&str] = &[
    // External-content index: the text lives once, in `clients.search_text`.
    "CREATE VIRTUAL TABLE clients_fts USING fts5(search_text, content='clients', \
     content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER clients_fts_insert AFTER INSERT ON clients BEGIN \
     INSERT INTO clients_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER clients_fts_delete AFTER DELETE ON clients BEGIN \
     INSERT INTO clients_fts(clients_fts, rowid, search_text) \
     VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER clients_fts_update AFTER UPDATE OF search_text ON clients BEGIN \
     INSERT INTO clients_fts(clients_fts, rowid, search_text) \
     VALUES ('delete', old.id, old.search_text); \
     INSERT INTO clients_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO clients_fts(clients_fts) VALUES ('rebuild')",
];

const POSTGRES_TRGM: &[&str] = &[
    // Needs CREATE privilege on the database (or a DBA running it once beforehand).
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX idx_clients_search ON clients USING gin (search_text gin_trgm_ops)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            ColumnDef::new(Clients::NameKey)
                .string_len(200)
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(Clients::SearchText)
                .text()
                .not_null()
                .default("")
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        db.execute_unprepared(BACKFILL).await?;
        // Lists are always of active or of archived clients, sorted by name or by age, and
        // paged by (key, id): one index per order.
        m.drop_index(
            Index::drop()
                .name("idx_clients_name_id")
                .table(Clients::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_clients_active_name")
                .table(Clients::Table)
                .col(Clients::Active)
                .col(Clients::NameKey)
                .col(Clients::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_clients_active_id")
                .table(Clients::Table)
                .col(Clients::Active)
                .col(Clients::Id)
                .to_owned(),
        )
        .await?;
        let statements = match m.get_database_backend() {
            DatabaseBackend::Sqlite => SQLITE_FTS,
            _ => POSTGRES_TRGM,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements: &[&str] = match m.get_database_backend() {
            DatabaseBackend::Sqlite => &[
                "DROP TRIGGER IF EXISTS clients_fts_insert",
                "DROP TRIGGER IF EXISTS clients_fts_delete",
                "DROP TRIGGER IF EXISTS clients_fts_update",
                "DROP TABLE IF EXISTS clients_fts",
            ],
            _ => &["DROP INDEX IF EXISTS idx_clients_search"],
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        for name in ["idx_clients_active_name", "idx_clients_active_id"] {
            m.drop_index(Index::drop().name(name).table(Clients::Table).to_owned())
                .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_clients_name_id")
                .table(Clients::Table)
                .col(Alias::new("name"))
                .col(Clients::Id)
                .to_owned(),
        )
        .await?;
        for col in [Clients::SearchText, Clients::NameKey] {
            m.alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
