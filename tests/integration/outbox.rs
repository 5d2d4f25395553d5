//! The outbox: mail is written with the change that causes it and sent by the worker, which
//! survives restarts, records the mail server's refusals and tries again.

use std::time::{Duration, Instant};

use sales::outbox::{MailStatus, OutboxMail};
use sales::server::entities::outbox_mail;
use sea_orm::EntityTrait;

use crate::support::smtp::{REFUSAL, SmtpServer};
use crate::support::{TestApp, spawn_app_with};

const SUBJECT: &str = "Reset your Sales password";

/// The app's settings for `smtp`, named as `sales.example.test`, first retry after `retry`
/// seconds.
fn mail_env(smtp: &SmtpServer, retry: &str) -> Vec<(&'static str, String)> {
    let mut env = smtp.env();
    env.push(("BASE_URL", "http://sales.example.test:8080/".into()));
    env.push(("MAIL_RETRY_SECONDS", retry.into()));
    env
}

fn pairs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// ann is the first account (an admin, signed in); then she asks for a password reset.
async fn ask_for_reset(app: &TestApp) {
    assert_eq!(app.register("ann").await.status(), 200);
    let res = app
        .call(
            "/api/auth/forgot",
            &serde_json::json!({ "email": "ann@example.com" }),
        )
        .await;
    assert_eq!(res.status(), 200);
}

/// The one mail in the outbox, once `done` holds for it (waits up to 10 s).
async fn outbox_row(
    app: &TestApp,
    done: impl Fn(&outbox_mail::Model) -> bool,
) -> outbox_mail::Model {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = outbox_mail::Entity::find().all(app.db()).await.unwrap();
        assert_eq!(rows.len(), 1, "one mail queued: {rows:?}");
        if done(&rows[0]) {
            return rows[0].clone();
        }
        assert!(
            Instant::now() < deadline,
            "outbox row never got there: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_mail_committed_before_a_restart_is_sent_after_it() {
    // First run: the mail server is down, so the committed mail cannot leave.
    let down = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = down.local_addr().unwrap().port().to_string();
    drop(down);
    let smtp = SmtpServer::start().await;
    let mut env = mail_env(&smtp, "1");
    env.retain(|(k, _)| *k != "SMTP_PORT");
    env.push(("SMTP_PORT", dead_port));
    let app = spawn_app_with(&pairs(&env)).await;
    ask_for_reset(&app).await;
    let failed = outbox_row(&app, |m| m.attempts >= 1).await;
    assert_eq!(failed.status, MailStatus::Failed);
    assert!(!failed.last_error.is_empty(), "the reason is kept");
    assert!(failed.next_attempt_at.is_some(), "and it is tried again");
    assert_eq!(smtp.count(), 0);

    // Restarted with the mail server up: the worker finds the mail and sends it.
    let app = app.restart(&pairs(&mail_env(&smtp, "1"))).await;
    let mail = smtp.wait_for_text("ann@example.com", SUBJECT).await;
    let sent = outbox_row(&app, |m| m.status == MailStatus::Sent).await;
    assert!(sent.attempts >= 2, "{sent:?}");
    assert!(sent.sent_at.is_some() && sent.next_attempt_at.is_none());
    assert_eq!(smtp.count(), 1, "sent once");

    // Built properly: a charset, a Message-ID on the app's host, EHLO with that host.
    let headers = mail.data.to_lowercase();
    assert!(
        headers.contains("content-type: text/plain; charset=utf-8"),
        "{}",
        mail.data
    );
    let id = format!("message-id: <{}@sales.example.test>", sent.message_id);
    assert!(headers.contains(&id), "{}", mail.data);
    assert!(
        smtp.hellos().iter().any(|h| h == "sales.example.test"),
        "{:?}",
        smtp.hellos()
    );
}

#[tokio::test]
async fn a_refused_mail_is_failed_with_the_answer_and_tried_again() {
    let smtp = SmtpServer::start().await;
    smtp.refuse(1);
    let app = spawn_app_with(&pairs(&mail_env(&smtp, "1"))).await;
    ask_for_reset(&app).await;
    let failed = outbox_row(&app, |m| m.attempts >= 1).await;
    // The first attempt may already have been retried; its answer was the refusal.
    if failed.status == MailStatus::Failed {
        assert!(failed.last_error.contains("550"), "{}", failed.last_error);
        assert!(
            failed.last_error.contains("mailbox unavailable"),
            "{}",
            failed.last_error
        );
    }
    smtp.wait_for_text("ann@example.com", SUBJECT).await;
    let sent = outbox_row(&app, |m| m.status == MailStatus::Sent).await;
    assert_eq!(sent.attempts, 2, "refused once, accepted the second time");
    assert_eq!(smtp.count(), 1);
    assert!(REFUSAL.starts_with("550"));
}

#[tokio::test]
async fn admins_see_failed_mail_and_send_it_again() {
    let smtp = SmtpServer::start().await;
    smtp.refuse(1);
    // The automatic retry is an hour away: only the admin's "send again" sends it now.
    let app = spawn_app_with(&pairs(&mail_env(&smtp, "3600"))).await;
    ask_for_reset(&app).await;
    let failed = outbox_row(&app, |m| m.status == MailStatus::Failed).await;

    let res = app.get("/api/outbox/?status=failed").await;
    assert_eq!(res.status(), 200);
    let listed: Vec<OutboxMail> = res.json().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].recipient, "ann@example.com");
    assert!(
        listed[0].last_error.contains("mailbox unavailable"),
        "{listed:?}"
    );

    let res = app
        .call("/api/outbox/retry", &serde_json::json!({ "id": failed.id }))
        .await;
    assert_eq!(res.status(), 200);
    smtp.wait_for_text("ann@example.com", SUBJECT).await;
    outbox_row(&app, |m| m.status == MailStatus::Sent).await;

    // A sent mail is not sent again.
    let res = app
        .call("/api/outbox/retry", &serde_json::json!({ "id": failed.id }))
        .await;
    assert_eq!(res.status(), 409);
    // And only admins see the outbox.
    let other = app.new_client();
    assert_eq!(app.register_with(&other, "bob").await.status(), 200);
    let res = other
        .get(app.url("/api/outbox/?status=failed"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        401,
        "bob waits for approval and has no session"
    );
}
