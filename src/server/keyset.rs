//! Keyset pages on the server, shared by every big list: a page is cut by (sort key, id) —
//! never by OFFSET, which reads and throws away every earlier row — in both directions. A
//! list states its filter and its order (`Sorted`); `page` does the rest.

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr, Value};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait, PrimaryKeyTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::error::{AppResult, OrInternal};
use crate::paging::{COUNT_CAP, Page, PageAt};

/// How a list is ordered: by `key` (none: by id alone), then by `id`, in `dir`.
pub struct Sorted<E: EntityTrait> {
    /// The sort key as SQL, e.g. a column or `on_hand - reserved`.
    pub key: Option<SimpleExpr>,
    /// The key's value for a row: where a page after (or before) that row starts.
    pub value: fn(&E::Model) -> Value,
    pub id: E::Column,
    pub id_of: fn(&E::Model) -> i64,
    pub dir: Order,
}

/// Where a page starts, as the row it starts beyond.
struct Cursor {
    key: Option<Value>,
    id: i64,
    backwards: bool,
}

/// The page of `select` at `at`, `size` rows, counted up to `COUNT_CAP`. A cursor whose row
/// has gone (deleted meanwhile) starts from the top.
pub async fn page<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    sort: &Sorted<E>,
    at: PageAt,
    size: u64,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let counted = capped_count(db, select.clone(), sort.id).await?;
    page_counted(db, select, sort, (at, size), counted).await
}

/// `page`, for a list that counts its matches its own way: (total, capped).
pub async fn page_counted<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    sort: &Sorted<E>,
    (at, size): (PageAt, u64),
    (total, total_capped): (u64, bool),
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let start = match at {
        PageAt::First => None,
        PageAt::After(id) => Some((id, false)),
        PageAt::Before(id) => Some((id, true)),
    };
    let cursor = match start {
        Some((id, backwards)) => E::find_by_id(id)
            .one(db)
            .await
            .or_internal("list page")?
            .map(|row| Cursor {
                key: sort.key.as_ref().map(|_| (sort.value)(&row)),
                id,
                backwards,
            }),
        None => None,
    };
    let walk = walk(sort.dir.clone(), cursor.as_ref());
    let id = Expr::col(sort.id.as_column_ref());
    let mut select = select;
    if let Some(c) = &cursor {
        select = select.filter(beyond(sort.key.clone(), id.clone(), c, &walk));
    }
    if let Some(k) = &sort.key {
        select = select.order_by(k.clone(), walk.clone());
    }
    let mut rows = select
        .order_by(id, walk)
        .limit(size + 1)
        .all(db)
        .await
        .or_internal("list page")?;
    let (prev, next) = finish(&mut rows, size, cursor.as_ref(), sort.id_of);
    Ok(Page {
        rows,
        total,
        total_capped,
        prev,
        next,
    })
}

/// How many rows `select` matches, up to `COUNT_CAP`, and whether there are more.
pub async fn capped_count<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    id: E::Column,
) -> AppResult<(u64, bool)>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let counted = select
        .select_only()
        .column(id)
        .limit(COUNT_CAP + 1)
        .count(db)
        .await
        .or_internal("list count")?;
    Ok((std::cmp::min(counted, COUNT_CAP), counted > COUNT_CAP))
}

/// The direction to walk the index: the list's own, or its reverse when paging back.
fn walk(dir: Order, cursor: Option<&Cursor>) -> Order {
    match (cursor.is_some_and(|c| c.backwards), dir) {
        (false, d) => d,
        (true, Order::Asc) => Order::Desc,
        (true, _) => Order::Asc,
    }
}

/// Rows strictly past the cursor when walking `walk`, as one row-value comparison, which
/// SQLite and PostgreSQL both turn into a range on an index of (…, key, id).
fn beyond(key: Option<SimpleExpr>, id: SimpleExpr, c: &Cursor, walk: &Order) -> SimpleExpr {
    let (left, right) = match (key, &c.key) {
        (Some(k), Some(v)) => (
            Expr::tuple([k, id]),
            Expr::tuple([Expr::val(v.clone()), Expr::val(c.id)]),
        ),
        _ => (id, Expr::val(c.id)),
    };
    if matches!(walk, Order::Asc) {
        left.gt(right)
    } else {
        left.lt(right)
    }
}

/// Trims a fetch of `page_size + 1` rows to the page, puts a backward fetch back in list
/// order, and returns the (previous, next) cursors.
fn finish<T>(
    rows: &mut Vec<T>,
    page_size: u64,
    cursor: Option<&Cursor>,
    id: impl Fn(&T) -> i64,
) -> (Option<i64>, Option<i64>) {
    let more = rows.len() as u64 > page_size;
    rows.truncate(page_size as usize);
    let backwards = cursor.is_some_and(|c| c.backwards);
    if backwards {
        rows.reverse();
    }
    let first = rows.first().map(&id);
    let last = rows.last().map(&id);
    match (cursor.is_some(), backwards) {
        (false, _) => (None, last.filter(|_| more)),
        (true, false) => (first, last.filter(|_| more)),
        (true, true) => (first.filter(|_| more), last),
    }
}
