//! A product's stock movements as an export: its whole ledger, newest first, with the stock
//! on hand after each movement, as the product page lists it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter};

use super::list::movement_rows;
use crate::choice::Choice;
use crate::error::{AppError, AppResult, OrInternal};
use crate::exports::source;
use crate::exports::table::{Cell, Column, Head, Kind, Prepared, column};
use crate::server::AppState;
use crate::server::entities::{product, stock_movement};
use crate::server::keyset::Sorted;

/// Which product's movements: `product=ID`, as the product page's export sends it.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MovementQuery {
    pub product: Option<i64>,
}

crate::url_query!(MovementQuery { product });

const COLUMNS: [Column; 9] = [
    column("When", Kind::Text),
    column("Kind", Kind::Text),
    column("On hand change", Kind::Int),
    column("Reserved change", Kind::Int),
    column("On hand after", Kind::Int),
    column("Unit cost", Kind::Money),
    column("Order", Kind::Text),
    column("Reference", Kind::Text),
    column("By", Kind::Text),
];

/// The movements of the product `query` names, ready to write.
pub async fn prepare(state: &AppState, query: &str) -> AppResult<Prepared> {
    use stock_movement::Column as M;
    let id = MovementQuery::from(query).product.ok_or_else(|| {
        AppError::field("product", "choose the product whose movements to export")
    })?;
    let p = product::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .or_internal("stock export")?
        .ok_or_else(|| AppError::NotFound(format!("product {id}")))?;
    let select = stock_movement::Entity::find().filter(M::ProductId.eq(id));
    let total = source::count(&state.db, &select, M::Id).await?;
    let filters = vec![("Product".into(), format!("{} ({})", p.name, p.sku))];
    let stem = format!("movements-{}", p.sku);
    let head = Head::now(state, ("Stock movements", &stem), filters, &COLUMNS, total);
    let sorted = Sorted {
        keys: Vec::new(),
        id: M::Id,
        id_of: |m: &stock_movement::Model| m.id,
        dir: Order::Desc,
    };
    // The level after each movement, carried from page to page.
    let level = Arc::new(AtomicI64::new(p.on_hand));
    let (db, zone) = (state.db.clone(), state.config.business.zone.clone());
    let rows = source::keyset(state.db.clone(), select, sorted, move |page| {
        let (db, zone, level) = (db.clone(), zone.clone(), level.clone());
        async move {
            let (rows, before) = movement_rows(&db, page, level.load(Ordering::Relaxed)).await?;
            level.store(before, Ordering::Relaxed);
            Ok(rows
                .into_iter()
                .map(|r| {
                    vec![
                        Cell::Text(zone.date_time(&r.at)),
                        Cell::Text(r.kind.label().into()),
                        Cell::Int(r.delta_on_hand),
                        Cell::Int(r.delta_reserved),
                        Cell::Int(r.on_hand_after),
                        r.unit_cost.map_or(Cell::Empty, |c| Cell::Money(c.0)),
                        r.order.map_or(Cell::Empty, |o| Cell::Text(o.number)),
                        Cell::Text(r.reference),
                        r.user.map_or(Cell::Empty, Cell::Text),
                    ]
                })
                .collect())
        }
    });
    Ok(Prepared { head, rows })
}
