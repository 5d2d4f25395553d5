//! Gathers the system status for the dashboard.

use std::time::Instant;

use sea_orm::DatabaseConnection;

use super::SystemInfo;
use crate::server::{Config, db};

pub async fn system_info(db: &DatabaseConnection, config: &Config) -> SystemInfo {
    let started = Instant::now();
    let database_ok = db::ping(db).await.is_ok();
    SystemInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        backend: config.backend.name().to_string(),
        database_ok,
        database_latency_us: started.elapsed().as_micros() as u64,
    }
}
