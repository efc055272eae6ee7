//! Typed configuration shared by every part of certif: reading environment variables into
//! values that cannot be wrong, and the settings of the database layer.
//!
//! Every variable is documented in the README's configuration table.

use std::path::PathBuf;
use std::str::FromStr;

use secrecy::SecretString;

/// A configuration variable that is set but cannot be understood.
#[derive(Debug, thiserror::Error)]
#[error("the environment variable {name} is invalid ({value:?}): {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub reason: String,
}

/// Reads a variable; `None` when it is unset or empty.
pub fn read_var(name: &'static str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Reads and parses a variable, falling back to `default` when it is unset.
pub fn parse_var<T>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match read_var(name) {
        None => Ok(default),
        Some(value) => value.parse().map_err(|error: T::Err| ConfigError {
            name,
            reason: error.to_string(),
            value,
        }),
    }
}

/// `CERTIF_ENV`: development (the default) or production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    #[default]
    Development,
    Production,
}

impl Environment {
    pub fn is_production(self) -> bool {
        self == Self::Production
    }
}

impl FromStr for Environment {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Self::Development),
            "production" | "prod" => Ok(Self::Production),
            _ => Err("expected development or production".to_owned()),
        }
    }
}

/// Where the database is and how to reach it.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// `DATABASE_URL`: when set, the only database certif uses.
    pub url: Option<SecretString>,
    /// `CERTIF_PG_SOCKET_DIRS`: where to look for a PostgreSQL server on the local socket.
    pub socket_dirs: Vec<PathBuf>,
    /// `CERTIF_DATA_DIR`/postgres: where a private cluster lives when no server answers.
    pub private_cluster_dir: PathBuf,
    /// `DATABASE_POOL_SIZE`: connections per process.
    pub pool_size: usize,
}

/// The directories searched for a local PostgreSQL socket by default (Debian, then upstream).
pub const DEFAULT_SOCKET_DIRS: &str = "/var/run/postgresql:/tmp";

impl DatabaseConfig {
    pub fn from_env(data_dir: &std::path::Path) -> Result<Self, ConfigError> {
        let url = match read_var("DATABASE_URL") {
            None => None,
            Some(value) => {
                crate::db::locate::check_url(&value).map_err(|reason| ConfigError {
                    name: "DATABASE_URL",
                    value: crate::db::locate::redact_url(&value),
                    reason,
                })?;
                Some(SecretString::from(value))
            }
        };
        let socket_dirs = read_var("CERTIF_PG_SOCKET_DIRS")
            .unwrap_or_else(|| DEFAULT_SOCKET_DIRS.to_owned())
            .split(':')
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .collect();
        let pool_size = parse_var::<usize>("DATABASE_POOL_SIZE", 10)?;
        if pool_size == 0 {
            return Err(ConfigError {
                name: "DATABASE_POOL_SIZE",
                value: "0".to_owned(),
                reason: "the pool needs at least one connection".to_owned(),
            });
        }
        Ok(Self {
            url,
            socket_dirs,
            private_cluster_dir: data_dir.join("postgres"),
            pool_size,
        })
    }
}

/// `CERTIF_DATA_DIR`: the folder holding the private database cluster, uploaded files and
/// mail written to disk. Default `.data` in the working directory.
pub fn data_dir_from_env() -> PathBuf {
    read_var("CERTIF_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(".data"))
}

/// `PUBLIC_URL`: the address people use to reach certif (links in emails, secure cookies).
/// Defaults to `http://` and the listening address; a trailing slash is dropped.
pub fn public_url_from_env(listen_addr: std::net::SocketAddr) -> Result<String, ConfigError> {
    let Some(value) = read_var("PUBLIC_URL") else {
        return Ok(format!("http://{listen_addr}"));
    };
    let invalid = || ConfigError {
        name: "PUBLIC_URL",
        value: value.clone(),
        reason: "expected an http:// or https:// address".to_owned(),
    };
    let parsed = url::Url::parse(&value).map_err(|_| invalid())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(invalid());
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// The address orals are organised from (`ORGANIZER` of invitations and feeds): the address
/// of `MAIL_FROM` (« Name <address> » or a bare address), so that replies from calendar apps
/// reach the sender. The default is the scheduler's default sender.
pub const DEFAULT_ORGANIZER_EMAIL: &str = "certification@beta.gouv.fr";

pub fn organizer_email_from_env() -> Result<String, ConfigError> {
    let Some(value) = read_var("MAIL_FROM") else {
        return Ok(DEFAULT_ORGANIZER_EMAIL.to_owned());
    };
    let address = match (value.rfind('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value.as_str(),
    };
    crate::domain::Email::parse(address.trim())
        .map(|email| email.as_str().to_owned())
        .map_err(|_| ConfigError {
            name: "MAIL_FROM",
            reason: "expected an address such as « certif <certif@example.org> »".to_owned(),
            value: value.clone(),
        })
}

/// `SESSION_MONTHS`: the months certification sessions open in, e.g. `5,12` (May and
/// December, the default). The other calendar delays keep their defaults
/// (`domain::CalendarDefaults`) and are edited per session by the équipe animation.
pub fn calendar_defaults_from_env() -> Result<crate::domain::CalendarDefaults, ConfigError> {
    let mut defaults = crate::domain::CalendarDefaults::default();
    if let Some(value) = read_var("SESSION_MONTHS") {
        let invalid = || ConfigError {
            name: "SESSION_MONTHS",
            value: value.clone(),
            reason: "expected month numbers from 1 to 12 separated by commas, e.g. 5,12".to_owned(),
        };
        let mut months = value
            .split(',')
            .map(|month| {
                month
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|month| (1..=12).contains(month))
            })
            .collect::<Option<Vec<u32>>>()
            .ok_or_else(invalid)?;
        months.sort_unstable();
        months.dedup();
        if months.is_empty() {
            return Err(invalid());
        }
        defaults.months = months;
    }
    Ok(defaults)
}
