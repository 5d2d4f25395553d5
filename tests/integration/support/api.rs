//! One typed call per endpoint the tests drive, built from the crate's own form types: a
//! renamed or retyped field breaks the build here, not a test's hand-written JSON at run time.
//! Also the forms tests start from, and the reading of an error answer.
//!
//! The calls return the raw response, so a test can assert on refusals; the readers (`product`,
//! `order`, `drift`) assert success themselves. Bad-input tests that need JSON the types cannot
//! express (a wrong type, an unknown word) serialize a form and edit the value.

use sales::clients::{Client, ClientForm};
use sales::deliveries::{BoardPage, BoardQuery, Delivery, ScheduleForm, ScheduleLine, Step};
use sales::error::AppError;
use sales::exports::{ExportFormat, ExportState, ExportStatus, ExportWhat};
use sales::invoices::{
    Aging, CreditForm, CreditLine, DraftForm, Invoice, InvoicePage, InvoiceQuery, IssueForm,
    OrderInvoicing, PaymentForm, PaymentMethod, SendForm,
};
use sales::money::Money;
use sales::orders::{Action, LineForm, Order, OrderForm, Paper, Priority};
use sales::stock::{AdjustReason, AdjustmentForm, Drift, Product, ProductForm, ReceiptForm};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::TestApp;

/// A client as the create form sends it; billing address set, shipping left to default.
pub fn client_form(name: &str, email: &str) -> ClientForm {
    ClientForm {
        name: name.into(),
        contact: "Jo Buyer".into(),
        email: email.into(),
        phone: "+49 30 1234".into(),
        billing_address: "1 Main St\n10115 Berlin".into(),
        shipping_address: String::new(),
        tax_id: "DE123".into(),
        payment_terms_days: 14,
        notes: String::new(),
    }
}

/// A product at 12.50 with 19 % tax; `reorder` is its reorder level as typed.
pub fn product_form(sku: &str, reorder: &str) -> ProductForm {
    ProductForm {
        sku: sku.into(),
        name: format!("Product {sku}"),
        unit: "pcs".into(),
        unit_price: "12.50".into(),
        tax_rate: "19".into(),
        reorder_level: reorder.into(),
        ..ProductForm::default()
    }
}

/// A receipt of `quantity` (as typed) against supplier note PO-1.
pub fn receipt(quantity: &str) -> ReceiptForm {
    ReceiptForm {
        quantity: quantity.into(),
        reference: "PO-1".into(),
        ..ReceiptForm::default()
    }
}

/// An adjustment of `quantity` (signed, as typed) for another reason, saying what in `note`.
pub fn adjustment(quantity: &str, note: &str) -> AdjustmentForm {
    AdjustmentForm {
        reason: AdjustReason::Other,
        quantity: quantity.into(),
        note: note.into(),
        ..AdjustmentForm::default()
    }
}

/// A stock count: `counted` on the shelf.
pub fn count(counted: &str, note: &str) -> AdjustmentForm {
    AdjustmentForm {
        reason: AdjustReason::Count,
        counted: counted.into(),
        note: note.into(),
        ..AdjustmentForm::default()
    }
}

/// A high-priority order for `client` with `(product, quantity, unit price)` lines.
pub fn order_form(client: i64, lines: &[(i64, i64, &str)]) -> OrderForm {
    OrderForm {
        client_id: Some(client),
        priority: Priority::High,
        notes: "ring twice".into(),
        lines: lines
            .iter()
            .map(|&(product, quantity, price)| LineForm {
                product_id: Some(product),
                quantity: quantity.to_string(),
                unit_price: price.into(),
                discount: String::new(),
            })
            .collect(),
        ..OrderForm::default()
    }
}

/// A delivery of order `order` on `date` (`YYYY-MM-DD`), of `(order line id, quantity)` lines.
pub fn schedule_form(order: i64, date: &str, lines: &[(i64, &str)]) -> ScheduleForm {
    ScheduleForm {
        order_id: order,
        scheduled_date: date.into(),
        carrier: "Van 2".into(),
        lines: lines
            .iter()
            .map(|&(order_line_id, quantity)| ScheduleLine {
                order_line_id,
                quantity: quantity.into(),
            })
            .collect(),
        ..ScheduleForm::default()
    }
}

/// Issuing with both dates as typed (empty: today, and today plus the client's terms).
pub fn issue_form(issue_date: &str, due_date: &str) -> IssueForm {
    IssueForm {
        issue_date: issue_date.into(),
        due_date: due_date.into(),
    }
}

/// A bank transfer of `amount` (as typed) on `date` (empty: today).
pub fn payment_form(amount: &str, date: &str) -> PaymentForm {
    PaymentForm {
        amount: amount.into(),
        paid_on: date.into(),
        method: PaymentMethod::BankTransfer,
        reference: "Transfer 1".into(),
        request_key: None,
    }
}

/// A credit note for `(invoice line id, quantity)` lines, or (`lines` empty) all that is left.
pub fn credit_form(reason: &str, lines: &[(i64, &str)]) -> CreditForm {
    CreditForm {
        reason: reason.into(),
        full: lines.is_empty(),
        lines: lines
            .iter()
            .map(|&(invoice_line_id, quantity)| CreditLine {
                invoice_line_id,
                quantity: quantity.into(),
            })
            .collect(),
    }
}

impl TestApp {
    pub async fn create_client(&self, form: &ClientForm) -> reqwest::Response {
        self.call("/api/clients/create", &json!({ "form": form }))
            .await
    }

    pub async fn update_client(&self, id: i64, form: &ClientForm) -> reqwest::Response {
        self.call("/api/clients/update", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn archive_client(&self, id: i64) -> reqwest::Response {
        self.call("/api/clients/archive", &json!({ "id": id }))
            .await
    }

    pub async fn restore_client(&self, id: i64) -> reqwest::Response {
        self.call("/api/clients/restore", &json!({ "id": id }))
            .await
    }

    pub async fn delete_client(&self, id: i64) -> reqwest::Response {
        self.call("/api/clients/delete", &json!({ "id": id })).await
    }

    /// Upload a CSV file of clients, as the import page sends it: the raw bytes.
    pub async fn import_clients(&self, bytes: impl Into<Vec<u8>>) -> reqwest::Response {
        self.post_raw(&self.client, "/api/clients/import")
            .header("Content-Type", "application/octet-stream")
            .body(bytes.into())
            .send()
            .await
            .expect("upload")
    }

    pub async fn create_product(&self, form: &ProductForm) -> reqwest::Response {
        self.call("/api/products/create", &json!({ "form": form }))
            .await
    }

    pub async fn update_product(&self, id: i64, form: &ProductForm) -> reqwest::Response {
        self.call("/api/products/update", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn set_product_active(&self, id: i64, active: bool) -> reqwest::Response {
        self.call(
            "/api/products/active",
            &json!({ "id": id, "active": active }),
        )
        .await
    }

    pub async fn delete_product(&self, id: i64) -> reqwest::Response {
        self.call("/api/products/delete", &json!({ "id": id }))
            .await
    }

    pub async fn receive(&self, id: i64, form: &ReceiptForm) -> reqwest::Response {
        self.call("/api/products/receive", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn adjust(&self, id: i64, form: &AdjustmentForm) -> reqwest::Response {
        self.call("/api/products/adjust", &json!({ "id": id, "form": form }))
            .await
    }

    /// Save a new order; with `confirm`, "Save and confirm".
    pub async fn create_order(&self, form: &OrderForm, confirm: bool) -> reqwest::Response {
        self.call(
            "/api/orders/create",
            &json!({ "form": form, "confirm": confirm }),
        )
        .await
    }

    pub async fn update_order(&self, id: i64, form: &OrderForm) -> reqwest::Response {
        self.call("/api/orders/update", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn transition(&self, id: i64, action: Action) -> reqwest::Response {
        self.call(
            "/api/orders/transition",
            &json!({ "id": id, "action": action }),
        )
        .await
    }

    /// Mails order `id` as `paper` (a quotation or a confirmation).
    pub async fn send_order(&self, id: i64, paper: Paper, form: &SendForm) -> reqwest::Response {
        self.call(
            "/api/orders/send",
            &json!({ "id": id, "paper": paper, "form": form }),
        )
        .await
    }

    pub async fn resend_order(&self, id: i64, mail: i64) -> reqwest::Response {
        self.call("/api/orders/resend", &json!({ "id": id, "mail_id": mail }))
            .await
    }

    /// Order `id`'s quotation or confirmation PDF, as answered.
    pub async fn order_pdf(&self, id: i64, paper: Paper) -> reqwest::Response {
        self.get(&format!("/api/orders/{id}/{}.pdf", paper.slug()))
            .await
    }

    pub async fn schedule_delivery(&self, form: &ScheduleForm) -> reqwest::Response {
        self.call("/api/deliveries/schedule", &json!({ "form": form }))
            .await
    }

    pub async fn step_delivery(&self, id: i64, step: &Step) -> reqwest::Response {
        self.call("/api/deliveries/step", &json!({ "id": id, "step": step }))
            .await
    }

    pub async fn delivery(&self, id: i64) -> Delivery {
        self.read(&format!("/api/deliveries/{id}")).await
    }

    /// The delivery board as `q` asks for it.
    pub async fn board(&self, q: &BoardQuery) -> BoardPage {
        let query = serde_urlencoded::to_string(q).unwrap();
        self.read(&format!("/api/deliveries/?{query}")).await
    }

    pub async fn create_invoice(&self, order: i64) -> reqwest::Response {
        self.call("/api/invoices/create", &json!({ "order_id": order }))
            .await
    }

    pub async fn update_invoice(&self, id: i64, form: &DraftForm) -> reqwest::Response {
        self.call("/api/invoices/update", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn delete_invoice(&self, id: i64) -> reqwest::Response {
        self.call("/api/invoices/delete", &json!({ "id": id }))
            .await
    }

    pub async fn issue_invoice(&self, id: i64, form: &IssueForm) -> reqwest::Response {
        self.call("/api/invoices/issue", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn credit_invoice(&self, id: i64, form: &CreditForm) -> reqwest::Response {
        self.call("/api/invoices/credit", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn pay(&self, id: i64, form: &PaymentForm) -> reqwest::Response {
        self.call("/api/invoices/pay", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn delete_payment(&self, payment: i64) -> reqwest::Response {
        self.call(
            "/api/invoices/delete-payment",
            &json!({ "payment_id": payment }),
        )
        .await
    }

    pub async fn send_invoice(&self, id: i64, form: &SendForm) -> reqwest::Response {
        self.call("/api/invoices/send", &json!({ "id": id, "form": form }))
            .await
    }

    pub async fn resend_invoice(&self, id: i64, mail: i64) -> reqwest::Response {
        self.call(
            "/api/invoices/resend",
            &json!({ "id": id, "mail_id": mail }),
        )
        .await
    }

    pub async fn invoice(&self, id: i64) -> Invoice {
        self.read(&format!("/api/invoices/{id}")).await
    }

    /// The invoice list as `q` asks for it.
    pub async fn invoices(&self, q: &InvoiceQuery) -> InvoicePage {
        let query = serde_urlencoded::to_string(q).unwrap();
        self.read(&format!("/api/invoices/?{query}")).await
    }

    /// What is due on everything `q` lists.
    pub async fn outstanding(&self, q: &InvoiceQuery) -> Money {
        let query = serde_urlencoded::to_string(q).unwrap();
        self.read(&format!("/api/invoices/outstanding?{query}"))
            .await
    }

    /// Receivables as of `as_of` (`YYYY-MM-DD`, empty for today).
    pub async fn aging(&self, as_of: &str) -> Aging {
        self.read(&format!("/api/invoices/aging?as_of={as_of}"))
            .await
    }

    pub async fn order_invoicing(&self, order: i64) -> OrderInvoicing {
        self.read(&format!("/api/invoices/of-order/{order}")).await
    }

    /// An issued invoice's PDF: 200, `application/pdf`, its bytes.
    pub async fn invoice_pdf(&self, id: i64) -> Vec<u8> {
        let res = self.get(&format!("/api/invoices/{id}/invoice.pdf")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        res.bytes().await.unwrap().to_vec()
    }

    pub async fn product(&self, id: i64) -> Product {
        self.read(&format!("/api/products/{id}")).await
    }

    pub async fn order(&self, id: i64) -> Order {
        self.read(&format!("/api/orders/{id}")).await
    }

    pub async fn client(&self, id: i64) -> Client {
        self.read(&format!("/api/clients/{id}")).await
    }

    /// The ledger check: empty when every product's totals match its movements.
    pub async fn drift(&self) -> Vec<Drift> {
        self.read("/api/stock/check").await
    }

    /// Starts exporting `what` as `format` in the filters of `query` (a page's URL query).
    pub async fn start_export(
        &self,
        what: ExportWhat,
        format: ExportFormat,
        query: &str,
    ) -> reqwest::Response {
        let body = json!({ "what": what, "format": format, "query": query });
        self.call("/api/exports/start", &body).await
    }

    /// An export run to its end and downloaded: its status and its file's bytes.
    pub async fn export(
        &self,
        what: ExportWhat,
        format: ExportFormat,
        query: &str,
    ) -> (ExportStatus, Vec<u8>) {
        let mut status: ExportStatus = ok(self.start_export(what, format, query).await).await;
        for _ in 0..600 {
            if status.state != ExportState::Running {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            status = self
                .read(&format!("/api/exports/status?id={}", status.id))
                .await;
        }
        assert_eq!(status.state, ExportState::Done, "{status:?}");
        let res = self.get(&status.url()).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], format.content_type());
        let bytes = res.bytes().await.unwrap().to_vec();
        (status, bytes)
    }

    /// A GET that must succeed, read as `T`.
    pub async fn read<T: DeserializeOwned>(&self, path: &str) -> T {
        let res = self.get(path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// How many rows a table holds, read from the database: "nothing was written" checks.
    pub async fn count<E>(&self) -> u64
    where
        E: EntityTrait,
        E::Model: Sync,
    {
        E::find().count(self.db()).await.unwrap()
    }
}

/// Reads a successful answer as `T`, failing the test with the refusal otherwise.
pub async fn ok<T: DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The body of a refused server-function call.
#[derive(serde::Deserialize)]
pub struct ErrorBody {
    pub data: AppError,
}

/// The `AppError` a refused call answered with.
pub async fn error_of(res: reqwest::Response) -> AppError {
    res.json::<ErrorBody>().await.unwrap().data
}

/// The message next to `field` of a 400 answer.
pub async fn field_error(res: reqwest::Response, field: &str) -> String {
    assert_eq!(res.status(), 400);
    let err = error_of(res).await;
    err.field_message(field)
        .unwrap_or_else(|| panic!("no message for {field}: {err:?}"))
        .to_string()
}

/// The plain message of a 409 answer.
pub async fn conflict(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 409);
    error_of(res).await.to_string()
}
