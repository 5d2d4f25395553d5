//! List exports: the order list in its filters, over several of the source's pages, as CSV
//! and XLSX, equal to what the list shows; a client name a spreadsheet would run is escaped;
//! a PDF too long to read is refused rather than cut short; an export is its owner's alone.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, Utc};
use sales::auth::Role;
use sales::exports::{ExportFormat, ExportStatus, ExportWhat};
use sales::orders::{OrderQuery, OrderStatus, Priority};
use sales::server::entities::order;
use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::support::api::{error_of, ok};
use crate::support::fixtures::client_with_role;
use crate::support::{TestApp, spawn_app_with};

/// `n` orders of `client` written straight to the table (the list's pages, not the order
/// rules, are under test here): every third a draft, the rest confirmed, a minute apart.
async fn many_orders(app: &TestApp, client: i64, n: i64) {
    let now = Utc::now();
    let rows: Vec<order::ActiveModel> = (1..=n)
        .map(|i| order::ActiveModel {
            number: Set(format!("SO-2000-{i:05}")),
            seq: Set(i),
            client_id: Set(client),
            status: Set(if i % 3 == 0 {
                OrderStatus::Draft
            } else {
                OrderStatus::Confirmed
            }),
            priority: Set(Priority::Normal),
            requested_date: Set(None),
            notes: Set(String::new()),
            net: Set(i * 100),
            tax: Set(i * 19),
            total: Set(i * 119),
            created_by: Set(1),
            created_at: Set(now - Duration::minutes(n - i)),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        order::Entity::insert_many(chunk.to_vec())
            .exec(app.db())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_order_list_exports_in_its_filters_over_many_pages() {
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    let client = app
        .a_client("=HYPERLINK(\"http://evil\",\"Acme\")")
        .await
        .id;
    many_orders(&app, client, 2500).await;
    let confirmed = OrderQuery {
        status: Some(OrderStatus::Confirmed),
        ..OrderQuery::default()
    };
    let (status, csv) = app
        .export(
            ExportWhat::Orders,
            ExportFormat::Csv,
            &confirmed.to_string(),
        )
        .await;
    // 2,500 less every third (833 drafts).
    assert_eq!((status.total, status.written), (1667, 1667));
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1667);
    // Newest first, as the list shows them, with no draft and no repeat.
    let seqs: Vec<i64> = rows.iter().map(|r| r[0][8..].parse().unwrap()).collect();
    let mut expected: Vec<i64> = (1..=2500).rev().filter(|i| i % 3 != 0).collect();
    assert_eq!(seqs, expected);
    let first = &rows[0];
    assert_eq!(
        &first[2], "'=HYPERLINK(\"http://evil\",\"Acme\")",
        "escaped"
    );
    assert_eq!(&first[3], "Confirmed");
    assert_eq!(&first[8], "2975.00", "2500 × 1.19");
    // The list's own first page begins where the export does.
    let list: sales::orders::OrderPage = app
        .read(&format!(
            "/api/orders/?{}",
            serde_urlencoded::to_string(&confirmed).unwrap()
        ))
        .await;
    assert_eq!(list.rows[0].number, first[0]);

    let (_, xlsx) = app
        .export(
            ExportWhat::Orders,
            ExportFormat::Xlsx,
            &confirmed.to_string(),
        )
        .await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Orders").unwrap();
    let numbers: Vec<String> = (5..5 + 1667)
        .map(|r| sheet.get_value((r, 0)).unwrap().to_string())
        .collect();
    expected.truncate(3);
    assert_eq!(
        numbers[..3],
        expected
            .iter()
            .map(|i| format!("SO-2000-{i:05}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(sheet.get_value((5, 8)), Some(&Data::Float(2975.0)));
    assert_eq!(
        sheet.get_value((5 + 1667, 0)),
        None,
        "nothing after the last"
    );
    assert!(
        sheet
            .get_value((1, 0))
            .unwrap()
            .to_string()
            .contains("Status: Confirmed")
    );
}

#[tokio::test]
async fn a_pdf_too_long_to_read_is_refused_and_an_export_is_its_owners() {
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    let client = app.a_client("Acme").await.id;
    many_orders(&app, client, 5100).await;
    let res = app
        .start_export(ExportWhat::Orders, ExportFormat::Pdf, "")
        .await;
    assert_eq!(res.status(), 400);
    let message = error_of(res).await.to_string();
    assert!(
        message.contains("up to 5000 rows and this has 5100"),
        "{message}"
    );
    // A smaller selection prints.
    let q = OrderQuery {
        q: "SO-2000-0001".into(),
        ..OrderQuery::default()
    };
    let (status, pdf) = app
        .export(ExportWhat::Orders, ExportFormat::Pdf, &q.to_string())
        .await;
    assert_eq!(status.total, 10, "SO-2000-00010 to 00019");
    let text = crate::support::pdftotext(&pdf);
    assert!(
        text.contains("SO-2000-00019") && text.contains("Number: SO-2000-0001"),
        "{text}"
    );

    // Another user sees neither its progress nor its file.
    let (other, _) = client_with_role(&app, "kim", Role::Warehouse).await;
    let mine: ExportStatus = ok(app
        .start_export(ExportWhat::Orders, ExportFormat::Csv, "")
        .await)
    .await;
    for path in [format!("/api/exports/status?id={}", mine.id), mine.url()] {
        let res = other
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_invoice_list_exports_what_it_lists_with_the_balance_due() {
    use sales::invoices::{Invoice, InvoiceFilter, InvoicePage, InvoiceQuery};
    let app = spawn_app_with(&[("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let client = app.a_client("Acme").await.id;
    let product = app.product_with_stock("P0", 100).await.id;
    let mut issued = Vec::new();
    for price in ["10.00", "20.00", "30.00"] {
        let order = app.confirmed_order(client, &[(product, 1, price)]).await;
        let inv: Invoice = app.issued_invoice(order.id).await;
        issued.push(inv);
    }
    let paid = crate::support::api::payment_form("5.00", "");
    ok::<Invoice>(app.pay(issued[1].id, &paid).await).await;
    let open = InvoiceQuery {
        status: Some(InvoiceFilter::Open),
        ..InvoiceQuery::default()
    };
    let (status, csv) = app
        .export(ExportWhat::Invoices, ExportFormat::Csv, &open.to_string())
        .await;
    assert_eq!(status.total, 3);
    let list: InvoicePage = app.invoices(&open).await;
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap())
        .collect();
    let plain = |m: sales::money::Money| m.to_string().replace(',', "");
    for (row, shown) in rows.iter().zip(&list.rows) {
        assert_eq!(Some(&row[0]), shown.number.as_deref());
        assert_eq!(&row[2], sales::choice::Choice::label(shown.status));
        assert_eq!(row[7], plain(shown.balance));
    }
    assert_eq!(rows.len(), list.rows.len());
    assert_eq!(&rows[1][2], "Partially paid");
}

/// A product's ledger, over more than one of the source's pages: every movement, newest
/// first, with the stock on hand after each carried across the pages.
#[tokio::test]
async fn a_products_movements_export_with_the_level_after_each() {
    use crate::support::api::receipt;
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    let p = app.product_with_stock("P0", 1).await.id;
    for _ in 0..1200 {
        ok::<sales::stock::Product>(app.receive(p, &receipt("2")).await).await;
    }
    let q = format!("product={p}");
    let (status, csv) = app
        .export(ExportWhat::Movements, ExportFormat::Csv, &q)
        .await;
    assert_eq!(status.total, 1201);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), 1201);
    let after: Vec<i64> = rows.iter().map(|r| r[4].parse().unwrap()).collect();
    // 1 + 1200 × 2 on hand now; each row 2 less than the one above, down to the first 1.
    let expected: Vec<i64> = (0..1201).map(|i| 2401 - 2 * i).collect();
    assert_eq!(after, expected);
    assert_eq!(&rows[0][1], "Receipt");
    let none = app
        .start_export(ExportWhat::Movements, ExportFormat::Csv, "")
        .await;
    assert_eq!(
        crate::support::api::field_error(none, "product").await,
        "choose the product whose movements to export"
    );
}
