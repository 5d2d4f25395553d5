//! Deliveries: scheduling against what each order line has left, the number, the address,
//! refusals at their fields, roles, and two schedules racing for the same quantity.

use futures::future::join_all;
use sales::auth::Role;
use sales::deliveries::{Delivery, DeliveryStatus, Step};
use sales::orders::{Action, Order, OrderStatus};
use sales::server::entities::delivery;

use crate::support::api::{conflict, error_of, field_error, ok, order_form, schedule_form};
use crate::support::fixtures::{client_with_role, shop};

/// A day that has not passed, in the business's calendar (UTC in these tests).
fn soon() -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(7)).to_string()
}

#[tokio::test]
async fn partial_deliveries_are_scheduled_up_to_what_is_left() {
    let (app, client, p) = shop(&[10, 10]).await;
    let order = app
        .confirmed_order(client.id, &[(p[0].id, 5, "2.00"), (p[1].id, 3, "1.00")])
        .await;
    let (a, b) = (order.lines[0].id, order.lines[1].id);

    let first: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(a, "2"), (b, "")]))
        .await)
    .await;
    let year = chrono::Utc::now().format("%Y");
    assert_eq!(first.number, format!("DN-{year}-00001"));
    assert_eq!(first.status, DeliveryStatus::Scheduled);
    assert_eq!(
        (first.order_number.as_str(), first.client_name.as_str()),
        (order.number.as_str(), "Acme")
    );
    let lines: Vec<_> = first
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity))
        .collect();
    assert_eq!(
        lines,
        [("P0", 2)],
        "a line left empty is not delivered this time"
    );
    assert_eq!(
        first.address, client.shipping_address,
        "the client's shipping address"
    );
    assert_eq!(first.carrier, "Van 2");
    assert_eq!(app.delivery(first.id).await, first);

    // The rest of the first line and all of the second: exactly what is left.
    let second: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(a, "3"), (b, "3")]))
        .await)
    .await;
    assert!(second.number.ends_with("-00002"), "{}", second.number);
    let o = app.order(order.id).await;
    assert_eq!(
        o.lines
            .iter()
            .map(|l| (l.scheduled, l.delivered))
            .collect::<Vec<_>>(),
        [(5, 0), (3, 0)]
    );
    // Nothing is left: one more is refused at its line, and nothing is written.
    let res = app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(b, "1")]))
        .await;
    let msg = field_error(res, "lines[0].quantity").await;
    assert!(
        msg.contains("only 0 of Product P1 left to deliver, 1 asked"),
        "{msg}"
    );
    assert_eq!(app.count::<delivery::Entity>().await, 2);
    // Scheduling moves no stock; delivering will.
    assert_eq!(app.product(p[0].id).await.on_hand, 10);
    assert!(app.drift().await.is_empty());
}

#[tokio::test]
async fn bad_schedules_are_refused_and_write_nothing() {
    let (app, client, p) = shop(&[10]).await;
    let order = app.confirmed_order(client.id, &[(p[0].id, 2, "1")]).await;
    let line = order.lines[0].id;
    let draft: sales::orders::Order = ok(app
        .create_order(&order_form(client.id, &[(p[0].id, 1, "1")]), false)
        .await)
    .await;
    let other = app.confirmed_order(client.id, &[(p[0].id, 1, "1")]).await;

    for (lines, field) in [
        (vec![(line, "0")], "lines"),
        (vec![(line, "-1")], "lines[0].quantity"),
        (vec![(line, "x")], "lines[0].quantity"),
        (vec![(line, "3")], "lines[0].quantity"),
        // Named at its place in the form, past a line left empty.
        (vec![(line, ""), (line, "3")], "lines[1].quantity"),
        (vec![(other.lines[0].id, "1")], "lines[0].order_line_id"),
    ] {
        let res = app
            .schedule_delivery(&schedule_form(order.id, &soon(), &lines))
            .await;
        field_error(res, field).await;
    }
    let res = app
        .schedule_delivery(&schedule_form(order.id, "2020-01-01", &[(line, "1")]))
        .await;
    assert!(field_error(res, "scheduled_date").await.contains("passed"));
    // A draft is not delivered, nor a cancelled order; an unknown order is a 404.
    let res = app
        .schedule_delivery(&schedule_form(
            draft.id,
            &soon(),
            &[(draft.lines[0].id, "1")],
        ))
        .await;
    assert!(
        conflict(res)
            .await
            .contains("only a confirmed or partially delivered order")
    );
    app.transition(other.id, Action::Cancel).await;
    let res = app
        .schedule_delivery(&schedule_form(
            other.id,
            &soon(),
            &[(other.lines[0].id, "1")],
        ))
        .await;
    assert!(conflict(res).await.contains("is cancelled"));
    let res = app
        .schedule_delivery(&schedule_form(987_654, &soon(), &[(line, "1")]))
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.count::<delivery::Entity>().await, 0, "nothing written");
    let o = app.order(order.id).await;
    assert_eq!(o.lines[0].scheduled, 0, "nothing held");
}

#[tokio::test]
async fn the_warehouse_schedules_and_sales_only_reads() {
    let (app, client, p) = shop(&[10]).await;
    let order = app.confirmed_order(client.id, &[(p[0].id, 2, "1")]).await;
    let form = schedule_form(order.id, &soon(), &[(order.lines[0].id, "1")]);
    let (sales, _) = client_with_role(&app, "sam", Role::Sales).await;
    let (keeper, _) = client_with_role(&app, "kim", Role::Warehouse).await;
    let body = serde_json::json!({ "form": form });
    let res = app
        .call_with(&sales, "/api/deliveries/schedule", &body)
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .call_with(&keeper, "/api/deliveries/schedule", &body)
        .await;
    assert_eq!(res.status(), 200, "{:?}", error_of(res).await);
    let d: Delivery = app.delivery(1).await;
    let res = sales
        .get(app.url(&format!("/api/deliveries/{}", d.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "every role reads");
    let events = sales::audit::service::for_entity(app.db(), "delivery", d.id)
        .await
        .unwrap();
    assert_eq!(events[0].action, "delivery.scheduled");
}

/// Ten schedules of 1 at once for a line with 5 left: exactly 5 are taken, the rest refused
/// with what is left, and the numbers are 1..=5.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schedules_racing_for_the_same_quantity_never_exceed_it() {
    let (app, client, p) = shop(&[10]).await;
    let order = app.confirmed_order(client.id, &[(p[0].id, 5, "1")]).await;
    let form = schedule_form(order.id, &soon(), &[(order.lines[0].id, "1")]);
    let tries = (0..10).map(|_| async { app.schedule_delivery(&form).await.status().as_u16() });
    let statuses = join_all(tries).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 400),
        "{statuses:?}"
    );
    assert_eq!(app.order(order.id).await.lines[0].scheduled, 5);
    assert_eq!(app.count::<delivery::Entity>().await, 5);
}

fn delivered_to(recipient: &str) -> Step {
    Step::Deliver {
        recipient: recipient.into(),
        note: String::new(),
        signature: Some("M10 10 L20 20".into()),
    }
}

/// Two deliveries complete an order: stock ships through the ledger with each, and the
/// order goes partially delivered, then delivered.
#[tokio::test]
async fn delivering_ships_stock_and_moves_the_order_on() {
    let (app, client, p) = shop(&[10, 10]).await;
    let order = app
        .confirmed_order(client.id, &[(p[0].id, 5, "2.00"), (p[1].id, 3, "1.00")])
        .await;
    let (a, b) = (order.lines[0].id, order.lines[1].id);
    let first: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(a, "2")]))
        .await)
    .await;
    let out: Delivery = ok(app.step_delivery(first.id, &Step::Depart).await).await;
    assert_eq!(out.status, DeliveryStatus::OutForDelivery);
    let done: Delivery = ok(app.step_delivery(first.id, &delivered_to("Zoë Ł.")).await).await;
    assert_eq!(done.status, DeliveryStatus::Delivered);
    assert_eq!(done.recipient.as_deref(), Some("Zoë Ł."));
    assert!(done.delivered_at.is_some());
    let stock = app.product(p[0].id).await;
    assert_eq!(
        (stock.on_hand, stock.reserved),
        (8, 3),
        "2 shipped of the 5 reserved"
    );
    let o = app.order(order.id).await;
    assert_eq!(o.status, OrderStatus::PartiallyDelivered);
    assert_eq!((o.lines[0].delivered, o.lines[0].scheduled), (2, 0));

    let second: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(a, "3"), (b, "3")]))
        .await)
    .await;
    ok::<Delivery>(app.step_delivery(second.id, &delivered_to("Sam")).await).await;
    let o = app.order(order.id).await;
    assert_eq!(o.status, OrderStatus::Delivered);
    let (x, y) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!((x.on_hand, x.reserved, y.on_hand, y.reserved), (5, 0, 7, 0));
    assert!(app.drift().await.is_empty(), "totals equal the ledger");
    let history: Vec<sales::audit::AuditEvent> =
        app.read(&format!("/api/orders/{}/history", order.id)).await;
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.ends_with(&["order.partially_delivered", "order.delivered"]),
        "{actions:?}"
    );
}

#[tokio::test]
async fn fail_reschedule_and_cancel_follow_the_workflow() {
    let (app, client, p) = shop(&[10]).await;
    let order = app.confirmed_order(client.id, &[(p[0].id, 4, "1")]).await;
    let line = order.lines[0].id;
    let d: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(line, "4")]))
        .await)
    .await;
    // A failure needs its reason.
    let res = app
        .step_delivery(d.id, &Step::Fail { reason: " ".into() })
        .await;
    assert!(field_error(res, "reason").await.contains("why it failed"));
    let failed: Delivery = ok(app
        .step_delivery(
            d.id,
            &Step::Fail {
                reason: "nobody home".into(),
            },
        )
        .await)
    .await;
    assert_eq!(failed.failure_reason.as_deref(), Some("nobody home"));
    // Failed still holds its quantity; a new date schedules it again.
    assert_eq!(app.order(order.id).await.lines[0].scheduled, 4);
    let later = (chrono::Utc::now().date_naive() + chrono::Days::new(9)).to_string();
    let again: Delivery = ok(app
        .step_delivery(
            d.id,
            &Step::Reschedule {
                scheduled_date: later.clone(),
                window_from: "08:00".into(),
                window_to: "10:00".into(),
            },
        )
        .await)
    .await;
    assert_eq!(again.status, DeliveryStatus::Scheduled);
    assert_eq!(again.scheduled_date.to_string(), later);
    assert_eq!(again.window_from.as_deref(), Some("08:00"));
    // Out for delivery cannot be cancelled; back at scheduled it can, freeing its quantity.
    ok::<Delivery>(app.step_delivery(d.id, &Step::Depart).await).await;
    let msg = conflict(app.step_delivery(d.id, &Step::Cancel).await).await;
    assert!(
        msg.contains("is out for delivery; only a delivery that is scheduled or failed"),
        "{msg}"
    );
    let failed_again = Step::Fail {
        reason: "wrong address".into(),
    };
    ok::<Delivery>(app.step_delivery(d.id, &failed_again).await).await;
    let cancelled: Delivery = ok(app.step_delivery(d.id, &Step::Cancel).await).await;
    assert_eq!(cancelled.status, DeliveryStatus::Cancelled);
    assert_eq!(app.order(order.id).await.lines[0].scheduled, 0, "freed");
    let msg = conflict(app.step_delivery(d.id, &delivered_to("Sam")).await).await;
    assert!(msg.contains("is cancelled"), "{msg}");
    // Its quantity can be scheduled again; nothing shipped meanwhile.
    let next: Delivery = ok(app
        .schedule_delivery(&schedule_form(order.id, &soon(), &[(line, "4")]))
        .await)
    .await;
    assert_eq!(app.product(p[0].id).await.on_hand, 10);
    // A draft holds no stock for a delivery to carry: back to draft waits until none is open.
    let msg = conflict(app.transition(order.id, Action::Revert).await).await;
    assert!(
        msg.contains(&format!(
            "has open deliveries ({}); cancel them",
            next.number
        )),
        "{msg}"
    );
    assert_eq!(app.order(order.id).await.status, OrderStatus::Confirmed);
    ok::<Delivery>(app.step_delivery(next.id, &Step::Cancel).await).await;
    ok::<Order>(app.transition(order.id, Action::Revert).await).await;
    assert_eq!(app.product(p[0].id).await.reserved, 0);
    let events = sales::audit::service::for_entity(app.db(), "delivery", d.id)
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "delivery.scheduled",
            "delivery.failed",
            "delivery.rescheduled",
            "delivery.out_for_delivery",
            "delivery.failed",
            "delivery.cancelled"
        ]
    );
}

/// Twenty "delivered" at once on one delivery: one ships, the others are told it is
/// delivered; stock moved once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_simultaneous_deliveries_move_stock_once() {
    let (app, client, p) = shop(&[10]).await;
    let order = app.confirmed_order(client.id, &[(p[0].id, 3, "1")]).await;
    let d: Delivery = ok(app
        .schedule_delivery(&schedule_form(
            order.id,
            &soon(),
            &[(order.lines[0].id, "3")],
        ))
        .await)
    .await;
    let step = delivered_to("Sam");
    let clicks = (0..20).map(|_| async { app.step_delivery(d.id, &step).await.status().as_u16() });
    let statuses = join_all(clicks).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let stock = app.product(p[0].id).await;
    assert_eq!((stock.on_hand, stock.reserved), (7, 0));
    assert_eq!(app.order(order.id).await.status, OrderStatus::Delivered);
    assert!(app.drift().await.is_empty());
}

/// One delivery per line of an order, all delivered at once: the order ends delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deliveries_of_one_order_delivered_at_once_leave_it_delivered() {
    let (app, client, p) = shop(&[10, 10, 10, 10]).await;
    let lines: Vec<_> = p.iter().map(|p| (p.id, 2, "1")).collect();
    let order = app.confirmed_order(client.id, &lines).await;
    let mut ids = Vec::new();
    for line in &order.lines {
        let d: Delivery = ok(app
            .schedule_delivery(&schedule_form(order.id, &soon(), &[(line.id, "2")]))
            .await)
        .await;
        ids.push(d.id);
    }
    let step = delivered_to("Sam");
    let all = ids.iter().map(|&id| {
        let step = &step;
        let app = &app;
        async move { app.step_delivery(id, step).await.status().as_u16() }
    });
    assert_eq!(join_all(all).await, [200; 4]);
    assert_eq!(app.order(order.id).await.status, OrderStatus::Delivered);
    assert!(app.drift().await.is_empty());
}

/// Cancelling an order calls off its scheduled and failed deliveries, but not while one is on
/// the road; a partially delivered order gives back only what it has not delivered.
#[tokio::test]
async fn cancelling_an_order_calls_off_its_deliveries_and_keeps_what_was_delivered() {
    let (app, client, p) = shop(&[10, 10]).await;
    let order = app
        .confirmed_order(client.id, &[(p[0].id, 5, "1"), (p[1].id, 2, "1")])
        .await;
    let (a, b) = (order.lines[0].id, order.lines[1].id);
    let schedule = |lines: Vec<(i64, &'static str)>| {
        let form = schedule_form(order.id, &soon(), &lines);
        let app = &app;
        async move { ok::<Delivery>(app.schedule_delivery(&form).await).await }
    };
    let done = schedule(vec![(a, "2")]).await;
    ok::<Delivery>(app.step_delivery(done.id, &delivered_to("Sam")).await).await;
    let waiting = schedule(vec![(a, "1")]).await;
    let failed = schedule(vec![(b, "2")]).await;
    let fail = Step::Fail {
        reason: "closed".into(),
    };
    ok::<Delivery>(app.step_delivery(failed.id, &fail).await).await;
    let on_road = schedule(vec![(a, "2")]).await;
    ok::<Delivery>(app.step_delivery(on_road.id, &Step::Depart).await).await;

    // On the road: the cancel is refused and changes nothing.
    let msg = conflict(app.transition(order.id, Action::Cancel).await).await;
    assert!(
        msg.contains(&format!("{} is out for delivery", on_road.number)),
        "{msg}"
    );
    let o = app.order(order.id).await;
    assert_eq!(o.status, OrderStatus::PartiallyDelivered);
    assert_eq!(
        app.delivery(waiting.id).await.status,
        DeliveryStatus::Scheduled
    );
    assert_eq!(app.product(p[0].id).await.reserved, 3);

    // Back, not handed over: now the cancel calls off the three open ones.
    let fail = Step::Fail {
        reason: "refused".into(),
    };
    ok::<Delivery>(app.step_delivery(on_road.id, &fail).await).await;
    let o: Order = ok(app.transition(order.id, Action::Cancel).await).await;
    assert_eq!(o.status, OrderStatus::Cancelled);
    for d in [&waiting, &failed, &on_road] {
        assert_eq!(app.delivery(d.id).await.status, DeliveryStatus::Cancelled);
    }
    assert_eq!(
        app.delivery(done.id).await.status,
        DeliveryStatus::Delivered
    );
    let o = app.order(order.id).await;
    let held: Vec<_> = o.lines.iter().map(|l| (l.delivered, l.scheduled)).collect();
    assert_eq!(held, [(2, 0), (0, 0)]);
    // The 2 delivered stay shipped; the 3 and 2 not delivered are released.
    let (x, y) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!(
        (x.on_hand, x.reserved, y.on_hand, y.reserved),
        (8, 0, 10, 0)
    );
    assert!(app.drift().await.is_empty());
    let events = sales::audit::service::for_entity(app.db(), "delivery", waiting.id)
        .await
        .unwrap();
    assert_eq!(events.last().unwrap().action, "delivery.cancelled");
    assert!(events.last().unwrap().details.contains(&order.number));
}

/// A cancel and a delivery of the same order at once, many times over: each pair ends one
/// way or the other (cancelled with nothing shipped, or delivered and then refused), never a
/// deadlock, a 500 or stock shipped for a cancelled order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancel_racing_a_delivery_ends_one_way_or_the_other() {
    let (app, client, p) = shop(&[100]).await;
    for _ in 0..10 {
        let order = app.confirmed_order(client.id, &[(p[0].id, 2, "1")]).await;
        let d: Delivery = ok(app
            .schedule_delivery(&schedule_form(
                order.id,
                &soon(),
                &[(order.lines[0].id, "2")],
            ))
            .await)
        .await;
        let step = delivered_to("Sam");
        let (cancel, deliver) = tokio::join!(
            app.transition(order.id, Action::Cancel),
            app.step_delivery(d.id, &step)
        );
        let (cancel, deliver) = (cancel.status().as_u16(), deliver.status().as_u16());
        let o = app.order(order.id).await;
        let d = app.delivery(d.id).await;
        match (cancel, deliver) {
            (200, 409) => {
                assert_eq!(o.status, OrderStatus::Cancelled);
                assert_eq!(d.status, DeliveryStatus::Cancelled);
            }
            (409, 200) => {
                assert_eq!(o.status, OrderStatus::Delivered);
                assert_eq!(d.status, DeliveryStatus::Delivered);
            }
            other => panic!("cancel and deliver answered {other:?}"),
        }
    }
    assert!(app.drift().await.is_empty());
}
