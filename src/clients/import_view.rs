//! CSV import page: pick a file, and either every client is imported or each bad line is
//! listed with its problem.

use dioxus::prelude::*;

use super::{ImportReport, import_clients};
use crate::app::Route;
use crate::error::AppError;

/// What the page shows after an attempt.
#[derive(Clone, PartialEq)]
enum Outcome {
    Done(ImportReport),
    Refused(AppError),
}

#[component]
pub fn ClientImport() -> Element {
    let mut outcome = use_signal(|| None::<Outcome>);
    let mut busy = use_signal(|| false);
    let upload = move |e: FormEvent| async move {
        let Some(file) = e.files().into_iter().next() else {
            return;
        };
        busy.set(true);
        let result = match file.read_bytes().await {
            Ok(bytes) => {
                let stream = futures_util::stream::iter([bytes]);
                import_clients(dioxus::fullstack::ByteStream::new(stream)).await
            }
            Err(err) => Err(AppError::invalid(format!(
                "the file could not be read: {err}"
            ))),
        };
        busy.set(false);
        outcome.set(Some(match result {
            Ok(report) => Outcome::Done(report),
            Err(err) => Outcome::Refused(err),
        }));
    };

    rsx! {
        document::Title { "Import clients · Clients" }
        div { class: "page-header",
            div {
                h1 { "Import clients" }
                p { class: "muted", "All or nothing: if any line is wrong, nothing is imported." }
            }
            Link { class: "btn", to: Route::ClientList { query: Default::default() }, "Back to clients" }
        }
        div { class: "cards",
            section { class: "card",
                h2 { "Choose a CSV file" }
                p { class: "muted",
                    "The first line names the columns; only name is required. Columns: "
                    code { {super::CSV_COLUMNS.join(", ")} }
                    ". Payment terms default to 30 days, the shipping address to the billing address."
                }
                input {
                    id: "import-file",
                    r#type: "file",
                    accept: ".csv,text/csv",
                    disabled: busy(),
                    onchange: upload,
                }
                if busy() {
                    p { class: "muted", "Checking and importing…" }
                }
            }
            match outcome() {
                Some(Outcome::Done(report)) => rsx! {
                    section { class: "card", id: "import-result",
                        h2 { "Imported {report.imported} clients" }
                        Link { class: "btn btn-primary", to: Route::ClientList { query: Default::default() }, "See the clients" }
                    }
                },
                Some(Outcome::Refused(err)) => rsx! {
                    section { class: "card", id: "import-result", role: "alert",
                        h2 { class: "form-error", "{err}" }
                        if let AppError::Invalid { fields, .. } = &err {
                            ul { class: "problems",
                                for f in fields {
                                    li { strong { "{f.field}: " } "{f.message}" }
                                }
                            }
                        }
                    }
                },
                None => rsx! {},
            }
        }
    }
}
