//! Chat posts in the outbox (`MessageKind::is_chat`): claimed, retried and parked like mail,
//! but rendered from their one text template and posted to the chat webhook instead of being
//! composed and sent by SMTP. A retry after a lost claim may post twice: the webhook has no
//! idempotency key (delivery stays at least once).

use schema::models::{MessageKind, OutboxMessage};

use super::{Dispatcher, Outcome};

/// Whether the row is a chat post rather than an email.
pub(super) fn is_chat(message: &OutboxMessage) -> bool {
    message
        .kind
        .parse::<MessageKind>()
        .is_ok_and(MessageKind::is_chat)
}

impl Dispatcher {
    /// Renders, posts and records one claimed chat post.
    pub(super) async fn deliver_chat(&self, message: OutboxMessage) -> Outcome {
        let inner = &self.inner;
        let text = match inner.templates.render_chat(&message.kind, &message.data) {
            Ok(text) => text,
            Err(error) => {
                let error = error.to_string();
                tracing::error!(message = %message.id, kind = %message.kind, %error, "A chat post cannot be rendered; it is parked as dead.");
                return self.record_dead(&message, &error).await;
            }
        };
        match inner.chat.post(&message, &text).await {
            Ok(()) => self.record_sent(&message).await,
            Err(error) => self.record_failure(&message, &error).await,
        }
    }
}
