//! Test accounts and the request header of a server-function call, shared by the integration
//! tests, the browser tests and the benchmark.
// Each crate that includes this file uses a different part of it.
#![allow(dead_code)]

/// The header every dioxus server-function call carries; the server refuses a POST without
/// it (its CSRF check).
pub const CLIENT_HEADER: (&str, &str) = ("X-Request-Client", "dioxus");

/// The password every test account gets (strong enough for the rules).
pub const PASSWORD: &str = "correct horse battery staple";

/// The `register` server function's body for `username` (email `<username>@example.com`).
pub fn register_body(username: &str) -> serde_json::Value {
    serde_json::json!({ "form": {
        "username": username, "first_name": "Test", "last_name": username,
        "email": format!("{username}@example.com"), "password": PASSWORD, "confirm": PASSWORD,
    }})
}

/// The `login` server function's body.
pub fn login_body(login: &str, password: &str) -> serde_json::Value {
    serde_json::json!({ "form": { "login": login, "password": password } })
}
