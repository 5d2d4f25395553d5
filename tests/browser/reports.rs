//! The reports in a real browser: a booked order shows in the sales report's tiles;
//! changing the grouping puts it in the URL and redraws the chart with a bar per week; each
//! export format runs and its file downloads; a long export shows its progress while the
//! server answers other requests; the dashboard's tiles at 375 px open their reports.

use std::time::Duration;

use crate::deliveries::confirmed_order;
use crate::support::{Browser, browser_test};

const DESKTOP: (u32, u32) = (1280, 900);

/// How many bars the sales chart draws now.
async fn bars(b: &Browser) -> u64 {
    let n = b
        .client
        .execute(
            "return document.querySelectorAll('#sales-chart rect.chart-bar').length;",
            vec![],
        )
        .await
        .unwrap();
    n.as_u64().unwrap()
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_sales_report_follows_its_filters_in_the_url_and_redraws() {
    browser_test("sales-report", DESKTOP, |b| async move {
        confirmed_order(&b).await;
        b.open("/reports").await;
        b.wait_hydrated().await;
        b.click("a.report-link").await;
        b.wait_url("the sales report", |u| u.contains("/reports/sales"))
            .await;
        b.wait_text("#sales-booked", "1 ·").await;
        assert_eq!(bars(&b).await, 12, "twelve months by default");
        b.wait_for(r#"select[name="by"]"#)
            .await
            .select_by_value("week")
            .await
            .unwrap();
        b.wait_url("the grouping in the URL", |u| u.contains("by=week"))
            .await;
        let mut weeks = 0;
        for _ in 0..100 {
            weeks = bars(&b).await;
            if weeks > 12 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!((48..=54).contains(&weeks), "a bar per week: {weeks}");

        // Each format exports in the filters on screen, and the finished file downloads.
        for (format, starts) in [("csv", "Period,"), ("xlsx", "PK"), ("pdf", "%PDF")] {
            b.click(&format!("#export-{format}")).await;
            // The link of this export (the last one's stays until this one is written).
            let name = b.wait_text("#export-download", &format!(".{format}")).await;
            assert!(name.contains(&format!(".{format}")), "{name}");
            let href = b
                .client
                .execute(
                    "return document.querySelector('#export-download').getAttribute('href');",
                    vec![],
                )
                .await
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            let got = b
                .client
                .execute_async(
                    r#"const [path, done] = arguments;
                       fetch(path).then(r => r.arrayBuffer().then(buf => done([r.status,
                         String.fromCharCode(...new Uint8Array(buf.slice(0, 7)))])));"#,
                    vec![href.clone().into()],
                )
                .await
                .unwrap();
            assert_eq!(got[0].as_u64(), Some(200), "{href}");
            assert!(
                got[1].as_str().unwrap().starts_with(starts),
                "{format}: {got:?}"
            );
        }
    })
    .await;
}

/// `n` confirmed orders of the first client written straight to the database (a recursive
/// query: entering them one by one would take minutes), a minute apart.
async fn many_orders(b: &Browser, n: u64) {
    use sea_orm::{ConnectionTrait, Database};
    let db = Database::connect(&b.database_url).await.unwrap();
    let sql = format!(
        "INSERT INTO orders (number, seq, client_id, status, priority, requested_date, notes, \
         net, tax, total, created_by, created_at, updated_at, confirmed_at) \
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n}) \
         SELECT printf('SO-2001-%06d', i), i, (SELECT MIN(id) FROM clients), 'confirmed', \
         'normal', NULL, '', 100, 19, 119, 1, \
         strftime('%Y-%m-%dT%H:%M:%S+00:00', '2001-01-01', '+' || i || ' minutes'), \
         '2001-01-01T00:00:00+00:00', NULL FROM k"
    );
    db.execute_unprepared(&sql).await.unwrap();
    db.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn a_long_export_shows_its_progress_and_holds_nothing_up() {
    browser_test("export-progress", DESKTOP, |b| async move {
        confirmed_order(&b).await;
        const N: u64 = 300_000;
        many_orders(&b, N).await;
        b.open("/orders").await;
        b.wait_hydrated().await;
        b.click("#export-csv").await;
        let total = format!("of {} rows", N + 1);
        let shown = b.wait_text("#export-progress", &total).await;
        // Meanwhile another request is answered at once.
        let got = b
            .client
            .execute_async(
                r#"const [done] = arguments; const t = performance.now();
                   fetch('/api/orders/').then(r => done([r.status, performance.now() - t]));"#,
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(got[0].as_u64(), Some(200));
        let waited = got[1].as_f64().unwrap();
        let name = b
            .wait_text("#export-download", &format!("({} rows)", N + 1))
            .await;
        assert!(
            name.ends_with(&format!("({} rows)", N + 1)),
            "{name}: {shown}"
        );
        assert!(
            waited < 2000.0,
            "the order list took {waited} ms during the export"
        );
    })
    .await;
}

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_dashboard_tiles_fit_a_phone_and_open_their_reports() {
    browser_test("dashboard-phone", (375, 800), |b| async move {
        confirmed_order(&b).await;
        b.open("/").await;
        b.wait_hydrated().await;
        b.wait_text("#tile-orders", "1").await;
        b.wait_for("#tile-low-stock").await;
        b.wait_for("#dashboard-chart").await;
        b.assert_fits(375).await;
        b.click("#tile-orders").await;
        b.wait_url("the orders report", |u| u.contains("/reports/orders"))
            .await;
        b.wait_text("#orders-open", "1 ·").await;
        b.assert_fits(375).await;
    })
    .await;
}
