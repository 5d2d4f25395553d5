//! Demo data for `scripts/run`: on an empty database, one account per role with known
//! passwords, printed at start-up, and each module's demo records (clients, products and
//! stock, orders).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use super::AppState;
use crate::audit::Actor;
use crate::auth::{Role, password};
use crate::error::{AppResult, OrInternal};
use crate::server::entities::user;

/// (username, first name, last name, role, password). Passwords satisfy the strength rules.
const ACCOUNTS: [(&str, &str, &str, Role, &str); 4] = [
    (
        "admin",
        "Ada",
        "Admin",
        Role::Admin,
        "orbit lantern admin 47",
    ),
    (
        "sales",
        "Sam",
        "Seller",
        Role::Sales,
        "copper meadow sales 52",
    ),
    (
        "warehouse",
        "Wes",
        "Stock",
        Role::Warehouse,
        "granite harbor crates 18",
    ),
    (
        "accounting",
        "Ava",
        "Ledger",
        Role::Accounting,
        "velvet ledger summit 93",
    ),
];

/// Seed when there are no users yet; returns what was created (empty when nothing was).
pub async fn seed(state: &AppState) -> AppResult<Vec<(&'static str, Role, &'static str)>> {
    let db = &state.db;
    let users = user::Entity::find()
        .count(db)
        .await
        .or_internal("demo seed")?;
    if users > 0 {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let mut created = Vec::new();
    let mut admin_id = None;
    for (username, first, last, role, pass) in ACCOUNTS {
        let account = user::ActiveModel {
            username: Set(username.into()),
            username_key: Set(username.into()),
            first_name: Set(first.into()),
            last_name: Set(last.into()),
            email: Set(format!("{username}@demo.example.com")),
            password_hash: Set(password::hash(pass.into()).await?),
            role: Set(role),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .or_internal("demo seed")?;
        admin_id.get_or_insert(Actor::new(account.id));
        created.push((username, role, pass));
    }
    if let Some(admin) = admin_id {
        for module in super::modules::MODULES {
            if let Some(seed) = module.demo {
                seed(state, admin).await?;
            }
        }
        // The demo orders and deliveries were moved back to days before today after they
        // were written.
        crate::reports::kept::build_all(&state.db, &state.config.business.zone).await?;
    }
    Ok(created)
}
