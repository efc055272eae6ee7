//! Subscribed calendar feeds: one per coach or admin, reached by a secret token of which only
//! the SHA-256 is stored. Rotating replaces the hash, so the old URL stops at once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::UserId;
use crate::models::User;
use crate::schema::{calendar_feeds, users};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = calendar_feeds, primary_key(user_id), check_for_backend(diesel::pg::Pg))]
pub struct CalendarFeed {
    pub user_id: UserId,
    pub token_sha256: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

impl CalendarFeed {
    /// Creates the user's feed or replaces its token (one statement: no window where both the
    /// old and the new token work).
    pub async fn rotate(
        conn: &mut AsyncPgConnection,
        user: UserId,
        token_hash: Vec<u8>,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::user_id.eq(user),
                calendar_feeds::token_sha256.eq(&token_hash),
                calendar_feeds::created_at.eq(now),
            ))
            .on_conflict(calendar_feeds::user_id)
            .do_update()
            .set((
                calendar_feeds::token_sha256.eq(&token_hash),
                calendar_feeds::created_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// Removes the user's feed; `true` when there was one.
    pub async fn revoke(conn: &mut AsyncPgConnection, user: UserId) -> QueryResult<bool> {
        let deleted = diesel::delete(calendar_feeds::table.find(user))
            .execute(conn)
            .await?;
        Ok(deleted > 0)
    }

    /// The owner of the feed whose token hashes to `token_hash`, if that account is active.
    pub async fn owner(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
    ) -> QueryResult<Option<User>> {
        calendar_feeds::table
            .inner_join(users::table)
            .filter(calendar_feeds::token_sha256.eq(token_hash))
            .filter(users::active.eq(true))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }
}
