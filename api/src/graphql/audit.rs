//! The audit log, for the équipe animation.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::models::AuditEntry as AuditRow;

use super::state;
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;

#[derive(Default)]
pub struct AuditQuery;

/// One recorded action.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct AuditEntry {
    pub id: ID,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<ID>,
    /// A dotted name such as `user.login_failed`.
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub client_addr: Option<String>,
    /// Identifiers and reasons, as JSON text (never a password or a token).
    pub details: String,
}

#[Object]
impl AuditQuery {
    /// The most recent entries of the audit log (at most 500).
    #[graphql(guard = "Access::Admin")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] limit: i32,
    ) -> ApiResult<Vec<AuditEntry>> {
        if !(1..=500).contains(&limit) {
            return Err(ApiError::bad_input(
                "La limite doit être comprise entre 1 et 500.",
            ));
        }
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        let rows = AuditRow::recent(&mut conn, limit.into()).await?;
        Ok(rows
            .into_iter()
            .map(|row| AuditEntry {
                id: ID(row.id.to_string()),
                occurred_at: row.occurred_at,
                actor_user_id: row.actor_user_id.map(|id| ID(id.to_string())),
                action: row.action,
                subject_type: row.subject_type,
                subject_id: row.subject_id,
                client_addr: row.client_addr,
                details: row.details.to_string(),
            })
            .collect())
    }
}
