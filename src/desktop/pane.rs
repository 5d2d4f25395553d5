//! The server's own pages, in a second web view laid over the app's window: the same pages and
//! server functions a browser gets, with the session cookie kept by the web view.
//!
//! The app's own screens (choosing a server, "cannot reach") are Dioxus components in the
//! window's first web view; Dioxus's view refuses to navigate to http(s), so the server's
//! pages need a view of their own. Only this window's thread may touch either view.

use super::settings::origin;
use dioxus::desktop::DesktopContext;
use dioxus::desktop::wry::{self, NewWindowResponse, WebContext, WebView, WebViewBuilder};
use std::path::PathBuf;

pub struct Pane {
    // Declared first, so it is dropped before the context it was built with.
    view: WebView,
    _context: WebContext,
    window: DesktopContext,
    /// The address it was opened at, to tell whether it can be shown again as it is.
    pub url: String,
    shown: std::cell::Cell<bool>,
}

impl Pane {
    /// Show `url` over the app's screens. `open_here` receives the URLs a page asks to open in
    /// a new window (a PDF, an export), which this view then loads, so they download with the
    /// session. Cookies are kept in `storage`, so people stay signed in across restarts as in
    /// a browser (until the session's idle limit).
    pub fn open(
        window: DesktopContext,
        url: &str,
        storage: PathBuf,
        open_here: tokio::sync::mpsc::UnboundedSender<String>,
    ) -> Result<Self, String> {
        let home = origin(url).to_string();
        let mut context = WebContext::new(Some(storage));
        let builder = WebViewBuilder::new_with_web_context(&mut context)
            .with_url(url)
            .with_focused(true)
            .with_clipboard(true)
            // Links away from the server open in the person's browser, never in this window.
            .with_navigation_handler(move |to| {
                if origin(&to) == home || to.starts_with("about:") || to.starts_with("blob:") {
                    return true;
                }
                open_outside(&to);
                false
            })
            .with_new_window_req_handler(move |to, _| {
                let _ = open_here.send(to);
                NewWindowResponse::Deny
            })
            .with_download_started_handler(|url, path| {
                *path = download_path(&url, path);
                true
            })
            .with_download_completed_handler(|_, path, ok| {
                if let (Some(path), true) = (path, ok) {
                    open_outside(&path.to_string_lossy());
                }
            });
        let view = build(builder, &window).map_err(|e| format!("Cannot show the pages: {e}"))?;
        let _ = window.webview.set_visible(false);
        Ok(Self {
            view,
            _context: context,
            window,
            url: url.to_string(),
            shown: std::cell::Cell::new(true),
        })
    }

    pub fn load(&self, url: &str) {
        let _ = self.view.load_url(url);
    }

    pub fn reload(&self) {
        let _ = self.view.reload();
    }

    /// Put the app's own screens in front; the pages keep what was typed in them.
    pub fn hide(&self) {
        self.shown.set(false);
        let _ = self.view.set_visible(false);
        let _ = self.window.webview.set_visible(true);
    }

    pub fn show(&self) {
        self.shown.set(true);
        let _ = self.view.set_visible(true);
        let _ = self.window.webview.set_visible(false);
    }

    /// In front of the app's own screens now.
    pub fn shown(&self) -> bool {
        self.shown.get()
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        self.hide();
    }
}

#[cfg(target_os = "linux")]
fn build(builder: WebViewBuilder, window: &DesktopContext) -> wry::Result<WebView> {
    use dioxus::desktop::tao::platform::unix::WindowExtUnix;
    use wry::WebViewBuilderExtUnix;
    let vbox = window
        .window
        .default_vbox()
        .ok_or(wry::Error::MessageSender)?;
    builder.build_gtk(vbox)
}

#[cfg(not(target_os = "linux"))]
fn build(builder: WebViewBuilder, window: &DesktopContext) -> wry::Result<WebView> {
    builder.build_as_child(&*window.window)
}

/// Where a download goes: the person's Downloads folder, under the name the server gave.
fn download_path(url: &str, suggested: &std::path::Path) -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let folder = home.join("Downloads");
    let _ = std::fs::create_dir_all(&folder);
    let name = suggested
        .file_name()
        .map(|n| n.to_os_string())
        .or_else(|| {
            let path = url.split(['?', '#']).next().unwrap_or(url);
            path.rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(Into::into)
        })
        .unwrap_or_else(|| "download".into());
    folder.join(name)
}

/// Open a link or file with the desktop's handler for it.
pub fn open_outside(target: &str) {
    if let Err(e) = std::process::Command::new("xdg-open").arg(target).spawn() {
        tracing::warn!("cannot open {target}: {e}");
    }
}
