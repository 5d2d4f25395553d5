//! The reports' other summaries (`reports::kept`) that the writing transactions keep equal
//! the ones made from the detail, row for row: after receipts with and without a cost and an
//! adjustment; orders entered, edited as drafts, confirmed, taken back, delivered in part and
//! in full, and cancelled; deliveries scheduled, failed, rescheduled, cancelled one by one and
//! called off with their order; invoices issued on several days, paid in part, a payment
//! deleted, and credited. Each product's last cost is its last costed receipt's, and the
//! receivables kept give today's aging.

use chrono::Days;
use sales::deliveries::{Delivery, Step};
use sales::invoices::Invoice;
use sales::orders::{Order, Priority, workflow::Action};
use sales::reports::kept;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::support::api::{
    adjustment, credit_form, ok, order_form, payment_form, receipt, schedule_form,
};
use crate::support::spawn_app_with;

/// Every summary's rows with a figure in it, keys as text, in key order.
async fn dump(db: &DatabaseConnection) -> Vec<(&'static str, Vec<String>, Vec<i64>)> {
    let mut out = Vec::new();
    for (tally, _) in kept::all() {
        let keys: Vec<String> = tally
            .keys
            .iter()
            .map(|k| format!("CAST({k} AS TEXT) AS {k}"))
            .collect();
        let sql = format!(
            "SELECT {}, {} FROM {} ORDER BY {}",
            keys.join(", "),
            tally.figures.join(", "),
            tally.table,
            tally.keys.join(", ")
        );
        let stmt = Statement::from_string(db.get_database_backend(), sql);
        for r in db.query_all_raw(stmt).await.unwrap() {
            let key: Vec<String> = tally
                .keys
                .iter()
                .map(|k| r.try_get("", k).unwrap())
                .collect();
            let figures: Vec<i64> = tally
                .figures
                .iter()
                .map(|f| r.try_get("", f).unwrap())
                .collect();
            if figures.iter().any(|f| *f != 0) {
                out.push((tally.table, key, figures));
            }
        }
    }
    out
}

fn deliver() -> Step {
    Step::Deliver {
        recipient: "Sam".into(),
        note: String::new(),
        signature: None,
    }
}

#[tokio::test]
async fn the_kept_summaries_equal_the_detail() {
    let app = spawn_app_with(&[
        ("TIMEZONE", "America/New_York"),
        ("INVOICE_POLICY", "ordered"),
    ])
    .await;
    app.register("admin").await;
    let zone = app.state.config.business.zone.clone();
    let today = zone.today();
    let tomorrow = (today + Days::new(1)).to_string();
    let a = app.a_client("Acme").await.id;
    let b = app.a_client("Beta").await.id;
    let p1 = app.product_with_stock("P1", 100).await.id;
    let p2 = app.product_with_stock("P2", 50).await.id;
    for cost in ["4.20", "4.35"] {
        let mut costed = receipt("10");
        costed.unit_cost = cost.into();
        ok::<sales::stock::Product>(app.receive(p1, &costed).await).await;
    }
    ok::<sales::stock::Product>(app.adjust(p2, &adjustment("-3", "broken")).await).await;

    // o1 delivered in full; o2 delivered in part, a second delivery open, then cancelled.
    let o1 = app.delivered_order(a, &[(p1, 2, "10.00")]).await;
    let o2 = app
        .confirmed_order(b, &[(p1, 4, "10.00"), (p2, 2, "3.50")])
        .await;
    let part: Delivery = ok(app
        .schedule_delivery(&schedule_form(o2.id, "", &[(o2.lines[0].id, "1")]))
        .await)
    .await;
    ok::<Delivery>(app.step_delivery(part.id, &deliver()).await).await;
    ok::<Delivery>(
        app.schedule_delivery(&schedule_form(o2.id, &tomorrow, &[(o2.lines[1].id, "2")]))
            .await,
    )
    .await;
    // o3 a draft edited (another priority and total), confirmed, taken back, confirmed.
    let o3: Order = ok(app
        .create_order(&order_form(a, &[(p2, 1, "3.50")]), false)
        .await)
    .await;
    let mut edit = order_form(a, &[(p2, 5, "3.50")]);
    edit.priority = Priority::Low;
    let o3: Order = ok(app.update_order(o3.id, &edit).await).await;
    for action in [Action::Confirm, Action::Revert, Action::Confirm] {
        ok::<Order>(app.transition(o3.id, action).await).await;
    }
    // o3's delivery fails, is put to tomorrow, then cancelled on its own.
    let d3: Delivery = ok(app
        .schedule_delivery(&schedule_form(o3.id, "", &[(o3.lines[0].id, "2")]))
        .await)
    .await;
    let fail = Step::Fail {
        reason: "closed".into(),
    };
    let later = Step::Reschedule {
        scheduled_date: tomorrow.clone(),
        window_from: String::new(),
        window_to: String::new(),
    };
    for step in [fail, later, Step::Cancel] {
        ok::<Delivery>(app.step_delivery(d3.id, &step).await).await;
    }
    ok::<Order>(app.transition(o2.id, Action::Cancel).await).await;

    // Invoices: o1's issued 40 days ago, paid in part twice (one payment deleted), credited
    // in part; o3's issued today and paid in full.
    let i1 = app.invoiced_on(&o1, today - Days::new(40)).await;
    let ten_ago = (today - Days::new(10)).to_string();
    ok::<Invoice>(app.pay(i1.id, &payment_form("5.00", &ten_ago)).await).await;
    let paid: Invoice = ok(app.pay(i1.id, &payment_form("2.00", "")).await).await;
    let last = paid.payments.iter().map(|p| p.id).max().unwrap();
    ok::<Invoice>(app.delete_payment(last).await).await;
    ok::<Invoice>(
        app.credit_invoice(i1.id, &credit_form("one short", &[(i1.lines[0].id, "1")]))
            .await,
    )
    .await;
    let i3 = app.invoiced_on(&o3, today).await;
    let total = i3.total.to_string();
    ok::<Invoice>(app.pay(i3.id, &payment_form(&total, "")).await).await;

    let kept_rows = dump(app.db()).await;
    for table in kept::all().map(|(t, _)| t.table) {
        assert!(
            kept_rows.iter().any(|(t, ..)| *t == table),
            "{table} was written to: {kept_rows:?}"
        );
    }
    let receivables = kept::receivables::buckets(app.db(), today).await.unwrap();
    kept::build_all(app.db(), &zone).await.unwrap();
    assert_eq!(kept_rows, dump(app.db()).await);
    assert_eq!(
        receivables,
        sales::invoices::aging::totals(app.db(), today)
            .await
            .unwrap()
    );
    assert!(receivables.iter().any(|m| m.0 != 0), "{receivables:?}");

    let sql = format!("SELECT id, last_cost FROM products WHERE id IN ({p1}, {p2}) ORDER BY id");
    let stmt = Statement::from_string(app.db().get_database_backend(), sql);
    let costs: Vec<Option<i64>> = app
        .db()
        .query_all_raw(stmt)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("", "last_cost").unwrap())
        .collect();
    // P1's last costed receipt's; P2 was never received at a cost.
    assert_eq!(costs, [Some(435), None]);
}
