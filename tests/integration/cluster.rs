//! Several app servers on one database (on PostgreSQL, the deployment that has them): start-up
//! together, sessions any server honours, the last units raced through two servers, gapless
//! numbers from both, each mail sent once, each sweep run once per period, and sessions ended
//! on one server ending on the other within a second.

use futures::future::join_all;
use sales::auth::Role;
use sales::invoices::Invoice;
use sales::orders::Order;
use sales::server::cluster::claim_run;
use sales::server::entities::user;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::support::api::{issue_form, order_form};
use crate::support::fixtures::{client_with_role, shop};
use crate::support::smtp::SmtpServer;
use crate::support::{
    CLIENT_HEADER, PASSWORD, TestApp, session_cookie, spawn_app, spawn_instances,
};

/// Three servers starting at once on an empty database: each starts, the migrations ran once
/// (a second run would fail on the tables it makes), and every server then serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_servers_starting_together_migrate_once() {
    let apps = spawn_instances(3, &[]).await;
    assert_eq!(apps[0].register("admin").await.status(), 200);
    for app in &apps {
        let health: serde_json::Value = app.read("/health").await;
        assert_eq!(health["database"], "ok");
    }
    let users = user::Entity::find().count(apps[2].db()).await.unwrap();
    assert_eq!(users, 1, "one database behind all three");
}

/// A session made on one server is honoured by another (sessions live in the database,
/// signed with the shared SESSION_KEY).
#[tokio::test]
async fn a_session_is_honoured_by_every_server() {
    let (app, acme, _) = shop(&[0]).await;
    let twin = app.twin().await;
    // The browser's cookie, sent to the other server.
    let res = app
        .client
        .get(twin.url(&format!("/api/clients/{}", acme.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let signed_out = twin.new_client();
    let res = signed_out
        .get(twin.url("/api/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "null");
}

/// Confirmations for the last 20 units, sent to two servers at once (each with its own order
/// intake queue): exactly 20 are reserved, and the ledger equals the totals.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_racing_for_the_last_units_never_oversell() {
    let (app, acme, p) = shop(&[20]).await;
    let twin = app.twin().await;
    let servers = [&app, &twin];
    let f = order_form(acme.id, &[(p[0].id, 1, "1")]);
    let entries = (0..50).map(|i| {
        let (server, f) = (servers[i % 2], f.clone());
        let client = app.client.clone();
        async move {
            let res = client
                .post(server.url("/api/orders/create"))
                .header(
                    crate::support::CLIENT_HEADER.0,
                    crate::support::CLIENT_HEADER.1,
                )
                .json(&serde_json::json!({ "form": f, "confirm": true }))
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }
    });
    let statuses = join_all(entries).await;
    let created = statuses.iter().filter(|s| **s == 200).count();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let product = app.product(p[0].id).await;
    assert_eq!(product.reserved, 20, "the 20 units, no more");
    assert_eq!(created, 20, "{statuses:?}");
    assert!(app.drift().await.is_empty());
    // Read through the other server, with the same session.
    let res = app
        .client
        .get(twin.url("/api/stock/check"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "[]");
}

/// Orders delivered, then invoiced through two servers at once: the invoice numbers run
/// without a gap or a repeat.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invoices_issued_through_two_servers_number_without_gaps() {
    let (app, acme, p) = shop(&[100]).await;
    let twin = app.twin().await;
    let mut drafts = Vec::new();
    for _ in 0..16 {
        let order: Order = app.delivered_order(acme.id, &[(p[0].id, 1, "5.00")]).await;
        drafts.push(app.draft_invoice(order.id).await.id);
    }
    let servers = [&app, &twin];
    let issues = drafts.iter().enumerate().map(|(i, id)| {
        let server = servers[i % 2];
        let client = app.client.clone();
        async move {
            let res = client
                .post(server.url("/api/invoices/issue"))
                .header(
                    crate::support::CLIENT_HEADER.0,
                    crate::support::CLIENT_HEADER.1,
                )
                .json(&serde_json::json!({ "id": id, "form": issue_form("", "") }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            res.json::<Invoice>().await.unwrap()
        }
    });
    let mut seqs: Vec<i64> = join_all(issues)
        .await
        .iter()
        .map(|i| {
            let n = i.number.clone().unwrap();
            n.rsplit('-').next().unwrap().parse().unwrap()
        })
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=16).collect::<Vec<_>>());
}

/// Mail queued on one server is sent once, whichever server's worker takes it: both workers
/// race for the queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_mail_is_sent_once_by_two_servers() {
    let smtp = SmtpServer::start().await;
    let env = smtp.env();
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let apps = spawn_instances(2, &pairs).await;
    let app: &TestApp = &apps[0];
    app.register("admin").await;
    let invites = (0..30).map(|i| {
        let body = serde_json::json!({ "form": {
            "username": format!("person{i}"), "first_name": "Pat", "last_name": format!("N{i}"),
            "email": format!("person{i}@example.com"), "role": "sales",
        }});
        async move { app.call("/api/users/invite", &body).await.status() }
    });
    assert!(join_all(invites).await.iter().all(|s| *s == 200));
    for i in 0..30 {
        smtp.wait_for(&format!("person{i}@example.com")).await;
    }
    // Time for a second sending of any of them, were one to happen.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    for i in 0..30 {
        let to = format!("person{i}@example.com");
        assert_eq!(smtp.count_to(&to), 1, "{to}");
    }
}

/// A periodic job is claimed by one server per period, however many ask.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_periodic_job_runs_once_per_period_across_servers() {
    let apps = spawn_instances(3, &[]).await;
    let every = std::time::Duration::from_secs(3600);
    let claims = (0..12).map(|i| claim_run(apps[i % 3].db(), "test-job", every));
    let won = join_all(claims)
        .await
        .into_iter()
        .filter(|c| *c.as_ref().unwrap())
        .count();
    assert_eq!(won, 1, "one claim of the period");
    assert!(!claim_run(apps[1].db(), "test-job", every).await.unwrap());
}

/// `scripts/cluster`, run for a test: its servers are this build's binary, on `url`.
struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    env: Vec<(&'static str, String)>,
}

impl Cluster {
    fn run(&self, args: &[&str]) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/cluster");
        let out = std::process::Command::new("bash")
            .arg(script)
            .args(args)
            .env("CLUSTER_DIR", self.dir.path())
            .env("CLUSTER_PORT", self.port.to_string())
            .env("SALES_SERVER", env!("CARGO_BIN_EXE_sales"))
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/cluster {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.run(&["stop"]);
    }
}

/// Three servers behind nginx on one PostgreSQL, under a load of orders, deliveries,
/// invoice issues, payments and invoice mail; server 2 is killed and restarted twice.
/// Afterwards every acknowledged write is there, the stock and number checks are clean, no
/// one was signed out, and each invoice's mail arrived under one Message-ID.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "PostgreSQL only: scripts/test runs it with TEST_DATABASE_URL and --include-ignored"]
async fn three_servers_behind_nginx_lose_nothing_when_one_is_killed() {
    use crate::support::load;
    use crate::support::{fresh_database, on_postgres};

    assert!(on_postgres(), "set TEST_DATABASE_URL to run this test");
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(&dir).await;
    let smtp = SmtpServer::start().await;
    let mut env = smtp.env();
    env.push(("DATABASE_URL", url.clone()));
    env.push(("INVOICE_POLICY", "ordered".into()));
    env.push(("MAIL_LEASE_SECONDS", "2".into()));
    let cluster = Cluster {
        dir: tempfile::tempdir().unwrap(),
        port: crate::process::free_port(),
        env,
    };
    cluster.run(&["start", "3"]);
    let running = load::start(&format!("http://127.0.0.1:{}", cluster.port), 6).await;
    for round in 0..2 {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        cluster.run(&["kill", "2"]);
        eprintln!("round {round}: server 2 killed");
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        cluster.run(&["restart", "2"]);
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let acked = running.finish().await;
    assert!(
        acked.mails.len() > 10,
        "the load ran: {}",
        acked.mails.len()
    );
    load::verify(&url, &acked).await;
    for check in ["check-stock", "check-numbers"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sales"))
            .arg(check)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{check}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Each acknowledged mail arrives (one claimed by the killed server once its lease
    // ends), under one Message-ID however often it was tried.
    for number in &acked.mails {
        let subject = format!("Invoice {number}");
        let mut ids = Vec::new();
        for _ in 0..200 {
            ids = smtp.message_ids_containing(&subject);
            if !ids.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "{subject}: {ids:?}");
    }
    let sent = smtp.count_containing("Subject: Invoice ");
    eprintln!(
        "{} invoice mails acknowledged, {sent} messages received",
        acked.mails.len()
    );
}

/// Whether `server` takes `cookie` as signed in.
async fn signed_in(server: &TestApp, cookie: &str) -> bool {
    server.who_with(cookie).await.is_some()
}

/// A fresh session of `username` (a plain client: its cookie is ours to send).
async fn session_of(app: &TestApp, username: &str) -> String {
    let res = app
        .sign_in_with(&reqwest::Client::new(), username, PASSWORD)
        .await;
    assert_eq!(res.status(), 200, "{username} signs in");
    session_cookie(&res, username)
}

/// Asks `server` until it no longer takes `cookie`; fails if that takes a second or more.
async fn ends_within_a_second(server: &TestApp, cookie: &str, what: &str) {
    let started = std::time::Instant::now();
    while signed_in(server, cookie).await {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{what}: the other server still took the session after a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Each server keeps sessions and users it has read for a moment (`auth::fresh`). A session
/// ended through one server — signed out, its user deactivated, its password changed — ends
/// at once there, and on the other server (whose copy was fresh) within a second.
#[tokio::test]
async fn a_session_ended_on_one_server_ends_on_the_other_within_a_second() {
    let app = spawn_app().await;
    app.register("admin").await;
    let twin = app.twin().await;
    let mut ids = Vec::new();
    for name in ["ann", "bob", "cid"] {
        ids.push(client_with_role(&app, name, Role::Sales).await.1);
    }

    // Signed out through the first server.
    let ann = session_of(&app, "ann").await;
    assert!(signed_in(&twin, &ann).await, "the twin holds a fresh copy");
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/logout"))
        .header("cookie", &ann)
        .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(!signed_in(&app, &ann).await, "signed out where it happened");
    ends_within_a_second(&twin, &ann, "signed out").await;

    // Deactivated by the admin through the first server.
    let bob = session_of(&app, "bob").await;
    assert!(signed_in(&twin, &bob).await);
    assert!(signed_in(&app, &bob).await);
    let res = app
        .call(
            "/api/users/active",
            &serde_json::json!({ "id": ids[1], "active": false }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        !signed_in(&app, &bob).await,
        "deactivated where it happened"
    );
    ends_within_a_second(&twin, &bob, "deactivated").await;

    // A password changed in one session ends the user's other sessions.
    let (kept, other) = (session_of(&app, "cid").await, session_of(&app, "cid").await);
    assert!(
        signed_in(&twin, &kept).await,
        "the twin copies both sessions"
    );
    assert!(signed_in(&twin, &other).await);
    assert!(signed_in(&app, &other).await);
    let new_password = "plum tractor velvet harbour";
    let res = reqwest::Client::new()
        .post(app.url("/api/auth/password"))
        .header("cookie", &kept)
        .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
        .json(&serde_json::json!({
            "current": PASSWORD, "password": new_password, "confirm": new_password,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // A sign-in on the twin with the new password makes it read cid anew while its copy of
    // `kept` (bound to the old password) may still be fresh. That copy must be read again,
    // not trusted: trusted, it would no longer match cid and the session would be ended.
    let res = twin
        .sign_in_with(&reqwest::Client::new(), "cid", new_password)
        .await;
    assert_eq!(res.status(), 200);
    assert!(signed_in(&twin, &session_cookie(&res, "cid on the twin")).await);
    assert!(
        signed_in(&twin, &kept).await,
        "the session that changed it stays"
    );
    assert!(!signed_in(&app, &other).await, "ended where it happened");
    ends_within_a_second(&twin, &other, "password changed").await;
    assert!(signed_in(&twin, &kept).await);
    assert!(signed_in(&app, &kept).await);
}
