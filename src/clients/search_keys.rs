//! The derived keys a client is sorted and found by (`name_key`, `search_text`), folded so
//! that search ignores case and accents (`server::fold`). Written with every change to a
//! client (`service`); rows whose keys are missing — migration 15 cleared them all when search
//! began to ignore accents — get theirs at start-up (`refold`), before the first request.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::server::db::begin_write;
use crate::server::entities::client::{self, Column};
use crate::server::fold::fold;

/// Rows a start-up batch rewrites in one transaction.
const BATCH: u64 = 500;

/// The fields a client is found by.
pub struct Searched<'a> {
    pub name: &'a str,
    pub contact: &'a str,
    pub email: Option<&'a str>,
    pub phone: &'a str,
    pub billing: &'a str,
    pub shipping: &'a str,
}

/// A client's sort key (its name) and search text (every searchable field, plus the phone's
/// digits alone so "301234" finds "+49 (30) 1234"), both folded as the search words are.
pub fn keys(c: &Searched) -> (String, String) {
    let digits: String = c.phone.chars().filter(char::is_ascii_digit).collect();
    let text = [
        c.name,
        c.contact,
        c.email.unwrap_or(""),
        c.phone,
        &digits,
        c.billing,
        c.shipping,
    ]
    .join("\n");
    (fold(c.name), fold(&text))
}

/// Writes the keys of every client that has none (the search text always holds at least the
/// separators, so an empty one means missing); answers how many.
pub async fn refold(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let mut done = 0;
    loop {
        let (_gate, txn) = begin_write(db).await?;
        // A literal, so that both databases use the partial index made for it (migration 15).
        let rows = client::Entity::find()
            .filter(Expr::cust("\"clients\".\"search_text\" = ''"))
            .limit(BATCH)
            .all(&txn)
            .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for c in &rows {
            let (name_key, search_text) = keys(&Searched {
                name: &c.name,
                contact: &c.contact,
                email: c.email.as_deref(),
                phone: &c.phone,
                billing: &c.billing_address,
                shipping: &c.shipping_address,
            });
            client::Entity::update_many()
                .col_expr(Column::NameKey, Expr::value(name_key))
                .col_expr(Column::SearchText, Expr::value(search_text))
                .filter(Column::Id.eq(c.id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        done += rows.len() as u64;
    }
}
