//! Demo orders for `scripts/run`: about 200 over the demo clients and products, entered over
//! the last three months, in every status the workflow reaches today (draft, confirmed,
//! cancelled, and confirmed then taken back to draft).

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::service::{create, transition};
use super::{Action, LineForm, OrderForm, Priority};
use crate::audit::Actor;
use crate::choice::Choice;
use crate::error::{AppResult, OrInternal};
use crate::server::AppState;
use crate::server::entities::{client, order, product};

pub const ORDERS: u64 = 200;

/// A small deterministic generator: the same demo every time.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

pub async fn seed(state: &AppState, actor: Actor) -> AppResult<()> {
    let db = &state.db;
    let clients: Vec<i64> = client::Entity::find()
        .filter(client::Column::Active.eq(true))
        .order_by_asc(client::Column::Id)
        .all(db)
        .await
        .or_internal("demo orders")?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let products = product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .order_by_asc(product::Column::Id)
        .all(db)
        .await
        .or_internal("demo orders")?;
    if clients.is_empty() || products.is_empty() {
        return Ok(());
    }
    let mut rng = Lcg(42);
    let now = Utc::now();
    for i in 0..ORDERS {
        let lines = (0..1 + rng.below(4))
            .map(|_| {
                let p = &products[rng.below(products.len() as u64) as usize];
                LineForm {
                    product_id: Some(p.id),
                    quantity: (1 + rng.below(4)).to_string(),
                    unit_price: crate::money::Money(p.unit_price).to_string(),
                    // Now and then an amount off, or a percent of the line.
                    discount: match rng.below(10) {
                        0 => "1.00".into(),
                        1 => "10%".into(),
                        _ => String::new(),
                    },
                }
            })
            .collect();
        let form = OrderForm {
            client_id: Some(clients[rng.below(clients.len() as u64) as usize]),
            priority: Priority::ALL[[0, 1, 1, 1, 2, 3][rng.below(6) as usize]],
            requested_date: (now + Duration::days(1 + rng.below(30) as i64))
                .format("%Y-%m-%d")
                .to_string(),
            notes: String::new(),
            // Some clients quote their own purchase order numbers.
            client_reference: match rng.below(3) {
                0 => format!("PO-{}", 4000 + rng.below(6000)),
                _ => String::new(),
            },
            lines,
            ..OrderForm::default()
        };
        let id = create(state, actor, form, false).await?.id;
        let roll = rng.below(20);
        let steps: &[Action] = match roll {
            0..=5 => &[],
            6..=14 => &[Action::Confirm],
            15..=18 => &[Action::Cancel],
            _ => &[Action::Confirm, Action::Revert],
        };
        for step in steps {
            // Short stock leaves a demo order as a draft, as it would a real one.
            if transition(state, actor, id, *step).await.is_err() {
                break;
            }
        }
        // Spread the orders over the last 90 days, oldest first, so the numbers follow dates.
        let entered = now - Duration::minutes(((ORDERS - i) * 90 * 24 * 60 / ORDERS) as i64);
        order::Entity::update_many()
            .col_expr(order::Column::CreatedAt, Expr::val(entered))
            .filter(order::Column::Id.eq(id))
            .exec(db)
            .await
            .or_internal("demo orders")?;
    }
    Ok(())
}
