//! Entry point: the server binary serves the app; web and desktop builds launch the UI.

fn main() {
    #[cfg(feature = "server")]
    sales::server::run();

    #[cfg(all(feature = "desktop", not(feature = "server")))]
    dioxus::fullstack::set_server_url(
        option_env!("SALES_SERVER_URL").unwrap_or("http://127.0.0.1:8080"),
    );

    #[cfg(not(feature = "server"))]
    dioxus::launch(sales::app::App);
}
