//! Where mail leaves: a mail server over SMTP (lettre, pooled connections), or, with no
//! `SMTP_URL`, one `.eml` file per message that a newcomer can open.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use schema::models::OutboxMessage;
use secrecy::ExposeSecret;

use crate::config::{MailConfig, MailTransportConfig};

/// Why the transport could not be set up (at start).
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("the mail server {url} cannot be used: {reason}")]
    Smtp { url: String, reason: String },
    #[error("the mail folder {} cannot be created: {source}", dir.display())]
    Folder {
        dir: PathBuf,
        source: std::io::Error,
    },
}

/// The one way messages leave, whatever carries them.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(_) => f.write_str("Transport::Smtp"),
            Self::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

/// Longest error text kept on a message: enough for the server's answer, short for admins.
const MAX_ERROR_CHARS: usize = 300;

impl Transport {
    /// Opens the transport the configuration asks for; `connections` bounds the SMTP pool.
    pub async fn new(config: &MailConfig, connections: u32) -> Result<Self, TransportError> {
        match &config.transport {
            MailTransportConfig::Smtp(smtp) => {
                let builder =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp.url.expose_secret())
                        .map_err(|error| TransportError::Smtp {
                            url: smtp.redacted.clone(),
                            reason: error.to_string(),
                        })?;
                let transport = builder
                    .timeout(Some(config.send_timeout))
                    .pool_config(
                        PoolConfig::new()
                            .max_size(connections.max(1))
                            .idle_timeout(Duration::from_secs(60)),
                    )
                    .build();
                tracing::info!(server = %smtp.redacted, "Mail leaves through this SMTP server.");
                Ok(Self::Smtp(transport))
            }
            MailTransportConfig::Files { dir } => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|source| TransportError::Folder {
                        dir: dir.clone(),
                        source,
                    })?;
                tracing::info!(folder = %dir.display(), "SMTP_URL is unset: mail is written to files in this folder.");
                Ok(Self::Files(dir.clone()))
            }
        }
    }

    /// Sends one message. The error is short, says what failed and holds no secret.
    pub async fn send(&self, outbox: &OutboxMessage, message: &Message) -> Result<(), String> {
        let outcome = match self {
            Self::Smtp(transport) => transport
                .send_raw(message.envelope(), &message.formatted())
                .await
                .map(|_| ())
                .map_err(|error| format!("SMTP: {error}")),
            Self::Files(dir) => write_file(dir, &file_name(outbox), &message.formatted())
                .await
                .map_err(|error| format!("writing the .eml file: {error}")),
        };
        outcome.map_err(|error| truncate(&error))
    }
}

/// `<created, UTC>-<kind>-<id>.eml`: sorted by time in a file list, and the same name on every
/// attempt, so a retried message overwrites its file instead of adding one.
pub fn file_name(message: &OutboxMessage) -> String {
    format!(
        "{}-{}-{}.eml",
        message.created_at.format("%Y%m%dT%H%M%SZ"),
        message.kind,
        message.id
    )
}

/// Writes the file whole or not at all: a temporary name, then a rename.
pub(crate) async fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let partial = dir.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, bytes).await?;
    tokio::fs::rename(&partial, dir.join(name)).await
}

pub fn truncate(error: &str) -> String {
    let one_line = error.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX_ERROR_CHARS) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}
