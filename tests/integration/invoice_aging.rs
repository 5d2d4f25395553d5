//! Overdue and receivables aging on the business's calendar, in a time zone whose date is not
//! UTC's at the time the test runs: an invoice due today is not overdue, one due yesterday is;
//! each bucket's edges (1, 30, 31, 60, 61, 90, 91 days past due) land where they should; the
//! aging's total equals the list's outstanding figure; a payment after the as-of day is left
//! out. The number check finds nothing, then finds a planted gap.

use chrono::{Days, NaiveDate, Timelike, Utc};
use sales::invoices::{Invoice, InvoiceFilter, InvoiceQuery};
use sales::money::Money;
use sales::orders::Order;
use sales::server::numbers::NumberProblem;
use sea_orm::ConnectionTrait;

use crate::support::api::{issue_form, ok, order_form, payment_form};
use crate::support::{TestApp, spawn_app_with};

/// A zone whose date differs from UTC's right now: UTC+14 from 10:00 UTC, UTC−11 before.
fn zone_off_utc() -> &'static str {
    if Utc::now().hour() >= 10 {
        "Pacific/Kiritimati"
    } else {
        "Pacific/Pago_Pago"
    }
}

/// Invoice for one unit at `price` (19 % tax) issued 100 days ago, due `due`.
async fn invoice_due(
    app: &TestApp,
    client: i64,
    product: i64,
    price: &str,
    due: NaiveDate,
) -> Invoice {
    let order: Order = ok(app
        .create_order(&order_form(client, &[(product, 1, price)]), true)
        .await)
    .await;
    let draft = app.draft_invoice(order.id).await;
    let today = app.state.config.business.zone.today();
    let form = issue_form(&(today - Days::new(100)).to_string(), &due.to_string());
    ok(app.issue_invoice(draft.id, &form).await).await
}

#[tokio::test]
async fn overdue_and_aging_buckets_follow_the_business_calendar() {
    let zone = zone_off_utc();
    let app = spawn_app_with(&[("TIMEZONE", zone), ("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let today = app.state.config.business.zone.today();
    assert_ne!(
        today,
        Utc::now().date_naive(),
        "{zone} is on another day than UTC"
    );
    let acme = app.a_client("Acme").await.id;
    let beta = app.a_client("Beta").await.id;
    let product = app.product_with_stock("P0", 100).await.id;
    let ago = |d: u64| today - Days::new(d);
    // k.00 + 19 %: k × 1.19, so each bucket's sum says which invoices are in it.
    let mut invoices = Vec::new();
    for (k, due) in [0, 1, 30, 31, 60, 61, 90, 91].into_iter().enumerate() {
        let client = if k == 7 { beta } else { acme };
        let price = format!("{}.00", k + 1);
        invoices.push(invoice_due(&app, client, product, &price, ago(due)).await);
    }
    assert!(!invoices[0].overdue, "due today is not overdue");
    assert!(invoices[1].overdue, "due yesterday is");
    let cents = |ks: &[i64]| Money(ks.iter().map(|k| k * 119).sum());

    let aging = app.aging("").await;
    assert_eq!(aging.as_of, today);
    assert_eq!(
        aging.totals,
        [
            cents(&[1]),
            cents(&[2, 3]),
            cents(&[4, 5]),
            cents(&[6, 7]),
            cents(&[8])
        ]
    );
    assert_eq!(aging.total, cents(&[1, 2, 3, 4, 5, 6, 7, 8]));
    let names: Vec<&str> = aging.rows.iter().map(|r| r.client_name.as_str()).collect();
    assert_eq!(names, ["Acme", "Beta"], "most owed first");
    assert_eq!(aging.rows[1].buckets[4], cents(&[8]));
    let open = InvoiceQuery {
        status: Some(InvoiceFilter::Open),
        ..InvoiceQuery::default()
    };
    assert_eq!(
        app.outstanding(&open).await,
        aging.total,
        "the list's figure"
    );
    let overdue = InvoiceQuery {
        status: Some(InvoiceFilter::Overdue),
        ..InvoiceQuery::default()
    };
    assert_eq!(app.invoices(&overdue).await.rows.len(), 7);
    assert_eq!(
        app.outstanding(&overdue).await,
        cents(&[2, 3, 4, 5, 6, 7, 8])
    );

    // Paid today: gone from today's aging, still owed as of yesterday.
    ok::<Invoice>(app.pay(invoices[1].id, &payment_form("2.38", "")).await).await;
    let now = app.aging("").await;
    assert_eq!(now.totals[1], cents(&[3]));
    assert_eq!(now.total, app.outstanding(&open).await);
    let before = app.aging(&ago(1).to_string()).await;
    // As of yesterday everything is a day younger: 0 → current, 30 → 1–30, 60 → 31–60, …
    assert_eq!(
        before.totals,
        [
            cents(&[1, 2]),
            cents(&[3, 4]),
            cents(&[5, 6]),
            cents(&[7, 8]),
            Money(0)
        ]
    );
    // As of the day before they were issued, nothing was owed.
    assert_eq!(app.aging(&ago(101).to_string()).await.total, Money(0));
    let res = app.get("/api/invoices/aging?as_of=yesterday").await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn the_number_check_finds_nothing_then_a_planted_gap() {
    let app = spawn_app_with(&[("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let client = app.a_client("Acme").await.id;
    let product = app.product_with_stock("P0", 100).await.id;
    let today = app.state.config.business.zone.today();
    for _ in 0..3 {
        invoice_due(&app, client, product, "1.00", today).await;
    }
    let problems: Vec<NumberProblem> = app.read("/api/admin/check-numbers").await;
    assert!(problems.is_empty(), "{problems:?}");
    // A number handed out with no document: INV's sequence moved past 3 by hand.
    let year = (today - Days::new(100)).format("%Y").to_string();
    app.db()
        .execute_unprepared(&format!(
            "UPDATE sequences SET next = next + 1 WHERE name = 'INV-{year}'"
        ))
        .await
        .unwrap();
    let problems: Vec<NumberProblem> = app.read("/api/admin/check-numbers").await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].series, "INV");
    assert_eq!(problems[0].missing, vec![4]);
    assert!(problems[0].duplicated.is_empty());
    let (sales, _) =
        crate::support::fixtures::client_with_role(&app, "sam", sales::auth::Role::Sales).await;
    let res = sales
        .get(app.url("/api/admin/check-numbers"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
