//! reCAPTCHA v2: off unless configured; then every token is verified server-side against the
//! configured verify URL. An unreachable or unhappy verifier is a clear message, never a 500.

use serde::Deserialize;

use super::AppState;
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct Verdict {
    success: bool,
}

pub async fn check(state: &AppState, token: Option<&str>, ip: &str) -> AppResult<()> {
    let Some(cfg) = &state.config.recaptcha else {
        return Ok(());
    };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(AppError::field(
            "captcha",
            "please confirm you are not a robot",
        ));
    };
    let unreachable = |e: reqwest::Error| {
        tracing::warn!("reCAPTCHA verification failed: {e}");
        AppError::Unavailable(
            "the robot check could not be verified just now; please try again in a moment".into(),
        )
    };
    let verdict: Verdict = state
        .http
        .post(&cfg.verify_url)
        .form(&[
            ("secret", cfg.secret.as_str()),
            ("response", token),
            ("remoteip", ip),
        ])
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(unreachable)?
        .json()
        .await
        .map_err(unreachable)?;
    if verdict.success {
        Ok(())
    } else {
        Err(AppError::field(
            "captcha",
            "the robot check was not accepted; please try it again",
        ))
    }
}
