//! Components shared by every feature.

pub mod action;
pub mod captcha;
pub mod confirm;
pub mod email;
pub mod filtered;
pub mod fold;
pub mod form;
pub mod kept;
pub mod pager;
pub mod picker;
pub mod search;
pub mod select;
pub mod timeline;
pub mod timer;
pub mod toast;
pub mod url;
