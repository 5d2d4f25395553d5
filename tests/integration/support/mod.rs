//! The harness every integration test uses: `spawn_app()` starts the real router on a fresh
//! database; `api` calls each endpoint with the crate's own form types; `fixtures` builds the
//! usual starting points (a shop with stock, an account with a role, an app with mail); `smtp`
//! is a real mail server on loopback.

pub mod api;
pub mod fixtures;
pub mod load;
pub mod smtp;
pub mod surface;

use std::collections::HashMap;
use std::net::SocketAddr;

use sales::server::{AppState, Config, prepare, serve_on};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde::Serialize;

pub use crate::accounts::CLIENT_HEADER;
pub use crate::accounts::PASSWORD;
use crate::accounts::{login_body, register_body};

pub struct TestApp {
    pub base: String,
    /// Keeps cookies between requests, like a browser.
    pub client: reqwest::Client,
    pub state: AppState,
    database_url: String,
    /// Ends the server (and its background work) when sent or dropped.
    stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET failed")
    }

    /// Register `username` (with `PASSWORD`) through the API; the client is signed in after.
    /// The first account of an app becomes admin.
    pub async fn register(&self, username: &str) -> reqwest::Response {
        self.call("/api/auth/register", &register_body(username))
            .await
    }

    /// Register `username` from another client (another browser): after the first account,
    /// a request that waits for an admin.
    pub async fn register_with(
        &self,
        client: &reqwest::Client,
        username: &str,
    ) -> reqwest::Response {
        self.call_with(client, "/api/auth/register", &register_body(username))
            .await
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> reqwest::Response {
        self.sign_in_with(&self.client, login, password).await
    }

    /// Sign in on another client (another browser).
    pub async fn sign_in_with(
        &self,
        client: &reqwest::Client,
        login: &str,
        password: &str,
    ) -> reqwest::Response {
        self.call_with(client, "/api/auth/login", &login_body(login, password))
            .await
    }

    /// Who a bare request carrying `cookie` (from `session_cookie`) is signed in as here.
    pub async fn who_with(&self, cookie: &str) -> Option<String> {
        let res = reqwest::Client::new()
            .get(self.url("/api/auth/me"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        let me: Option<sales::auth::CurrentUser> = res.json().await.unwrap();
        me.map(|u| u.username)
    }

    /// Another browser: same app, its own cookie jar.
    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A server-function call exactly as the dioxus client makes it.
    pub async fn call(&self, path: &str, body: &impl Serialize) -> reqwest::Response {
        self.call_with(&self.client, path, body).await
    }

    /// The same call from another client (another browser).
    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &impl Serialize,
    ) -> reqwest::Response {
        self.post_raw(client, path)
            .json(body)
            .send()
            .await
            .expect("POST failed")
    }

    /// A server-function call that a trusted proxy forwarded from `ip` (the app must list
    /// 127.0.0.1 in `TRUSTED_PROXIES`).
    pub async fn call_from(
        &self,
        ip: &str,
        path: &str,
        body: &impl Serialize,
    ) -> reqwest::Response {
        self.post_raw(&self.client, path)
            .header("x-forwarded-for", ip)
            .json(body)
            .send()
            .await
            .expect("POST failed")
    }

    /// A POST carrying the header the dioxus client sends, for a body the test builds itself: malformed JSON, an upload.
    pub fn post_raw(&self, client: &reqwest::Client, path: &str) -> reqwest::RequestBuilder {
        client
            .post(self.url(path))
            .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
    }
}

/// The text of a PDF, laid out as on the page, by `pdftotext` (Debian's poppler-utils).
pub fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (scripts/setup installs poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Is this run against PostgreSQL?
pub fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The configuration of a live site: an https `BASE_URL`, and the SMTP a live site must have
/// to start (none listens there, and none is needed).
pub const LIVE_SITE: &[(&str, &str)] = &[
    ("BASE_URL", "https://sales.example.com"),
    ("SMTP_HOST", "127.0.0.1"),
    ("SMTP_PORT", "9"),
    ("SMTP_TLS", "none"),
    ("SMTP_FROM", "sales@example.com"),
];

/// Start the app with extra configuration (e.g. a short session timeout).
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let database_url = fresh_database(&dir).await;
    start(dir, database_url, extra).await
}

impl TestApp {
    /// Stops this server and its background work, then starts a new one on the same
    /// database with `extra` configuration: a restart.
    pub async fn restart(self, extra: &[(&str, &str)]) -> TestApp {
        let TestApp {
            database_url,
            stop,
            _dir,
            ..
        } = self;
        let _ = stop.send(());
        start(_dir, database_url, extra).await
    }
}

impl TestApp {
    /// Another server on this one's database, as a second instance behind a load balancer:
    /// its own process-local state (queues, caches), the database shared.
    pub async fn twin(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        start(dir, self.database_url.clone(), &[]).await
    }
}

/// `n` servers started at once on one fresh database, with `extra` configuration.
pub async fn spawn_instances(n: usize, extra: &[(&str, &str)]) -> Vec<TestApp> {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = fresh_database(&dir).await;
    let starts = (0..n).map(|_| {
        let url = url.clone();
        async move { start(tempfile::tempdir().expect("tempdir"), url, extra).await }
    });
    let apps = futures::future::join_all(starts).await;
    // The database's folder (SQLite's file) lives as long as the first server.
    let mut apps = apps;
    apps[0]._dir = dir;
    apps
}

async fn start(dir: tempfile::TempDir, database_url: String, extra: &[(&str, &str)]) -> TestApp {
    // `TEST_LOG=1` shows the server's log (a 500's logged cause) with `--nocapture`.
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    }
    let mut env: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.clone()),
        ("SESSION_KEY".into(), "ab".repeat(64)),
    ]);
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("test config");

    let state = prepare(config).await.expect("prepare app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    tokio::spawn(serve_on(listener, state.clone(), shutdown));

    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        state,
        database_url,
        stop,
        _dir: dir,
    }
}

/// A temp SQLite file (not `sqlite::memory:`, which gives each pooled connection its own
/// empty database), or a brand-new PostgreSQL database on the test server.
pub async fn fresh_database(dir: &tempfile::TempDir) -> String {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        return format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    };
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        dir.path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    );
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL has a database name");
    format!("{base}/{name}")
}

/// The `sales_session` cookie a response set, as a request header value: sent by hand, it
/// outlives a cookie jar that would drop it at sign-out.
pub fn session_cookie(res: &reqwest::Response, what: &str) -> String {
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("sales_session="))
        .unwrap_or_else(|| panic!("no session cookie set by {what}: {:?}", res.headers()));
    set.split(';').next().unwrap().to_string()
}
