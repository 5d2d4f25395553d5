//! Is a Sales server answering at an address? The same `/health` a load balancer asks.

use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Health {
    status: String,
    backend: String,
    version: String,
}

/// Asks `base`/health once. The error is a sentence for the person at the window.
pub async fn check(base: &str) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| format!("Cannot make a network client: {e}"))?;
    let response = client
        .get(format!("{base}/health"))
        .send()
        .await
        .map_err(|e| unreachable_reason(base, &e))?;
    let status = response.status();
    // A 503 still carries the body that says what is wrong (the database).
    let health: Health = response
        .json()
        .await
        .map_err(|_| format!("{base} answered (HTTP {status}), but it is not a Sales server."))?;
    if health.status != "ok" {
        return Err(format!(
            "The server at {base} is running, but cannot reach its database."
        ));
    }
    tracing::info!("{base}: Sales {} on {}", health.version, health.backend);
    Ok(())
}

fn unreachable_reason(base: &str, e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("The server at {base} did not answer within 5 seconds.")
    } else if e.is_connect() {
        format!("Nothing answers at {base}: the server is stopped, or the address is wrong.")
    } else {
        format!("Cannot reach {base}: {e}")
    }
}
