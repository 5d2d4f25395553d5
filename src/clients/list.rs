//! Client lists at scale: word search over an indexed search column, keyset pages, and a
//! count that stops at `COUNT_CAP` (beyond it the page says "1,000+").
//!
//! Every word must appear somewhere in the client's name, contact, email, phone or addresses
//! (the `search_text` column, lower-cased and without accents: `server::fold`). How a search runs depends on the backend and on
//! how many clients the words match, because the fast plan differs:
//! - Words of 3+ characters: a trigram index finds the first `COUNT_CAP + 1` matching ids
//!   (FTS5 on SQLite, pg_trgm's GIN index on PostgreSQL). When there are at most `COUNT_CAP`
//!   of them, the page is read by id (`Narrow`). When there are more, matches are dense, so
//!   walking the sort index and testing each row with `LIKE` meets a page of them within a
//!   few thousand rows (`Dense`) — faster than sorting every match.
//! - Words under 3 characters cannot use a trigram index: beside longer words they are
//!   `LIKE` tests on what the index found; alone (someone has just started typing) they match
//!   the start of the name, through the sort index.
//!
//! PostgreSQL needs the ids step as much as SQLite does. Its planner cannot know how many rows
//! `LIKE '%word%'` matches and guesses about 1% of the table; for a page in name order it
//! then walks the sort index, expecting a page within a few thousand rows, and for a rare
//! word reads every client (130 ms at 100k clients). Asked for ids with no order, it uses the
//! trigram index; the page is then read by id, where its estimate is exact.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Statement,
};

use super::{Client, ClientPage, ClientQuery, ClientSort, PAGE_SIZE};
use crate::error::{AppResult, OrInternal};
use crate::paging::{COUNT_CAP, PageQuery};
use crate::server::db::{contains, contains_pattern};
use crate::server::entities::client::{self, Column};
use crate::server::fold::fold;
use crate::server::keyset::{self, Sorted};

/// Words of the query, folded as the search column is (lower-case, no accents); at most
/// eight, each at most 100 characters.
fn words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(8)
        .map(|w| fold(&w.chars().take(100).collect::<String>()))
        .collect()
}

/// An FTS5 query: each word a quoted phrase (implicit AND), quotes inside doubled, so no
/// user input is read as FTS syntax.
fn fts_query(words: &[&String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the search words narrow the list (see the module comment).
enum Plan {
    /// No words: every client of the status.
    All,
    /// Only words under 3 characters (someone has just started typing): names that start
    /// with them. A substring test of one or two letters matches nearly everything and, with
    /// no index to serve it, would read the whole table.
    Prefix(String),
    /// The trigram index's matches (at most `COUNT_CAP`), plus `LIKE` for the short words.
    Narrow(Vec<i64>, Vec<String>),
    /// More than `COUNT_CAP` trigram matches: `LIKE` on every word while walking the sort
    /// index; counted on SQLite through the FTS5 index with `fts` (see `capped_count`).
    Dense {
        words: Vec<String>,
        fts: Option<String>,
        /// The first `COUNT_CAP + 1` matches, active or not.
        matches: Vec<Match>,
    },
}

async fn plan(db: &DatabaseConnection, q: &str) -> AppResult<Plan> {
    let words = words(q);
    if words.is_empty() {
        return Ok(Plan::All);
    }
    let long: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 3).collect();
    if long.is_empty() {
        return Ok(Plan::Prefix(words.join(" ")));
    }
    let (matches, fts) = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let fts = fts_query(&long);
            (fts_matches(db, &fts).await?, Some(fts))
        }
        _ => (trigram_matches(db, &long).await?, None),
    };
    if matches.len() as u64 > COUNT_CAP {
        return Ok(Plan::Dense {
            words,
            fts,
            matches,
        });
    }
    // The trigram index matched the long words exactly (both sides are lower-case).
    let ids = matches.into_iter().map(|(id, _)| id).collect();
    Ok(Plan::Narrow(ids, short_words(&words)))
}

/// A client the trigram index found: its id and, where that step read the client's row
/// (PostgreSQL), whether it is active. SQLite's FTS5 step reads only the index, so a rare
/// word's search does not look each match up twice (here, then for the page).
type Match = (i64, Option<bool>);

/// The first `COUNT_CAP + 1` clients, active or not, whose search text holds every FTS5 phrase.
async fn fts_matches(db: &DatabaseConnection, fts: &str) -> AppResult<Vec<Match>> {
    db.query_all_raw(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "SELECT rowid AS id FROM clients_fts WHERE clients_fts MATCH ? LIMIT ?",
        [fts.into(), (COUNT_CAP as i64 + 1).into()],
    ))
    .await
    .or_internal("client search")?
    .iter()
    .map(|row| row.try_get::<i64>("", "id").map(|id| (id, None)))
    .collect::<Result<_, _>>()
    .or_internal("client search")
}

/// PostgreSQL: the first `COUNT_CAP + 1` clients, active or not, holding every word. With no
/// order to keep, the planner reads them through the pg_trgm index.
async fn trigram_matches(db: &DatabaseConnection, long: &[&String]) -> AppResult<Vec<Match>> {
    let words: Vec<String> = long.iter().map(|w| w.to_string()).collect();
    client::Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Active)
        .filter(like_all(&words))
        .limit(COUNT_CAP + 1)
        .into_tuple::<(i64, bool)>()
        .all(db)
        .await
        .map(|rows| rows.into_iter().map(|(id, a)| (id, Some(a))).collect())
        .or_internal("client search")
}

fn short_words(words: &[String]) -> Vec<String> {
    words
        .iter()
        .filter(|w| w.chars().count() < 3)
        .cloned()
        .collect()
}

/// `LIKE 'prefix%'`, with wildcards in the prefix taken literally.
fn starts_with(prefix: &str) -> sea_orm::sea_query::LikeExpr {
    let pattern = contains_pattern(prefix);
    sea_orm::sea_query::LikeExpr::new(&pattern[1..]).escape('\\')
}

fn like_all(words: &[String]) -> Condition {
    words.iter().fold(Condition::all(), |c, w| {
        c.add(Column::SearchText.like(contains(w)))
    })
}

/// The status and search filter (no order, no cursor): shared by the page, its count and
/// the CSV export.
fn filtered(plan: &Plan, archived: bool, backend: DatabaseBackend) -> Select<client::Entity> {
    let select = client::Entity::find();
    let active = Column::Active.eq(!archived);
    match plan {
        Plan::All => select.filter(active),
        Plan::Prefix(p) => {
            // The range lets SQLite walk the (active, name) index from the prefix on; the LIKE
            // keeps the meaning exact wherever the collation is not plain byte order.
            let mut upper = p.clone();
            upper.push(char::MAX);
            select
                .filter(active)
                .filter(Column::NameKey.gte(p.as_str()))
                .filter(Column::NameKey.lt(upper))
                .filter(Column::NameKey.like(starts_with(p)))
        }
        Plan::Dense { words, .. } => select.filter(active).filter(like_all(words)),
        // On SQLite, the unary `+` keeps the planner off the (active, name) index: walking it
        // and testing each row against the id list would read the whole table, where fetching
        // the few listed ids and sorting them is what makes this plan fast. PostgreSQL has no
        // `+` for booleans and needs no hint: it knows how many rows a list of ids matches.
        Plan::Narrow(ids, short) => {
            let active = match backend {
                DatabaseBackend::Sqlite => {
                    Expr::cust_with_values("+\"clients\".\"active\" = ?", [!archived])
                }
                _ => Column::Active.eq(!archived),
            };
            select
                .filter(active)
                .filter(Column::Id.is_in(ids.iter().copied()))
                .filter(like_all(short))
        }
    }
}

/// Matches, counted up to `COUNT_CAP + 1` (so "more than the cap" is known).
async fn capped_count(db: &DatabaseConnection, plan: &Plan, archived: bool) -> AppResult<u64> {
    let backend = db.get_database_backend();
    if let Plan::Dense {
        words,
        fts,
        matches,
    } = plan
    {
        // Usually enough of the clients the plan already found are of the wanted status and
        // satisfy the short words: then that is the answer, without searching again.
        let short = short_words(words);
        let statuses: Option<Vec<bool>> = matches.iter().map(|(_, active)| *active).collect();
        let known = if let Some(statuses) = statuses.filter(|_| short.is_empty()) {
            statuses
                .iter()
                .filter(|active| **active != archived)
                .count() as u64
        } else {
            let ids = matches.iter().map(|(id, _)| *id).collect();
            filtered(&Plan::Narrow(ids, short.clone()), archived, backend)
                .count(db)
                .await
                .or_internal("client search")?
        };
        if known > COUNT_CAP {
            return Ok(known);
        }
        if let Some(fts) = fts {
            return fts_count(db, fts, &short, archived).await;
        }
    }
    // Otherwise (PostgreSQL's dense searches among them) the filter itself, stopped at the cap.
    filtered(plan, archived, backend)
        .select_only()
        .column(Column::Id)
        .limit(COUNT_CAP + 1)
        .count(db)
        .await
        .or_internal("client search")
}

/// SQLite: the FTS5 matches of the wanted status, streamed in id order and counted up to the
/// cap, rather than walking the whole table with LIKE. Short words are re-checked per row.
async fn fts_count(
    db: &DatabaseConnection,
    fts: &str,
    short: &[String],
    archived: bool,
) -> AppResult<u64> {
    let mut sql = String::from(
        "SELECT count(*) AS n FROM (SELECT 1 FROM clients_fts CROSS JOIN clients \
         ON clients.id = clients_fts.rowid WHERE clients_fts MATCH ? AND clients.active = ?",
    );
    let mut values: Vec<sea_orm::Value> = vec![fts.into(), (!archived).into()];
    for w in short {
        sql.push_str(" AND clients.search_text LIKE ? ESCAPE '\\'");
        values.push(contains_pattern(w).into());
    }
    sql.push_str(" LIMIT ?)");
    values.push((COUNT_CAP as i64 + 1).into());
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            sql,
            values,
        ))
        .await
        .or_internal("client search")?;
    row.map_or(Ok(0), |r| r.try_get::<i64>("", "n").map(|n| n as u64))
        .or_internal("client search")
}
/// The list's order: by the lower-cased name or by id alone, each way.
fn sorted(sort: ClientSort) -> Sorted<client::Entity> {
    let (key, dir) = match sort {
        ClientSort::Name => (Some(Column::NameKey), Order::Asc),
        ClientSort::NameDesc => (Some(Column::NameKey), Order::Desc),
        ClientSort::Newest => (None, Order::Desc),
        ClientSort::Oldest => (None, Order::Asc),
    };
    Sorted {
        keys: key
            .map(|k| Expr::col(k.as_column_ref()))
            .into_iter()
            .collect(),
        id: Column::Id,
        id_of: |c| c.id,
        dir,
    }
}

pub async fn page(db: &DatabaseConnection, query: &ClientQuery) -> AppResult<ClientPage> {
    let plan = plan(db, &query.q).await?;
    let counted = capped_count(db, &plan, query.archived).await?;
    let counted = (counted.min(COUNT_CAP), counted > COUNT_CAP);
    let select = filtered(&plan, query.archived, db.get_database_backend());
    let at = (query.at(), PAGE_SIZE);
    let page = keyset::page_counted(db, select, &sorted(query.sort), at, counted).await?;
    Ok(page.map(super::service::to_dto))
}

/// Every client the query matches, in its order, for the CSV export.
pub async fn all(db: &DatabaseConnection, query: &ClientQuery) -> AppResult<Vec<Client>> {
    let plan = plan(db, &query.q).await?;
    let sort = sorted(query.sort);
    let mut select = filtered(&plan, query.archived, db.get_database_backend());
    for k in sort.keys {
        select = select.order_by(k, sort.dir.clone());
    }
    Ok(select
        .order_by(Column::Id, sort.dir)
        .all(db)
        .await
        .or_internal("client search")?
        .into_iter()
        .map(super::service::to_dto)
        .collect())
}
