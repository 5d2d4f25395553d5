//! The bad-input sweep: every server function, found from the framework's registry and the
//! surface list a test keeps complete, is sent malformed JSON, bodies of the wrong shape,
//! missing fields, wrong types, oversized strings, extreme numbers and ids that do not exist
//! or belong to something else. No answer is a 5xx, and a refused request writes nothing.

use dioxus::server::ServerFunction;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::support::fixtures::{client_with_role, shop};
use crate::support::surface::{self, Endpoint};
use crate::support::{CLIENT_HEADER, TestApp, on_postgres};

/// `/api/clients/{id}` matches `/api/clients/1`; queries are ignored.
fn matches(pattern: &str, path: &str) -> bool {
    let strip = |p: &str| {
        p.split('?')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string()
    };
    let (pattern, path) = (strip(pattern), strip(path));
    let (a, b): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(p, s)| p == s || (p.starts_with('{') && p.ends_with('}')))
}

fn all_endpoints(target: i64) -> Vec<Endpoint> {
    let mut all = surface::protected(target);
    all.extend(surface::public());
    all
}

#[test]
fn the_surface_lists_every_server_function() {
    let listed = all_endpoints(0);
    let functions = ServerFunction::collect();
    assert!(
        functions.len() >= 80,
        "the registry is read: {}",
        functions.len()
    );
    let missing: Vec<String> = functions
        .iter()
        // The error tests' own functions (`errors.rs`), which fail on purpose.
        .filter(|f| !f.path().starts_with("/api/test/"))
        .filter(|f| {
            let method = f.method().to_string();
            !listed.iter().any(|(m, p, _, _)| {
                let m = if *m == "UPLOAD" { "POST" } else { *m };
                m == method && matches(f.path(), p)
            })
        })
        .map(|f| format!("{} {}", f.method(), f.path()))
        .collect();
    assert!(
        missing.is_empty(),
        "add these to tests/integration/support/surface.rs: {missing:?}"
    );
}

/// Row counts of every table a refused request must leave alone: all of them but sessions,
/// throttling counts and request keys. Every change in this codebase writes an audit event,
/// so an update shows here too; failed sign-ins are audited on purpose and left out.
async fn fingerprint(app: &TestApp) -> Vec<(String, i64)> {
    let db = app.db();
    let backend = db.get_database_backend();
    let list = if on_postgres() {
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .filter(|t| {
            ![
                "sessions",
                "login_failures",
                "rate_hits",
                "request_keys",
                "seaql_migrations",
            ]
            .contains(&t.as_str())
        })
        .collect();
    let sql = tables
        .iter()
        .map(|t| {
            let filter = if t == "audit_events" {
                " WHERE action NOT LIKE 'login.%'"
            } else {
                ""
            };
            format!("SELECT '{t}', CAST(COUNT(*) AS BIGINT) FROM {t}{filter}")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get_by_index(0).unwrap(),
                r.try_get_by_index(1).unwrap(),
            )
        })
        .collect()
}

const LONG: usize = 60_000;

/// The numbers past every edge: zero, negative, 2^63 (one past i64), and 1e308.
fn extremes() -> Vec<Value> {
    vec![
        json!(0),
        json!(-1),
        serde_json::from_str("9223372036854775808").unwrap(),
        json!(1e308),
        json!(-1e308),
    ]
}

/// Each way to spoil one value: the wrong type, the extremes, an oversized string, an id
/// that does not exist.
fn spoiled(v: &Value) -> Vec<Value> {
    let mut out = vec![json!(null), json!([]), json!({})];
    match v {
        Value::String(_) => {
            out.push(json!("x".repeat(LONG)));
            out.push(json!(12));
            out.push(json!("-1"));
            out.push(json!("9223372036854775808"));
            out.push(json!("1e308"));
        }
        Value::Number(_) => {
            out.extend(extremes());
            out.push(json!(999_999_999));
            out.push(json!("seven"));
            out.push(json!(1.5));
        }
        Value::Bool(_) => out.push(json!("yes")),
        _ => out.push(json!("x")),
    }
    out
}

/// Every body derived from `sample` by spoiling one leaf, or removing one key.
fn variants(sample: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match sample {
        Value::Object(map) => {
            for (key, value) in map {
                let mut missing = map.clone();
                missing.remove(key);
                out.push(Value::Object(missing));
                let nested = match value {
                    Value::Object(_) | Value::Array(_) => variants(value),
                    _ => spoiled(value),
                };
                for v in nested {
                    let mut changed = map.clone();
                    changed.insert(key.clone(), v);
                    out.push(Value::Object(changed));
                }
            }
        }
        Value::Array(items) => {
            out.push(json!([]));
            if let Some(first) = items.first() {
                for v in variants(first) {
                    let mut changed = items.clone();
                    changed[0] = v;
                    out.push(Value::Array(changed));
                }
            }
        }
        leaf => out.extend(spoiled(leaf)),
    }
    out
}

/// The raw bodies sent to every POST: not JSON, not an object, empty.
const RAW: &[&str] = &["{", "{\"form\": ", "[]", "\"x\"", "null", "42", "{}", ""];

/// A GET path spoiled in each numeric segment and each query value.
fn spoiled_paths(path: &str) -> Vec<String> {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = route.split('/').collect();
    let bad = ["0", "-1", "9223372036854775808", "abc", "99999999", "1e308"];
    let mut out = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        if s.parse::<i64>().is_ok() {
            for b in bad {
                let mut changed = segments.clone();
                changed[i] = b;
                out.push(format!("{}?{query}", changed.join("/")));
            }
        }
    }
    let long = "x".repeat(4000);
    for b in bad.iter().copied().chain([long.as_str(), "%ZZ", "%00"]) {
        out.push(format!(
            "{route}?{}",
            if query.is_empty() {
                format!("q={b}")
            } else {
                query
                    .split('&')
                    .map(|kv| format!("{}={b}", kv.split('=').next().unwrap()))
                    .collect::<Vec<_>>()
                    .join("&")
            }
        ));
        out.push(format!("{route}?{query}&extra={b}&before={b}&page={b}"));
    }
    out
}

#[tokio::test]
async fn bad_input_never_fails_the_server_and_a_refusal_writes_nothing() {
    let (app, client, products) = shop(&[50]).await;
    let (_, target) = client_with_role(&app, "target", sales::auth::Role::Sales).await;
    // Something of each kind to point at: orders, a delivery, an invoice and a payment.
    let delivered = app
        .delivered_order(client.id, &[(products[0].id, 2, "10.00")])
        .await;
    app.issued_invoice(delivered.id).await;
    app.confirmed_order(client.id, &[(products[0].id, 1, "10.00")])
        .await;

    // The fingerprint sees a write: without that, "nothing written" would prove nothing.
    let empty = fingerprint(&app).await;
    app.a_client("Witness").await;
    assert_ne!(
        fingerprint(&app).await,
        empty,
        "a write shows in the fingerprint"
    );

    let mut sent = 0usize;
    let mut refused = 0usize;
    let mut failures = Vec::new();
    let mut before = fingerprint(&app).await;
    for (method, path, sample, _) in all_endpoints(target) {
        let requests: Vec<reqwest::RequestBuilder> = match method {
            "GET" => spoiled_paths(path)
                .into_iter()
                .map(|p| app.client.get(app.url(&p)))
                .collect(),
            "UPLOAD" => {
                let bodies: Vec<Vec<u8>> = vec![
                    vec![0xff, 0xfe, 0x00, 0x41],
                    format!("name\n{}\n", "x".repeat(LONG)).into_bytes(),
                    b"name,email\n\"unterminated,a@b\n".to_vec(),
                    b"=HYPERLINK(\"http://x\"),a\n".to_vec(),
                    Vec::new(),
                ];
                bodies
                    .into_iter()
                    .map(|b| {
                        app.post_raw(&app.client, path)
                            .header("Content-Type", "application/octet-stream")
                            .body(b)
                    })
                    .collect()
            }
            _ => {
                let raw = RAW.iter().map(|r| {
                    app.post_raw(&app.client, path)
                        .header("Content-Type", "application/json")
                        .body(r.to_string())
                });
                let spoiled = variants(&sample)
                    .into_iter()
                    .map(|v| app.post_raw(&app.client, path).json(&v));
                raw.chain(spoiled).collect()
            }
        };
        for req in requests {
            let res = req
                .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let what = format!("{method} {path} → {status}");
            sent += 1;
            if status >= 500 {
                let text = res.text().await.unwrap_or_default();
                failures.push(format!(
                    "{what}: {}",
                    text.chars().take(200).collect::<String>()
                ));
                continue;
            }
            let after = fingerprint(&app).await;
            if status >= 400 {
                refused += 1;
                if after != before {
                    let changed: Vec<_> = after.iter().filter(|a| !before.contains(a)).collect();
                    failures.push(format!("{what} wrote {changed:?}"));
                }
            }
            before = after;
        }
    }
    eprintln!(
        "bad-input sweep: {sent} requests, {refused} refused, {} failures",
        failures.len()
    );
    assert!(
        sent > 1500,
        "the sweep reached every function: {sent} requests"
    );
    assert!(
        failures.is_empty(),
        "{} of {sent}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
