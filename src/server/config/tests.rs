//! The configuration's reading: defaults, each setting's refusals, and what they say.

use super::*;
use std::collections::HashMap;

fn parse(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

fn err_name(pairs: &[(&str, &str)]) -> &'static str {
    parse(pairs).expect_err("should be refused").name
}

#[test]
fn nothing_set_gives_local_sqlite() {
    let c = parse(&[]).unwrap();
    assert_eq!(c.backend, Backend::Sqlite);
    assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
    assert_eq!(c.port, 8080);
    assert_eq!(c.base_url.as_str(), "http://127.0.0.1:8080/");
    assert!(c.session_key_generated);
    assert_eq!(c.session_key.len(), 64);
    assert!(c.smtp.is_none() && c.recaptcha.is_none());
    assert!(c.registration_open);
    assert_eq!(c.default_role, Role::Sales);
    assert!(!c.https());
}

#[test]
fn a_live_site_without_smtp_does_not_start() {
    let err = parse(&[("BASE_URL", "https://sales.example.com")]).expect_err("refused");
    assert_eq!(err.name, "SMTP_HOST");
    assert!(err.problem.contains("password-reset"), "{}", err.problem);
    let with_mail = [
        ("BASE_URL", "https://sales.example.com"),
        ("SMTP_HOST", "mail.example.com"),
        ("SMTP_FROM", "sales@example.com"),
    ];
    assert!(parse(&with_mail).unwrap().https());
    assert!(parse(&[("BASE_URL", "http://sales.lan:8080")]).is_ok());
}

#[test]
fn postgres_url_selects_postgres() {
    let c = parse(&[("DATABASE_URL", "postgres://u:p@127.0.0.1/sales")]).unwrap();
    assert_eq!(c.backend, Backend::Postgres);
}

#[test]
fn malformed_settings_are_named() {
    assert_eq!(err_name(&[("DATABASE_URL", "mysql://x")]), "DATABASE_URL");
    assert_eq!(err_name(&[("PORT", "80a")]), "PORT");
    assert_eq!(err_name(&[("PORT", "70000")]), "PORT");
    assert_eq!(err_name(&[("IP", "localhost:1")]), "IP");
    assert_eq!(err_name(&[("BASE_URL", "ftp://x")]), "BASE_URL");
    assert_eq!(err_name(&[("BASE_URL", "not a url")]), "BASE_URL");
    assert_eq!(err_name(&[("SESSION_KEY", "short")]), "SESSION_KEY");
    assert_eq!(err_name(&[("SESSION_KEY", "c2hvcnQ=")]), "SESSION_KEY");
    assert_eq!(
        err_name(&[("SESSION_IDLE_MINUTES", "0")]),
        "SESSION_IDLE_MINUTES"
    );
    assert_eq!(err_name(&[("SESSION_MAX_HOURS", "0")]), "SESSION_MAX_HOURS");
    assert_eq!(
        err_name(&[("SESSION_IDLE_SECONDS", "x")]),
        "SESSION_IDLE_SECONDS"
    );
    assert_eq!(err_name(&[("SMTP_HOST", "mail")]), "SMTP_FROM");
    assert_eq!(
        err_name(&[("SMTP_HOST", "mail"), ("SMTP_FROM", "nobody")]),
        "SMTP_FROM"
    );
    assert_eq!(
        err_name(&[
            ("SMTP_HOST", "m"),
            ("SMTP_FROM", "a@b.c"),
            ("SMTP_TLS", "ssl")
        ]),
        "SMTP_TLS"
    );
    assert_eq!(
        err_name(&[
            ("SMTP_HOST", "m"),
            ("SMTP_FROM", "a@b.c"),
            ("SMTP_USERNAME", "u")
        ]),
        "SMTP_PASSWORD"
    );
    assert_eq!(err_name(&[("RECAPTCHA_SITE_KEY", "k")]), "RECAPTCHA_SECRET");
    assert_eq!(
        err_name(&[("REGISTRATION_OPEN", "maybe")]),
        "REGISTRATION_OPEN"
    );
    assert_eq!(err_name(&[("DEFAULT_ROLE", "root")]), "DEFAULT_ROLE");
    assert_eq!(err_name(&[("RECAPTCHA_SECRET", "s")]), "RECAPTCHA_SITE_KEY");
    assert_eq!(err_name(&[("TIMEZONE", "Mars/Olympus")]), "TIMEZONE");
    assert_eq!(err_name(&[("CURRENCY", "euro")]), "CURRENCY");
    assert_eq!(
        err_name(&[("MAIL_RETRY_SECONDS", "0")]),
        "MAIL_RETRY_SECONDS"
    );
}

#[test]
fn business_settings_default_to_euro_and_utc() {
    let c = parse(&[]).unwrap();
    assert_eq!(
        (c.business.currency.as_str(), c.business.zone.name.as_str()),
        ("EUR", "UTC")
    );
    let c = parse(&[("TIMEZONE", "America/New_York"), ("CURRENCY", "USD")]).unwrap();
    assert_eq!(c.business.zone.name, "America/New_York");
    assert!(
        c.business.zone.offsets.len() > 100,
        "daylight saving changes"
    );
}

#[test]
fn error_line_names_setting_and_problem() {
    let e = parse(&[("PORT", "eighty")]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "configuration error: PORT: 'eighty' is not a valid number here"
    );
}

#[test]
fn session_key_accepts_hex_and_base64() {
    let hex = "ab".repeat(64);
    assert_eq!(
        parse(&[("SESSION_KEY", &hex)]).unwrap().session_key,
        vec![0xab; 64]
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
    let c = parse(&[("SESSION_KEY", &b64)]).unwrap();
    assert_eq!(c.session_key, vec![7u8; 64]);
    assert!(!c.session_key_generated);
}

#[test]
fn smtp_and_recaptcha_parse() {
    let c = parse(&[
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_TLS", "none"),
        ("SMTP_FROM", "Sales <sales@example.com>"),
        ("RECAPTCHA_SITE_KEY", "site"),
        ("RECAPTCHA_SECRET", "secret"),
        ("RECAPTCHA_VERIFY_URL", "http://127.0.0.1:9/verify"),
        ("BASE_URL", "https://sales.example.com"),
    ])
    .unwrap();
    let smtp = c.smtp.clone().unwrap();
    assert_eq!((smtp.port, smtp.tls), (25, SmtpTls::None));
    assert_eq!(
        c.recaptcha.as_ref().unwrap().verify_url,
        "http://127.0.0.1:9/verify"
    );
    assert!(c.https());
}

#[test]
fn session_timeouts_in_seconds_win() {
    let c = parse(&[("SESSION_IDLE_SECONDS", "2"), ("SESSION_MAX_SECONDS", "5")]).unwrap();
    assert_eq!(c.session_idle, Duration::from_secs(2));
    assert_eq!(c.session_max, Duration::from_secs(5));
    let c = parse(&[]).unwrap();
    assert_eq!(c.session_idle, Duration::from_secs(30 * 60));
    assert_eq!(c.session_max, Duration::from_secs(12 * 3600));
}

#[test]
fn debug_output_hides_secrets() {
    let c = parse(&[("SESSION_KEY", &"ab".repeat(64))]).unwrap();
    assert!(
        !format!("{c:?}").contains("171"),
        "key bytes must not be printed"
    );
}
