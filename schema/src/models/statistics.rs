//! The certification's figures for the équipe animation (issue 7, item 7): per session and
//! across all sessions, grouped in SQL: three statements whatever the number of sessions.
//!
//! What counts: a *registration* is an application whose email was confirmed (it once moved
//! from `registered` to a verdict, even if withdrawn since), or one carried over; *eligible*, one of those with a positive verdict (as it stands after any
//! override); a *complete dossier*, an application that reached `complete` at some point (a
//! candidate carried over starts there); an *oral held*, a published result whose decision is
//! not « absent » (until publication the jury may still reopen it); a *laureate*, a published
//! « lauréat » decision. Acquisition rates and orals per coach count the orals held.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{SessionId, SessionMonth, UserId};

/// The figures of one session, or of all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub registrations: i64,
    pub eligible: i64,
    pub dossiers_complete: i64,
    pub orals_held: i64,
    pub laureates: i64,
    /// In the grid's order.
    pub competences: Vec<CompetenceFigures>,
    /// The most orals first.
    pub coaches: Vec<CoachFigures>,
}

impl Figures {
    /// Laureates per oral held, from 0 to 1; `None` before any oral is held.
    pub fn success_rate(&self) -> Option<f64> {
        rate(self.laureates, self.orals_held)
    }
}

/// How often one competence was acquired in the orals held.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetenceFigures {
    pub name: String,
    /// Its place in the grid (1 for the first).
    pub position: i32,
    /// Orals held where the jury marked it (acquired or not).
    pub assessed: i64,
    pub acquired: i64,
}

impl CompetenceFigures {
    /// Acquired per assessment, from 0 to 1; `None` when never assessed.
    pub fn acquisition_rate(&self) -> Option<f64> {
        rate(self.acquired, self.assessed)
    }
}

/// The orals one coach held: as the slot's coach, and as the second juror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachFigures {
    pub user_id: UserId,
    pub name: String,
    pub as_coach: i64,
    pub as_second_juror: i64,
}

/// One session's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStatistics {
    pub session_id: SessionId,
    pub year: i32,
    pub month: i32,
    pub figures: Figures,
}

impl SessionStatistics {
    /// « Session de mai 2027 », as `CertificationSession::label` says it.
    pub fn label(&self) -> String {
        match u32::try_from(self.month)
            .ok()
            .and_then(|month| SessionMonth::new(self.year, month).ok())
        {
            Some(month) => format!("Session de {}", month.label()),
            None => format!("Session {}-{:02}", self.year, self.month),
        }
    }
}

/// Every session's figures, oldest first, and the same across all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub sessions: Vec<SessionStatistics>,
    pub overall: Figures,
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[derive(QueryableByName)]
struct CountsRow {
    #[diesel(sql_type = SqlUuid)]
    session_id: SessionId,
    #[diesel(sql_type = Integer)]
    year: i32,
    #[diesel(sql_type = Integer)]
    month: i32,
    #[diesel(sql_type = BigInt)]
    registrations: i64,
    #[diesel(sql_type = BigInt)]
    eligible: i64,
    #[diesel(sql_type = BigInt)]
    dossiers_complete: i64,
    #[diesel(sql_type = BigInt)]
    orals_held: i64,
    #[diesel(sql_type = BigInt)]
    laureates: i64,
}

#[derive(QueryableByName)]
struct CompetenceRow {
    #[diesel(sql_type = SqlUuid)]
    session_id: SessionId,
    #[diesel(sql_type = Integer)]
    position: i32,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    assessed: i64,
    #[diesel(sql_type = BigInt)]
    acquired: i64,
}

#[derive(QueryableByName)]
struct CoachRow {
    #[diesel(sql_type = SqlUuid)]
    session_id: SessionId,
    #[diesel(sql_type = SqlUuid)]
    user_id: UserId,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    as_coach: i64,
    #[diesel(sql_type = BigInt)]
    as_second_juror: i64,
}

const COUNTS: &str = "\
WITH apps AS (
    SELECT a.session_id,
        COUNT(*) FILTER (WHERE confirmed.ok) AS registrations,
        COUNT(*) FILTER (WHERE confirmed.ok AND a.eligible) AS eligible,
        COUNT(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM application_events e
            WHERE e.application_id = a.id AND e.to_state = 'complete')) AS dossiers_complete
    FROM applications a
    -- A registration counts once its email was confirmed (it left `registered` for a verdict),
    -- even if it was withdrawn later; one withdrawn before confirming does not.
    CROSS JOIN LATERAL (SELECT EXISTS (
        SELECT 1 FROM application_events e
        WHERE e.application_id = a.id AND e.from_state = 'registered'
          AND e.to_state IN ('eligible', 'ineligible'))
        OR a.carried_from IS NOT NULL AS ok) confirmed
    GROUP BY a.session_id
), results AS (
    SELECT a.session_id,
        COUNT(*) FILTER (WHERE ev.decision <> 'absent') AS orals_held,
        COUNT(*) FILTER (WHERE ev.decision = 'laureate') AS laureates
    FROM evaluations ev
    JOIN applications a ON a.id = ev.application_id
    WHERE ev.state = 'published'
    GROUP BY a.session_id
)
SELECT s.id AS session_id, s.year, s.month,
    COALESCE(apps.registrations, 0) AS registrations,
    COALESCE(apps.eligible, 0) AS eligible,
    COALESCE(apps.dossiers_complete, 0) AS dossiers_complete,
    COALESCE(results.orals_held, 0) AS orals_held,
    COALESCE(results.laureates, 0) AS laureates
FROM certification_sessions s
LEFT JOIN apps ON apps.session_id = s.id
LEFT JOIN results ON results.session_id = s.id
WHERE $1::uuid IS NULL OR s.id = $1
ORDER BY s.year, s.month";

/// Each competence of the session's grid (and of any other grid one of its evaluations used),
/// with how often it was assessed and acquired in the orals held.
const COMPETENCES: &str = "\
SELECT s.id AS session_id, c.position, c.name,
    COUNT(held.acquired) AS assessed,
    COUNT(*) FILTER (WHERE held.acquired) AS acquired
FROM certification_sessions s
JOIN competences c ON c.grid_id = s.grid_id OR c.grid_id IN (
    SELECT ev.grid_id FROM evaluations ev
    JOIN applications a ON a.id = ev.application_id
    WHERE a.session_id = s.id)
LEFT JOIN (
    SELECT a.session_id, m.competence_id, m.acquired
    FROM evaluation_marks m
    JOIN evaluations ev ON ev.id = m.evaluation_id
    JOIN applications a ON a.id = ev.application_id
    WHERE ev.state = 'published' AND ev.decision <> 'absent'
) held ON held.session_id = s.id AND held.competence_id = c.id
WHERE $1::uuid IS NULL OR s.id = $1
GROUP BY s.id, c.id, c.position, c.name
ORDER BY s.id, c.position, c.name";

/// The orals held per coach (the slot's) and per second juror with an account.
const COACHES: &str = "\
SELECT a.session_id, u.id AS user_id, u.display_name AS name,
    COUNT(*) FILTER (WHERE jury.role = 'coach') AS as_coach,
    COUNT(*) FILTER (WHERE jury.role = 'second_juror') AS as_second_juror
FROM evaluations ev
JOIN applications a ON a.id = ev.application_id
JOIN bookings b ON b.id = ev.booking_id
JOIN availability_slots sl ON sl.id = b.slot_id
CROSS JOIN LATERAL (VALUES (sl.coach_id, 'coach'), (b.second_juror_user_id, 'second_juror'))
    AS jury (user_id, role)
JOIN users u ON u.id = jury.user_id
WHERE ev.state = 'published' AND ev.decision <> 'absent'
    AND ($1::uuid IS NULL OR a.session_id = $1)
GROUP BY a.session_id, u.id, u.display_name
ORDER BY a.session_id, as_coach DESC, as_second_juror DESC, u.display_name";

/// One session's figures; `None` for an unknown session.
pub async fn of_session(
    conn: &mut AsyncPgConnection,
    session: SessionId,
) -> QueryResult<Option<SessionStatistics>> {
    Ok(load(conn, Some(session)).await?.into_iter().next())
}

/// Every session's figures and the overall ones.
pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Statistics> {
    let sessions = load(conn, None).await?;
    let overall = overall(&sessions);
    Ok(Statistics { sessions, overall })
}

async fn load(
    conn: &mut AsyncPgConnection,
    session: Option<SessionId>,
) -> QueryResult<Vec<SessionStatistics>> {
    let filter = session.map(|session| session.0);
    let counts: Vec<CountsRow> = diesel::sql_query(COUNTS)
        .bind::<Nullable<SqlUuid>, _>(filter)
        .load(conn)
        .await?;
    let competences: Vec<CompetenceRow> = diesel::sql_query(COMPETENCES)
        .bind::<Nullable<SqlUuid>, _>(filter)
        .load(conn)
        .await?;
    let coaches: Vec<CoachRow> = diesel::sql_query(COACHES)
        .bind::<Nullable<SqlUuid>, _>(filter)
        .load(conn)
        .await?;
    let mut by_session: BTreeMap<SessionId, (Vec<CompetenceFigures>, Vec<CoachFigures>)> =
        BTreeMap::new();
    for row in competences {
        by_session
            .entry(row.session_id)
            .or_default()
            .0
            .push(CompetenceFigures {
                name: row.name,
                position: row.position,
                assessed: row.assessed,
                acquired: row.acquired,
            });
    }
    for row in coaches {
        by_session
            .entry(row.session_id)
            .or_default()
            .1
            .push(CoachFigures {
                user_id: row.user_id,
                name: row.name,
                as_coach: row.as_coach,
                as_second_juror: row.as_second_juror,
            });
    }
    Ok(counts
        .into_iter()
        .map(|row| {
            let (competences, coaches) = by_session.remove(&row.session_id).unwrap_or_default();
            SessionStatistics {
                session_id: row.session_id,
                year: row.year,
                month: row.month,
                figures: Figures {
                    registrations: row.registrations,
                    eligible: row.eligible,
                    dossiers_complete: row.dossiers_complete,
                    orals_held: row.orals_held,
                    laureates: row.laureates,
                    competences,
                    coaches,
                },
            }
        })
        .collect())
}

/// The sum over sessions: competences are merged by name (grids share most of them), in the
/// order of their first position; coaches by account, the most orals first.
pub fn overall(sessions: &[SessionStatistics]) -> Figures {
    let mut total = Figures::default();
    let mut competences: Vec<CompetenceFigures> = Vec::new();
    let mut coaches: BTreeMap<UserId, CoachFigures> = BTreeMap::new();
    for session in sessions {
        let figures = &session.figures;
        total.registrations += figures.registrations;
        total.eligible += figures.eligible;
        total.dossiers_complete += figures.dossiers_complete;
        total.orals_held += figures.orals_held;
        total.laureates += figures.laureates;
        for competence in &figures.competences {
            match competences
                .iter_mut()
                .find(|known| known.name == competence.name)
            {
                Some(known) => {
                    known.assessed += competence.assessed;
                    known.acquired += competence.acquired;
                    known.position = known.position.min(competence.position);
                }
                None => competences.push(competence.clone()),
            }
        }
        for coach in &figures.coaches {
            coaches
                .entry(coach.user_id)
                .and_modify(|known| {
                    known.as_coach += coach.as_coach;
                    known.as_second_juror += coach.as_second_juror;
                })
                .or_insert_with(|| coach.clone());
        }
    }
    competences.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut coaches: Vec<CoachFigures> = coaches.into_values().collect();
    coaches.sort_by(|a, b| {
        b.as_coach
            .cmp(&a.as_coach)
            .then_with(|| b.as_second_juror.cmp(&a.as_second_juror))
            .then_with(|| a.name.cmp(&b.name))
    });
    total.competences = competences;
    total.coaches = coaches;
    total
}
