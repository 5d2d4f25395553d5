//! Demo deliveries for `scripts/run`: for the demo's confirmed orders, deliveries in every
//! state — delivered (whole and partial, signed), out for delivery, failed, cancelled,
//! scheduled for the coming days, and a few late ones.

use chrono::Days;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::service::{schedule, step};
use super::{ScheduleForm, ScheduleLine, Step};
use crate::audit::Actor;
use crate::choice::Choice;
use crate::error::{AppResult, OrInternal};
use crate::orders::OrderStatus;
use crate::server::AppState;
use crate::server::entities::{delivery, order, order_line};

const DRIVERS: [&str; 3] = ["Van 1 – Marek", "Van 2 – Zoë", "DHL Freight"];
const SIGNATURE: &str = "M20 110L40 60L60 100L80 50L100 105L130 70L170 90L210 60L260 80";

pub async fn seed(state: &AppState, actor: Actor) -> AppResult<()> {
    let db = &state.db;
    let today = state.config.business.zone.today();
    let orders = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::Confirmed.as_str()))
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
        .or_internal("demo deliveries")?;
    for (i, o) in orders.iter().enumerate() {
        let lines = order_line::Entity::find()
            .filter(order_line::Column::OrderId.eq(o.id))
            .order_by_asc(order_line::Column::Position)
            .all(db)
            .await
            .or_internal("demo deliveries")?;
        let kind = i % 9;
        if kind == 8 {
            continue; // confirmed, nothing scheduled yet
        }
        // A partial delivery takes the first line only (when there is more than one).
        let partial = kind == 1 && lines.len() > 1;
        let form = ScheduleForm {
            order_id: o.id,
            scheduled_date: (today + Days::new((i % 5) as u64)).to_string(),
            window_from: if i % 2 == 0 {
                "09:00".into()
            } else {
                String::new()
            },
            window_to: if i % 2 == 0 {
                "12:00".into()
            } else {
                String::new()
            },
            carrier: DRIVERS[i % DRIVERS.len()].into(),
            lines: lines
                .iter()
                .take(if partial { 1 } else { lines.len() })
                .map(|l| ScheduleLine {
                    order_line_id: l.id,
                    quantity: l.quantity.to_string(),
                })
                .collect(),
            ..ScheduleForm::default()
        };
        let d = schedule(state, today, actor, form).await?;
        let delivered = Step::Deliver {
            recipient: ["Anna Nowak", "Jürgen Weiß", "Front desk"][i % 3].into(),
            note: String::new(),
            signature: Some(SIGNATURE.into()),
        };
        let steps: Vec<Step> = match kind {
            0 | 1 => vec![Step::Depart, delivered],
            2 => vec![Step::Depart],
            3 => vec![Step::Fail {
                reason: "Nobody at the address; left a card".into(),
            }],
            4 => vec![Step::Cancel],
            _ => vec![],
        };
        for s in steps {
            step(state, today, actor, d.id, s).await?;
        }
        if kind == 5 {
            // Late: scheduled a few days ago and still not delivered (a past date cannot be
            // scheduled, so the demo moves it back).
            delivery::Entity::update_many()
                .col_expr(
                    delivery::Column::ScheduledDate,
                    Expr::val(today - Days::new(1 + (i % 3) as u64)),
                )
                .filter(delivery::Column::Id.eq(d.id))
                .exec(db)
                .await
                .or_internal("demo deliveries")?;
        }
    }
    Ok(())
}
