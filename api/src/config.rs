//! The API's settings, read from the environment (documented in the README's table).

use std::net::SocketAddr;

use chrono::Duration;
use schema::config::{ConfigError, parse_var, public_url_from_env};
use schema::domain::PublicUrl;

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `LISTEN_ADDR`: where the HTTP server listens.
    pub listen_addr: SocketAddr,
    /// `PUBLIC_URL`: the address people use (links in emails; https makes cookies Secure).
    pub public_url: PublicUrl,
    /// `GRAPHQL_MAX_DEPTH`: most fields a query may nest, fragments expanded.
    pub max_depth: usize,
    /// `GRAPHQL_MAX_COMPLEXITY`: most fields a document may select, fragments expanded,
    /// aliases and `__typename` included (`graphql::query_shape`).
    pub max_complexity: usize,
    /// `GRAPHQL_MAX_NESTING`: most brackets nested in a query's text, arrays and objects nested
    /// in its variables, and selection sets nested once fragments are expanded.
    pub max_nesting: usize,
    /// `GRAPHQL_BATCH_LIMIT`: most operations in one batched request; 0 or 1 refuses batches.
    pub batch_limit: usize,
    /// `HTTP_BODY_LIMIT_BYTES`: largest JSON request body.
    pub body_limit: usize,
    /// `UPLOAD_MAX_FILE_BYTES`: largest file in a multipart upload (20 MB).
    pub upload_max_file_bytes: usize,
    /// `UPLOAD_MAX_FILES`: most files in one multipart upload.
    pub upload_max_files: usize,
    /// `SESSION_MAX_AGE_MINUTES`: a session of use ends this long after sign-in.
    pub session_max_age: Duration,
    /// `SESSION_IDLE_MINUTES`: a session of use ends after this long without a request.
    pub session_idle_timeout: Duration,
    /// `SESSION_CACHE_MILLIS`: how long a signed-in viewer read from the database serves the
    /// next requests of the same token without a statement (0: every request reads it).
    pub session_cache: std::time::Duration,
    /// `THROTTLE_WINDOW_MINUTES`, `THROTTLE_PER_ACCOUNT`, `THROTTLE_PER_ADDRESS`: attempts of
    /// each sensitive action (login, password reset, sign-in link) allowed per window.
    pub throttle: ThrottleConfig,
    /// `PASSWORD_HASH_CONCURRENCY`: password hashes computed at once (default: half the cores).
    pub password_hash_concurrency: usize,
    /// `SESSION_MONTHS` and the default calendar of new sessions.
    pub calendar: schema::domain::CalendarDefaults,
    /// `TRUST_FORWARDED_FOR`: take the client address from `X-Forwarded-For` (behind a proxy).
    pub trust_forwarded_for: bool,
    /// `CERTIF_DATA_DIR`/files: where uploaded dossier files are stored, by content hash.
    pub files_dir: std::path::PathBuf,
    /// The address of `MAIL_FROM`: the ORGANIZER of orals in invitations and feeds.
    pub organizer_email: String,
    /// `DECISION_RULE`: which marks make a laureate (`all`, the default, or `at_least:N`); a
    /// jury deciding otherwise writes why.
    pub decision_rule: schema::domain::DecisionRule,
    /// `RESULT_PUBLISH_DELAY_HOURS`: a submitted result is published automatically this long
    /// after the jury's last signature, unless an admin published it earlier (72 hours).
    pub result_publish_delay: chrono::TimeDelta,
}

#[derive(Debug, Clone, Copy)]
pub struct ThrottleConfig {
    pub window: Duration,
    pub per_account: i32,
    pub per_address: i32,
}

impl ApiConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let listen_addr = parse_var("LISTEN_ADDR", defaults.listen_addr)?;
        let minutes = |name, default: Duration| -> Result<Duration, ConfigError> {
            let value: u32 = parse_var(name, default.num_minutes() as u32)?;
            positive(name, value).map(|value| Duration::minutes(value.into()))
        };
        Ok(Self {
            listen_addr,
            public_url: public_url_from_env(listen_addr)?,
            max_depth: parse_var("GRAPHQL_MAX_DEPTH", defaults.max_depth)?,
            max_complexity: positive(
                "GRAPHQL_MAX_COMPLEXITY",
                parse_var("GRAPHQL_MAX_COMPLEXITY", defaults.max_complexity)?,
            )?,
            max_nesting: max_nesting_from_env(defaults.max_nesting)?,
            batch_limit: parse_var("GRAPHQL_BATCH_LIMIT", defaults.batch_limit)?,
            body_limit: parse_var("HTTP_BODY_LIMIT_BYTES", defaults.body_limit)?,
            upload_max_file_bytes: parse_var(
                "UPLOAD_MAX_FILE_BYTES",
                defaults.upload_max_file_bytes,
            )?,
            upload_max_files: parse_var("UPLOAD_MAX_FILES", defaults.upload_max_files)?,
            session_max_age: minutes("SESSION_MAX_AGE_MINUTES", defaults.session_max_age)?,
            session_idle_timeout: minutes("SESSION_IDLE_MINUTES", defaults.session_idle_timeout)?,
            session_cache: std::time::Duration::from_millis(parse_var(
                "SESSION_CACHE_MILLIS",
                defaults.session_cache.as_millis() as u64,
            )?),
            throttle: ThrottleConfig {
                window: minutes("THROTTLE_WINDOW_MINUTES", defaults.throttle.window)?,
                per_account: positive(
                    "THROTTLE_PER_ACCOUNT",
                    parse_var("THROTTLE_PER_ACCOUNT", defaults.throttle.per_account)?,
                )?,
                per_address: positive(
                    "THROTTLE_PER_ADDRESS",
                    parse_var("THROTTLE_PER_ADDRESS", defaults.throttle.per_address)?,
                )?,
            },
            password_hash_concurrency: positive(
                "PASSWORD_HASH_CONCURRENCY",
                parse_var(
                    "PASSWORD_HASH_CONCURRENCY",
                    defaults.password_hash_concurrency,
                )?,
            )?,
            trust_forwarded_for: parse_var("TRUST_FORWARDED_FOR", false)?,
            calendar: schema::config::calendar_defaults_from_env()?,
            files_dir: schema::config::data_dir_from_env().join("files"),
            organizer_email: schema::config::organizer_email_from_env()?,
            decision_rule: decision_rule_from_env()?,
            result_publish_delay: result_publish_delay_from_env()?,
        })
    }

    /// Whether cookies must be `Secure` (the public address is https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.is_https()
    }
}

fn positive<T: PartialOrd + Default + ToString>(
    name: &'static str,
    value: T,
) -> Result<T, ConfigError> {
    if value > T::default() {
        Ok(value)
    } else {
        Err(ConfigError {
            name,
            value: value.to_string(),
            reason: "it must be greater than zero".to_owned(),
        })
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        let listen_addr = schema::config::DEFAULT_LISTEN_ADDR;
        Self {
            listen_addr,
            public_url: PublicUrl::local(listen_addr),
            max_depth: 12,
            max_complexity: 500,
            max_nesting: 32,
            batch_limit: 0,
            body_limit: 1024 * 1024,
            upload_max_file_bytes: 20 * 1024 * 1024,
            upload_max_files: 10,
            session_max_age: Duration::hours(12),
            session_idle_timeout: Duration::hours(2),
            session_cache: std::time::Duration::from_secs(2),
            throttle: ThrottleConfig {
                window: Duration::minutes(15),
                per_account: 5,
                per_address: 30,
            },
            password_hash_concurrency: schema::security::PasswordHasher::default_concurrency(),
            trust_forwarded_for: false,
            calendar: schema::domain::CalendarDefaults::default(),
            files_dir: std::path::PathBuf::from(".data/files"),
            organizer_email: schema::config::DEFAULT_ORGANIZER_EMAIL.to_owned(),
            decision_rule: schema::domain::DecisionRule::default(),
            result_publish_delay: chrono::TimeDelta::hours(DEFAULT_RESULT_PUBLISH_DELAY_HOURS),
        }
    }
}

/// The checks of `graphql::query_shape` recurse once per level they allow: past a few hundred,
/// a bound would no longer protect the stack it is there to protect.
const MAX_NESTING_CEILING: usize = 256;

fn max_nesting_from_env(default: usize) -> Result<usize, ConfigError> {
    let value = parse_var("GRAPHQL_MAX_NESTING", default)?;
    if !(1..=MAX_NESTING_CEILING).contains(&value) {
        return Err(ConfigError {
            name: "GRAPHQL_MAX_NESTING",
            value: value.to_string(),
            reason: format!("expected a number from 1 to {MAX_NESTING_CEILING}"),
        });
    }
    Ok(value)
}

/// « A few days after » the oral: 3 days.
const DEFAULT_RESULT_PUBLISH_DELAY_HOURS: i64 = 72;

fn decision_rule_from_env() -> Result<schema::domain::DecisionRule, ConfigError> {
    match schema::config::read_var("DECISION_RULE") {
        None => Ok(schema::domain::DecisionRule::default()),
        Some(value) => value.parse().map_err(|reason| ConfigError {
            name: "DECISION_RULE",
            value,
            reason,
        }),
    }
}

fn result_publish_delay_from_env() -> Result<chrono::TimeDelta, ConfigError> {
    let hours = parse_var::<i64>(
        "RESULT_PUBLISH_DELAY_HOURS",
        DEFAULT_RESULT_PUBLISH_DELAY_HOURS,
    )?;
    // Up to a year: a longer delay is a typing mistake.
    if !(0..=24 * 366).contains(&hours) {
        return Err(ConfigError {
            name: "RESULT_PUBLISH_DELAY_HOURS",
            value: hours.to_string(),
            reason: "expected a number of hours from 0 to 8784".to_owned(),
        });
    }
    Ok(chrono::TimeDelta::hours(hours))
}
