//! Client lists at scale: word search over an indexed search column, and keyset pages.
//!
//! Every word must appear somewhere in the client's name, contact, email, phone or addresses.
//! Words of three or more characters go through the substring index (FTS5 trigram on SQLite,
//! pg_trgm on PostgreSQL); shorter ones only narrow what the index found (or, alone, scan).

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::{Client, ClientPage, ClientQuery, ClientSort, PAGE_SIZE};
use crate::error::{AppError, AppResult};
use crate::server::db::contains;
use crate::server::entities::client::{self, Column};

fn db_err(e: sea_orm::DbErr) -> AppError {
    AppError::internal("client search", e)
}

/// Words of the query, lower-cased; at most eight, each at most 100 characters.
fn words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(8)
        .map(|w| w.chars().take(100).collect::<String>().to_lowercase())
        .collect()
}

/// The filter for the status and the search words (no order, no cursor): shared by the page,
/// its count and the CSV export.
pub fn filtered(db: &impl ConnectionTrait, query: &ClientQuery) -> Select<client::Entity> {
    let mut select = client::Entity::find().filter(Column::Active.eq(!query.archived));
    let words = words(&query.q);
    let indexed: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 3).collect();
    if db.get_database_backend() == DatabaseBackend::Sqlite && !indexed.is_empty() {
        // An FTS5 phrase per word (implicit AND); a quote inside a word is doubled.
        let phrase = indexed
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ");
        select = select.filter(Expr::cust_with_values(
            "clients.id IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)",
            [phrase],
        ));
    }
    // On SQLite the trigram index matched the long words already; the LIKE re-check is cheap
    // on that small set and is what handles the short words. On PostgreSQL pg_trgm serves LIKE.
    let mut all = Condition::all();
    for w in &words {
        all = all.add(Column::SearchText.like(contains(w)));
    }
    select.filter(all)
}

/// The column the sort orders by (besides the id tiebreak) and the direction.
fn order(sort: ClientSort) -> (Option<Column>, Order) {
    match sort {
        ClientSort::Name => (Some(Column::NameKey), Order::Asc),
        ClientSort::NameDesc => (Some(Column::NameKey), Order::Desc),
        ClientSort::Newest => (None, Order::Desc),
        ClientSort::Oldest => (None, Order::Asc),
    }
}

fn flip(o: &Order) -> Order {
    match o {
        Order::Asc => Order::Desc,
        _ => Order::Asc,
    }
}

/// Rows strictly beyond `cursor` in direction `dir` of (key, id).
fn beyond(key: Option<Column>, cursor: &client::Model, dir: &Order) -> Condition {
    let forward = matches!(dir, Order::Asc);
    let id_past = if forward {
        Column::Id.gt(cursor.id)
    } else {
        Column::Id.lt(cursor.id)
    };
    match key {
        None => Condition::all().add(id_past),
        Some(k) => {
            let v = cursor.name_key.clone();
            let key_past = if forward {
                Expr::col(k).gt(v.clone())
            } else {
                Expr::col(k).lt(v.clone())
            };
            Condition::any()
                .add(key_past)
                .add(Condition::all().add(Expr::col(k).eq(v)).add(id_past))
        }
    }
}

pub async fn page(db: &DatabaseConnection, query: &ClientQuery) -> AppResult<ClientPage> {
    let base = filtered(db, query);
    let total = base.clone().count(db).await.map_err(db_err)?;
    let (key, dir) = order(query.sort);
    // A cursor that no longer exists (the client was deleted) starts from the top.
    let cursor_id = query.before.or(query.after);
    let cursor = match cursor_id {
        Some(id) => client::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_err)?,
        None => None,
    };
    let backwards = cursor.is_some() && query.before.is_some();
    // Going back, walk the order in reverse from the cursor, then turn the rows around.
    let walk = if backwards { flip(&dir) } else { dir };
    let mut select = base;
    if let Some(c) = &cursor {
        select = select.filter(beyond(key, c, &walk));
    }
    if let Some(k) = key {
        select = select.order_by(k, walk.clone());
    }
    let mut rows = select
        .order_by(Column::Id, walk)
        .limit(PAGE_SIZE + 1)
        .all(db)
        .await
        .map_err(db_err)?;
    let more = rows.len() as u64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    if backwards {
        rows.reverse();
    }
    let first = rows.first().map(|r| r.id);
    let last = rows.last().map(|r| r.id);
    let (prev, next) = match (cursor.is_some(), backwards) {
        (false, _) => (None, last.filter(|_| more)),
        (true, false) => (first, last.filter(|_| more)),
        (true, true) => (first.filter(|_| more), last),
    };
    Ok(ClientPage {
        rows: rows.into_iter().map(super::service::to_dto).collect(),
        total,
        prev,
        next,
    })
}

/// Every client the query matches, in its order, for the CSV export.
pub async fn all(db: &DatabaseConnection, query: &ClientQuery) -> AppResult<Vec<Client>> {
    let (key, dir) = order(query.sort);
    let mut select = filtered(db, query);
    if let Some(k) = key {
        select = select.order_by(k, dir.clone());
    }
    Ok(select
        .order_by(Column::Id, dir)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(super::service::to_dto)
        .collect())
}
