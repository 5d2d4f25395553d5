//! Injection: a client, product or order note named like markup, a spreadsheet formula or
//! SQL is stored as typed and shown literally everywhere it appears — pages, PDFs, CSV and
//! XLSX exports, mail — and run nowhere.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use sales::exports::{ExportFormat, ExportWhat};
use sales::orders::{Order, OrderForm, OrderStatus, Paper};
use sales::server::entities::client;
use sales::stock::Product;

use crate::support::api::{client_form, ok, order_form, product_form, receipt};
use crate::support::fixtures::app_with_mail;
use crate::support::{TestApp, pdftotext};

const MARKUP: &str = "<script>alert(1)</script>";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"Pay here\")";
const SQL: &str = "'); DROP TABLE clients; --";
const HOSTILE: [&str; 3] = [MARKUP, FORMULA, SQL];

/// A page's HTML as the browser reads its text: character references decoded (`&lt;`,
/// `&#60;`, `&#x3C;`).
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e < 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "amp" => Some('&'),
            n => match n.strip_prefix("#x").or(n.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.strip_prefix('#').and_then(|d| d.parse().ok()),
            }
            .and_then(char::from_u32),
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

async fn page(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

/// `name` everywhere: the client, the product and the order's note.
async fn hostile_order(app: &TestApp, i: usize, name: &str) -> (Order, Product) {
    let client =
        ok::<sales::clients::Client>(app.create_client(&client_form(name, "")).await).await;
    assert_eq!(client.name, name, "stored as typed");
    let product: Product = ok(app
        .create_product(&sales::stock::ProductForm {
            name: name.into(),
            ..product_form(&format!("INJ-{i}"), "5")
        })
        .await)
    .await;
    assert_eq!(product.name, name);
    app.receive(product.id, &receipt("10")).await;
    let form = OrderForm {
        notes: name.into(),
        ..order_form(client.id, &[(product.id, 6, "10.00")])
    };
    let order: Order = ok(app.create_order(&form, true).await).await;
    assert_eq!(order.status, OrderStatus::Confirmed);
    (app.deliver_in_full(order).await, product)
}

#[tokio::test]
async fn hostile_names_are_shown_literally_in_pages_pdfs_exports_and_mail() {
    let (app, smtp) = app_with_mail().await;
    app.register("admin").await;
    for (i, name) in HOSTILE.into_iter().enumerate() {
        let (order, product) = hostile_order(&app, i, name).await;
        let invoice = app.issued_invoice(order.id).await;

        // Pages: the text as typed, never as markup.
        for path in [
            format!("/clients/{}", order.client_id),
            format!("/orders/{}", order.id),
            format!("/products/{}", product.id),
            format!("/invoices/{}", invoice.id),
        ] {
            let html = page(&app, &path).await;
            assert!(
                !html.contains(MARKUP),
                "{path} carries the markup as markup"
            );
            assert!(text_of(&html).contains(name), "{path} does not show {name}");
        }

        // PDFs: the order confirmation (client, product, note) and the invoice.
        let confirmation = app.order_pdf(order.id, Paper::Confirmation).await;
        assert_eq!(confirmation.status(), 200);
        // A narrow column wraps a long name, and the text of columns side by side
        // interleaves: each of its words is looked for.
        let shows = |pdf: &[u8], times: usize| {
            let text = pdftotext(pdf);
            for word in name.split_whitespace() {
                let found = text.matches(word).count();
                assert!(found >= times, "{word} {found} times of {times}: {text}");
            }
        };
        shows(&confirmation.bytes().await.unwrap(), 3); // client, line, note
        let pdf = app
            .get(&format!("/api/invoices/{}/invoice.pdf", invoice.id))
            .await;
        assert_eq!(pdf.status(), 200);
        shows(&pdf.bytes().await.unwrap(), 2); // client, line

        // Mail: the low-stock alert names the product (10 received, 6 ordered: 4 ≤ 5), as
        // plain text.
        let mail = smtp
            .wait_for_text("admin@example.com", &format!("INJ-{i}"))
            .await;
        assert!(mail.data.contains(name), "{}", mail.data);
        assert!(
            mail.data.contains("Content-Type: text/plain"),
            "{}",
            mail.data
        );
    }

    // CSV: a cell a spreadsheet would run is written with the apostrophe that makes it text;
    // the others exactly as typed.
    let (_, csv) = app
        .export(ExportWhat::Invoices, ExportFormat::Csv, "")
        .await;
    let clients: Vec<String> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    for name in HOSTILE {
        let written = match name.starts_with('=') {
            true => format!("'{name}"),
            false => name.to_string(),
        };
        assert!(clients.contains(&written), "{written} in {clients:?}");
    }
    assert!(!clients.iter().any(|c| c.starts_with('=')), "{clients:?}");

    // XLSX: text cells, no formula anywhere.
    let (_, xlsx) = app
        .export(ExportWhat::Invoices, ExportFormat::Xlsx, "")
        .await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Invoices").unwrap();
    for name in HOSTILE {
        let cell = Data::String(name.to_string());
        assert!(sheet.used_cells().any(|(_, _, c)| *c == cell), "{name}");
    }
    let formulas = book.worksheet_formula("Invoices").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formulas"
    );

    // SQL: the table is still there, every client in it.
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(client::Entity::find().count(app.db()).await.unwrap(), 3);
}
