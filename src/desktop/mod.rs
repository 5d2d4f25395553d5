//! The desktop app: one window that shows a Sales server's pages. At first start it asks
//! where the data is: on a company server (its address, checked with `/health`), or on this
//! computer (the app runs the server itself, on loopback, with SQLite in the data folder).
//! The choice is remembered in the config folder and changed from the menu.

#[cfg(feature = "desktop")]
mod health;
#[cfg(feature = "desktop")]
mod local;
#[cfg(feature = "desktop")]
mod menu;
#[cfg(feature = "desktop")]
mod pane;
pub mod settings;
#[cfg(feature = "desktop")]
mod view;

#[cfg(feature = "desktop")]
use dioxus::desktop::{Config, LogicalSize, WindowBuilder, icon_from_memory};

/// The icon the package installs, also the window's.
#[cfg(feature = "desktop")]
const ICON: &[u8] = include_bytes!("../../assets/icons/icon-192.png");

#[cfg(feature = "desktop")]
pub fn run() {
    init_tracing();
    let mut window = WindowBuilder::new()
        .with_title("Sales")
        .with_inner_size(LogicalSize::new(1200.0, 800.0));
    if let Ok(icon) = icon_from_memory(ICON) {
        window = window.with_window_icon(Some(icon));
    }
    let config = Config::new()
        .with_window(window)
        .with_menu(menu::build())
        .with_background_color((241, 245, 249, 255));
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .launch(view::Shell);
}

/// Logs go to stderr, where a launcher's journal keeps them.
#[cfg(feature = "desktop")]
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
