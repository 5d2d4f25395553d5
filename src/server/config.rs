//! Server configuration, read once at start-up from the environment (and an optional `.env`).
//!
//! Parsing is a pure function over a lookup so every rule is unit-tested without touching the
//! process environment. A bad value stops start-up with one line naming the setting.

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use url::Url;

use crate::auth::Role;
use crate::choice::Choice;

/// Where the default SQLite database lives when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sales.db?mode=rwc";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a local relay or a test server on loopback).
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecaptchaConfig {
    pub site_key: String,
    pub secret: String,
    pub verify_url: String,
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub backend: Backend,
    pub ip: IpAddr,
    pub port: u16,
    pub base_url: Url,
    /// 64 bytes: signs and encrypts the session cookie.
    pub session_key: Vec<u8>,
    /// True when no key was configured and a random one was made for this run.
    pub session_key_generated: bool,
    pub session_idle: Duration,
    pub session_max: Duration,
    pub smtp: Option<SmtpConfig>,
    /// The outbox's first retry delay; each later one doubles it.
    pub mail_retry: Duration,
    /// How long a server's claim on a mail lasts (`MAIL_LEASE_SECONDS`): a server that dies
    /// while sending leaves the mail to another once the claim ends.
    pub mail_lease: Duration,
    pub recaptcha: Option<RecaptchaConfig>,
    /// Whether people may create their own accounts.
    pub registration_open: bool,
    /// Role given to self-registered accounts after the first (which becomes admin).
    pub default_role: Role,
    /// Seed demo accounts (and, as modules arrive, demo records) into an empty database.
    pub demo_data: bool,
    /// Stop gracefully when stdin closes: the desktop app's child server ends with the app,
    /// however the app ends (`STOP_ON_STDIN_CLOSE`).
    pub stop_on_stdin_close: bool,
    /// SQLite syncs its log at every commit (`SQLITE_SYNCHRONOUS=full`, the default), so an
    /// acknowledged write survives a power loss; `normal` survives a crash of the server only.
    pub sqlite_full_sync: bool,
    /// Connections one server keeps to PostgreSQL (`DATABASE_POOL`): with several servers,
    /// their sum must stay under the database's `max_connections` (or PgBouncer's pool).
    pub pg_pool: u32,
    /// Reverse proxies believed about `X-Forwarded-For` (`TRUSTED_PROXIES`); see `proxy`.
    pub trusted_proxies: Vec<IpAddr>,
    /// The currency and time zone pages show amounts and times in.
    pub business: crate::business::Business,
    /// The seller, as documents (delivery notes, invoices) print it.
    pub company: Company,
    /// How much of an order an invoice takes (`INVOICE_POLICY`: delivered or ordered).
    pub invoice_policy: crate::invoices::InvoicePolicy,
}

/// `COMPANY_NAME`, `COMPANY_ADDRESS` (lines split by `\n` or `|`), `COMPANY_TAX_ID`, and
/// for invoices `COMPANY_BANK`, `COMPANY_IBAN` (checked) and `COMPANY_BIC`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Company {
    pub name: String,
    pub address: String,
    pub tax_id: String,
    /// The bank's name, as invoices print it.
    pub bank: String,
    /// Without spaces, upper case; empty when none is configured (then no payment QR code).
    pub iban: String,
    pub bic: String,
}

// Hand-written so the session key and SMTP password never reach a log line.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("backend", &self.backend)
            .field("ip", &self.ip)
            .field("port", &self.port)
            .field("base_url", &self.base_url.as_str())
            .field("smtp", &self.smtp.as_ref().map(|s| &s.host))
            .field("recaptcha", &self.recaptcha.is_some())
            .finish_non_exhaustive()
    }
}

/// A setting that is missing or malformed; displays as the one line start-up prints.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

fn bad(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        name,
        problem: problem.into(),
    }
}

impl Config {
    /// Read the process environment, after loading `.env` if there is one.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is a configuration error.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(bad(".env", e.to_string())),
        }
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Build the configuration from any key lookup; empty values count as unset.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let backend = if database_url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
        {
            Backend::Postgres
        } else {
            return Err(bad(
                "DATABASE_URL",
                "must start with sqlite: or postgres:// (for example sqlite://data/sales.db?mode=rwc)",
            ));
        };

        let ip = match get("IP") {
            None => IpAddr::from([127, 0, 0, 1]),
            Some(v) => v
                .parse()
                .map_err(|_| bad("IP", format!("'{v}' is not an IP address")))?,
        };
        let port = parse_num::<u16>(&get, "PORT", 8080)?;

        let base_url = match get("BASE_URL") {
            None => Url::parse(&format!("http://{}:{port}/", display_host(ip)))
                .map_err(|e| bad("BASE_URL", e.to_string()))?,
            Some(v) => {
                let url = Url::parse(&v).map_err(|e| bad("BASE_URL", format!("'{v}': {e}")))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(bad("BASE_URL", "must be an http:// or https:// address"));
                }
                url
            }
        };

        let (session_key, session_key_generated) = match get("SESSION_KEY") {
            Some(v) => (parse_session_key(&v)?, false),
            None => {
                let mut key = vec![0u8; 64];
                rand::fill(&mut key[..]);
                (key, true)
            }
        };

        // Minutes/hours for people; the *_SECONDS forms win when set (tests, fine tuning).
        let session_idle = match get("SESSION_IDLE_SECONDS") {
            Some(_) => Duration::from_secs(parse_num::<u64>(&get, "SESSION_IDLE_SECONDS", 0)?),
            None => Duration::from_secs(60 * parse_num::<u64>(&get, "SESSION_IDLE_MINUTES", 30)?),
        };
        let session_max = match get("SESSION_MAX_SECONDS") {
            Some(_) => Duration::from_secs(parse_num::<u64>(&get, "SESSION_MAX_SECONDS", 0)?),
            None => Duration::from_secs(3600 * parse_num::<u64>(&get, "SESSION_MAX_HOURS", 12)?),
        };
        if session_idle.is_zero() {
            return Err(bad("SESSION_IDLE_MINUTES", "must be at least 1"));
        }
        if session_max.is_zero() {
            return Err(bad("SESSION_MAX_HOURS", "must be at least 1"));
        }

        let smtp = parse_smtp(&get)?;
        // Without SMTP, mail is written to the log: fine on a trial, but on a live site a
        // password-reset link in the log lets whoever reads it into the account.
        if base_url.scheme() == "https" && smtp.is_none() {
            return Err(bad(
                "SMTP_HOST",
                "must be set when BASE_URL is https:// (a live site): without it, password-reset \
                 links would be written to the log instead of mailed. Set SMTP_HOST and \
                 SMTP_FROM, or use an http:// BASE_URL for a trial",
            ));
        }

        Ok(Config {
            database_url,
            backend,
            ip,
            port,
            base_url,
            session_key,
            session_key_generated,
            session_idle,
            session_max,
            smtp,
            mail_retry: match parse_num::<u64>(&get, "MAIL_RETRY_SECONDS", 60)? {
                0 => return Err(bad("MAIL_RETRY_SECONDS", "must be at least 1")),
                s => Duration::from_secs(s),
            },
            mail_lease: match parse_num::<u64>(&get, "MAIL_LEASE_SECONDS", 300)? {
                0 => return Err(bad("MAIL_LEASE_SECONDS", "must be at least 1")),
                s => Duration::from_secs(s),
            },
            recaptcha: parse_recaptcha(&get)?,
            registration_open: parse_bool(&get, "REGISTRATION_OPEN", true)?,
            demo_data: parse_bool(&get, "DEMO_DATA", false)?,
            stop_on_stdin_close: parse_bool(&get, "STOP_ON_STDIN_CLOSE", false)?,
            sqlite_full_sync: match get("SQLITE_SYNCHRONOUS").as_deref() {
                None | Some("full") => true,
                Some("normal") => false,
                Some(other) => {
                    return Err(bad(
                        "SQLITE_SYNCHRONOUS",
                        format!("'{other}' must be full or normal"),
                    ));
                }
            },
            pg_pool: match parse_num::<u32>(&get, "DATABASE_POOL", 16)? {
                // One connection holds the start-up lock while the others migrate.
                n @ 2..=1000 => n,
                n => return Err(bad("DATABASE_POOL", format!("{n} must be 2 to 1000"))),
            },
            trusted_proxies: match get("TRUSTED_PROXIES") {
                Some(v) => super::proxy::parse_list(&v).map_err(|e| bad("TRUSTED_PROXIES", e))?,
                None => Vec::new(),
            },
            business: parse_business(&get)?,
            company: Company {
                name: get("COMPANY_NAME").unwrap_or_else(|| "Your company".into()),
                // One line in an environment file: "\n" or "|" separates the lines.
                address: get("COMPANY_ADDRESS")
                    .unwrap_or_default()
                    .replace("\\n", "\n")
                    .split('|')
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join("\n"),
                tax_id: get("COMPANY_TAX_ID").unwrap_or_default(),
                bank: get("COMPANY_BANK").unwrap_or_default(),
                iban: match get("COMPANY_IBAN") {
                    None => String::new(),
                    Some(v) => {
                        crate::invoices::rules::read_iban(&v).map_err(|e| bad("COMPANY_IBAN", e))?
                    }
                },
                bic: get("COMPANY_BIC").unwrap_or_default().trim().to_uppercase(),
            },
            invoice_policy: match get("INVOICE_POLICY") {
                None => crate::invoices::InvoicePolicy::default(),
                Some(v) => crate::choice::Choice::parse(v.trim()).ok_or_else(|| {
                    bad(
                        "INVOICE_POLICY",
                        format!("'{v}' must be delivered or ordered"),
                    )
                })?,
            },
            default_role: match get("DEFAULT_ROLE") {
                None => Role::Sales,
                Some(v) => Role::parse(&v).ok_or_else(|| {
                    bad(
                        "DEFAULT_ROLE",
                        format!("'{v}' must be one of admin, sales, warehouse, accounting"),
                    )
                })?,
            },
        })
    }

    /// Whether cookies must carry `Secure` (the app is served over HTTPS).
    pub fn https(&self) -> bool {
        self.base_url.scheme() == "https"
    }
}

/// `CURRENCY` (an ISO 4217 code, default EUR) and `TIMEZONE` (an IANA name, default UTC).
fn parse_business(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<crate::business::Business, ConfigError> {
    let currency = get("CURRENCY").unwrap_or_else(|| "EUR".into());
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad(
            "CURRENCY",
            format!("'{currency}' is not a currency code; use three capitals such as EUR or USD"),
        ));
    }
    let zone = match get("TIMEZONE") {
        None => crate::business::Zone::utc(),
        Some(name) => {
            let tz: chrono_tz::Tz = name.parse().map_err(|_| {
                bad(
                    "TIMEZONE",
                    format!("'{name}' is not a time zone; use an IANA name such as Europe/Berlin"),
                )
            })?;
            crate::business::zone_table(tz)
        }
    };
    Ok(crate::business::Business { currency, zone })
}

fn display_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

fn parse_num<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| bad(name, format!("'{v}' is not a valid number here"))),
    }
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(name).map(|v| v.to_lowercase()).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(other) => Err(bad(name, format!("'{other}' must be true or false"))),
    }
}

/// The key is 64 random bytes given as base64 (`openssl rand -base64 64`) or 128 hex digits.
fn parse_session_key(v: &str) -> Result<Vec<u8>, ConfigError> {
    let decoded = if v.len() == 128 && v.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..128)
            .step_by(2)
            .map(|i| u8::from_str_radix(&v[i..i + 2], 16))
            .collect::<Result<Vec<_>, _>>()
            .ok()
    } else {
        base64::engine::general_purpose::STANDARD.decode(v).ok()
    };
    match decoded {
        Some(key) if key.len() >= 64 => Ok(key),
        Some(key) => Err(bad(
            "SESSION_KEY",
            format!("needs at least 64 bytes, got {}", key.len()),
        )),
        None => Err(bad(
            "SESSION_KEY",
            "must be base64 (openssl rand -base64 64) or 128 hex digits",
        )),
    }
}

fn parse_smtp(get: &impl Fn(&str) -> Option<String>) -> Result<Option<SmtpConfig>, ConfigError> {
    let Some(host) = get("SMTP_HOST") else {
        return Ok(None);
    };
    let tls = match get("SMTP_TLS").as_deref().unwrap_or("starttls") {
        "none" => SmtpTls::None,
        "starttls" => SmtpTls::StartTls,
        "tls" => SmtpTls::Tls,
        other => {
            return Err(bad(
                "SMTP_TLS",
                format!("'{other}' must be one of none, starttls, tls"),
            ));
        }
    };
    let default_port = match tls {
        SmtpTls::None => 25,
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
    };
    let from =
        get("SMTP_FROM").ok_or_else(|| bad("SMTP_FROM", "is required when SMTP_HOST is set"))?;
    if !looks_like_mailbox(&from) {
        return Err(bad(
            "SMTP_FROM",
            format!("'{from}' is not an email address"),
        ));
    }
    let username = get("SMTP_USERNAME");
    let password = get("SMTP_PASSWORD");
    if username.is_some() != password.is_some() {
        return Err(bad(
            "SMTP_PASSWORD",
            "SMTP_USERNAME and SMTP_PASSWORD must be set together",
        ));
    }
    Ok(Some(SmtpConfig {
        host,
        port: parse_num(get, "SMTP_PORT", default_port)?,
        tls,
        username,
        password,
        from,
    }))
}

/// Accepts `a@b.c` and `Name <a@b.c>`; lettre does the full parse when mail is sent.
fn looks_like_mailbox(v: &str) -> bool {
    let addr = match (v.find('<'), v.rfind('>')) {
        (Some(l), Some(r)) if l < r => &v[l + 1..r],
        _ => v,
    };
    matches!(addr.split_once('@'), Some((user, domain)) if !user.is_empty() && domain.contains('.') && !addr.contains(' '))
}

fn parse_recaptcha(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<RecaptchaConfig>, ConfigError> {
    match (get("RECAPTCHA_SITE_KEY"), get("RECAPTCHA_SECRET")) {
        (None, None) => Ok(None),
        (Some(site_key), Some(secret)) => {
            let verify_url = get("RECAPTCHA_VERIFY_URL")
                .unwrap_or_else(|| "https://www.google.com/recaptcha/api/siteverify".into());
            Url::parse(&verify_url)
                .map_err(|e| bad("RECAPTCHA_VERIFY_URL", format!("'{verify_url}': {e}")))?;
            Ok(Some(RecaptchaConfig {
                site_key,
                secret,
                verify_url,
            }))
        }
        (Some(_), None) => Err(bad(
            "RECAPTCHA_SECRET",
            "is required when RECAPTCHA_SITE_KEY is set",
        )),
        (None, Some(_)) => Err(bad(
            "RECAPTCHA_SITE_KEY",
            "is required when RECAPTCHA_SECRET is set",
        )),
    }
}

#[cfg(test)]
mod tests;
