//! Typed configuration shared by every part of certif: reading environment variables into
//! values that cannot be wrong, and the settings of the database layer.
//!
//! Every variable is documented in the README's configuration table.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

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
    /// The pool's size and the bounds of every wait on the database.
    pub pool: PoolConfig,
}

/// The connection pool: its size and the bound of every wait on the database (see
/// `db::pool`). Each is a `DATABASE_*` variable, in milliseconds for the timeouts.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    /// `DATABASE_POOL_SIZE`: connections per process.
    pub size: usize,
    /// `DATABASE_CHECKOUT_TIMEOUT_MS`: the longest a request waits for a connection, whether
    /// for a free one, its health check or a new one to open.
    pub checkout_timeout: Duration,
    /// `DATABASE_CONNECT_TIMEOUT_MS`: the longest opening a connection may take.
    pub connect_timeout: Duration,
    /// `DATABASE_RECYCLE_TIMEOUT_MS`: the longest the health check (`SELECT 1`) of a pooled
    /// connection may take before it is handed out; a connection that fails it is replaced.
    pub recycle_timeout: Duration,
    /// `DATABASE_STATEMENT_TIMEOUT_MS`: PostgreSQL's `statement_timeout` on every connection.
    /// A statement whose answer has not arrived [`RESPONSE_GRACE`] later is given up by
    /// certif itself (the connection is closed), for a server that cannot even time out.
    pub statement_timeout: Duration,
    /// `DATABASE_LOCK_TIMEOUT_MS`: PostgreSQL's `lock_timeout` on every connection.
    pub lock_timeout: Duration,
    /// `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS`: PostgreSQL's
    /// `idle_in_transaction_session_timeout`: a transaction left open this long by a stuck
    /// client is rolled back and its connection ended.
    pub idle_in_transaction_timeout: Duration,
    /// Whether a pooled connection is checked (`SELECT 1`) each time it is handed out. On, so
    /// that a connection lost while idle is replaced before a request uses it; off only in
    /// tests that check out connections many thousand times.
    pub verify_on_checkout: bool,
}

/// How much longer than `statement_timeout` certif waits for a statement's answer before it
/// gives up on the connection.
pub const RESPONSE_GRACE: Duration = Duration::from_secs(1);

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            size: 10,
            checkout_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            recycle_timeout: Duration::from_secs(1),
            statement_timeout: Duration::from_secs(5),
            lock_timeout: Duration::from_secs(2),
            idle_in_transaction_timeout: Duration::from_secs(15),
            verify_on_checkout: true,
        }
    }
}

impl PoolConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let millis = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            let value = parse_var::<u64>(name, default.as_millis() as u64)?;
            if value == 0 {
                return Err(ConfigError {
                    name,
                    value: "0".to_owned(),
                    reason: "every wait on the database needs a bound: give a number of milliseconds above 0".to_owned(),
                });
            }
            Ok(Duration::from_millis(value))
        };
        let size = parse_var::<usize>("DATABASE_POOL_SIZE", defaults.size)?;
        if size == 0 {
            return Err(ConfigError {
                name: "DATABASE_POOL_SIZE",
                value: "0".to_owned(),
                reason: "the pool needs at least one connection".to_owned(),
            });
        }
        Ok(Self {
            size,
            checkout_timeout: millis("DATABASE_CHECKOUT_TIMEOUT_MS", defaults.checkout_timeout)?,
            connect_timeout: millis("DATABASE_CONNECT_TIMEOUT_MS", defaults.connect_timeout)?,
            recycle_timeout: millis("DATABASE_RECYCLE_TIMEOUT_MS", defaults.recycle_timeout)?,
            statement_timeout: millis("DATABASE_STATEMENT_TIMEOUT_MS", defaults.statement_timeout)?,
            lock_timeout: millis("DATABASE_LOCK_TIMEOUT_MS", defaults.lock_timeout)?,
            idle_in_transaction_timeout: millis(
                "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS",
                defaults.idle_in_transaction_timeout,
            )?,
            verify_on_checkout: true,
        })
    }

    /// How long certif waits for the answer to one statement before it closes the connection.
    pub fn response_timeout(&self) -> Duration {
        self.statement_timeout + RESPONSE_GRACE
    }
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
        Ok(Self {
            url,
            socket_dirs,
            private_cluster_dir: data_dir.join("postgres"),
            pool: PoolConfig::from_env()?,
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

/// The API's default `LISTEN_ADDR` (127.0.0.1:8080), which `PUBLIC_URL` defaults to: the
/// scheduler reads the same variables to write the same links.
pub const DEFAULT_LISTEN_ADDR: std::net::SocketAddr =
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);

/// `PUBLIC_URL`: the address people use to reach certif (links in emails, secure cookies).
/// Defaults to `http://` and the listening address; a trailing slash is dropped.
pub fn public_url_from_env(
    listen_addr: std::net::SocketAddr,
) -> Result<crate::domain::PublicUrl, ConfigError> {
    let Some(value) = read_var("PUBLIC_URL") else {
        return Ok(crate::domain::PublicUrl::local(listen_addr));
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
    Ok(crate::domain::PublicUrl::new(value))
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
