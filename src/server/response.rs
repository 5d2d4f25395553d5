//! How an `AppError` is written as an HTTP response outside a server function (middleware,
//! extractors), in the same JSON shape dioxus uses, so the client decodes it identically.

use dioxus::fullstack::AsStatusCode;
use dioxus::server::axum::Json;
use dioxus::server::axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppError;

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: String,
    code: u16,
    data: &'a AppError,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.as_status_code();
        let body = ErrorBody {
            message: self.to_string(),
            code: status.as_u16(),
            data: &self,
        };
        (status, Json(body)).into_response()
    }
}
