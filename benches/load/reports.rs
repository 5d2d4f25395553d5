//! Report and export scenarios, on the generated orders and invoices: each report over its
//! default twelve months, the dashboard's figures, and the reports under other filters; an order list export of about 100,000 rows
//! as CSV and as XLSX, timed from the click to the downloaded file; and the whole million as
//! CSV while the server's resident memory is sampled, to report how much the export raised it.

use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use serde_json::{Value, json};

use crate::{cycle, post};

/// One line of the server's `/proc/PID/status`, in MB: `VmRSS` (all resident memory),
/// `RssAnon` (its heap and stacks) or `RssFile` (file pages mapped, here SQLite's mmap).
fn status_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Resident memory now: (all, anonymous), in MB.
fn rss_mb(pid: u32) -> (f64, f64) {
    (status_mb(pid, "VmRSS"), status_mb(pid, "RssAnon"))
}

/// Runs one export to its end and downloads it: (rows, seconds from start to downloaded,
/// bytes, highest (all, anonymous) RSS seen meanwhile in MB).
async fn export(
    client: &reqwest::Client,
    base: &str,
    pid: u32,
    what: &str,
    format: &str,
    query: &str,
) -> (u64, f64, usize, (f64, f64)) {
    let started = Instant::now();
    let body = json!({ "what": what, "format": format, "query": query });
    let mut status: Value = post(client, base, "/api/exports/start", &body).await;
    let max = |(a, b): (f64, f64), (c, d): (f64, f64)| (a.max(c), b.max(d));
    let mut peak = rss_mb(pid);
    while status["state"]["state"] == "running" {
        tokio::time::sleep(Duration::from_millis(10)).await;
        peak = max(peak, rss_mb(pid));
        let id = status["id"].as_str().unwrap().to_string();
        status = client
            .get(format!("{base}/api/exports/status?id={id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    }
    assert_eq!(status["state"]["state"], "done", "{status}");
    let id = status["id"].as_str().unwrap();
    let res = client
        .get(format!("{base}/api/exports/{id}/file"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let bytes = res.bytes().await.unwrap().len();
    peak = max(peak, rss_mb(pid));
    let rows = status["total"].as_u64().unwrap();
    (rows, started.elapsed().as_secs_f64(), bytes, peak)
}

pub async fn scenarios(
    client: &reqwest::Client,
    base: &str,
    server_pid: u32,
    (clients, products): (usize, usize),
    requests: usize,
    concurrency: usize,
) {
    let today = Utc::now().date_naive();
    let quarter = today - Days::new(91);
    let mut paths = vec!["/api/reports/sales?by=month".to_string()];
    for i in 0..50 {
        let client_id = 1 + (i * 7919) % clients;
        let product_id = 1 + (i * 104_729) % products;
        paths.push(format!("/api/reports/sales?by=week&client={client_id}"));
        paths.push(format!("/api/reports/sales?by=month&product={product_id}"));
        paths.push(format!("/api/reports/sales?by=day&from={quarter}"));
        paths.push(format!("/api/reports/orders?by=week&client={client_id}"));
        paths.push(format!("/api/reports/stock?by=month&product={product_id}"));
    }
    // Each report over its default twelve months, then the dashboard, then a mix of filters.
    for (name, path) in [
        ("sales report, 12 months", "/api/reports/sales?by=month"),
        ("orders report, 12 months", "/api/reports/orders?by=month"),
        ("stock report, 12 months", "/api/reports/stock?by=month"),
        ("payments report, 12 mo.", "/api/reports/payments?by=month"),
        ("dashboard figures (admin)", "/api/dashboard"),
    ] {
        let divisor = if path == "/api/dashboard" { 1 } else { 10 };
        cycle(
            name,
            client,
            base,
            &[path.to_string()],
            requests / divisor,
            concurrency,
        )
        .await
        .print();
    }
    cycle(
        "reports, mixed filters",
        client,
        base,
        &paths,
        requests / 10,
        concurrency,
    )
    .await
    .print();

    // About 100,000 orders: the generated million are entered over four years, more of them
    // lately; the last 190 days hold about a tenth (the count is printed).
    let from = today - Days::new(190);
    let recent = format!("from={from}");
    for format in ["csv", "xlsx"] {
        let (rows, secs, bytes, _) =
            export(client, base, server_pid, "orders", format, &recent).await;
        println!(
            "export orders {format:<4} {rows:>8} rows in {secs:.2} s ({:.1} MB)",
            bytes as f64 / 1e6
        );
    }
    let before = rss_mb(server_pid);
    let (rows, secs, bytes, peak) = export(client, base, server_pid, "orders", "csv", "").await;
    println!(
        "export orders csv  {rows:>8} rows in {secs:.2} s ({:.1} MB); server RSS {:.1} MB before, \
         {:.1} MB at most during: +{:.1} MB, of which heap (RssAnon) +{:.1} MB",
        bytes as f64 / 1e6,
        before.0,
        peak.0,
        peak.0 - before.0,
        peak.1 - before.1
    );
}
