//! Security headers on pages, API answers, errors and PDFs (`server::headers`).

use sales::orders::Paper;

use crate::support::api::{client_form, ok, order_form};
use crate::support::{LIVE_SITE, TestApp, spawn_app, spawn_app_with};

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} on {}", res.url()))
        .to_str()
        .unwrap()
        .to_string()
}

/// The headers every answer carries, whatever it is.
fn assert_common(res: &reqwest::Response) {
    assert_eq!(header(res, "x-content-type-options"), "nosniff");
    assert_eq!(header(res, "x-frame-options"), "DENY");
    assert_eq!(header(res, "referrer-policy"), "same-origin");
    let permissions = header(res, "permissions-policy");
    for feature in ["camera=()", "microphone=()", "geolocation=()"] {
        assert!(permissions.contains(feature), "{permissions}");
    }
    assert!(
        header(res, "content-security-policy").contains("frame-ancestors 'none'"),
        "{}",
        res.url()
    );
}

/// A page's policy, and the nonces its inline scripts carry.
async fn page(app: &TestApp, path: &str) -> (String, Vec<String>) {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_common(&res);
    assert!(res.headers().get("strict-transport-security").is_none());
    let policy = header(&res, "content-security-policy");
    let html = res.text().await.unwrap();
    assert!(
        !html.contains("<script>"),
        "an inline script without the nonce"
    );
    let nonces = html
        .split("<script nonce=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    (policy, nonces)
}

#[tokio::test]
async fn a_page_allows_only_its_own_inline_scripts() {
    let app = spawn_app().await;
    let (policy, nonces) = page(&app, "/login").await;
    let script_src = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .expect("a script-src directive");
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    assert!(!nonces.is_empty(), "the hydration scripts carry the nonce");
    for nonce in &nonces {
        assert!(
            script_src.contains(&format!("'nonce-{nonce}'")),
            "{nonce} not in {script_src}"
        );
    }
    for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'none'"] {
        assert!(policy.contains(directive), "{directive} missing: {policy}");
    }
    // A fresh nonce on every page.
    let (_, again) = page(&app, "/login").await;
    assert_ne!(nonces[0], again[0]);
}

/// The sign-in pages are rendered once per address (`server::page_cache`): a kept copy is the
/// page as rendered, with a nonce of its own that its policy allows.
#[tokio::test]
async fn a_kept_sign_in_page_is_the_rendered_page_with_a_nonce_of_its_own() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let res = app.get("/register").await;
        assert_eq!(res.status(), 200);
        let policy = header(&res, "content-security-policy");
        let html = res.text().await.unwrap();
        let nonce = html
            .split("<script nonce=\"")
            .nth(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .expect("a script with the nonce");
        assert!(policy.contains(&format!("'nonce-{nonce}'")), "{policy}");
        seen.push((nonce.clone(), html.replace(&nonce, "")));
    }
    assert_ne!(seen[0].0, seen[1].0);
    assert_ne!(seen[1].0, seen[2].0);
    assert_eq!(seen[0].1, seen[1].1, "the copy is the page rendered");
    assert_eq!(seen[1].1, seen[2].1);
    assert!(seen[0].1.contains("Create an account"));
}

#[tokio::test]
async fn api_answers_errors_and_pdfs_carry_them_too() {
    let app = spawn_app().await;
    let visitor = app.new_client();
    let refused = visitor.get(app.url("/api/clients/")).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_common(&refused);
    assert_eq!(
        header(&refused, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'"
    );

    app.register("ann").await;
    let json = app.get("/api/auth/me").await;
    assert_common(&json);
    assert!(header(&json, "content-security-policy").starts_with("default-src 'none'"));

    let client: sales::clients::Client = ok(app
        .create_client(&client_form("Acme", "acme@example.com"))
        .await)
    .await;
    let product = app.product_with_stock("LAMP-1", 5).await;
    let form = order_form(client.id, &[(product.id, 1, "10.00")]);
    let order: sales::orders::Order = ok(app.create_order(&form, false).await).await;
    let pdf = app.order_pdf(order.id, Paper::Quotation).await;
    assert_eq!(pdf.status(), 200);
    assert_common(&pdf);
    // The browser's PDF viewer must still open it: only framing is restricted.
    assert_eq!(
        header(&pdf, "content-security-policy"),
        "frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn hsts_only_when_the_site_is_https() {
    let app = spawn_app_with(LIVE_SITE).await;
    let res = app.get("/login").await;
    assert_eq!(
        header(&res, "strict-transport-security"),
        "max-age=31536000"
    );
    assert_common(&res);
    let health = app.get("/health").await;
    assert_eq!(
        header(&health, "strict-transport-security"),
        "max-age=31536000"
    );
}
