//! Desktop tests: the installed package (`/usr/bin/sales`, or `SALES_DESKTOP_APP`) in a real
//! window under Xvfb, in both modes, driven by xdotool and read back by tesseract.
//!
//! They need the package built and installed, so plain `cargo test` lists them as ignored;
//! `scripts/test-desktop` builds it, installs it with `dpkg -i` and runs them.

#[path = "../common/accounts.rs"]
mod accounts;
#[path = "../common/process.rs"]
mod process;
mod screen;

use accounts::{CLIENT_HEADER, PASSWORD, login_body, register_body};
use process::{ChildGuard, built_server, free_port, server_command, wait_http_ok};
use screen::{Screen, Word, anywhere};
use sea_orm::{ConnectionTrait, Database, Statement};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN: &str = "admin";
/// The sidebar's right edge at the window's width: nav words are left of it.
const SIDEBAR: i32 = 232;

fn app_binary() -> PathBuf {
    let path = PathBuf::from(
        std::env::var("SALES_DESKTOP_APP").unwrap_or_else(|_| "/usr/bin/sales".into()),
    );
    assert!(
        path.exists(),
        "{} is missing: build and install the package (scripts/test-desktop does)",
        path.display()
    );
    path
}

/// The desktop app, run as a person with `home` as their home folder.
struct App {
    child: ChildGuard,
    home: PathBuf,
}

impl App {
    fn launch(screen: &Screen, home: &Path) -> Self {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(home.join("app.log"))
            .unwrap();
        let mut cmd = Command::new(app_binary());
        cmd.current_dir(home)
            .env("HOME", home)
            .env("DISPLAY", &screen.display)
            .env("RUST_LOG", "info")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        Self {
            child: ChildGuard(cmd.spawn().expect("start the desktop app")),
            home: home.to_path_buf(),
        }
    }

    /// Quit from the keyboard (the menu's Ctrl+Q) and wait for the window to go.
    fn quit(mut self, screen: &Screen) {
        screen.key("ctrl+q");
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.0.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the app did not quit on Ctrl+Q");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn data(&self) -> PathBuf {
        self.home.join(".local/share/sales")
    }
}

/// Sign in on the server's own sign-in page, shown in the window.
fn sign_in(screen: &Screen, name: &str) {
    let field = screen.wait_word(&format!("{name}-sign-in"), "Username", anywhere);
    screen.fill_form(&field, &[ADMIN, PASSWORD]);
}

/// Open the orders list from the sidebar and wait for `client` in it; the screenshot is kept.
fn open_orders(screen: &Screen, name: &str, client: &str) {
    let nav = screen.wait_word(&format!("{name}-signed-in"), "Orders", |w| w.x < SIDEBAR);
    screen.click(&nav);
    screen.wait_word(&format!("{name}-orders"), client, |w: &Word| w.x > SIDEBAR);
}

/// A client with a draft order, entered through the API as `ADMIN`.
async fn seed_order(base: &str, client: &str) {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let call = |path: &str, body: serde_json::Value| {
        http.post(format!("{base}{path}"))
            .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
            .json(&body)
            .send()
    };
    let ok = |res: reqwest::Response| {
        assert!(res.status().is_success(), "{}", res.status());
        res
    };
    ok(call("/api/auth/login", login_body(ADMIN, PASSWORD))
        .await
        .unwrap());
    let form = serde_json::json!({ "form": {
        "name": client, "email": "orders@harbour.example", "contact": "Nia Walsh",
        "phone": "+44 117 555 0100", "billing_address": "3 Dock Road\nCardiff",
        "payment_terms_days": 30,
    }});
    ok(call("/api/clients/create", form).await.unwrap());
    let form = serde_json::json!({ "form": {
        "sku": "DESK-1", "name": "Desk lamp", "unit": "pcs", "unit_price": "25.00",
        "tax_rate": "19", "reorder_level": "0",
    }});
    ok(call("/api/products/create", form).await.unwrap());
    let get = |path: String| http.get(format!("{base}{path}")).send();
    let rows = |v: serde_json::Value| v["rows"][0]["id"].as_i64().unwrap();
    let product = rows(
        get("/api/stock/?q=DESK-1".into())
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    );
    let query = format!("/api/clients/?q={}", client.replace(' ', "%20"));
    let client_id = rows(get(query).await.unwrap().json().await.unwrap());
    let order = serde_json::json!({ "confirm": false, "form": { "client_id": client_id,
        "lines": [{ "product_id": product, "quantity": "2", "unit_price": "25" }] } });
    ok(call("/api/orders/create", order).await.unwrap());
}

/// How many sign-ins the audit trail holds for `ADMIN`.
async fn sign_ins(database_url: &str) -> i64 {
    let db = Database::connect(database_url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_events a JOIN users u ON u.id = a.actor_id \
             WHERE a.action = 'login.succeeded' AND u.username = 'admin'",
        ))
        .await
        .unwrap()
        .unwrap();
    let n: i64 = row.try_get("", "n").unwrap();
    db.close().await.unwrap();
    n
}

#[tokio::test]
#[ignore = "needs the installed package: run scripts/test-desktop"]
async fn a_company_server_chosen_at_first_start() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let database_url = format!("sqlite://{}/company.db?mode=rwc", dir.path().display());
    let server = company_server(dir.path(), port, &database_url).await;
    let base = format!("http://127.0.0.1:{port}");
    let res = reqwest::Client::new()
        .post(format!("{base}/api/auth/register"))
        .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
        .json(&register_body(ADMIN))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    seed_order(&base, "Harbour Supplies").await;
    let before = sign_ins(&database_url).await;

    let screen = Screen::start();
    let home = tempfile::tempdir().unwrap();
    let app = App::launch(&screen, home.path());

    // First start: the question, then a wrong address refused at the field.
    let field = screen.wait_word("desktop-company-choose", "Server", anywhere);
    screen.fill_form(&field, &["127.0.0.1:9"]);
    screen.wait_word("desktop-company-refused", "Nothing", anywhere);
    let field = screen.wait_word("desktop-company-choose-again", "Server", anywhere);
    screen.click(&field);
    screen.key("ctrl+a");
    screen.type_text(&base);
    screen.key("Return");

    sign_in(&screen, "desktop-company");
    open_orders(&screen, "desktop-company", "Harbour");

    // What the window showed came from this server: it recorded the sign-in.
    assert_eq!(sign_ins(&database_url).await, before + 1);
    let saved = std::fs::read_to_string(home.path().join(".config/sales/desktop.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["mode"], "server");
    assert_eq!(saved["url"], base.as_str());

    // The server goes away: a screen says so instead of a blank window; once it is back,
    // Try again brings its pages back.
    drop(server);
    screen.wait_word("desktop-company-unreachable", "Cannot", anywhere);
    let _server = company_server(dir.path(), port, &database_url).await;
    let retry = screen.wait_word("desktop-company-retry", "Try", anywhere);
    screen.click(&retry);
    open_orders(&screen, "desktop-company-back", "Harbour");
    app.quit(&screen);
}

/// The built server on `port`, as a company would run it, once it answers.
async fn company_server(dir: &Path, port: u16, database_url: &str) -> ChildGuard {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .unwrap();
    let server = ChildGuard(
        server_command(built_server(), dir, port, database_url)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    wait_http_ok(
        &format!("http://127.0.0.1:{port}/health"),
        Duration::from_secs(60),
    )
    .await;
    server
}

#[tokio::test]
#[ignore = "needs the installed package: run scripts/test-desktop"]
async fn on_this_computer_the_data_outlives_the_window() {
    let screen = Screen::start();
    let home = tempfile::tempdir().unwrap();
    let app = App::launch(&screen, home.path());
    let data = app.data();

    let choice = screen.wait_word("desktop-local-choose", "Use", anywhere);
    screen.click(&choice);

    // No account yet: the first one, made in the window, is the administrator.
    let create = screen.wait_word("desktop-local-first", "Create", anywhere);
    screen.click(&create);
    let field = screen.wait_word("desktop-local-register", "Username", anywhere);
    let email = format!("{ADMIN}@example.com");
    screen.fill_form(&field, &[ADMIN, "Ada", "Admin", &email, PASSWORD, PASSWORD]);
    screen.wait_word("desktop-local-dashboard", "Dashboard", |w| w.x > SIDEBAR);

    let base = local_url(&data);
    seed_order(&base, "Harbour Supplies").await;
    open_orders(&screen, "desktop-local", "Harbour");
    let database_url = format!("sqlite://{}?mode=ro", data.join("sales.db").display());
    assert!(sign_ins(&database_url).await >= 1);

    // The menu's data folder: where the data is and how to back it up; Back returns.
    let menu = screen.wait_word("desktop-local-menu", "Sales", |w| w.y < 25);
    screen.click(&menu);
    let item = screen.wait_word("desktop-local-menu-open", "Data", |w| w.y < 200);
    screen.click(&item);
    screen.wait_word("desktop-local-data-folder", "Open", anywhere);
    let back = screen.wait_word("desktop-local-data-folder", "Back", anywhere);
    screen.click(&back);
    open_orders(&screen, "desktop-local-back", "Harbour");

    // Closing the window stops the server cleanly.
    app.quit(&screen);
    wait_log(&data.join("server.log"), "stopped cleanly");

    // Reopened: straight to this computer's server, still signed in (the session and its key
    // are in the data folder), with the order.
    let app = App::launch(&screen, home.path());
    open_orders(&screen, "desktop-local-reopened", "Harbour");
    app.quit(&screen);
    wait_log(&data.join("server.log"), "stopped cleanly");
}

/// The loopback address the app's own server said it listens on (the latest start).
fn local_url(data: &Path) -> String {
    let log = std::fs::read_to_string(data.join("server.log")).unwrap();
    let line = log
        .lines()
        .rev()
        .find(|l| l.contains("listening on "))
        .expect("the server logged its address");
    let addr = line.split("listening on ").nth(1).unwrap();
    let addr = addr.split_whitespace().next().unwrap();
    format!("http://{addr}")
}

/// Waits until `file` says `what` the latest time the server ran.
fn wait_log(file: &Path, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = std::fs::read_to_string(file).unwrap_or_default();
        let last_run = log.rsplit("listening on ").next().unwrap_or("");
        if last_run.contains(what) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} never said '{what}':\n{log}",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "needs the installed package: run scripts/test-desktop"]
fn the_package_installs_a_launcher_entry_with_its_icon() {
    let out = Command::new("dpkg").args(["-L", "sales"]).output().unwrap();
    assert!(out.status.success(), "the package is not installed");
    let files = String::from_utf8(out.stdout).unwrap();
    for path in [
        "/usr/bin/sales",
        "/usr/lib/sales/server",
        "/usr/lib/sales/public/index.html",
        "/usr/share/applications/sales.desktop",
        "/usr/share/icons/hicolor/192x192/apps/sales.png",
        "/usr/share/icons/hicolor/512x512/apps/sales.png",
    ] {
        assert!(
            files.lines().any(|l| l == path),
            "{path} is not in the package"
        );
        assert!(Path::new(path).exists(), "{path} is not installed");
    }
    let entry = std::fs::read_to_string("/usr/share/applications/sales.desktop").unwrap();
    let field = |key: &str| {
        entry
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("the launcher entry has no {key}"))
            .to_string()
    };
    assert_eq!(field("Type"), "Application");
    assert_eq!(field("Name"), "Sales");
    // The launcher finds the program on PATH and the icon in the theme by these names.
    assert_eq!(field("Exec"), "sales");
    assert_eq!(field("Icon"), "sales");
    // Its libraries come from the package's dependencies, worked out by dpkg-shlibdeps.
    let depends = Command::new("dpkg-query")
        .args(["-W", "-f=${Depends}", "sales"])
        .output()
        .unwrap();
    let depends = String::from_utf8(depends.stdout).unwrap();
    assert!(depends.contains("libwebkit2gtk-4.1"), "Depends: {depends}");
}
