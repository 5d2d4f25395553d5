//! The shell: health check, server-rendered pages, the 404 page, migrations, audit trail.

use sales::audit::service::for_entity;
use sales::audit::{Actor, Event};
use sales::choice::Choice;
use sales::server::write::Write;
use sea_orm::ConnectionTrait;

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
    let age = chrono::Utc::now() - events[0].at;
    assert!(
        age.num_seconds().abs() < 60,
        "stored as now, in UTC: {}",
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

/// A database from before the ledger's typed source: reservations and releases kept their
/// order's number as free text. Migrating links them to the order and clears the text;
/// a receipt's supplier reference stays.
#[tokio::test]
async fn migrating_links_old_ledger_rows_to_their_orders() {
    use migration::{Migrator, MigratorTrait};
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(&dir).await;
    let db = sea_orm::Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(7)).await.unwrap();
    let now = "2026-11-30 10:00:00+00:00";
    for sql in [
        format!(
            "INSERT INTO users (id, username, username_key, first_name, last_name, email, \
             password_hash, role, active, pending, created_at, updated_at) VALUES (1, 'ann', \
             'ann', 'Ann', 'A', 'ann@example.com', 'x', 'admin', true, false, '{now}', '{now}')"
        ),
        format!(
            "INSERT INTO clients (id, name, contact, phone, billing_address, shipping_address, \
             tax_id, payment_terms_days, notes, active, name_key, search_text, created_at, \
             updated_at) VALUES (1, 'Acme', '', '', '', '', '', 30, '', true, 'acme', 'acme', \
             '{now}', '{now}')"
        ),
        format!(
            "INSERT INTO products (id, sku, sku_key, name, name_key, description, unit, \
             unit_price, tax_rate_bp, reorder_level, on_hand, reserved, low_stock_alerted, \
             active, created_at, updated_at) VALUES (1, 'P1', 'p1', 'Bolt', 'bolt', '', 'pcs', \
             100, 2000, 0, 10, 3, false, true, '{now}', '{now}')"
        ),
        format!(
            "INSERT INTO orders (id, number, seq, client_id, status, priority, notes, net, tax, \
             total, created_by, created_at, updated_at) VALUES (5, 'SO-2026-00001', 1, 1, \
             'confirmed', 'normal', '', 300, 60, 360, 1, '{now}', '{now}')"
        ),
        format!(
            "INSERT INTO stock_movements (product_id, kind, delta_on_hand, delta_reserved, \
             reference, note, user_id, at) VALUES \
             (1, 'receipt', 10, 0, 'PO-77', '', 1, '{now}'), \
             (1, 'reservation', 0, 4, 'SO-2026-00001', '', 1, '{now}'), \
             (1, 'release', 0, -1, 'SO-2026-00001', '', 1, '{now}')"
        ),
    ] {
        db.execute_unprepared(&sql).await.unwrap();
    }
    Migrator::up(&db, None).await.unwrap();

    use sales::server::entities::stock_movement::{Column, Entity};
    use sea_orm::{EntityTrait, QueryOrder};
    let rows = Entity::find()
        .order_by_asc(Column::Id)
        .all(&db)
        .await
        .unwrap();
    let linked: Vec<_> = rows
        .iter()
        .map(|m| (m.kind.as_str(), m.order_id, m.reference.as_str()))
        .collect();
    assert_eq!(
        linked,
        [
            ("receipt", None, "PO-77"),
            ("reservation", Some(5), ""),
            ("release", Some(5), "")
        ]
    );
    let held = sales::stock::ledger::reserved_for(&db, 5).await.unwrap();
    assert_eq!(held.into_iter().collect::<Vec<_>>(), [(1, 3)]);
    // Still append-only afterwards.
    let edit = db
        .execute_unprepared("UPDATE stock_movements SET note = 'x'")
        .await;
    assert!(edit.is_err(), "the ledger took an update");
}

/// Every page names itself in the browser's tab, records by their name or number.
#[tokio::test]
async fn each_page_has_its_own_title() {
    let app = spawn_app().await;
    app.register("admin").await;
    let client = app.a_client("Acme Tools").await;
    let title = |html: &str| {
        let start = html.find("<title>").expect("a title") + "<title>".len();
        html[start..start + html[start..].find("</title>").unwrap()].to_string()
    };
    for (path, expected) in [
        ("/".to_string(), "Dashboard · Sales"),
        ("/clients".to_string(), "Clients · Sales"),
        (format!("/clients/{}", client.id), "Acme Tools · Clients"),
        ("/clients/new".to_string(), "New client · Clients"),
        ("/orders".to_string(), "Orders · Sales"),
        ("/orders/new".to_string(), "New order · Orders"),
        ("/stock".to_string(), "Stock · Sales"),
        ("/users".to_string(), "Users · Sales"),
        ("/outbox".to_string(), "Outgoing mail · Sales"),
        ("/audit".to_string(), "Audit trail · Sales"),
        ("/no/such/page".to_string(), "Page not found · Sales"),
    ] {
        let html = app.get(&path).await.text().await.unwrap();
        assert_eq!(title(&html), expected, "{path}");
    }
}

/// A browser that asks for gzip gets larger answers gzipped (over plain HTTP no browser asks
/// for the build's brotli files); small answers and clients that do not ask travel as they are.
#[tokio::test]
async fn larger_answers_are_gzipped_for_browsers_that_ask() {
    let app = spawn_app().await;
    app.register("admin").await;
    for i in 0..20 {
        app.a_client(&format!("Client {i:02}")).await;
    }
    let visitor = app.new_client();
    let fetch = |client: &reqwest::Client, path: &'static str, gzip: bool| {
        let req = client.get(app.url(path));
        let req = if gzip {
            req.header("Accept-Encoding", "gzip, deflate")
        } else {
            req
        };
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            let encoding = res
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            (encoding, res.bytes().await.unwrap())
        }
    };
    for (client, path) in [(&visitor, "/login"), (&app.client, "/api/clients/?q=")] {
        let (encoding, body) = fetch(client, path, true).await;
        assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
        assert_eq!(&body[..2], [0x1f, 0x8b], "{path}: a gzip stream");
    }
    let (encoding, body) = fetch(&visitor, "/login", false).await;
    assert_eq!(encoding, None, "not asked");
    assert!(String::from_utf8_lossy(&body).contains("<html"));
    let (encoding, _) = fetch(&visitor, "/health", true).await;
    assert_eq!(encoding, None, "too small to be worth it");
}
