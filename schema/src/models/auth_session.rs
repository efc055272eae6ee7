//! Sessions of use: one per signed-in device, found by the SHA-256 of the token the client
//! holds, ended by expiry, idleness, logout or revocation.

use crate::db::PrebuiltDsl;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Candidate, User};
use crate::domain::{AuthSessionId, CandidateId, UserId};
use crate::schema::{auth_sessions, candidates, users};

diesel::define_sql_function! {
    /// PostgreSQL's `current_setting(name)`: a function call, so that the statement using it
    /// stays cacheable as a prepared statement (a raw SQL fragment would not be).
    fn current_setting(name: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A live session as [`AuthSession::find_live`] finds it.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub session: AuthSession,
    /// Its owner's account; `None` when the session's owner is gone.
    pub owner: Option<LiveOwner>,
    /// Whether the connection's transactions are read-only (a refresh could not be written).
    pub read_only: bool,
}

/// The account a live session belongs to.
#[derive(Debug, Clone)]
pub enum LiveOwner {
    User(User),
    Candidate(Candidate),
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = auth_sessions, check_for_backend(diesel::pg::Pg))]
pub struct AuthSession {
    pub id: AuthSessionId,
    #[diesel(column_name = token_sha256)]
    pub token_hash: Vec<u8>,
    pub user_id: Option<UserId>,
    pub candidate_id: Option<CandidateId>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

/// How stale `last_seen_at` may get before a request refreshes it: reads stay reads (they work
/// on a read-only database and write nothing most of the time). So `last_seen_at` is up to this
/// much older than the last request, and a session ends between `idle_timeout` minus this and
/// `idle_timeout` after its last request.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOwner {
    User(UserId),
    Candidate(CandidateId),
}

/// A new session's facts.
#[derive(Debug, Clone)]
pub struct NewAuthSession<'a> {
    pub token_hash: Vec<u8>,
    pub owner: SessionOwner,
    pub now: DateTime<Utc>,
    pub max_age: Duration,
    pub client_addr: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

impl AuthSession {
    pub fn owner(&self) -> Option<SessionOwner> {
        match (self.user_id, self.candidate_id) {
            (Some(user), None) => Some(SessionOwner::User(user)),
            (None, Some(candidate)) => Some(SessionOwner::Candidate(candidate)),
            _ => None,
        }
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        new: NewAuthSession<'_>,
    ) -> QueryResult<Self> {
        let (user_id, candidate_id) = match new.owner {
            SessionOwner::User(user) => (Some(user), None),
            SessionOwner::Candidate(candidate) => (None, Some(candidate)),
        };
        diesel::insert_into(auth_sessions::table)
            .values((
                auth_sessions::token_sha256.eq(new.token_hash),
                auth_sessions::user_id.eq(user_id),
                auth_sessions::candidate_id.eq(candidate_id),
                auth_sessions::created_at.eq(new.now),
                auth_sessions::last_seen_at.eq(new.now),
                auth_sessions::expires_at.eq(new.now + new.max_age),
                auth_sessions::client_addr.eq(new.client_addr),
                auth_sessions::user_agent.eq(new
                    .user_agent
                    .map(|agent| agent.chars().take(300).collect::<String>())),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// The live session with this token hash — not revoked, not expired, not idle for longer
    /// than `idle_timeout` (measured from `last_seen_at`, see [`TOUCH_INTERVAL`]) — with its
    /// owner's account, and whether this connection's transactions are read-only (then
    /// [`Self::touch`] would fail). One statement that diesel prepares once per connection: every
    /// signed-in request runs it. A read: it works on a read-only database.
    pub async fn find_live(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        now: DateTime<Utc>,
        idle_timeout: Duration,
    ) -> QueryResult<Option<LiveSession>> {
        let row: Option<(Self, String, Option<User>, Option<Candidate>)> = auth_sessions::table
            .left_join(users::table)
            .left_join(candidates::table)
            .filter(auth_sessions::token_sha256.eq(token_hash))
            .filter(auth_sessions::revoked_at.is_null())
            .filter(auth_sessions::expires_at.gt(now))
            .filter(auth_sessions::last_seen_at.gt(now - idle_timeout))
            .select((
                Self::as_select(),
                current_setting("transaction_read_only"),
                Option::<User>::as_select(),
                Option::<Candidate>::as_select(),
            ))
            .limit(1)
            .prebuilt()
            .get_result(conn)
            .await
            .optional()?;
        Ok(
            row.map(|(session, read_only, user, candidate)| LiveSession {
                owner: match (session.owner(), user, candidate) {
                    (Some(SessionOwner::User(_)), Some(user), _) => Some(LiveOwner::User(user)),
                    (Some(SessionOwner::Candidate(_)), _, Some(candidate)) => {
                        Some(LiveOwner::Candidate(candidate))
                    }
                    _ => None,
                },
                read_only: read_only == "on",
                session,
            }),
        )
    }

    /// Whether `last_seen_at` is old enough to be refreshed at `now`.
    pub fn needs_touch(&self, now: DateTime<Utc>) -> bool {
        self.last_seen_at < now - TOUCH_INTERVAL
    }

    /// Refreshes `last_seen_at` (at most once per [`TOUCH_INTERVAL`]: a concurrent request may
    /// have done it already).
    pub async fn touch(
        conn: &mut AsyncPgConnection,
        id: AuthSessionId,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(auth_sessions::table)
            .filter(auth_sessions::id.eq(id))
            .filter(auth_sessions::last_seen_at.lt(now - TOUCH_INTERVAL))
            .set(auth_sessions::last_seen_at.eq(now))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The live sessions of an owner, the most recently used first.
    pub async fn list_live(
        conn: &mut AsyncPgConnection,
        owner: SessionOwner,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<Self>> {
        let query = auth_sessions::table
            .filter(auth_sessions::revoked_at.is_null())
            .filter(auth_sessions::expires_at.gt(now))
            .order(auth_sessions::last_seen_at.desc())
            .select(Self::as_select())
            .into_boxed();
        let query = match owner {
            SessionOwner::User(user) => query.filter(auth_sessions::user_id.eq(user)),
            SessionOwner::Candidate(candidate) => {
                query.filter(auth_sessions::candidate_id.eq(candidate))
            }
        };
        query.load(conn).await
    }

    /// Revokes one session of `owner`; `false` when it is not theirs or already ended.
    pub async fn revoke(
        conn: &mut AsyncPgConnection,
        id: AuthSessionId,
        owner: SessionOwner,
        now: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let target = auth_sessions::table
            .filter(auth_sessions::id.eq(id))
            .filter(auth_sessions::revoked_at.is_null());
        let revoked = match owner {
            SessionOwner::User(user) => {
                diesel::update(target.filter(auth_sessions::user_id.eq(user)))
                    .set(auth_sessions::revoked_at.eq(now))
                    .execute(conn)
                    .await?
            }
            SessionOwner::Candidate(candidate) => {
                diesel::update(target.filter(auth_sessions::candidate_id.eq(candidate)))
                    .set(auth_sessions::revoked_at.eq(now))
                    .execute(conn)
                    .await?
            }
        };
        Ok(revoked == 1)
    }

    /// Revokes every live session of `owner` except `keep`; returns how many ended.
    pub async fn revoke_all_of(
        conn: &mut AsyncPgConnection,
        owner: SessionOwner,
        keep: Option<AuthSessionId>,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        let mut query = diesel::update(auth_sessions::table)
            .filter(auth_sessions::revoked_at.is_null())
            .into_boxed();
        query = match owner {
            SessionOwner::User(user) => query.filter(auth_sessions::user_id.eq(user)),
            SessionOwner::Candidate(candidate) => {
                query.filter(auth_sessions::candidate_id.eq(candidate))
            }
        };
        if let Some(keep) = keep {
            query = query.filter(auth_sessions::id.ne(keep));
        }
        query
            .set(auth_sessions::revoked_at.eq(now))
            .execute(conn)
            .await
    }
}
