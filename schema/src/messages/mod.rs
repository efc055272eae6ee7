//! The messages certif sends, one type per kind: what their templates see (the scheduler's
//! `templates/<kind>/`), stored as JSON in `outbox_messages.data` next to the kind, and read
//! back by the scheduler's dispatcher into the same types. A kind can only be queued with its
//! own payload: `OutboxMessage::enqueue` takes a [`Message`], which knows its [`MessageKind`].
//!
//! Adding a kind: its variant in `MessageKind`, its type in the family's file, its line in
//! `messages!` below, its sample (`testing.rs`) and its templates (the compiler and the
//! scheduler's template tests point at each place).

pub mod accounts;
pub mod chat;
pub mod oral;
pub mod registration;
pub mod reminders;
pub mod results;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

use serde_json::Value;

pub use accounts::{CandidateSignIn, PasswordReset, SignInPurpose, UserInvitation};
pub use chat::ChatAnnouncement;
pub use oral::{BookingInvitation, OralFacts, OralMessage, OralRemoval, RemovedAs};
pub use registration::{RegistrationOpened, RegistrationReceived, WaitingListJoined};
pub use reminders::{BookingReminder, DossierDeadlineReminder, OralReminderCandidate, Video};
pub use results::{
    AdministrationLetterMessage, CertificateSnapshot, CompetenceFeedback, LetterSnapshot,
    ResultPublished,
};

/// The kinds of message certif sends; each has its templates in the scheduler
/// (`scheduler/templates/<kind>/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Someone was taken off an oral that goes on without them (a move to another coach's
    /// slot, a second juror replaced or removed): CANCEL with the raised SEQUENCE, to them only.
    OralRemoved,
    /// The équipe animation found the dossier complete: the candidate may book their oral.
    BookingInvitation,
    /// Registration to a session opened: to each address on the waiting list (with a new
    /// unsubscribe link).
    RegistrationOpened,
    /// Registration to a session opened: the post to the community chat (not an email: the
    /// dispatcher sends it to `CHAT_WEBHOOK_URL`).
    ChatAnnouncement,
    /// The dossier is due in 7 days, or tomorrow, and is not submitted.
    DossierDeadlineReminder,
    /// The booking link was sent 5 days ago and no oral is booked (with a new link).
    BookingReminder,
    /// The oral is tomorrow: to the candidate, with the revision videos.
    OralReminderCandidate,
    /// The oral is tomorrow: to the coach and the second juror.
    OralReminderJury,
    /// The jury's result, with the feedback per competence (and, for a laureate, the
    /// certificate as a PDF attachment).
    ResultPublished,
    /// The letter to a laureate's administration (HR or line manager), as a PDF attachment.
    AdministrationLetter,
}

impl MessageKind {
    /// Every kind, for checks that each one has its templates.
    pub const ALL: [Self; 18] = [
        Self::UserInvitation,
        Self::PasswordReset,
        Self::CandidateSignIn,
        Self::RegistrationReceived,
        Self::WaitingListJoined,
        Self::BookingInvitation,
        Self::OralConfirmed,
        Self::OralMoved,
        Self::OralCancelled,
        Self::OralRemoved,
        Self::RegistrationOpened,
        Self::ChatAnnouncement,
        Self::DossierDeadlineReminder,
        Self::BookingReminder,
        Self::OralReminderCandidate,
        Self::OralReminderJury,
        Self::ResultPublished,
        Self::AdministrationLetter,
    ];

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
            Self::OralRemoved => "oral_removed",
            Self::BookingInvitation => "booking_invitation",
            Self::RegistrationOpened => "registration_opened",
            Self::ChatAnnouncement => "chat_announcement",
            Self::DossierDeadlineReminder => "dossier_deadline_reminder",
            Self::BookingReminder => "booking_reminder",
            Self::OralReminderCandidate => "oral_reminder_candidate",
            Self::OralReminderJury => "oral_reminder_jury",
            Self::ResultPublished => "result_published",
            Self::AdministrationLetter => "administration_letter",
        }
    }

    /// Whether the message is a post to the community chat rather than an email.
    pub fn is_chat(self) -> bool {
        matches!(self, Self::ChatAnnouncement)
    }
}

/// The `recipient` of chat posts: the column holds an address (a CHECK), and a `.invalid`
/// domain (RFC 2606) can never receive mail; the webhook itself is configuration.
pub const CHAT_RECIPIENT: &str = "webhook@chat.invalid";

impl std::str::FromStr for MessageKind {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| format!("unknown message kind {value:?}"))
    }
}

/// Why a stored message cannot be read back: it is parked as dead with this text.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("unknown message kind {0:?}: no templates")]
    UnknownKind(String),
    #[error("the stored data of this {kind} message does not parse: {error}")]
    Data {
        kind: &'static str,
        error: serde_json::Error,
    },
}

/// One message of each kind, its variant named as its kind; the `match`es it generates are
/// exhaustive, so no kind lacks its type.
macro_rules! messages {
    ($($kind:ident($payload:ty),)*) => {
        /// A message of any kind, with what its templates show.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Message {
            $($kind($payload),)*
        }

        impl Message {
            /// Its kind: the `kind` column, and its templates' folder.
            pub fn kind(&self) -> MessageKind {
                match self {
                    $(Self::$kind(_) => MessageKind::$kind,)*
                }
            }

            /// What is stored in the `data` column.
            pub fn to_data(&self) -> serde_json::Result<Value> {
                match self {
                    $(Self::$kind(payload) => serde_json::to_value(payload),)*
                }
            }

            /// A message of `kind` read back from its stored `data`.
            pub fn from_data(kind: MessageKind, data: Value) -> Result<Self, MessageError> {
                let parsed = match kind {
                    $(MessageKind::$kind => serde_json::from_value(data).map(Self::$kind),)*
                };
                parsed.map_err(|error| MessageError::Data {
                    kind: kind.as_str(),
                    error,
                })
            }
        }
    };
}

messages! {
    UserInvitation(UserInvitation),
    PasswordReset(PasswordReset),
    CandidateSignIn(CandidateSignIn),
    RegistrationReceived(RegistrationReceived),
    WaitingListJoined(WaitingListJoined),
    BookingInvitation(BookingInvitation),
    OralConfirmed(OralMessage),
    OralMoved(OralMessage),
    OralCancelled(OralMessage),
    OralRemoved(OralRemoval),
    RegistrationOpened(RegistrationOpened),
    ChatAnnouncement(ChatAnnouncement),
    DossierDeadlineReminder(DossierDeadlineReminder),
    BookingReminder(BookingReminder),
    OralReminderCandidate(OralReminderCandidate),
    OralReminderJury(OralFacts),
    ResultPublished(ResultPublished),
    AdministrationLetter(AdministrationLetterMessage),
}

impl Message {
    /// A stored message read back: its `kind` and `data` columns.
    pub fn from_stored(kind: &str, data: &Value) -> Result<Self, MessageError> {
        let kind: MessageKind = kind
            .parse()
            .map_err(|_| MessageError::UnknownKind(kind.to_owned()))?;
        Self::from_data(kind, data.clone())
    }

    /// The oral and its invitation, for the oral's iTIP messages.
    pub fn oral(&self) -> Option<&OralMessage> {
        match self {
            Self::OralConfirmed(message)
            | Self::OralMoved(message)
            | Self::OralCancelled(message) => Some(message),
            Self::OralRemoved(removal) => Some(&removal.message),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_its_name_and_has_a_sample_of_its_own_kind() {
        for kind in MessageKind::ALL {
            assert_eq!(kind.as_str().parse::<MessageKind>(), Ok(kind));
            assert_eq!(testing::sample(kind).kind(), kind);
        }
        assert!("carrier_pigeon".parse::<MessageKind>().is_err());
    }

    #[test]
    fn every_sample_reads_back_from_what_is_stored() {
        for kind in MessageKind::ALL {
            let message = testing::sample(kind);
            let data = message.to_data().unwrap();
            assert!(data.is_object(), "{kind:?}");
            assert_eq!(Message::from_stored(kind.as_str(), &data).unwrap(), message);
        }
    }

    #[test]
    fn a_payload_that_does_not_parse_or_an_unknown_kind_says_so() {
        let error = Message::from_stored(
            "password_reset",
            &serde_json::json!({ "display_name": "B" }),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the stored data of this password_reset message does not parse: missing field `link`"
        );
        let error = Message::from_stored("carrier_pigeon", &serde_json::json!({})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown message kind \"carrier_pigeon\": no templates"
        );
    }

    #[test]
    fn oral_messages_store_the_fields_the_api_always_wrote() {
        let data = testing::sample(MessageKind::OralRemoved).to_data().unwrap();
        let mut keys: Vec<&str> = data
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "booking_id",
                "booking_link",
                "cancel_reason",
                "candidate_email",
                "candidate_name",
                "coach_email",
                "coach_name",
                "ends_at",
                "event",
                "ical_uid",
                "method",
                "mode",
                "phone",
                "removed_as",
                "second_juror_email",
                "sequence",
                "starts_at",
                "startup_name",
                "video_link",
            ]
        );
        assert_eq!(data["method"], "CANCEL");
        assert_eq!(data["removed_as"], "second_juror");
    }
}
