//! The outbox: messages written in the same transaction as the change that causes them, and
//! delivered later by the scheduler's dispatcher (claim with a lease, send, record the outcome).

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::{Email, OutboxMessageId};
pub use crate::messages::{CHAT_RECIPIENT, MessageKind};
use crate::messages::{Message, MessageError};
use crate::schema::outbox_messages;

/// Where a message is in its delivery (column `state`).
pub mod state {
    /// Waiting for `next_attempt_at`.
    pub const PENDING: &str = "pending";
    /// Claimed by a dispatcher until `locked_until`.
    pub const SENDING: &str = "sending";
    /// Accepted by the mail server (or written to a file).
    pub const SENT: &str = "sent";
    /// Given up on after the last attempt: shown to admins, who may send it again.
    pub const DEAD: &str = "dead";
    /// Stopped before it left (its letter was re-addressed, its certificate revoked): never
    /// sent, and not among the dead letters an admin may send again.
    pub const CANCELLED: &str = "cancelled";
}

/// The error recorded when a lease expires: the dispatcher stopped before recording the outcome.
pub const LEASE_EXPIRED_ERROR: &str =
    "the dispatcher stopped before recording the outcome (lease expired)";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = outbox_messages, check_for_backend(diesel::pg::Pg))]
pub struct OutboxMessage {
    pub id: OutboxMessageId,
    pub kind: String,
    pub recipient: String,
    pub data: serde_json::Value,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub claimed_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
}

impl OutboxMessage {
    /// Queues a message; call it inside the transaction of the change that causes it. Its kind
    /// is the message's own.
    pub async fn enqueue(
        conn: &mut AsyncPgConnection,
        recipient: &Email,
        message: &Message,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(outbox_messages::table)
            .values((
                outbox_messages::kind.eq(message.kind().as_str()),
                outbox_messages::recipient.eq(recipient.as_str()),
                outbox_messages::data.eq(stored(message)?),
                outbox_messages::next_attempt_at.eq(now),
                outbox_messages::created_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// Queues a message once per `dedupe_key` (a reminder, an announcement): `None` when a
    /// message with this key was already queued, by this run or another instance. The unique
    /// constraint decides, so two transactions racing queue it once.
    pub async fn enqueue_once(
        conn: &mut AsyncPgConnection,
        recipient: &Email,
        message: &Message,
        dedupe_key: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::insert_into(outbox_messages::table)
            .values((
                outbox_messages::kind.eq(message.kind().as_str()),
                outbox_messages::recipient.eq(recipient.as_str()),
                outbox_messages::data.eq(stored(message)?),
                outbox_messages::next_attempt_at.eq(now),
                outbox_messages::created_at.eq(now),
                outbox_messages::dedupe_key.eq(dedupe_key),
            ))
            .on_conflict(outbox_messages::dedupe_key)
            .do_nothing()
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// The message read back from the row (`kind` and `data`): an error when the kind is
    /// unknown or the data is not that kind's payload (the dispatcher parks the row as dead).
    pub fn message(&self) -> Result<Message, MessageError> {
        Message::from_stored(&self.kind, &self.data)
    }

    /// The message queued under `dedupe_key`, if any.
    pub async fn find_by_dedupe_key(
        conn: &mut AsyncPgConnection,
        dedupe_key: &str,
    ) -> QueryResult<Option<Self>> {
        outbox_messages::table
            .filter(outbox_messages::dedupe_key.eq(dedupe_key))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: OutboxMessageId) -> QueryResult<Self> {
        outbox_messages::table
            .find(id)
            .select(Self::as_select())
            .get_result(conn)
            .await
    }

    /// The messages queued for a recipient, oldest first (admins' view, tests).
    pub async fn for_recipient(
        conn: &mut AsyncPgConnection,
        recipient: &Email,
    ) -> QueryResult<Vec<Self>> {
        outbox_messages::table
            .filter(outbox_messages::recipient.eq(recipient.as_str()))
            .order(outbox_messages::created_at.asc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Claims up to `limit` due messages for `claimer`, oldest due first: in one short
    /// transaction, `SELECT … FOR UPDATE SKIP LOCKED` (rows another dispatcher is claiming are
    /// skipped, not waited for), then marks them `sending` until `now + lease`. It commits on
    /// return, so no transaction stays open while the mail server talks.
    pub async fn claim_due(
        conn: &mut AsyncPgConnection,
        claimer: &str,
        now: DateTime<Utc>,
        lease: TimeDelta,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut claimed: Vec<Self> = conn
            .transaction(async |conn| {
                let due: Vec<OutboxMessageId> = outbox_messages::table
                    .filter(outbox_messages::state.eq(state::PENDING))
                    .filter(outbox_messages::next_attempt_at.le(now))
                    .order(outbox_messages::next_attempt_at.asc())
                    .limit(limit)
                    .select(outbox_messages::id)
                    .for_update()
                    .skip_locked()
                    .load(conn)
                    .await?;
                if due.is_empty() {
                    return Ok(Vec::new());
                }
                diesel::update(outbox_messages::table.filter(outbox_messages::id.eq_any(due)))
                    .set((
                        outbox_messages::state.eq(state::SENDING),
                        outbox_messages::claimed_by.eq(claimer),
                        outbox_messages::locked_until.eq(now + lease),
                        outbox_messages::last_attempt_at.eq(now),
                    ))
                    .returning(Self::as_returning())
                    .get_results(conn)
                    .await
            })
            .await?;
        claimed.sort_by_key(|message| (message.next_attempt_at, message.created_at));
        Ok(claimed)
    }

    /// Takes back the messages whose lease expired (their dispatcher died mid-send): each one
    /// counts as a failed attempt, since it may or may not have left, and goes back to the queue
    /// at once, or to `dead` when it was the last attempt. Returns how many were taken back.
    pub async fn release_expired_leases(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
        max_attempts: i32,
    ) -> QueryResult<usize> {
        let expired = outbox_messages::state
            .eq(state::SENDING)
            .and(outbox_messages::locked_until.le(now));
        let dead = diesel::update(outbox_messages::table)
            .filter(expired)
            .filter(outbox_messages::attempts.ge(max_attempts - 1))
            .set((
                outbox_messages::state.eq(state::DEAD),
                outbox_messages::attempts.eq(outbox_messages::attempts + 1),
                outbox_messages::locked_until.eq(None::<DateTime<Utc>>),
                outbox_messages::last_error.eq(LEASE_EXPIRED_ERROR),
            ))
            .execute(conn)
            .await?;
        let retried = diesel::update(outbox_messages::table)
            .filter(expired)
            .set((
                outbox_messages::state.eq(state::PENDING),
                outbox_messages::attempts.eq(outbox_messages::attempts + 1),
                outbox_messages::next_attempt_at.eq(now),
                outbox_messages::locked_until.eq(None::<DateTime<Utc>>),
                outbox_messages::last_error.eq(LEASE_EXPIRED_ERROR),
            ))
            .execute(conn)
            .await?;
        Ok(dead + retried)
    }

    /// Records that the message left, and forgets its `link`: the outbox holds a sign-in or
    /// password link only until delivery. Compare-and-swap on the claim: `false` when the lease
    /// was lost to another dispatcher meanwhile (that one records its own outcome).
    pub async fn mark_sent(
        conn: &mut AsyncPgConnection,
        id: OutboxMessageId,
        claimer: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let updated = diesel::update(Self::claimed(id, claimer))
            .set((
                outbox_messages::state.eq(state::SENT),
                outbox_messages::sent_at.eq(now),
                outbox_messages::data.eq(outbox_messages::data.remove("link")),
                outbox_messages::attempts.eq(outbox_messages::attempts + 1),
                outbox_messages::locked_until.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)
            .await?;
        Ok(updated == 1)
    }

    /// `mark_sent` for a group of messages `claimer` sent, in one statement (the dispatcher
    /// records its sends a few at a time). Returns the ids recorded: one missing lost its claim
    /// meanwhile (the other dispatcher records its own outcome).
    pub async fn mark_all_sent(
        conn: &mut AsyncPgConnection,
        ids: &[OutboxMessageId],
        claimer: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<OutboxMessageId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(
            outbox_messages::table
                .filter(outbox_messages::id.eq_any(ids))
                .filter(outbox_messages::state.eq(state::SENDING))
                .filter(outbox_messages::claimed_by.eq(claimer)),
        )
        .set((
            outbox_messages::state.eq(state::SENT),
            outbox_messages::sent_at.eq(now),
            outbox_messages::data.eq(outbox_messages::data.remove("link")),
            outbox_messages::attempts.eq(outbox_messages::attempts + 1),
            outbox_messages::locked_until.eq(None::<DateTime<Utc>>),
        ))
        .returning(outbox_messages::id)
        .get_results(conn)
        .await
    }

    /// Records a failed attempt and when to try again (compare-and-swap on the claim).
    pub async fn retry_later(
        conn: &mut AsyncPgConnection,
        id: OutboxMessageId,
        claimer: &str,
        at: DateTime<Utc>,
        error: &str,
    ) -> QueryResult<bool> {
        let updated = diesel::update(Self::claimed(id, claimer))
            .set((
                outbox_messages::state.eq(state::PENDING),
                outbox_messages::attempts.eq(outbox_messages::attempts + 1),
                outbox_messages::next_attempt_at.eq(at),
                outbox_messages::locked_until.eq(None::<DateTime<Utc>>),
                outbox_messages::last_error.eq(error),
            ))
            .execute(conn)
            .await?;
        Ok(updated == 1)
    }

    /// Parks the message as dead with its error: after the last attempt, or at once when it
    /// cannot be rendered (compare-and-swap on the claim).
    pub async fn park_dead(
        conn: &mut AsyncPgConnection,
        id: OutboxMessageId,
        claimer: &str,
        error: &str,
    ) -> QueryResult<bool> {
        let updated = diesel::update(Self::claimed(id, claimer))
            .set((
                outbox_messages::state.eq(state::DEAD),
                outbox_messages::attempts.eq(outbox_messages::attempts + 1),
                outbox_messages::locked_until.eq(None::<DateTime<Utc>>),
                outbox_messages::last_error.eq(error),
            ))
            .execute(conn)
            .await?;
        Ok(updated == 1)
    }

    /// The dead letters, most recently given up on first (for the admins' view).
    pub async fn list_dead(
        conn: &mut AsyncPgConnection,
        limit: i64,
        offset: i64,
    ) -> QueryResult<Vec<Self>> {
        outbox_messages::table
            .filter(outbox_messages::state.eq(state::DEAD))
            .order((
                outbox_messages::last_attempt_at.desc().nulls_last(),
                outbox_messages::id.asc(),
            ))
            .limit(limit)
            .offset(offset)
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Sends a dead message again: compare-and-swap `dead` → `pending`, due now, attempts
    /// counted afresh (the last error stays until the next attempt). `None` when the message
    /// is not dead (already re-sent, or never dead): the caller answers with a conflict.
    pub async fn resend(
        conn: &mut AsyncPgConnection,
        id: OutboxMessageId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(
            outbox_messages::table
                .filter(outbox_messages::id.eq(id))
                .filter(outbox_messages::state.eq(state::DEAD)),
        )
        .set((
            outbox_messages::state.eq(state::PENDING),
            outbox_messages::attempts.eq(0),
            outbox_messages::next_attempt_at.eq(now),
        ))
        .returning(Self::as_returning())
        .get_result(conn)
        .await
        .optional()
    }

    /// Cancels a message that has not left yet (`pending`) with `reason`, so that it never goes
    /// out (a letter re-addressed after a correction): `cancelled`, which `resend` refuses. A
    /// message being sent or already sent is left alone; returns whether it was stopped.
    pub async fn cancel_pending(
        conn: &mut AsyncPgConnection,
        id: OutboxMessageId,
        reason: &str,
    ) -> QueryResult<bool> {
        let updated = diesel::update(
            outbox_messages::table
                .filter(outbox_messages::id.eq(id))
                .filter(outbox_messages::state.eq(state::PENDING)),
        )
        .set((
            outbox_messages::state.eq(state::CANCELLED),
            outbox_messages::last_error.eq(reason),
        ))
        .execute(conn)
        .await?;
        Ok(updated == 1)
    }

    /// The row `claimer` holds in `sending`: the condition of every outcome's compare-and-swap.
    #[diesel::dsl::auto_type(no_type_alias)]
    fn claimed<'a>(id: OutboxMessageId, claimer: &'a str) -> _ {
        let sending: &'static str = state::SENDING;
        outbox_messages::table
            .filter(outbox_messages::id.eq(id))
            .filter(outbox_messages::state.eq(sending))
            .filter(outbox_messages::claimed_by.eq(claimer))
    }
}

/// The `data` column of a message.
fn stored(message: &Message) -> QueryResult<serde_json::Value> {
    message
        .to_data()
        .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))
}
