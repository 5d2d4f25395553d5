//! Invoices through the API: drafted from an order under either invoicing policy, edited,
//! issued with a number, paid in part and in full, credited in part and in full, and every
//! illegal step refused with a 409 (or, for an overpayment, a message at the amount) and
//! nothing written. Roles and bad input too.

use chrono::{Datelike, Days};
use sales::auth::Role;
use sales::invoices::{
    DraftForm, DraftLine, Invoice, InvoiceFilter, InvoiceQuery, InvoiceStatus, Progress,
};
use sales::money::Money;
use sales::server::entities::{credit_note, invoice, payment};

use crate::support::api::{conflict, credit_form, field_error, issue_form, ok, payment_form};
use crate::support::fixtures::{client_with_role, shop};
use crate::support::spawn_app_with;

#[tokio::test]
async fn an_invoice_is_drafted_issued_paid_in_part_then_in_full() {
    let (app, client, p) = shop(&[10, 10]).await;
    let order = app
        .delivered_order(client.id, &[(p[0].id, 3, "10.00"), (p[1].id, 2, "2.50")])
        .await;
    let draft = app.draft_invoice(order.id).await;
    assert_eq!(draft.status, InvoiceStatus::Draft);
    assert_eq!(draft.number, None, "a draft has no number");
    assert_eq!(draft.lines.len(), 2);
    // 30.00 + 5.00 net, 5.70 + 0.95 tax: the order's own totals, to the cent.
    assert_eq!(
        (draft.net, draft.tax, draft.total),
        (order.net, order.tax, order.total)
    );
    assert_eq!(draft.total, Money(4165));
    let progress = app.order_invoicing(order.id).await;
    assert_eq!(
        (progress.progress, progress.invoiceable),
        (Progress::Fully, 0)
    );

    let today = app.state.config.business.zone.today();
    let issued: Invoice = ok(app.issue_invoice(draft.id, &issue_form("", "")).await).await;
    let year = today.year();
    assert_eq!(
        issued.number.as_deref(),
        Some(&*format!("INV-{year}-00001"))
    );
    assert_eq!(issued.issue_date, Some(today));
    assert_eq!(
        issued.due_date,
        Some(today + Days::new(14)),
        "the client's terms"
    );
    assert_eq!(
        (issued.status, issued.balance),
        (InvoiceStatus::Issued, Money(4165))
    );
    assert!(!issued.overdue);

    let part: Invoice = ok(app.pay(draft.id, &payment_form("20.00", "")).await).await;
    assert_eq!(part.status, InvoiceStatus::PartiallyPaid);
    assert_eq!((part.paid, part.balance), (Money(2000), Money(2165)));
    let open = InvoiceQuery {
        status: Some(InvoiceFilter::Open),
        ..InvoiceQuery::default()
    };
    assert_eq!(app.outstanding(&open).await, Money(2165));
    let paid: Invoice = ok(app.pay(draft.id, &payment_form("21.65", "")).await).await;
    assert_eq!((paid.status, paid.balance), (InvoiceStatus::Paid, Money(0)));
    assert_eq!(paid.payments.len(), 2);
    assert_eq!(app.outstanding(&InvoiceQuery::default()).await, Money(0));
    let listed = app
        .invoices(&InvoiceQuery {
            status: Some(InvoiceFilter::Is(InvoiceStatus::Paid)),
            ..InvoiceQuery::default()
        })
        .await;
    assert_eq!(listed.rows.len(), 1);
    assert_eq!(listed.rows[0].client_name, "Acme");

    let history: Vec<sales::audit::AuditEvent> = app
        .read(&format!("/api/invoices/{}/history", draft.id))
        .await;
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "invoice.created",
            "invoice.issued",
            "invoice.payment_recorded",
            "invoice.payment_recorded"
        ]
    );
}

#[tokio::test]
async fn invoices_take_what_was_delivered_or_under_the_ordered_policy_what_was_ordered() {
    let (app, client, p) = shop(&[10]).await;
    let order = app
        .confirmed_order(client.id, &[(p[0].id, 5, "4.00")])
        .await;
    let msg = conflict(app.create_invoice(order.id).await).await;
    assert!(
        msg.contains("nothing of") && msg.contains("delivered yet"),
        "{msg}"
    );
    let line = order.lines[0].id;
    let d: sales::deliveries::Delivery = ok(app
        .schedule_delivery(&crate::support::api::schedule_form(
            order.id,
            "",
            &[(line, "2")],
        ))
        .await)
    .await;
    let step = sales::deliveries::Step::Deliver {
        recipient: "Sam".into(),
        note: String::new(),
        signature: None,
    };
    ok::<sales::deliveries::Delivery>(app.step_delivery(d.id, &step).await).await;
    let first = app.draft_invoice(order.id).await;
    assert_eq!(first.lines[0].quantity, 2, "what was delivered");
    assert_eq!(
        app.order_invoicing(order.id).await.progress,
        Progress::Partially
    );
    let msg = conflict(app.create_invoice(order.id).await).await;
    assert!(msg.contains("already invoiced"), "{msg}");

    let prepay = spawn_app_with(&[("INVOICE_POLICY", "ordered")]).await;
    prepay.register("admin").await;
    let acme = prepay.a_client("Acme").await;
    let product = prepay.product_with_stock("P0", 10).await;
    let order = prepay
        .confirmed_order(acme.id, &[(product.id, 5, "4.00")])
        .await;
    let draft = prepay.draft_invoice(order.id).await;
    assert_eq!(
        draft.lines[0].quantity, 5,
        "what was ordered, before delivery"
    );
    assert_eq!(draft.total, Money(2380));
}

#[tokio::test]
async fn a_draft_is_lowered_trimmed_and_deleted_giving_its_quantities_back() {
    let (app, client, p) = shop(&[10, 10]).await;
    let order = app
        .delivered_order(client.id, &[(p[0].id, 4, "1.00"), (p[1].id, 2, "3.00")])
        .await;
    let draft = app.draft_invoice(order.id).await;
    let (a, b) = (draft.lines[0].id, draft.lines[1].id);
    let form = |qa: &str, qb: &str| DraftForm {
        notes: "Thank you".into(),
        lines: vec![
            DraftLine {
                id: a,
                quantity: qa.into(),
            },
            DraftLine {
                id: b,
                quantity: qb.into(),
            },
        ],
    };
    let msg = field_error(
        app.update_invoice(draft.id, &form("5", "2")).await,
        "lines[0].quantity",
    )
    .await;
    assert!(msg.contains("at most 4"), "{msg}");
    let msg = field_error(app.update_invoice(draft.id, &form("0", "")).await, "lines").await;
    assert!(msg.contains("delete the draft"), "{msg}");
    let edited: Invoice = ok(app.update_invoice(draft.id, &form("1", "0")).await).await;
    assert_eq!(edited.lines.len(), 1);
    assert_eq!((edited.net, edited.total), (Money(100), Money(119)));
    assert_eq!(edited.notes, "Thank you");
    assert_eq!(
        app.order_invoicing(order.id).await.invoiceable,
        5,
        "3 + 2 given back"
    );
    assert_eq!(app.order(order.id).await.lines[0].quantity, 4);

    ok::<()>(app.delete_invoice(draft.id).await).await;
    assert_eq!(app.count::<invoice::Entity>().await, 0);
    let progress = app.order_invoicing(order.id).await;
    assert_eq!(
        (progress.progress, progress.invoiceable),
        (Progress::NotInvoiced, 6)
    );
}

#[tokio::test]
async fn issued_invoices_are_frozen_and_illegal_steps_answer_409() {
    let (app, client, p) = shop(&[10]).await;
    let draft_order = app
        .create_order(
            &crate::support::api::order_form(client.id, &[(p[0].id, 1, "1")]),
            false,
        )
        .await;
    let draft_order: sales::orders::Order = ok(draft_order).await;
    let msg = conflict(app.create_invoice(draft_order.id).await).await;
    assert!(msg.contains("is a draft; confirm it"), "{msg}");

    let order = app
        .delivered_order(client.id, &[(p[0].id, 2, "10.00")])
        .await;
    let draft = app.draft_invoice(order.id).await;
    let msg = conflict(app.pay(draft.id, &payment_form("1.00", "")).await).await;
    assert!(msg.contains("issue it first"), "{msg}");
    let msg = conflict(
        app.credit_invoice(draft.id, &credit_form("wrong", &[]))
            .await,
    )
    .await;
    assert!(msg.contains("a draft is edited"), "{msg}");

    let issued: Invoice = ok(app.issue_invoice(draft.id, &issue_form("", "")).await).await;
    let number = issued.number.clone().unwrap();
    let keep = DraftForm {
        notes: "changed".into(),
        lines: vec![DraftLine {
            id: issued.lines[0].id,
            quantity: "1".into(),
        }],
    };
    for (what, res) in [
        ("edit", app.update_invoice(draft.id, &keep).await),
        ("delete", app.delete_invoice(draft.id).await),
        (
            "issue again",
            app.issue_invoice(draft.id, &issue_form("", "")).await,
        ),
    ] {
        let msg = conflict(res).await;
        assert!(
            msg.contains(&number) && msg.contains("credit note"),
            "{what}: {msg}"
        );
    }
    // Overpaying is refused at the amount, saying what is due; nothing is written.
    let msg = field_error(
        app.pay(draft.id, &payment_form("23.81", "")).await,
        "amount",
    )
    .await;
    assert_eq!(
        msg,
        format!("only 23.80 is due on {number}; 23.81 would overpay it")
    );
    assert_eq!(app.count::<payment::Entity>().await, 0);
    ok::<Invoice>(app.pay(draft.id, &payment_form("23.80", "")).await).await;
    let msg = conflict(app.pay(draft.id, &payment_form("0.01", "")).await).await;
    assert!(msg.contains("is paid; nothing is due"), "{msg}");
    let unchanged = app.invoice(draft.id).await;
    assert_eq!(
        (unchanged.notes.as_str(), unchanged.lines[0].quantity),
        ("", 2)
    );
}

#[tokio::test]
async fn credit_notes_take_back_part_then_all_of_an_invoice() {
    let (app, client, p) = shop(&[10, 10]).await;
    // 3 × 0.33 at 19 % (0.99 net, 0.19 tax) and 2 × 10.00 (20.00, 3.80): 24.98.
    let order = app
        .delivered_order(client.id, &[(p[0].id, 3, "0.33"), (p[1].id, 2, "10.00")])
        .await;
    let inv = app.issued_invoice(order.id).await;
    assert_eq!(inv.total, Money(2498));
    let small = inv.lines[0].id;
    let year = app.state.config.business.zone.today().year();

    let msg = field_error(
        app.credit_invoice(inv.id, &credit_form("", &[(small, "1")]))
            .await,
        "reason",
    )
    .await;
    assert!(msg.contains("why"), "{msg}");
    let part: Invoice = ok(app
        .credit_invoice(inv.id, &credit_form("One arrived broken", &[(small, "1")]))
        .await)
    .await;
    assert_eq!(part.credit_notes.len(), 1);
    assert_eq!(part.credit_notes[0].number, format!("CN-{year}-00001"));
    // 0.33 net and 0.06 tax (6.27 ¢) back.
    assert_eq!(part.credit_notes[0].total, Money(39));
    assert_eq!((part.credited, part.balance), (Money(39), Money(2459)));
    assert_eq!(
        part.status,
        InvoiceStatus::Issued,
        "partly credited, nothing paid"
    );
    assert_eq!(part.lines[0].credited, 1);
    assert_eq!(
        app.order_invoicing(order.id).await.invoiceable,
        1,
        "invoiceable again"
    );

    let msg = field_error(
        app.credit_invoice(inv.id, &credit_form("again", &[(small, "3")]))
            .await,
        "lines[0].quantity",
    )
    .await;
    assert!(msg.contains("only 2 of"), "{msg}");

    let paid: Invoice = ok(app.pay(inv.id, &payment_form("10.00", "")).await).await;
    assert_eq!(paid.status, InvoiceStatus::PartiallyPaid);
    let all: Invoice = ok(app
        .credit_invoice(inv.id, &credit_form("Cancelled by the client", &[]))
        .await)
    .await;
    assert_eq!(all.credit_notes[1].number, format!("CN-{year}-00002"));
    assert_eq!(
        all.credited, all.total,
        "a full credit takes back exactly the total"
    );
    assert_eq!(all.status, InvoiceStatus::Credited);
    assert_eq!(
        all.balance,
        Money(-1000),
        "the 10.00 paid is owed back to the client"
    );
    assert!(all.lines.iter().all(|l| l.credited == l.quantity));
    let msg = conflict(app.credit_invoice(inv.id, &credit_form("more", &[])).await).await;
    assert!(msg.contains("already fully credited"), "{msg}");
    assert_eq!(app.count::<credit_note::Entity>().await, 2);
    let res = app
        .get(&format!("/api/credit-notes/{}/pdf", all.credit_notes[1].id))
        .await;
    assert_eq!(res.status(), 200);
    let text = crate::support::pdftotext(&res.bytes().await.unwrap());
    assert!(text.contains(&format!("CN-{year}-00002")), "{text}");
    assert!(text.contains("Cancelled by the client"), "{text}");
}

#[tokio::test]
async fn a_deleted_payment_is_owed_again_and_recorded() {
    let (app, client, p) = shop(&[10]).await;
    let order = app
        .delivered_order(client.id, &[(p[0].id, 1, "100.00")])
        .await;
    let inv = app.issued_invoice(order.id).await;
    let paid: Invoice = ok(app.pay(inv.id, &payment_form("119.00", "")).await).await;
    assert_eq!(paid.status, InvoiceStatus::Paid);
    let back: Invoice = ok(app.delete_payment(paid.payments[0].id).await).await;
    assert_eq!(
        (back.status, back.balance),
        (InvoiceStatus::Issued, Money(11900))
    );
    assert!(back.payments.is_empty());
    assert_eq!(app.delete_payment(paid.payments[0].id).await.status(), 404);
    let history: Vec<sales::audit::AuditEvent> =
        app.read(&format!("/api/invoices/{}/history", inv.id)).await;
    let last = history.last().unwrap();
    assert_eq!(last.action, "invoice.payment_deleted");
    assert!(last.details.contains("119.00"), "{}", last.details);
}

#[tokio::test]
async fn accounting_invoices_sales_reads_and_the_warehouse_is_kept_out() {
    let (app, client, p) = shop(&[10]).await;
    let order = app
        .delivered_order(client.id, &[(p[0].id, 1, "5.00")])
        .await;
    let (accounting, _) = client_with_role(&app, "anna", Role::Accounting).await;
    let (sales_person, _) = client_with_role(&app, "sam", Role::Sales).await;
    let (warehouse, _) = client_with_role(&app, "wim", Role::Warehouse).await;
    let create = serde_json::json!({ "order_id": order.id });
    for (who, status) in [(&sales_person, 403), (&warehouse, 403)] {
        let res = app.call_with(who, "/api/invoices/create", &create).await;
        assert_eq!(res.status(), status);
    }
    let res = app
        .call_with(&accounting, "/api/invoices/create", &create)
        .await;
    let draft: Invoice = ok(res).await;
    let pay = serde_json::json!({ "id": draft.id, "form": payment_form("1", "") });
    let res = app
        .call_with(&sales_person, "/api/invoices/pay", &pay)
        .await;
    assert_eq!(res.status(), 403);
    let read = |c: &reqwest::Client| {
        c.get(app.url(&format!("/api/invoices/{}", draft.id)))
            .send()
    };
    assert_eq!(read(&sales_person).await.unwrap().status(), 200);
    assert_eq!(read(&warehouse).await.unwrap().status(), 403);
    let list = warehouse
        .get(app.url("/api/invoices/"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 403);
}

#[tokio::test]
async fn bad_payments_and_dates_are_refused_at_their_fields_and_write_nothing() {
    let (app, client, p) = shop(&[10]).await;
    let order = app
        .delivered_order(client.id, &[(p[0].id, 1, "5.00")])
        .await;
    let draft = app.draft_invoice(order.id).await;
    let today = app.state.config.business.zone.today();
    let tomorrow = (today + Days::new(1)).to_string();
    let yesterday = (today - Days::new(1)).to_string();
    let msg = field_error(
        app.issue_invoice(draft.id, &issue_form(&tomorrow, ""))
            .await,
        "issue_date",
    )
    .await;
    assert!(msg.contains("future"), "{msg}");
    let msg = field_error(
        app.issue_invoice(draft.id, &issue_form("", &yesterday))
            .await,
        "due_date",
    )
    .await;
    assert!(msg.contains("before the issue date"), "{msg}");
    let msg = field_error(
        app.issue_invoice(draft.id, &issue_form("2026-02-30", ""))
            .await,
        "issue_date",
    )
    .await;
    assert!(msg.contains("not a date"), "{msg}");
    assert_eq!(app.invoice(draft.id).await.status, InvoiceStatus::Draft);

    ok::<Invoice>(
        app.issue_invoice(draft.id, &issue_form(&yesterday, ""))
            .await,
    )
    .await;
    for (amount, date, field) in [
        ("abc", "", "amount"),
        ("0", "", "amount"),
        ("-5", "", "amount"),
        ("1.234", "", "amount"),
        ("99999999999999", "", "amount"),
        ("1.00", tomorrow.as_str(), "paid_on"),
        ("1.00", "yesterday", "paid_on"),
    ] {
        let res = app.pay(draft.id, &payment_form(amount, date)).await;
        field_error(res, field).await;
    }
    assert_eq!(app.count::<payment::Entity>().await, 0);
    assert_eq!(app.invoice(draft.id).await.status, InvoiceStatus::Issued);
    assert_eq!(app.get("/api/invoices/?status=late").await.status(), 400);
    let res = app.get("/api/invoices/?from=2026-13-01").await;
    assert_eq!(res.status(), 400);
    assert_eq!(app.get("/api/invoices/999999").await.status(), 404);
    assert_eq!(app.pay(999_999, &payment_form("1", "")).await.status(), 404);
}
