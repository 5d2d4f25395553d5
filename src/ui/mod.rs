//! Components shared by every feature.

pub mod form;
pub mod toast;
