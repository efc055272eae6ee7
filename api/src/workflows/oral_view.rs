//! What a candidate sees of their own oral: through the emailed booking link (the booking
//! page) or from their space, with whether they may still move it and the calendar file that
//! adds it to their own agenda.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use schema::calendar;
use schema::domain::ApplicationId;
use schema::models::{Application, Booking, Candidate, CertificationSession, OralDetails};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::workflows::booking::MIN_NOTICE;

/// The candidate's active oral.
pub struct CandidateOral {
    pub details: OralDetails,
    /// Until when the candidate may move it themselves (48 hours before it).
    pub changeable_until: DateTime<Utc>,
    pub can_reschedule: bool,
    /// The oral as an iCalendar file (no attendee, no method): « ajouter à mon agenda ».
    pub calendar_file: String,
}

/// What a booking link opens: whose application, in which session, and its oral if booked.
pub struct BookingLinkView {
    pub application: Application,
    pub session: CertificationSession,
    pub candidate_name: String,
    pub oral: Option<CandidateOral>,
}

/// The booking page's context for `token` (`TOKEN_INVALID` for an unknown or expired link).
pub async fn by_link(state: &AppState, token: &str) -> ApiResult<BookingLinkView> {
    let now = state.clock.now();
    let mut conn = state.db().await?;
    let (application, session) =
        crate::workflows::booking::from_link(&mut conn, token, now).await?;
    let candidate = Candidate::find(&mut conn, application.candidate_id)
        .await?
        .ok_or_else(|| ApiError::Internal("an application without its candidate".to_owned()))?;
    let oral = active_oral(&mut conn, state, application.id, now).await?;
    Ok(BookingLinkView {
        application,
        session,
        candidate_name: candidate.display_name,
        oral,
    })
}

/// The confirmed oral of an application, if any, as its candidate sees it (one statement).
pub async fn active_oral(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    application: ApplicationId,
    now: DateTime<Utc>,
) -> ApiResult<Option<CandidateOral>> {
    let oral = Booking::confirmed_of_applications(conn, &[application])
        .await?
        .into_iter()
        .next();
    Ok(oral.map(|details| candidate_oral(details, state, now)))
}

/// A confirmed oral as its candidate sees it at `now`.
pub fn candidate_oral(details: OralDetails, state: &AppState, now: DateTime<Utc>) -> CandidateOral {
    let changeable_until = details.slot.starts_at - MIN_NOTICE;
    let event = calendar::feed_event(&details, &state.config.organizer_email);
    let calendar_file = calendar::feed(
        "Oral de certification beta.gouv.fr",
        std::slice::from_ref(&event),
    );
    CandidateOral {
        changeable_until,
        can_reschedule: now < changeable_until,
        calendar_file,
        details,
    }
}
