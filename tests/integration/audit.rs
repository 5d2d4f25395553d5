//! The audit trail page's list (admin): filters by user, record, action and dates, keyset
//! pages both ways, refused filters at their field, and the CSV export of what is filtered.

use chrono::{TimeZone, Utc};
use sales::audit::{AuditEntity, AuditEvent};
use sales::auth::Role;
use sales::choice::Choice;
use sales::clients::Client;
use sales::exports::{ExportFormat, ExportWhat};
use sales::paging::Page;
use sales::server::entities::audit_event::{self, Column as A};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::support::TestApp;
use crate::support::api::{client_form, field_error, ok};
use crate::support::fixtures::{client_with_role, shop};

async fn trail(app: &TestApp, query: &str) -> Page<AuditEvent> {
    app.read(&format!("/api/audit/?{query}")).await
}

/// Every event the trail shows for `query`, walking its pages to the end.
async fn all_pages(app: &TestApp, query: &str) -> Vec<AuditEvent> {
    let mut page = trail(app, query).await;
    let mut out = page.rows.clone();
    while let Some(after) = page.next {
        page = trail(app, &format!("{query}&after={after}")).await;
        out.extend(page.rows.clone());
    }
    out
}

#[tokio::test]
async fn the_trail_filters_by_user_record_action_and_date_in_keyset_pages() {
    let (app, _, _) = shop(&[50]).await;
    let (sam, sam_id) = client_with_role(&app, "sam", Role::Sales).await;
    let mut made = Vec::new();
    for i in 0..60 {
        let res = app
            .call_with(
                &sam,
                "/api/clients/create",
                &serde_json::json!({ "form": client_form(&format!("Client {i:02}"), "") }),
            )
            .await;
        made.push(ok::<Client>(res).await);
    }

    // By user: sam's events only, his 60 clients among them.
    let by_sam = all_pages(&app, &format!("user={sam_id}")).await;
    assert!(by_sam.iter().all(|e| e.actor_id == Some(sam_id)));
    let name = by_sam[0].actor.clone();
    assert!(name.as_deref().is_some_and(|n| !n.is_empty()), "named");
    assert!(by_sam.iter().all(|e| e.actor == name));
    let created = by_sam.iter().filter(|e| e.action == "client.created");
    assert_eq!(created.count(), 60);

    // Keyset pages: newest first, each event once, and Previous gives the page before back.
    let everything = all_pages(&app, "user=").await;
    let ids: Vec<i64> = everything.iter().map(|e| e.id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "newest first, once each"
    );
    let stored = audit_event::Entity::find()
        .select_only()
        .column(A::Id)
        .into_tuple::<i64>()
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(ids.len(), stored.len(), "every event is on a page");
    let first = trail(&app, "").await;
    assert_eq!(first.rows.len(), 50);
    let second = trail(&app, &format!("after={}", first.next.unwrap())).await;
    let back = trail(&app, &format!("before={}", second.prev.unwrap())).await;
    assert_eq!(back.rows, first.rows);

    // One record: its own events only.
    let one = &made[7];
    let record = trail(&app, &format!("entity=client&record={}", one.id)).await;
    assert_eq!(record.rows.len(), 1);
    assert_eq!(record.rows[0].action, "client.created");
    assert_eq!(record.rows[0].entity_id, Some(one.id.to_string()));

    // An action, or its family by the first word; a part of a word matches nothing.
    let exact = all_pages(&app, "action=client.created").await;
    assert_eq!(exact.len(), 61, "Acme and sam's 60");
    let family = all_pages(&app, "action=user").await;
    let actions: Vec<&str> = family.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"user.registered") && actions.contains(&"user.approved"));
    assert!(
        actions.iter().all(|a| a.starts_with("user.")),
        "{actions:?}"
    );
    assert!(trail(&app, "action=clien").await.rows.is_empty());

    // Dates, on the business's calendar: three of sam's clients made in January.
    let january = Utc.with_ymd_and_hms(2026, 1, 10, 10, 0, 0).unwrap();
    let backdated: Vec<String> = made[..3].iter().map(|c| c.id.to_string()).collect();
    audit_event::Entity::update_many()
        .col_expr(A::At, Expr::value(january))
        .filter(A::Entity.eq("client"))
        .filter(A::EntityId.is_in(backdated.clone()))
        .exec(app.db())
        .await
        .unwrap();
    let in_january = all_pages(&app, "from=2026-01-01&to=2026-01-31").await;
    let mut got: Vec<String> = in_january
        .iter()
        .map(|e| e.entity_id.clone().unwrap())
        .collect();
    got.sort();
    let mut want = backdated.clone();
    want.sort();
    assert_eq!(got, want);
    let the_day_after = all_pages(&app, "from=2026-01-11&to=2026-01-31").await;
    assert!(the_day_after.is_empty());
    let since = all_pages(&app, "from=2026-01-11&action=client.created").await;
    assert_eq!(since.len(), 58, "Acme and the 57 not backdated");

    // Refused filters, at their field.
    let res = app.get("/api/audit/?from=2026-02-01&to=2026-01-01").await;
    assert!(field_error(res, "to").await.contains("before"));
    let res = app.get("/api/audit/?record=5").await;
    assert!(field_error(res, "record").await.contains("kind of record"));
    let long = "a".repeat(65);
    let res = app.get(&format!("/api/audit/?action={long}")).await;
    assert!(field_error(res, "action").await.contains("64"));

    // Administrators only.
    let res = sam.get(app.url("/api/audit/?")).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_export_writes_what_the_filters_match() {
    let (app, acme, products) = shop(&[50]).await;
    let order = app
        .delivered_order(acme.id, &[(products[0].id, 2, "10.00")])
        .await;
    app.issued_invoice(order.id).await;
    // Every kind of record the trail holds is one the page can filter by.
    let kinds: Vec<String> = audit_event::Entity::find()
        .select_only()
        .column(A::Entity)
        .distinct()
        .into_tuple()
        .all(app.db())
        .await
        .unwrap();
    for kind in &kinds {
        assert!(AuditEntity::parse(kind).is_some(), "{kind} has no filter");
    }
    assert!(kinds.len() >= 5, "{kinds:?}");

    let query = format!("entity=order&record={}", order.id);
    let shown = all_pages(&app, &query).await;
    let (status, bytes) = app
        .export(ExportWhat::Audit, ExportFormat::Csv, &query)
        .await;
    assert_eq!(status.total, shown.len() as u64);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head,
        ["When", "User", "Action", "Record", "Record id", "Details"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let actions: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    let on_screen: Vec<&str> = shown.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, on_screen, "the page's order");
    assert!(actions.contains(&"order.created") && actions.contains(&"order.delivered"));
    let admin = shown[0].actor.clone().unwrap();
    assert!(rows.iter().all(|r| r[1] == admin && r[3] == "order"));
    assert!(rows.iter().all(|r| r[4] == order.id.to_string()));
}
