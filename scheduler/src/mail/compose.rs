//! Turns a rendered outbox message into a MIME message: stable Message-ID on our domain, Date,
//! From, Reply-To, To, Subject, and a `multipart/alternative` of text and HTML.

use std::time::SystemTime;

use lettre::Message;
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use schema::models::OutboxMessage;

use super::templates::Rendered;
use crate::config::MailConfig;

/// Why a rendered message could not be made into a MIME message (it is parked as dead).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient {0:?} is not a valid address")]
    Recipient(String),
    #[error("the message cannot be built: {0}")]
    Build(#[from] lettre::error::Error),
}

/// The Message-ID of an outbox row: the same for every attempt, from any dispatcher.
pub fn message_id(message: &OutboxMessage, domain: &str) -> String {
    format!("<{}@{domain}>", message.id)
}

/// Builds the message. Everything comes from the row (its id, its creation time, its data)
/// and the configuration, so every attempt produces the same message.
pub fn compose(
    config: &MailConfig,
    message: &OutboxMessage,
    rendered: Rendered,
) -> Result<Message, ComposeError> {
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|_| ComposeError::Recipient(message.recipient.clone()))?;
    let built = Message::builder()
        .message_id(Some(message_id(message, config.domain())))
        .date(SystemTime::from(message.created_at))
        .from(config.from.clone())
        .reply_to(config.reply_to.clone())
        .to(to)
        .subject(rendered.subject)
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(rendered.text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(rendered.html),
                ),
        )?;
    Ok(built)
}
