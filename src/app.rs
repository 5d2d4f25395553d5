//! The application root: routes, the shell layout (navigation, toasts) and the error boundary
//! that gives server-rendered errors their real HTTP status.

use std::sync::LazyLock;

use dioxus::fullstack::{AsStatusCode, FullstackContext, StatusCode};
use dioxus::prelude::*;

use crate::audit::AuditQuery;
use crate::audit::view::AuditTrail;
use crate::auth::profile::Profile;
use crate::auth::reset_view::{ForgotPassword, ResetPassword};
use crate::auth::view::{AuthLayout, Login, Register};
use crate::auth::{Access, CurrentUser, current_user, logout};
use crate::choice::Choice;
use crate::clients::ClientQuery;
use crate::clients::detail_view::ClientDetail;
use crate::clients::form_view::{ClientEdit, ClientNew};
use crate::clients::import_view::ClientImport;
use crate::clients::list_view::ClientList;
use crate::dashboard::view::Dashboard;
use crate::deliveries::BoardQuery;
use crate::deliveries::board_view::DeliveryBoard;
use crate::deliveries::detail_view::DeliveryDetail;
use crate::error::AppError;
use crate::invoices::InvoiceQuery;
use crate::invoices::aging_view::Aging;
use crate::invoices::detail_view::InvoiceDetail;
use crate::invoices::list_view::InvoiceList;
use crate::orders::OrderQuery;
use crate::orders::detail_view::OrderDetail;
use crate::orders::entry_view::{OrderEdit, OrderNew};
use crate::orders::list_view::OrderList;
use crate::outbox::view::Outbox;
use crate::reports::ReportQuery;
use crate::reports::index_view::Reports;
use crate::reports::orders_view::OrdersReportPage;
use crate::reports::payments_view::PaymentsReportPage;
use crate::reports::sales_view::SalesReportPage;
use crate::reports::stock_view::StockReportPage;
use crate::stock::StockQuery;
use crate::stock::detail_view::ProductDetail;
use crate::stock::form_view::{ProductEdit, ProductNew};
use crate::stock::list_view::StockList;
use crate::ui::toast::{Toaster, provide_toasts};
use crate::users::view::Users;

const MAIN_CSS: Asset = asset!("/assets/main.css");
const FAVICON: Asset = asset!("/assets/favicon.svg");
/// Their URLs, resolved once: resolving an asset decodes its bundled description byte by
/// byte, some 350,000 instructions each, and every page render names both (callgrind: a
/// third of the sign-in page's cost).
static MAIN_CSS_URL: LazyLock<String> = LazyLock::new(|| MAIN_CSS.to_string());
static FAVICON_URL: LazyLock<String> = LazyLock::new(|| FAVICON.to_string());
/// The navigation bar's colour (`--nav-bg` in `main.css`), for the phone's status bar.
pub const THEME_COLOUR: &str = "#0f172a";

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(AuthLayout)]
        #[route("/login?:next")]
        Login { next: String },
        #[route("/register")]
        Register {},
        #[route("/forgot-password")]
        ForgotPassword {},
        #[route("/reset-password?:token")]
        ResetPassword { token: String },
    #[end_layout]
    #[layout(Shell)]
        #[route("/")]
        Dashboard {},
        #[route("/profile")]
        Profile {},
        #[route("/clients?:..query")]
        ClientList { query: ClientQuery },
        #[route("/clients/new")]
        ClientNew {},
        #[route("/clients/import")]
        ClientImport {},
        #[route("/clients/:id")]
        ClientDetail { id: i64 },
        #[route("/clients/:id/edit")]
        ClientEdit { id: i64 },
        #[route("/orders?:..query")]
        OrderList { query: OrderQuery },
        #[route("/orders/new?:client&:from")]
        OrderNew { client: Option<i64>, from: Option<i64> },
        #[route("/orders/:id")]
        OrderDetail { id: i64 },
        #[route("/orders/:id/edit")]
        OrderEdit { id: i64 },
        #[route("/deliveries?:..query")]
        DeliveryBoard { query: BoardQuery },
        #[route("/deliveries/:id")]
        DeliveryDetail { id: i64 },
        #[route("/invoices?:..query")]
        InvoiceList { query: InvoiceQuery },
        #[route("/invoices/aging?:as_of")]
        Aging { as_of: String },
        #[route("/invoices/:id")]
        InvoiceDetail { id: i64 },
        #[route("/stock?:..query")]
        StockList { query: StockQuery },
        #[route("/stock/new")]
        ProductNew {},
        #[route("/products/:id")]
        ProductDetail { id: i64 },
        #[route("/products/:id/edit")]
        ProductEdit { id: i64 },
        #[route("/reports")]
        Reports {},
        #[route("/reports/sales?:..query", SalesReportPage)]
        SalesReport { query: ReportQuery },
        #[route("/reports/orders?:..query", OrdersReportPage)]
        OrdersReport { query: ReportQuery },
        #[route("/reports/stock?:..query", StockReportPage)]
        StockReport { query: ReportQuery },
        #[route("/reports/payments?:..query", PaymentsReportPage)]
        PaymentsReport { query: ReportQuery },
        #[route("/users")]
        Users {},
        #[route("/outbox")]
        Outbox {},
        #[route("/audit?:..query")]
        AuditTrail { query: AuditQuery },
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

/// One entry of the side navigation; each module declares its own (`NAV` in its `mod.rs`).
/// Only modules that exist are listed, and only to the roles whose server functions would let
/// them in.
pub struct NavItem {
    pub label: &'static str,
    pub icon: &'static str,
    pub to: fn() -> Route,
    pub access: Access,
    /// A count shown beside the label (e.g. products low on stock).
    pub badge: Option<fn() -> Element>,
}

const NAV: &[NavItem] = &[
    crate::dashboard::NAV,
    crate::clients::NAV,
    crate::orders::NAV,
    crate::deliveries::NAV,
    crate::invoices::NAV,
    crate::stock::NAV,
    crate::reports::NAV,
    crate::users::NAV,
    crate::outbox::NAV,
    crate::audit::NAV,
];

#[component]
pub fn App() -> Element {
    crate::ui::form::provide_hydrated();
    rsx! {
        document::Title { "Sales" }
        document::Link { rel: "icon", href: FAVICON_URL.as_str() }
        // Installable from the browser (`server::install`), in the navigation's colour.
        document::Link { rel: "manifest", href: "/manifest.webmanifest" }
        document::Link { rel: "apple-touch-icon", href: "/icons/icon-192.png" }
        document::Meta { name: "theme-color", content: THEME_COLOUR }
        document::Stylesheet { href: MAIN_CSS_URL.as_str() }
        Router::<Route> {}
    }
}

/// Send a signed-out visitor to the sign-in page, remembering where they were going.
/// During server rendering this is a real `303 See Other`.
fn redirect_to_login(next: String) {
    let target = Route::Login { next };
    if cfg!(feature = "server") {
        if let (Some(ctx), Ok(location)) = (
            FullstackContext::current(),
            dioxus::fullstack::http::HeaderValue::try_from(target.to_string()),
        ) {
            ctx.add_response_header(dioxus::fullstack::http::header::LOCATION, location);
        }
        FullstackContext::commit_http_status(StatusCode::SEE_OTHER, None);
    } else {
        navigator().replace(target);
    }
}

#[component]
fn Shell() -> Element {
    provide_toasts();
    let me = use_loader(current_user)?;
    let business = use_loader(crate::business::business)?;
    crate::business::provide_business(business());
    let here = use_route::<Route>();
    let Some(user) = me() else {
        redirect_to_login(here.to_string());
        return rsx! {
            p { class: "muted", "Redirecting to sign in…" }
        };
    };
    rsx! {
        ShellFrame { user }
    }
}

/// The signed-in user, for pages that adapt to the role (the server checks again).
pub fn use_me() -> ReadSignal<CurrentUser> {
    use_context()
}

/// The signed-in layout: navigation, the page, toasts.
#[component]
fn ShellFrame(user: ReadSignal<CurrentUser>) -> Element {
    use_context_provider(|| user);
    let user = user();
    let mut menu_open = use_signal(|| false);
    // True once the browser has taken over the server-rendered page (forms open then too);
    // end-to-end tests wait for it before interacting.
    let hydrated = crate::ui::form::use_hydrated();
    let nav_class = if menu_open() {
        "sidebar open"
    } else {
        "sidebar"
    };
    // Keyed by path so a page's error does not outlive a navigation away from that page.
    let page_key = use_route::<Route>().to_string();

    rsx! {
        div {
            class: "shell",
            "data-hydrated": "{hydrated}",
            header { class: "topbar",
                button {
                    class: "menu-toggle",
                    r#type: "button",
                    aria_label: "Menu",
                    aria_controls: "sidebar",
                    aria_expanded: "{menu_open}",
                    onclick: move |_| menu_open.toggle(),
                    span {}
                    span {}
                    span {}
                }
                Link { class: "brand", to: Route::Dashboard {}, "Sales" }
            }
            nav { id: "sidebar", class: nav_class, aria_label: "Main",
                Link { class: "brand brand-wide", to: Route::Dashboard {},
                    span { class: "brand-mark", "S" }
                    "Sales"
                }
                ul {
                    for item in NAV.iter().filter(|i| i.access.allows(user.role)) {
                        li { key: "{item.label}",
                            Link {
                                to: (item.to)(),
                                active_class: "active",
                                onclick: move |_| menu_open.set(false),
                                span { class: "nav-icon", aria_hidden: "true", "{item.icon}" }
                                "{item.label}"
                                if let Some(badge) = item.badge {
                                    {badge()}
                                }
                            }
                        }
                    }
                }
                div { class: "sidebar-foot",
                    Link {
                        class: "who",
                        to: Route::Profile {},
                        onclick: move |_| menu_open.set(false),
                        span { class: "who-name", id: "current-user", "{user.display_name()}" }
                        span { class: "who-role", "{user.role.label()}" }
                    }
                    button {
                        class: "btn btn-ghost btn-block",
                        id: "sign-out",
                        r#type: "button",
                        onclick: move |_| async move {
                            let _ = logout().await;
                            // Work kept on this device is this person's: it goes with them.
                            crate::ui::kept::forget_all();
                            navigator().replace(Route::Login { next: "/".into() });
                        },
                        "Sign out"
                    }
                    p { class: "version", "v{env!(\"CARGO_PKG_VERSION\")}" }
                }
            }
            if menu_open() {
                div { class: "scrim", onclick: move |_| menu_open.set(false) }
            }
            main { class: "content",
                // A one-item keyed list: rsx only accepts keys on list items.
                for key in [page_key] {
                    ErrorBoundary { key: "{key}", handle_error: error_page, Outlet::<Route> {} }
                }
            }
            Toaster {}
        }
    }
}

/// Renders a failed page and, during server rendering, sets the response status to match.
fn error_page(err: ErrorContext) -> Element {
    let Some(error) = err.error() else {
        return rsx! {};
    };
    let (status, message) = match error.downcast_ref::<AppError>() {
        Some(app) => {
            let status = app.as_status_code();
            FullstackContext::commit_http_status(status, Some(app.to_string()));
            (status, app.to_string())
        }
        None => {
            let http = FullstackContext::commit_error_status(error);
            let msg = http.message.unwrap_or_default();
            (http.status, msg)
        }
    };
    let title = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::UNAUTHORIZED => "Please sign in",
        StatusCode::FORBIDDEN => "Not allowed",
        s if s.is_server_error() => "Something went wrong",
        _ => "This did not work",
    };
    let detail = if status.is_server_error() {
        "The problem has been logged. Please try again in a moment.".to_string()
    } else {
        message
    };
    rsx! {
        document::Title { "{title} · Sales" }
        section { class: "error-page", "data-status": "{status.as_u16()}",
            p { class: "error-code", "{status.as_u16()}" }
            h1 { "{title}" }
            p { class: "muted", "{detail}" }
            Link { class: "btn", to: Route::Dashboard {}, "Back to the dashboard" }
        }
    }
}

#[component]
fn NotFound(segments: Vec<String>) -> Element {
    let path = segments.join("/");
    Err(AppError::NotFound(format!("/{path}")))?
}
