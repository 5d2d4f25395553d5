//! The names of records by id, for pages and reports that show whose row it is (a client's
//! orders, a product's sales).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::error::{AppResult, OrInternal};

/// `name` of the rows of `E` whose `id` is among `ids`.
pub async fn of<E: EntityTrait>(
    db: &DatabaseConnection,
    (id, name): (E::Column, E::Column),
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    let found: Vec<(i64, String)> = E::find()
        .select_only()
        .column(id)
        .column(name)
        .filter(id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .or_internal("names")?;
    Ok(found.into_iter().collect())
}
