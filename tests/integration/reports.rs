//! The sales report against sums the test works out itself from what it wrote: invoices on
//! either side of a month's first midnight, a partial credit note, a draft invoice and orders
//! that are not booked (a draft, a cancelled one); orders entered either side of midnight in
//! Berlin, where UTC's date is still the day before; the client and product filters; who may
//! open it, and the filters it refuses.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc};
use sales::auth::Role;
use sales::exports::{ExportFormat, ExportWhat};
use sales::invoices::Invoice;
use sales::money::Money;
use sales::orders::{Order, workflow::Action};
use sales::reports::sales::{Reading, report_from};
use sales::reports::{Grouping, ReportQuery, SalesReport};
use sales::server::entities::order;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::api::{credit_form, field_error, issue_form, ok, order_form};
use crate::support::fixtures::client_with_role;
use crate::support::{TestApp, pdftotext, spawn_app_with};

impl TestApp {
    async fn sales_report(&self, q: &ReportQuery) -> reqwest::Response {
        let query = serde_urlencoded::to_string(q).unwrap();
        self.get(&format!("/api/reports/sales?{query}")).await
    }
}

/// Moves order `id`'s entry time to `local` (Berlin wall clock, `YYYY-MM-DD HH:MM`).
async fn entered_at(app: &TestApp, id: i64, day: NaiveDate, hour: u32, minute: u32) {
    let local = chrono_tz::Europe::Berlin
        .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, minute, 0)
        .single()
        .unwrap();
    order::Entity::update_many()
        .col_expr(
            order::Column::CreatedAt,
            Expr::val(local.with_timezone(&Utc)),
        )
        .filter(order::Column::Id.eq(id))
        .exec(app.db())
        .await
        .unwrap();
}

/// The sales report for `q` as the page gets it (from the sales summary), once it is checked
/// to equal the same report summed from the documents.
async fn sales(app: &TestApp, q: &ReportQuery) -> SalesReport {
    let screen: SalesReport = ok(app.sales_report(q).await).await;
    let zone = &app.state.config.business.zone;
    let detail = report_from(app.db(), zone, zone.today(), q, Reading::Detail)
        .await
        .unwrap();
    assert_eq!(
        screen, detail,
        "the summary and the documents differ for {q:?}"
    );
    screen
}

#[tokio::test]
async fn sales_figures_equal_what_was_written() {
    let app = spawn_app_with(&[("TIMEZONE", "Europe/Berlin"), ("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let today = app.state.config.business.zone.today();
    // The last day of last month and the first of this one: either side of a midnight.
    let first = today.with_day(1).unwrap();
    let eve = first - Days::new(1);
    let acme = app.a_client("Acme").await.id;
    let beta = app.a_client("Beta").await.id;
    let p1 = app.product_with_stock("P1", 100).await.id;
    let p2 = app.product_with_stock("P2", 100).await.id;

    let o1 = app
        .confirmed_order(acme, &[(p1, 2, "10.00"), (p2, 1, "3.50")])
        .await;
    let o2 = app.confirmed_order(beta, &[(p1, 1, "10.00")]).await;
    let o3 = app.confirmed_order(acme, &[(p2, 4, "3.50")]).await;
    // Not booked: a draft, and an order cancelled. Not invoiced: a draft invoice.
    let draft: Order = ok(app
        .create_order(&order_form(beta, &[(p1, 5, "10.00")]), false)
        .await)
    .await;
    let cancelled = app.confirmed_order(beta, &[(p1, 7, "10.00")]).await;
    ok::<Order>(app.transition(cancelled.id, Action::Cancel).await).await;
    let o6 = app.confirmed_order(beta, &[(p2, 9, "3.50")]).await;
    app.draft_invoice(o6.id).await;
    entered_at(&app, o1.id, eve, 23, 50).await;
    // 00:10 in Berlin is still the day before in UTC.
    entered_at(&app, o2.id, first, 0, 10).await;
    entered_at(&app, o3.id, first, 12, 0).await;
    entered_at(&app, o6.id, first, 13, 0).await;
    for id in [draft.id, cancelled.id] {
        entered_at(&app, id, first, 9, 0).await;
    }
    // The orders were moved to other days behind the app's back: the summary is made again
    // from the documents, as a start-up in another zone would.
    let zone = app.state.config.business.zone.clone();
    sales::reports::kept::build_all(app.db(), &zone)
        .await
        .unwrap();

    let i1 = app.invoiced_on(&o1, eve).await;
    let i2 = app.invoiced_on(&o2, first).await;
    let i3 = app.invoiced_on(&o3, first).await;
    // One of o3's four units credited today.
    let credited: Invoice = ok(app
        .credit_invoice(i3.id, &credit_form("one broken", &[(i3.lines[0].id, "1")]))
        .await)
    .await;
    let note = &credited.credit_notes[0];
    let (cn_net, cn_total) = (350, note.total.0);
    let cn_tax = cn_total - cn_net;

    let by_month = ReportQuery {
        from: eve.to_string(),
        to: today.to_string(),
        by: Grouping::Month,
        ..ReportQuery::default()
    };
    let r = sales(&app, &by_month).await;
    let labels: Vec<_> = r.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            eve.format("%Y-%m").to_string(),
            first.format("%Y-%m").to_string()
        ]
    );
    let (last, this) = (&r.rows[0], &r.rows[1]);
    assert_eq!((last.invoiced, last.credited), (i1.net, Money::ZERO));
    assert_eq!((last.net, last.tax, last.total), (i1.net, i1.tax, i1.total));
    assert_eq!(this.invoiced.0, i2.net.0 + i3.net.0);
    assert_eq!(this.credited.0, cn_net);
    assert_eq!(this.net.0, i2.net.0 + i3.net.0 - cn_net);
    assert_eq!(this.tax.0, i2.tax.0 + i3.tax.0 - cn_tax);
    assert_eq!(this.total.0, i2.total.0 + i3.total.0 - cn_total);
    // Booked: o1 on the eve; o2, o3 and o6 this month (the draft and the cancelled one not).
    assert_eq!((last.orders, last.booked), (1, o1.total));
    assert_eq!(this.orders, 3);
    assert_eq!(this.booked.0, o2.total.0 + o3.total.0 + o6.total.0);
    let all = i1.total.0 + i2.total.0 + i3.total.0 - cn_total;
    assert_eq!(r.totals.total.0, all);
    assert_eq!(r.totals.orders, 4);

    // By day, over the midnight: 00:10 on the first counts on the first.
    let by_day = ReportQuery {
        from: eve.to_string(),
        to: first.to_string(),
        by: Grouping::Day,
        ..ReportQuery::default()
    };
    let r = sales(&app, &by_day).await;
    assert_eq!(r.rows.len(), 2);
    assert_eq!((r.rows[0].orders, r.rows[1].orders), (1, 3));
    assert_eq!(r.rows[0].invoiced, i1.net);
    assert_eq!(r.rows[1].invoiced.0, i2.net.0 + i3.net.0);

    // Clients and products ranked by net sales.
    let r = sales(&app, &by_month).await;
    let acme_net = i1.net.0 + i3.net.0 - cn_net;
    let clients: Vec<_> = r
        .clients
        .rows
        .iter()
        .map(|c| (c.name.as_str(), c.net.0))
        .collect();
    assert_eq!(clients, [("Acme", acme_net), ("Beta", i2.net.0)]);
    assert_eq!(r.clients.count, 2);
    let (p1_net, p2_net) = (2000 + 1000, 350 + 1400 - cn_net);
    let products: Vec<_> = r
        .products
        .rows
        .iter()
        .map(|p| (p.id, p.quantity, p.net.0))
        .collect();
    assert_eq!(products, [(p1, 3, p1_net), (p2, 4, p2_net)]);

    // One product: its lines only, booked included.
    let only_p2 = ReportQuery {
        product: Some(p2),
        ..by_month.clone()
    };
    let r = sales(&app, &only_p2).await;
    assert_eq!(r.product.as_deref(), Some("Product P2"));
    assert_eq!((r.rows[0].net.0, r.rows[1].net.0), (350, 1400 - cn_net));
    assert_eq!((r.rows[0].orders, r.rows[1].orders), (1, 2));
    let o1_p2 = o1.lines[1].net.0 + o1.lines[1].tax.0;
    assert_eq!(r.rows[0].booked.0, o1_p2);
    // One client.
    let only_beta = ReportQuery {
        client: Some(beta),
        ..by_month.clone()
    };
    let r = sales(&app, &only_beta).await;
    assert_eq!(r.client.as_deref(), Some("Beta"));
    assert_eq!(r.totals.net, i2.net);
    assert_eq!(r.totals.orders, 2, "o2 and o6");

    exports_equal_the_screen(&app, &by_month).await;
}

/// The report's CSV holds the rows on screen, then the totals, each figure to the cent.
async fn exports_equal_the_screen(app: &TestApp, q: &ReportQuery) {
    let screen: SalesReport = ok(app.sales_report(q).await).await;
    let (status, csv) = app
        .export(ExportWhat::SalesReport, ExportFormat::Csv, &q.to_string())
        .await;
    assert_eq!(
        status.file_name,
        format!("sales-{}-{}.csv", screen.from, screen.to)
    );
    assert_eq!(status.written, status.total);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head[..4],
        ["Period", "Invoiced", "Credit notes", "Net sales"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let mut expected: Vec<_> = screen.rows.iter().collect();
    expected.push(&screen.totals);
    assert_eq!(rows.len(), expected.len());
    let plain = |m: Money| m.to_string().replace(',', "");
    for (got, want) in rows.iter().zip(expected) {
        let want = [
            want.label.clone(),
            plain(want.invoiced),
            plain(want.credited),
            plain(want.net),
            plain(want.tax),
            plain(want.total),
            want.orders.to_string(),
            plain(want.booked),
        ];
        assert_eq!(got.iter().collect::<Vec<_>>(), want);
    }

    // The workbook: the same rows as numbers, under the title, filters and header, and a
    // native chart.
    let (_, xlsx) = app
        .export(ExportWhat::SalesReport, ExportFormat::Xlsx, &q.to_string())
        .await;
    let as_text = String::from_utf8_lossy(&xlsx);
    assert!(as_text.contains("xl/charts/chart1.xml"), "a native chart");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Sales").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("Sales".into()));
    let filters = cell(1, 0).to_string();
    assert!(
        filters.contains(&format!("From: {}", screen.from)),
        "{filters}"
    );
    assert_eq!(cell(4, 3), Data::String("Net sales".into()));
    let mut expected: Vec<_> = screen.rows.iter().collect();
    expected.push(&screen.totals);
    for (i, want) in expected.iter().enumerate() {
        let r = 5 + i as u32;
        assert_eq!(cell(r, 0), Data::String(want.label.clone()));
        assert_eq!(
            cell(r, 3),
            Data::Float(want.net.0 as f64 / 100.0),
            "net of {}",
            want.label
        );
        assert_eq!(cell(r, 5), Data::Float(want.total.0 as f64 / 100.0));
        assert_eq!(cell(r, 6), Data::Float(want.orders as f64));
    }

    // The PDF: title, filters, chart legend, header and every row's figures, as text.
    let (_, pdf) = app
        .export(ExportWhat::SalesReport, ExportFormat::Pdf, &q.to_string())
        .await;
    let text = pdftotext(&pdf);
    for needed in [
        "Sales".to_string(),
        format!("From: {}", screen.from),
        "Net sales by period".into(),
        "Orders booked".into(),
        "Credit notes".into(),
    ] {
        assert!(text.contains(&needed), "{needed} in:\n{text}");
    }
    let business = app.state.config.business.clone();
    // The table starts at its header, below the chart's period labels.
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !(l.contains("Period") && l.contains("Invoiced")))
        .collect();
    for want in expected {
        let line = table
            .iter()
            .find(|l| l.trim_start().starts_with(&want.label))
            .unwrap_or_else(|| panic!("{} in:\n{text}", want.label));
        for figure in [want.net, want.total, want.booked] {
            assert!(line.contains(&business.money(figure)), "{figure} in {line}");
        }
    }
}

#[tokio::test]
async fn the_sales_report_is_for_sales_and_accounting_and_refuses_bad_filters() {
    let app = spawn_app_with(&[]).await;
    app.register("admin").await;
    for (name, role, allowed) in [
        ("sam", Role::Sales, true),
        ("anna", Role::Accounting, true),
        ("kim", Role::Warehouse, false),
    ] {
        let (client, _) = client_with_role(&app, name, role).await;
        let res = client
            .get(format!("{}/api/reports/sales?by=month", app.base))
            .send()
            .await
            .unwrap();
        let want = if allowed { 200 } else { 403 };
        assert_eq!(res.status(), want, "{role}");
    }
    let bad = |from: &str, to: &str, by| ReportQuery {
        from: from.into(),
        to: to.into(),
        by,
        ..ReportQuery::default()
    };
    let m = field_error(
        app.sales_report(&bad("2026-13-01", "", Grouping::Month))
            .await,
        "from",
    )
    .await;
    assert!(m.contains("not a date"), "{m}");
    let m = field_error(
        app.sales_report(&bad("2026-03-01", "2026-02-01", Grouping::Month))
            .await,
        "to",
    )
    .await;
    assert!(m.contains("before the start"), "{m}");
    let m = field_error(
        app.sales_report(&bad("2023-01-01", "2026-01-01", Grouping::Day))
            .await,
        "by",
    )
    .await;
    assert!(m.contains("366"), "{m}");
    let nobody = ReportQuery {
        client: Some(999_999),
        ..ReportQuery::default()
    };
    field_error(app.sales_report(&nobody).await, "client").await;
    let res = app.get("/api/reports/sales?by=fortnight").await;
    assert_eq!(res.status(), 400, "an unknown grouping");
}

/// Payments by period and method, the aging as of the period's end and the most overdue
/// clients, against what the test paid and what its invoices still owe; its CSV equals the
/// screen; only accounting (and admin) may open it.
#[tokio::test]
async fn payments_figures_equal_what_was_paid_and_owed() {
    use sales::invoices::{Aging, PaymentMethod};
    use sales::reports::PaymentsReport;
    let app = spawn_app_with(&[("TIMEZONE", "Europe/Berlin"), ("INVOICE_POLICY", "ordered")]).await;
    app.register("admin").await;
    let today = app.state.config.business.zone.today();
    let first = today.with_day(1).unwrap();
    let eve = first - Days::new(1);
    let long_ago = first - Days::new(40);
    let acme = app.a_client("Acme").await.id;
    let beta = app.a_client("Beta").await.id;
    let p = app.product_with_stock("P1", 100).await.id;
    let issue = |client, price: &'static str, due: NaiveDate| {
        let app = &app;
        async move {
            let order = app.confirmed_order(client, &[(p, 1, price)]).await;
            let draft = app.draft_invoice(order.id).await;
            let form = issue_form(&long_ago.to_string(), &due.to_string());
            ok::<Invoice>(app.issue_invoice(draft.id, &form).await).await
        }
    };
    // Acme's is long past due; Beta's is due on the last day of the period.
    let i1 = issue(acme, "100.00", long_ago + Days::new(10)).await;
    let i2 = issue(beta, "50.00", today).await;
    let pay = |id: i64, amount: &'static str, day: NaiveDate, method: PaymentMethod| {
        let app = &app;
        async move {
            let form = sales::invoices::PaymentForm {
                method,
                ..crate::support::api::payment_form(amount, &day.to_string())
            };
            ok::<Invoice>(app.pay(id, &form).await).await
        }
    };
    pay(i1.id, "10.00", eve, PaymentMethod::Card).await;
    pay(i1.id, "2.50", first, PaymentMethod::Cash).await;
    let i2 = pay(i2.id, "20.00", first, PaymentMethod::BankTransfer).await;
    let i1 = app.invoice(i1.id).await;

    let q = ReportQuery {
        from: eve.to_string(),
        to: today.to_string(),
        by: Grouping::Month,
        ..ReportQuery::default()
    };
    let query = serde_urlencoded::to_string(&q).unwrap();
    let r: PaymentsReport = app.read(&format!("/api/reports/payments?{query}")).await;
    let col = |m: PaymentMethod| r.methods.iter().position(|x| *x == m).unwrap();
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0].by_method[col(PaymentMethod::Card)].0, 1000);
    assert_eq!((r.rows[0].count, r.rows[0].total.0), (1, 1000));
    assert_eq!(r.rows[1].by_method[col(PaymentMethod::Cash)].0, 250);
    assert_eq!(
        r.rows[1].by_method[col(PaymentMethod::BankTransfer)].0,
        2000
    );
    assert_eq!((r.totals.count, r.totals.total.0), (3, 3250));
    // Owed on the last day: both balances; Acme's past due, Beta's due that day (current).
    assert_eq!(r.as_of, today);
    assert_eq!(r.outstanding.0, i1.balance.0 + i2.balance.0);
    assert_eq!(r.buckets[0], i2.balance);
    let aging: Aging = app.aging(&today.to_string()).await;
    assert_eq!(r.buckets, aging.totals, "the aging page's figures");
    let overdue: Vec<_> = r
        .overdue
        .iter()
        .map(|c| (c.name.as_str(), c.overdue))
        .collect();
    assert_eq!(overdue, [("Acme", i1.balance)]);
    // One client.
    let beta_only = format!("{query}&client={beta}");
    let b: PaymentsReport = app
        .read(&format!("/api/reports/payments?{beta_only}"))
        .await;
    assert_eq!((b.totals.total.0, b.outstanding), (2000, i2.balance));
    assert!(b.overdue.is_empty());
    // A payment since: the aging (kept while nothing it covers changes) follows it.
    let i1 = pay(i1.id, "5.00", first, PaymentMethod::Cash).await;
    let again: PaymentsReport = app.read(&format!("/api/reports/payments?{query}")).await;
    assert_eq!(again.outstanding.0, r.outstanding.0 - 500);
    assert_eq!(again.overdue[0].overdue, i1.balance);
    assert_eq!((again.totals.count, again.totals.total.0), (4, 3750));

    let (_, csv) = app
        .export(
            ExportWhat::PaymentsReport,
            ExportFormat::Csv,
            &q.to_string(),
        )
        .await;
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap())
        .collect();
    let last = |row: &csv::StringRecord| row[row.len() - 1].to_string();
    assert_eq!(rows.len(), 2 + 1 + 5 + 1, "periods, totals, buckets, owed");
    assert_eq!(last(&rows[2]), "37.50");
    assert_eq!(
        last(&rows[8]),
        again.outstanding.to_string().replace(',', "")
    );

    let (sales, _) = client_with_role(&app, "sam", Role::Sales).await;
    let res = sales
        .get(format!("{}/api/reports/payments?by=month", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
