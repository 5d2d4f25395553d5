//! The dashboard's tiles equal the reports they link to, to the cent: sales this month and
//! last (with a credit note), the twelve-month chart, open orders, deliveries due and late,
//! receivables outstanding and overdue (with a partial payment), and low stock. Each role
//! sees the tiles of the reports it may open.

use chrono::{Datelike, Days, Months};
use sales::auth::Role;
use sales::dashboard::Figures;
use sales::deliveries::Delivery;
use sales::invoices::Invoice;
use sales::reports::{
    Grouping, OrdersReport, PaymentsReport, ReportQuery, SalesReport, StockReport,
};
use sales::server::entities::delivery;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::api::{credit_form, issue_form, ok, payment_form, schedule_form};
use crate::support::fixtures::client_with_role;
use crate::support::{TestApp, spawn_app_with};

async fn report<T: serde::de::DeserializeOwned>(app: &TestApp, which: &str, q: &ReportQuery) -> T {
    let query = serde_urlencoded::to_string(q).unwrap();
    app.read(&format!("/api/reports/{which}?{query}")).await
}

#[tokio::test]
async fn each_tile_equals_its_report() {
    let app = spawn_app_with(&[("TIMEZONE", "Europe/Berlin"), ("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let today = app.state.config.business.zone.today();
    let this_month = today.with_day(1).unwrap();
    let last_month = this_month.checked_sub_months(Months::new(1)).unwrap();
    let a = app.a_client("Acme").await.id;
    let p1 = app.product_with_stock("P1", 100).await.id;
    // Low: reorders at 5 with 3 on hand.
    let low = app.new_product("LOW", "5").await.id;
    ok::<sales::stock::Product>(app.receive(low, &crate::support::api::receipt("3")).await).await;

    // Invoiced last month (due long ago: overdue) and this month; a credit note today; a
    // partial payment.
    let o1 = app.confirmed_order(a, &[(p1, 2, "10.00")]).await;
    let draft = app.draft_invoice(o1.id).await;
    let due = (last_month + Days::new(3)).to_string();
    let i1: Invoice = ok(app
        .issue_invoice(draft.id, &issue_form(&last_month.to_string(), &due))
        .await)
    .await;
    let o2 = app.confirmed_order(a, &[(p1, 3, "7.00")]).await;
    let draft = app.draft_invoice(o2.id).await;
    let i2: Invoice = ok(app.issue_invoice(draft.id, &issue_form("", "")).await).await;
    ok::<Invoice>(
        app.credit_invoice(i2.id, &credit_form("one short", &[(i2.lines[0].id, "1")]))
            .await,
    )
    .await;
    let pay = payment_form("5.00", &today.to_string());
    ok::<Invoice>(app.pay(i1.id, &pay).await).await;
    // An open order with a delivery late since yesterday.
    let o3 = app.confirmed_order(a, &[(p1, 1, "4.00")]).await;
    let d: Delivery = ok(app
        .schedule_delivery(&schedule_form(o3.id, "", &[(o3.lines[0].id, "1")]))
        .await)
    .await;
    delivery::Entity::update_many()
        .col_expr(
            delivery::Column::ScheduledDate,
            Expr::val(today - Days::new(1)),
        )
        .filter(delivery::Column::Id.eq(d.id))
        .exec(app.db())
        .await
        .unwrap();

    let f: Figures = app.read("/api/dashboard").await;
    let s = f.sales.clone().expect("admin sees sales");
    let two_months = ReportQuery {
        from: s.last_from.to_string(),
        to: today.to_string(),
        by: Grouping::Month,
        ..ReportQuery::default()
    };
    let r: SalesReport = report(&app, "sales", &two_months).await;
    assert_eq!((s.last_month, s.this_month), (r.rows[0].net, r.rows[1].net));
    assert_eq!(s.last_month, i1.net);
    assert!(
        s.this_month.0 > 0 && s.this_month.0 < i2.net.0,
        "less the credit note"
    );
    let r: SalesReport = report(&app, "sales", &ReportQuery::default()).await;
    let chart: Vec<(String, i64)> = r.rows.iter().map(|r| (r.label.clone(), r.net.0)).collect();
    assert_eq!(f.chart, chart);

    let r: OrdersReport = report(&app, "orders", &ReportQuery::default()).await;
    assert_eq!(f.orders, Some((r.open_orders, r.open_value)));
    assert_eq!(f.orders.unwrap().0, 3, "o1, o2 and o3 are open");
    assert_eq!(f.deliveries, Some((r.due_today, r.late_now)));
    assert_eq!(f.deliveries, Some((0, 1)));

    let r: PaymentsReport = report(&app, "payments", &ReportQuery::default()).await;
    let (outstanding, overdue) = f.receivables.expect("admin sees receivables");
    assert_eq!(outstanding, r.outstanding);
    assert_eq!(overdue.0, r.outstanding.0 - r.buckets[0].0);
    assert_eq!(overdue.0, i1.total.0 - 500, "i1 less its payment");

    let r: StockReport = report(&app, "stock", &ReportQuery::default()).await;
    assert_eq!(f.low_stock, Some(r.low_count));
    assert_eq!(f.low_stock, Some(1));

    // Each role: the tiles of the reports it may open.
    for (name, role, sales, orders, receivables, low) in [
        ("sam", Role::Sales, true, true, false, false),
        ("wes", Role::Warehouse, false, false, false, true),
        ("acc", Role::Accounting, true, true, true, true),
    ] {
        let (client, _) = client_with_role(&app, name, role).await;
        let f: Figures = client
            .get(app.url("/api/dashboard"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(f.sales.is_some(), sales, "{name}");
        assert_eq!(f.chart.is_empty(), !sales, "{name}");
        assert_eq!(f.orders.is_some(), orders, "{name}");
        assert!(f.deliveries.is_some(), "{name}");
        assert_eq!(f.receivables.is_some(), receivables, "{name}");
        assert_eq!(f.low_stock.is_some(), low, "{name}");
    }
}
