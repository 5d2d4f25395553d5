//! Starts the built server on a fresh database plus a chromedriver, hands the test a browser,
//! and saves a screenshot when the test fails.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;

use crate::process::{
    CHROME_FLAGS, ChildGuard, built_server, chromium_binary, free_port, screenshot_dir,
    server_command, start_chromedriver, wait_http_ok,
};

/// A page-driving handle: the WebDriver client, the app's base URL, and the file the
/// server's output goes to.
#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    pub base: String,
    pub server_log: PathBuf,
    /// The server's database, for a test that needs more rows than it can enter by hand.
    pub database_url: String,
}

impl Browser {
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// Waits (up to 60 s: a debug wasm bundle is large) until the app has hydrated.
    pub async fn wait_hydrated(&self) {
        self.wait_for(r#".shell[data-hydrated="true"]"#).await;
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Type into the form field (input or text area) named `name` (waits for it first).
    pub async fn fill(&self, name: &str, text: &str) {
        let field = self.wait_for(&format!(r#"[name="{name}"]"#)).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// A real double click (two presses in one gesture, as a mouse sends them) on `css`.
    pub async fn double_click(&self, css: &str) {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let element = self.wait_for(css).await;
        let press = |m: MouseActions| {
            m.then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            })
        };
        let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        self.client
            .perform_actions(press(press(mouse)))
            .await
            .unwrap();
    }

    /// Sign in through the real form; returns once the signed-in shell has hydrated.
    pub async fn sign_in(&self, login: &str, password: &str) {
        self.open("/login").await;
        self.wait_for(r#".auth-card[data-hydrated="true"]"#).await;
        self.fill("login", login).await;
        self.fill("password", password).await;
        self.click(r#"button[type="submit"]"#).await;
        self.wait_for("#current-user").await;
        self.wait_hydrated().await;
    }

    /// Call a server function from the page, with the browser's session, as the app would;
    /// answers the HTTP status and the JSON sent back (null when it was not JSON).
    async fn api_call(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let script = r#"
            const [path, body, done] = arguments;
            fetch(path, {
                method: 'POST',
                credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json', 'X-Request-Client': 'dioxus' },
                body: JSON.stringify(body),
            }).then(r => r.json().then(j => [r.status, j], () => [r.status, null]), () => [0, null])
              .then(done);
        "#;
        let answer = self
            .client
            .execute_async(script, vec![path.into(), body])
            .await
            .unwrap();
        (answer[0].as_u64().unwrap() as u16, answer[1].clone())
    }

    /// A server function's HTTP status, for setting up data a test is not about.
    pub async fn api_post(&self, path: &str, body: serde_json::Value) -> u16 {
        self.api_call(path, body).await.0
    }

    /// `api_post` that must succeed, answering the JSON the server sent back (the record
    /// made, with its id).
    pub async fn api_json(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, answer) = self.api_call(path, body).await;
        assert_eq!(status, 200, "{path}: {answer}");
        answer
    }

    /// Waits until the address bar satisfies `test` (client-side navigation is asynchronous).
    pub async fn wait_url(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        for _ in 0..300 {
            let url = self.client.current_url().await.unwrap().to_string();
            if test(&url) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the URL never showed {what}");
    }

    /// Waits until `css` matches nothing.
    pub async fn wait_gone(&self, css: &str) {
        for _ in 0..300 {
            if self
                .client
                .find_all(Locator::Css(css))
                .await
                .unwrap()
                .is_empty()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never went away");
    }

    /// The text of the first element matching `css`, once it contains `expected`.
    pub async fn wait_text(&self, css: &str, expected: &str) -> String {
        let mut last = String::new();
        for _ in 0..300 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(expected) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed {expected:?} (last: {last:?})");
    }

    /// Waits until the form field named `name` holds `expected` (a property, not an attribute,
    /// once the app renders the form itself).
    pub async fn wait_value(&self, name: &str, expected: &str) {
        let css = format!(r#"[name="{name}"]"#);
        let mut last = None;
        for _ in 0..300 {
            if let Ok(el) = self.client.find(Locator::Css(&css)).await {
                last = el.prop("value").await.unwrap_or_default();
                if last.as_deref() == Some(expected) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{name} never held {expected:?} (last: {last:?})");
    }

    /// Asserts nothing overflows sideways: the page is no wider than `width` pixels, no box
    /// scrolls sideways inside it, and no element reaches past its right edge.
    pub async fn assert_fits(&self, width: u64) {
        let script = r#"
            const w = document.documentElement.clientWidth;
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '');
            const all = [...document.querySelectorAll('body *')];
            const scrolls = all.filter(e => {
                const x = getComputedStyle(e).overflowX;
                return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1;
            }).map(name);
            const past = all.filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && r.left >= 0 && r.right > w + 1;
            }).map(name);
            return { page: document.documentElement.scrollWidth, scrolls, past: past.slice(0, 5) };
        "#;
        let found = self.client.execute(script, vec![]).await.unwrap();
        let url = self.client.current_url().await.unwrap();
        assert!(
            found["page"].as_u64().unwrap() <= width,
            "{url}: the page is wider than {width} px: {found}"
        );
        let none = |key: &str| found[key].as_array().is_none_or(|a| a.is_empty());
        assert!(
            none("scrolls"),
            "{url}: something scrolls sideways: {found}"
        );
        assert!(
            none("past"),
            "{url}: something reaches past the edge: {found}"
        );
    }

    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }
}

/// The account every browser test can sign in with (the first account, so an admin).
pub const ADMIN: &str = "admin";
pub use crate::accounts::PASSWORD;

async fn seed_admin(base: &str) {
    register_user(base, ADMIN).await;
}

/// Create an account through the API (the first one becomes admin).
pub async fn register_user(base: &str, username: &str) {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/auth/register"))
        .header(
            crate::accounts::CLIENT_HEADER.0,
            crate::accounts::CLIENT_HEADER.1,
        )
        .json(&crate::accounts::register_body(username))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "register {username}: {}",
        res.text().await.unwrap()
    );
}

/// Runs `body` against a fresh app in a `width`×`height` window. On failure a screenshot is
/// saved as `target/e2e-screenshots/<name>-failed.png` before the failure is passed on.
pub async fn browser_test<F, Fut>(name: &str, size: (u32, u32), body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()>,
{
    browser_test_with(name, size, true, body).await
}

/// `browser_test`, with JavaScript on or off (off: the page as it is before the app loads).
pub async fn browser_test_with<F, Fut>(
    name: &str,
    (width, height): (u32, u32),
    javascript: bool,
    body: F,
) where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()>,
{
    // fantoccini's TLS stack pulls in a second rustls backend; pick one explicitly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let app_port = free_port();
    let server_log = dir.path().join("server.log");
    let log_file = std::fs::File::create(&server_log).unwrap();
    let database_url = format!("sqlite://{}/e2e.db?mode=rwc", dir.path().display());
    let _server = ChildGuard(
        server_command(built_server(), dir.path(), app_port, &database_url)
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .expect("start the built server"),
    );
    let base = format!("http://127.0.0.1:{app_port}");
    wait_http_ok(&format!("{base}/health"), Duration::from_secs(60)).await;
    seed_admin(&base).await;

    let (_driver, driver) = start_chromedriver(free_port()).await;

    let profile = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = CHROME_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.push(format!("--window-size={width},{height}"));
    // 2 blocks scripts on every site, as a browser with JavaScript off does.
    let scripts = if javascript { 1 } else { 2 };
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium_binary(),
            "args": args,
            "prefs": { "profile.managed_default_content_settings.javascript": scripts },
        }
    });
    let client = ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&driver)
        .await
        .expect("start a Chromium session");
    client.set_window_size(width, height).await.unwrap();

    let browser = Browser {
        client,
        base,
        server_log,
        database_url,
    };
    let outcome = AssertUnwindSafe(body(browser.clone())).catch_unwind().await;
    if outcome.is_err() {
        let path = browser.screenshot(&format!("{name}-failed")).await;
        eprintln!("screenshot of the failure: {}", path.display());
    }
    let _ = browser.client.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
