//! Chat posts in the outbox (`MessageKind::is_chat`): claimed, retried and parked like mail,
//! but rendered from their one text template and posted to the chat webhook instead of being
//! composed and sent by SMTP. A retry after a lost claim may post twice: the webhook has no
//! idempotency key (delivery stays at least once).

use schema::models::{MessageKind, OutboxMessage};

use super::{AttemptError, Dispatcher};

/// Whether the row is a chat post rather than an email.
pub(super) fn is_chat(message: &OutboxMessage) -> bool {
    message
        .kind
        .parse::<MessageKind>()
        .is_ok_and(MessageKind::is_chat)
}

impl Dispatcher {
    /// Renders and posts one claimed chat post.
    pub(super) async fn attempt_chat(&self, message: &OutboxMessage) -> Result<(), AttemptError> {
        let inner = &self.inner;
        let text = inner.templates.render_chat(&message.kind, &message.data)?;
        inner.chat.post(message, &text).await?;
        Ok(())
    }
}
