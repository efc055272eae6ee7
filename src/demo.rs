//! The demo data set (`certif demo`): one certification session in each phase around today,
//! the équipe animation, coaches, and candidates whose applications are in every state.
//! Loading it twice changes nothing. Dossier files and bookings join as their issues land.

use chrono::NaiveDate;
use chrono::{DateTime, Datelike, Days, Months, Utc};
use chrono_tz::Europe::Paris;
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::db::{DbError, Pool};
use schema::domain::{
    ApplicationState, CalendarDefaults, Email, Role, SessionCalendar, SessionMonth,
};
use schema::models::{
    Actor, Application, Candidate, CertificationSession, NewApplication, NewUser, User,
};

use crate::commands::CommandError;

/// What a load created (zero on a second load).
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub sessions_created: usize,
    pub users_created: usize,
    pub applications_created: usize,
}

/// Demo candidates: (email, name, startup, state of the application, index of the session in
/// `demo_sessions`: 0 closed, 1 deliberation, 2 orals, 3 dossiers, 4 registration open).
const CANDIDATES: [(&str, &str, &str, ApplicationState, usize); 16] = [
    (
        "camille.martin@administration.example",
        "Camille Martin",
        "Aides Jeunes",
        ApplicationState::Registered,
        4,
    ),
    (
        "dominique.petit@administration.example",
        "Dominique Petit",
        "Signalconso",
        ApplicationState::Eligible,
        4,
    ),
    (
        "alex.bernard@administration.example",
        "Alex Bernard",
        "Mon Suivi Justice",
        ApplicationState::Ineligible,
        4,
    ),
    (
        "leila.haddad@administration.example",
        "Leïla Haddad",
        "Diagoriente",
        ApplicationState::DossierInProgress,
        3,
    ),
    (
        "yann.le-goff@administration.example",
        "Yann Le Goff",
        "Zéro Logement Vacant",
        ApplicationState::Submitted,
        3,
    ),
    (
        "marie.nguyen@administration.example",
        "Marie Nguyen",
        "Carte Verte",
        ApplicationState::Returned,
        3,
    ),
    (
        "hugo.fournier@administration.example",
        "Hugo Fournier",
        "Démarches Simplifiées",
        ApplicationState::Complete,
        3,
    ),
    (
        "ines.moreau@administration.example",
        "Inès Moreau",
        "La Bonne Alternance",
        ApplicationState::Withdrawn,
        3,
    ),
    (
        "paul.girard@administration.example",
        "Paul Girard",
        "Mon Espace Santé Pro",
        ApplicationState::Booked,
        2,
    ),
    (
        "sarah.cohen@administration.example",
        "Sarah Cohen",
        "Trackdéchets",
        ApplicationState::Interviewed,
        2,
    ),
    (
        "lucas.roux@administration.example",
        "Lucas Roux",
        "Data Emploi",
        ApplicationState::Laureate,
        1,
    ),
    (
        "emma.blanc@administration.example",
        "Emma Blanc",
        "Pass Culture",
        ApplicationState::NotCertified,
        1,
    ),
    (
        "nathan.morel@administration.example",
        "Nathan Morel",
        "Aides Territoires",
        ApplicationState::Postponed,
        1,
    ),
    (
        "julie.lambert@administration.example",
        "Julie Lambert",
        "Mes Aides Réno",
        ApplicationState::Laureate,
        0,
    ),
    (
        "theo.garnier@administration.example",
        "Théo Garnier",
        "Ecolab",
        ApplicationState::NotCertified,
        0,
    ),
    (
        "chloe.mercier@administration.example",
        "Chloé Mercier",
        "Rdv Solidarités",
        ApplicationState::Laureate,
        0,
    ),
];

/// The moves from `registered` to `target`, found in the state machine itself.
fn path_to(target: ApplicationState) -> Vec<ApplicationState> {
    let mut paths = vec![vec![ApplicationState::Registered]];
    while let Some(path) = (!paths.is_empty()).then(|| paths.remove(0)) {
        let last = path[path.len() - 1];
        if last == target {
            return path[1..].to_vec();
        }
        for next in ApplicationState::ALL {
            if last.can_move_to(next) && !path.contains(&next) {
                let mut longer = path.clone();
                longer.push(next);
                paths.push(longer);
            }
        }
    }
    Vec::new()
}

/// Creates the candidate and their application in `state`, unless the candidate exists.
async fn demo_application(
    conn: &mut AsyncPgConnection,
    session: &CertificationSession,
    email: &str,
    name: &str,
    startup: &str,
    state: ApplicationState,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let Ok(email) = Email::parse(email) else {
        return Ok(false);
    };
    if Candidate::find_by_email(conn, &email).await?.is_some() {
        return Ok(false);
    }
    let candidate = Candidate::create(conn, &email, name).await?;
    Candidate::mark_email_verified(conn, candidate.id, now).await?;
    let eligible = state != ApplicationState::Ineligible;
    let slug: String = startup
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let new = NewApplication {
        candidate_id: candidate.id,
        session_id: session.id,
        employer_type: "state",
        employer_name: "Direction interministérielle du numérique".to_owned(),
        agent_status: "fonctionnaire",
        joined_programme: true,
        startup_name: startup.to_owned(),
        incubator: "Incubateur de la DINUM".to_owned(),
        product_sheet_url: format!("https://beta.gouv.fr/startups/{slug}.html"),
        intrapreneur_start: NaiveDate::from_ymd_opt(2024, if eligible { 3 } else { 11 }, 4)
            .unwrap_or_default(),
        intrapreneur_end: None,
        full_time: eligible,
        acceleration_reached: true,
        prior_certification: "none",
        hr_contact_name: Some("Service des ressources humaines".to_owned()),
        hr_contact_email: Some("rh@administration.example".to_owned()),
        manager_contact_name: None,
        manager_contact_email: None,
        letter_consent: true,
        eligible,
        eligibility_reasons: if eligible {
            serde_json::json!([])
        } else {
            serde_json::json!([
                "Il faut avoir été intrapreneur au moins 6 mois à temps plein (ou 12 mois à temps partiel)."
            ])
        },
        created_at: now,
        updated_at: now,
    };
    let application = Application::create(conn, new, Actor::Candidate(candidate.id)).await?;
    for step in path_to(state) {
        // The demo follows the machine; a refused move would be a bug in the path above.
        let _ = Application::move_to(
            conn,
            application.id,
            step,
            Actor::System,
            Some("données de démonstration"),
            now,
        )
        .await?;
    }
    Ok(true)
}

/// Demo accounts: `.example` addresses can never reach a real person.
const PEOPLE: [(&str, &str, &[Role]); 6] = [
    (
        "claire.dubois@incubateur.example",
        "Claire Dubois",
        &[Role::Admin],
    ),
    (
        "julien.moreau@incubateur.example",
        "Julien Moreau",
        &[Role::Admin, Role::Coach],
    ),
    (
        "sophie.lefevre@coachs.example",
        "Sophie Lefèvre",
        &[Role::Coach],
    ),
    (
        "karim.benali@coachs.example",
        "Karim Benali",
        &[Role::Coach],
    ),
    (
        "nathalie.rousseau@coachs.example",
        "Nathalie Rousseau",
        &[Role::Coach],
    ),
    (
        "thomas.girard@coachs.example",
        "Thomas Girard",
        &[Role::Coach],
    ),
];

pub async fn load(pool: &Pool, now: DateTime<Utc>) -> Result<DemoSummary, CommandError> {
    let mut conn = pool
        .get()
        .await
        .map_err(|error| DbError::Pool(error.to_string()))?;
    let summary = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let mut summary = DemoSummary::default();
            for (index, (month, calendar)) in demo_sessions(now).into_iter().enumerate() {
                let session = match CertificationSession::find_by_month(conn, month).await? {
                    Some(session) => session,
                    None => {
                        summary.sessions_created += 1;
                        CertificationSession::create(conn, month, &calendar).await?
                    }
                };
                for (email, name, startup, state) in CANDIDATES
                    .iter()
                    .filter(|candidate| candidate.4 == index)
                    .map(|c| (c.0, c.1, c.2, c.3))
                {
                    summary.applications_created += usize::from(
                        demo_application(conn, &session, email, name, startup, state, now).await?,
                    );
                }
            }
            for (email, name, roles) in PEOPLE {
                let Ok(email) = Email::parse(email) else {
                    continue;
                };
                if User::find_by_email(conn, &email).await?.is_none() {
                    User::create(
                        conn,
                        NewUser {
                            email: &email,
                            display_name: name,
                            roles,
                            password_hash: None,
                        },
                    )
                    .await?;
                    summary.users_created += 1;
                }
            }
            Ok(summary)
        })
        .await
        .map_err(DbError::from)?;
    Ok(summary)
}

/// Six sessions, one per phase at `now`: a closed one a year ago, one upcoming in six months,
/// and four whose calendars were moved so that today falls in registration, dossiers, orals
/// and deliberation. Each is named after a distinct month.
fn demo_sessions(now: DateTime<Utc>) -> Vec<(SessionMonth, SessionCalendar)> {
    let defaults = CalendarDefaults::default();
    let today = now.with_timezone(&Paris).date_naive();
    let month_at = |months_from_now: i32| {
        let date = if months_from_now >= 0 {
            today.checked_add_months(Months::new(months_from_now.unsigned_abs()))
        } else {
            today.checked_sub_months(Months::new(months_from_now.unsigned_abs()))
        }
        .unwrap_or(today);
        SessionMonth::new(date.year(), date.month())
    };
    let opened_days_ago = |days: u64| {
        SessionCalendar::opening_on(
            today.checked_sub_days(Days::new(days)).unwrap_or(today),
            &defaults,
        )
    };
    let mut sessions = Vec::new();
    let mut push = |months_from_now: i32, calendar: Option<SessionCalendar>| {
        if let Ok(month) = month_at(months_from_now) {
            let calendar =
                calendar.unwrap_or_else(|| SessionCalendar::default_for(month, &defaults));
            sessions.push((month, calendar));
        }
    };
    push(-12, None); // closed
    push(-3, Some(opened_days_ago(35))); // deliberation
    push(-2, Some(opened_days_ago(20))); // orals
    push(-1, Some(opened_days_ago(12))); // dossiers
    push(0, Some(opened_days_ago(2))); // registration open
    push(6, None); // upcoming
    sessions
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::domain::SessionPhase;

    #[test]
    fn every_application_state_has_a_path_in_the_machine_and_a_demo_candidate() {
        for state in ApplicationState::ALL {
            if state != ApplicationState::Registered {
                assert!(!path_to(state).is_empty(), "{state:?} is reachable");
            }
            assert!(
                CANDIDATES.iter().any(|candidate| candidate.3 == state),
                "a demo candidate is {state:?}"
            );
        }
    }

    #[test]
    fn the_demo_has_one_session_in_each_phase_whatever_the_day() {
        let mut day: DateTime<Utc> = "2026-01-01T12:00:00Z".parse().unwrap();
        while day < "2028-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() {
            let sessions = demo_sessions(day);
            let mut phases: Vec<_> = sessions
                .iter()
                .map(|(_, calendar)| calendar.phase_at(day, false))
                .collect();
            phases.sort_by_key(|phase| format!("{phase:?}"));
            let mut expected = vec![
                SessionPhase::Closed,
                SessionPhase::Deliberation,
                SessionPhase::Orals,
                SessionPhase::Dossiers,
                SessionPhase::RegistrationOpen,
                SessionPhase::Upcoming,
            ];
            expected.sort_by_key(|phase| format!("{phase:?}"));
            assert_eq!(phases, expected, "on {day}");
            let mut months: Vec<_> = sessions.iter().map(|(month, _)| *month).collect();
            months.dedup();
            assert_eq!(months.len(), 6, "distinct months on {day}");
            day += chrono::Duration::days(5);
        }
    }
}
