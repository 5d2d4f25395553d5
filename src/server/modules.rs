//! The feature modules as the server sees them: the work each runs in the background for the
//! life of the server, and the demo records each seeds into an empty database. A new module
//! declares its `MODULE` (in its `mod.rs`) and adds it to `MODULES`: one line here.

use std::future::Future;
use std::pin::Pin;

use super::AppState;
use crate::audit::Actor;
use crate::error::AppResult;

/// A future the server runs (a background loop, or one demo seed).
pub type Task<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Seeds a module's demo records as `actor`.
pub type Seed = for<'a> fn(&'a AppState, Actor) -> Task<'a, AppResult<()>>;

pub struct Module {
    pub name: &'static str,
    /// Runs for the life of the server (the outbox worker, say); stopped with it.
    pub background: Option<fn(&AppState) -> Task<'static, ()>>,
    /// Seeds demo records as `actor` (an administrator), after the modules before it.
    pub demo: Option<Seed>,
}

/// Every module, in the order their demo data builds on each other.
pub const MODULES: &[Module] = &[
    crate::clients::MODULE,
    crate::stock::MODULE,
    crate::orders::MODULE,
    crate::deliveries::MODULE,
    crate::invoices::MODULE,
    crate::outbox::MODULE,
];
