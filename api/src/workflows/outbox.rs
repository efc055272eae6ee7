//! The équipe animation's hand on the outbox: a message parked as dead is sent again.

use diesel_async::AsyncConnection;
use schema::domain::{OutboxMessageId, UserId};
use schema::models::{NewAuditEntry, OutboxMessage};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::viewer::Client;

/// `admin` sends a dead message again (its attempts start over), with its audit entry, in one
/// transaction.
pub async fn resend(
    state: &AppState,
    client: &Client,
    admin: UserId,
    message: OutboxMessageId,
) -> ApiResult<OutboxMessage> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let resent = OutboxMessage::resend(conn, message, now)
            .await?
            .ok_or(ApiError::NotFound("Message en échec"))?;
        NewAuditEntry {
            actor_user_id: Some(admin),
            action: "outbox.message_resent",
            subject_type: Some("outbox_message"),
            subject_id: Some(resent.id.to_string()),
            client_addr: client.addr.as_deref(),
            details: json!({ "kind": resent.kind }),
        }
        .append(conn)
        .await?;
        Ok(resent)
    })
    .await
}
