//! Sessions stored in the app's own database through sea-orm (the sqlx-based
//! tower-sessions stores clash with sea-orm's sqlx version).

use axum_login::tower_sessions::session::{Id, Record};
use axum_login::tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::server::entities::session::{ActiveModel, Column, Entity};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expires_at(record: &Record) -> DateTime<Utc> {
    let t = record.expiry_date;
    DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_else(Utc::now)
}

fn row(record: &Record) -> session_store::Result<ActiveModel> {
    Ok(ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(
            serde_json::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?
        ),
        expires_at: Set(expires_at(record)),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    /// Insert under a fresh id, drawing again on the (astronomically unlikely) collision.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let inserted = Entity::insert(row(record)?)
                .on_conflict(OnConflict::column(Column::Id).do_nothing().to_owned())
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        Entity::insert(row(record)?)
            .on_conflict(
                OnConflict::column(Column::Id)
                    .update_columns([Column::Data, Column::ExpiresAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let found = Entity::find_by_id(id.to_string())
            .filter(Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        found
            .map(|m| {
                serde_json::from_slice(&m.data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))
            })
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        Entity::delete_many()
            .filter(Column::ExpiresAt.lte(Utc::now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
