//! A certification session row and its queries.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{SessionCalendar, SessionId, SessionMonth, SessionPhase};
use crate::schema::certification_sessions;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = certification_sessions, check_for_backend(diesel::pg::Pg))]
pub struct CertificationSession {
    pub id: SessionId,
    pub year: i32,
    pub month: i32,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub dossier_deadline_at: DateTime<Utc>,
    pub orals_start_at: DateTime<Utc>,
    pub orals_end_at: DateTime<Utc>,
    pub results_at: DateTime<Utc>,
    pub letters_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = certification_sessions)]
struct NewCertificationSession {
    year: i32,
    month: i32,
    registration_opens_at: DateTime<Utc>,
    registration_closes_at: DateTime<Utc>,
    dossier_deadline_at: DateTime<Utc>,
    orals_start_at: DateTime<Utc>,
    orals_end_at: DateTime<Utc>,
    results_at: DateTime<Utc>,
    letters_at: DateTime<Utc>,
}

impl CertificationSession {
    /// The month the session is named after.
    pub fn session_month(&self) -> Option<SessionMonth> {
        let month = u32::try_from(self.month).ok()?;
        SessionMonth::new(self.year, month).ok()
    }

    /// « Session de mai 2027 », « Session d'octobre 2027 ».
    pub fn label(&self) -> String {
        match self.session_month() {
            Some(month) => month.session_name(),
            None => format!("Session {}-{:02}", self.year, self.month),
        }
    }

    pub fn calendar(&self) -> SessionCalendar {
        SessionCalendar {
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            dossier_deadline_at: self.dossier_deadline_at,
            orals_start_at: self.orals_start_at,
            orals_end_at: self.orals_end_at,
            results_at: self.results_at,
            letters_at: self.letters_at,
        }
    }

    pub fn phase_at(&self, now: DateTime<Utc>) -> SessionPhase {
        self.calendar().phase_at(now, self.cancelled_at.is_some())
    }

    /// Creates the session of `month` with `calendar`; fails with a unique violation when that
    /// month already has one.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        month: SessionMonth,
        calendar: &SessionCalendar,
    ) -> QueryResult<Self> {
        diesel::insert_into(certification_sessions::table)
            .values(NewCertificationSession {
                year: month.year(),
                month: month.month() as i32,
                registration_opens_at: calendar.registration_opens_at,
                registration_closes_at: calendar.registration_closes_at,
                dossier_deadline_at: calendar.dossier_deadline_at,
                orals_start_at: calendar.orals_start_at,
                orals_end_at: calendar.orals_end_at,
                results_at: calendar.results_at,
                letters_at: calendar.letters_at,
            })
            .returning(Self::as_returning())
            .get_result(conn)
            .await
    }

    /// Creates the session of `month` unless that month has one: `None` when it had (the
    /// unique constraint on the month decides, so instances racing create it once).
    pub async fn create_if_missing(
        conn: &mut AsyncPgConnection,
        month: SessionMonth,
        calendar: &SessionCalendar,
    ) -> QueryResult<Option<Self>> {
        diesel::insert_into(certification_sessions::table)
            .values(NewCertificationSession {
                year: month.year(),
                month: month.month() as i32,
                registration_opens_at: calendar.registration_opens_at,
                registration_closes_at: calendar.registration_closes_at,
                dossier_deadline_at: calendar.dossier_deadline_at,
                orals_start_at: calendar.orals_start_at,
                orals_end_at: calendar.orals_end_at,
                results_at: calendar.results_at,
                letters_at: calendar.letters_at,
            })
            .on_conflict((certification_sessions::year, certification_sessions::month))
            .do_nothing()
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// The sessions whose registration is open at `now` (not cancelled), earliest first.
    pub async fn open_for_registration(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<Self>> {
        certification_sessions::table
            .filter(certification_sessions::cancelled_at.is_null())
            .filter(certification_sessions::registration_opens_at.le(now))
            .filter(certification_sessions::registration_closes_at.gt(now))
            .order(certification_sessions::registration_opens_at.asc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: SessionId) -> QueryResult<Option<Self>> {
        certification_sessions::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The sessions with these ids, in no particular order (one statement whatever their
    /// number): what a list of applications shows of their sessions.
    pub async fn find_many(
        conn: &mut AsyncPgConnection,
        ids: &[SessionId],
    ) -> QueryResult<Vec<Self>> {
        certification_sessions::table
            .filter(certification_sessions::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
            .await
    }

    pub async fn find_by_month(
        conn: &mut AsyncPgConnection,
        month: SessionMonth,
    ) -> QueryResult<Option<Self>> {
        certification_sessions::table
            .filter(certification_sessions::year.eq(month.year()))
            .filter(certification_sessions::month.eq(month.month() as i32))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Every session, the most recent opening first.
    pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Self>> {
        certification_sessions::table
            .order(certification_sessions::registration_opens_at.desc())
            .select(Self::as_select())
            .load(conn)
            .await
    }

    /// Cancels a session that is not cancelled yet (compare-and-swap); `None` if it was.
    pub async fn cancel(
        conn: &mut AsyncPgConnection,
        id: SessionId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(certification_sessions::table.find(id))
            .filter(certification_sessions::cancelled_at.is_null())
            .set((
                certification_sessions::cancelled_at.eq(now),
                certification_sessions::cancel_reason.eq(reason),
                certification_sessions::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    /// Replaces the calendar (already checked by `SessionCalendar::new`); `None` if unknown.
    pub async fn update_calendar(
        conn: &mut AsyncPgConnection,
        id: SessionId,
        calendar: &SessionCalendar,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Self>> {
        diesel::update(certification_sessions::table.find(id))
            .set((
                certification_sessions::registration_opens_at.eq(calendar.registration_opens_at),
                certification_sessions::registration_closes_at.eq(calendar.registration_closes_at),
                certification_sessions::dossier_deadline_at.eq(calendar.dossier_deadline_at),
                certification_sessions::orals_start_at.eq(calendar.orals_start_at),
                certification_sessions::orals_end_at.eq(calendar.orals_end_at),
                certification_sessions::results_at.eq(calendar.results_at),
                certification_sessions::letters_at.eq(calendar.letters_at),
                certification_sessions::updated_at.eq(now),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}
