//! Loading what a page's filters ask for (a report, a filtered list) with the page, so that a
//! refused filter stays on the page, shown at its field, instead of replacing it.

use std::future::Future;

use dioxus::fullstack::{Loader, Loading};
use dioxus::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// `load(query)` loaded with the page (server-rendered): a refusal of its filters (400) is
/// kept as the value, to be shown at its field; any other error goes to the error page.
// `Loading` is dioxus's own (large) error, handed on exactly as `use_loader` returns it.
#[allow(clippy::result_large_err)]
pub fn use_filtered<Q, T, F, Fut>(
    query: ReadSignal<Q>,
    load: F,
) -> Result<Loader<Result<T, AppError>>, Loading>
where
    Q: Clone + 'static,
    T: Clone + PartialEq + Serialize + DeserializeOwned + 'static,
    F: Fn(Q) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    use_loader(move || async move {
        match load(query()).await {
            Ok(r) => Ok(Ok(r)),
            Err(e @ AppError::Invalid { .. }) => Ok(Err(e)),
            Err(e) => Err(e),
        }
    })
}
