//! The demo data set (`certif demo`): one certification session in each phase around today,
//! the équipe animation, coaches, and candidates whose applications are in every state.
//! Every candidate from `booked` on has an oral with a demo coach; the held ones have the
//! jury's evaluation, submitted, and those with a result have it published (certificate of a
//! laureate, result email queued). Loading it twice changes nothing. Dossier files join as
//! their issue lands.

use chrono::{DateTime, Datelike, Days, Duration, Months, Utc};
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Europe::Paris;
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use schema::db::{DbError, Pool};
use schema::domain::eligibility::EmployerType;
use schema::domain::session_calendar::paris_instant;
use schema::domain::{
    ApplicationState, CalendarDefaults, Decision, Email, OralMode, Role, SessionCalendar,
    SessionMonth, UserId,
};
use schema::models::{
    Actor, Application, Candidate, CertificationSession, CoachProfile, CompetenceGrid,
    DraftChanges, Evaluation, MarkChange, NewUser, Slot, User,
};
use schema::scenario::Scenario;
use schema::workflows::result::{self, PublishError};

use api::workflows::{booking, evaluation};

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

/// Creates the candidate and their application in `state`, unless the candidate exists. An
/// application with an oral stops at `complete`: [`demo_oral`] books it and takes it further.
async fn demo_application(
    conn: &mut AsyncPgConnection,
    session: &CertificationSession,
    email: &str,
    name: &str,
    startup: &str,
    state: ApplicationState,
    now: DateTime<Utc>,
) -> QueryResult<Option<Application>> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    if Candidate::find_by_email(conn, &email).await?.is_some() {
        return Ok(None);
    }
    let scenario = Scenario::at(now);
    let candidate = scenario
        .candidate(email.as_str(), name)
        .verified()
        .create(conn)
        .await?;
    let eligible = state != ApplicationState::Ineligible;
    let slug: String = startup
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let reasons: &[&str] = if eligible {
        &[]
    } else {
        &[
            "Il faut avoir été intrapreneur au moins 6 mois à temps plein (ou 12 mois à temps partiel).",
        ]
    };
    // An application with an oral stops short of `booked`: booking the oral moves it there.
    let walked_to = if has_oral(state) {
        ApplicationState::Complete
    } else {
        state
    };
    let start = NaiveDate::from_ymd_opt(2024, if eligible { 3 } else { 11 }, 4).unwrap_or_default();
    let application = scenario
        .application(candidate.id, session.id)
        .employer(
            EmployerType::State,
            "Direction interministérielle du numérique",
        )
        .startup(startup)
        .incubator("Incubateur de la DINUM")
        .product_sheet(&format!("https://beta.gouv.fr/startups/{slug}.html"))
        .intrapreneur_since(start, eligible)
        .eligibility(eligible, reasons)
        .hr(Some((
            Some("Service des ressources humaines"),
            "rh@administration.example",
        )))
        .reason("données de démonstration")
        .state(walked_to)
        .create(conn)
        .await?;
    Ok(Some(application))
}

/// A step of the demo that the models refused: the demo data contradicts a rule, which is a
/// bug of the demo. It aborts the load (and its transaction) with this explanation.
fn refused(what: impl std::fmt::Display) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(
        format!("the demo data set breaks a rule: {what}").into(),
    )
}

/// Whether the application in `state` has had its oral, and what the jury decided then
/// (`interviewed`: submitted, not yet published).
fn jury_decision(state: ApplicationState) -> Option<Decision> {
    match state {
        ApplicationState::Interviewed | ApplicationState::Laureate => Some(Decision::Laureate),
        ApplicationState::NotCertified => Some(Decision::NotCertified),
        ApplicationState::Postponed => Some(Decision::Postponed),
        _ => None,
    }
}

/// Whether the application in `state` has an oral (booked, or held).
fn has_oral(state: ApplicationState) -> bool {
    state == ApplicationState::Booked || jury_decision(state).is_some()
}

/// An oral lasts 90 minutes.
const ORAL_MINUTES: i64 = 90;

/// When the orals of a session's candidates (`states`, in order) start; `None` for those who
/// have none. Held orals take the first days of the oral window, one a day, at 09:00, 11:00
/// then 14:00 Paris: every demo session holding some has these days behind it (a test checks).
/// Booked orals take its last days at 14:00, ahead in the session of the orals phase.
fn oral_times(
    calendar: &SessionCalendar,
    states: impl IntoIterator<Item = ApplicationState>,
) -> Vec<Option<DateTime<Utc>>> {
    let first_day = calendar.orals_start_at.with_timezone(&Paris).date_naive();
    // The window ends at the start of its last day (midnight), so its last day is the one before.
    let last_day = (calendar.orals_end_at - Duration::seconds(1))
        .with_timezone(&Paris)
        .date_naive();
    let at = |hour: u32| NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN);
    let (mut held, mut booked) = (0u64, 0u64);
    states
        .into_iter()
        .map(|state| {
            if jury_decision(state).is_some() {
                let day = first_day.checked_add_days(Days::new(held))?;
                let hour = [9, 11, 14][usize::try_from(held % 3).unwrap_or(0)];
                held += 1;
                Some(paris_instant(day, at(hour)))
            } else if state == ApplicationState::Booked {
                let day = last_day.checked_sub_days(Days::new(booked))?;
                booked += 1;
                Some(paris_instant(day, at(14)))
            } else {
                None
            }
        })
        .collect()
}

/// The coaches who sit on the demo juries, in turn (their accounts are in `PEOPLE`).
const JURORS: [&str; 4] = [
    "sophie.lefevre@coachs.example",
    "karim.benali@coachs.example",
    "nathalie.rousseau@coachs.example",
    "thomas.girard@coachs.example",
];

/// The jurors' accounts, each given a profile with a video link the first time.
async fn demo_jurors(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<Vec<UserId>> {
    let mut jurors = Vec::new();
    for address in JURORS {
        let Ok(email) = Email::parse(address) else {
            continue;
        };
        let Some(coach) = User::find_by_email(conn, &email).await? else {
            continue;
        };
        if CoachProfile::find(conn, coach.id).await?.is_none() {
            let name = address.split('@').next().unwrap_or(address);
            let video_link = format!("https://visio.example/{name}");
            CoachProfile::upsert(
                conn,
                coach.id,
                "Europe/Paris",
                Some(&video_link),
                None,
                None,
                3,
                15,
                now,
            )
            .await?;
        }
        jurors.push(coach.id);
    }
    Ok(jurors)
}

/// What the jury writes for an acquired competence, in turn.
const ACQUIRED: [&str; 4] = [
    "Acquise : une démarche claire, appuyée sur des exemples concrets vécus dans la startup.",
    "Acquise : des preuves solides (entretiens, mesures) et un vrai recul sur les choix faits.",
    "Acquise : bien argumentée, avec les résultats obtenus et ce qu'ils ont changé au produit.",
    "Acquise : le jury retient la qualité des exemples et la maîtrise des méthodes.",
];

/// What the jury writes for a competence not acquired, in turn.
const NOT_ACQUIRED: [&str; 2] = [
    "Non acquise : la démarche est décrite, mais sans exemple vécu ni résultat mesuré.",
    "Non acquise : à approfondir, les choix présentés ne s'appuient pas encore sur des éléments vérifiables.",
];

/// The jury's form as the demo fills it for `decision`: a mark and a comment for every
/// competence, the overall comment, and the reason a postponement needs.
fn demo_form(decision: Decision, competences: &[schema::models::Competence]) -> DraftChanges {
    // Not certified: all but three acquired (5 of 8); postponed: all but two.
    let missing = match decision {
        Decision::NotCertified => 3,
        Decision::Postponed => 2,
        Decision::Laureate | Decision::Absent => 0,
    };
    let acquired_count = competences.len().saturating_sub(missing);
    let marks = competences
        .iter()
        .enumerate()
        .map(|(position, competence)| {
            let acquired = position < acquired_count;
            let comment = if acquired {
                ACQUIRED[position % ACQUIRED.len()]
            } else {
                NOT_ACQUIRED[position % NOT_ACQUIRED.len()]
            };
            MarkChange {
                competence: competence.id,
                acquired: Some(Some(acquired)),
                comment: Some(comment.to_owned()),
            }
        })
        .collect();
    let (overall, reason) = match decision {
        Decision::Laureate => (
            "Un oral convaincant : une démarche centrée sur les usagers, des choix argumentés et \
             des preuves solides pour chaque compétence. Félicitations !",
            None,
        ),
        Decision::NotCertified => (
            "Un parcours riche, mais trois compétences restent à démontrer. Le jury vous \
             encourage à vous représenter avec des exemples vécus et des résultats mesurés.",
            None,
        ),
        Decision::Postponed | Decision::Absent => (
            "Le jury n'a pas pu conclure sur l'ensemble de la grille et propose un nouvel oral.",
            Some(
                "Le déploiement et le financement n'ont pas pu être abordés faute de temps : le \
                 jury propose de les évaluer lors d'un nouvel oral à la session suivante.",
            ),
        ),
    };
    DraftChanges {
        marks,
        overall_comment: Some(overall.to_owned()),
        decision: Some(Some(decision)),
        decision_reason: Some(reason.map(str::to_owned)),
    }
}

/// Books the oral of a demo application (in `booked`) with `coach` at `starts_at`. When the
/// oral was held (see [`jury_decision`]), the coach fills and submits the evaluation, the
/// application becomes `interviewed`, and a result is published as the scheduler would.
#[allow(clippy::too_many_arguments)]
async fn demo_oral(
    conn: &mut AsyncPgConnection,
    session: &CertificationSession,
    application: &Application,
    state: ApplicationState,
    coach: UserId,
    starts_at: DateTime<Utc>,
    public_url: &schema::domain::PublicUrl,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let slot = Slot::create(
        conn,
        coach,
        session.id,
        starts_at,
        starts_at + Duration::minutes(ORAL_MINUTES),
        &[OralMode::Video],
        now,
    )
    .await?;
    // Booked as a real booking is: the application moves to `booked`, and the invitations to
    // the candidate and the coach are queued.
    let booker = (Actor::System, Some("données de démonstration"));
    let uid_domain = booking::uid_domain_of(public_url);
    let booking = booking::confirm(
        conn,
        application.id,
        slot.id,
        OralMode::Video,
        booker,
        &uid_domain,
        now,
    )
    .await
    .map_err(|error| refused(format!("booking the oral: {}", error.message())))?;
    let Some(decision) = jury_decision(state) else {
        return Ok(());
    };
    let evaluation = Evaluation::open(conn, booking.id, application.id, session.id, now).await?;
    let competences = CompetenceGrid::competences(conn, evaluation.grid_id).await?;
    Evaluation::save_draft(conn, evaluation.id, &demo_form(decision, &competences), now)
        .await?
        .map_err(|conflict| refused(format!("saving the evaluation: {conflict:?}")))?;
    // Submitted as the coach submits it: checked against the decision rule, signed, and the
    // application shows the oral as held.
    let oral = booking::oral(conn, booking.id)
        .await
        .map_err(|error| refused(format!("reading the oral: {}", error.message())))?;
    let rules = api::ApiConfig::default();
    let publication = (rules.decision_rule, now + rules.result_publish_delay);
    evaluation::submit_draft(conn, evaluation.id, &oral, coach, publication, now)
        .await
        .map_err(|error| refused(format!("submitting the evaluation: {}", error.message())))?;
    if state != ApplicationState::Interviewed {
        result::publish(conn, evaluation.id, None, public_url, now)
            .await
            .map_err(|error| match error {
                PublishError::Database(error) => error,
                other => refused(format!("publishing the result: {other}")),
            })?;
    }
    Ok(())
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

/// Loads the demo data set in one transaction. `public_url` is the address the certificates'
/// verification links (in the result emails) point to.
pub async fn load(
    pool: &Pool,
    public_url: &schema::domain::PublicUrl,
    now: DateTime<Utc>,
) -> Result<DemoSummary, CommandError> {
    let mut conn = pool
        .get()
        .await
        .map_err(|error| DbError::Pool(error.to_string()))?;
    let summary = conn
        .transaction::<_, diesel::result::Error, _>(async |conn| {
            let mut summary = DemoSummary::default();
            // The people first: the coaches sit on the juries of the orals below.
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
            let jurors = demo_jurors(conn, now).await?;
            let mut orals = 0usize;
            for (index, (month, calendar)) in demo_sessions(now).into_iter().enumerate() {
                let session = match CertificationSession::find_by_month(conn, month).await? {
                    Some(session) => session,
                    None => {
                        summary.sessions_created += 1;
                        CertificationSession::create(conn, month, &calendar).await?
                    }
                };
                let candidates: Vec<_> = CANDIDATES
                    .iter()
                    .filter(|candidate| candidate.4 == index)
                    .collect();
                let times = oral_times(
                    &session.calendar(),
                    candidates.iter().map(|candidate| candidate.3),
                );
                for (&&(email, name, startup, state, _), starts_at) in candidates.iter().zip(times)
                {
                    // The coaches take the orals in turn, whether or not this one is created.
                    let coach = has_oral(state).then(|| {
                        orals += 1;
                        jurors.get((orals - 1) % jurors.len().max(1)).copied()
                    });
                    let Some(application) =
                        demo_application(conn, &session, email, name, startup, state, now).await?
                    else {
                        continue;
                    };
                    summary.applications_created += 1;
                    if let Some(coach) = coach {
                        let (Some(coach), Some(starts_at)) = (coach, starts_at) else {
                            return Err(refused(format!("no jury or no time for {email}")));
                        };
                        demo_oral(
                            conn,
                            &session,
                            &application,
                            state,
                            coach,
                            starts_at,
                            public_url,
                            now,
                        )
                        .await?;
                    }
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
    use schema::scenario::path_to;

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

    #[test]
    fn demo_orals_fit_their_windows_held_ones_are_over_and_no_coach_has_two_at_once() {
        let mut day: DateTime<Utc> = "2026-01-01T07:30:00Z".parse().unwrap();
        while day < "2028-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() {
            // (coach in turn, start), taken in the order `load` takes them.
            let mut orals: Vec<(usize, DateTime<Utc>)> = Vec::new();
            for (index, (_, calendar)) in demo_sessions(day).into_iter().enumerate() {
                let states: Vec<_> = CANDIDATES
                    .iter()
                    .filter(|candidate| candidate.4 == index)
                    .map(|candidate| candidate.3)
                    .collect();
                let times = oral_times(&calendar, states.iter().copied());
                for (state, starts_at) in states.into_iter().zip(times) {
                    assert_eq!(has_oral(state), starts_at.is_some(), "{state:?} on {day}");
                    let Some(starts_at) = starts_at else {
                        continue;
                    };
                    let ends_at = starts_at + Duration::minutes(ORAL_MINUTES);
                    assert!(
                        calendar.orals_start_at <= starts_at && ends_at <= calendar.orals_end_at,
                        "{state:?} at {starts_at} in its window on {day}"
                    );
                    if jury_decision(state).is_some() {
                        assert!(ends_at <= day, "{state:?} at {starts_at} is over on {day}");
                    }
                    orals.push((orals.len() % JURORS.len(), starts_at));
                }
            }
            assert_eq!(orals.len(), 8, "on {day}");
            for (i, (coach, start)) in orals.iter().enumerate() {
                for (other_coach, other_start) in &orals[i + 1..] {
                    let apart = (*start - *other_start).abs();
                    assert!(
                        coach != other_coach || apart >= Duration::minutes(ORAL_MINUTES),
                        "coach {coach} twice at {start} and {other_start} on {day}"
                    );
                }
            }
            day += chrono::Duration::hours(31);
        }
    }

    #[test]
    fn the_demo_forms_follow_the_decision_rule_or_give_a_reason() {
        use schema::domain::evaluation::{Mark, check_submission};
        use schema::domain::{CompetenceId, DecisionRule, GridId};
        let competences: Vec<schema::models::Competence> = (1..=8)
            .map(|position| schema::models::Competence {
                id: CompetenceId(uuid::Uuid::new_v4()),
                grid_id: GridId(uuid::Uuid::nil()),
                position,
                name: format!("Compétence {position}"),
                description: String::new(),
            })
            .collect();
        for (decision, acquired) in [
            (Decision::Laureate, 8),
            (Decision::NotCertified, 5),
            (Decision::Postponed, 6),
        ] {
            let form = demo_form(decision, &competences);
            let marks: Vec<Mark<'_>> = form
                .marks
                .iter()
                .zip(&competences)
                .map(|(mark, competence)| Mark {
                    competence: &competence.name,
                    acquired: mark.acquired.flatten(),
                })
                .collect();
            assert_eq!(
                marks
                    .iter()
                    .filter(|mark| mark.acquired == Some(true))
                    .count(),
                acquired,
                "{decision:?}"
            );
            assert!(
                form.marks
                    .iter()
                    .all(|mark| mark.comment.as_deref().is_some_and(|c| !c.is_empty()))
            );
            let reason = form.decision_reason.clone().flatten();
            assert!(
                check_submission(
                    DecisionRule::AllAcquired,
                    Some(decision),
                    &marks,
                    reason.as_deref()
                )
                .is_ok(),
                "{decision:?}"
            );
            assert_eq!(form.decision, Some(Some(decision)));
        }
    }
}
