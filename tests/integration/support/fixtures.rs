//! The starting points most tests share: a shop (an admin, a client, products with stock), a
//! confirmed order, an account with a given role, an app that sends mail to a real SMTP server.

use sales::auth::{Registered, Role};
use sales::clients::Client;
use sales::orders::{Order, OrderStatus};
use sales::stock::Product;
use sales::users::UserRow;

use sales::deliveries::{Delivery, Step};
use sales::invoices::Invoice;

use super::api::{client_form, issue_form, ok, order_form, product_form, receipt, schedule_form};
use super::smtp::SmtpServer;
use super::{PASSWORD, TestApp, spawn_app, spawn_app_with};

impl TestApp {
    /// A new client with no email, created through the API.
    pub async fn a_client(&self, name: &str) -> Client {
        ok(self.create_client(&client_form(name, "")).await).await
    }

    /// A new product `sku` with reorder level `reorder` (as typed), nothing on hand.
    pub async fn new_product(&self, sku: &str, reorder: &str) -> Product {
        ok(self.create_product(&product_form(sku, reorder)).await).await
    }

    /// A new product `sku` (reorder level 0) with `on_hand` received into stock.
    pub async fn product_with_stock(&self, sku: &str, on_hand: i64) -> Product {
        let p = self.new_product(sku, "0").await;
        if on_hand == 0 {
            return p;
        }
        ok(self.receive(p.id, &receipt(&on_hand.to_string())).await).await
    }

    /// A confirmed order of `(product, quantity, unit price)` lines for `client`, delivered in
    /// full today.
    pub async fn delivered_order(&self, client: i64, lines: &[(i64, i64, &str)]) -> Order {
        let order = self.confirmed_order(client, lines).await;
        self.deliver_in_full(order).await
    }

    /// Confirmed `order`, delivered in full today.
    pub async fn deliver_in_full(&self, order: Order) -> Order {
        let all: Vec<(i64, String)> = order
            .lines
            .iter()
            .map(|l| (l.id, l.quantity.to_string()))
            .collect();
        let all: Vec<(i64, &str)> = all.iter().map(|(id, q)| (*id, q.as_str())).collect();
        let d: Delivery = ok(self
            .schedule_delivery(&schedule_form(order.id, "", &all))
            .await)
        .await;
        let step = Step::Deliver {
            recipient: "Sam".into(),
            note: String::new(),
            signature: None,
        };
        ok::<Delivery>(self.step_delivery(d.id, &step).await).await;
        let order = self.order(order.id).await;
        assert_eq!(order.status, OrderStatus::Delivered);
        order
    }

    /// A draft invoice of everything `order` may invoice.
    pub async fn draft_invoice(&self, order: i64) -> Invoice {
        ok(self.create_invoice(order).await).await
    }

    /// An invoice of everything `order` may invoice, issued today with the client's terms.
    pub async fn issued_invoice(&self, order: i64) -> Invoice {
        let draft = self.draft_invoice(order).await;
        ok(self.issue_invoice(draft.id, &issue_form("", "")).await).await
    }

    /// An invoice of everything `order` may invoice, issued on `day` with the client's terms.
    pub async fn invoiced_on(&self, order: &Order, day: chrono::NaiveDate) -> Invoice {
        let draft = self.draft_invoice(order.id).await;
        ok(self
            .issue_invoice(draft.id, &issue_form(&day.to_string(), ""))
            .await)
        .await
    }

    /// A confirmed order of `(product, quantity, unit price)` lines for `client`.
    pub async fn confirmed_order(&self, client: i64, lines: &[(i64, i64, &str)]) -> Order {
        let order: Order = ok(self.create_order(&order_form(client, lines), true).await).await;
        assert_eq!(order.status, OrderStatus::Confirmed);
        order
    }
}

/// An app with an admin signed in, a client "Acme" and one product per entry of `stock`
/// (SKUs P0, P1, …) with that many on hand.
pub async fn shop(stock: &[i64]) -> (TestApp, Client, Vec<Product>) {
    let app = spawn_app().await;
    app.register("admin").await;
    let client = app.a_client("Acme").await;
    let mut products = Vec::new();
    for (i, on_hand) in stock.iter().enumerate() {
        products.push(app.product_with_stock(&format!("P{i}"), *on_hand).await);
    }
    (app, client, products)
}

/// A signed-in client for a new account with `role`: registered, approved with that role by
/// the admin on `app.client`, then signed in.
pub async fn client_with_role(app: &TestApp, username: &str, role: Role) -> (reqwest::Client, i64) {
    let client = app.new_client();
    let res = app.register_with(&client, username).await;
    assert_eq!(res.json::<Registered>().await.unwrap(), Registered::Pending);
    let rows: Vec<UserRow> = app.read(&format!("/api/users/?query={username}")).await;
    let id = rows
        .iter()
        .find(|r| r.username == username)
        .expect("the request is listed")
        .id;
    let res = app
        .call(
            "/api/users/approve",
            &serde_json::json!({ "id": id, "role": role }),
        )
        .await;
    assert_eq!(res.status(), 200, "admin approves {username} as {role}");
    let res = app.sign_in_with(&client, username, PASSWORD).await;
    assert_eq!(res.status(), 200, "{username} signs in once approved");
    (client, id)
}

/// An app whose mail goes to a real SMTP server on loopback.
pub async fn app_with_mail() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let env = smtp.env();
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    (spawn_app_with(&pairs).await, smtp)
}
