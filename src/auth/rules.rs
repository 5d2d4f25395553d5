//! Input rules for accounts, shared by the browser (live feedback while typing) and the
//! server (the check that counts), so both always agree. The strength estimate is the one
//! server-only part: zxcvbn's word lists would add most of a megabyte to the browser's
//! download, so the page asks the server (`check_password`) as the person types.

use crate::error::FieldError;
use crate::input::Problems;

pub const PASSWORD_MIN_CHARS: usize = 10;
/// zxcvbn score (0–4) a password must reach.
pub const PASSWORD_MIN_SCORE: u8 = 3;

/// The rules a page can check at once, without the server: length, and not the username or
/// email. `password_problems` adds the strength estimate.
pub fn password_basics(password: &str, username: &str, email: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        problems.push(format!(
            "use at least {PASSWORD_MIN_CHARS} characters ({chars} so far)"
        ));
    }
    let lower = password.to_lowercase();
    let same_as = |other: &str| !other.is_empty() && lower == other.trim().to_lowercase();
    if same_as(username) {
        problems.push("must not be your username".to_string());
    }
    if same_as(email) {
        problems.push("must not be your email address".to_string());
    }
    problems
}

/// Why `password` is refused, in the order a person should fix them; empty when it is fine.
#[cfg(feature = "server")]
pub fn password_problems(password: &str, username: &str, email: &str) -> Vec<String> {
    let mut problems = password_basics(password, username, email);
    if !password.is_empty() {
        let inputs: Vec<&str> = [username, email]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let entropy = zxcvbn::zxcvbn(password, &inputs);
        let score = u8::from(entropy.score());
        if score < PASSWORD_MIN_SCORE {
            let hint = entropy
                .feedback()
                .and_then(|f| f.warning().map(|w| w.to_string()))
                .filter(|w| !w.is_empty());
            problems.push(match hint {
                Some(w) => format!("too easy to guess: {w}"),
                None => "too easy to guess: add more unrelated words or characters".to_string(),
            });
        }
    }
    problems
}

/// Field-level problems with a registration or profile form (password checked separately).
pub fn account_problems(username: &str, first: &str, last: &str, email: &str) -> Vec<FieldError> {
    let mut out = Problems::default();
    let mut add = |field: &str, message: &str| out.add(field, message);
    let u = username.trim();
    if u.len() < 3 || u.len() > 32 {
        add("username", "use 3 to 32 characters");
    } else if !u
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        add("username", "use letters, digits, '.', '_' or '-' only");
    }
    if first.trim().is_empty() {
        add("first_name", "enter your first name");
    } else if first.trim().chars().count() > 100 {
        add("first_name", "use at most 100 characters");
    }
    if last.trim().is_empty() {
        add("last_name", "enter your last name");
    } else if last.trim().chars().count() > 100 {
        add("last_name", "use at most 100 characters");
    }
    if !is_email(email) {
        add(
            "email",
            "enter a valid email address, like name@example.com",
        );
    }
    out.into_vec()
}

/// A practical email check (one `@`, a dotted domain, no spaces, at most 254 characters);
/// the mail server has the final word.
pub fn is_email(email: &str) -> bool {
    let e = email.trim();
    if e.len() > 254 || e.contains(char::is_whitespace) {
        return false;
    }
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_with_a_count() {
        let p = password_basics("abc", "ann", "ann@example.com");
        assert!(p[0].contains("at least 10 characters (3 so far)"), "{p:?}");
    }

    #[cfg(feature = "server")]
    #[test]
    fn weak_but_long_passwords_are_refused() {
        let p = password_problems("password123", "ann", "ann@example.com");
        assert!(
            p.iter().any(|m| m.starts_with("too easy to guess")),
            "{p:?}"
        );
    }

    #[test]
    fn password_equal_to_username_or_email_is_refused() {
        let p = password_basics("Ann.Example.Person", "ann.example.person", "x@example.com");
        assert!(
            p.contains(&"must not be your username".to_string()),
            "{p:?}"
        );
        let p = password_basics("ann@example.com", "ann", "ANN@example.com");
        assert!(
            p.contains(&"must not be your email address".to_string()),
            "{p:?}"
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn a_strong_password_passes() {
        assert!(
            password_problems("correct horse battery staple", "ann", "ann@example.com").is_empty()
        );
        assert!(password_problems("T9#kq!vW2z&Lm", "ann", "ann@example.com").is_empty());
    }

    #[test]
    fn account_fields_are_checked() {
        let f = account_problems("a b", "", "x", "not-an-email");
        let fields: Vec<_> = f.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "first_name", "email"]);
        assert!(account_problems("ann.lee", "Ann", "Lee", "ann@example.com").is_empty());
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a b@c.de", "a@b@c.de", "a@b.co.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
