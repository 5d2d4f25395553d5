//! Entry point: the server binary serves the app, the web build hydrates it in the browser, and
//! the desktop build opens a window onto a server (`desktop`).

fn main() {
    #[cfg(feature = "server")]
    sales::server::run();

    #[cfg(all(feature = "desktop", not(feature = "server")))]
    sales::desktop::run();

    #[cfg(not(any(feature = "server", feature = "desktop")))]
    dioxus::launch(sales::app::App);
}
