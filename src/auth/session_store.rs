//! Sessions stored in the app's own database through sea-orm (the sqlx-based
//! tower-sessions stores clash with sea-orm's sqlx version), each read kept for a moment in
//! this server's `SignedIn` copies.

use axum_login::tower_sessions::session::{Id, Record};
use axum_login::tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use std::sync::Arc;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::fresh::SignedIn;
use crate::server::entities::session::{ActiveModel, Column, Entity};

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    copies: Arc<SignedIn>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbSessionStore").finish_non_exhaustive()
    }
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection, copies: Arc<SignedIn>) -> Self {
        Self { db, copies }
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
                self.copies.keep_session(record);
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Only ever an existing session (tower-sessions calls `create` for new ones), and only
    /// while it still exists: a session ended meanwhile (signed out on another server, swept
    /// as expired) stays ended rather than being written back from a copy.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let ActiveModel {
            data, expires_at, ..
        } = row(record)?;
        let updated = Entity::update_many()
            .set(ActiveModel {
                data,
                expires_at,
                ..Default::default()
            })
            .filter(Column::Id.eq(record.id.to_string()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        if updated.rows_affected == 1 {
            self.copies.keep_session(record);
        } else {
            self.copies.forget_session(&record.id);
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(copy) = self.copies.session(id)
            && self.copies.reconcile(&copy)
        {
            return Ok(Some(copy));
        }
        let found = Entity::find_by_id(id.to_string())
            .filter(Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let record: Option<Record> = found
            .map(|m| {
                serde_json::from_slice(&m.data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))
            })
            .transpose()?;
        if let Some(record) = &record {
            self.copies.reconcile(record);
            self.copies.keep_session(record);
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.copies.forget_session(id);
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
