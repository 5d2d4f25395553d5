//! Keyset pages on the server, shared by every big list: a page is cut by (sort keys, id) —
//! never by OFFSET, which reads and throws away every earlier row — in both directions. A
//! list states its filter and its order (`Sorted`); `page` does the rest.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::error::{AppResult, OrInternal};
use crate::paging::{COUNT_CAP, Page, PageAt};

/// How a list is ordered: by `keys` (none: by id alone), then by `id`, all in `dir`.
pub struct Sorted<E: EntityTrait> {
    /// The sort keys as SQL: columns, or expressions such as `on_hand - reserved`. A cursor's
    /// own keys are read by the database with the same expressions, so a key may depend on
    /// more than the row (a delivery is late by today's date).
    pub keys: Vec<SimpleExpr>,
    pub id: E::Column,
    pub id_of: fn(&E::Model) -> i64,
    pub dir: Order,
}

impl<E: EntityTrait> Sorted<E> {
    /// Sorted by one column.
    pub fn by(key: E::Column, id: E::Column, id_of: fn(&E::Model) -> i64, dir: Order) -> Self {
        Self {
            keys: vec![Expr::col(key.as_column_ref())],
            id,
            id_of,
            dir,
        }
    }
}

/// Where a page starts, as the row it starts beyond.
struct Cursor {
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
{
    let start = match at {
        PageAt::First => None,
        PageAt::After(id) => Some((id, false)),
        PageAt::Before(id) => Some((id, true)),
    };
    let cursor = match start {
        Some((id, backwards)) => E::find()
            .select_only()
            .column(sort.id)
            .filter(sort.id.eq(id))
            .into_tuple::<i64>()
            .one(db)
            .await
            .or_internal("list page")?
            .map(|id| Cursor { id, backwards }),
        None => None,
    };
    let mut rows = ordered(select, sort, cursor.as_ref())
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

/// `select` in `sort`'s order from `after` (the id of the row a page starts beyond; none: from
/// the top), forwards: the pages of a walk through the whole list, as an export reads it.
pub fn from<E: EntityTrait>(select: Select<E>, sort: &Sorted<E>, after: Option<i64>) -> Select<E> {
    let cursor = after.map(|id| Cursor {
        id,
        backwards: false,
    });
    ordered(select, sort, cursor.as_ref())
}

/// `select` cut at `cursor` and ordered for walking from it.
fn ordered<E: EntityTrait>(
    mut select: Select<E>,
    sort: &Sorted<E>,
    cursor: Option<&Cursor>,
) -> Select<E> {
    let walk = walk(sort.dir.clone(), cursor);
    if let Some(c) = cursor {
        select = select.filter(beyond::<E>(sort, c, &walk));
    }
    for k in &sort.keys {
        select = select.order_by(k.clone(), walk.clone());
    }
    select.order_by(Expr::col(sort.id.as_column_ref()), walk)
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

/// Rows strictly past the cursor when walking `walk`, as one row-value comparison with the
/// cursor row's own (keys, id) — `(k, id) > (SELECT k, id FROM t WHERE id = ?)` — which SQLite
/// and PostgreSQL both turn into a range on an index of (…, keys, id).
fn beyond<E: EntityTrait>(sort: &Sorted<E>, c: &Cursor, walk: &Order) -> SimpleExpr {
    let id = Expr::col(sort.id.as_column_ref());
    let (left, right) = if sort.keys.is_empty() {
        (id, Expr::val(c.id))
    } else {
        let mut at = Query::select();
        at.exprs(sort.keys.iter().cloned())
            .expr(id.clone())
            .from(E::default())
            .and_where(id.clone().eq(c.id));
        let mut keys = sort.keys.clone();
        keys.push(id);
        (
            Expr::tuple(keys),
            SimpleExpr::SubQuery(None, Box::new(at.into())),
        )
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
