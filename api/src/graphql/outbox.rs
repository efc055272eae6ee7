//! Messages that could not be delivered (dead letters), for the équipe animation: see them
//! with their error, and send them again.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::domain::OutboxMessageId;
use schema::models::OutboxMessage;

use super::{client, parse_id, state, viewer};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;
use crate::workflows::outbox;

#[derive(Default)]
pub struct OutboxQuery;

#[derive(Default)]
pub struct OutboxMutation;

/// A message parked after its last failed attempt.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct DeadMessage {
    pub id: ID,
    /// The kind of message, e.g. `oral_confirmed`.
    pub kind: String,
    pub recipient: String,
    pub attempts: i32,
    /// The last delivery error.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<OutboxMessage> for DeadMessage {
    fn from(message: OutboxMessage) -> Self {
        Self {
            id: ID(message.id.to_string()),
            kind: message.kind,
            recipient: message.recipient,
            attempts: message.attempts,
            last_error: message.last_error,
            created_at: message.created_at,
        }
    }
}

#[Object]
impl OutboxQuery {
    /// Messages that could not be delivered, the oldest first (at most 200 a page).
    #[graphql(guard = "Access::Admin")]
    async fn dead_messages(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: i32,
        #[graphql(default)] offset: i32,
    ) -> ApiResult<Vec<DeadMessage>> {
        if !(1..=200).contains(&first) || offset < 0 {
            return Err(ApiError::bad_input("Une page compte de 1 à 200 messages."));
        }
        let mut conn = state(ctx)?.db().await?;
        Ok(
            OutboxMessage::list_dead(&mut conn, first.into(), offset.into())
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }
}

#[Object]
impl OutboxMutation {
    /// Sends a dead message again (its attempts start over).
    #[graphql(guard = "Access::Admin")]
    async fn resend_message(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let message: OutboxMessageId = parse_id(&id, "message")?;
        let admin = viewer(ctx).user().ok_or(ApiError::Forbidden)?;
        outbox::resend(state(ctx)?, client(ctx), admin.id, message).await?;
        Ok(true)
    }
}
