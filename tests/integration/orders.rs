//! Orders: the workflow end to end with its stock effects, every illegal transition, short
//! stock, stored rounding, bad input, the list, the QR code. Races are in `order_races`.

use sales::choice::Choice;
use sales::money::Money;
use sales::orders::{Action, Order, OrderPage, OrderStatus, Priority};
use sales::server::entities::order;
use sales::stock::ProductForm;

use crate::support::api::{conflict, field_error, ok, order_form, product_form};
use crate::support::fixtures::shop;

#[tokio::test]
async fn an_order_goes_from_draft_through_confirm_revert_and_cancel() {
    let (app, client, p) = shop(&[10, 5]).await;
    let res = app
        .create_order(&order_form(client.id, &[(p[0].id, 3, "12.50")]), false)
        .await;
    assert_eq!(res.status(), 200);
    let o: Order = res.json().await.unwrap();
    let year = chrono::Utc::now().format("%Y");
    assert_eq!(o.number, format!("SO-{year}-00001"));
    assert_eq!(
        (o.status, o.client_name.as_str()),
        (OrderStatus::Draft, "Acme")
    );
    assert_eq!(
        (o.net, o.tax, o.total),
        (Money(3750), Money(713), Money(4463))
    );
    assert_eq!(o.created_by.as_deref(), Some("Test admin"), "shown by name");

    // A draft is edited freely: lines replaced, totals recomputed.
    let edited = order_form(client.id, &[(p[0].id, 4, "10.00"), (p[1].id, 5, "1")]);
    let res = app.update_order(o.id, &edited).await;
    assert_eq!(res.status(), 200);
    let o: Order = res.json().await.unwrap();
    assert_eq!(o.lines.len(), 2);
    assert_eq!((o.net, o.total), (Money(4500), Money(5355)));

    let o: Order = app
        .transition(o.id, Action::Confirm)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Confirmed);
    let (a, b) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!((a.reserved, a.available(), b.reserved), (4, 6, 5));
    // A confirmed order is not edited in place.
    let res = app
        .update_order(o.id, &order_form(client.id, &[(p[0].id, 1, "1")]))
        .await;
    assert!(conflict(res).await.contains("only a draft can be edited"));

    let o: Order = app
        .transition(o.id, Action::Revert)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Draft);
    assert_eq!(app.product(p[0].id).await.reserved, 0);
    app.transition(o.id, Action::Confirm).await;
    let o: Order = app
        .transition(o.id, Action::Cancel)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Cancelled);
    assert_eq!(app.product(p[0].id).await.reserved, 0);
    assert_eq!(app.product(p[1].id).await.reserved, 0);
    assert!(app.drift().await.is_empty());

    let history: Vec<sales::audit::AuditEvent> = app
        .get(&format!("/api/orders/{}/history", o.id))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "order.created",
            "order.updated",
            "order.confirmed",
            "order.reverted",
            "order.confirmed",
            "order.cancelled"
        ]
    );
    assert!(
        history[5].details.contains("Confirmed → Cancelled"),
        "{:?}",
        history[5]
    );
}

#[tokio::test]
async fn every_illegal_transition_is_a_409_with_a_plain_message() {
    use sea_orm::ConnectionTrait;
    let (app, client, p) = shop(&[10]).await;
    let new = || order_form(client.id, &[(p[0].id, 1, "1")]);
    let draft: Order = app.create_order(&new(), false).await.json().await.unwrap();
    let confirmed = app.confirmed_order(client.id, &[(p[0].id, 1, "1")]).await;
    let cancelled: Order = app.create_order(&new(), false).await.json().await.unwrap();
    app.transition(cancelled.id, Action::Cancel).await;
    let refused = [
        (
            &draft,
            Action::Revert,
            "only a confirmed order can go back to draft",
        ),
        (&confirmed, Action::Confirm, "only a draft can be confirmed"),
        (&cancelled, Action::Confirm, "only a draft can be confirmed"),
        (
            &cancelled,
            Action::Revert,
            "only a confirmed order can go back to draft",
        ),
        (
            &cancelled,
            Action::Cancel,
            "only a draft, confirmed or partially delivered order can be cancelled",
        ),
    ];
    for (o, action, why) in refused {
        let msg = conflict(app.transition(o.id, action).await).await;
        assert!(
            msg.contains(&o.number) && msg.contains(why),
            "{action:?}: {msg}"
        );
    }
    // The delivery states (set by the deliveries module) allow none of these actions but
    // cancelling a partially delivered order (tested with deliveries).
    for status in [OrderStatus::PartiallyDelivered, OrderStatus::Delivered] {
        app.db()
            .execute_unprepared(&format!(
                "UPDATE orders SET status = '{}' WHERE id = {}",
                status.as_str(),
                draft.id
            ))
            .await
            .unwrap();
        for action in Action::ALL.into_iter().filter(|a| !a.allowed_from(status)) {
            let msg = conflict(app.transition(draft.id, action).await).await;
            assert!(msg.contains("delivered"), "{status:?}/{action:?}: {msg}");
        }
    }
    assert_eq!(app.transition(999_999, Action::Confirm).await.status(), 404);
    assert_eq!(
        app.product(p[0].id).await.reserved,
        1,
        "only the confirmed one"
    );
}

#[tokio::test]
async fn short_stock_names_every_short_product_and_reserves_nothing() {
    let (app, client, p) = shop(&[5, 2, 10]).await;
    let lines = [
        (p[0].id, 3, "1"),
        (p[1].id, 4, "1"),
        (p[2].id, 6, "1"),
        (p[2].id, 6, "1"),
    ];
    let o: Order = app
        .create_order(&order_form(client.id, &lines), false)
        .await
        .json()
        .await
        .unwrap();
    let msg = conflict(app.transition(o.id, Action::Confirm).await).await;
    assert!(
        msg.contains(&format!("Not enough stock to confirm {}", o.number)),
        "{msg}"
    );
    // Two lines of the same product count together: 12 asked of 10.
    assert!(
        msg.contains("Product P1 (P1): only 2 pcs available, 4 asked"),
        "{msg}"
    );
    assert!(
        msg.contains("Product P2 (P2): only 10 pcs available, 12 asked"),
        "{msg}"
    );
    assert!(!msg.contains("(P0)"), "P0 has enough: {msg}");
    assert_eq!(app.product(p[0].id).await.reserved, 0, "all or nothing");
    assert_eq!(app.order(o.id).await.status, OrderStatus::Draft);

    // Save-and-confirm refused saves nothing and gives the number back.
    let before = app.count::<order::Entity>().await;
    let msg = conflict(app.create_order(&order_form(client.id, &lines), true).await).await;
    assert!(msg.contains("only 2 pcs available"), "{msg}");
    assert_eq!(app.count::<order::Entity>().await, before);
    let next = app.confirmed_order(client.id, &[(p[0].id, 1, "1")]).await;
    assert!(next.number.ends_with("-00002"), "{}", next.number);
    assert!(app.drift().await.is_empty());
}

#[tokio::test]
async fn stored_totals_round_each_line_half_up() {
    let (app, client, mut p) = shop(&[0]).await;
    let low_rate = ProductForm {
        unit_price: "0.10".into(),
        tax_rate: "7.5".into(),
        ..product_form("HALF", "0")
    };
    p.push(ok(app.create_product(&low_rate).await).await);
    let mut f = order_form(
        client.id,
        &[
            (p[0].id, 1, "0.50"),
            (p[0].id, 3, "0.15"),
            (p[0].id, 2, "10.00"),
            (p[1].id, 1, "0.10"),
        ],
    );
    f.lines[2].discount = "0.05".into();
    let o: Order = app.create_order(&f, false).await.json().await.unwrap();
    // 19 %: 0.50 → 0.095 → 0.10; 0.45 → 0.0855 → 0.09; 19.95 → 3.7905 → 3.79.
    // 7.5 %: 0.10 → 0.0075 → 0.01.
    let taxes: Vec<Money> = o.lines.iter().map(|l| l.tax).collect();
    assert_eq!(taxes, [Money(10), Money(9), Money(379), Money(1)]);
    assert_eq!(
        (o.net, o.tax, o.total),
        (Money(2100), Money(399), Money(2499))
    );
    assert_eq!(o.lines[1].tax_rate_bp, 1900);
    assert_eq!(o.lines[3].tax_rate_bp, 750);
}

#[tokio::test]
async fn a_percent_discount_is_kept_with_the_amount_it_comes_to() {
    let (app, client, p) = shop(&[0]).await;
    let mut f = order_form(
        client.id,
        &[
            (p[0].id, 3, "3.33"),
            (p[0].id, 7, "19.99"),
            (p[0].id, 1, "10.00"),
        ],
    );
    f.lines[0].discount = "12.5%".into();
    f.lines[1].discount = "3.33 %".into();
    f.lines[2].discount = "2.50".into();
    let o: Order = ok(app.create_order(&f, false).await).await;
    // 12.5 % of 9.99 = 1.24875 → 1.25; 3.33 % of 139.93 = 4.6597 → 4.66; 2.50 as typed.
    let off: Vec<(Money, Option<i64>)> = o
        .lines
        .iter()
        .map(|l| (l.discount, l.discount_bp))
        .collect();
    assert_eq!(
        off,
        [
            (Money(125), Some(1250)),
            (Money(466), Some(333)),
            (Money(250), None)
        ]
    );
    // Nets 8.74, 135.27, 7.50; tax at 19 % on each: 1.6606 → 1.66, 25.7013 → 25.70,
    // 1.425 → 1.43.
    let nets: Vec<Money> = o.lines.iter().map(|l| l.net).collect();
    assert_eq!(nets, [Money(874), Money(13_527), Money(750)]);
    assert_eq!(
        (o.net, o.tax, o.total),
        (Money(15_151), Money(2_879), Money(18_030))
    );

    // 100 % takes the whole line; a percent past it is refused at its field, changing nothing.
    f.lines[0].discount = "100%".into();
    let o: Order = ok(app.update_order(o.id, &f).await).await;
    assert_eq!(
        (o.lines[0].discount, o.lines[0].net),
        (Money(999), Money::ZERO)
    );
    f.lines[1].discount = "150%".into();
    let msg = field_error(app.update_order(o.id, &f).await, "lines[1].discount").await;
    assert!(msg.contains("from 0 to 100 %"), "{msg}");
    assert_eq!(app.order(o.id).await.lines[1].discount_bp, Some(333));
}

#[tokio::test]
async fn bad_input_is_refused_at_its_field_and_writes_nothing() {
    let (app, client, p) = shop(&[5]).await;
    let archived = app.a_client("Gone Ltd").await;
    assert_eq!(app.archive_client(archived.id).await.status(), 200);
    let old = app.new_product("OLD", "0").await;
    assert_eq!(app.set_product_active(old.id, false).await.status(), 200);
    let mut long_note = order_form(client.id, &[(p[0].id, 1, "1")]);
    long_note.notes = "x".repeat(2001);
    let mut past = order_form(client.id, &[(p[0].id, 1, "1")]);
    past.requested_date = "2020-01-01".into();
    let cases = [
        (
            order_form(client.id, &[(p[0].id, 0, "1")]),
            "lines[0].quantity",
            "at least 1",
        ),
        (
            order_form(client.id, &[(p[0].id, -2, "1")]),
            "lines[0].quantity",
            "at least 1",
        ),
        (
            order_form(client.id, &[(p[0].id, 1, "-1")]),
            "lines[0].unit_price",
            "negative",
        ),
        (
            order_form(client.id, &[(p[0].id, 1, "1"), (987_654, 1, "1")]),
            "lines[1].product",
            "does not exist",
        ),
        (
            order_form(client.id, &[(old.id, 1, "1")]),
            "lines[0].product",
            "archived",
        ),
        (
            order_form(archived.id, &[(p[0].id, 1, "1")]),
            "client_id",
            "archived",
        ),
        (
            order_form(987_654, &[(p[0].id, 1, "1")]),
            "client_id",
            "does not exist",
        ),
        (order_form(client.id, &[]), "lines", "at least one line"),
        (long_note, "notes", "at most 2000"),
        (past, "requested_date", "passed"),
    ];
    for (body, field, words) in cases {
        let msg = field_error(app.create_order(&body, false).await, field).await;
        assert!(msg.contains(words), "{field}: {msg}");
    }
    // A body that is not an order at all is a 4xx, never a 500.
    let res = app
        .call(
            "/api/orders/create",
            &serde_json::json!({ "form": { "lines": "many" } }),
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(app.count::<order::Entity>().await, 0, "nothing written");
    assert_eq!(app.product(p[0].id).await.reserved, 0);
}

#[tokio::test]
async fn the_list_filters_searches_and_pages() {
    use sales::orders::{OrderQuery, PAGE_SIZE};
    let (app, acme, p) = shop(&[1000]).await;
    let other = app.a_client("Other").await;
    // 30 orders: every third for Other, every fifth urgent, the first 10 confirmed.
    let mut ids = Vec::new();
    for i in 0..30 {
        let client = if i % 3 == 0 { other.id } else { acme.id };
        let mut f = order_form(client, &[(p[0].id, 1 + i, "1")]);
        f.priority = if i % 5 == 0 {
            Priority::Urgent
        } else {
            Priority::Normal
        };
        ids.push(
            app.create_order(&f, i < 10)
                .await
                .json::<Order>()
                .await
                .unwrap()
                .id,
        );
    }
    let list = |q: OrderQuery| {
        let app = &app;
        async move {
            let res = app
                .get(&format!(
                    "/api/orders/?{}",
                    serde_urlencoded::to_string(&q).unwrap()
                ))
                .await;
            assert_eq!(res.status(), 200, "{q:?}");
            res.json::<OrderPage>().await.unwrap()
        }
    };
    let all = list(OrderQuery::default()).await;
    assert_eq!((all.total, all.rows.len() as u64), (30, PAGE_SIZE));
    assert_eq!(all.rows[0].id, ids[29], "newest first");
    let rest = list(OrderQuery {
        after: all.next,
        ..OrderQuery::default()
    })
    .await;
    assert_eq!(rest.rows.len(), 5);
    assert!(rest.next.is_none());
    let back = list(OrderQuery {
        before: rest.prev,
        ..OrderQuery::default()
    })
    .await;
    assert_eq!(back.rows, all.rows);

    let n = |q: OrderQuery| async { list(q).await.total };
    assert_eq!(
        n(OrderQuery {
            status: Some(OrderStatus::Confirmed),
            ..Default::default()
        })
        .await,
        10
    );
    assert_eq!(n(OrderQuery::for_client(other.id)).await, 10);
    let urgent = Some(sales::orders::Priority::Urgent);
    assert_eq!(
        n(OrderQuery {
            priority: urgent,
            ..Default::default()
        })
        .await,
        6
    );
    let both = OrderQuery {
        priority: urgent,
        client: Some(other.id),
        ..Default::default()
    };
    assert_eq!(n(both).await, 2, "orders 0 and 15");
    let today = chrono::Utc::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let range = |from, to| OrderQuery {
        from,
        to,
        ..Default::default()
    };
    assert_eq!(n(range(day(today), day(today))).await, 30);
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(n(range(day(tomorrow), String::new())).await, 0);
    let res = app.get("/api/orders/?from=2026-13-01").await;
    assert_eq!(res.status(), 400);

    let largest = list(OrderQuery {
        sort: sales::orders::OrderSort::Largest,
        ..Default::default()
    })
    .await;
    assert_eq!(largest.rows[0].id, ids[29], "30 units is the largest");
    assert!(largest.rows.windows(2).all(|w| w[0].total >= w[1].total));

    let search = |q: &str| OrderQuery {
        q: q.into(),
        ..Default::default()
    };
    let seventh = &list(search("7")).await.rows;
    assert_eq!((seventh.len(), seventh[0].id), (1, ids[6]));
    let year = chrono::Utc::now().format("%Y");
    assert_eq!(
        n(search(&format!("so-{year}-0001"))).await,
        10,
        "00010–00019"
    );
    assert_eq!(n(search(&format!("{year}-00030"))).await, 1);
    assert_eq!(n(search("SO-1999")).await, 0);
}

#[tokio::test]
async fn the_qr_code_is_an_svg_for_readers_of_the_order() {
    let (app, client, p) = shop(&[1]).await;
    let o: Order = app
        .create_order(&order_form(client.id, &[(p[0].id, 1, "1")]), false)
        .await
        .json()
        .await
        .unwrap();
    let res = app.get(&format!("/api/orders/{}/qr.svg", o.id)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let body = res.text().await.unwrap();
    assert!(body.contains("<svg") && body.contains("<path"), "{body}");
    assert_eq!(app.get("/api/orders/999999/qr.svg").await.status(), 404);
    let stranger = app.new_client();
    let res = stranger
        .get(app.url(&format!("/api/orders/{}/qr.svg", o.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

/// Days follow the business time zone (`TIMEZONE`): an order entered at 22:30 UTC on
/// 30 June is entered on 1 July in Berlin, so the list's day filter and the order page say so.
#[tokio::test]
async fn days_and_times_follow_the_business_time_zone() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = crate::support::spawn_app_with(&[("TIMEZONE", "Europe/Berlin")]).await;
    app.register("admin").await;
    let client = app.a_client("Acme").await;
    let p = app.new_product("P0", "0").await;
    let o: Order = app
        .create_order(&order_form(client.id, &[(p.id, 1, "1")]), false)
        .await
        .json()
        .await
        .unwrap();
    let at: chrono::DateTime<chrono::Utc> = "2026-06-30T22:30:00Z".parse().unwrap();
    order::Entity::update_many()
        .col_expr(order::Column::CreatedAt, Expr::val(at))
        .filter(order::Column::Id.eq(o.id))
        .exec(app.db())
        .await
        .unwrap();
    let on = |day: &'static str| {
        let app = &app;
        async move {
            let page: OrderPage = app.read(&format!("/api/orders/?from={day}&to={day}")).await;
            page.rows.len()
        }
    };
    assert_eq!(on("2026-07-01").await, 1, "1 July in Berlin");
    assert_eq!(
        on("2026-06-30").await,
        0,
        "not 30 June, as UTC would have it"
    );
    let page = app
        .get(&format!("/orders/{}", o.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2026-07-01 00:30"),
        "the page shows Berlin's clock"
    );
    assert!(page.contains("<title>SO-"), "the tab names the order");
}
