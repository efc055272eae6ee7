//! Where chat posts leave: an incoming webhook (`POST` JSON `{"text": "…"}`, which Mattermost
//! and the Tchap bridges take), or, with no `CHAT_WEBHOOK_URL`, one JSON file per post next to
//! the `.eml` files, holding exactly what would have been posted.

use std::path::PathBuf;
use std::sync::Arc;

use schema::models::OutboxMessage;
use secrecy::{ExposeSecret, SecretString};

use crate::config::ChatConfig;
use crate::mail::transport::{truncate, write_file};

/// Why the chat transport could not be set up (at start).
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("the chat webhook {url} cannot be used: {reason}")]
    Webhook { url: String, reason: String },
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
                let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .map_err(|error| failed(error.to_string()))?
                .with_root_certificates(rustls::RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                })
                .with_no_client_auth();
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

    /// Posts `text`. The error is short, says what failed and never holds the URL.
    pub async fn post(&self, message: &OutboxMessage, text: &str) -> Result<(), String> {
        let payload = serde_json::json!({ "text": text });
        let outcome = match self {
            Self::Webhook { client, url, .. } => send(client, url, &payload).await,
            Self::Files(dir) => match serde_json::to_vec_pretty(&payload) {
                Ok(bytes) => write_file(dir, &file_name(message), &bytes)
                    .await
                    .map_err(|error| format!("writing the chat file: {error}")),
                Err(error) => Err(format!("encoding the chat post: {error}")),
            },
        };
        outcome.map_err(|error| truncate(&error))
    }
}

/// One `POST`; any 2xx answer is success (Mattermost answers `200 ok`).
async fn send(
    client: &reqwest::Client,
    url: &SecretString,
    payload: &serde_json::Value,
) -> Result<(), String> {
    let response = client
        .post(url.expose_secret())
        .json(payload)
        .send()
        .await
        .map_err(|error| format!("chat webhook: {}", error.without_url()))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let body = response.text().await.unwrap_or_default();
    Err(format!("chat webhook answered {status}: {body}"))
}

/// `<created, UTC>-<kind>-<id>.json`: next to the `.eml` files, the same name on every attempt.
pub fn file_name(message: &OutboxMessage) -> String {
    format!(
        "{}-{}-{}.json",
        message.created_at.format("%Y%m%dT%H%M%SZ"),
        message.kind,
        message.id
    )
}
