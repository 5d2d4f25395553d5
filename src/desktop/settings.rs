//! What the desktop app remembers between starts: which server it uses. Kept as JSON in the
//! user's config folder; the data of "on this computer" lives in the user's data folder.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where the app gets its pages from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Mode {
    /// A company server at this address (scheme, host and port; no path).
    Server { url: String },
    /// A server the app runs itself, on loopback, with SQLite in the data folder.
    Local,
}

/// The user's folders, after the XDG base-directory rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Folders {
    pub config: PathBuf,
    pub data: PathBuf,
}

impl Folders {
    /// `$XDG_CONFIG_HOME/sales` and `$XDG_DATA_HOME/sales`, or their defaults under `$HOME`.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var_os(k).map(PathBuf::from))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<PathBuf>) -> Self {
        let home = get("HOME").unwrap_or_else(|| PathBuf::from("."));
        // The spec says a relative XDG path is invalid and must be ignored.
        let base = |var: &str, default: &str| {
            get(var)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| home.join(default))
                .join("sales")
        };
        Self {
            config: base("XDG_CONFIG_HOME", ".config"),
            data: base("XDG_DATA_HOME", ".local/share"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config.join("desktop.json")
    }

    /// The remembered mode; `None` on the first start (or when the file cannot be read,
    /// which asks the question again rather than guessing).
    pub fn load(&self) -> Option<Mode> {
        let text = std::fs::read_to_string(self.settings_file()).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Remember `mode`; written beside and renamed, so a crash never leaves half a file.
    pub fn save(&self, mode: &Mode) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.config)?;
        let file = self.settings_file();
        let partial = file.with_extension("json.partial");
        let text = serde_json::to_string_pretty(mode).map_err(std::io::Error::other)?;
        std::fs::write(&partial, text)?;
        std::fs::rename(&partial, &file)
    }
}

/// A server address as typed ("sales.example.com:8080", "https://sales.example.com/") made
/// into the base URL the pages are loaded from, or why it cannot be one.
pub fn server_address(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("Enter the server's address, for example https://sales.example.com".into());
    }
    let with_scheme = if typed.contains("://") {
        typed.to_string()
    } else {
        format!("http://{typed}")
    };
    let Some((scheme, rest)) = with_scheme.split_once("://") else {
        return Err("That is not an address".into());
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err("The address must start with http:// or https://".into());
    }
    let host = rest.trim_end_matches('/');
    if host.is_empty() || host.contains(['/', '?', '#', ' ', '@']) {
        return Err("Enter only the server's address, without a page path".into());
    }
    Ok(format!("{scheme}://{host}"))
}

/// The origin (scheme, host, port) of a URL, to tell the server's own pages from links out.
pub fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find(['/', '?', '#']) {
        Some(end) => &url[..after_scheme + end],
        None => url,
    }
}

/// The data folder's database, as the server's `DATABASE_URL`.
pub fn database_url(data: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data.join("sales.db").display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_follow_xdg_and_fall_back_to_home() {
        let f = Folders::from_lookup(|k| match k {
            "HOME" => Some("/home/ana".into()),
            "XDG_CONFIG_HOME" => Some("/cfg".into()),
            "XDG_DATA_HOME" => Some("relative/ignored".into()),
            _ => None,
        });
        assert_eq!(f.config, PathBuf::from("/cfg/sales"));
        assert_eq!(f.data, PathBuf::from("/home/ana/.local/share/sales"));
    }

    #[test]
    fn modes_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = Folders {
            config: dir.path().join("c"),
            data: dir.path().join("d"),
        };
        assert_eq!(f.load(), None);
        let mode = Mode::Server {
            url: "https://sales.example.com".into(),
        };
        f.save(&mode).unwrap();
        assert_eq!(f.load(), Some(mode));
        f.save(&Mode::Local).unwrap();
        assert_eq!(f.load(), Some(Mode::Local));
        std::fs::write(f.settings_file(), "{not json").unwrap();
        assert_eq!(f.load(), None);
    }

    #[test]
    fn addresses_are_made_into_base_urls() {
        assert_eq!(
            server_address(" sales.example.com:8080/ ").unwrap(),
            "http://sales.example.com:8080"
        );
        assert_eq!(
            server_address("HTTPS://sales.example.com").unwrap(),
            "https://sales.example.com"
        );
        assert!(server_address("").is_err());
        assert!(server_address("ftp://x").is_err());
        assert!(server_address("http://x/orders").is_err());
        assert!(server_address("http://").is_err());
    }

    #[test]
    fn origins_drop_the_path() {
        assert_eq!(
            origin("http://127.0.0.1:8080/orders?q=1"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(origin("https://a.example"), "https://a.example");
        assert_eq!(
            origin("http://evil.example.com.x/"),
            "http://evil.example.com.x"
        );
    }
}
