//! Indexes for the audit trail page's filters: by user, by action and by date, each ending in
//! the id so a filtered page is one range of an index walked newest first.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorId,
    Action,
}

/// (index name, leading column).
const INDEXES: [(&str, AuditEvents); 3] = [
    ("idx_audit_events_actor", AuditEvents::ActorId),
    ("idx_audit_events_action", AuditEvents::Action),
    ("idx_audit_events_at", AuditEvents::At),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in INDEXES {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(AuditEvents::Table)
                    .col(column)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            m.drop_index(
                Index::drop()
                    .name(name)
                    .table(AuditEvents::Table)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
