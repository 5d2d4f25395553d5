//! The orders report against figures the test works out from what it wrote, in Berlin: an
//! order entered at 00:10 on the month's first (still the day before in UTC); orders in each
//! status and two priorities; confirmation-to-delivery times set to the hour; a delivery
//! open past its day and one delivered a day late. Its CSV equals the screen; who may open
//! it.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, TimeZone, Utc};
use sales::auth::Role;
use sales::choice::Choice;
use sales::deliveries::Delivery;
use sales::exports::{ExportFormat, ExportWhat};
use sales::money::Money;
use sales::orders::{Order, OrderStatus, Priority, workflow::Action};
use sales::reports::{Grouping, OrdersReport, ReportQuery};
use sales::server::entities::{delivery, order};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::api::{ok, order_form, schedule_form};
use crate::support::fixtures::client_with_role;
use crate::support::{TestApp, spawn_app_with};

impl TestApp {
    async fn orders_report(&self, q: &ReportQuery) -> reqwest::Response {
        let query = serde_urlencoded::to_string(q).unwrap();
        self.get(&format!("/api/reports/orders?{query}")).await
    }
}

fn berlin(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, minute, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// Sets order `id`'s entry time, and its confirmation time if given.
async fn set_times(
    app: &TestApp,
    id: i64,
    entered: DateTime<Utc>,
    confirmed: Option<DateTime<Utc>>,
) {
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::CreatedAt, Expr::val(entered))
        .filter(order::Column::Id.eq(id));
    if let Some(at) = confirmed {
        update = update.col_expr(order::Column::ConfirmedAt, Expr::val(Some(at)));
    }
    update.exec(app.db()).await.unwrap();
}

/// Moves delivery `id` to `day`, and gives when it was delivered.
async fn reschedule(app: &TestApp, id: i64, day: NaiveDate) -> Option<DateTime<Utc>> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::ScheduledDate, Expr::val(day))
        .filter(delivery::Column::Id.eq(id))
        .exec(app.db())
        .await
        .unwrap();
    delivery::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .delivered_at
}

async fn delivery_of(app: &TestApp, order: &Order) -> i64 {
    delivery::Entity::find()
        .filter(delivery::Column::OrderId.eq(order.id))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn orders_figures_equal_what_was_written() {
    let app = spawn_app_with(&[("TIMEZONE", "Europe/Berlin")]).await;
    app.register("admin").await;
    let today = app.state.config.business.zone.today();
    let first = today.with_day(1).unwrap();
    let eve = first - Days::new(1);
    let yesterday = today - Days::new(1);
    let a = app.a_client("Acme").await.id;
    let b = app.a_client("Beta").await.id;
    let p = app.product_with_stock("P1", 100).await.id;

    // o1: entered on the eve, delivered today, confirmed 60 hours before.
    let o1 = app.delivered_order(a, &[(p, 2, "10.00")]).await;
    let d1 = delivery_of(&app, &o1).await;
    let at1 = reschedule(&app, d1, today).await.unwrap();
    set_times(
        &app,
        o1.id,
        berlin(eve, 23, 50),
        Some(at1 - Duration::hours(60)),
    )
    .await;
    // o2: low priority (the others high), entered at 00:10 on the first; its delivery open since the eve.
    let mut form = order_form(b, &[(p, 1, "10.00")]);
    form.priority = Priority::Low;
    let o2: Order = ok(app.create_order(&form, true).await).await;
    let d2: Delivery = ok(app
        .schedule_delivery(&schedule_form(o2.id, "", &[(o2.lines[0].id, "1")]))
        .await)
    .await;
    reschedule(&app, d2.id, eve).await;
    set_times(&app, o2.id, berlin(first, 0, 10), None).await;
    // o3: delivered today, a day after its scheduled day; confirmed 12 hours before.
    let o3 = app.delivered_order(b, &[(p, 3, "5.00")]).await;
    let d3 = delivery_of(&app, &o3).await;
    let at3 = reschedule(&app, d3, yesterday).await.unwrap();
    set_times(
        &app,
        o3.id,
        berlin(first, 12, 0),
        Some(at3 - Duration::hours(12)),
    )
    .await;
    // o4 a draft, o5 cancelled.
    let o4: Order = ok(app
        .create_order(&order_form(a, &[(p, 4, "1.00")]), false)
        .await)
    .await;
    let o5 = app.confirmed_order(a, &[(p, 5, "1.00")]).await;
    ok::<Order>(app.transition(o5.id, Action::Cancel).await).await;
    for o in [&o4, &o5] {
        set_times(&app, o.id, berlin(first, 13, 0), None).await;
    }
    // The times were set in the tables directly: the report summaries are made again from
    // them, as at start-up (`report_summaries` proves the kept ones equal these).
    let zone = app.state.config.business.zone.clone();
    sales::reports::kept::build_all(app.db(), &zone)
        .await
        .unwrap();

    let by_month = ReportQuery {
        from: eve.to_string(),
        to: today.to_string(),
        by: Grouping::Month,
        ..ReportQuery::default()
    };
    let r: OrdersReport = ok(app.orders_report(&by_month).await).await;
    assert_eq!(r.rows.len(), 2);
    let (last, this) = (&r.rows[0], &r.rows[1]);
    assert_eq!((last.orders, last.value), (1, o1.total));
    assert_eq!((last.delivered, last.lead_days), (1, Some(2.5)));
    assert_eq!(
        this.orders, 4,
        "o2 entered 00:10 Berlin counts on the first"
    );
    let value: i64 = [&o2, &o3, &o4, &o5].iter().map(|o| o.total.0).sum();
    assert_eq!(this.value.0, value);
    assert_eq!((this.delivered, this.cancelled), (1, 1));
    assert_eq!(this.lead_days, Some(0.5));
    assert_eq!(r.totals.orders, 5);
    assert_eq!(r.totals.lead_days, Some(1.5), "(60 h + 12 h) / 2");
    // Deliveries by their scheduled day: d2 (eve, open: late), d3 (yesterday, delivered
    // today: late), d1 (today, on time).
    let month_of = |d: NaiveDate| usize::from(d >= first);
    let mut expected = [(0, 0); 2];
    for (day, late) in [(eve, 1), (yesterday, 1), (today, 0)] {
        expected[month_of(day)].0 += 1;
        expected[month_of(day)].1 += late;
    }
    let got: Vec<_> = r.rows.iter().map(|r| (r.deliveries, r.late)).collect();
    assert_eq!(got, expected);
    assert_eq!((r.totals.deliveries, r.totals.late), (3, 2));
    let late: Vec<_> = r
        .late
        .iter()
        .map(|l| (l.id, l.delivered, l.days_late))
        .collect();
    assert_eq!(
        late,
        [
            (d3, Some(today), 1),
            (d2.id, None, (today - eve).num_days())
        ]
    );

    let status = |s: OrderStatus| {
        let b = r.by_status.iter().find(|b| b.key == s.as_str()).unwrap();
        (b.orders, b.value)
    };
    assert_eq!(
        status(OrderStatus::Delivered),
        (2, Money(o1.total.0 + o3.total.0))
    );
    assert_eq!(status(OrderStatus::Confirmed), (1, o2.total));
    assert_eq!(status(OrderStatus::Draft), (1, o4.total));
    assert_eq!(status(OrderStatus::Cancelled), (1, o5.total));
    let priority = |key: &str| {
        let b = r.by_priority.iter().find(|b| b.key == key).unwrap();
        (b.orders, b.value)
    };
    assert_eq!(priority("low"), (1, o2.total));
    assert_eq!(priority("high"), (4, Money(r.totals.value.0 - o2.total.0)));
    // Today: o2 open; no delivery due today, d2 late.
    assert_eq!((r.open_orders, r.open_value), (1, o2.total));
    assert_eq!((r.due_today, r.late_now), (0, 1));

    // By day over the midnight; and one client; and one status.
    let by_day = ReportQuery {
        to: first.to_string(),
        by: Grouping::Day,
        ..by_month.clone()
    };
    let r: OrdersReport = ok(app.orders_report(&by_day).await).await;
    assert_eq!((r.rows[0].orders, r.rows[1].orders), (1, 4));
    let only_b = ReportQuery {
        client: Some(b),
        ..by_month.clone()
    };
    let r: OrdersReport = ok(app.orders_report(&only_b).await).await;
    assert_eq!((r.totals.orders, r.totals.deliveries), (2, 2));
    assert_eq!(r.late_now, 1, "d2 is of o2, b's");
    let delivered = ReportQuery {
        status: Some(OrderStatus::Delivered),
        ..by_month.clone()
    };
    let r: OrdersReport = ok(app.orders_report(&delivered).await).await;
    assert_eq!((r.totals.orders, r.open_orders), (2, 0));
    assert_eq!(r.late_now, 0, "d2's order is not delivered");

    // The CSV: the rows on screen, then the totals.
    let screen: OrdersReport = ok(app.orders_report(&by_month).await).await;
    let (_, csv) = app
        .export(
            ExportWhat::OrdersReport,
            ExportFormat::Csv,
            &by_month.to_string(),
        )
        .await;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let plain = |m: Money| m.to_string().replace(',', "");
    let mut want: Vec<_> = screen.rows.iter().collect();
    want.push(&screen.totals);
    for (got, want) in rows.iter().zip(&want) {
        assert_eq!(&got[0], want.label);
        assert_eq!(got[1].parse::<i64>().unwrap(), want.orders);
        assert_eq!(&got[2], plain(want.value));
        assert_eq!(got[7].parse::<i64>().unwrap(), want.late);
    }
    assert!(
        rows.iter()
            .any(|r| &r[0] == "Status: Delivered" && &r[1] == "2")
    );
}

#[tokio::test]
async fn the_orders_report_is_for_sales_and_accounting() {
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    for (name, role, status) in [
        ("sam", Role::Sales, 200),
        ("acc", Role::Accounting, 200),
        ("wes", Role::Warehouse, 403),
    ] {
        let (client, _) = client_with_role(&app, name, role).await;
        let res = client
            .get(app.url("/api/reports/orders"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{name}");
    }
    let nobody = ReportQuery {
        client: Some(999),
        ..ReportQuery::default()
    };
    crate::support::api::field_error(app.orders_report(&nobody).await, "client").await;
}
