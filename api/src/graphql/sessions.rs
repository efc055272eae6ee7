//! Certification sessions: the calendar and phase of each, readable by everyone (candidates
//! see the current and next session before they have an account).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::domain::{SessionCalendar, SessionId, SessionMonth, SessionPhase as DomainPhase};
use schema::models::CertificationSession as SessionRow;

use super::{client, parse_id, state};
use crate::error::{ApiError, ApiResult, sentence};
use crate::graphql::guards::Access;
use crate::workflows::sessions;

#[derive(Default)]
pub struct SessionQuery;

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionQuery {
    /// Every certification session, the most recent opening first.
    #[graphql(guard = "Access::Public")]
    async fn certification_sessions(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<CertificationSession>> {
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        let now = state.clock.now();
        let rows = SessionRow::list(&mut conn).await?;
        Ok(rows
            .into_iter()
            .map(|row| CertificationSession::from_row(row, now))
            .collect())
    }

    /// The current session and the next one (neither closed nor cancelled), in calendar order,
    /// each with what happens next: what candidates see before they have an account.
    #[graphql(guard = "Access::Public")]
    async fn current_sessions(&self, ctx: &Context<'_>) -> ApiResult<Vec<CertificationSession>> {
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        let now = state.clock.now();
        let mut rows = SessionRow::list(&mut conn).await?;
        rows.reverse();
        Ok(rows
            .into_iter()
            .filter(|row| {
                !matches!(
                    row.phase_at(now),
                    DomainPhase::Closed | DomainPhase::Cancelled
                )
            })
            .take(2)
            .map(|row| CertificationSession::from_row(row, now))
            .collect())
    }

    /// One certification session, or null when there is none with this id.
    #[graphql(guard = "Access::Public")]
    async fn certification_session(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<CertificationSession>> {
        let id: SessionId = parse_id(&id, "session")?;
        let state = state(ctx)?;
        let mut conn = state.db().await?;
        let now = state.clock.now();
        Ok(SessionRow::find(&mut conn, id)
            .await?
            .map(|row| CertificationSession::from_row(row, now)))
    }
}

/// Where a session stands, derived from its calendar and the current date.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "DomainPhase")]
pub enum SessionPhase {
    /// Registration has not opened yet.
    Upcoming,
    /// Candidates may register.
    RegistrationOpen,
    /// Registration is closed; dossiers are being completed.
    Dossiers,
    /// Orals are being held.
    Orals,
    /// Orals are over; results and letters are on their way.
    Deliberation,
    /// The session is over.
    Closed,
    /// The équipe animation cancelled the session.
    Cancelled,
}

/// A certification session (two a year, in May and December by default).
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CertificationSession {
    pub id: ID,
    pub year: i32,
    pub month: i32,
    /// « Session de mai 2027 ».
    pub label: String,
    pub phase: SessionPhase,
    /// The phase in French, for display.
    pub phase_label: String,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub dossier_deadline_at: DateTime<Utc>,
    pub orals_start_at: DateTime<Utc>,
    pub orals_end_at: DateTime<Utc>,
    pub results_at: DateTime<Utc>,
    /// When letters leave for the laureates' administrations (« ~Jour 40 »).
    pub letters_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// What happens next in this session, with its date (null once the session is over).
    pub next_step: Option<NextStep>,
}

/// The next date of a session.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct NextStep {
    /// In French, e.g. « Clôture des inscriptions ».
    pub label: String,
    pub at: DateTime<Utc>,
}

fn next_step(row: &SessionRow, phase: DomainPhase) -> Option<NextStep> {
    let (label, at) = match phase {
        DomainPhase::Upcoming => ("Ouverture des inscriptions", row.registration_opens_at),
        DomainPhase::RegistrationOpen => ("Clôture des inscriptions", row.registration_closes_at),
        DomainPhase::Dossiers => ("Date limite des dossiers", row.dossier_deadline_at),
        DomainPhase::Orals => ("Fin des oraux", row.orals_end_at),
        DomainPhase::Deliberation => ("Courriers aux administrations", row.letters_at),
        DomainPhase::Closed | DomainPhase::Cancelled => return None,
    };
    Some(NextStep {
        label: label.to_owned(),
        at,
    })
}

impl CertificationSession {
    pub(crate) fn from_row(row: SessionRow, now: DateTime<Utc>) -> Self {
        let phase = row.phase_at(now);
        Self {
            id: ID(row.id.to_string()),
            label: row.label(),
            phase: phase.into(),
            phase_label: phase.label().to_owned(),
            year: row.year,
            month: row.month,
            registration_opens_at: row.registration_opens_at,
            registration_closes_at: row.registration_closes_at,
            dossier_deadline_at: row.dossier_deadline_at,
            orals_start_at: row.orals_start_at,
            orals_end_at: row.orals_end_at,
            results_at: row.results_at,
            letters_at: row.letters_at,
            cancelled_at: row.cancelled_at,
            next_step: next_step(&row, phase),
        }
    }
}

/// A session's dates, as the équipe animation edits them.
#[derive(InputObject)]
pub struct SessionCalendarInput {
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub dossier_deadline_at: DateTime<Utc>,
    pub orals_start_at: DateTime<Utc>,
    pub orals_end_at: DateTime<Utc>,
    pub results_at: DateTime<Utc>,
    pub letters_at: DateTime<Utc>,
}

#[Object]
impl SessionMutation {
    /// Creates the session of a month with the default calendar (the scheduler also keeps the
    /// next two sessions created).
    #[graphql(guard = "Access::Admin")]
    async fn create_session(
        &self,
        ctx: &Context<'_>,
        year: i32,
        month: i32,
    ) -> ApiResult<CertificationSession> {
        let month = u32::try_from(month)
            .ok()
            .and_then(|month| SessionMonth::new(year, month).ok())
            .ok_or_else(|| {
                ApiError::bad_input("Choisissez une année entre 2000 et 2100 et un mois de 1 à 12.")
            })?;
        let row = sessions::create(state(ctx)?, client(ctx), admin(ctx)?, month).await?;
        Ok(CertificationSession::from_row(row, state(ctx)?.clock.now()))
    }

    /// Replaces a session's calendar (the dates must follow each other).
    #[graphql(guard = "Access::Admin")]
    async fn update_session_calendar(
        &self,
        ctx: &Context<'_>,
        id: ID,
        calendar: SessionCalendarInput,
    ) -> ApiResult<CertificationSession> {
        let calendar = SessionCalendar::new(
            calendar.registration_opens_at,
            calendar.registration_closes_at,
            calendar.dossier_deadline_at,
            calendar.orals_start_at,
            calendar.orals_end_at,
            calendar.results_at,
            calendar.letters_at,
        )
        .map_err(|error| ApiError::bad_input(sentence(error)))?;
        let row = sessions::set_calendar(
            state(ctx)?,
            client(ctx),
            admin(ctx)?,
            parse_id::<SessionId>(&id, "session")?,
            calendar,
            "session.calendar_changed",
        )
        .await?;
        Ok(CertificationSession::from_row(row, state(ctx)?.clock.now()))
    }

    /// Opens registration now, before the planned date.
    #[graphql(guard = "Access::Admin")]
    async fn open_registration_now(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<CertificationSession> {
        let state = state(ctx)?;
        let id = parse_id::<SessionId>(&id, "session")?;
        let row = sessions::open_registration_now(state, client(ctx), admin(ctx)?, id).await?;
        Ok(CertificationSession::from_row(row, state.clock.now()))
    }

    /// Extends registration until `until` (at the latest the dossier deadline).
    #[graphql(guard = "Access::Admin")]
    async fn extend_registration(
        &self,
        ctx: &Context<'_>,
        id: ID,
        until: DateTime<Utc>,
    ) -> ApiResult<CertificationSession> {
        let state = state(ctx)?;
        let id = parse_id::<SessionId>(&id, "session")?;
        let row = sessions::extend_registration(state, client(ctx), admin(ctx)?, id, until).await?;
        Ok(CertificationSession::from_row(row, state.clock.now()))
    }

    /// Cancels a session, with a reason.
    #[graphql(guard = "Access::Admin")]
    async fn cancel_session(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> ApiResult<CertificationSession> {
        let row = sessions::cancel(
            state(ctx)?,
            client(ctx),
            admin(ctx)?,
            parse_id::<SessionId>(&id, "session")?,
            &reason,
        )
        .await?;
        Ok(CertificationSession::from_row(row, state(ctx)?.clock.now()))
    }
}

fn admin<'a>(ctx: &Context<'a>) -> ApiResult<&'a schema::models::User> {
    super::viewer(ctx).user().ok_or(ApiError::Forbidden)
}
