//! Client search ignores accents: the sort and search keys are now folded text, which SQL
//! cannot compute portably. This clears them; the application writes every cleared row's keys
//! at start-up, before its first request (`clients::search_keys::refold`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("UPDATE clients SET name_key = '', search_text = ''")
            .await?;
        // Empty but for rows waiting for their keys: start-up finds them without reading the
        // table (the query names the same literal condition, as a partial index needs).
        db.execute_unprepared(
            "CREATE INDEX idx_clients_unfolded ON clients (id) WHERE search_text = ''",
        )
        .await
        .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The keys of the version before are lower-cased text, which folded text also is for
        // most names: only the index goes.
        m.get_connection()
            .execute_unprepared("DROP INDEX idx_clients_unfolded")
            .await
            .map(|_| ())
    }
}
