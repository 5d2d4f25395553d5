//! Entry point: the server binary serves the app, the web build hydrates it in the browser, and
//! the desktop build opens a window onto a server (`desktop`).

// Requests allocate many small, short-lived values (rows, JSON, the rendered page) across
// tokio's threads; glibc's malloc spent a quarter of an order entry's instructions on them.
#[cfg(feature = "server")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    #[cfg(feature = "server")]
    sales::server::run();

    #[cfg(all(feature = "desktop", not(feature = "server")))]
    sales::desktop::run();

    #[cfg(not(any(feature = "server", feature = "desktop")))]
    dioxus::launch(sales::app::App);
}
