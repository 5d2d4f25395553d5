//! The reCAPTCHA v2 checkbox, shown on the public forms only when the server has a site key.
//! The server verifies the token; this only renders the widget and reads its answer.

use dioxus::prelude::*;

#[component]
pub fn Captcha(site_key: String, error: Option<String>) -> Element {
    rsx! {
        document::Script { src: "https://www.google.com/recaptcha/api.js", r#async: true, defer: true }
        div { class: if error.is_some() { "field has-error" } else { "field" },
            div { class: "g-recaptcha", "data-sitekey": "{site_key}" }
            if let Some(msg) = &error {
                p { class: "field-error", role: "alert", "{msg}" }
            }
        }
    }
}

/// The widget's token when reCAPTCHA is on (empty if unticked), `None` when it is off.
pub async fn captcha_token(enabled: bool) -> Option<String> {
    if !enabled {
        return None;
    }
    document::eval("return (window.grecaptcha && grecaptcha.getResponse()) || ''")
        .join::<String>()
        .await
        .ok()
}
