//! The stock report against figures the test works out from what it wrote, in Berlin:
//! receipts with and without a cost, a breakage, an order delivered and one cancelled; the
//! stock's worth at price and at the last cost; the products low on stock. (The ledger is
//! append-only, so its times cannot be moved across a midnight here; the business day of a
//! stored time is the one `local_day` gives, which the orders and sales reports test across
//! Berlin's midnight.) Its CSV equals the screen; who may open it.

use chrono::{Datelike, Days};
use sales::auth::Role;
use sales::exports::{ExportFormat, ExportWhat};
use sales::money::Money;
use sales::orders::{Order, workflow::Action};
use sales::reports::{Grouping, ReportQuery, StockReport};
use sales::stock::{Product, ReceiptForm};

use crate::support::api::{adjustment, ok};
use crate::support::fixtures::client_with_role;
use crate::support::{TestApp, spawn_app_with};

impl TestApp {
    async fn stock_report(&self, q: &ReportQuery) -> reqwest::Response {
        let query = serde_urlencoded::to_string(q).unwrap();
        self.get(&format!("/api/reports/stock?{query}")).await
    }
}

async fn received(app: &TestApp, product: i64, quantity: i64, cost: &str) -> Product {
    let form = ReceiptForm {
        quantity: quantity.to_string(),
        unit_cost: cost.into(),
        reference: "PO-7".into(),
        ..ReceiptForm::default()
    };
    ok(app.receive(product, &form).await).await
}

#[tokio::test]
async fn stock_figures_equal_what_was_written() {
    let app = spawn_app_with(&[("TIMEZONE", "Europe/Berlin")]).await;
    app.register("admin").await;
    let today = app.state.config.business.zone.today();
    let first = today.with_day(1).unwrap();
    let eve = first - Days::new(1);
    let client = app.a_client("Acme").await.id;
    // Each at 12.50: P1 reorders at 5, P2 at 20, P3 at 0.
    let p1 = app.new_product("P1", "5").await.id;
    let p2 = app.new_product("P2", "20").await.id;
    let p3 = app.new_product("P3", "0").await.id;
    received(&app, p1, 10, "4.00").await;
    received(&app, p1, 6, "5.00").await;
    received(&app, p2, 8, "").await;
    ok::<Product>(app.adjust(p1, &adjustment("-2", "broken")).await).await;
    app.delivered_order(client, &[(p1, 3, "20.00")]).await;
    let cancelled = app.confirmed_order(client, &[(p2, 4, "20.00")]).await;
    ok::<Order>(app.transition(cancelled.id, Action::Cancel).await).await;

    let q = ReportQuery {
        from: eve.to_string(),
        to: today.to_string(),
        by: Grouping::Month,
        ..ReportQuery::default()
    };
    let r: StockReport = ok(app.stock_report(&q).await).await;
    assert_eq!(r.rows.len(), 2);
    let (last, this) = (&r.rows[0], &r.rows[1]);
    assert_eq!((last.received, last.movements), (0, 0));
    assert_eq!(this.received, 10 + 6 + 8);
    assert_eq!((this.shipped, this.adjusted), (3, -2));
    assert_eq!((this.reserved, this.released), (3 + 4, 4));
    // Three receipts, an adjustment, a reservation and a shipment, a reservation and a
    // release.
    assert_eq!(r.totals.movements, 3 + 1 + 2 + 2);
    let p1_on_hand = 10 + 6 - 2 - 3;
    assert_eq!((r.on_hand, r.reserved), (p1_on_hand + 8, 0));
    assert_eq!(r.available, p1_on_hand + 8);
    assert_eq!(r.at_price, Money((p1_on_hand + 8) * 1250));
    assert_eq!(
        r.at_cost,
        Money(p1_on_hand * 500),
        "P1 at its last cost; P2 has none"
    );
    assert_eq!((r.uncosted, r.products), (1, 3));
    let low: Vec<_> = r.low.iter().map(|l| (l.id, l.available)).collect();
    assert_eq!(low, [(p3, 0), (p2, 8)], "least available first");
    assert_eq!(r.low_count, 2);
    assert_eq!(r.top[0].id, p1);
    assert_eq!(r.top[0].at_cost, Some(Money(p1_on_hand * 500)));

    // One product.
    let only_p1 = ReportQuery {
        product: Some(p1),
        ..q.clone()
    };
    let r: StockReport = ok(app.stock_report(&only_p1).await).await;
    assert_eq!(r.product.as_deref(), Some("Product P1"));
    assert_eq!(
        (r.totals.received, r.on_hand, r.low_count),
        (16, p1_on_hand, 0)
    );

    // The CSV: the rows on screen, the totals, then the stock now.
    let screen: StockReport = ok(app.stock_report(&q).await).await;
    let (_, csv) = app
        .export(ExportWhat::StockReport, ExportFormat::Csv, &q.to_string())
        .await;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let mut want: Vec<_> = screen.rows.iter().collect();
    want.push(&screen.totals);
    for (got, want) in rows.iter().zip(&want) {
        let figures = [
            want.received,
            want.shipped,
            want.adjusted,
            want.reserved,
            want.released,
            want.movements,
        ];
        assert_eq!(&got[0], want.label);
        let got: Vec<i64> = (1..7).map(|i| got[i].parse().unwrap()).collect();
        assert_eq!(got, figures);
    }
    let worth = rows
        .iter()
        .find(|r| r[0].starts_with("Worth at last receipt cost"))
        .unwrap();
    assert_eq!(&worth[1], screen.at_cost.to_string().replace(',', ""));
}

#[tokio::test]
async fn the_stock_report_is_for_the_warehouse_and_accounting() {
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    for (name, role, status) in [
        ("wes", Role::Warehouse, 200),
        ("acc", Role::Accounting, 200),
        ("sam", Role::Sales, 403),
    ] {
        let (client, _) = client_with_role(&app, name, role).await;
        let res = client
            .get(app.url("/api/reports/stock"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{name}");
    }
    let nothing = ReportQuery {
        product: Some(999),
        ..ReportQuery::default()
    };
    crate::support::api::field_error(app.stock_report(&nothing).await, "product").await;
}
