//! The one error type every server function returns.
//!
//! It travels to the browser as JSON (so forms can show field messages) and carries its HTTP
//! status through `AsStatusCode`, so a refusal is never reported as a 500.

use dioxus::fullstack::{AsStatusCode, ServerFnError, StatusCode};
use serde::{Deserialize, Serialize};

/// A message tied to one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// 400: the input is wrong; `fields` says where.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 401: no session, it has expired, or the credentials are wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: signed in, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: the thing asked for does not exist (the payload names it).
    #[error("{0} was not found")]
    NotFound(String),
    /// 409: the request clashes with the current state (duplicate, illegal transition, stock).
    #[error("{0}")]
    Conflict(String),
    /// 413: the request body is larger than this endpoint takes.
    #[error("{0}")]
    TooLarge(String),
    /// 429: too many attempts; the message says when to retry.
    #[error("{0}")]
    TooManyRequests(String),
    /// 503: the server (or a service it needs) cannot be reached right now.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a fault on our side. Details go to the log, never to the user.
    #[error("something went wrong on our side; it has been logged")]
    Internal,
}

impl AppError {
    /// A 400 for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::fields(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    /// A 400 about the request as a whole (a file, an upload), not one field.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid {
            message: message.into(),
            fields: vec![],
        }
    }

    /// A 400 listing every field that is wrong, so a form can mark them all at once.
    pub fn fields(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            _ => "please correct the highlighted fields".to_string(),
        };
        Self::Invalid { message, fields }
    }

    /// The 401 for a request that needs a session.
    pub fn sign_in() -> Self {
        Self::Unauthorized("please sign in to continue".into())
    }

    /// The message for one field, if this error has one.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            Self::Invalid { fields, .. } => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }

    /// Log an unexpected fault with its details and answer with the generic 500.
    #[cfg(feature = "server")]
    pub fn internal(context: &str, err: impl std::fmt::Debug) -> Self {
        tracing::error!("{context}: {err:?}");
        Self::Internal
    }
}

/// `.or_internal("what was being done")` on a database call: a failure there is our fault,
/// so it is logged with its context and answered with the generic 500.
#[cfg(feature = "server")]
pub trait OrInternal<T> {
    fn or_internal(self, doing: &str) -> AppResult<T>;
}

#[cfg(feature = "server")]
impl<T> OrInternal<T> for Result<T, sea_orm::DbErr> {
    fn or_internal(self, doing: &str) -> AppResult<T> {
        self.map_err(|err| AppError::internal(doing, err))
    }
}

impl AsStatusCode for AppError {
    fn as_status_code(&self) -> StatusCode {
        match self {
            Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Framework-level failures (bad arguments, a lost connection, an extractor refusal) arrive as
/// `ServerFnError`; map them onto the variant with the same status so callers match one type.
impl From<ServerFnError> for AppError {
    fn from(err: ServerFnError) -> Self {
        match err {
            ServerFnError::ServerError { message, code, .. } => Self::from_status(code, message),
            ServerFnError::Args(m) | ServerFnError::MissingArg(m) => Self::Invalid {
                message: format!("the request could not be read: {m}"),
                fields: vec![],
            },
            ServerFnError::Request(e) => {
                Self::Unavailable(format!("the server could not be reached: {e}"))
            }
            other => {
                #[cfg(feature = "server")]
                tracing::error!("server function failure: {other}");
                #[cfg(not(feature = "server"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}

impl AppError {
    /// Rebuild an error from a bare status and message (e.g. a framework or middleware answer).
    pub fn from_status(code: u16, message: String) -> Self {
        match code {
            400 => Self::Invalid {
                message,
                fields: vec![],
            },
            401 => Self::Unauthorized(message),
            403 => Self::Forbidden(message),
            404 => Self::NotFound(message),
            409 => Self::Conflict(message),
            413 => Self::TooLarge(message),
            429 => Self::TooManyRequests(message),
            503 => Self::Unavailable(message),
            _ => Self::Internal,
        }
    }
}

/// Server functions and services return this.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_status() {
        let cases = [
            (AppError::field("name", "required"), 400),
            (AppError::sign_in(), 401),
            (AppError::Forbidden("no".into()), 403),
            (AppError::NotFound("client 7".into()), 404),
            (AppError::Conflict("taken".into()), 409),
            (AppError::TooLarge("too big".into()), 413),
            (AppError::TooManyRequests("wait".into()), 429),
            (AppError::Unavailable("down".into()), 503),
            (AppError::Internal, 500),
        ];
        for (err, code) in cases {
            assert_eq!(err.as_status_code().as_u16(), code, "{err:?}");
            // The status survives a trip through the framework's generic error.
            let back = AppError::from_status(code, err.to_string());
            assert_eq!(back.as_status_code().as_u16(), code);
        }
    }

    #[test]
    fn field_messages_are_found_by_field() {
        let err = AppError::fields(vec![
            FieldError {
                field: "email".into(),
                message: "not an email".into(),
            },
            FieldError {
                field: "name".into(),
                message: "required".into(),
            },
        ]);
        assert_eq!(err.field_message("name"), Some("required"));
        assert_eq!(err.field_message("phone"), None);
        assert_eq!(err.to_string(), "please correct the highlighted fields");
        assert_eq!(
            AppError::field("name", "required").to_string(),
            "required",
            "a single field error reads as its own message"
        );
    }

    #[test]
    fn every_variant_survives_json() {
        let all = [
            AppError::field("name", "required"),
            AppError::sign_in(),
            AppError::Forbidden("no".into()),
            AppError::NotFound("client 7".into()),
            AppError::Conflict("SO-1 is already confirmed".into()),
            AppError::TooLarge("too big".into()),
            AppError::TooManyRequests("wait".into()),
            AppError::Unavailable("down".into()),
            AppError::Internal,
        ];
        for err in all {
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(
                serde_json::from_str::<AppError>(&json).unwrap(),
                err,
                "{json}"
            );
        }
        let json = serde_json::to_string(&AppError::Conflict("taken".into())).unwrap();
        assert_eq!(json, r#"{"kind":"conflict","detail":"taken"}"#);
    }
}
