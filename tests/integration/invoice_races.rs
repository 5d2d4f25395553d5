//! Invoices under concurrent requests, on SQLite and PostgreSQL alike: fifty issues at once
//! take exactly the next fifty numbers; an issue that fails after taking its number gives it
//! back; invoices racing for one order never invoice more than it has; payments racing for
//! one invoice never overpay it.

use chrono::Datelike;
use futures::future::join_all;
use sales::invoices::{DraftForm, Invoice, InvoiceStatus};
use sales::money::Money;
use sales::orders::Order;
use sales::server::numbers::NumberProblem;
use sea_orm::ConnectionTrait;

use crate::support::api::{issue_form, ok, order_form, payment_form};
use crate::support::fixtures::shop;
use crate::support::{TestApp, on_postgres, spawn_app_with};

/// An app invoicing what was ordered, with an admin, a client and a product with stock.
async fn prepaid_shop() -> (TestApp, i64, i64) {
    let app = spawn_app_with(&[("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let client = app.a_client("Acme").await;
    let product = app.product_with_stock("P0", 1000).await;
    (app, client.id, product.id)
}

/// `n` confirmed one-line orders of `client` for `product`, and a draft invoice of each.
async fn drafts(app: &TestApp, client: i64, product: i64, n: usize) -> Vec<Invoice> {
    let mut drafts = Vec::new();
    for _ in 0..n {
        let order: Order = ok(app
            .create_order(&order_form(client, &[(product, 1, "2.00")]), true)
            .await)
        .await;
        drafts.push(app.draft_invoice(order.id).await);
    }
    drafts
}

#[tokio::test]
async fn fifty_simultaneous_issues_take_the_next_fifty_numbers() {
    let (app, client, product) = prepaid_shop().await;
    let drafts: Vec<_> = drafts(&app, client, product, 50)
        .await
        .into_iter()
        .map(|d| d.id)
        .collect();
    let now = issue_form("", "");
    let issued = join_all(drafts.iter().map(|&id| app.issue_invoice(id, &now))).await;
    let mut seqs = Vec::new();
    for res in issued {
        let inv: Invoice = ok(res).await;
        let number = inv.number.unwrap();
        seqs.push(number.rsplit('-').next().unwrap().parse::<i64>().unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=50).collect::<Vec<_>>(), "no gap, no repeat");
    let problems: Vec<NumberProblem> = app.read("/api/admin/check-numbers").await;
    assert!(problems.is_empty(), "{problems:?}");
}

/// Makes the database refuse to number the invoice whose notes say so: a failure after the
/// number is taken, in the issuing transaction.
async fn plant_failure(app: &TestApp) {
    let db = app.db();
    if on_postgres() {
        db.execute_unprepared(
            "CREATE FUNCTION fail_issue() RETURNS trigger AS $$ BEGIN \
             IF NEW.notes = 'fail here' AND NEW.number IS NOT NULL THEN \
             RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        )
        .await
        .unwrap();
        db.execute_unprepared(
            "CREATE TRIGGER fail_issue BEFORE UPDATE ON invoices FOR EACH ROW \
             EXECUTE FUNCTION fail_issue()",
        )
        .await
        .unwrap();
    } else {
        db.execute_unprepared(
            "CREATE TRIGGER fail_issue BEFORE UPDATE ON invoices \
             WHEN NEW.notes = 'fail here' AND NEW.number IS NOT NULL \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        )
        .await
        .unwrap();
    }
}

/// Marks `draft` (of one line) as the one `plant_failure` refuses to number.
async fn doom(app: &TestApp, draft: &Invoice) {
    let doomed = DraftForm {
        notes: "fail here".into(),
        lines: vec![sales::invoices::DraftLine {
            id: draft.lines[0].id,
            quantity: "1".into(),
        }],
    };
    ok::<Invoice>(app.update_invoice(draft.id, &doomed).await).await;
}

#[tokio::test]
async fn an_issue_failing_after_taking_its_number_gives_it_back() {
    let (app, client, product) = prepaid_shop().await;
    let ids = drafts(&app, client, product, 3).await;
    plant_failure(&app).await;
    let year = app.state.config.business.zone.today().year();
    let first: Invoice = ok(app.issue_invoice(ids[0].id, &issue_form("", "")).await).await;
    assert_eq!(first.number.unwrap(), format!("INV-{year}-00001"));
    doom(&app, &ids[1]).await;
    let res = app.issue_invoice(ids[1].id, &issue_form("", "")).await;
    assert_eq!(res.status(), 500, "the injected failure");
    let still = app.invoice(ids[1].id).await;
    assert_eq!((still.status, still.number), (InvoiceStatus::Draft, None));
    let next: Invoice = ok(app.issue_invoice(ids[2].id, &issue_form("", "")).await).await;
    assert_eq!(
        next.number.unwrap(),
        format!("INV-{year}-00002"),
        "00002 came back"
    );
    let problems: Vec<NumberProblem> = app.read("/api/admin/check-numbers").await;
    assert!(problems.is_empty(), "{problems:?}");
}

#[tokio::test]
async fn invoices_racing_for_one_order_never_invoice_more_than_it_has() {
    let (app, client, p) = shop(&[100]).await;
    let order = app
        .delivered_order(client.id, &[(p[0].id, 7, "3.00")])
        .await;
    let answers = join_all((0..10).map(|_| app.create_invoice(order.id))).await;
    let made = answers.iter().filter(|r| r.status() == 200).count();
    let refused = answers.iter().filter(|r| r.status() == 409).count();
    assert_eq!((made, refused), (1, 9));
    let o = app.order(order.id).await;
    assert_eq!(o.lines[0].quantity, 7);
    let progress = app.order_invoicing(order.id).await;
    assert_eq!(progress.invoiceable, 0);
    assert_eq!(progress.invoices.len(), 1);
    assert_eq!(progress.invoices[0].total, o.total);
}

#[tokio::test]
async fn payments_racing_for_one_invoice_never_overpay_it() {
    let (app, client, p) = shop(&[10]).await;
    // 4 × 25.00 + 19 % = 119.00: room for exactly four payments of 29.75.
    let order = app
        .delivered_order(client.id, &[(p[0].id, 4, "25.00")])
        .await;
    let inv = app.issued_invoice(order.id).await;
    assert_eq!(inv.total, Money(11900));
    let quarter = payment_form("29.75", "");
    let answers = join_all((0..12).map(|_| app.pay(inv.id, &quarter))).await;
    let accepted = answers.iter().filter(|r| r.status() == 200).count();
    assert_eq!(accepted, 4);
    assert!(
        answers
            .iter()
            .all(|r| [200, 400, 409].contains(&r.status().as_u16()))
    );
    let after = app.invoice(inv.id).await;
    assert_eq!((after.paid, after.balance), (Money(11900), Money(0)));
    assert_eq!(after.status, InvoiceStatus::Paid);
    assert_eq!(after.payments.len(), 4);
}

/// Drafts issued as one group directly (as the issuing queue does with what queued up
/// meanwhile): a group with a failing draft and a draft asked twice is issued again one by
/// one, so the others keep consecutive numbers, the failing one gives its number back and the
/// repeat is refused; a clean group is issued in one transaction.
#[tokio::test]
async fn a_group_of_issues_is_all_or_retried_one_by_one() {
    use sales::audit::Actor;
    use sales::error::AppError;
    use sales::invoices::issuing::{IssueJob, IssueWriter};
    use sales::server::entities::{client, user};
    use sales::server::grouped;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (app, client_id, product) = prepaid_shop().await;
    let db = app.db();
    let admin = user::Entity::find()
        .filter(user::Column::Username.eq("admin"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let buyer = client::Entity::find_by_id(client_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let drafts = drafts(&app, client_id, product, 5).await;
    plant_failure(&app).await;
    doom(&app, &drafts[1]).await;
    let today = app.state.config.business.zone.today();
    let job = |i: usize| IssueJob {
        actor: Actor::new(admin),
        id: drafts[i].id,
        dates: (today, today),
        client: buyer.clone(),
        references: sales::invoices::document::References {
            order_number: drafts[i].order_number.clone(),
            client_reference: String::new(),
            ship_to: String::new(),
            delivery_notes: Vec::new(),
        },
    };
    let writer = IssueWriter::new(db, app.state.config.clone());
    let answers = grouped::write(&writer, vec![job(0), job(1), job(0), job(2)]).await;
    let number = |r: &Result<sales::invoices::issuing::Issued, AppError>| {
        r.as_ref().ok().and_then(|i| i.row.number.clone())
    };
    let year = today.year();
    assert_eq!(number(&answers[0]), Some(format!("INV-{year}-00001")));
    assert!(
        matches!(answers[1], Err(AppError::Internal)),
        "the injected failure"
    );
    match &answers[2] {
        Err(AppError::Conflict(m)) => assert!(m.contains("is issued"), "{m}"),
        _ => panic!("the draft asked twice was issued twice"),
    }
    assert_eq!(number(&answers[3]), Some(format!("INV-{year}-00002")));
    let still = app.invoice(drafts[1].id).await;
    assert_eq!((still.status, still.number), (InvoiceStatus::Draft, None));

    let together = grouped::write(&writer, vec![job(3), job(4)]).await;
    let rows: Vec<_> = together.into_iter().map(|r| r.unwrap().row).collect();
    let numbers: Vec<_> = rows.iter().map(|r| r.number.clone().unwrap()).collect();
    assert_eq!(
        numbers,
        [format!("INV-{year}-00003"), format!("INV-{year}-00004")]
    );
    assert_eq!(rows[0].issued_at, rows[1].issued_at, "one transaction");
    let problems: Vec<NumberProblem> = app.read("/api/admin/check-numbers").await;
    assert!(problems.is_empty(), "{problems:?}");
}
