//! Everything that only exists on the server: configuration, database, router, start-up.

pub mod backup;
pub mod cluster;
pub mod config;
pub mod db;
pub mod demo;
pub mod entities;
pub mod fold;
pub mod grouped;
pub mod headers;
pub mod idempotency;
pub mod install;
pub mod keyset;
pub mod mail;
pub mod modules;
pub mod names;
pub mod numbers;
mod page_cache;
pub mod pdf;
pub mod proxy;
pub mod recaptcha;
mod response;
pub mod router;
pub mod sequence;
pub mod stamp;
mod state;
pub mod tally;
pub mod throttle;
pub mod write;

use std::sync::Arc;

use crate::choice::Choice;
use dioxus::server::axum::serve::ListenerExt;
use std::time::Instant;

pub use config::Config;
pub use state::AppState;

/// Why the server could not start; printed as one line before exiting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("configuration error: SMTP: {0}")]
    Mail(String),
    #[error("cannot listen on {addr}: {err}")]
    Bind { addr: String, err: std::io::Error },
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    Usage(String),
}

/// The server binary's entry point: configure, migrate, listen. Exits non-zero on failure.
pub fn run() {
    init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("cannot start the tokio runtime");
    let command = std::env::args().nth(1);
    let result = runtime.block_on(async {
        let config = Config::from_env()?;
        match command.as_deref() {
            // `server check-stock`: the ledger consistency check (exit 1 when totals drift).
            Some("check-stock") => check_stock(config).await,
            // `server check-numbers`: gaps and repeats in the document series (exit 1).
            Some("check-numbers") => check_numbers(config).await,
            // `server backup PATH`: a consistent copy of the SQLite database, while serving.
            Some("backup") => match std::env::args_os().nth(2) {
                Some(path) => backup::backup(&config, std::path::Path::new(&path))
                    .await
                    .map(|done| println!("{done}")),
                None => Err(StartError::Usage(
                    "backup needs the file to write: server backup PATH".into(),
                )),
            },
            Some(other) => Err(StartError::Usage(format!(
                "unknown command '{other}'; run without arguments to serve, or 'check-stock', \
                 'check-numbers' or 'backup PATH'"
            ))),
            None => serve(config).await,
        }
    });
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

/// Recomputes every product's stock totals from the ledger and prints any drift.
async fn check_stock(config: Config) -> Result<(), StartError> {
    let state = prepare(config).await?;
    let drift = crate::stock::ledger::check(&state.db)
        .await
        .map_err(|e| StartError::Usage(format!("ledger check failed: {e}")))?;
    if drift.is_empty() {
        println!("stock ledger: every product's totals equal its movements");
        return Ok(());
    }
    for d in &drift {
        println!(
            "{} (product {}): on hand {} but the ledger says {}; reserved {} but the ledger says {}",
            d.sku, d.product_id, d.on_hand, d.ledger_on_hand, d.reserved, d.ledger_reserved
        );
    }
    Err(StartError::Usage(format!(
        "stock ledger: {} product(s) drift from their movements",
        drift.len()
    )))
}

/// Checks every document series for gaps and repeats, and prints them.
async fn check_numbers(config: Config) -> Result<(), StartError> {
    let state = prepare(config).await?;
    let problems = numbers::check(&state.db)
        .await
        .map_err(|e| StartError::Usage(format!("number check failed: {e}")))?;
    if problems.is_empty() {
        println!("document numbers: every series runs without a gap or a repeat");
        return Ok(());
    }
    for p in &problems {
        println!("{}", numbers::describe(p));
    }
    Err(StartError::Usage(format!(
        "document numbers: {} series-year(s) with gaps or repeats",
        problems.len()
    )))
}

/// Connect and migrate: everything a request needs, shared by the binary and the tests.
pub async fn prepare(config: Config) -> Result<AppState, StartError> {
    // Two TLS backends are linked in some builds (tests); pick ring explicitly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let host = config.base_url.host_str().unwrap_or("localhost");
    let mailer = mail::Mailer::new(config.smtp.as_ref(), host).map_err(StartError::Mail)?;
    let db = db::connect(&config).await?;
    // Servers starting together on one PostgreSQL take turns: the first migrates and fills
    // what the migrations added, the others then find nothing left to do.
    let start_up = async {
        db::migrate(&db).await?;
        crate::clients::search_keys::refold(&db)
            .await
            .map_err(|e| {
                StartError::Usage(format!("cannot write the clients' search keys: {e}"))
            })?;
        crate::reports::kept::ensure(&db, &config.business.zone)
            .await
            .map_err(|e| StartError::Usage(format!("cannot build the report summaries: {e}")))
    };
    cluster::exclusively(&db, cluster::Lock::StartUp, start_up).await??;
    db::refresh_statistics(&db).await;
    db::check_sqlite_build(&db).await;
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| StartError::Mail(e.to_string()))?;
    let config = Arc::new(config);
    Ok(AppState {
        orders: crate::orders::intake::Intake::start(crate::orders::intake::OrderWriter {
            db: db.clone(),
            zone: config.business.zone.clone(),
        }),
        invoicing: crate::invoices::issuing::Invoicing::start(&db, config.clone()),
        exports: crate::exports::jobs::Exports::new()
            .map_err(|e| StartError::Usage(format!("cannot make a folder for exports: {e}")))?,
        db,
        config,
        mailer,
        http,
        signed_in: Default::default(),
    })
}

async fn serve(config: Config) -> Result<(), StartError> {
    let started = Instant::now();
    if config.session_key_generated {
        tracing::warn!("SESSION_KEY is not set: using a random key, so sessions end at restart");
    }
    let addr = std::net::SocketAddr::new(config.ip, config.port);
    let base_url = config.base_url.clone();
    let seed_demo = config.demo_data;
    let stdin_stops = config.stop_on_stdin_close;
    let state = prepare(config).await?;
    if seed_demo {
        cluster::exclusively(
            &state.db,
            cluster::Lock::StartUp,
            print_demo_accounts(&state),
        )
        .await?;
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|err| StartError::Bind {
            addr: addr.to_string(),
            err,
        })?;
    tracing::info!(
        "listening on {addr} ({} backend), ready in {} ms — open {base_url}",
        state.config.backend.name(),
        started.elapsed().as_millis()
    );
    serve_on(listener, state, shutdown_signal(stdin_stops))
        .await
        .map_err(StartError::Serve)?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Serve the app on `listener` until `shutdown` resolves: the binary and the tests share it.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Server rendering streams a page in several writes; without TCP_NODELAY, Nagle's
    // algorithm holds the later ones until the client's delayed ACK (~40 ms).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {e}");
        }
    });
    // Background work lives as long as the server: the set aborts it when dropped.
    let mut background = tokio::task::JoinSet::new();
    background.spawn(router::remove_expired_sessions(state.db.clone()));
    background.spawn(db::keep_statistics(state.db.clone()));
    for module in modules::MODULES {
        if let Some(start) = module.background {
            background.spawn(start(&state));
        }
    }
    let app = router::build(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = dioxus::server::axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    drop(background);
    served
}

async fn print_demo_accounts(state: &AppState) {
    match demo::seed(state).await {
        Ok(created) if created.is_empty() => {
            tracing::info!("DEMO_DATA: the database already has users; nothing seeded")
        }
        Ok(created) => {
            println!("\nDemo accounts (sign in at {}):", state.config.base_url);
            for (username, role, password) in created {
                println!("  {username:<11} {:<14} password: {password}", role.label());
            }
            println!();
        }
        Err(e) => tracing::error!("demo data could not be seeded: {e}"),
    }
}

async fn shutdown_signal(stdin_stops: bool) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    // The desktop app's pipe: end of input means the app has gone, however it went.
    let stdin_closed = async {
        if !stdin_stops {
            return std::future::pending().await;
        }
        let _ = tokio::io::copy(&mut tokio::io::stdin(), &mut tokio::io::sink()).await;
        tracing::info!("stdin closed: stopping");
    };
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {}, _ = stdin_closed => {} }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,dioxus_server=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
