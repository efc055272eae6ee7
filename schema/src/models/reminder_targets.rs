//! Who the scheduler's reminders may be for: dossiers not submitted with a deadline ahead, and
//! complete dossiers whose oral is not booked. Each is a bounded number of statements; whether a
//! reminder is due is decided by `domain::reminders`, and sent once by its dedupe key.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::dossier::{DossierFile, DossierLink, missing_items};
use super::{Application, Candidate, CertificationSession};
use crate::domain::{ApplicationId, ApplicationState};
use crate::schema::{application_events, applications, candidates, certification_sessions};

/// A dossier the candidate may still edit, due within the horizon asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierDue {
    pub application: Application,
    pub candidate: Candidate,
    pub session: CertificationSession,
    /// The application's own deadline if an admin extended it, else the session's.
    pub deadline: DateTime<Utc>,
    /// What the dossier still lacks, in French, in the order of the dossier.
    pub missing: Vec<&'static str>,
}

/// A complete dossier whose oral is not booked, with the time its booking link was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingAwaited {
    pub application: Application,
    pub candidate: Candidate,
    pub session: CertificationSession,
    /// The event that made the application `complete`: the booking link was sent in its
    /// transaction (dossier completed, or oral cancelled).
    pub completed_event_id: i64,
    pub link_sent_at: DateTime<Utc>,
}

const DOSSIER_STATES: [ApplicationState; 3] = [
    ApplicationState::Eligible,
    ApplicationState::DossierInProgress,
    ApplicationState::Returned,
];

impl Application {
    /// The dossiers not submitted (eligible, in progress, returned) of sessions not cancelled
    /// whose deadline falls in `(now, until]`: three statements (the applications, then their
    /// links and files for what is missing).
    pub async fn dossiers_due(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> QueryResult<Vec<DossierDue>> {
        let own_deadline = applications::dossier_deadline_at;
        let session_deadline = certification_sessions::dossier_deadline_at;
        let rows: Vec<(Application, Candidate, CertificationSession)> = applications::table
            .inner_join(candidates::table.on(candidates::id.eq(applications::candidate_id)))
            .inner_join(
                certification_sessions::table
                    .on(certification_sessions::id.eq(applications::session_id)),
            )
            .filter(applications::state.eq_any(DOSSIER_STATES.map(ApplicationState::as_str)))
            .filter(certification_sessions::cancelled_at.is_null())
            .filter(
                own_deadline
                    .gt(now)
                    .and(own_deadline.le(until))
                    .or(own_deadline
                        .is_null()
                        .and(session_deadline.gt(now))
                        .and(session_deadline.le(until))),
            )
            .order((applications::created_at.asc(), applications::id.asc()))
            .select((
                Application::as_select(),
                Candidate::as_select(),
                CertificationSession::as_select(),
            ))
            .load(conn)
            .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<ApplicationId> = rows.iter().map(|(app, _, _)| app.id).collect();
        let mut links: HashMap<ApplicationId, Vec<DossierLink>> = HashMap::new();
        for link in DossierLink::of_applications(conn, &ids).await? {
            links.entry(link.application_id).or_default().push(link);
        }
        let mut files: HashMap<ApplicationId, Vec<DossierFile>> = HashMap::new();
        for (file, _) in DossierFile::of_applications(conn, &ids).await? {
            files.entry(file.application_id).or_default().push(file);
        }
        Ok(rows
            .into_iter()
            .map(|(application, candidate, session)| {
                let missing = missing_items(
                    links.get(&application.id).map_or(&[][..], Vec::as_slice),
                    files.get(&application.id).into_iter().flatten(),
                )
                .into_iter()
                .map(|item| item.label())
                .collect();
                DossierDue {
                    deadline: application
                        .dossier_deadline_at
                        .unwrap_or(session.dossier_deadline_at),
                    application,
                    candidate,
                    session,
                    missing,
                }
            })
            .collect())
    }

    /// The applications in `complete` (dossier complete, oral not booked) of sessions not
    /// cancelled whose orals are not over at `now`, each with the time it last became complete:
    /// two statements.
    pub async fn awaiting_booking(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
    ) -> QueryResult<Vec<BookingAwaited>> {
        let rows: Vec<(Application, Candidate, CertificationSession)> = applications::table
            .inner_join(candidates::table.on(candidates::id.eq(applications::candidate_id)))
            .inner_join(
                certification_sessions::table
                    .on(certification_sessions::id.eq(applications::session_id)),
            )
            .filter(applications::state.eq(ApplicationState::Complete))
            .filter(certification_sessions::cancelled_at.is_null())
            .filter(certification_sessions::orals_end_at.gt(now))
            .order((applications::created_at.asc(), applications::id.asc()))
            .select((
                Application::as_select(),
                Candidate::as_select(),
                CertificationSession::as_select(),
            ))
            .load(conn)
            .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<ApplicationId> = rows.iter().map(|(app, _, _)| app.id).collect();
        // The latest move to `complete` of each application.
        let completed: HashMap<ApplicationId, (i64, DateTime<Utc>)> = application_events::table
            .filter(application_events::application_id.eq_any(&ids))
            .filter(application_events::to_state.eq(ApplicationState::Complete))
            .distinct_on(application_events::application_id)
            .order((
                application_events::application_id,
                application_events::id.desc(),
            ))
            .select((
                application_events::application_id,
                application_events::id,
                application_events::occurred_at,
            ))
            .load::<(ApplicationId, i64, DateTime<Utc>)>(conn)
            .await?
            .into_iter()
            .map(|(application, id, at)| (application, (id, at)))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|(application, candidate, session)| {
                let (completed_event_id, link_sent_at) = *completed.get(&application.id)?;
                Some(BookingAwaited {
                    application,
                    candidate,
                    session,
                    completed_event_id,
                    link_sent_at,
                })
            })
            .collect())
    }
}
