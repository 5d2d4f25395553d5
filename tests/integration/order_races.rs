//! Orders under concurrency: numbering, the last units of stock raced by confirmations and by
//! "save and confirm" entries, grouped writes, and writers of every module at once.

use futures::future::join_all;
use sales::orders::{Action, Order, OrderStatus};
use sales::server::entities::order;

use crate::support::api::{client_form, ok, order_form, receipt};
use crate::support::fixtures::shop;

/// The sequence part of an order number: 7 for SO-2026-00007.
fn seq(o: &Order) -> i64 {
    o.number.rsplit('-').next().unwrap().parse().unwrap()
}

/// Status and body of an answer that may be a refusal.
async fn answer(res: reqwest::Response) -> (u16, String) {
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Every request races the others for the sequence row: the numbers are 1..=40, each once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn numbers_stay_unique_and_gapless_under_concurrency() {
    let (app, client, p) = shop(&[0]).await;
    let f = order_form(client.id, &[(p[0].id, 1, "1")]);
    let entries = (0..40).map(|_| async {
        let o: Order = ok(app.create_order(&f, false).await).await;
        seq(&o)
    });
    let mut seqs = join_all(entries).await;
    seqs.sort();
    assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
}

/// 50 confirmations at once for the last 20 units: exactly 20 succeed, the rest are told
/// what is available, nothing is over-reserved and the ledger equals the totals.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_confirmations_reserve_exactly_what_is_available() {
    let (app, client, p) = shop(&[20, 1000]).await;
    let mut drafts = Vec::new();
    for _ in 0..50 {
        let f = order_form(client.id, &[(p[1].id, 1, "1"), (p[0].id, 1, "1")]);
        drafts.push(
            app.create_order(&f, false)
                .await
                .json::<Order>()
                .await
                .unwrap()
                .id,
        );
    }
    let confirmations = drafts.into_iter().map(|id| {
        let app = &app;
        async move { answer(app.transition(id, Action::Confirm).await).await }
    });
    let mut confirmed = 0;
    for (status, body) in join_all(confirmations).await {
        match status {
            200 => confirmed += 1,
            409 => assert!(body.contains("only 0 pcs available, 1 asked"), "{body}"),
            other => panic!("status {other}: {body}"),
        }
    }
    assert_eq!(confirmed, 20);
    let (last, plenty) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!((last.on_hand, last.reserved), (20, 20));
    assert_eq!(
        plenty.reserved, 20,
        "refused orders reserved nothing of the other line"
    );
    assert!(app.drift().await.is_empty());
}

/// The same race through "save and confirm": entries that arrive together are written as one
/// group, and a group that cannot reserve everything is written again order by order. Exactly
/// 20 orders exist afterwards, numbered 1..=20 (the refused gave their numbers back).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_save_and_confirm_entries_take_exactly_what_is_available() {
    let (app, client, p) = shop(&[20, 1000]).await;
    let f = order_form(client.id, &[(p[1].id, 1, "1"), (p[0].id, 1, "1")]);
    let entries = (0..50).map(|_| async { answer(app.create_order(&f, true).await).await });
    let mut seqs = Vec::new();
    for (status, body) in join_all(entries).await {
        match status {
            200 => {
                let o: Order = serde_json::from_str(&body).unwrap();
                assert_eq!(o.status, OrderStatus::Confirmed);
                seqs.push(seq(&o));
            }
            409 => assert!(body.contains("only 0 pcs available, 1 asked"), "{body}"),
            other => panic!("status {other}: {body}"),
        }
    }
    seqs.sort();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
    assert_eq!(app.count::<order::Entity>().await, 20);
    let (last, plenty) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!((last.on_hand, last.reserved), (20, 20));
    assert_eq!(plenty.reserved, 20);
    assert!(app.drift().await.is_empty());
}

/// Orders written as one group directly (as the intake does with what queued up meanwhile):
/// all succeed together, sharing a product; then a group with one short order saves the
/// others with consecutive numbers and refuses only that one, naming its product.
#[tokio::test]
async fn a_group_of_entries_is_all_or_retried_one_by_one() {
    use sales::error::AppError;
    use sales::orders::{intake, service};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (app, client, p) = shop(&[5, 1000]).await;
    let admin = sales::server::entities::user::Entity::find()
        .filter(sales::server::entities::user::Column::Username.eq("admin"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    let entry = |lines: &[(i64, i64, &str)], confirm| {
        service::check_entry(
            app.db(),
            chrono::Utc::now().date_naive(),
            sales::audit::Actor::new(admin),
            order_form(client.id, lines),
            confirm,
        )
    };
    let together = vec![
        entry(&[(p[1].id, 2, "1"), (p[0].id, 1, "1")], true)
            .await
            .unwrap(),
        entry(&[(p[1].id, 3, "1")], false).await.unwrap(),
        entry(&[(p[0].id, 2, "1"), (p[1].id, 4, "1")], true)
            .await
            .unwrap(),
    ];
    let written: Vec<_> = intake::write(app.db(), &app.state.config.business.zone, together)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let numbers: Vec<_> = written.iter().map(|o| o.number.as_str()).collect();
    let year = chrono::Utc::now().format("%Y");
    let expected: Vec<_> = (1..=3).map(|n| format!("SO-{year}-0000{n}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(written[1].status, OrderStatus::Draft);
    assert_eq!(written[2].lines[1].quantity, 4);
    let (scarce, plenty) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!((scarce.reserved, plenty.reserved), (3, 6));

    let mixed = vec![
        entry(&[(p[1].id, 1, "1")], true).await.unwrap(),
        entry(&[(p[1].id, 1, "1"), (p[0].id, 3, "1")], true)
            .await
            .unwrap(),
        entry(&[(p[1].id, 1, "1")], true).await.unwrap(),
    ];
    let answers = intake::write(app.db(), &app.state.config.business.zone, mixed).await;
    match &answers[1] {
        Err(AppError::Conflict(m)) => {
            assert!(m.contains("P0 (P0): only 2 pcs available, 3 asked"), "{m}")
        }
        other => panic!(
            "expected a stock refusal, got {:?}",
            other.as_ref().map(|o| &o.number)
        ),
    }
    let saved: Vec<_> = [&answers[0], &answers[2]]
        .iter()
        .map(|r| r.as_ref().unwrap().number.clone())
        .collect();
    assert_eq!(
        saved,
        [format!("SO-{year}-00004"), format!("SO-{year}-00005")]
    );
    let (scarce, plenty) = (app.product(p[0].id).await, app.product(p[1].id).await);
    assert_eq!((scarce.reserved, plenty.reserved), (3, 8));
    assert_eq!(app.count::<order::Entity>().await, 5);
    assert!(app.drift().await.is_empty());
}

/// Writers of every module at once: client entries (which read before they write), receipts
/// and order entries. On SQLite a transaction that reads first and is overtaken by another
/// writer's commit cannot write any more; every write transaction takes the lock at its start,
/// so none is overtaken and every request succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_of_every_module_at_once_all_succeed() {
    let (app, client, p) = shop(&[1000]).await;
    let clients = (0..20).map(|i| {
        let app = &app;
        async move {
            let email = format!("c{i}@example.com");
            app.create_client(&client_form(&format!("Client {i}"), &email))
                .await
                .status()
        }
    });
    let receipts = (0..20).map(|_| async { app.receive(p[0].id, &receipt("1")).await.status() });
    let orders = (0..20).map(|_| async {
        app.create_order(&order_form(client.id, &[(p[0].id, 1, "1")]), true)
            .await
            .status()
    });
    let (a, b, c) = futures::join!(join_all(clients), join_all(receipts), join_all(orders));
    for status in a.into_iter().chain(b).chain(c) {
        assert_eq!(status, 200);
    }
    let stock = app.product(p[0].id).await;
    assert_eq!((stock.on_hand, stock.reserved), (1020, 20));
    assert_eq!(app.count::<order::Entity>().await, 20);
    assert!(app.drift().await.is_empty());
}
