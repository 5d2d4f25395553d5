//! The delivery board: late first, then the order's priority, then the date; its filters
//! (status, today, dates, driver, client), keyset pages, and the late count; and an order's
//! deliveries as its page lists them.

use chrono::{Days, Utc};
use sales::deliveries::{BoardQuery, Delivery, DeliveryStatus, PAGE_SIZE, Step};
use sales::orders::{Order, Priority};
use sales::server::entities::delivery;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::TestApp;
use crate::support::api::{field_error, ok, order_form, schedule_form};
use crate::support::fixtures::shop;

fn day(offset: i64) -> chrono::NaiveDate {
    let today = Utc::now().date_naive();
    match offset {
        o if o < 0 => today - Days::new(o.unsigned_abs()),
        o => today + Days::new(o as u64),
    }
}

/// A confirmed order of one unit of `product` at `priority`, delivered in one delivery on
/// `date` days from today (a past date is set in the database: it cannot be scheduled).
async fn one(app: &TestApp, client: i64, product: i64, priority: Priority, date: i64) -> Delivery {
    let mut form = order_form(client, &[(product, 1, "1")]);
    form.priority = priority;
    let order: Order = ok(app.create_order(&form, true).await).await;
    let when = day(date.max(0)).to_string();
    let d: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &when, &[(order.lines[0].id, "1")]))
        .await)
    .await;
    if date < 0 {
        delivery::Entity::update_many()
            .col_expr(delivery::Column::ScheduledDate, Expr::val(day(date)))
            .filter(delivery::Column::Id.eq(d.id))
            .exec(app.db())
            .await
            .unwrap();
    }
    d
}

#[tokio::test]
async fn late_deliveries_come_first_then_priority_then_date() {
    let (app, client, p) = shop(&[100]).await;
    let p = p[0].id;
    let normal_soon = one(&app, client.id, p, Priority::Normal, 1).await;
    let urgent_later = one(&app, client.id, p, Priority::Urgent, 5).await;
    let late_low = one(&app, client.id, p, Priority::Low, -2).await;
    let normal_today = one(&app, client.id, p, Priority::Normal, 0).await;
    let late_high = one(&app, client.id, p, Priority::High, -1).await;
    let done = one(&app, client.id, p, Priority::Urgent, -3).await;
    let delivered = Step::Deliver {
        recipient: "Sam".into(),
        note: String::new(),
        signature: None,
    };
    ok::<Delivery>(app.step_delivery(done.id, &delivered).await).await;

    let board = app.board(&BoardQuery::default()).await;
    let numbers: Vec<&str> = board.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            late_high.number.as_str(),
            late_low.number.as_str(),
            urgent_later.number.as_str(),
            normal_today.number.as_str(),
            normal_soon.number.as_str(),
        ],
        "late (by priority), then by priority and date; a delivered one is not open"
    );
    let late: Vec<bool> = board.rows.iter().map(|r| r.late).collect();
    assert_eq!(late, [true, true, false, false, false]);
    assert_eq!(board.rows[0].client_name, "Acme");
    assert_eq!(board.rows[0].priority, Priority::High);
    assert_eq!(app.read::<u64>("/api/deliveries/late-count").await, 2);

    // Filters: a status, today, a date range, the driver, the client.
    let only = |q: BoardQuery| {
        let app = &app;
        async move {
            let page = app.board(&q).await;
            page.rows.into_iter().map(|r| r.number).collect::<Vec<_>>()
        }
    };
    let delivered_only = BoardQuery {
        status: Some(DeliveryStatus::Delivered),
        ..BoardQuery::default()
    };
    assert_eq!(only(delivered_only).await, [done.number.as_str()]);
    assert_eq!(
        only(BoardQuery::today()).await,
        [normal_today.number.as_str()]
    );
    let range = BoardQuery {
        from: day(1).to_string(),
        to: day(5).to_string(),
        ..BoardQuery::default()
    };
    assert_eq!(
        only(range).await,
        [urgent_later.number.as_str(), normal_soon.number.as_str()]
    );
    let driver = |d: &str| BoardQuery {
        driver: d.into(),
        ..BoardQuery::default()
    };
    assert_eq!(only(driver("VAN 2")).await.len(), 5, "any case, any part");
    assert!(only(driver("Truck")).await.is_empty());
    let other = app.a_client("Other").await;
    let theirs = one(&app, other.id, p, Priority::Low, 2).await;
    let of_other = BoardQuery {
        client: Some(other.id),
        ..BoardQuery::default()
    };
    assert_eq!(only(of_other).await, [theirs.number.as_str()]);

    // Days that cannot be read, or run backwards, are refused at their field.
    let res = app.get("/api/deliveries/?from=2026-13-01").await;
    field_error(res, "from").await;
    let res = app
        .get(&format!("/api/deliveries/?from={}&to={}", day(3), day(1)))
        .await;
    field_error(res, "to").await;
}

/// Pages of the board follow each other without gaps or repeats, both ways, even though the
/// first sort key (late or not) is worked out by the database for today.
#[tokio::test]
async fn the_board_pages_by_keyset_both_ways() {
    let (app, client, p) = shop(&[100]).await;
    let priorities = [Priority::Urgent, Priority::Normal, Priority::Low];
    for i in 0..(PAGE_SIZE as i64 + 6) {
        let date = (i % 4) - 1; // some late (yesterday), the rest over the next days
        one(&app, client.id, p[0].id, priorities[i as usize % 3], date).await;
    }
    let first = app.board(&BoardQuery::default()).await;
    assert_eq!(first.rows.len() as u64, PAGE_SIZE);
    assert_eq!(first.total, PAGE_SIZE + 6);
    let second = app
        .board(&BoardQuery {
            after: first.next,
            ..BoardQuery::default()
        })
        .await;
    assert_eq!(second.rows.len(), 6);
    assert!(second.next.is_none());
    let mut seen: Vec<i64> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|r| r.id)
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len() as u64,
        PAGE_SIZE + 6,
        "no row twice, none missed"
    );
    // Late ones all come before the rest, across the page break.
    let lates: Vec<bool> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|r| r.late)
        .collect();
    assert!(lates.windows(2).all(|w| w[0] >= w[1]), "{lates:?}");
    let back = app
        .board(&BoardQuery {
            before: second.prev,
            ..BoardQuery::default()
        })
        .await;
    assert_eq!(back.rows, first.rows);
}

/// The order page's list: every delivery of the order with its lines, what each line
/// still has outstanding once it is handed over.
#[tokio::test]
async fn an_orders_deliveries_list_with_what_stays_outstanding() {
    let (app, client, p) = shop(&[10]).await;
    let order = app.confirmed_order(client.id, &[(p[0].id, 5, "1")]).await;
    let line = order.lines[0].id;
    let soon = day(1).to_string();
    let first: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon, &[(line, "2")]))
        .await)
    .await;
    assert_eq!(
        (
            first.lines[0].ordered,
            first.lines[0].quantity,
            first.lines[0].outstanding
        ),
        (5, 2, 3)
    );
    let step = Step::Deliver {
        recipient: "Sam".into(),
        note: String::new(),
        signature: None,
    };
    let done: Delivery = ok(app.step_delivery(first.id, &step).await).await;
    assert_eq!(done.lines[0].outstanding, 3, "delivered: counted once");
    assert_eq!(done.confirmed_by.as_deref(), Some("Test admin"));
    ok::<Delivery>(
        app.schedule_delivery(&schedule_form(order.id, &soon, &[(line, "3")]))
            .await,
    )
    .await;
    let all: Vec<Delivery> = app
        .read(&format!("/api/deliveries/of-order/{}", order.id))
        .await;
    let summary: Vec<_> = all
        .iter()
        .map(|d| (d.status, d.lines[0].quantity, d.lines[0].outstanding))
        .collect();
    assert_eq!(
        summary,
        [
            (DeliveryStatus::Delivered, 2, 3),
            (DeliveryStatus::Scheduled, 3, 0)
        ]
    );
    let res = app.get("/api/deliveries/of-order/987654").await;
    assert_eq!(res.status(), 404);
}
