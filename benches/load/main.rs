//! Benchmark: data generator + HTTP load driver against the release-built server.
//!
//! `scripts/bench` builds the app and runs this. It:
//! 1. migrates a fresh database and fills it with generated data;
//! 2. measures server start-up (process spawn to first healthy answer) on that database;
//! 3. drives each scenario over loopback HTTP and prints throughput and p50/p95/p99.
//!
//! Options (after `--`): `--server PATH`, `--rows N` (generated audit events), `--clients N`
//! (generated clients), `--products N`, `--movements N`, `--orders N`, `--only
//! core|clients|stock|orders|deliveries|invoices|reports` (one group of scenarios; deliveries,
//! invoices and reports' invoices are generated for the generated orders), `--requests N` and `--concurrency N`
//! per scenario, `--reuse` (with `BENCH_DATABASE_URL`: run on the data a previous run
//! generated there, signing in as its user, instead of generating it again), `--balanced N`
//! (N servers behind nginx, as `scripts/cluster` runs them; needs PostgreSQL), `--callgrind
//! DIR` (the server under callgrind: instructions per request, dumps in DIR). Set
//! `BENCH_DATABASE_URL` to run on PostgreSQL; `SQLITE_SYNCHRONOUS` goes through to the server.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sales::server::entities::audit_event;
use sales::server::{Config, prepare};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};

#[path = "../../tests/common/accounts.rs"]
mod accounts;
#[path = "../../tests/common/process.rs"]
mod process;
use process::{ChildGuard, free_port, server_command, wait_http_ok};

mod callgrind;
mod clients;
mod cluster;
mod deliveries;
mod invoices;
mod orders;
mod reports;
mod stock;

struct Args {
    server: PathBuf,
    rows: usize,
    clients: usize,
    products: usize,
    movements: usize,
    orders: usize,
    requests: usize,
    concurrency: usize,
    /// Only this group of scenarios ("core" or "clients"); all when `None`.
    only: Option<String>,
    /// Run on the data already in `BENCH_DATABASE_URL`.
    reuse: bool,
    /// Run this many servers behind nginx (`scripts/cluster`) instead of one.
    balanced: Option<usize>,
    /// Run the server under callgrind, its dumps in this directory.
    callgrind: Option<PathBuf>,
}

impl Args {
    fn runs(&self, group: &str) -> bool {
        self.only.as_deref().is_none_or(|o| o == group)
    }
}

fn parse_args() -> Args {
    let mut args = Args {
        server: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/dx/sales/release/web/server"),
        rows: 100_000,
        clients: 100_000,
        products: 10_000,
        movements: 1_000_000,
        orders: 1_000_000,
        requests: 20_000,
        concurrency: 16,
        only: None,
        reuse: false,
        balanced: None,
        callgrind: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => args.server = value().into(),
            "--rows" => args.rows = value().parse().expect("--rows N"),
            "--clients" => args.clients = value().parse().expect("--clients N"),
            "--products" => args.products = value().parse().expect("--products N"),
            "--movements" => args.movements = value().parse().expect("--movements N"),
            "--orders" => args.orders = value().parse().expect("--orders N"),
            "--requests" => args.requests = value().parse().expect("--requests N"),
            "--concurrency" => args.concurrency = value().parse().expect("--concurrency N"),
            "--only" => args.only = Some(value()),
            "--reuse" => args.reuse = true,
            "--balanced" => args.balanced = Some(value().parse().expect("--balanced N")),
            "--callgrind" => args.callgrind = Some(value().into()),
            "--scenario" => SCENARIO.set(value()).expect("one --scenario"),
            "--bench" => {} // added by `cargo bench`
            other => panic!("unknown option {other}"),
        }
    }
    args
}

fn spawn_server(args: &Args, dir: &std::path::Path, database_url: &str, port: u16) -> ChildGuard {
    let mut cmd = match &args.callgrind {
        Some(out) => {
            let mut cmd = callgrind::wrap(&args.server, dir, out);
            cmd.env("IP", "127.0.0.1")
                .env("PORT", port.to_string())
                .env("DATABASE_URL", database_url);
            cmd
        }
        None => server_command(&args.server, dir, port, database_url),
    };
    // Passed through, to compare SQLite's `full` and `normal` syncing on the same data.
    if let Ok(sync) = std::env::var("SQLITE_SYNCHRONOUS") {
        cmd.env("SQLITE_SYNCHRONOUS", sync);
    }
    ChildGuard(
        cmd.env("RUST_LOG", "warn")
            // Orders entered during the run can be invoiced without delivering them first.
            .env("INVOICE_POLICY", "ordered")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", args.server.display())),
    )
}

/// Data generator: `rows` audit events in batched transactions (the only table every module
/// shares so far; later modules add their own generators here).
async fn generate(db: &sea_orm::DatabaseConnection, rows: usize) {
    let started = Instant::now();
    let now = chrono::Utc::now();
    for chunk_start in (0..rows).step_by(5_000) {
        let txn = db.begin().await.unwrap();
        // 5k rows a transaction, 500 a statement (well under SQLite's bind-parameter limit).
        for batch_start in (chunk_start..(chunk_start + 5_000).min(rows)).step_by(500) {
            let batch =
                (batch_start..(batch_start + 500).min(rows)).map(|i| audit_event::ActiveModel {
                    at: Set(now - chrono::Duration::seconds(i as i64)),
                    actor_id: Set(Some((i % 50) as i64)),
                    action: Set(["created", "updated", "confirmed"][i % 3].to_string()),
                    entity: Set(["order", "client", "product"][i % 3].to_string()),
                    entity_id: Set(Some((i / 3).to_string())),
                    details: Set(format!("generated event {i}")),
                    ..Default::default()
                });
            audit_event::Entity::insert_many(batch)
                .exec(&txn)
                .await
                .unwrap();
        }
        txn.commit().await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {rows} audit events in {secs:.2} s ({:.0} rows/s)",
        rows as f64 / secs
    );
}

pub struct Stats {
    name: &'static str,
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// Instructions the server executed per request, with `--callgrind`.
    instructions: Option<u64>,
}

/// `--scenario TEXT`: only the scenarios whose name contains it (or one of its `|`-separated
/// parts) run, to profile one alone.
static SCENARIO: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Whether the scenario `name` runs (`--scenario a|b`: its name contains a or b).
fn selected(name: &str) -> bool {
    SCENARIO
        .get()
        .is_none_or(|only| only.split('|').any(|part| name.contains(part)))
}

impl Stats {
    fn pct(&self, p: f64) -> f64 {
        let idx = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[idx].as_secs_f64() * 1000.0
    }

    pub fn print(&self) {
        if self.requests == 0 {
            return; // left out by `--scenario`
        }
        let per_request = self
            .instructions
            .map(|i| format!(" {:>12}", i / self.requests.max(1) as u64))
            .unwrap_or_default();
        println!(
            "{:<28} {:>8} {:>7} {:>10.0} {:>9.2} {:>9.2} {:>9.2}{per_request}",
            self.name,
            self.requests,
            self.errors,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.pct(0.50),
            self.pct(0.95),
            self.pct(0.99),
        );
    }
}

/// Runs `op` `total` times from `concurrency` workers sharing one counter; `op` answers
/// whether the request succeeded.
pub async fn drive<F, Fut>(name: &'static str, total: usize, concurrency: usize, op: F) -> Stats
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    if !selected(name) {
        return Stats {
            name,
            requests: 0,
            errors: 0,
            elapsed: Duration::ZERO,
            latencies: Vec::new(),
            instructions: None,
        };
    }
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    callgrind::start();
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (op, next, errors) = (op.clone(), next.clone(), errors.clone());
            tokio::spawn(async move {
                let mut lat = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    let t = Instant::now();
                    if !op().await {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Stats {
        name,
        requests: total,
        errors: errors.load(Ordering::Relaxed),
        elapsed,
        latencies,
        instructions: callgrind::stop(name),
    }
}

pub async fn get_ok(client: &reqwest::Client, url: &str) -> bool {
    match client.get(url).send().await {
        Ok(res) if res.status().is_success() => res.bytes().await.is_ok(),
        _ => false,
    }
}

/// `requests` GETs of `path` through `client` (and so its cookies), after a warm-up.
pub async fn load(
    name: &'static str,
    client: &reqwest::Client,
    base: &str,
    path: &str,
    requests: usize,
    concurrency: usize,
) -> Stats {
    let url = format!("{base}{path}");
    for _ in 0..200 {
        get_ok(client, &url).await;
    }
    let client = client.clone();
    drive(name, requests, concurrency, move || {
        let (client, url) = (client.clone(), url.clone());
        async move { get_ok(&client, &url).await }
    })
    .await
}

/// GETs cycling through `paths` (so no single query is cached by luck).
pub async fn cycle(
    name: &'static str,
    client: &reqwest::Client,
    base: &str,
    paths: &[String],
    requests: usize,
    concurrency: usize,
) -> Stats {
    let urls: std::sync::Arc<Vec<String>> =
        std::sync::Arc::new(paths.iter().map(|p| format!("{base}{p}")).collect());
    for u in urls.iter().take(50) {
        get_ok(client, u).await;
    }
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let client = client.clone();
    drive(name, requests, concurrency, move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (client, url) = (client.clone(), urls[i % urls.len()].clone());
        async move { get_ok(&client, &url).await }
    })
    .await
}

#[tokio::main]
async fn main() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .try_init();
    let args = parse_args();
    assert!(
        args.server.exists(),
        "{} is missing: run scripts/bench (it builds the release server first)",
        args.server.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let database_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()));
    let env: HashMap<&str, String> = HashMap::from([("DATABASE_URL", database_url.clone())]);
    let config = Config::from_lookup(|k| env.get(k).cloned()).unwrap();
    let zone = config.business.zone.clone();
    println!(
        "backend: {}  server: {}",
        config.backend.name(),
        args.server.display()
    );

    assert!(
        !args.reuse || std::env::var("BENCH_DATABASE_URL").is_ok(),
        "--reuse needs BENCH_DATABASE_URL"
    );
    let state = prepare(config)
        .await
        .expect("migrate the benchmark database");
    if !args.reuse {
        generate(&state.db, args.rows).await;
        clients::generate(&state.db, args.clients).await;
        stock::generate(&state.db, args.products, args.movements).await;
    }
    state.db.close().await.unwrap();

    // Start-up on an already migrated database (not timed under callgrind).
    let mut startups = Vec::new();
    let timed_startups = if args.callgrind.is_some() { 0 } else { 5 };
    for _ in 0..timed_startups {
        let port = free_port();
        let t = Instant::now();
        let server = spawn_server(&args, dir.path(), &database_url, port);
        wait_http_ok(
            &format!("http://127.0.0.1:{port}/health"),
            Duration::from_secs(60),
        )
        .await;
        startups.push(t.elapsed());
        drop(server);
    }
    startups.sort();
    let ms: Vec<String> = startups
        .iter()
        .map(|d| format!("{:.0}", d.as_secs_f64() * 1000.0))
        .collect();
    if !ms.is_empty() {
        println!(
            "server start-up to first healthy answer (ms, 5 runs sorted): {}",
            ms.join(" ")
        );
    }

    // One server, or several behind nginx; either is stopped when the run ends.
    let (_server, base, pid): (Box<dyn std::any::Any>, String, Option<u32>) = match args.balanced {
        Some(n) => {
            assert!(
                std::env::var("BENCH_DATABASE_URL").is_ok(),
                "--balanced needs BENCH_DATABASE_URL (several servers share one PostgreSQL)"
            );
            let servers = cluster::Balanced::start(n, &args.server, &database_url);
            let base = format!("http://127.0.0.1:{}", servers.port);
            println!("{n} server(s) behind nginx at {base}");
            (Box::new(servers), base, None)
        }
        None => {
            let port = free_port();
            let server = spawn_server(&args, dir.path(), &database_url, port);
            let pid = server.0.id();
            if let Some(out) = &args.callgrind {
                callgrind::watch(pid, out.clone());
            }
            (
                Box::new(server),
                format!("http://127.0.0.1:{port}"),
                Some(pid),
            )
        }
    };
    wait_http_ok(&format!("{base}/health"), Duration::from_secs(300)).await;

    println!(
        "\n{} requests per scenario, {} concurrent clients",
        args.requests, args.concurrency
    );
    let instructions = if args.callgrind.is_some() {
        format!(" {:>12}", "instr/req")
    } else {
        String::new()
    };
    println!(
        "{:<28} {:>8} {:>7} {:>10} {:>9} {:>9} {:>9}{instructions}",
        "scenario", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"
    );
    let anonymous = http_client();
    if args.runs("core") {
        load(
            "health",
            &anonymous,
            &base,
            "/health",
            args.requests,
            args.concurrency,
        )
        .await
        .print();
        load(
            "sign-in page (SSR)",
            &anonymous,
            &base,
            "/login",
            args.requests,
            args.concurrency,
        )
        .await
        .print();
    }
    // Signed-in scenarios share one session; every request still loads and checks it.
    let signed_in = http_client();
    if args.reuse {
        sign_in(&signed_in, &base, "bench").await;
    } else {
        register(&signed_in, &base, "bench").await;
    }
    if !args.reuse
        && ["orders", "deliveries", "invoices", "reports"]
            .iter()
            .any(|g| args.runs(g))
    {
        // Orders name who entered them, so they are generated once the user exists; the
        // server is idle meanwhile.
        let db = sea_orm::Database::connect(&database_url).await.unwrap();
        orders::generate(&db, "bench", args.orders, args.clients, args.products).await;
        // The orders report reads deliveries too.
        if args.runs("deliveries") || args.runs("reports") {
            deliveries::generate(&db, "bench").await;
        }
        if args.runs("invoices") || args.runs("reports") {
            invoices::generate(&db, "bench").await;
        }
        // Written straight to the tables: the report summaries are made from them as a
        // server would at start-up, timed.
        let started = Instant::now();
        sales::reports::kept::build_all(&db, &zone)
            .await
            .expect("build the report summaries");
        println!(
            "built the report summaries in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        // What the server's hourly statistics refresh would have done for data this size.
        sales::server::db::refresh_statistics(&db).await;
        db.close().await.unwrap();
    }
    if args.runs("core") {
        load(
            "dashboard (SSR, signed in)",
            &signed_in,
            &base,
            "/",
            args.requests,
            args.concurrency,
        )
        .await
        .print();
        load(
            "system info (API)",
            &signed_in,
            &base,
            "/api/system/info",
            args.requests,
            args.concurrency,
        )
        .await
        .print();
    }
    if args.runs("clients") {
        clients::scenarios(
            &signed_in,
            &base,
            args.clients,
            args.requests,
            args.concurrency,
        )
        .await;
        if selected("import") {
            clients::time_imports(&signed_in, &base, 3).await;
        }
    }

    if args.runs("stock") {
        stock::scenarios(
            &signed_in,
            &base,
            args.products,
            args.requests,
            args.concurrency,
        )
        .await;
    }

    if args.runs("orders") {
        let cpu = cluster::cpu_seconds();
        orders::scenarios(
            &signed_in,
            &base,
            args.orders,
            args.clients,
            args.products,
            args.requests,
            args.concurrency,
        )
        .await;
        cluster::print_cpu("the order scenarios", &cpu, &cluster::cpu_seconds());
    }

    if args.runs("deliveries") {
        deliveries::scenarios(
            &signed_in,
            &base,
            args.clients,
            args.products,
            args.requests,
            args.concurrency,
        )
        .await;
    }

    if args.runs("invoices") {
        invoices::scenarios(
            &signed_in,
            &base,
            args.clients,
            args.products,
            args.requests,
            args.concurrency,
        )
        .await;
    }

    if args.runs("reports") {
        reports::scenarios(
            &signed_in,
            &base,
            // The server's own memory is measured: one server, not --balanced.
            pid.expect("the reports group runs on one server (without --balanced)"),
            (args.clients, args.products),
            args.requests,
            args.concurrency,
        )
        .await;
    }

    if !args.runs("core") {
        return;
    }
    if args.callgrind.is_some() {
        // Under callgrind an argon2id sign-in takes seconds: the steady 20 a second below
        // would pile up without end. Their cost is argon2id's by design, not worth counting.
        println!("(sign-in scenarios skipped under callgrind)");
        return;
    }
    // Sign-in latency: argon2id (19 MiB, t=2) dominates by design.
    let logins = (args.requests / 50).max(100);
    sign_ins("sign-in (argon2id)", &base, logins, 4)
        .await
        .print();

    // Pages while sign-ins run at a steady 20 per second in the background.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let background = tokio::spawn(steady_sign_ins(base.clone(), 20, stop.clone()));
    let during = load(
        "dashboard, 20 sign-ins/s",
        &signed_in,
        &base,
        "/",
        args.requests,
        args.concurrency,
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    let (done, secs) = background.await.unwrap();
    during.print();
    println!(
        "  background sign-ins: {done} in {secs:.1} s = {:.1}/s, all succeeded",
        done as f64 / secs
    );
}

/// A POST that must succeed, read as JSON.
pub async fn post<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: &serde_json::Value,
) -> T {
    let res = client
        .post(format!("{base}{path}"))
        .header(accounts::CLIENT_HEADER.0, accounts::CLIENT_HEADER.1)
        .json(body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.unwrap()
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(64)
        .build()
        .unwrap()
}

async fn register(client: &reqwest::Client, base: &str, username: &str) {
    let res = client
        .post(format!("{base}/api/auth/register"))
        .header(accounts::CLIENT_HEADER.0, accounts::CLIENT_HEADER.1)
        .json(&accounts::register_body(username))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "register {username}");
}

async fn login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{base}/api/auth/login"))
        .header(accounts::CLIENT_HEADER.0, accounts::CLIENT_HEADER.1)
        .json(&accounts::login_body(username, accounts::PASSWORD))
        .send()
        .await
}

async fn sign_in(client: &reqwest::Client, base: &str, username: &str) {
    let res = login(client, base, username).await.unwrap();
    assert_eq!(res.status(), 200, "sign in as {username}");
}

async fn sign_in_once(base: &str) -> bool {
    login(&reqwest::Client::new(), base, "bench")
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// `total` sign-ins from `concurrency` workers, each a fresh client (a fresh session).
async fn sign_ins(name: &'static str, base: &str, total: usize, concurrency: usize) -> Stats {
    let base = base.to_string();
    drive(name, total, concurrency, move || {
        let base = base.clone();
        async move { sign_in_once(&base).await }
    })
    .await
}

/// Starts a sign-in every 1/rate seconds (each in its own task) until `stop`; returns how
/// many completed and over how long. Panics if any failed: the figure must be real.
async fn steady_sign_ins(
    base: String,
    rate: u64,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> (usize, f64) {
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / rate));
    let mut tasks = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let base = base.clone();
        tasks.push(tokio::spawn(async move { sign_in_once(&base).await }));
    }
    let n = tasks.len();
    for t in tasks {
        assert!(t.await.unwrap(), "a background sign-in failed");
    }
    (n, started.elapsed().as_secs_f64())
}
