//! One model per file; each file holds the queries about its table as methods returning
//! diesel's `QueryResult`.

pub mod administration_letter;
pub mod application;
pub mod application_list;
pub mod audit_log;
pub mod auth_session;
pub mod booking;
pub mod calendar_feed;
pub mod candidate;
pub mod certificate;
pub mod certification_session;
pub mod cron_tick;
pub mod dossier;
pub mod evaluation;
pub mod outbox_message;
pub mod reminder_targets;
pub mod statistics;
pub mod throttle_bucket;
pub mod token;
pub mod user;
pub mod waiting_list;

pub use administration_letter::{AdministrationLetter, LetterRole};
pub use application::{Actor, Application, ApplicationEvent, MoveRefusal, NewApplication};
pub use audit_log::{AuditEntry, NewAuditEntry};
pub use auth_session::{AuthSession, LiveOwner, LiveSession, NewAuthSession, SessionOwner};
pub use booking::{BookableSlot, Booking, BookingLink, CoachProfile, OralDetails, Slot};
pub use calendar_feed::{CalendarFeed, FeedContents, FeedOrals, FeedVersions};
pub use candidate::Candidate;
pub use certificate::{Certificate, NewCertificate};
pub use certification_session::CertificationSession;
pub use cron_tick::CronTick;
pub use dossier::{DossierFile, DossierItem, DossierLink, FileKind, LinkKind, StoredFile};
pub use evaluation::{
    Competence, CompetenceGrid, DraftChanges, Evaluation, EvaluationMark, MarkChange, Signature,
    StateConflict,
};
pub use outbox_message::{CHAT_RECIPIENT, MessageKind, OutboxMessage};
pub use reminder_targets::{BookingAwaited, DossierDue};
pub use throttle_bucket::ThrottleBucket;
pub use token::{Token, TokenPurpose, TokenRefusal};
pub use user::{NewUser, User};
pub use waiting_list::WaitingListEntry;
