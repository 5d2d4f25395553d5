//! The desktop app's own screens: choosing a server, starting the one on this computer, a
//! server that cannot be reached, and the data folder. Once a server answers, its pages cover
//! these screens (`Pane`); the menu brings them back.

use super::health;
use super::local::LocalServer;
use super::pane::{Pane, open_outside};
use super::settings::{Folders, Mode, server_address};
use dioxus::desktop::{use_muda_event_handler, window};
use dioxus::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

/// Menu item ids, shared with `super::menu`.
pub const RELOAD: &str = "reload";
pub const SERVER: &str = "server";
pub const DATA: &str = "data";
pub const QUIT: &str = "quit";

/// Health checks this many seconds apart while the pages show; two misses in a row and the
/// "cannot reach" screen replaces them.
const WATCH_SECONDS: u32 = 3;

/// The app's own screen. While the server's pages show, it stays as it was, hidden under them.
#[derive(Clone, PartialEq)]
enum Screen {
    /// What was typed stays when the address is refused.
    Choose {
        typed: String,
        error: Option<String>,
    },
    Working(String),
    Unreachable {
        error: String,
        log: Option<String>,
    },
    DataFolder,
}

/// What lives outside Dioxus's signals: the pages' view and the child server. Neither can be
/// cloned or compared, and both must be dropped on this thread.
#[derive(Default)]
struct Held {
    pane: Option<Pane>,
    local: Option<LocalServer>,
}

#[component]
pub fn Shell() -> Element {
    let folders = use_hook(Folders::from_env);
    let mode = use_signal(|| folders.load());
    let mut screen = use_signal(|| Screen::Working("Starting…".into()));
    let held = use_hook(|| Rc::new(RefCell::new(Held::default())));
    // URLs a page asked to open in a new window: loaded in the pages' own view.
    let (open_here, opened) = use_hook(|| {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        (tx, Rc::new(RefCell::new(Some(rx))))
    });

    let begin = {
        let held = held.clone();
        let folders = folders.clone();
        let open_here = open_here.clone();
        use_callback(move |chosen: Mode| {
            let held = held.clone();
            let folders = folders.clone();
            let open_here = open_here.clone();
            spawn(async move {
                // Hidden pages (a screen from the menu, a server that stopped answering) are
                // shown again as they were when they come from the same address.
                let kept = held.borrow_mut().pane.take();
                if let Some(pane) = &kept {
                    pane.hide();
                }
                let url = match &chosen {
                    Mode::Server { url } => {
                        // Leaving "on this computer" stops that server.
                        held.borrow_mut().local = None;
                        screen.set(Screen::Working(format!("Connecting to {url}…")));
                        if let Err(error) = health::check(url).await {
                            screen.set(Screen::Unreachable { error, log: None });
                            return;
                        }
                        url.clone()
                    }
                    Mode::Local => match running_local(&held) {
                        Some(url) => url,
                        None => {
                            screen.set(Screen::Working(
                                "Starting the server on this computer…".into(),
                            ));
                            match LocalServer::start(&folders).await {
                                Ok(server) => {
                                    let url = server.url.clone();
                                    held.borrow_mut().local = Some(server);
                                    url
                                }
                                Err(error) => {
                                    screen.set(Screen::Unreachable { error, log: None });
                                    return;
                                }
                            }
                        }
                    },
                };
                let storage = folders.data.join("webview");
                // Dioxus runs no task until its view has applied the last render, and a hidden
                // view applies none: so every render is let through first (a task that waits
                // resumes only after that), and none happens while the pages show. Otherwise
                // the watch below would stop.
                crate::ui::timer::sleep(1).await;
                let page = format!("{url}/");
                if let Some(pane) = kept.filter(|p| p.url == page) {
                    pane.show();
                    held.borrow_mut().pane = Some(pane);
                    return;
                }
                match Pane::open(window(), &page, storage, open_here) {
                    Ok(pane) => held.borrow_mut().pane = Some(pane),
                    Err(error) => screen.set(Screen::Unreachable { error, log: None }),
                }
            });
        })
    };

    // First start asks; later starts go straight to the remembered server.
    use_hook(|| match mode.peek().clone() {
        Some(m) => begin.call(m),
        None => screen.set(Screen::Choose {
            typed: current_address(mode),
            error: None,
        }),
    });

    // Pages asking for a new window (a PDF, an export): load them here, so they download.
    {
        let held = held.clone();
        use_future(move || {
            let held = held.clone();
            let rx = opened.borrow_mut().take();
            async move {
                let Some(mut rx) = rx else { return };
                while let Some(url) = rx.recv().await {
                    if let Some(pane) = &held.borrow().pane {
                        pane.load(&url);
                    }
                }
            }
        });
    }

    // The watch: a server that stops answering replaces the pages with a screen saying so.
    {
        let held = held.clone();
        use_future(move || {
            let held = held.clone();
            async move {
                let mut misses = 0;
                loop {
                    crate::ui::timer::sleep(WATCH_SECONDS * 1000).await;
                    if !held.borrow().pane.as_ref().is_some_and(Pane::shown) {
                        misses = 0;
                        continue;
                    }
                    let Some(current) = mode.peek().clone() else {
                        continue;
                    };
                    let answer = match &current {
                        Mode::Server { url } => health::check(url).await,
                        Mode::Local => match running_local(&held) {
                            Some(url) => health::check(&url).await,
                            None => Err("The server on this computer stopped.".to_string()),
                        },
                    };
                    misses = if answer.is_ok() { 0 } else { misses + 1 };
                    if misses >= 2 {
                        let log = held.borrow().local.as_ref().map(|l| l.log_tail());
                        if let Some(pane) = &held.borrow().pane {
                            pane.hide();
                        }
                        held.borrow_mut().local = None;
                        let error = answer.err().unwrap_or_default();
                        screen.set(Screen::Unreachable { error, log });
                        misses = 0;
                    }
                }
            }
        });
    }

    {
        let held = held.clone();
        use_muda_event_handler(move |event| match event.id().0.as_str() {
            RELOAD => {
                if let Some(pane) = held.borrow().pane.as_ref().filter(|p| p.shown()) {
                    pane.reload();
                } else if let Some(m) = mode.peek().clone() {
                    begin.call(m);
                }
            }
            SERVER => {
                if let Some(pane) = &held.borrow().pane {
                    pane.hide();
                }
                screen.set(Screen::Choose {
                    typed: current_address(mode),
                    error: None,
                });
            }
            DATA => {
                if let Some(pane) = &held.borrow().pane {
                    pane.hide();
                }
                screen.set(Screen::DataFolder);
            }
            QUIT => window().close(),
            _ => {}
        });
    }

    let choose_server = {
        let folders = folders.clone();
        move |typed: String| {
            let folders = folders.clone();
            spawn(async move {
                let url = match server_address(&typed) {
                    Ok(url) => url,
                    Err(e) => {
                        screen.set(Screen::Choose {
                            typed,
                            error: Some(e),
                        });
                        return;
                    }
                };
                screen.set(Screen::Working(format!("Checking {url}…")));
                if let Err(e) = health::check(&url).await {
                    screen.set(Screen::Choose {
                        typed,
                        error: Some(e),
                    });
                    return;
                }
                let chosen = Mode::Server { url };
                remember(&folders, &chosen, mode, begin, screen);
            });
        }
    };
    let choose_local = {
        let folders = folders.clone();
        move |_| remember(&folders, &Mode::Local, mode, begin, screen)
    };
    // Back to the remembered server (a retry, or leaving a screen the menu opened).
    let back = move || {
        if let Some(m) = mode.peek().clone() {
            begin.call(m);
        }
    };

    rsx! {
        style { {CSS} }
        main { class: "shell",
            h1 { "Sales" }
            match screen() {
                Screen::Choose { typed, error } => rsx! {
                    ChooseServer {
                        typed,
                        error,
                        has_mode: mode.read().is_some(),
                        on_server: choose_server,
                        on_local: choose_local,
                        on_back: move |_| back(),
                    }
                },
                Screen::Working(what) => rsx! {
                    p { class: "working", id: "working", "{what}" }
                },
                Screen::Unreachable { error, log } => rsx! {
                    section { id: "unreachable",
                        h2 { "Cannot reach the server" }
                        p { class: "error", "{error}" }
                        if let Some(log) = log.filter(|l| !l.is_empty()) {
                            pre { "{log}" }
                        }
                        p {
                            "What you saved is kept on the server. The page you were on comes back as "
                            "you left it once the server answers."
                        }
                        div { class: "row",
                            button { class: "primary", id: "retry", onclick: move |_| back(), "Try again" }
                            button {
                                id: "change-server",
                                onclick: move |_| screen.set(Screen::Choose { typed: current_address(mode), error: None }),
                                "Change server"
                            }
                        }
                    }
                },
                Screen::DataFolder => rsx! {
                    DataFolder { folders: folders.clone(), on_back: move |_| back() }
                },
            }
        }
    }
}

/// The remembered company server's address, to start the choice from.
fn current_address(mode: Signal<Option<Mode>>) -> String {
    match &*mode.peek() {
        Some(Mode::Server { url }) => url.clone(),
        _ => String::new(),
    }
}

/// The pages' URL when the server on this computer runs.
fn running_local(held: &Rc<RefCell<Held>>) -> Option<String> {
    let mut held = held.borrow_mut();
    let local = held.local.as_mut()?;
    local.running().then(|| local.url.clone())
}

/// Save the chosen mode and start it; a mode that cannot be saved is still used this time.
fn remember(
    folders: &Folders,
    chosen: &Mode,
    mut mode: Signal<Option<Mode>>,
    begin: Callback<Mode>,
    mut screen: Signal<Screen>,
) {
    if let Err(e) = folders.save(chosen) {
        screen.set(Screen::Unreachable {
            error: format!(
                "Cannot remember the choice in {}: {e}",
                folders.config.display()
            ),
            log: None,
        });
        return;
    }
    mode.set(Some(chosen.clone()));
    begin.call(chosen.clone());
}

#[component]
fn ChooseServer(
    typed: String,
    error: Option<String>,
    has_mode: bool,
    on_server: EventHandler<String>,
    on_local: EventHandler<()>,
    on_back: EventHandler<()>,
) -> Element {
    rsx! {
        section { id: "choose",
            h2 { "Where is your data?" }
            form {
                class: "card",
                // Read from the form on submit: a value bound to a signal loses keystrokes typed
                // faster than the round trip to the window's web view.
                onsubmit: move |e| {
                    e.prevent_default();
                    let typed = match e.get_first("address") {
                        Some(FormValue::Text(t)) => t,
                        _ => String::new(),
                    };
                    on_server.call(typed);
                },
                h3 { "Connect to a company server" }
                p { "Your company runs Sales on a server. Ask for its address." }
                label { r#for: "server-address", "Server address" }
                input {
                    id: "server-address",
                    name: "address",
                    r#type: "text",
                    autofocus: true,
                    placeholder: "https://sales.example.com",
                    initial_value: "{typed}",
                    aria_invalid: error.is_some(),
                    aria_describedby: "server-address-error",
                }
                if let Some(error) = &error {
                    p { class: "error", id: "server-address-error", role: "alert", "{error}" }
                }
                button { class: "primary", r#type: "submit", id: "connect", "Connect" }
            }
            div { class: "card",
                h3 { "On this computer" }
                p {
                    "For a business of one: Sales runs here, and keeps its data in your data folder. "
                    "You create the first account when it opens."
                }
                button { id: "use-local", onclick: move |_| on_local.call(()), "Use this computer" }
            }
            if has_mode {
                button { id: "back", onclick: move |_| on_back.call(()), "Back" }
            }
        }
    }
}

#[component]
fn DataFolder(folders: Folders, on_back: EventHandler<()>) -> Element {
    let data = folders.data.display().to_string();
    let open = data.clone();
    rsx! {
        section { id: "data-folder",
            h2 { "Data folder" }
            p { "When Sales runs on this computer, everything it keeps is in:" }
            pre { id: "data-path", "{data}" }
            ul {
                li { code { "sales.db" } ": your clients, stock, orders and invoices" }
                li { code { "session.key" } ": keeps you signed in across restarts" }
                li { code { "server.log" } ": what the server did, for support" }
            }
            p {
                "To back it up, close Sales and copy the folder. To restore, close Sales and put the "
                "copy back. On a company server, its administrator keeps the backups."
            }
            div { class: "row",
                button { class: "primary", onclick: move |_| open_outside(&open), "Open the folder" }
                button { onclick: move |_| on_back.call(()), "Back" }
            }
        }
    }
}

const CSS: &str = r#"
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #f1f5f9; color: #0f172a; }
.shell { max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
.card { background: #fff; border: 1px solid #cbd5e1; border-radius: .5rem; padding: 1rem 1.25rem;
  margin-bottom: 1rem; }
h3 { margin: 0 0 .25rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; border: 1px solid #94a3b8;
  border-radius: .375rem; }
input[aria-invalid="true"] { border-color: #b91c1c; }
button { font: inherit; padding: .5rem 1rem; border-radius: .375rem; border: 1px solid #94a3b8;
  background: #fff; cursor: pointer; margin-top: .75rem; }
button.primary { background: #0f172a; color: #fff; border-color: #0f172a; }
.row { display: flex; gap: .75rem; flex-wrap: wrap; }
.error { color: #b91c1c; }
pre { background: #fff; border: 1px solid #cbd5e1; padding: .75rem; white-space: pre-wrap;
  word-break: break-all; }
.working { font-size: 1.125rem; }
"#;
