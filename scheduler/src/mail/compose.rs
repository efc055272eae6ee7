//! Turns a rendered outbox message into a MIME message: stable Message-ID on our domain, Date,
//! From, Reply-To, To, Subject, and a `multipart/alternative` of text and HTML — plus, for the
//! oral's messages, the iTIP invitation as a `text/calendar; method=…` part (RFC 6047), and for
//! a laureate's result or a letter to the administration, `multipart/mixed` [the alternatives,
//! the PDF] (`attachment.rs`).

use std::time::SystemTime;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use schema::calendar;
use schema::messages::Message;
use schema::models::OutboxMessage;

use super::attachment::{AttachmentError, pdf_attachment};
use super::templates::Rendered;
use crate::config::MailConfig;

/// Why a rendered message could not be made into a MIME message (it is parked as dead).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient {0:?} is not a valid address")]
    Recipient(String),
    #[error("the message cannot be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the calendar invitation in the data is unusable: {0}")]
    Calendar(String),
    #[error("the PDF attachment cannot be rendered: {0}")]
    Attachment(#[from] AttachmentError),
}

/// The Message-ID of an outbox row: the same for every attempt, from any dispatcher.
pub fn message_id(message: &OutboxMessage, domain: &str) -> String {
    format!("<{}@{domain}>", message.id)
}

/// Builds the message. Everything comes from the row (its id, its creation time, its data,
/// read back as `parsed`) and the configuration, so every attempt produces the same message.
pub fn compose(
    config: &MailConfig,
    message: &OutboxMessage,
    parsed: &Message,
    rendered: Rendered,
) -> Result<lettre::Message, ComposeError> {
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|_| ComposeError::Recipient(message.recipient.clone()))?;
    let mut alternatives = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(rendered.text),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(rendered.html),
        );
    // Calendar apps read the last alternative they understand: the invitation comes last.
    if let Some(invitation) = invitation_part(config, message, parsed)? {
        alternatives = alternatives.singlepart(invitation);
    }
    let attachment = match pdf_attachment(parsed) {
        Ok(attachment) => attachment,
        // A result must reach the candidate even if their certificate cannot be drawn (a
        // character no font has): the email says where to verify it; the error is logged.
        Err(error) if matches!(parsed, Message::ResultPublished(_)) => {
            tracing::error!(message = %message.id, %error, "The certificate cannot be attached; the result goes out without it.");
            None
        }
        Err(error) => return Err(error.into()),
    };
    let body = match attachment {
        Some(pdf) => MultiPart::mixed().multipart(alternatives).singlepart(pdf),
        None => alternatives,
    };
    let built = lettre::Message::builder()
        .message_id(Some(message_id(message, config.domain())))
        .date(SystemTime::from(message.created_at))
        .from(config.from.clone())
        .reply_to(config.reply_to.clone())
        .to(to)
        .subject(rendered.subject)
        .multipart(body)?;
    Ok(built)
}

/// The invitation of an oral message (its `event` and `method`), or `None` for a message
/// without one. The organizer is the sending address and DTSTAMP the time the change was
/// queued, so every attempt carries the same calendar data.
pub fn invitation_part(
    config: &MailConfig,
    message: &OutboxMessage,
    parsed: &Message,
) -> Result<Option<SinglePart>, ComposeError> {
    let Some(oral) = parsed.oral() else {
        return Ok(None);
    };
    let mut event = oral.event.clone();
    event.organizer_email = config.from.email.to_string();
    let ics = calendar::invitation(&event, oral.method, message.created_at);
    let content_type = ContentType::parse(&format!(
        "text/calendar; method={}; charset=UTF-8",
        oral.method.as_str()
    ))
    .map_err(|error| ComposeError::Calendar(error.to_string()))?;
    Ok(Some(SinglePart::builder().header(content_type).body(ics)))
}
