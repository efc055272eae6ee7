//! Chat posts in the outbox (`MessageKind::is_chat`): claimed, retried and parked like mail,
//! but rendered from their one text template and posted to the chat webhook instead of being
//! composed and sent by SMTP. A retry after a lost claim may post twice: the webhook has no
//! idempotency key (delivery stays at least once).

use schema::messages::Message;
use schema::models::OutboxMessage;

use super::{AttemptError, Dispatcher};

impl Dispatcher {
    /// Renders and posts one claimed chat post.
    pub(super) async fn attempt_chat(
        &self,
        message: &OutboxMessage,
        parsed: &Message,
    ) -> Result<(), AttemptError> {
        let inner = &self.inner;
        let text = inner.templates.render_chat(parsed)?;
        inner.chat.post(message, &text).await?;
        Ok(())
    }
}
