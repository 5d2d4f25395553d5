//! An email address that wraps at its sensible points — after the `@` and before each dot —
//! instead of in the middle of a word, when its column is narrow (a phone, a card).

use dioxus::prelude::*;

#[component]
pub fn Email(address: String) -> Element {
    let pieces = pieces(&address);
    rsx! {
        span { class: "email",
            for (i, piece) in pieces.into_iter().enumerate() {
                if i > 0 {
                    wbr {}
                }
                "{piece}"
            }
        }
    }
}

/// The address cut where a line may break: `ann.lee@example.com` → `ann`, `.lee@`,
/// `example`, `.com`.
fn pieces(address: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in address.chars() {
        let last = out.last_mut().expect("never empty");
        if c == '.' && !last.is_empty() {
            out.push(c.to_string());
        } else {
            last.push(c);
            if c == '@' {
                out.push(String::new());
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn breaks_after_the_at_and_before_dots() {
        assert_eq!(
            super::pieces("ann.lee@mail.example.com"),
            ["ann", ".lee@", "mail", ".example", ".com"]
        );
        assert_eq!(super::pieces("x@y"), ["x@", "y"]);
        assert_eq!(super::pieces(""), Vec::<String>::new());
        // Nothing is lost or reordered.
        let a = "a.b..c@@d.";
        assert_eq!(super::pieces(a).concat(), a);
    }
}
