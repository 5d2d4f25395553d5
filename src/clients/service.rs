//! Client rules on the server: validation, unique email among active clients, audit.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::rules::client_problems;
use super::search_keys::{Searched, keys};
use super::{Client, ClientForm, ENTITY};
use crate::audit::{Actor, Event};
use crate::error::{AppError, AppResult, OrInternal};
use crate::server::db::is_foreign_key_violation;
use crate::server::entities::client;
use crate::server::write::Write;

/// What the audit trail says happened to a client.
pub(super) const CREATED: Event = Event::new(ENTITY, "client.created");
const UPDATED: Event = Event::new(ENTITY, "client.updated");
const ARCHIVED: Event = Event::new(ENTITY, "client.archived");
const RESTORED: Event = Event::new(ENTITY, "client.restored");
const DELETED: Event = Event::new(ENTITY, "client.deleted");

pub(super) fn to_dto(m: client::Model) -> Client {
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
pub(super) struct Clean {
    pub name: String,
    pub contact: String,
    pub email: Option<String>,
    pub phone: String,
    pub billing: String,
    pub shipping: String,
    pub tax_id: String,
    pub terms: i32,
    pub notes: String,
}

pub(super) fn clean(form: ClientForm) -> AppResult<Clean> {
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

impl Clean {
    /// Writes the form's fields (and the derived sort and search keys) into `m`.
    pub(super) fn apply(self, m: &mut client::ActiveModel) {
        let (name_key, search_text) = keys(&Searched {
            name: &self.name,
            contact: &self.contact,
            email: self.email.as_deref(),
            phone: &self.phone,
            billing: &self.billing,
            shipping: &self.shipping,
        });
        m.name_key = Set(name_key);
        m.search_text = Set(search_text);
        m.name = Set(self.name);
        m.contact = Set(self.contact);
        m.email = Set(self.email);
        m.phone = Set(self.phone);
        m.billing_address = Set(self.billing);
        m.shipping_address = Set(self.shipping);
        m.tax_id = Set(self.tax_id);
        m.payment_terms_days = Set(self.terms);
        m.notes = Set(self.notes);
    }

    /// A new, active client.
    pub(super) fn into_new(self) -> client::ActiveModel {
        let now = Utc::now();
        let mut m = client::ActiveModel {
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        self.apply(&mut m);
        m
    }
}

/// 400 on the email field when another active client already uses it.
pub(super) async fn check_email_free(
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
    match q.one(db).await.or_internal("clients")? {
        Some(other) => Err(AppError::field(
            "email",
            format!("{} already uses this email", other.name),
        )),
        None => Ok(()),
    }
}

/// The unique index is the last guard against a concurrent duplicate.
pub(super) fn write_err(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::field("email", "another active client already uses this email")
        }
        _ => AppError::internal("clients", e),
    }
}

async fn find(db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<client::Model> {
    client::Entity::find_by_id(id)
        .one(db)
        .await
        .or_internal("clients")?
        .ok_or_else(|| AppError::NotFound(format!("client {id}")))
}

/// The names of clients `ids`, for lists that show whose row it is (orders, deliveries).
pub async fn names(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<std::collections::HashMap<i64, String>> {
    let columns = (client::Column::Id, client::Column::Name);
    crate::server::names::of::<client::Entity>(db, columns, ids).await
}

/// The name of the client whose id is in `client_id` (a column of the outer query), as an
/// expression a query selects: exports read it with their rows.
pub fn name_of(
    client_id: impl sea_orm::sea_query::IntoColumnRef,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
    let name = Query::select()
        .column(client::Column::Name)
        .from(client::Entity)
        .and_where(Expr::col((client::Entity, client::Column::Id)).eq(Expr::col(client_id)))
        .to_owned();
    SimpleExpr::SubQuery(None, Box::new(name.into()))
}

pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Client> {
    find(db, id).await.map(to_dto)
}

pub async fn create(db: &DatabaseConnection, actor: Actor, form: ClientForm) -> AppResult<Client> {
    let c = clean(form)?;
    let mut w = Write::begin(db, actor).await?;
    check_email_free(&*w, c.email.as_deref(), None).await?;
    let model = c.into_new().insert(&*w).await.map_err(write_err)?;
    w.record(CREATED, model.id, model.name.clone());
    w.commit().await?;
    Ok(to_dto(model))
}

pub async fn update(
    db: &DatabaseConnection,
    actor: Actor,
    id: i64,
    form: ClientForm,
) -> AppResult<Client> {
    let c = clean(form)?;
    let mut w = Write::begin(db, actor).await?;
    let existing = find(&*w, id).await?;
    if existing.active {
        check_email_free(&*w, c.email.as_deref(), Some(id)).await?;
    }
    let mut model: client::ActiveModel = existing.into();
    c.apply(&mut model);
    model.updated_at = Set(Utc::now());
    let model = model.update(&*w).await.map_err(write_err)?;
    w.record(UPDATED, id, model.name.clone());
    w.commit().await?;
    Ok(to_dto(model))
}

/// Archive (hide from pickers, keep in history) or restore a client. Restoring checks the
/// email again: another active client may have taken it meanwhile.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: Actor,
    id: i64,
    active: bool,
) -> AppResult<Client> {
    let mut w = Write::begin(db, actor).await?;
    let existing = find(&*w, id).await?;
    if existing.active == active {
        return Ok(to_dto(existing));
    }
    if active {
        check_email_free(&*w, existing.email.as_deref(), Some(id)).await?;
    }
    let name = existing.name.clone();
    let mut model: client::ActiveModel = existing.into();
    model.active = Set(active);
    model.updated_at = Set(Utc::now());
    let model = model.update(&*w).await.map_err(write_err)?;
    w.record(if active { RESTORED } else { ARCHIVED }, id, name);
    w.commit().await?;
    Ok(to_dto(model))
}

/// Delete a client that nothing refers to. Orders (and later invoices) reference clients with
/// a restricting foreign key, so the database itself refuses once a client has history; that
/// refusal becomes a 409 telling the user to archive instead.
pub async fn delete(db: &DatabaseConnection, actor: Actor, id: i64) -> AppResult<()> {
    let mut w = Write::begin(db, actor).await?;
    let existing = find(&*w, id).await?;
    let res = client::Entity::delete_by_id(id).exec(&*w).await;
    if let Err(e) = res {
        return Err(if is_foreign_key_violation(&e) {
            AppError::Conflict(format!(
                "{} has orders, so it cannot be deleted; archive it instead",
                existing.name
            ))
        } else {
            AppError::internal("clients", e)
        });
    }
    w.record(DELETED, id, existing.name);
    w.commit().await
}
