//! Accounts: registration, sign-in with throttling, profile and password changes.

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::backend::SessionUser;
use super::rules::{account_problems, password_problems};
use super::{LoginForm, RegisterForm, Role, password};
use crate::audit::{Actor, Event};
use crate::error::{AppError, AppResult, FieldError, OrInternal};
use crate::outbox::Mail;
use crate::server::entities::{login_failure, user};
use crate::server::write::Write;
use crate::server::{AppState, Config, throttle};
use crate::users::ENTITY;
use crate::users::service::emails_of;

/// What the audit trail says about accounts and sign-ins.
const REGISTERED: Event = Event::new(ENTITY, "user.registered");
const LOGIN_FAILED: Event = Event::new(ENTITY, "login.failed");
const LOGIN_REFUSED: Event = Event::new(ENTITY, "login.refused");
const LOGIN_SUCCEEDED: Event = Event::new(ENTITY, "login.succeeded");
const LOGGED_OUT: Event = Event::new(ENTITY, "logout");
const PASSWORD_CHANGED: Event = Event::new(ENTITY, "password.changed");
pub(super) const PASSWORD_RESET: Event = Event::new(ENTITY, "password.reset");
pub(super) const RESET_REQUESTED: Event = Event::new(ENTITY, "password.reset_requested");
const PROFILE_UPDATED: Event = Event::new(ENTITY, "profile.updated");

/// Failed sign-ins allowed per account, and per IP, inside the window.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_IP: u64 = 20;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

const INVALID_CREDENTIALS: &str = "invalid username or password";

/// Forget failed sign-ins older than the window: they no longer count, and under password
/// spraying the table would otherwise grow without bound. Run with the session sweep.
pub async fn sweep_failures(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    let before = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let done = login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(before))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// 400 listing every field that breaks a rule, including password strength and confirmation.
pub fn check_new_password(
    password: &str,
    confirm: &str,
    username: &str,
    email: &str,
    fields: &mut Vec<FieldError>,
) {
    let problems = password_problems(password, username, email);
    if !problems.is_empty() {
        fields.push(FieldError {
            field: "password".into(),
            message: format!("This password is refused: {}.", problems.join("; ")),
        });
    }
    if password != confirm {
        fields.push(FieldError {
            field: "confirm".into(),
            message: "the two passwords do not match".into(),
        });
    }
}

pub(crate) async fn taken_fields(
    db: &impl ConnectionTrait,
    username_key: &str,
    email: &str,
    except_id: Option<i64>,
) -> AppResult<Vec<FieldError>> {
    let mut query = user::Entity::find().filter(
        Condition::any()
            .add(user::Column::UsernameKey.eq(username_key))
            .add(user::Column::Email.eq(email)),
    );
    if let Some(id) = except_id {
        query = query.filter(user::Column::Id.ne(id));
    }
    let clashes = query.all(db).await.or_internal("user lookup")?;
    let mut fields = Vec::new();
    if clashes.iter().any(|u| u.username_key == username_key) {
        fields.push(FieldError {
            field: "username".into(),
            message: "this username is already taken".into(),
        });
    }
    if clashes.iter().any(|u| u.email == email) {
        fields.push(FieldError {
            field: "email".into(),
            message: "an account with this email already exists".into(),
        });
    }
    Ok(fields)
}

/// Writes a new active account: (username, lower-cased email), (first, last name), its
/// password hash, and (role, whether it waits for approval). Its username and email were
/// checked free (`taken_fields`); one taken meanwhile is refused at the username field.
pub(crate) async fn insert_account(
    w: &Write,
    (username, email): (&str, &str),
    (first, last): (&str, &str),
    password_hash: String,
    (role, pending): (Role, bool),
) -> AppResult<user::Model> {
    let now = Utc::now();
    user::ActiveModel {
        username: Set(username.to_string()),
        username_key: Set(username.to_lowercase()),
        first_name: Set(first.trim().to_string()),
        last_name: Set(last.trim().to_string()),
        email: Set(email.to_string()),
        password_hash: Set(password_hash),
        role: Set(role),
        active: Set(true),
        pending: Set(pending),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&**w)
    .await
    // A concurrent registration can win the race for the name; the unique index decides.
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::field(
            "username",
            "this username or email was just taken; choose another",
        ),
        _ => AppError::internal("insert user", e),
    })
}

/// What a registration made: the first account, an admin to sign in at once, or an account
/// that waits for an administrator.
pub enum NewAccount {
    FirstAdmin(SessionUser),
    /// Waits for approval; the admins' mail is queued.
    Pending,
}

/// Create an account. The very first account becomes admin and may sign in at once; every
/// later one waits, without access, until an admin approves it and picks its role (the
/// configured default role is the one offered first).
pub async fn register(
    db: &DatabaseConnection,
    config: &Config,
    ip: &str,
    form: RegisterForm,
) -> AppResult<NewAccount> {
    if !config.registration_open {
        return Err(AppError::Forbidden(
            "registration is closed; ask an administrator for an account".into(),
        ));
    }
    let username = form.username.trim().to_string();
    let email = form.email.trim().to_lowercase();
    let mut fields = account_problems(&username, &form.first_name, &form.last_name, &email);
    check_new_password(
        &form.password,
        &form.confirm,
        &username,
        &email,
        &mut fields,
    );
    if !fields.is_empty() {
        return Err(AppError::fields(fields));
    }
    // Counted once the form is sound, before the costly hash and the admins' mail.
    throttle::take(db, &throttle::REGISTRATIONS, ip, &email).await?;
    let username_key = username.to_lowercase();
    let hash = password::hash(form.password).await?;

    let mut w = Write::begin(db, None).await?;
    let taken = taken_fields(&*w, &username_key, &email, None).await?;
    if !taken.is_empty() {
        return Err(AppError::fields(taken));
    }
    let first = user::Entity::find()
        .count(&*w)
        .await
        .or_internal("count users")?
        == 0;
    let role = if first {
        Role::Admin
    } else {
        config.default_role
    };
    let names = (form.first_name.as_str(), form.last_name.as_str());
    let model = insert_account(&w, (&username, &email), names, hash, (role, !first)).await?;
    let details = if first {
        format!("{username} registered as the first account ({role})")
    } else {
        format!("{username} registered; waits for approval")
    };
    w.record_by(Actor::new(model.id), REGISTERED, model.id, details);
    if first {
        w.commit().await?;
        return SessionUser::from_model(model)
            .map(NewAccount::FirstAdmin)
            .ok_or(AppError::Internal);
    }
    tell_admins(&mut w, config, &model).await?;
    w.commit().await?;
    Ok(NewAccount::Pending)
}

/// Tells every admin by email that `account` asks for access.
async fn tell_admins(w: &mut Write, config: &Config, account: &user::Model) -> AppResult<()> {
    let admins = emails_of(&**w, &[Role::Admin]).await?;
    let link = config
        .base_url
        .join("users")
        .map_or_else(|_| config.base_url.to_string(), |u| u.to_string());
    let body = format!(
        "{} {} ({}, {}) has asked for an account.\n\nThe account has no access until an \
         administrator approves it and picks its role, at:\n\n{link}\n\nIf you do not know \
         this person, decline the request there.\n",
        account.first_name, account.last_name, account.username, account.email
    );
    let subject = format!("Account request: {}", account.username);
    for mail in Mail::to_each(admins, &subject, &body) {
        w.mail(mail);
    }
    Ok(())
}

/// The longest identifier an account can have (an email address).
const MAX_LOGIN_CHARS: usize = 254;

/// Whose failures a sign-in counts against: the account, whichever of its identifiers was
/// typed, or, for text that names no account, that text (shortened to fit the column), so
/// that probing unknown names is throttled the same. The prefixes keep the two apart.
fn failure_key(found: Option<&user::Model>, typed: &str) -> String {
    match found {
        Some(u) => format!("account:{}", u.id),
        None => format!("login:{}", shorten(typed, MAX_LOGIN_CHARS - "login:".len())),
    }
}

/// At most `max` characters of `text`.
fn shorten(text: &str, max: usize) -> &str {
    text.char_indices()
        .nth(max)
        .map_or(text, |(cut, _)| &text[..cut])
}

/// 429 when the account or the IP has too many recent failures.
async fn check_throttle(db: &DatabaseConnection, key: &str, ip: &str) -> AppResult<()> {
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    for (column, value, limit) in [
        (
            login_failure::Column::Account,
            key,
            MAX_FAILURES_PER_ACCOUNT,
        ),
        (login_failure::Column::Ip, ip, MAX_FAILURES_PER_IP),
    ] {
        let recent = login_failure::Entity::find()
            .filter(column.eq(value))
            .filter(login_failure::Column::At.gt(since));
        let count = recent.clone().count(db).await.or_internal("throttle")?;
        if count >= limit {
            let oldest = recent
                .order_by_desc(login_failure::Column::At)
                .offset(limit - 1)
                .one(db)
                .await
                .or_internal("throttle")?
                .map(|f| f.at)
                .unwrap_or_else(Utc::now);
            return Err(AppError::TooManyRequests(format!(
                "too many failed sign-ins; {}",
                throttle::try_again(oldest, FAILURE_WINDOW_MINUTES)
            )));
        }
    }
    Ok(())
}

/// Records a sign-in outcome or an account change `by` the account it is about.
pub(super) async fn audit(
    db: &DatabaseConnection,
    by: Option<Actor>,
    event: Event,
    details: String,
) -> AppResult<()> {
    let mut w = Write::begin(db, by).await?;
    w.record(event, by.map(Actor::id), details);
    w.commit().await
}

/// Check credentials (username or email, any case). Every refusal reads the same, and
/// failures count against the account whichever identifier was typed.
pub async fn login(db: &DatabaseConnection, ip: &str, form: LoginForm) -> AppResult<SessionUser> {
    let typed = form.login.trim().to_lowercase();
    if typed.is_empty() || form.password.is_empty() {
        return Err(AppError::Unauthorized(INVALID_CREDENTIALS.into()));
    }
    // Longer than any username or email: no account, and no need to ask the database.
    let found = if typed.chars().count() > MAX_LOGIN_CHARS {
        None
    } else {
        user::Entity::find()
            .filter(
                Condition::any()
                    .add(user::Column::UsernameKey.eq(&typed))
                    .add(user::Column::Email.eq(&typed)),
            )
            .one(db)
            .await
            .or_internal("login lookup")?
    };
    let key = failure_key(found.as_ref(), &typed);
    check_throttle(db, &key, ip).await?;

    let stored = match &found {
        Some(u) => u.password_hash.clone(),
        None => password::decoy_hash().await.to_string(),
    };
    let ok = password::verify(stored, form.password).await? && found.is_some();

    let Some(model) = found.filter(|_| ok) else {
        let mut w = Write::begin(db, None).await?;
        login_failure::ActiveModel {
            account: Set(key),
            ip: Set(ip.to_string()),
            at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&*w)
        .await
        .or_internal("record failure")?;
        let shown = shorten(&typed, 100);
        w.record(LOGIN_FAILED, None, format!("{shown} from {ip}"));
        w.commit().await?;
        return Err(AppError::Unauthorized(INVALID_CREDENTIALS.into()));
    };
    let id = model.id;
    if model.pending {
        let by = Some(Actor::new(id));
        audit(db, by, LOGIN_REFUSED, "waiting for approval".into()).await?;
        return Err(AppError::Forbidden(
            "your account waits for an administrator's approval".into(),
        ));
    }
    let Some(user) = SessionUser::from_model(model) else {
        let by = Some(Actor::new(id));
        audit(db, by, LOGIN_REFUSED, "account deactivated".into()).await?;
        return Err(AppError::Forbidden(
            "this account has been deactivated; ask an administrator".into(),
        ));
    };
    let mut w = Write::begin(db, user.actor()).await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Account.eq(&key))
        .exec(&*w)
        .await
        .or_internal("clear failures")?;
    user::Entity::update_many()
        .col_expr(user::Column::LastSignInAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user.id))
        .exec(&*w)
        .await
        .or_internal("record sign-in")?;
    w.record(LOGIN_SUCCEEDED, user.id, format!("from {ip}"));
    w.commit().await?;
    Ok(user)
}

pub async fn logged_out(db: &DatabaseConnection, user: Actor) -> AppResult<()> {
    audit(db, Some(user), LOGGED_OUT, String::new()).await
}

/// Change one's own password; the old one must be given. Other sessions end because the
/// session is bound to the password hash.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    current: String,
    new: String,
    confirm: String,
) -> AppResult<SessionUser> {
    if !password::verify(user.password_hash().to_string(), current).await? {
        return Err(AppError::field(
            "current",
            "this is not your current password",
        ));
    }
    let mut fields = Vec::new();
    check_new_password(&new, &confirm, &user.username, &user.email, &mut fields);
    if !fields.is_empty() {
        return Err(AppError::fields(fields));
    }
    let hash = password::hash(new).await?;
    let changed = set_password(&state.db, user.actor(), hash, PASSWORD_CHANGED).await?;
    state.signed_in.keep_user(&changed);
    Ok(changed)
}

/// Store a new password hash and audit it, in one transaction.
pub async fn set_password(
    db: &DatabaseConnection,
    user: Actor,
    hash: String,
    event: Event,
) -> AppResult<SessionUser> {
    let mut w = Write::begin(db, user).await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(user.id()))
        .exec(&*w)
        .await
        .or_internal("update password")?;
    w.record(event, user.id(), String::new());
    let model = user::Entity::find_by_id(user.id())
        .one(&*w)
        .await
        .or_internal("reload user")?
        .ok_or_else(|| AppError::NotFound("the account".into()))?;
    w.commit().await?;
    SessionUser::from_model(model).ok_or(AppError::Unauthorized(
        "this account has been deactivated".into(),
    ))
}

/// Edit one's own name and email.
pub async fn update_profile(
    state: &AppState,
    user: &SessionUser,
    first_name: String,
    last_name: String,
    email: String,
) -> AppResult<SessionUser> {
    let email = email.trim().to_lowercase();
    let mut fields = account_problems(&user.username, &first_name, &last_name, &email);
    if fields.is_empty() {
        fields = taken_fields(
            &state.db,
            &user.username.to_lowercase(),
            &email,
            Some(user.id),
        )
        .await?
        .into_iter()
        .filter(|f| f.field == "email")
        .collect();
    }
    if !fields.is_empty() {
        return Err(AppError::fields(fields));
    }
    let mut w = Write::begin(&state.db, user.actor()).await?;
    let model = user::ActiveModel {
        id: Set(user.id),
        first_name: Set(first_name.trim().to_string()),
        last_name: Set(last_name.trim().to_string()),
        email: Set(email),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&*w)
    .await
    .or_internal("update profile")?;
    w.record(PROFILE_UPDATED, user.id, String::new());
    w.commit().await?;
    let updated = SessionUser::from_model(model).ok_or(AppError::Internal)?;
    state.signed_in.keep_user(&updated);
    Ok(updated)
}
