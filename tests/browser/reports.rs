//! The sales report in a real browser: a booked order shows in its tiles; changing the
//! grouping puts it in the URL and redraws the chart with a bar per week; each export format
//! runs and its file downloads.

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
