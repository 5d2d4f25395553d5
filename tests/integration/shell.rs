//! The shell: health check, server-rendered pages, the 404 page, migrations, audit trail.

use sales::audit::service::for_entity;
use sales::audit::{Actor, Event};
use sales::server::write::Write;

use crate::support::{on_postgres, spawn_app};

#[tokio::test]
async fn health_reports_database_backend_and_version() {
    let app = spawn_app().await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(
        body["backend"],
        if on_postgres() { "postgres" } else { "sqlite" }
    );
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db().clone().close().await.unwrap();
    let res = app.get("/health").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = spawn_app().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/login?next=/"), "{location}");
    let body = res.text().await.unwrap();
    assert!(!body.contains("db-status"), "no page data for a visitor");
}

#[tokio::test]
async fn dashboard_is_rendered_on_the_server_with_its_data() {
    let app = spawn_app().await;
    assert_eq!(app.register("ann").await.status(), 200);
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Dashboard</h1>"), "{html}");
    // The loader ran during server rendering: the status card is filled in, not a spinner.
    assert_eq!(text_of(&html, "db-status"), "connected");
    let backend = if on_postgres() { "postgres" } else { "sqlite" };
    assert_eq!(text_of(&html, "db-backend"), backend);
    // Navigation lists only modules that exist.
    assert!(html.contains(">Dashboard<"));
    for absent in ["/clients", "/orders", "/invoices"] {
        assert!(
            !html.contains(&format!(r#"href="{absent}""#)),
            "nav must not link {absent} yet"
        );
    }
}

#[tokio::test]
async fn unknown_page_is_a_real_404() {
    let app = spawn_app().await;
    app.register("ann").await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("Page not found"), "{html}");
    assert!(
        html.contains("/no/such/page"),
        "the page names what was asked for"
    );
}

#[tokio::test]
async fn unknown_api_endpoint_is_a_json_404() {
    let app = spawn_app().await;
    let res = app.get("/api/no-such-endpoint").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["data"]["kind"], "not_found");
}

#[tokio::test]
async fn system_info_needs_a_session() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/system/info").await.status(), 401);
    app.register("ann").await;
    let res = app.get("/api/system/info").await;
    assert_eq!(res.status(), 200);
    let info: sales::dashboard::SystemInfo = res.json().await.unwrap();
    assert!(info.database_ok);
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn migrations_are_applied_and_the_audit_trail_round_trips() {
    let app = spawn_app().await;
    // Two events by user 7 in one write unit, one by the system in another, about another
    // record: the timeline of 42 has exactly its own, in order.
    let mut w = Write::begin(app.db(), Actor::new(7)).await.unwrap();
    w.record(Event::new("order", "created"), 42, "first");
    w.record(Event::new("order", "confirmed"), 42, "second");
    w.commit().await.unwrap();
    let mut w = Write::begin(app.db(), None).await.unwrap();
    w.record(Event::new("order", "created"), 43, "");
    w.commit().await.unwrap();

    let events = for_entity(app.db(), "order", 42).await.unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["created", "confirmed"],
        "oldest first, only order 42"
    );
    assert_eq!(events[0].actor_id, Some(7));
    assert!(
        events[0].at.ends_with('Z'),
        "UTC timestamp: {}",
        events[0].at
    );
}

/// The text inside the element with `id`, without tags or hydration comments.
fn text_of(html: &str, id: &str) -> String {
    let start = html
        .find(&format!(r#"id="{id}""#))
        .expect("element present");
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body[..body.find("</").unwrap()].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}
