//! Demo invoices for `scripts/run`: for the demo's delivered and partially delivered orders,
//! invoices in every state — a draft, issued (one of them overdue), partially paid, paid and
//! credited.

use chrono::Days;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::service::{create, issue};
use super::settle::{credit, pay};
use super::{CreditForm, IssueForm, PaymentForm, PaymentMethod};
use crate::audit::Actor;
use crate::error::{AppResult, OrInternal};
use crate::money::Money;
use crate::orders::OrderStatus;
use crate::server::AppState;
use crate::server::entities::{invoice, order};

pub async fn seed(state: &AppState, actor: Actor) -> AppResult<()> {
    let db = &state.db;
    let today = state.config.business.zone.today();
    let orders = order::Entity::find()
        .filter(
            order::Column::Status.is_in([OrderStatus::Delivered, OrderStatus::PartiallyDelivered]),
        )
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
        .or_internal("demo invoices")?;
    for (i, o) in orders.iter().enumerate() {
        let id = create(state, actor, o.id).await?;
        let kind = i % 5;
        if kind == 0 {
            continue; // a draft
        }
        // Issued a while ago, so that some are overdue today.
        let issued = today - Days::new(((i * 11) % 50) as u64);
        let form = IssueForm {
            issue_date: issued.to_string(),
            due_date: String::new(),
        };
        issue(state, actor, id, form).await?;
        let total = invoice::Entity::find_by_id(id)
            .one(db)
            .await
            .or_internal("demo invoices")?
            .map(|m| m.total)
            .unwrap_or(0);
        let paid = |cents: i64, method| PaymentForm {
            amount: Money(cents).to_string(),
            paid_on: today.to_string(),
            method,
            reference: format!("Demo payment {i}"),
            request_key: None,
        };
        match kind {
            2 => {
                pay(
                    db,
                    today,
                    actor,
                    id,
                    paid(total / 2, PaymentMethod::BankTransfer),
                )
                .await?
            }
            3 => pay(db, today, actor, id, paid(total, PaymentMethod::Card)).await?,
            4 => {
                let form = CreditForm {
                    reason: "Goods returned damaged".into(),
                    full: true,
                    lines: Vec::new(),
                };
                credit(state, actor, id, form).await?
            }
            _ => {}
        }
    }
    Ok(())
}
