//! Client CSV import (all-or-nothing, per-line problems) and export of the filtered list.

use sales::clients::{Client, ClientPage, ImportReport};
use sales::error::AppError;

use sales::server::entities::client;

use crate::support::api::{client_form, error_of};
use crate::support::{TestApp, spawn_app};

async fn refused(app: &TestApp, bytes: impl Into<Vec<u8>>) -> AppError {
    let before = app.count::<client::Entity>().await;
    let res = app.import_clients(bytes).await;
    assert_eq!(res.status(), 400);
    let err = error_of(res).await;
    assert_eq!(
        app.count::<client::Entity>().await,
        before,
        "nothing imported: {err:?}"
    );
    err
}

/// `(field, message)` pairs of a refusal, e.g. `("line 3", "email: …")`.
fn problems(err: &AppError) -> Vec<(String, String)> {
    match err {
        AppError::Invalid { fields, .. } => fields
            .iter()
            .map(|f| (f.field.clone(), f.message.clone()))
            .collect(),
        other => panic!("not a field error: {other:?}"),
    }
}

const GOOD: &str = "\u{feff}Name,Contact,Email,Phone,Billing address,shipping_address,tax_id,payment_terms_days,notes\n\
Alpha GmbH,Ann,ann@alpha.example,+49 30 1,\"Street 1\n10115 Berlin\",,DE1,14,first\n\
Beta SARL,,,,,,,,\n\
\"Gamma, \"\"the\"\" Co\",Gus,GUS@gamma.example,,Rue 2,Dock 9,,0,\n\
,,,,,,,,\n";

#[tokio::test]
async fn a_good_file_imports_every_row() {
    let app = spawn_app().await;
    app.register("admin").await;
    let res = app.import_clients(GOOD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<ImportReport>().await.unwrap().imported, 3);
    let page: ClientPage = app.get("/api/clients/?q=").await.json().await.unwrap();
    let rows: Vec<&Client> = page.rows.iter().collect();
    assert_eq!(rows.len(), 3, "the blank line is skipped");
    let alpha = rows.iter().find(|c| c.name == "Alpha GmbH").unwrap();
    assert_eq!(alpha.billing_address, "Street 1\n10115 Berlin");
    assert_eq!(
        alpha.shipping_address, alpha.billing_address,
        "defaults to billing"
    );
    assert_eq!(
        (alpha.payment_terms_days, alpha.notes.as_str()),
        (14, "first")
    );
    let beta = rows.iter().find(|c| c.name == "Beta SARL").unwrap();
    assert_eq!((beta.payment_terms_days, beta.email.as_deref()), (30, None));
    let gamma = rows.iter().find(|c| c.name == "Gamma, \"the\" Co").unwrap();
    assert_eq!(gamma.email.as_deref(), Some("gus@gamma.example"));
    assert_eq!(
        (gamma.shipping_address.as_str(), gamma.payment_terms_days),
        ("Dock 9", 0)
    );
    // Each imported client has its own "created" event, so its history starts complete.
    let history = sales::audit::service::for_entity(app.db(), "client", alpha.id)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].details, "Alpha GmbH (CSV import)");
    // Semicolons (spreadsheets in European locales) work too.
    let res = app
        .import_clients("name;email\nDelta AB;d@delta.example\n")
        .await;
    assert_eq!(res.json::<ImportReport>().await.unwrap().imported, 1);
    assert_eq!(app.count::<client::Entity>().await, 4);
}

#[tokio::test]
async fn bad_rows_are_each_reported_and_nothing_is_imported() {
    let app = spawn_app().await;
    app.register("admin").await;
    app.create_client(&client_form("Existing", "taken@x.example"))
        .await;
    let file = "name,email,phone,payment_terms_days\n\
Good One,good@x.example,,\n\
,nobody@x.example,,\n\
Bad Mail,not-an-email,,\n\
Bad Terms,,,thirty\n\
Long Terms,,,400\n\
Bad Phone,,call me,\n\
Dup A,dup@x.example,,\n\
Dup B,DUP@x.example,,\n\
Too,many,fields,here,extra\n";
    let err = refused(&app, file).await;
    assert_eq!(
        problems(&err),
        [
            ("line 3", "name: enter the client's name"),
            (
                "line 4",
                "email: enter a valid email address, like billing@example.com"
            ),
            (
                "line 5",
                "payment_terms_days: 'thirty' is not a whole number of days"
            ),
            (
                "line 6",
                "payment_terms_days: enter a number of days from 0 to 365"
            ),
            ("line 7", "phone: use digits, spaces and + - ( ) . / only"),
            ("line 9", "email: dup@x.example is also on line 8"),
            ("line 10", "has 5 fields, the header has 4"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(
        err.to_string()
            .contains("7 lines of the file have problems"),
        "{err}"
    );

    // A row whose email an active client already has is refused the same way.
    let err = refused(
        &app,
        "name,email\nFresh,fresh@x.example\nClash,Taken@x.example\n",
    )
    .await;
    assert_eq!(
        problems(&err),
        [(
            "line 3".to_string(),
            "email: Existing already uses taken@x.example".to_string()
        )]
    );
}

#[tokio::test]
async fn wrong_columns_empty_and_non_utf8_files_are_refused() {
    let app = spawn_app().await;
    app.register("admin").await;
    for (file, says) in [
        (
            b"email,phone\na@b.example,1\n".to_vec(),
            "the 'name' column is missing",
        ),
        (
            b"name,colour\nAcme,red\n".to_vec(),
            "unknown column 'colour'",
        ),
        (b"name,Name\nA,B\n".to_vec(), "column 'Name' appears twice"),
        (b"".to_vec(), "the file is empty"),
        (b"name,email\n".to_vec(), "a header but no clients"),
        // Latin-1 "Müller" on line 3: the usual Excel "CSV" export.
        (
            b"name\nAcme\nM\xfcller\n".to_vec(),
            "not UTF-8 text (first problem on line 3)",
        ),
    ] {
        let err = refused(&app, file).await;
        assert!(err.to_string().contains(says), "{says}: {err}");
    }
    // Over the size limit: refused before parsing.
    let big = vec![b'a'; sales::clients::csv::MAX_BYTES + 1];
    let err = refused(&app, big).await;
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn export_writes_the_filtered_list_and_imports_again() {
    let app = spawn_app().await;
    app.register("admin").await;
    assert_eq!(app.import_clients(GOOD).await.status(), 200);
    let res = app.get("/api/clients/export.csv?q=gmbh").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"clients-"),
        "{disposition}"
    );
    let body = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(reader.headers().unwrap(), &sales::clients::CSV_COLUMNS[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "only the search's matches");
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        [
            "Alpha GmbH",
            "Ann",
            "ann@alpha.example",
            "'+49 30 1",
            "Street 1\n10115 Berlin",
            "Street 1\n10115 Berlin",
            "DE1",
            "14",
            "first"
        ]
    );
    // The whole list, sorted Z–A, in that order.
    let all = app
        .get("/api/clients/export.csv?sort=name_desc")
        .await
        .text()
        .await
        .unwrap();
    let names: Vec<String> = csv::Reader::from_reader(all.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(names, ["Gamma, \"the\" Co", "Beta SARL", "Alpha GmbH"]);
    // An export imports again once the originals are archived (emails are free again).
    for c in app
        .get("/api/clients/?q=")
        .await
        .json::<ClientPage>()
        .await
        .unwrap()
        .rows
    {
        app.archive_client(c.id).await;
    }
    let res = app.import_clients(all).await;
    assert_eq!(res.json::<ImportReport>().await.unwrap().imported, 3);
    // The phone went out as '+49 30 1 (not a formula) and came back as it was typed.
    let again = app
        .get("/api/clients/?q=alpha")
        .await
        .json::<ClientPage>()
        .await
        .unwrap();
    assert_eq!(again.rows[0].phone, "+49 30 1");
    // Readers only: the export is open to every role, and refused signed out.
    assert_eq!(
        app.new_client()
            .get(app.url("/api/clients/export.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

/// A name, a note and a contact that a spreadsheet would run are exported as text.
#[tokio::test]
async fn export_escapes_cells_a_spreadsheet_would_run_as_formulas() {
    let app = spawn_app().await;
    app.register("admin").await;
    let file = "name,contact,notes\n\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",@boss,-1 day\n";
    assert_eq!(app.import_clients(file).await.status(), 200);
    let body = app
        .get("/api/clients/export.csv")
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(&row[1], "'@boss");
    assert_eq!(&row[8], "'-1 day");
    let stored = app
        .get("/api/clients/?q=")
        .await
        .json::<ClientPage>()
        .await
        .unwrap();
    assert_eq!(
        stored.rows[0].name, "=HYPERLINK(\"http://evil\",\"x\")",
        "stored as typed"
    );
}

#[tokio::test]
async fn a_file_with_nul_characters_is_refused_on_both_backends() {
    let app = spawn_app().await;
    app.register("admin").await;
    let err = refused(&app, "name,email\nNul\0Corp,n@nul.example\n").await;
    assert!(err.to_string().contains("NUL"), "{err}");
}
