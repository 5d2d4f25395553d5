//! Keyset pagination shared by every big list: pages are cut by (sort key, id) — never by
//! OFFSET, which reads and throws away every earlier row — in both directions.

use sea_orm::Order;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr, Value};

/// Lists count their matches only this far: an exact total of a huge result costs more than
/// it tells anyone ("1000+").
pub const COUNT_CAP: u64 = 1000;

/// Where a page starts: after (forward) or before (backward) the row with this key and id.
pub struct Cursor {
    /// The sort key's value for that row; `None` when the order is by id alone.
    pub key: Option<Value>,
    pub id: i64,
    pub backwards: bool,
}

/// The direction to walk the index: the list's own, or its reverse when paging back.
pub fn walk(dir: Order, cursor: Option<&Cursor>) -> Order {
    match (cursor.is_some_and(|c| c.backwards), dir) {
        (false, d) => d,
        (true, Order::Asc) => Order::Desc,
        (true, _) => Order::Asc,
    }
}

/// Rows strictly past the cursor when walking `walk`, as one row-value comparison, which
/// SQLite and PostgreSQL both turn into a range on an index of (…, key, id).
pub fn beyond(key: Option<SimpleExpr>, id: SimpleExpr, c: &Cursor, walk: &Order) -> SimpleExpr {
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
pub fn finish<T>(
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
