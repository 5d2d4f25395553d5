//! Checking an order form against the database: the client and every product exist and are
//! active, the requested date is not past, and every amount fits; the priced result is what
//! gets written.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::OrderForm;
use super::rules::{OrderInput, Priced, line_field, price, read_order};
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::server::entities::{client, product};

fn field(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// The products with these ids, by id.
pub(super) async fn products_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, product::Model>> {
    Ok(product::Entity::find()
        .filter(product::Column::Id.is_in(ids))
        .all(db)
        .await
        .or_internal("orders")?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// A form that passed every check: what was typed, read; the client; every product on it
/// by id (names, tax rates, units); and its money, priced at those rates.
pub struct Checked {
    pub input: OrderInput,
    pub client: client::Model,
    pub products: HashMap<i64, product::Model>,
    pub priced: Priced,
}

/// Reads and checks the form, then what needs the database: the client exists and is active,
/// every product exists and is active, the requested date is not before `today`, and every
/// amount fits.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    form: &OrderForm,
) -> AppResult<Checked> {
    let mut input = read_order(form).map_err(AppError::fields)?;
    let mut problems = Vec::new();
    for (name, date) in [
        ("requested_date", input.requested_date),
        ("valid_until", input.valid_until),
    ] {
        if date.is_some_and(|d| d < today) {
            problems.push(field(name, "this date has passed"));
        }
    }
    let client = client::Entity::find_by_id(input.client_id)
        .one(db)
        .await
        .or_internal("orders")?;
    match &client {
        None => problems.push(field("client_id", "this client does not exist")),
        Some(c) if !c.active => problems.push(field(
            "client_id",
            format!("{} is archived; restore it to take orders", c.name),
        )),
        Some(_) => {}
    }
    let products = products_by_id(db, input.lines.iter().map(|l| l.product_id)).await?;
    for (i, l) in input.lines.iter().enumerate() {
        match products.get(&l.product_id) {
            None => problems.push(field(
                line_field(i, "product"),
                "this product does not exist",
            )),
            Some(p) if !p.active => problems.push(field(
                line_field(i, "product"),
                format!("{} is archived and cannot be sold", p.sku),
            )),
            Some(_) => {}
        }
    }
    let (Some(client), true) = (client, problems.is_empty()) else {
        return Err(AppError::fields(problems));
    };
    if input.delivery_address.is_empty() {
        input.delivery_address = client.shipping_address.clone();
    }
    let priced = price(input.lines.iter().map(|l| {
        let rate = i64::from(products[&l.product_id].tax_rate_bp);
        (l.clone(), rate)
    }))
    .map_err(|f| AppError::fields(vec![f]))?;
    Ok(Checked {
        input,
        client,
        products,
        priced,
    })
}
