//! Where chat posts leave: an incoming webhook (`POST` JSON `{"text": "…"}`, which Mattermost
//! and the Tchap bridges take), or, with no `CHAT_WEBHOOK_URL`, one JSON file per post next to
//! the `.eml` files, holding exactly what would have been posted.

use std::path::PathBuf;

use schema::models::OutboxMessage;
use secrecy::{ExposeSecret, SecretString};

use crate::config::ChatConfig;
use crate::mail::smtp::tls_client_config;
use crate::mail::transport::write_file;

/// Why the chat transport could not be set up (at start).
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("the chat webhook {url} cannot be used: {reason}")]
    Webhook { url: String, reason: String },
}

/// Why a post did not leave. Its text is what the outbox records: what failed and the
/// server's answer, never the webhook's URL (its secret).
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// The webhook answered with an error status.
    #[error("chat webhook answered {status}: {body}")]
    Refused {
        status: reqwest::StatusCode,
        body: String,
    },
    /// No answer: the server is unreachable, the connection failed, or it timed out.
    #[error("chat webhook: {0}")]
    Network(#[source] reqwest::Error),
    #[error("encoding the chat post: {0}")]
    Encode(#[source] serde_json::Error),
    #[error("writing the chat file: {0}")]
    File(#[source] std::io::Error),
}

impl PostError {
    /// Whether trying again cannot help: a 4xx answer (the hook is gone, the post is refused),
    /// except 408 (timeout) and 429 (too many requests). 5xx answers and network errors pass.
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::Refused { status, .. } => {
                status.is_client_error()
                    && *status != reqwest::StatusCode::REQUEST_TIMEOUT
                    && *status != reqwest::StatusCode::TOO_MANY_REQUESTS
            }
            // The same text would fail the same way.
            Self::Encode(_) => true,
            Self::Network(_) | Self::File(_) => false,
        }
    }
}

/// The one way chat posts leave.
#[derive(Clone)]
pub enum ChatTransport {
    Webhook {
        client: reqwest::Client,
        url: SecretString,
        redacted: String,
    },
    Files(PathBuf),
}

impl std::fmt::Debug for ChatTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Webhook { redacted, .. } => write!(f, "ChatTransport::Webhook({redacted})"),
            Self::Files(dir) => write!(f, "ChatTransport::Files({})", dir.display()),
        }
    }
}

impl ChatTransport {
    /// Builds the HTTP client (rustls with the ring provider and the webpki roots, no
    /// redirects, the configured timeout) or notes the folder.
    pub fn new(config: &ChatConfig) -> Result<Self, ChatError> {
        match config {
            ChatConfig::Webhook(webhook) => {
                let failed = |reason: String| ChatError::Webhook {
                    url: webhook.redacted.clone(),
                    reason,
                };
                let tls = tls_client_config().map_err(|error| failed(error.to_string()))?;
                let client = reqwest::Client::builder()
                    .tls_backend_preconfigured(tls)
                    .timeout(webhook.timeout)
                    .connect_timeout(webhook.timeout)
                    // The webhook's URL is its secret: never follow it elsewhere.
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(concat!("certif/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|error| failed(error.to_string()))?;
                tracing::info!(webhook = %webhook.redacted, "Chat posts go to this webhook.");
                Ok(Self::Webhook {
                    client,
                    url: webhook.url.clone(),
                    redacted: webhook.redacted.clone(),
                })
            }
            ChatConfig::Files { dir } => {
                tracing::info!(folder = %dir.display(), "CHAT_WEBHOOK_URL is unset: chat posts are written to files in this folder.");
                Ok(Self::Files(dir.clone()))
            }
        }
    }

    /// Posts `text`.
    pub async fn post(&self, message: &OutboxMessage, text: &str) -> Result<(), PostError> {
        let payload = serde_json::json!({ "text": text });
        match self {
            Self::Webhook { client, url, .. } => send(client, url, &payload).await,
            Self::Files(dir) => {
                let bytes = serde_json::to_vec_pretty(&payload).map_err(PostError::Encode)?;
                write_file(dir, &file_name(message), &bytes)
                    .await
                    .map_err(PostError::File)
            }
        }
    }
}

/// One `POST`; any 2xx answer is success (Mattermost answers `200 ok`).
async fn send(
    client: &reqwest::Client,
    url: &SecretString,
    payload: &serde_json::Value,
) -> Result<(), PostError> {
    let response = client
        .post(url.expose_secret())
        .json(payload)
        .send()
        .await
        .map_err(|error| PostError::Network(error.without_url()))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let body = response.text().await.unwrap_or_default();
    Err(PostError::Refused { status, body })
}

/// `<file_stem>.json`: next to the `.eml` files, the same name on every attempt.
pub fn file_name(message: &OutboxMessage) -> String {
    format!("{}.json", crate::mail::transport::file_stem(message))
}
