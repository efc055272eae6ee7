//! Domain types that cannot hold a bad value, and the pure rules of the certification.
//! Nothing here queries the database or the network; the values stored in columns carry their
//! own conversions (`ids`, and `stored_text` for those stored as text).

pub mod application_state;
pub mod availability;
pub mod booking;
pub mod eligibility;
pub mod email;
pub mod evaluation;
pub mod french;
pub mod ids;
pub mod links;
pub mod password_policy;
pub mod public_url;
pub mod reminders;
pub mod role;
pub mod session_calendar;
pub(crate) mod stored_text;

pub use application_state::ApplicationState;
pub use availability::OralMode;
pub use booking::{BookingState, SlotState};
pub use eligibility::{
    CandidateFacts, EligibilityRules, Ineligibility, Verdict, check_eligibility,
};
pub use email::Email;
pub use evaluation::{Decision, DecisionRule, EvaluationState};
pub use ids::{
    ApplicationId, AuthSessionId, BookingId, CandidateId, CertificateId, CompetenceId,
    EvaluationId, GridId, LetterId, OutboxMessageId, SessionId, SlotId, TokenId, UserId,
};
pub use public_url::PublicUrl;
pub use role::Role;
pub use session_calendar::{CalendarDefaults, SessionCalendar, SessionMonth, SessionPhase};
