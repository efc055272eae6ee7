//! Domain types that cannot hold a bad value, and the pure rules of the certification.
//! Nothing here touches the database or the network.

pub mod email;
pub mod ids;
pub mod password_policy;
pub mod role;
pub mod session_calendar;

pub use email::Email;
pub use ids::{AuthSessionId, CandidateId, OutboxMessageId, SessionId, TokenId, UserId};
pub use role::Role;
pub use session_calendar::{CalendarDefaults, SessionCalendar, SessionMonth, SessionPhase};
