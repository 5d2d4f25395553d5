//! The export buttons a report or list shows: one per format. A click starts the export on
//! the server, the page shows its progress (rows written of the total) while other work goes
//! on, and the file downloads when it is written.

use dioxus::prelude::*;

use super::{ExportFormat, ExportState, ExportStatus, ExportWhat, export_status, start_export};
use crate::choice::Choice;
use crate::ui::timer::sleep;
use crate::ui::toast::use_toasts;

/// How often a running export is asked how far it has got.
const POLL_MS: u32 = 250;

#[component]
pub fn ExportMenu(what: ExportWhat, query: String, formats: Vec<ExportFormat>) -> Element {
    let mut status = use_signal(|| None::<ExportStatus>);
    let mut toasts = use_toasts();
    let running = matches!(&*status.read(), Some(s) if s.state == ExportState::Running);
    let run = use_callback(move |format: ExportFormat| {
        let query = query.clone();
        spawn(async move {
            let mut now = match start_export(what, format, query).await {
                Ok(s) => s,
                Err(e) => {
                    toasts.error(e.to_string());
                    return;
                }
            };
            status.set(Some(now.clone()));
            while now.state == ExportState::Running {
                sleep(POLL_MS).await;
                now = match export_status(now.id.clone()).await {
                    Ok(s) => s,
                    Err(e) => {
                        toasts.error(e.to_string());
                        status.set(None);
                        return;
                    }
                };
                status.set(Some(now.clone()));
            }
            match &now.state {
                ExportState::Done => download(&now.url()),
                ExportState::Failed(m) => toasts.error(format!("The export failed: {m}")),
                ExportState::Running => {}
            }
        });
    });
    rsx! {
        div { class: "export-menu", id: "export-menu",
            span { class: "muted", "Export" }
            for format in formats.iter().copied() {
                button {
                    class: "btn btn-small",
                    id: "export-{format.as_str()}",
                    r#type: "button",
                    disabled: running,
                    onclick: move |_| run.call(format),
                    "{format.label()}"
                }
            }
            if let Some(s) = &*status.read() {
                Progress { status: s.clone() }
            }
        }
    }
}

#[component]
fn Progress(status: ExportStatus) -> Element {
    let written = status.written.min(status.total);
    match &status.state {
        ExportState::Running => rsx! {
            span { class: "export-progress", id: "export-progress",
                progress { max: "{status.total.max(1)}", value: "{written}" }
                " {written} of {status.total} rows"
            }
        },
        ExportState::Done => rsx! {
            a { class: "export-done", id: "export-download", href: status.url(), download: "{status.file_name}",
                "{status.file_name} ({status.total} rows)"
            }
        },
        ExportState::Failed(m) => rsx! {
            span { class: "field-error", id: "export-failed", "{m}" }
        },
    }
}

/// Starts the browser's download of `url` (an attachment: the page stays).
fn download(url: &str) {
    document::eval(&format!("window.location.assign({url:?});"));
}
