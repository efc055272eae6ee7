//! The outbox: messages written in the same transaction as the change that causes them, and
//! delivered later by the scheduler.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{Email, OutboxMessageId};
use crate::schema::outbox_messages;

/// The kinds of message certif sends; each has its templates in the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// An admin invited a coach or an admin: the link sets their first password.
    UserInvitation,
    /// A user asked to choose a new password.
    PasswordReset,
    /// A candidate asked for a sign-in link (or registered and must confirm their email).
    CandidateSignIn,
    /// A candidate's registration counts (email confirmed), with the eligibility verdict.
    RegistrationReceived,
    /// Someone joined the waiting list (with the unsubscribe link).
    WaitingListJoined,
    /// An oral is booked: iCalendar REQUEST, SEQUENCE 0 (to the candidate, coach, second juror).
    OralConfirmed,
    /// An oral moved: REQUEST with the same UID and the raised SEQUENCE.
    OralMoved,
    /// An oral is cancelled: CANCEL with the raised SEQUENCE (and a link to book again).
    OralCancelled,
    /// The équipe animation found the dossier complete: the candidate may book their oral.
    BookingInvitation,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserInvitation => "user_invitation",
            Self::PasswordReset => "password_reset",
            Self::CandidateSignIn => "candidate_sign_in",
            Self::RegistrationReceived => "registration_received",
            Self::WaitingListJoined => "waiting_list_joined",
            Self::OralConfirmed => "oral_confirmed",
            Self::OralMoved => "oral_moved",
            Self::OralCancelled => "oral_cancelled",
            Self::BookingInvitation => "booking_invitation",
        }
    }
}

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
}

impl OutboxMessage {
    /// Queues a message; call it inside the transaction of the change that causes it.
    pub async fn enqueue(
        conn: &mut AsyncPgConnection,
        kind: MessageKind,
        recipient: &Email,
        data: serde_json::Value,
        now: DateTime<Utc>,
    ) -> QueryResult<Self> {
        diesel::insert_into(outbox_messages::table)
            .values((
                outbox_messages::kind.eq(kind.as_str()),
                outbox_messages::recipient.eq(recipient.as_str()),
                outbox_messages::data.eq(data),
                outbox_messages::next_attempt_at.eq(now),
                outbox_messages::created_at.eq(now),
            ))
            .returning(Self::as_returning())
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
}
