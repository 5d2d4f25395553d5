//! First load on a phone: how long the order entry page takes to become usable on a slow
//! mobile network, in headless Chromium, against the release-built server.
//!
//! Each run is a fresh browser (an empty cache), 375 px wide, signed in, on Chrome DevTools'
//! "Fast 3G" profile (562.5 ms round trip, 180 kB/s down, 84 kB/s up). It opens
//! `/orders/new` and reports:
//! - first paint (the server-rendered page shows);
//! - interactive: the app has hydrated (`data-hydrated="true"`), so buttons and fields work;
//! - what the bundle cost on the wire and unpacked.
//!
//! `cargo bench --features server --bench first_load -- [--server PATH] [--runs N]
//! [--unthrottled]`; the server defaults to `target/dx/sales/release/web/server`.

#[path = "../tests/common/accounts.rs"]
mod accounts;
#[path = "../tests/common/process.rs"]
mod process;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

use process::{
    CHROME_FLAGS, ChildGuard, chromium_binary, free_port, server_command, start_chromedriver,
    wait_http_ok,
};

/// The account each run signs in as.
const USER: &str = "phone";

/// Chrome DevTools' "Fast 3G" preset, as its network panel defines it.
const FAST_3G: NetworkConditions = NetworkConditions {
    latency_ms: 562.5,
    download_bytes_per_s: 180_000.0,
    upload_bytes_per_s: 84_375.0,
};

#[derive(Debug, Clone, Copy)]
struct NetworkConditions {
    latency_ms: f64,
    download_bytes_per_s: f64,
    upload_bytes_per_s: f64,
}

/// chromedriver's own command for network throttling (Chromium only).
#[derive(Debug)]
struct Throttle(NetworkConditions);

impl WebDriverCompatibleCommand for Throttle {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/chromium/network_conditions",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let c = self.0;
        let body = json!({ "network_conditions": {
            "offline": false,
            "latency": c.latency_ms,
            "download_throughput": c.download_bytes_per_s,
            "upload_throughput": c.upload_bytes_per_s,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}

struct Args {
    server: PathBuf,
    runs: usize,
    throttle: Option<NetworkConditions>,
}

fn parse_args() -> Args {
    let mut args = Args {
        server: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/dx/sales/release/web/server"),
        runs: 5,
        throttle: Some(FAST_3G),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => args.server = value().into(),
            "--runs" => args.runs = value().parse().expect("--runs N"),
            "--unthrottled" => args.throttle = None,
            "--bench" => {}
            other => panic!("unknown option {other}"),
        }
    }
    args
}

/// One load's figures, in milliseconds from the start of navigation, and bytes.
#[derive(Debug)]
struct Load {
    first_paint: f64,
    /// When the bundle's download started and ended.
    wasm_from: f64,
    wasm_to: f64,
    interactive: f64,
    wasm_wire: u64,
    wasm_unpacked: u64,
    encoding: String,
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = parse_args();
    assert!(
        args.server.exists(),
        "{} is missing: dx build --web --fullstack true --release",
        args.server.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let database_url = format!("sqlite://{}/first-load.db?mode=rwc", dir.path().display());
    let _server = ChildGuard(
        server_command(&args.server, dir.path(), port, &database_url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_http_ok(&format!("{base}/health"), Duration::from_secs(60)).await;
    sign_up(&base).await;

    let (_driver, driver) = start_chromedriver(free_port()).await;

    println!(
        "first load of /orders/new, 375 px, {}, {} runs, server {}",
        if args.throttle.is_some() {
            "Fast 3G"
        } else {
            "unthrottled"
        },
        args.runs,
        args.server.display()
    );
    let mut loads = Vec::new();
    for run in 1..=args.runs {
        let load = measure(&driver, &base, args.throttle).await;
        println!(
            "run {run}: first paint {:.0} ms, wasm download {:.0}–{:.0} ms, interactive {:.0} ms, wasm {} kB on the wire ({}), {} kB unpacked",
            load.first_paint,
            load.wasm_from,
            load.wasm_to,
            load.interactive,
            load.wasm_wire / 1000,
            load.encoding,
            load.wasm_unpacked / 1000
        );
        loads.push(load);
    }
    let median = |f: fn(&Load) -> f64| {
        let mut v: Vec<f64> = loads.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "median: first paint {:.0} ms, interactive {:.0} ms",
        median(|l| l.first_paint),
        median(|l| l.interactive)
    );
}

/// Registers the first account (an admin), which every run signs in as.
async fn sign_up(base: &str) {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/auth/register"))
        .header(accounts::CLIENT_HEADER.0, accounts::CLIENT_HEADER.1)
        .json(&accounts::register_body(USER))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "register");
}

async fn measure(driver: &str, base: &str, throttle: Option<NetworkConditions>) -> Load {
    let mut flags: Vec<String> = CHROME_FLAGS.iter().map(|s| s.to_string()).collect();
    flags.push("--window-size=375,812".into());
    let caps = json!({
        // Navigation returns at once; the page is watched from the script below.
        "pageLoadStrategy": "none",
        "goog:chromeOptions": { "binary": chromium_binary(), "args": flags },
    });
    let client: Client = ClientBuilder::rustls()
        .expect("a TLS setup")
        .capabilities(caps.as_object().unwrap().clone())
        .connect(driver)
        .await
        .expect("a browser session");
    // Sign in from a page of the app's origin that loads nothing else, so the cache stays
    // empty for the page measured.
    client.goto(&format!("{base}/health")).await.unwrap();
    wait_for(&client, "return document.readyState === 'complete' || null").await;
    let signed_in = client
        .execute_async(
            r#"
            const [body, done] = arguments;
            fetch('/api/auth/login', {
                method: 'POST',
                credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json', 'X-Request-Client': 'dioxus' },
                body: JSON.stringify(body),
            }).then(r => done(r.status), () => done(0));
            "#,
            vec![accounts::login_body(USER, accounts::PASSWORD)],
        )
        .await
        .unwrap();
    assert_eq!(signed_in, json!(200), "sign in");
    if let Some(conditions) = throttle {
        client.issue_cmd(Throttle(conditions)).await.unwrap();
    }
    client.goto(&format!("{base}/orders/new")).await.unwrap();
    let interactive = wait_for(
        &client,
        r#"return document.querySelector('.shell[data-hydrated="true"]') ? performance.now() : null"#,
    )
    .await
    .as_f64()
    .unwrap();
    let figures = client
        .execute(
            r#"
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm'));
            return {
                paint: paint ? paint.startTime : null,
                wire: wasm ? wasm.transferSize : 0,
                wasm_start: wasm ? wasm.startTime : null,
                wasm_end: wasm ? wasm.responseEnd : null,
                encoded: wasm ? wasm.encodedBodySize : 0,
                decoded: wasm ? wasm.decodedBodySize : 0,
            };
            "#,
            vec![],
        )
        .await
        .unwrap();
    client.close().await.unwrap();
    let (encoded, decoded) = (
        figures["encoded"].as_u64().unwrap_or(0),
        figures["decoded"].as_u64().unwrap_or(0),
    );
    Load {
        first_paint: figures["paint"].as_f64().unwrap_or(f64::NAN),
        wasm_from: figures["wasm_start"].as_f64().unwrap_or(f64::NAN),
        wasm_to: figures["wasm_end"].as_f64().unwrap_or(f64::NAN),
        interactive,
        wasm_wire: figures["wire"].as_u64().unwrap_or(0),
        wasm_unpacked: decoded,
        encoding: if encoded > 0 && encoded < decoded {
            "compressed".into()
        } else {
            "uncompressed".into()
        },
    }
}

/// Runs `script` every 10 ms until it returns something other than null (up to 3 minutes).
async fn wait_for(client: &Client, script: &str) -> Value {
    for _ in 0..18_000 {
        // While the page is replaced, a script may fail; the next try sees the new page.
        if let Ok(v) = client.execute(script, vec![]).await
            && !v.is_null()
        {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the page never answered: {script}");
}
