//! Where mail leaves: a mail server over SMTP (`smtp::SmtpClient`: lettre's SMTP over kept
//! connections), or, with no `SMTP_URL`, one `.eml` file per message that a newcomer can open.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::Message;
use schema::models::OutboxMessage;
use secrecy::ExposeSecret;

use super::smtp::{SmtpClient, SmtpError};
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

/// Why a message did not leave. Its text is what the outbox records (truncated); it says
/// what failed, with the server's answer, and holds no secret.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("SMTP: {0}")]
    Smtp(#[from] SmtpError),
    #[error("SMTP: no answer from the mail server within {0} s")]
    Timeout(u64),
    #[error("writing the .eml file: {0}")]
    File(#[source] std::io::Error),
}

impl SendError {
    /// Whether trying again cannot help: the server refused the message with a 5xx answer.
    /// Everything else (4xx, connection, TLS, authentication, timeouts, the disk) may pass.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Smtp(error) if error.is_permanent())
    }
}

/// The one way messages leave, whatever carries them.
#[derive(Clone)]
pub enum Transport {
    Smtp {
        client: SmtpClient,
        /// The longest a message may take, connecting included.
        timeout: Duration,
    },
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp { .. } => f.write_str("Transport::Smtp"),
            Self::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

/// Longest error text kept on a message: enough for the server's answer, short for admins.
const MAX_ERROR_CHARS: usize = 300;

impl Transport {
    /// Opens the transport the configuration asks for; `connections` bounds the SMTP
    /// connections kept open.
    pub async fn new(config: &MailConfig, connections: u32) -> Result<Self, TransportError> {
        match &config.transport {
            MailTransportConfig::Smtp(smtp) => {
                let client = SmtpClient::from_url(
                    smtp.url.expose_secret(),
                    config.send_timeout,
                    connections.max(1) as usize,
                )
                .map_err(|error| TransportError::Smtp {
                    url: smtp.redacted.clone(),
                    reason: error.to_string(),
                })?;
                tracing::info!(server = %smtp.redacted, "Mail leaves through this SMTP server.");
                Ok(Self::Smtp {
                    client,
                    timeout: config.send_timeout,
                })
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

    /// Sends one message, within the configured timeout for SMTP.
    pub async fn send(&self, outbox: &OutboxMessage, message: &Message) -> Result<(), SendError> {
        match self {
            Self::Smtp { client, timeout } => {
                let bytes = message.formatted();
                match tokio::time::timeout(*timeout, client.send(message.envelope(), &bytes)).await
                {
                    Ok(sent) => Ok(sent?),
                    Err(_) => Err(SendError::Timeout(timeout.as_secs())),
                }
            }
            Self::Files(dir) => write_file(dir, &file_name(outbox), &message.formatted())
                .await
                .map_err(SendError::File),
        }
    }
}

/// `<created, UTC, to the microsecond>-<kind>-<id>`, the name of a message's file without its
/// extension: in queuing order in a sorted file list (two messages queued within the same
/// second included), and the same on every attempt, so a retried message overwrites its file
/// instead of adding one.
pub fn file_stem(message: &OutboxMessage) -> String {
    format!(
        "{}-{}-{}",
        message.created_at.format("%Y%m%dT%H%M%S%.6fZ"),
        message.kind,
        message.id
    )
}

/// `<file_stem>.eml`.
pub fn file_name(message: &OutboxMessage) -> String {
    format!("{}.eml", file_stem(message))
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
