//! Certification sessions: the calendar and phase of each, readable by everyone (candidates
//! see the current and next session before they have an account).

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use schema::domain::{SessionId, SessionPhase as DomainPhase};
use schema::models::CertificationSession as SessionRow;

use super::state;
use crate::error::{ApiError, ApiResult};
use crate::guards::Access;

#[derive(Default)]
pub struct SessionQuery;

#[Object]
impl SessionQuery {
    /// Every certification session, the most recent opening first.
    #[graphql(guard = "Access::Public")]
    async fn certification_sessions(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<CertificationSession>> {
        let state = state(ctx)?;
        let mut conn = state.pool.get().await?;
        let now = state.clock.now();
        let rows = SessionRow::list(&mut conn).await?;
        Ok(rows
            .into_iter()
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
        let id: SessionId = id.parse().map_err(|_| {
            ApiError::bad_input(format!(
                "« {} » n'est pas un identifiant de session valide.",
                id.as_str()
            ))
        })?;
        let state = state(ctx)?;
        let mut conn = state.pool.get().await?;
        let now = state.clock.now();
        Ok(SessionRow::find(&mut conn, id)
            .await?
            .map(|row| CertificationSession::from_row(row, now)))
    }
}

/// Where a session stands, derived from its calendar and the current date.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
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

impl From<DomainPhase> for SessionPhase {
    fn from(phase: DomainPhase) -> Self {
        match phase {
            DomainPhase::Upcoming => Self::Upcoming,
            DomainPhase::RegistrationOpen => Self::RegistrationOpen,
            DomainPhase::Dossiers => Self::Dossiers,
            DomainPhase::Orals => Self::Orals,
            DomainPhase::Deliberation => Self::Deliberation,
            DomainPhase::Closed => Self::Closed,
            DomainPhase::Cancelled => Self::Cancelled,
        }
    }
}

/// A certification session (two a year, in May and December by default).
#[derive(SimpleObject)]
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
}

impl CertificationSession {
    fn from_row(row: SessionRow, now: DateTime<Utc>) -> Self {
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
        }
    }
}
