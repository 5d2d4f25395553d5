//! Components shared by every feature.

pub mod toast;
