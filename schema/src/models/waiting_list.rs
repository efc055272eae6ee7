//! People waiting to be told when registration opens next. Each entry holds the hash of the
//! token of its unsubscribe link; a new announcement rotates it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{Email, SessionId};
use crate::schema::waiting_list;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = waiting_list, check_for_backend(diesel::pg::Pg))]
pub struct WaitingListEntry {
    pub id: uuid::Uuid,
    pub email: Email,
    #[diesel(column_name = unsubscribe_token_sha256)]
    pub unsubscribe_token_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub announced_session_id: Option<SessionId>,
}

impl WaitingListEntry {
    /// Adds the address; `None` when it is already on the list (nothing changes then).
    pub async fn join(
        conn: &mut AsyncPgConnection,
        email: &Email,
        unsubscribe_token_hash: Vec<u8>,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::insert_into(waiting_list::table)
            .values((
                waiting_list::email.eq(email),
                waiting_list::unsubscribe_token_sha256.eq(unsubscribe_token_hash),
                waiting_list::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Removes the entry whose unsubscribe token has this hash; `false` when there is none.
    pub async fn leave(
        conn: &mut AsyncPgConnection,
        unsubscribe_token_hash: &[u8],
    ) -> QueryResult<bool> {
        diesel::delete(
            waiting_list::table
                .filter(waiting_list::unsubscribe_token_sha256.eq(unsubscribe_token_hash)),
        )
        .execute(conn)
        .await
        .map(|deleted| deleted == 1)
    }

    /// Entries not yet told about `session`, oldest first (the scheduler announces to them).
    pub async fn not_announced(
        conn: &mut AsyncPgConnection,
        session: SessionId,
    ) -> QueryResult<Vec<Self>> {
        waiting_list::table
            .filter(waiting_list::announced_session_id.is_distinct_from(Some(session)))
            .order(waiting_list::created_at.asc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Records that the entry was told about `session` and replaces its unsubscribe token (the
    /// announcement carries the new link; the old one stops working). A compare-and-swap:
    /// `false` when the entry is gone or was already told, so that the caller queues nothing.
    pub async fn mark_announced(
        conn: &mut AsyncPgConnection,
        id: uuid::Uuid,
        session: SessionId,
        unsubscribe_token_hash: Vec<u8>,
    ) -> QueryResult<bool> {
        diesel::update(waiting_list::table.find(id))
            .filter(waiting_list::announced_session_id.is_distinct_from(Some(session)))
            .set((
                waiting_list::announced_session_id.eq(session),
                waiting_list::unsubscribe_token_sha256.eq(unsubscribe_token_hash),
            ))
            .execute(conn)
            .await
            .map(|updated| updated == 1)
    }
}
