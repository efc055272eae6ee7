//! The certification's figures for the équipe animation: per session and across all sessions
//! (what counts is described in `schema::models::statistics`). Also as CSV:
//! `GET /export/statistiques.csv`.

use async_graphql::{Context, ID, Object, SimpleObject};
use schema::domain::SessionId;
use schema::models::statistics::{self, CoachFigures, CompetenceFigures, Figures};

use super::{parse_id, state};
use crate::error::{ApiError, ApiResult};
use crate::graphql::guards::Access;

#[derive(Default)]
pub struct StatisticsQuery;

fn count(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// How often a competence was acquired in the orals held.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CompetenceStatistics {
    pub name: String,
    /// Its place in the grid (1 for the first).
    pub position: i32,
    /// Orals held where the jury marked it.
    pub assessed: i32,
    pub acquired: i32,
    /// Acquired per assessment, from 0 to 1; null when never assessed.
    pub acquisition_rate: Option<f64>,
}

impl From<CompetenceFigures> for CompetenceStatistics {
    fn from(figures: CompetenceFigures) -> Self {
        Self {
            acquisition_rate: figures.acquisition_rate(),
            name: figures.name,
            position: figures.position,
            assessed: count(figures.assessed),
            acquired: count(figures.acquired),
        }
    }
}

/// The orals one coach held.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct CoachStatistics {
    pub coach_id: ID,
    pub name: String,
    /// As the coach of the oral's slot.
    pub orals_as_coach: i32,
    /// As the second juror.
    pub orals_as_second_juror: i32,
}

impl From<CoachFigures> for CoachStatistics {
    fn from(figures: CoachFigures) -> Self {
        Self {
            coach_id: ID(figures.user_id.to_string()),
            name: figures.name,
            orals_as_coach: count(figures.as_coach),
            orals_as_second_juror: count(figures.as_second_juror),
        }
    }
}

/// The figures of a session, or of all sessions.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct StatisticsFigures {
    /// Applications whose email was confirmed.
    pub registrations: i32,
    /// Registrations with a positive eligibility verdict (after any override).
    pub eligible: i32,
    /// Applications whose dossier was found complete (carried-over ones included).
    pub dossiers_complete: i32,
    /// Orals whose result is published with a decision other than absent.
    pub orals_held: i32,
    pub laureates: i32,
    /// Laureates per oral held, from 0 to 1; null before any oral is held.
    pub success_rate: Option<f64>,
    /// The acquisition rate of each competence, in the grid's order.
    pub competences: Vec<CompetenceStatistics>,
    /// The orals held per coach, the most first.
    pub coaches: Vec<CoachStatistics>,
}

impl From<Figures> for StatisticsFigures {
    fn from(figures: Figures) -> Self {
        Self {
            success_rate: figures.success_rate(),
            registrations: count(figures.registrations),
            eligible: count(figures.eligible),
            dossiers_complete: count(figures.dossiers_complete),
            orals_held: count(figures.orals_held),
            laureates: count(figures.laureates),
            competences: figures.competences.into_iter().map(Into::into).collect(),
            coaches: figures.coaches.into_iter().map(Into::into).collect(),
        }
    }
}

/// One session's figures.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct SessionStatistics {
    pub session_id: ID,
    /// « Session de mai 2027 ».
    pub label: String,
    pub year: i32,
    pub month: i32,
    pub figures: StatisticsFigures,
}

impl From<statistics::SessionStatistics> for SessionStatistics {
    fn from(session: statistics::SessionStatistics) -> Self {
        Self {
            session_id: ID(session.session_id.to_string()),
            label: session.label(),
            year: session.year,
            month: session.month,
            figures: session.figures.into(),
        }
    }
}

/// What the figures of all sessions weigh in a request's complexity (`GRAPHQL_MAX_COMPLEXITY`,
/// 500 by default): they aggregate every table, so a request may ask them a few times, not
/// hundreds of times through aliases. One session's figures weigh a fifth of it.
const STATISTICS_COST: usize = 100;

/// Every session's figures, oldest first, and the same across all sessions.
#[derive(SimpleObject)]
#[graphql(serial)]
pub struct Statistics {
    pub sessions: Vec<SessionStatistics>,
    pub overall: StatisticsFigures,
}

#[Object]
impl StatisticsQuery {
    /// One session's figures: registrations, eligible, complete dossiers, orals held,
    /// laureates, success rate, acquisition rate per competence, orals per coach.
    #[graphql(
        guard = "Access::Admin",
        complexity = "STATISTICS_COST / 5 + child_complexity"
    )]
    async fn session_statistics(
        &self,
        ctx: &Context<'_>,
        session_id: ID,
    ) -> ApiResult<SessionStatistics> {
        let session: SessionId = parse_id(&session_id, "session")?;
        let mut conn = state(ctx)?.db().await?;
        statistics::of_session(&mut conn, session)
            .await?
            .map(Into::into)
            .ok_or(ApiError::NotFound("Session"))
    }

    /// The figures of every session, and across all of them.
    #[graphql(
        guard = "Access::Admin",
        complexity = "STATISTICS_COST + child_complexity"
    )]
    async fn statistics(&self, ctx: &Context<'_>) -> ApiResult<Statistics> {
        let mut conn = state(ctx)?.db().await?;
        let all = statistics::all(&mut conn).await?;
        Ok(Statistics {
            sessions: all.sessions.into_iter().map(Into::into).collect(),
            overall: all.overall.into(),
        })
    }
}
