//! The sales summary the writing transactions keep equals the one made from the documents:
//! after orders entered confirmed and as drafts, confirmed later, taken back to draft and
//! cancelled; invoices issued on several days; a partial and a full credit note. The sales
//! report read from it also equals the report summed from the documents, filter by filter.

use chrono::{Days, NaiveDate};
use sales::invoices::Invoice;
use sales::orders::{Order, workflow::Action};
use sales::reports::sales::{Reading, report_from};
use sales::reports::{Grouping, ReportQuery, summary};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::support::api::{credit_form, ok, order_form};
use crate::support::spawn_app_with;

/// Every summary row with a figure in it, in key order.
async fn rows(db: &DatabaseConnection) -> Vec<(String, i64, NaiveDate, Vec<i64>)> {
    let sql = "SELECT dim, dim_id, day, invoiced, credited, tax, quantity, orders, booked \
               FROM sales_summary ORDER BY dim, dim_id, day";
    let stmt = Statement::from_string(db.get_database_backend(), sql);
    db.query_all_raw(stmt)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let figures: Vec<i64> = summary::COLUMNS
                .iter()
                .map(|c| r.try_get::<i64>("", c).unwrap())
                .collect();
            (
                r.try_get("", "dim").unwrap(),
                r.try_get("", "dim_id").unwrap(),
                r.try_get("", "day").unwrap(),
                figures,
            )
        })
        .filter(|(.., f)| f.iter().any(|v| *v != 0))
        .collect()
}

#[tokio::test]
async fn the_kept_summary_equals_the_documents() {
    let app = spawn_app_with(&[
        ("TIMEZONE", "America/New_York"),
        ("INVOICE_POLICY", "ordered"),
    ])
    .await;
    app.register("admin").await;
    let zone = app.state.config.business.zone.clone();
    let today = zone.today();
    let a = app.a_client("Acme").await.id;
    let b = app.a_client("Beta").await.id;
    let p1 = app.product_with_stock("P1", 100).await.id;
    let p2 = app.product_with_stock("P2", 100).await.id;
    let p3 = app.product_with_stock("P3", 100).await.id;

    let o1 = app
        .confirmed_order(a, &[(p1, 2, "10.00"), (p2, 1, "3.50")])
        .await;
    let o2 = app
        .confirmed_order(b, &[(p1, 1, "10.00"), (p3, 3, "7.25")])
        .await;
    // A draft confirmed later; one confirmed then taken back; one confirmed then cancelled;
    // a draft cancelled.
    let o3: Order = ok(app
        .create_order(&order_form(a, &[(p3, 2, "7.25")]), false)
        .await)
    .await;
    ok::<Order>(app.transition(o3.id, Action::Confirm).await).await;
    let o4 = app.confirmed_order(b, &[(p2, 5, "3.50")]).await;
    ok::<Order>(app.transition(o4.id, Action::Revert).await).await;
    let o5 = app.confirmed_order(a, &[(p1, 4, "10.00")]).await;
    ok::<Order>(app.transition(o5.id, Action::Cancel).await).await;
    let o6: Order = ok(app
        .create_order(&order_form(b, &[(p3, 1, "7.25")]), false)
        .await)
    .await;
    ok::<Order>(app.transition(o6.id, Action::Cancel).await).await;

    let i1 = app.invoiced_on(&o1, today - Days::new(40)).await;
    let i2 = app.invoiced_on(&o2, today).await;
    app.invoiced_on(&o3, today - Days::new(1)).await;
    ok::<Invoice>(
        app.credit_invoice(i1.id, &credit_form("one short", &[(i1.lines[0].id, "1")]))
            .await,
    )
    .await;
    ok::<Invoice>(
        app.credit_invoice(i2.id, &credit_form("returned", &[]))
            .await,
    )
    .await;

    let kept = rows(app.db()).await;
    assert!(
        kept.iter().any(|(dim, ..)| dim == "product"),
        "the writes were summed: {kept:?}"
    );
    sales::reports::kept::build_all(app.db(), &zone)
        .await
        .unwrap();
    assert_eq!(kept, rows(app.db()).await);

    let year = ReportQuery::default();
    let queries = [
        year.clone(),
        ReportQuery {
            by: Grouping::Day,
            from: (today - Days::new(45)).to_string(),
            ..year.clone()
        },
        ReportQuery {
            client: Some(a),
            ..year.clone()
        },
        ReportQuery {
            product: Some(p1),
            by: Grouping::Week,
            ..year.clone()
        },
        ReportQuery {
            client: Some(b),
            product: Some(p3),
            ..year.clone()
        },
    ];
    for q in &queries {
        let from_summary = report_from(app.db(), &zone, today, q, Reading::Summary)
            .await
            .unwrap();
        let from_documents = report_from(app.db(), &zone, today, q, Reading::Detail)
            .await
            .unwrap();
        assert_eq!(from_summary, from_documents, "{q:?}");
    }
    let r = report_from(app.db(), &zone, today, &year, Reading::Summary)
        .await
        .unwrap();
    assert_eq!(r.totals.orders, 3, "o1, o2 and o3 booked");
    assert_eq!(r.clients.count, 2);

    // A ranking kept from before is not shown once the period has changed: the rest of i1
    // credited moves Acme and P1 down.
    ok::<Invoice>(
        app.credit_invoice(i1.id, &credit_form("all back", &[]))
            .await,
    )
    .await;
    let after = report_from(app.db(), &zone, today, &year, Reading::Summary)
        .await
        .unwrap();
    let documents = report_from(app.db(), &zone, today, &year, Reading::Detail)
        .await
        .unwrap();
    assert_eq!(after, documents);
    assert_ne!(after.clients, r.clients);
}
