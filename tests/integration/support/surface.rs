//! The application's whole HTTP surface, kept complete by a test: every server function
//! (the framework's own registry is compared with it, so a new one cannot be missed) and the
//! plain routes, each with a sample body and the roles allowed to call it. The role matrix
//! and the bad-input sweep both walk it.

use sales::auth::Role;
use sales::choice::Choice;

/// One callable: method ("GET", "POST" or "UPLOAD" for a raw upload), path, a sample body
/// (refused or harmless as it stands), and the roles allowed besides admin.
pub type Endpoint = (
    &'static str,
    &'static str,
    serde_json::Value,
    &'static [Role],
);

/// Every signed-in endpoint. `target` is a pending account the user functions may act on.
pub fn protected(target: i64) -> Vec<Endpoint> {
    // Who reads invoices: sales and accounting (the warehouse has no access).
    const READERS: &[Role] = &[Role::Sales, Role::Accounting];
    // (method, path, body, roles allowed besides admin)
    vec![
        ("GET", "/api/system/info", serde_json::json!({}), Role::ALL),
        ("GET", "/api/clients/1", serde_json::json!({}), Role::ALL),
        ("GET", "/api/clients/?q=a", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/clients/1/history",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/clients/export.csv",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "POST",
            "/api/clients/archive",
            serde_json::json!({ "id": 999_999 }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/clients/restore",
            serde_json::json!({ "id": 999_999 }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/clients/delete",
            serde_json::json!({ "id": 999_999 }),
            &[Role::Sales],
        ),
        (
            "UPLOAD",
            "/api/clients/import",
            serde_json::json!("colour\nred\n"),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/clients/create",
            serde_json::json!({ "form": { "name": " " } }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/clients/update",
            serde_json::json!({ "id": 1, "form": { "name": " " } }),
            &[Role::Sales],
        ),
        ("GET", "/api/products/1", serde_json::json!({}), Role::ALL),
        (
            "POST",
            "/api/products/create",
            serde_json::json!({ "form": { "sku": " " } }),
            &[Role::Warehouse],
        ),
        (
            "POST",
            "/api/products/update",
            serde_json::json!({ "id": 999_999, "form": { "sku": " " } }),
            &[Role::Warehouse],
        ),
        (
            "POST",
            "/api/products/active",
            serde_json::json!({ "id": 999_999, "active": false }),
            &[Role::Warehouse],
        ),
        (
            "POST",
            "/api/products/receive",
            serde_json::json!({ "id": 999_999, "form": { "quantity": "0" } }),
            &[Role::Warehouse],
        ),
        (
            "POST",
            "/api/products/adjust",
            serde_json::json!({ "id": 999_999, "form": { "quantity": "0" } }),
            &[Role::Warehouse],
        ),
        (
            "POST",
            "/api/products/delete",
            serde_json::json!({ "id": 999_999 }),
            &[Role::Warehouse],
        ),
        ("GET", "/api/stock/check", serde_json::json!({}), &[]),
        ("GET", "/api/stock/?q=", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/stock/low-count",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/products/1/movements",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/products/1/levels",
            serde_json::json!({}),
            Role::ALL,
        ),
        ("GET", "/api/orders/?", serde_json::json!({}), Role::ALL),
        ("GET", "/api/orders/1", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/orders/1/history",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "POST",
            "/api/orders/create",
            serde_json::json!({ "form": { "lines": [] }, "confirm": false }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/orders/update",
            serde_json::json!({ "id": 999_999, "form": { "lines": [] } }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/orders/transition",
            serde_json::json!({ "id": 999_999, "action": "cancel" }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/orders/send",
            serde_json::json!({ "id": 999_999, "paper": "quotation",
                "form": { "to": "a@b.example", "subject": "x" } }),
            &[Role::Sales],
        ),
        (
            "POST",
            "/api/orders/resend",
            serde_json::json!({ "id": 999_999, "mail_id": 999_999 }),
            &[Role::Sales],
        ),
        (
            "GET",
            "/api/orders/short?product=1",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/orders/999999/quotation.pdf",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/orders/999999/confirmation.pdf",
            serde_json::json!({}),
            Role::ALL,
        ),
        ("GET", "/api/deliveries/?", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/deliveries/late-count",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/deliveries/of-order/1",
            serde_json::json!({}),
            Role::ALL,
        ),
        ("GET", "/api/deliveries/1", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/deliveries/1/note.pdf",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "POST",
            "/api/deliveries/schedule",
            serde_json::json!({ "form": { "order_id": 999_999, "lines": [] } }),
            &[Role::Warehouse],
        ),
        (
            "POST",
            "/api/deliveries/step",
            serde_json::json!({ "id": 999_999, "step": { "action": "cancel" } }),
            &[Role::Warehouse],
        ),
        ("GET", "/api/invoices/?", serde_json::json!({}), READERS),
        (
            "GET",
            "/api/invoices/outstanding?",
            serde_json::json!({}),
            READERS,
        ),
        ("GET", "/api/invoices/1", serde_json::json!({}), READERS),
        (
            "GET",
            "/api/invoices/1/history",
            serde_json::json!({}),
            READERS,
        ),
        (
            "GET",
            "/api/invoices/of-order/1",
            serde_json::json!({}),
            READERS,
        ),
        (
            "GET",
            "/api/invoices/of-client/1",
            serde_json::json!({}),
            READERS,
        ),
        (
            "GET",
            "/api/invoices/aging?as_of=",
            serde_json::json!({}),
            READERS,
        ),
        (
            "GET",
            "/api/reports/sales?by=month",
            serde_json::json!({}),
            &[Role::Sales, Role::Accounting],
        ),
        (
            "GET",
            "/api/reports/orders?by=month",
            serde_json::json!({}),
            &[Role::Sales, Role::Accounting],
        ),
        (
            "POST",
            "/api/exports/start",
            serde_json::json!({ "what": "orders_report", "format": "csv", "query": "" }),
            &[Role::Sales, Role::Accounting],
        ),
        (
            "GET",
            "/api/reports/stock?by=month",
            serde_json::json!({}),
            &[Role::Warehouse, Role::Accounting],
        ),
        (
            "POST",
            "/api/exports/start",
            serde_json::json!({ "what": "stock_report", "format": "csv", "query": "" }),
            &[Role::Warehouse, Role::Accounting],
        ),
        ("GET", "/api/dashboard", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/reports/payments?by=month",
            serde_json::json!({}),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/exports/start",
            serde_json::json!({ "what": "payments_report", "format": "csv", "query": "" }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/exports/start",
            serde_json::json!({ "what": "invoices", "format": "csv", "query": "" }),
            &[Role::Sales, Role::Accounting],
        ),
        (
            "POST",
            "/api/exports/start",
            serde_json::json!({ "what": "orders", "format": "csv", "query": "" }),
            Role::ALL,
        ),
        (
            "GET",
            "/api/exports/status?id=unknown",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/exports/unknown/file",
            serde_json::json!({}),
            Role::ALL,
        ),
        (
            "GET",
            "/api/invoices/1/invoice.pdf",
            serde_json::json!({}),
            READERS,
        ),
        (
            "GET",
            "/api/credit-notes/1/pdf",
            serde_json::json!({}),
            READERS,
        ),
        (
            "POST",
            "/api/invoices/create",
            serde_json::json!({ "order_id": 999_999 }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/update",
            serde_json::json!({ "id": 999_999, "form": { "lines": [] } }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/delete",
            serde_json::json!({ "id": 999_999 }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/issue",
            serde_json::json!({ "id": 999_999, "form": {} }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/credit",
            serde_json::json!({ "id": 999_999, "form": { "reason": "x", "full": true } }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/pay",
            serde_json::json!({ "id": 999_999, "form": { "amount": "1" } }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/delete-payment",
            serde_json::json!({ "payment_id": 999_999 }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/send",
            serde_json::json!({ "id": 999_999, "form": { "to": "a@b.example", "subject": "x" } }),
            &[Role::Accounting],
        ),
        (
            "POST",
            "/api/invoices/resend",
            serde_json::json!({ "id": 999_999, "mail_id": 999_999 }),
            &[Role::Accounting],
        ),
        (
            "GET",
            "/api/admin/check-numbers",
            serde_json::json!({}),
            &[],
        ),
        ("GET", "/api/users/?query=", serde_json::json!({}), &[]),
        (
            "POST",
            "/api/users/role",
            serde_json::json!({ "id": target, "role": "sales" }),
            &[],
        ),
        (
            "POST",
            "/api/users/active",
            serde_json::json!({ "id": target, "active": true }),
            &[],
        ),
        (
            "POST",
            "/api/users/approve",
            serde_json::json!({ "id": target, "role": "sales" }),
            &[],
        ),
        (
            "POST",
            "/api/users/decline",
            serde_json::json!({ "id": target }),
            &[],
        ),
        (
            "GET",
            "/api/outbox/?status=failed",
            serde_json::json!({}),
            &[],
        ),
        (
            "POST",
            "/api/outbox/retry",
            serde_json::json!({ "id": 999_999 }),
            &[],
        ),
        (
            "GET",
            "/api/audit/?entity=order&record=1&action=order&from=2026-01-01",
            serde_json::json!({}),
            &[],
        ),
        (
            "POST",
            "/api/exports/start",
            serde_json::json!({ "what": "audit", "format": "csv", "query": "" }),
            &[],
        ),
        (
            "POST",
            "/api/users/send-reset",
            serde_json::json!({ "id": 999_999 }),
            &[],
        ),
        (
            "POST",
            "/api/users/invite",
            serde_json::json!({ "form": { "username": "" } }),
            &[],
        ),
        (
            "POST",
            "/api/auth/profile",
            serde_json::json!({ "first_name": "Same", "last_name": "Name", "email": "x-placeholder" }),
            Role::ALL,
        ),
        (
            "POST",
            "/api/auth/password",
            serde_json::json!({ "current": "wrong", "password": "x", "confirm": "x" }),
            Role::ALL,
        ),
    ]
}

/// The endpoints a visitor may call: signing in and up, and resets.
pub fn public() -> Vec<Endpoint> {
    vec![
        ("GET", "/api/auth/me", serde_json::json!({}), Role::ALL),
        (
            "GET",
            "/api/auth/settings",
            serde_json::json!({}),
            Role::ALL,
        ),
        ("GET", "/api/business", serde_json::json!({}), Role::ALL),
        (
            "POST",
            "/api/auth/register",
            serde_json::json!({ "form": { "username": "", "first_name": "", "last_name": "",
                "email": "", "password": "", "confirm": "" } }),
            Role::ALL,
        ),
        (
            "POST",
            "/api/auth/login",
            serde_json::json!({ "form": { "login": "nobody", "password": "" } }),
            Role::ALL,
        ),
        (
            "POST",
            "/api/auth/password-check",
            serde_json::json!({ "password": "x", "username": "u", "email": "e" }),
            Role::ALL,
        ),
        (
            "POST",
            "/api/auth/forgot",
            serde_json::json!({ "email": "nobody@example.com" }),
            Role::ALL,
        ),
        (
            "POST",
            "/api/auth/reset",
            serde_json::json!({ "token": "00", "password": "x", "confirm": "y" }),
            Role::ALL,
        ),
        // Last: it ends the caller's session.
        ("POST", "/api/auth/logout", serde_json::json!({}), Role::ALL),
    ]
}
