//! Invoice scenarios: a generator giving every generated order an invoice (a million, issued
//! over the orders' four years: 2 % drafts, 10 % issued, 5 % partially paid, 83 % paid, with
//! their lines and payments), the list filtered and paged, its outstanding sum, aging over
//! all of them, issuing with the PDF per second over HTTP, and the stored PDF served.
//!
//! The server runs with `INVOICE_POLICY=ordered` (see `main`), so orders entered during the
//! run can be invoiced without delivering them first.

use std::time::Instant;

use chrono::{Datelike, Days, Utc};
use sales::choice::stored;
use sales::server::entities::{invoice, order};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::accounts::CLIENT_HEADER;
use crate::{cycle, drive, post};

/// One invoice per generated order, numbered per year of issue; answers how many are open.
pub async fn generate(db: &DatabaseConnection, username: &str) -> usize {
    let started = Instant::now();
    let actor = crate::orders::user_id(db, username).await;
    let today = Utc::now().date_naive();
    let mut txn = db.begin().await.unwrap();
    let (mut after, mut made, mut open) = (0i64, 0usize, 0usize);
    let mut seq = (0, 0i64);
    let mut years = Vec::new();
    loop {
        let batch: Vec<(i64, i64, i64, i64, i64, chrono::DateTime<Utc>)> = order::Entity::find()
            .select_only()
            .columns([
                order::Column::Id,
                order::Column::ClientId,
                order::Column::Net,
                order::Column::Tax,
                order::Column::Total,
                order::Column::CreatedAt,
            ])
            .filter(order::Column::Id.gt(after))
            .order_by_asc(order::Column::Id)
            .limit(500)
            .into_tuple()
            .all(&txn)
            .await
            .unwrap();
        let Some(last) = batch.last() else { break };
        after = last.0;
        let rows: Vec<invoice::ActiveModel> = batch
            .into_iter()
            .map(|(id, client_id, net, tax, total, at)| {
                made += 1;
                let issued = (at.date_naive() + Days::new(3)).min(today);
                let kind = id % 100;
                let draft = kind < 2;
                let (status, paid) = match kind {
                    0..=1 => ("draft", 0),
                    2..=11 => ("issued", 0),
                    12..=16 => ("partially_paid", total / 2),
                    _ => ("paid", total),
                };
                if (2..=16).contains(&kind) {
                    open += 1;
                }
                let number = (!draft).then(|| {
                    if seq.0 != issued.year() {
                        if seq.0 != 0 {
                            years.push(seq);
                        }
                        seq = (issued.year(), 0);
                    }
                    seq.1 += 1;
                    (sales::server::sequence::format("INV", seq.0, seq.1), seq.1)
                });
                invoice::ActiveModel {
                    id: Set(id),
                    number: Set(number.as_ref().map(|n| n.0.clone())),
                    seq: Set(number.map(|n| n.1)),
                    order_id: Set(id),
                    client_id: Set(client_id),
                    status: Set(stored(status).expect("a status")),
                    issue_date: Set((!draft).then_some(issued)),
                    due_date: Set((!draft).then_some(issued + Days::new(30))),
                    notes: Set(String::new()),
                    net: Set(net),
                    tax: Set(tax),
                    total: Set(total),
                    paid: Set(paid),
                    credited: Set(0),
                    balance: Set(total - paid),
                    settled_on: Set((status == "paid").then_some(issued + Days::new(20))),
                    document: Set(None),
                    pdf: Set(None),
                    pdf_sha256: Set(None),
                    created_by: Set(actor),
                    issued_by: Set((!draft).then_some(actor)),
                    created_at: Set(at),
                    updated_at: Set(at),
                    issued_at: Set((!draft).then_some(at)),
                }
            })
            .collect();
        invoice::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .unwrap();
        if made % 50_000 == 0 {
            txn.commit().await.unwrap();
            txn = db.begin().await.unwrap();
        }
    }
    years.push(seq);
    // Each invoice carries its whole order; payments pay what the invoices say was paid.
    txn.execute_unprepared(
        "INSERT INTO invoice_lines (invoice_id, order_line_id, position, product_id, \
         description, unit, quantity, unit_price, discount, tax_rate_bp, net, tax, credited) \
         SELECT l.order_id, l.id, l.position, l.product_id, l.description, 'pcs', l.quantity, \
         l.unit_price, l.discount, l.tax_rate_bp, l.net, l.tax, 0 FROM order_lines l",
    )
    .await
    .unwrap();
    txn.execute_unprepared("UPDATE order_lines SET invoiced = quantity")
        .await
        .unwrap();
    txn.execute_unprepared(
        "INSERT INTO payments (invoice_id, client_id, amount, paid_on, method, reference, \
         created_by, created_at) SELECT id, client_id, paid, COALESCE(settled_on, due_date), \
         'bank_transfer', 'Generated', created_by, created_at FROM invoices WHERE paid > 0",
    )
    .await
    .unwrap();
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        txn.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('invoices', 'id'), (SELECT MAX(id) FROM invoices))",
        )
        .await
        .unwrap();
    }
    // The app numbers on from the generated invoices.
    for (year, last) in years {
        txn.execute_unprepared(&format!(
            "INSERT INTO sequences (name, next) VALUES ('INV-{year}', {}) \
             ON CONFLICT (name) DO UPDATE SET next = excluded.next",
            last + 1
        ))
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!("generated {made} invoices ({open} open) with lines and payments in {secs:.1} s");
    open
}

/// Draws a three-line invoice `n` times in this process (one core): the PDF's own cost in
/// each issue.
fn render_timing(n: usize) {
    use sales::invoices::document::{Buyer, DocLine, Document, Kind, summary_of};
    use sales::money::Money;
    let line = |name: &str, q: i64, price: i64| DocLine {
        description: name.into(),
        quantity: q,
        unit: "pcs".into(),
        unit_price: Money(price),
        discount: Money(0),
        tax_rate_bp: 1900,
        net: Money(q * price),
        tax: Money((q * price * 19 + 50) / 100),
    };
    let lines = vec![
        line("Oak chair", 2, 1999),
        line("Desk lamp", 1, 450),
        line("Cable", 3, 125),
    ];
    let today = Utc::now().date_naive();
    let doc = Document {
        kind: Kind::Invoice {
            due_date: today,
            payment_terms_days: 14,
            delivery_notes: vec!["DN-2026-00001".into()],
        },
        number: "INV-2026-00001".into(),
        issue_date: today,
        currency: "EUR".into(),
        seller: sales::server::config::Company {
            name: "Łódź Trading".into(),
            address: "ul. Piotrkowska 1\n90-001 Łódź".into(),
            tax_id: "PL1234567890".into(),
            bank: "Bank".into(),
            iban: "DE89370400440532013000".into(),
            bic: "COBADEFFXXX".into(),
        },
        buyer: Buyer {
            name: "Zoë Łukasiewicz".into(),
            address: "Müllerstraße 5\n30-001 Kraków".into(),
            tax_id: String::new(),
        },
        ship_to: String::new(),
        client_reference: "PO-7781".into(),
        order_number: "SO-2026-00001".into(),
        tax_summary: summary_of(&lines),
        net: Money(lines.iter().map(|l| l.net.0).sum()),
        tax: Money(lines.iter().map(|l| l.tax.0).sum()),
        total: Money(lines.iter().map(|l| l.net.0 + l.tax.0).sum()),
        lines,
        paid: Money(0),
        balance: Money(0),
        notes: String::new(),
    };
    sales::invoices::pdf::render(&doc).unwrap();
    let started = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes = sales::invoices::pdf::render(&doc).unwrap().len();
    }
    let each = started.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!("invoice PDF drawn in process: {each:.2} ms each ({bytes} bytes), {n} runs");
}

pub async fn scenarios(
    client: &reqwest::Client,
    base: &str,
    clients: usize,
    products: usize,
    requests: usize,
    c: usize,
) {
    let today = Utc::now().date_naive();
    let year = today.year();
    let lists: Vec<String> = (0..200)
        .map(|k| match k % 10 {
            0 => "/api/invoices/?".to_string(),
            1 => "/api/invoices/?status=open".to_string(),
            2 => "/api/invoices/?status=overdue".to_string(),
            3 => "/api/invoices/?status=paid".to_string(),
            4 => format!("/api/invoices/?client={}", 1 + (k * 31) % clients),
            5 => format!("/api/invoices/?q=INV-{year}-00{}", k % 10),
            6 => format!(
                "/api/invoices/?from={}&to={}",
                today - Days::new(60),
                today - Days::new(30)
            ),
            7 => format!(
                "/api/invoices/?due_from={}&due_to={}",
                today,
                today + Days::new(14)
            ),
            8 => format!(
                "/api/invoices/?status=partially_paid&client={}",
                1 + k % clients
            ),
            _ => format!("/api/invoices/?after={}", 1_000_000 - k * 4999),
        })
        .collect();
    cycle("invoice list, filtered", client, base, &lists, requests, c)
        .await
        .print();
    let sums: Vec<String> = lists
        .iter()
        .map(|p| p.replace("/api/invoices/?", "/api/invoices/outstanding?"))
        .filter(|p| !p.contains("after="))
        .collect();
    cycle(
        "invoice outstanding sum",
        client,
        base,
        &sums,
        requests / 4,
        c,
    )
    .await
    .print();
    cycle(
        "invoice list page (SSR)",
        client,
        base,
        &[
            "/invoices".to_string(),
            "/invoices?status=overdue".to_string(),
        ],
        requests / 4,
        c,
    )
    .await
    .print();
    // Aging reads every open invoice: one at a time, as an accountant opens it.
    let agings: Vec<String> = (0..4)
        .map(|k| format!("/api/invoices/aging?as_of={}", today - Days::new(k * 45)))
        .collect();
    cycle("aging, 1M invoices", client, base, &agings, 40, 1)
        .await
        .print();

    render_timing(300);
    // Issue per second: orders entered and confirmed and drafted first, then each draft
    // issued once, concurrently; each issue draws and stores its PDF.
    let n = (requests / 4).max(500);
    let mut drafts = Vec::with_capacity(n);
    for i in 0..n {
        let product = 1 + (i * 17) % products;
        let body = json!({
            "form": { "client_id": 1 + i % clients, "priority": "normal",
                      "lines": [
                          { "product_id": product, "quantity": "2", "unit_price": "19.99" },
                          { "product_id": 1 + (product + 1) % products, "quantity": "1", "unit_price": "5.00", "discount": "0.50" },
                          { "product_id": 1 + (product + 2) % products, "quantity": "3", "unit_price": "1.25" }
                      ] },
            "confirm": true,
        });
        let order: serde_json::Value = post(client, base, "/api/orders/create", &body).await;
        let draft: serde_json::Value = post(
            client,
            base,
            "/api/invoices/create",
            &json!({ "order_id": order["id"] }),
        )
        .await;
        drafts.push(draft["id"].as_i64().expect("a draft"));
    }
    let drafts = std::sync::Arc::new(drafts);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (client2, base2, ids2) = (client.clone(), base.to_string(), drafts.clone());
    drive("invoice issue + PDF (POST)", n, c, move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (client, base, id) = (client2.clone(), base2.clone(), ids2[i % ids2.len()]);
        async move {
            client
                .post(format!("{base}/api/invoices/issue"))
                .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
                .json(&json!({ "id": id, "form": {} }))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await
    .print();
    let pdfs: Vec<String> = drafts
        .iter()
        .take(200)
        .map(|id| format!("/api/invoices/{id}/invoice.pdf"))
        .collect();
    cycle("invoice PDF (stored)", client, base, &pdfs, requests / 2, c)
        .await
        .print();
    let (client3, base3, ids3) = (client.clone(), base.to_string(), drafts.clone());
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    drive("payment (POST)", n, c, move || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (client, base, id) = (client3.clone(), base3.clone(), ids3[i % ids3.len()]);
        async move {
            client
                .post(format!("{base}/api/invoices/pay"))
                .header(CLIENT_HEADER.0, CLIENT_HEADER.1)
                .json(&json!({ "id": id, "form": { "amount": "10.00" } }))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await
    .print();
}
