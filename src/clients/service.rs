//! Client rules on the server: validation, unique email among active clients, audit.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use super::rules::client_problems;
use super::{Client, ClientForm};
use crate::audit::service::log;
use crate::error::{AppError, AppResult};
use crate::server::entities::client;

fn db_err(e: sea_orm::DbErr) -> AppError {
    AppError::internal("clients", e)
}

fn to_dto(m: client::Model) -> Client {
    Client {
        id: m.id,
        name: m.name,
        contact: m.contact,
        email: m.email,
        phone: m.phone,
        billing_address: m.billing_address,
        shipping_address: m.shipping_address,
        tax_id: m.tax_id,
        payment_terms_days: m.payment_terms_days.into(),
        notes: m.notes,
        active: m.active,
    }
}

/// The form, trimmed and normalised (lower-case email, shipping defaulting to billing).
struct Clean {
    name: String,
    contact: String,
    email: Option<String>,
    phone: String,
    billing: String,
    shipping: String,
    tax_id: String,
    terms: i32,
    notes: String,
}

fn clean(form: ClientForm) -> AppResult<Clean> {
    let problems = client_problems(&form);
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let billing = form.billing_address.trim().to_string();
    let shipping = match form.shipping_address.trim() {
        "" => billing.clone(),
        s => s.to_string(),
    };
    Ok(Clean {
        name: form.name.trim().to_string(),
        contact: form.contact.trim().to_string(),
        email: Some(form.email.trim().to_lowercase()).filter(|e| !e.is_empty()),
        phone: form.phone.trim().to_string(),
        billing,
        shipping,
        tax_id: form.tax_id.trim().to_string(),
        // In range: the rules checked 0..=365.
        terms: form.payment_terms_days as i32,
        notes: form.notes.trim().to_string(),
    })
}

/// 400 on the email field when another active client already uses it.
async fn check_email_free(
    db: &impl sea_orm::ConnectionTrait,
    email: Option<&str>,
    except: Option<i64>,
) -> AppResult<()> {
    let Some(email) = email else { return Ok(()) };
    let mut q = client::Entity::find()
        .filter(client::Column::Email.eq(email))
        .filter(client::Column::Active.eq(true));
    if let Some(id) = except {
        q = q.filter(client::Column::Id.ne(id));
    }
    match q.one(db).await.map_err(db_err)? {
        Some(other) => Err(AppError::field(
            "email",
            format!("{} already uses this email", other.name),
        )),
        None => Ok(()),
    }
}

/// The unique index is the last guard against a concurrent duplicate.
fn write_err(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::field("email", "another active client already uses this email")
        }
        _ => db_err(e),
    }
}

pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Client> {
    client::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_err)?
        .map(to_dto)
        .ok_or_else(|| AppError::NotFound(format!("client {id}")))
}

pub async fn create(db: &DatabaseConnection, actor: i64, form: ClientForm) -> AppResult<Client> {
    let c = clean(form)?;
    let txn = db.begin().await.map_err(db_err)?;
    check_email_free(&txn, c.email.as_deref(), None).await?;
    let now = Utc::now();
    let model = client::ActiveModel {
        name: Set(c.name),
        contact: Set(c.contact),
        email: Set(c.email),
        phone: Set(c.phone),
        billing_address: Set(c.billing),
        shipping_address: Set(c.shipping),
        tax_id: Set(c.tax_id),
        payment_terms_days: Set(c.terms),
        notes: Set(c.notes),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(write_err)?;
    log(
        &txn,
        Some(actor),
        "client.created",
        "client",
        Some(model.id),
        model.name.clone(),
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(to_dto(model))
}

pub async fn update(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    form: ClientForm,
) -> AppResult<Client> {
    let c = clean(form)?;
    let txn = db.begin().await.map_err(db_err)?;
    let existing = client::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound(format!("client {id}")))?;
    if existing.active {
        check_email_free(&txn, c.email.as_deref(), Some(id)).await?;
    }
    let mut model: client::ActiveModel = existing.into();
    model.name = Set(c.name);
    model.contact = Set(c.contact);
    model.email = Set(c.email);
    model.phone = Set(c.phone);
    model.billing_address = Set(c.billing);
    model.shipping_address = Set(c.shipping);
    model.tax_id = Set(c.tax_id);
    model.payment_terms_days = Set(c.terms);
    model.notes = Set(c.notes);
    model.updated_at = Set(Utc::now());
    let model = model.update(&txn).await.map_err(write_err)?;
    log(
        &txn,
        Some(actor),
        "client.updated",
        "client",
        Some(id),
        model.name.clone(),
    )
    .await?;
    txn.commit().await.map_err(db_err)?;
    Ok(to_dto(model))
}
