//! The candidate's view of their oral: the booking page's context (`bookingLink`) and the
//! oral shown in their space (`Application.oral`).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use schema::domain::OralMode as DomainOralMode;

use super::booking::OralMode;
use super::registration::Application;
use super::sessions::CertificationSession;
use super::state;
use crate::error::ApiResult;
use crate::graphql::guards::Access;
use crate::workflows::oral_view::{self, BookingLinkView, CandidateOral as OralRow};

#[derive(Default)]
pub struct OralViewQuery;

/// The candidate's confirmed oral.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CandidateOral {
    pub booking_id: ID,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: Option<OralMode>,
    pub coach_name: String,
    /// The video link, for an oral by video when the coach gave one.
    pub video_link: Option<String>,
    /// The coach's phone number, for an oral by phone when the coach gave one.
    pub phone: Option<String>,
    /// Raised on every move (the invitations' SEQUENCE).
    pub sequence: i32,
    /// Until when the candidate may move it with their link (48 hours before it); cancelling
    /// stays possible after.
    pub changeable_until: DateTime<Utc>,
    /// Whether moving it is still allowed now.
    pub can_reschedule: bool,
    /// The oral as an iCalendar file (no attendee), to add to one's own agenda.
    pub calendar_file: String,
}

impl From<OralRow> for CandidateOral {
    fn from(oral: OralRow) -> Self {
        let details = oral.details;
        let mode = details.booking.mode;
        Self {
            booking_id: ID(details.booking.id.to_string()),
            starts_at: details.slot.starts_at,
            ends_at: details.slot.ends_at,
            video_link: details.video_link.filter(|_| mode == DomainOralMode::Video),
            phone: details.phone.filter(|_| mode == DomainOralMode::Phone),
            mode: Some(mode.into()),
            coach_name: details.coach_name,
            sequence: details.booking.sequence,
            changeable_until: oral.changeable_until,
            can_reschedule: oral.can_reschedule,
            calendar_file: oral.calendar_file,
        }
    }
}

/// What an emailed booking link opens.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct BookingLinkInfo {
    pub candidate_name: String,
    pub application: Application,
    pub session: CertificationSession,
    /// The oral booked with this link, when there is one.
    pub oral: Option<CandidateOral>,
}

#[Object]
impl OralViewQuery {
    /// What a booking link opens: the candidate, their application and session, and their
    /// oral when it is booked (`TOKEN_INVALID` for an unknown or expired link).
    #[graphql(guard = "Access::Public")]
    async fn booking_link(&self, ctx: &Context<'_>, token: String) -> ApiResult<BookingLinkInfo> {
        let state = state(ctx)?;
        let BookingLinkView {
            application,
            session,
            candidate_name,
            oral,
        } = oral_view::by_link(state, &token).await?;
        Ok(BookingLinkInfo {
            candidate_name,
            application: application.into(),
            session: CertificationSession::from_row(session, state.clock.now()),
            oral: oral.map(Into::into),
        })
    }
}
