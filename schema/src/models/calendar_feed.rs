//! Subscribed calendar feeds: one per coach or admin, reached by a secret token of which only
//! the SHA-256 is stored. Rotating replaces the hash, so the old URL stops at once.
//!
//! Each feed's content has a version that the database keeps exact (triggers of the migration
//! `calendar_feed_versions` raise it in the same transaction as any change to what the feed
//! shows): `calendar_feeds.version` for the holder's own orals (`scope=mine`) and the one row
//! of `calendar_all_version` for every oral (`scope=all`). A request learns both, with the
//! owner's liveness and roles, in one indexed statement ([`CalendarFeed::versions`]).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{Role, UserId};
use crate::models::{Booking, OralDetails, User};
use crate::schema::{calendar_all_version, calendar_feeds, users};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = calendar_feeds, primary_key(user_id), check_for_backend(diesel::pg::Pg))]
pub struct CalendarFeed {
    pub user_id: UserId,
    pub token_sha256: Vec<u8>,
    pub created_at: DateTime<Utc>,
    /// The version of the holder's own calendar (`scope=mine`).
    pub version: i64,
}

/// What a feed request learns from its token before anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedVersions {
    pub user_id: UserId,
    /// The owner's roles (the owner is active).
    pub roles: Vec<Role>,
    /// The version of the owner's own calendar (`scope=mine`).
    pub mine: i64,
    /// The version of the calendar of every oral (`scope=all`).
    pub all: i64,
}

/// What one calendar of a feed shows, read in one snapshot with the version it has.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedContents {
    /// The version of this calendar in that snapshot.
    pub version: i64,
    pub owner: User,
    pub orals: Vec<OralDetails>,
}

/// Which orals a calendar lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOrals {
    /// Those the owner sits on, as the slot's coach or as second juror (`scope=mine`).
    OwnersOwn,
    /// Every oral (`scope=all`).
    Everyone,
}

/// The one version of the calendar of every oral, as a scalar subquery.
fn all_version() -> diesel::dsl::SingleValue<
    diesel::dsl::Select<calendar_all_version::table, calendar_all_version::version>,
> {
    calendar_all_version::table
        .select(calendar_all_version::version)
        .single_value()
}

type VersionsRow = (UserId, Vec<Role>, i64, Option<i64>);

/// The statement of [`CalendarFeed::versions`] (also read by a test that checks it is
/// prepared once per connection: its query id is static).
pub fn versions_query(
    token_hash: &[u8],
) -> impl diesel_async::methods::LoadQuery<'_, AsyncPgConnection, VersionsRow>
+ diesel::query_builder::QueryId
+ Send
+ '_ {
    calendar_feeds::table
        .inner_join(users::table)
        .filter(calendar_feeds::token_sha256.eq(token_hash))
        .filter(users::active.eq(true))
        .select((
            calendar_feeds::user_id,
            users::roles,
            calendar_feeds::version,
            all_version(),
        ))
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

    /// The owner, their roles and the versions of both calendars of the feed whose token
    /// hashes to `token_hash`, if that feed exists and its owner is active: one statement on
    /// the unique index of the token hash (and the primary keys of the owner and of the one
    /// `scope=all` row). Checked on every request, so a revoked or rotated token, or a
    /// deactivated account, stops at once.
    pub async fn versions(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
    ) -> QueryResult<Option<FeedVersions>> {
        let row: Option<VersionsRow> = versions_query(token_hash)
            .get_result(conn)
            .await
            .optional()?;
        Ok(row.map(|(user_id, roles, mine, all)| FeedVersions {
            user_id,
            roles,
            mine,
            all: all.unwrap_or_default(),
        }))
    }

    /// What `user`'s calendar of `orals` shows, with its version, read in one snapshot (a
    /// read-only REPEATABLE READ transaction): the bytes rendered from it belong to exactly
    /// that version, whatever commits meanwhile. `None` when the feed is gone or its owner
    /// inactive.
    pub async fn contents(
        conn: &mut AsyncPgConnection,
        user: UserId,
        orals: FeedOrals,
    ) -> QueryResult<Option<FeedContents>> {
        conn.build_transaction()
            .read_only()
            .repeatable_read()
            .run(async |conn| {
                let row: Option<(User, i64, Option<i64>)> = calendar_feeds::table
                    .inner_join(users::table)
                    .filter(calendar_feeds::user_id.eq(user))
                    .filter(users::active.eq(true))
                    .select((User::as_select(), calendar_feeds::version, all_version()))
                    .get_result(conn)
                    .await
                    .optional()?;
                let Some((owner, mine, all)) = row else {
                    return Ok(None);
                };
                let (version, orals) = match orals {
                    FeedOrals::OwnersOwn => (
                        mine,
                        Booking::orals_of_juror(conn, owner.id, &owner.email).await?,
                    ),
                    FeedOrals::Everyone => (
                        all.unwrap_or_default(),
                        Booking::orals(conn, None, None).await?,
                    ),
                };
                Ok(Some(FeedContents {
                    version,
                    owner,
                    orals,
                }))
            })
            .await
    }
}
