//! The append-only audit log: who did what, when, from where. Never a password or a token.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::UserId;
use crate::schema::audit_log;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub client_addr: Option<String>,
    pub details: serde_json::Value,
}

/// One entry to append. `action` is a dotted lower-case name such as `user.login_failed`.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry<'a> {
    pub actor_user_id: Option<UserId>,
    pub action: &'a str,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<String>,
    pub client_addr: Option<&'a str>,
    pub details: serde_json::Value,
}

impl NewAuditEntry<'_> {
    /// Appends the entry; call it inside the transaction of the change it records.
    pub async fn append(self, conn: &mut AsyncPgConnection) -> QueryResult<AuditEntry> {
        diesel::insert_into(audit_log::table)
            .values(self)
            .returning(AuditEntry::as_returning())
            .get_result(conn)
            .await
    }
}

impl AuditEntry {
    /// The most recent entries first.
    pub async fn recent(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<Self>> {
        audit_log::table
            .order(audit_log::id.desc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
            .await
    }
}
