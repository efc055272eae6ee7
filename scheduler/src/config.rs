//! The scheduler's settings, read from the environment (documented in the README's table):
//! the instance and its cron jobs, what the session cycle and reminders need (`JobSettings`),
//! how mail leaves (`MailConfig`), where chat posts go (`ChatConfig`), and how the outbox is
//! drained (`OutboxConfig`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::Address;
use lettre::message::Mailbox;
use schema::config::{
    ConfigError, DEFAULT_LISTEN_ADDR, calendar_defaults_from_env, data_dir_from_env, parse_var,
    public_url_from_env, read_var,
};
use schema::db::locate::redact_url;
use schema::domain::{CalendarDefaults, PublicUrl};
use secrecy::SecretString;

/// Every minute, at second 0.
const DEFAULT_HEARTBEAT_CRON: &str = "0 * * * * *";
/// Every hour, on the hour: a session's registration opens on the hour (9:00 in Paris).
const DEFAULT_SESSION_CYCLE_CRON: &str = "0 0 * * * *";
/// Every quarter of an hour: reminders are due at 9:00 in Paris.
const DEFAULT_REMINDERS_CRON: &str = "0 */15 * * * *";
/// Every ten minutes: results due for publication go out within ten minutes of their time.
const DEFAULT_RESULTS_CRON: &str = "0 */10 * * * *";
/// Every hour, at minute 5: letters are due at midnight in Paris, and a result published later
/// gets its letters within the hour.
const DEFAULT_LETTERS_CRON: &str = "0 5 * * * *";

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// `SCHEDULER_INSTANCE`: the name this instance writes on the ticks and messages it claims
    /// (default: host name and process id).
    pub instance: String,
    /// `SCHEDULER_HEARTBEAT_CRON`: when the heartbeat job runs (six fields, UTC).
    pub heartbeat_cron: String,
    /// `SCHEDULER_SESSION_CYCLE_CRON`: when the session cycle job runs (creating the next
    /// sessions, announcing registration openings).
    pub session_cycle_cron: String,
    /// `SCHEDULER_REMINDERS_CRON`: when the reminders job runs.
    pub reminders_cron: String,
    /// `SCHEDULER_RESULTS_CRON`: when the results job publishes the results whose delay is over.
    pub results_cron: String,
    /// `SCHEDULER_LETTERS_CRON`: when the letters job writes and queues the letters to the
    /// laureates' administrations that are due.
    pub letters_cron: String,
    pub jobs: JobSettings,
    pub mail: MailConfig,
    pub chat: ChatConfig,
    pub outbox: OutboxConfig,
}

impl SchedulerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let mail = MailConfig::from_env()?;
        let chat = ChatConfig::from_env()?;
        let outbox = OutboxConfig::from_env(mail.send_timeout.max(chat.timeout()))?;
        Ok(Self {
            instance: read_var("SCHEDULER_INSTANCE").unwrap_or_else(default_instance),
            heartbeat_cron: cron_from_env("SCHEDULER_HEARTBEAT_CRON", DEFAULT_HEARTBEAT_CRON)?,
            session_cycle_cron: cron_from_env(
                "SCHEDULER_SESSION_CYCLE_CRON",
                DEFAULT_SESSION_CYCLE_CRON,
            )?,
            reminders_cron: cron_from_env("SCHEDULER_REMINDERS_CRON", DEFAULT_REMINDERS_CRON)?,
            results_cron: cron_from_env("SCHEDULER_RESULTS_CRON", DEFAULT_RESULTS_CRON)?,
            letters_cron: cron_from_env("SCHEDULER_LETTERS_CRON", DEFAULT_LETTERS_CRON)?,
            jobs: JobSettings::from_env()?,
            mail,
            chat,
            outbox,
        })
    }
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            instance: default_instance(),
            heartbeat_cron: DEFAULT_HEARTBEAT_CRON.to_owned(),
            session_cycle_cron: DEFAULT_SESSION_CYCLE_CRON.to_owned(),
            reminders_cron: DEFAULT_REMINDERS_CRON.to_owned(),
            results_cron: DEFAULT_RESULTS_CRON.to_owned(),
            letters_cron: DEFAULT_LETTERS_CRON.to_owned(),
            jobs: JobSettings::default(),
            mail: MailConfig::default(),
            chat: ChatConfig::default(),
            outbox: OutboxConfig::default(),
        }
    }
}

/// A cron expression from `name`, checked now rather than when the scheduler starts.
fn cron_from_env(name: &'static str, default: &str) -> Result<String, ConfigError> {
    let expression = read_var(name).unwrap_or_else(|| default.to_owned());
    crate::jobs::check_cron(&expression).map_err(|error| ConfigError {
        name,
        value: expression.clone(),
        reason: error.to_string(),
    })?;
    Ok(expression)
}

/// What the session cycle and the reminders need besides the database and the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSettings {
    /// `SESSION_MONTHS` (shared with the API): the months sessions open in, and the default
    /// calendar of the sessions the cycle creates.
    pub calendar: CalendarDefaults,
    /// `PUBLIC_URL` (shared with the API): the address links in emails and chat posts start with.
    pub public_url: PublicUrl,
}

impl JobSettings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let listen_addr = parse_var("LISTEN_ADDR", DEFAULT_LISTEN_ADDR)?;
        Ok(Self {
            calendar: calendar_defaults_from_env()?,
            public_url: public_url_from_env(listen_addr)?,
        })
    }
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            calendar: CalendarDefaults::default(),
            public_url: PublicUrl::local(DEFAULT_LISTEN_ADDR),
        }
    }
}

/// Where posts to the community chat go.
#[derive(Debug, Clone)]
pub enum ChatConfig {
    /// `CHAT_WEBHOOK_URL` set: an incoming webhook (Mattermost, or a Tchap bridge) that takes
    /// `POST` JSON `{"text": "…"}`.
    Webhook(WebhookConfig),
    /// `CHAT_WEBHOOK_URL` unset: each post is written as the JSON it would have sent, one file
    /// per post, next to the `.eml` files (`CERTIF_DATA_DIR/mail`), and counts as sent.
    Files { dir: PathBuf },
}

/// An incoming webhook, from `CHAT_WEBHOOK_URL`.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// The URL; its path is the webhook's secret.
    pub url: SecretString,
    /// Scheme, host and port only, for logs.
    pub redacted: String,
    /// `CHAT_TIMEOUT_SECONDS`: longest wait for the chat server, per post.
    pub timeout: Duration,
}

const DEFAULT_CHAT_TIMEOUT: Duration = Duration::from_secs(10);

impl ChatConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let seconds = parse_var::<u64>("CHAT_TIMEOUT_SECONDS", DEFAULT_CHAT_TIMEOUT.as_secs())?;
        if seconds == 0 {
            return Err(ConfigError {
                name: "CHAT_TIMEOUT_SECONDS",
                value: "0".to_owned(),
                reason: "the timeout must be at least one second".to_owned(),
            });
        }
        match read_var("CHAT_WEBHOOK_URL") {
            Some(value) => {
                parse_webhook_url(&value, Duration::from_secs(seconds)).map(Self::Webhook)
            }
            None => Ok(Self::default()),
        }
    }

    /// The longest a post may take.
    pub fn timeout(&self) -> Duration {
        match self {
            Self::Webhook(webhook) => webhook.timeout,
            Self::Files { .. } => Duration::ZERO,
        }
    }
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self::Files {
            dir: data_dir_from_env().join("mail"),
        }
    }
}

/// Reads `CHAT_WEBHOOK_URL`: https, or http to this machine only, since the URL is the secret.
pub fn parse_webhook_url(value: &str, timeout: Duration) -> Result<WebhookConfig, ConfigError> {
    let invalid = |redacted: String, reason: &str| ConfigError {
        name: "CHAT_WEBHOOK_URL",
        value: redacted,
        reason: reason.to_owned(),
    };
    let Ok(url) = url::Url::parse(value) else {
        return Err(invalid(
            "(unreadable)".to_owned(),
            "expected https://chat.example.org/hooks/…",
        ));
    };
    let Some(host) = url.host_str().filter(|host| !host.is_empty()) else {
        return Err(invalid(
            format!("{}://", url.scheme()),
            "the URL names no host",
        ));
    };
    let redacted = match url.port() {
        Some(port) => format!("{}://{host}:{port}/…", url.scheme()),
        None => format!("{}://{host}/…", url.scheme()),
    };
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(invalid(
                redacted,
                "http:// would send the webhook's secret in clear: use https://",
            ));
        }
        _ => return Err(invalid(redacted, "the scheme must be https://")),
    }
    Ok(WebhookConfig {
        url: SecretString::from(value.to_owned()),
        redacted,
        timeout,
    })
}

fn default_instance() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

/// Where mail goes: a mail server, or a folder of `.eml` files when no server is configured.
#[derive(Debug, Clone)]
pub enum MailTransportConfig {
    /// `SMTP_URL` set.
    Smtp(SmtpConfig),
    /// `SMTP_URL` unset: one file per message under `CERTIF_DATA_DIR/mail`.
    Files { dir: PathBuf },
}

/// A mail server, from `SMTP_URL`.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// The URL in lettre's form (`smtp://…?tls=required`, `smtps://…`, or plain `smtp://…`);
    /// it may hold the password.
    pub url: SecretString,
    /// The URL with its password hidden, for logs.
    pub redacted: String,
}

/// How messages are addressed and sent.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub transport: MailTransportConfig,
    /// `MAIL_FROM`: the sender; its domain is also the Message-ID's.
    pub from: Mailbox,
    /// `MAIL_REPLY_TO`: where answers go.
    pub reply_to: Mailbox,
    /// `SMTP_TIMEOUT_SECONDS`: longest wait for the mail server, per command and per message.
    pub send_timeout: Duration,
}

const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(30);

impl MailConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let transport = match read_var("SMTP_URL") {
            Some(value) => MailTransportConfig::Smtp(parse_smtp_url(&value)?),
            None => MailTransportConfig::Files {
                dir: data_dir_from_env().join("mail"),
            },
        };
        let mailbox = |name: &'static str, default: Mailbox| match read_var(name) {
            None => Ok(default),
            Some(value) => value.parse::<Mailbox>().map_err(|error| ConfigError {
                name,
                reason: format!(
                    "expected an address such as « certif <certif@example.org> »: {error}"
                ),
                value,
            }),
        };
        let seconds = parse_var::<u64>("SMTP_TIMEOUT_SECONDS", DEFAULT_SEND_TIMEOUT.as_secs())?;
        if seconds == 0 {
            return Err(ConfigError {
                name: "SMTP_TIMEOUT_SECONDS",
                value: "0".to_owned(),
                reason: "the timeout must be at least one second".to_owned(),
            });
        }
        Ok(Self {
            transport,
            from: mailbox("MAIL_FROM", default_from())?,
            reply_to: mailbox("MAIL_REPLY_TO", default_reply_to())?,
            send_timeout: Duration::from_secs(seconds),
        })
    }

    /// The domain of the sender: Message-IDs are `<outbox row id@this domain>`.
    pub fn domain(&self) -> &str {
        self.from.email.domain()
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: MailTransportConfig::Files {
                dir: data_dir_from_env().join("mail"),
            },
            from: default_from(),
            reply_to: default_reply_to(),
            send_timeout: DEFAULT_SEND_TIMEOUT,
        }
    }
}

fn default_from() -> Mailbox {
    Mailbox::new(
        Some("Certification beta.gouv.fr".to_owned()),
        Address::new_dangerous("certification", "beta.gouv.fr"),
    )
}

fn default_reply_to() -> Mailbox {
    Mailbox::new(None, Address::new_dangerous("contact", "beta.gouv.fr"))
}

/// Reads `SMTP_URL` into lettre's form. `smtp://` uses STARTTLS and refuses to go on without
/// it (`?tls=opportunistic`: only when the server offers it; `?tls=none`: never, and then no
/// credentials unless the server is on this machine); `smtps://` is TLS from the first byte.
pub fn parse_smtp_url(value: &str) -> Result<SmtpConfig, ConfigError> {
    let redacted = redact_url(value);
    let invalid = |reason: &str| ConfigError {
        name: "SMTP_URL",
        value: redacted.clone(),
        reason: reason.to_owned(),
    };
    let mut url = url::Url::parse(value)
        .map_err(|_| invalid("expected smtp://user:password@host:port or smtps://…"))?;
    let Some(host) = url.host_str().filter(|host| !host.is_empty()) else {
        return Err(invalid("the URL names no host"));
    };
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let tls = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "tls")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if let Some((key, _)) = others.first() {
        return Err(invalid(&format!(
            "unknown parameter {key:?} (only tls is understood)"
        )));
    }
    match (url.scheme(), tls.as_deref()) {
        ("smtp", None | Some("required")) => {
            url.set_query(Some("tls=required"));
        }
        ("smtp", Some("opportunistic")) => {}
        ("smtp", Some("none")) => {
            if url.password().is_some() && !loopback {
                return Err(invalid(
                    "tls=none would send the password in clear to another machine",
                ));
            }
            url.set_query(None);
        }
        ("smtp", Some(_)) => {
            return Err(invalid(
                "tls must be required (the default), opportunistic or none",
            ));
        }
        ("smtps", None) => {}
        ("smtps", Some(_)) => {
            return Err(invalid("smtps:// is always TLS: drop the tls parameter"));
        }
        _ => return Err(invalid("the scheme must be smtp:// or smtps://")),
    }
    Ok(SmtpConfig {
        url: SecretString::from(url.to_string()),
        redacted,
    })
}

/// How the dispatcher drains the outbox.
#[derive(Debug, Clone)]
pub struct OutboxConfig {
    /// `OUTBOX_MAX_ATTEMPTS`: attempts before a message is parked as dead (default 10: with the
    /// backoff below, about a day).
    pub max_attempts: u32,
    /// `OUTBOX_BATCH_SIZE`: messages claimed at once.
    pub batch_size: u32,
    /// `OUTBOX_CONCURRENCY`: messages sent at once (and connections to the mail server).
    /// Default 16: a send waits on four answers of the server and costs the daemon about
    /// 0.1 ms of CPU, so throughput is connections ÷ round trips (4 connections: 620–800
    /// messages/s on loopback, 16: 1,700–1,900); Postfix itself opens up to 20 to one
    /// destination, and connections are opened only when that many messages are due.
    pub concurrency: u32,
    /// `OUTBOX_POLL_MILLIS`: how often the dispatcher looks for due messages when idle.
    pub poll_interval: Duration,
    /// `OUTBOX_LEASE_SECONDS`: how long a claim lasts; past it, another dispatcher takes the
    /// message back. Must exceed the time a batch may take.
    pub lease: Duration,
    /// The first retry's delay; each next one doubles (with ±20 % jitter).
    pub backoff_base: Duration,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            batch_size: 50,
            concurrency: 16,
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(600),
            backoff_base: Duration::from_secs(180),
        }
    }
}

impl OutboxConfig {
    pub fn from_env(send_timeout: Duration) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let at_least_one = |name: &'static str, value: u32| {
            if value == 0 {
                Err(ConfigError {
                    name,
                    value: "0".to_owned(),
                    reason: "must be at least 1".to_owned(),
                })
            } else {
                Ok(value)
            }
        };
        let config = Self {
            max_attempts: at_least_one(
                "OUTBOX_MAX_ATTEMPTS",
                parse_var("OUTBOX_MAX_ATTEMPTS", defaults.max_attempts)?,
            )?,
            batch_size: at_least_one(
                "OUTBOX_BATCH_SIZE",
                parse_var("OUTBOX_BATCH_SIZE", defaults.batch_size)?,
            )?,
            concurrency: at_least_one(
                "OUTBOX_CONCURRENCY",
                parse_var("OUTBOX_CONCURRENCY", defaults.concurrency)?,
            )?,
            poll_interval: Duration::from_millis(
                at_least_one("OUTBOX_POLL_MILLIS", parse_var("OUTBOX_POLL_MILLIS", 1000)?)?.into(),
            ),
            lease: Duration::from_secs(parse_var(
                "OUTBOX_LEASE_SECONDS",
                defaults.lease.as_secs(),
            )?),
            backoff_base: defaults.backoff_base,
        };
        let longest_batch = config.longest_batch(send_timeout);
        if config.lease <= longest_batch {
            return Err(ConfigError {
                name: "OUTBOX_LEASE_SECONDS",
                value: config.lease.as_secs().to_string(),
                reason: format!(
                    "a batch may take {} s (OUTBOX_BATCH_SIZE / OUTBOX_CONCURRENCY × SMTP_TIMEOUT_SECONDS): the lease must be longer",
                    longest_batch.as_secs()
                ),
            });
        }
        Ok(config)
    }

    /// The longest a batch may take when every send runs into the timeout.
    pub fn longest_batch(&self, send_timeout: Duration) -> Duration {
        send_timeout * self.batch_size.div_ceil(self.concurrency.max(1))
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn smtp_urls_require_starttls_unless_told_otherwise() {
        let parsed = parse_smtp_url("smtp://certif:s3cret@mail.example.org:587").unwrap();
        assert_eq!(
            parsed.url.expose_secret(),
            "smtp://certif:s3cret@mail.example.org:587?tls=required"
        );
        assert!(!parsed.redacted.contains("s3cret"));
        let opportunistic = parse_smtp_url("smtp://mail.example.org?tls=opportunistic").unwrap();
        assert!(
            opportunistic
                .url
                .expose_secret()
                .ends_with("?tls=opportunistic")
        );
        let implicit = parse_smtp_url("smtps://certif:s3cret@mail.example.org").unwrap();
        assert_eq!(
            implicit.url.expose_secret(),
            "smtps://certif:s3cret@mail.example.org"
        );
        let plain = parse_smtp_url("smtp://u:p@127.0.0.1:2525?tls=none").unwrap();
        assert_eq!(plain.url.expose_secret(), "smtp://u:p@127.0.0.1:2525");
    }

    #[test]
    fn bad_smtp_urls_are_refused_with_the_password_hidden() {
        for (url, expected) in [
            ("smtp://u:s3cret@mail.example.org?tls=none", "in clear"),
            ("http://mail.example.org", "scheme"),
            ("smtp://mail.example.org?tls=maybe", "tls must be"),
            ("smtp://mail.example.org?timeout=3", "unknown parameter"),
            ("smtps://mail.example.org?tls=none", "always TLS"),
            ("mail.example.org", "expected smtp://"),
        ] {
            let error = parse_smtp_url(url).unwrap_err();
            assert_eq!(error.name, "SMTP_URL");
            assert!(error.reason.contains(expected), "{url}: {}", error.reason);
            assert!(!error.value.contains("s3cret"), "{}", error.value);
        }
    }

    #[test]
    fn the_lease_must_outlast_a_batch() {
        let config = OutboxConfig::default();
        assert!(config.lease > config.longest_batch(DEFAULT_SEND_TIMEOUT));
        assert_eq!(
            config.longest_batch(Duration::from_secs(30)),
            Duration::from_secs(4 * 30)
        );
    }

    #[test]
    fn webhook_urls_are_https_or_loopback_and_never_logged_whole() {
        let timeout = Duration::from_secs(10);
        let hook = parse_webhook_url("https://chat.example.org/hooks/s3cretkey", timeout).unwrap();
        assert_eq!(hook.redacted, "https://chat.example.org/…");
        assert_eq!(
            hook.url.expose_secret(),
            "https://chat.example.org/hooks/s3cretkey"
        );
        let local = parse_webhook_url("http://127.0.0.1:8065/hooks/abc", timeout).unwrap();
        assert_eq!(local.redacted, "http://127.0.0.1:8065/…");
        for (url, expected) in [
            ("http://chat.example.org/hooks/s3cretkey", "in clear"),
            ("ftp://chat.example.org/hooks/s3cretkey", "scheme"),
            ("chat.example.org/hooks/s3cretkey", "expected https://"),
        ] {
            let error = parse_webhook_url(url, timeout).unwrap_err();
            assert_eq!(error.name, "CHAT_WEBHOOK_URL");
            assert!(error.reason.contains(expected), "{url}: {}", error.reason);
            assert!(!error.value.contains("s3cretkey"), "{}", error.value);
        }
    }

    #[test]
    fn the_default_schedules_are_valid_cron_expressions() {
        let config = SchedulerConfig::default();
        for expression in [
            &config.heartbeat_cron,
            &config.session_cycle_cron,
            &config.reminders_cron,
            &config.results_cron,
            &config.letters_cron,
        ] {
            crate::jobs::check_cron(expression).unwrap();
        }
        assert!(matches!(config.chat, ChatConfig::Files { .. }));
        assert_eq!(config.jobs.public_url.as_str(), "http://127.0.0.1:8080");
    }

    #[test]
    fn the_default_sender_is_on_beta_gouv_fr() {
        let mail = MailConfig::default();
        assert_eq!(mail.domain(), "beta.gouv.fr");
        assert_eq!(
            mail.from.to_string(),
            "\"Certification beta.gouv.fr\" <certification@beta.gouv.fr>"
        );
        assert_eq!(mail.reply_to.to_string(), "contact@beta.gouv.fr");
    }
}
