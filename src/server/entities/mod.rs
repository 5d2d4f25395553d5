//! sea-orm entities, one file per table.

pub mod audit_event;
