//! A mail a person writes to send a document (an invoice, a quotation, an order
//! confirmation): to whom, the subject and the message, read the same in the browser and on
//! the server.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::input::Problems;

pub const MAX_SUBJECT: usize = 200;
pub const MAX_MESSAGE: usize = 5000;

/// Sending a document: to whom, the subject and the message (defaults filled in by the page).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SendForm {
    pub to: String,
    pub subject: String,
    pub message: String,
}

/// A mail: one address, a subject, a message of reasonable length.
pub fn read_send(form: &SendForm) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::default();
    let to = form.to.trim();
    if to.is_empty() {
        problems.add("to", "enter the address to send it to");
    } else if !crate::auth::rules::is_email(to) {
        problems.add("to", format!("'{to}' is not an email address"));
    }
    if form.subject.trim().is_empty() {
        problems.add("subject", "enter a subject");
    }
    problems.check_length("subject", &form.subject, MAX_SUBJECT);
    problems.check_length("message", &form.message, MAX_MESSAGE);
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.into_vec()),
    }
}

/// The subject and message a send form starts with: `what` is the document ("invoice",
/// "quotation") and `number` its number.
pub fn default_mail(title: &str, number: &str) -> SendForm {
    SendForm {
        to: String::new(),
        subject: format!("{title} {number}"),
        message: format!(
            "Hello,\n\nPlease find attached our {} {number}.\n\nKind regards\n",
            title.to_lowercase()
        ),
    }
}
