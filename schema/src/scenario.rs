//! Builds a state of the world through the models and workflows, for tests, benchmarks and the
//! demo: sessions, candidates with an application walked along the real state machine, staff,
//! slots, orals, evaluations and signed-in sessions.
//!
//! ```ignore
//! let s = Scenario::at(now);
//! let may = s.session(2027, 5).find_or_create(conn).await?;
//! let camille = s.candidate("camille@administration.example", "Camille Martin").create(conn).await?;
//! let application = s.application(camille.id, may.id).state(ApplicationState::Booked).create(conn).await?;
//! let sophie = s.coach("sophie@coachs.example", "Sophie Lefèvre").video("https://visio.example/s").create(conn).await?;
//! let oral = s.oral(&application, sophie.id, starts_at).create(conn).await?;
//! let evaluation = s.evaluation(&oral).decision(Decision::Laureate).submit(conn).await?;
//! ```
//!
//! Every step writes through `models` (and `workflows` for a result), never raw SQL, so what
//! it builds is what the product would have built. A model's refusal (a move the machine does
//! not allow, an evaluation in the wrong state) is returned as a `QueryBuilderError` naming the
//! step, so the caller's transaction rolls back with an explanation.

mod application;
mod oral;
mod people;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::domain::{CalendarDefaults, SessionCalendar, SessionMonth};
use crate::models::CertificationSession;

pub use application::{ApplicationSpec, path_to};
pub use oral::{EvaluationSpec, Oral, OralSpec, SlotSpec};
pub use people::{CandidateSpec, CoachProfileSpec, PASSWORD, UserSpec, password_hash};

/// The time every step of a scenario is written at (its rows' `created_at`, its events'
/// `occurred_at`). Cheap to copy: take another one for steps at another time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    now: DateTime<Utc>,
}

impl Scenario {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self { now }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The session of `year`-`month`, with the default calendar unless told otherwise.
    pub fn session(&self, year: i32, month: u32) -> SessionSpec {
        SessionSpec {
            month: SessionMonth::new(year, month),
            calendar: None,
        }
    }
}

/// A certification session to find or create.
#[derive(Debug, Clone)]
#[must_use = "a spec does nothing until it is created"]
pub struct SessionSpec {
    month: Result<SessionMonth, crate::domain::session_calendar::CalendarError>,
    calendar: Option<SessionCalendar>,
}

impl SessionSpec {
    /// This calendar instead of the month's default one.
    pub fn calendar(mut self, calendar: SessionCalendar) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// A calendar whose registration opens on `day_one` (the default durations after it), so
    /// that a chosen day falls in a chosen phase.
    pub fn opening_on(self, day_one: NaiveDate) -> Self {
        self.calendar(SessionCalendar::opening_on(
            day_one,
            &CalendarDefaults::default(),
        ))
    }

    fn parts(&self) -> QueryResult<(SessionMonth, SessionCalendar)> {
        let month = self
            .month
            .clone()
            .map_err(|error| refused(format!("the session's month: {error}")))?;
        let calendar = self
            .calendar
            .unwrap_or_else(|| SessionCalendar::default_for(month, &CalendarDefaults::default()));
        Ok((month, calendar))
    }

    /// Creates the session (a unique violation when the month has one).
    pub async fn create(self, conn: &mut AsyncPgConnection) -> QueryResult<CertificationSession> {
        let (month, calendar) = self.parts()?;
        CertificationSession::create(conn, month, &calendar).await
    }

    /// The month's session as it is, or created when it has none.
    pub async fn find_or_create(
        self,
        conn: &mut AsyncPgConnection,
    ) -> QueryResult<CertificationSession> {
        let (month, calendar) = self.parts()?;
        match CertificationSession::find_by_month(conn, month).await? {
            Some(session) => Ok(session),
            None => CertificationSession::create(conn, month, &calendar).await,
        }
    }
}

/// A step the models refused: the scenario contradicts a rule. Reported as a query builder
/// error so that it aborts the caller's transaction with this explanation.
pub fn refused(what: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("the scenario breaks a rule: {what}").into())
}
