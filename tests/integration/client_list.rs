//! Client lists: search, keyset pages at their boundaries, sort orders, archive versus delete.

use sales::clients::{Client, ClientForm, ClientPage, ClientQuery, ClientSort, PAGE_SIZE};
use sales::server::entities::client;

use crate::support::api::{client_form, error_of, ok, order_form};
use crate::support::{TestApp, spawn_app};

fn url(q: &ClientQuery) -> String {
    format!(
        "/api/clients/?{}",
        serde_urlencoded::to_string(q).expect("query")
    )
}

async fn list(app: &TestApp, q: &ClientQuery) -> ClientPage {
    let res = app.get(&url(q)).await;
    assert_eq!(res.status(), 200, "{}", url(q));
    res.json().await.unwrap()
}

fn names(p: &ClientPage) -> Vec<String> {
    p.rows.iter().map(|c| c.name.clone()).collect()
}

async fn search(app: &TestApp, q: &str) -> Vec<String> {
    names(
        &list(
            app,
            &ClientQuery {
                q: q.into(),
                ..Default::default()
            },
        )
        .await,
    )
}

async fn create_full(app: &TestApp, f: ClientForm) -> Client {
    ok(app.create_client(&f).await).await
}

#[tokio::test]
async fn search_matches_every_word_anywhere_ignoring_case() {
    let app = spawn_app().await;
    app.register("admin").await;
    let mut a = client_form("Müller Bäckerei", "orders@mueller.example");
    a.contact = "Hanna Schmidt".into();
    a.phone = "+49 (30) 555-0101".into();
    a.billing_address = "Hauptstraße 5\n10115 Berlin".into();
    a.shipping_address = "Lager 2\n14467 Potsdam".into();
    create_full(&app, a).await;
    let mut b = client_form("Acme_Tools 100%", "buy@acme.example");
    b.contact = "Jo Smith".into();
    b.billing_address = "1 Main St\nSpringfield".into();
    create_full(&app, b).await;

    for (q, expect) in [
        ("müller", vec!["Müller Bäckerei"]),
        ("MÜLLER", vec!["Müller Bäckerei"]),
        ("schmidt", vec!["Müller Bäckerei"]),         // contact
        ("MUELLER.example", vec!["Müller Bäckerei"]), // email
        ("555-0101", vec!["Müller Bäckerei"]),        // phone as typed
        ("305550101", vec!["Müller Bäckerei"]),       // phone digits
        ("potsdam", vec!["Müller Bäckerei"]),         // shipping address
        ("berlin hanna", vec!["Müller Bäckerei"]),    // every word, any field
        ("berlin smith", vec![]),
        ("mü", vec!["Müller Bäckerei"]), // one or two letters: the start of the name
        ("AC", vec!["Acme_Tools 100%"]),
        ("mi", vec![]),                              // ...not anywhere
        ("_", vec![]),                               // a literal underscore, not a wildcard
        ("springfield jo", vec!["Acme_Tools 100%"]), // long and short words together
        ("100%", vec!["Acme_Tools 100%"]),           // LIKE wildcards are literal
        ("s_t", vec![]),
        ("\"quoted\"", vec![]), // FTS syntax is not interpreted
        ("nobody", vec![]),
        ("   ", vec!["Acme_Tools 100%", "Müller Bäckerei"]),
    ] {
        assert_eq!(search(&app, q).await, expect, "search {q:?}");
    }
}

#[tokio::test]
async fn search_ignores_accents_both_ways() {
    use sea_orm::EntityTrait;
    use sea_orm::sea_query::Expr;
    let app = spawn_app().await;
    app.register("admin").await;
    let mut a = client_form("Łukasiewicz Logistyka", "biuro@lukasiewicz.example");
    a.billing_address = "ul. Żółkiewskiego 3\nKraków".into();
    create_full(&app, a).await;
    create_full(&app, client_form("Zoë Martin Café", "zoe@cafe.example")).await;
    create_full(&app, client_form("Zola Bakery", "zola@bakery.example")).await;
    let checks = [
        ("lukasiewicz", vec!["Łukasiewicz Logistyka"]),
        ("ŁUKASIEWICZ", vec!["Łukasiewicz Logistyka"]),
        ("zolkiewskiego krakow", vec!["Łukasiewicz Logistyka"]),
        ("zoe", vec!["Zoë Martin Café"]),
        ("zoë café", vec!["Zoë Martin Café"]),
        ("CAFE", vec!["Zoë Martin Café"]),
        ("lu", vec!["Łukasiewicz Logistyka"]), // the start of the name, too
        ("zo", vec!["Zoë Martin Café", "Zola Bakery"]),
    ];
    for (q, expect) in &checks {
        assert_eq!(&search(&app, q).await, expect, "search {q:?}");
    }
    // Rows written before search ignored accents have their keys cleared (migration 15) and
    // written again at start-up.
    client::Entity::update_many()
        .col_expr(client::Column::NameKey, Expr::value(""))
        .col_expr(client::Column::SearchText, Expr::value(""))
        .exec(app.db())
        .await
        .unwrap();
    assert_eq!(search(&app, "zoe").await, Vec::<String>::new());
    let rewritten = sales::clients::search_keys::refold(app.db()).await.unwrap();
    assert_eq!(rewritten, 3);
    for (q, expect) in &checks {
        assert_eq!(
            &search(&app, q).await,
            expect,
            "after refolding, search {q:?}"
        );
    }
}

#[tokio::test]
async fn search_follows_edits_archives_and_deletes() {
    let app = spawn_app().await;
    app.register("admin").await;
    let c = create_full(&app, client_form("Zephyr Ltd", "z@zephyr.example")).await;
    assert_eq!(search(&app, "zephyr").await, ["Zephyr Ltd"]);
    let res = app
        .update_client(c.id, &client_form("Boreas Ltd", ""))
        .await;
    assert_eq!(res.status(), 200);
    assert!(search(&app, "zephyr").await.is_empty(), "old text is gone");
    assert_eq!(search(&app, "boreas").await, ["Boreas Ltd"]);
    app.archive_client(c.id).await;
    assert!(search(&app, "boreas").await.is_empty(), "archived");
    let archived = list(
        &app,
        &ClientQuery {
            q: "boreas".into(),
            archived: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(names(&archived), ["Boreas Ltd"]);
    app.delete_client(c.id).await;
    let archived = list(
        &app,
        &ClientQuery {
            q: "boreas".into(),
            archived: true,
            ..Default::default()
        },
    )
    .await;
    assert!(archived.rows.is_empty(), "deleted rows leave the index");
}

/// Walks every page forward then back, checking order, sizes and cursors at each boundary.
async fn walk(app: &TestApp, sort: ClientSort, expected: &[String]) {
    let mut q = ClientQuery {
        sort,
        ..Default::default()
    };
    let mut pages = Vec::new();
    loop {
        let p = list(app, &q).await;
        assert_eq!(p.total as usize, expected.len());
        assert_eq!(
            p.prev.is_some(),
            !pages.is_empty(),
            "prev on page {}",
            pages.len()
        );
        pages.push(names(&p));
        match p.next {
            Some(after) => {
                q = ClientQuery {
                    after: Some(after),
                    before: None,
                    ..q
                }
            }
            None => break,
        }
    }
    let forward: Vec<String> = pages.concat();
    assert_eq!(forward, expected, "{sort:?} forward");
    assert!(
        pages
            .iter()
            .rev()
            .skip(1)
            .all(|p| p.len() == PAGE_SIZE as usize)
    );
    // Back from the last page to the first, through `before` cursors.
    let mut back = vec![pages.last().unwrap().clone()];
    let mut p = list(app, &q).await;
    while let Some(before) = p.prev {
        p = list(
            app,
            &ClientQuery {
                before: Some(before),
                after: None,
                ..q.clone()
            },
        )
        .await;
        assert!(p.next.is_some(), "a page reached backwards has a next page");
        back.insert(0, names(&p));
    }
    assert_eq!(back, pages, "{sort:?} backward");
}

#[tokio::test]
async fn keyset_pages_hold_at_their_boundaries_in_every_order() {
    let app = spawn_app().await;
    app.register("admin").await;
    assert!(list(&app, &ClientQuery::default()).await.rows.is_empty());
    // Exactly two full pages plus one: the boundaries at 25, 50 and 51. Names repeat (the id
    // breaks ties) and differ in case (the order ignores case).
    let n = PAGE_SIZE as usize * 2 + 1;
    let mut created = Vec::new();
    for i in 0..n {
        let name = match i % 3 {
            0 => format!("client {:02}", i / 3),
            1 => format!("Client {:02}", i / 3),
            _ => "Same Name".to_string(),
        };
        created.push(create_full(&app, client_form(&name, "")).await);
    }
    let mut by_name: Vec<&Client> = created.iter().collect();
    by_name.sort_by_key(|c| (c.name.to_lowercase(), c.id));
    let asc: Vec<String> = by_name.iter().map(|c| c.name.clone()).collect();
    let desc: Vec<String> = by_name.iter().rev().map(|c| c.name.clone()).collect();
    let oldest: Vec<String> = created.iter().map(|c| c.name.clone()).collect();
    let newest: Vec<String> = oldest.iter().rev().cloned().collect();
    walk(&app, ClientSort::Name, &asc).await;
    walk(&app, ClientSort::NameDesc, &desc).await;
    walk(&app, ClientSort::Oldest, &oldest).await;
    walk(&app, ClientSort::Newest, &newest).await;

    // Exactly one full page: no next page.
    let one = list(
        &app,
        &ClientQuery {
            q: "same".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!((one.rows.len(), one.next, one.prev), (17, None, None));
    // A cursor whose client is gone starts from the top instead of failing.
    let gone = list(
        &app,
        &ClientQuery {
            after: Some(999_999),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(names(&gone), asc[..PAGE_SIZE as usize]);
    // Junk in the query string is a 400, not a 500.
    assert_eq!(app.get("/api/clients/?after=abc").await.status(), 400);
}

#[tokio::test]
async fn archive_hides_restore_checks_the_email_and_delete_removes() {
    let app = spawn_app().await;
    app.register("admin").await;
    let a: Client = app
        .create_client(&client_form("Old Co", "shared@co.example"))
        .await
        .json()
        .await
        .unwrap();
    let res = app.archive_client(a.id).await;
    assert_eq!(res.status(), 200);
    assert!(!res.json::<Client>().await.unwrap().active);
    assert!(list(&app, &ClientQuery::default()).await.rows.is_empty());
    // The archived client's email is free again...
    let b: Client = app
        .create_client(&client_form("New Co", "shared@co.example"))
        .await
        .json()
        .await
        .unwrap();
    // ...so restoring the old one clashes, and nothing changes.
    let res = app.restore_client(a.id).await;
    assert_eq!(res.status(), 400);
    let err = error_of(res).await;
    assert!(
        err.field_message("email").unwrap().contains("New Co"),
        "{err:?}"
    );
    let still: Client = app
        .get(&format!("/api/clients/{}", a.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(!still.active);
    // Once the newer client is deleted, the old one can come back.
    let res = app.delete_client(b.id).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get(&format!("/api/clients/{}", b.id)).await.status(),
        404
    );
    let res = app.restore_client(a.id).await;
    assert_eq!(res.status(), 200);
    assert!(res.json::<Client>().await.unwrap().active);
    assert_eq!(app.count::<client::Entity>().await, 1);
    // Deleting what is not there is a 404.
    let res = app.delete_client(b.id).await;
    assert_eq!(res.status(), 404);

    let history: Vec<sales::audit::AuditEvent> = app
        .get(&format!("/api/clients/{}/history", a.id))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["client.created", "client.archived", "client.restored"]
    );
    assert!(
        history
            .iter()
            .all(|e| e.actor.as_deref() == Some("Test admin"))
    );
    let deleted = sales::audit::service::for_entity(app.db(), "client", b.id)
        .await
        .unwrap();
    assert_eq!(deleted.last().unwrap().action, "client.deleted");
}

/// A client with an order cannot be deleted (the orders' restricting key refuses, and the
/// refusal says to archive instead); archiving still works.
#[tokio::test]
async fn a_client_with_orders_can_only_be_archived() {
    let app = spawn_app().await;
    app.register("admin").await;
    let c: Client = app
        .create_client(&client_form("Busy Co", ""))
        .await
        .json()
        .await
        .unwrap();
    let p = app.new_product("ANY-1", "0").await;
    let order = order_form(c.id, &[(p.id, 1, "1")]);
    assert_eq!(app.create_order(&order, false).await.status(), 200);
    let res = app.delete_client(c.id).await;
    assert_eq!(res.status(), 409);
    let err = error_of(res).await;
    assert!(err.to_string().contains("archive it instead"), "{err}");
    assert_eq!(app.count::<client::Entity>().await, 1, "nothing deleted");
    let res = app.archive_client(c.id).await;
    assert_eq!(res.status(), 200);
}

/// Over a thousand matches: the count stops at the cap, the trigram index no longer drives
/// the page (matches are dense), and the results are still exactly the matching rows.
#[tokio::test]
async fn dense_searches_cap_the_count_and_still_page_exactly() {
    let app = spawn_app().await;
    app.register("admin").await;
    let n = sales::paging::COUNT_CAP as usize + 60;
    let mut file = String::from("name,email\n");
    for i in 0..n {
        file.push_str(&format!("Dense Co {i:04},d{i}@dense.example\n"));
    }
    file.push_str("Sparse Co,s@sparse.example\n");
    let res = app.import_clients(file).await;
    assert_eq!(res.status(), 200);

    let all = list(
        &app,
        &ClientQuery {
            q: "dense".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!((all.total, all.total_capped), (1000, true));
    assert_eq!(all.rows[0].name, "Dense Co 0000");
    let unfiltered = list(&app, &ClientQuery::default()).await;
    assert_eq!((unfiltered.total, unfiltered.total_capped), (1000, true));
    // Many matches, none of them archived: the archived tab is counted, not assumed.
    let archived = list(
        &app,
        &ClientQuery {
            q: "dense".into(),
            archived: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!((archived.total, archived.total_capped), (0, false));
    assert!(archived.rows.is_empty());

    // A long word plus a short one: exact matches and an exact count under the cap.
    let expected: Vec<String> = (0..n)
        .map(|i| format!("Dense Co {i:04}"))
        .filter(|name| name.contains("77"))
        .collect();
    let mut got = Vec::new();
    let mut q = ClientQuery {
        q: "DENSE 77".into(),
        ..Default::default()
    };
    loop {
        let p = list(&app, &q).await;
        assert_eq!((p.total as usize, p.total_capped), (expected.len(), false));
        got.extend(names(&p));
        match p.next {
            Some(after) => q.after = Some(after),
            None => break,
        }
    }
    assert_eq!(got, expected);
    // A narrow search among the many.
    assert_eq!(search(&app, "sparse").await, ["Sparse Co"]);
    assert_eq!(search(&app, "co 1042").await, ["Dense Co 1042"]);
}
