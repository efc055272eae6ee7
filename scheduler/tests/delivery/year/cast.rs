//! The people of the simulated year, made through the schema's models as the API would: a
//! candidate's registration and dossier moves, the équipe animation completing a dossier (with
//! the booking link and its email), a coach's slot and a booking with a second juror.

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncPgConnection;
use schema::domain::{ApplicationState, Email, PublicUrl};
use schema::messages::{BookingInvitation, Message};
use schema::models::{
    Actor, Application, Booking, Candidate, CertificationSession, LinkKind, OutboxMessage, User,
};
use schema::scenario::Scenario;

/// The session of `year`-`month`, which the session cycle created.
pub async fn session(conn: &mut AsyncPgConnection, year: i32, month: u32) -> CertificationSession {
    let month = schema::domain::SessionMonth::new(year, month).unwrap();
    CertificationSession::find_by_month(conn, month)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("the session of {} exists", month.label()))
}

/// A verified candidate registers to `session` and is found eligible; they start their dossier
/// with the link to their startup's site.
pub async fn candidate_starts_a_dossier(
    conn: &mut AsyncPgConnection,
    email: &str,
    name: &str,
    session: &CertificationSession,
    now: DateTime<Utc>,
) -> Application {
    let scenario = Scenario::at(now);
    let candidate = scenario
        .candidate(email, name)
        .verified()
        .create(conn)
        .await
        .unwrap();
    scenario
        .application(candidate.id, session.id)
        .startup(&format!("Startup de {name}"))
        .incubator("Incubateur ministériel")
        .link(LinkKind::StartupSite, "https://startup.example")
        .state(ApplicationState::DossierInProgress)
        .create(conn)
        .await
        .unwrap()
}

pub async fn move_to(
    conn: &mut AsyncPgConnection,
    application: &Application,
    to: ApplicationState,
    now: DateTime<Utc>,
) -> Application {
    Application::move_to(conn, application.id, to, Actor::System, None, now)
        .await
        .unwrap()
        .unwrap_or_else(|refusal| panic!("{:?} → {to:?}: {refusal:?}", application.state))
}

/// The équipe animation finds the dossier complete: as the API does, the booking link is
/// created and its email queued in the same step.
pub async fn complete_dossier(
    conn: &mut AsyncPgConnection,
    application: &Application,
    session: &CertificationSession,
    now: DateTime<Utc>,
) {
    move_to(conn, application, ApplicationState::Complete, now).await;
    let token = Scenario::at(now)
        .booking_link(conn, application.id, session.orals_end_at)
        .await
        .unwrap();
    let candidate = Candidate::find(conn, application.candidate_id)
        .await
        .unwrap()
        .unwrap();
    let message = Message::BookingInvitation(BookingInvitation {
        display_name: candidate.display_name.clone(),
        session_label: session.label(),
        application_id: application.id,
        booking_link: PublicUrl::new("https://certif.example").booking(token.expose()),
        orals_end_at: session.orals_end_at,
    });
    OutboxMessage::enqueue(conn, &candidate.email, &message, now)
        .await
        .unwrap();
}

/// A coach with a video link.
pub async fn coach(
    conn: &mut AsyncPgConnection,
    email: &str,
    name: &str,
    now: DateTime<Utc>,
) -> User {
    Scenario::at(now)
        .coach(email, name)
        .video("https://visio.example/sophie")
        .create(conn)
        .await
        .unwrap()
}

/// The candidate books a 90-minute video oral with `coach` at `starts_at`; `second_juror`
/// joins the jury.
pub async fn book_oral(
    conn: &mut AsyncPgConnection,
    application: &Application,
    coach: &User,
    starts_at: DateTime<Utc>,
    second_juror: Option<&str>,
    now: DateTime<Utc>,
) -> Booking {
    let scenario = Scenario::at(now);
    let slot = scenario
        .slot(coach.id, application.session_id, starts_at)
        .create(conn)
        .await
        .unwrap();
    move_to(conn, application, ApplicationState::Booked, now).await;
    let mut oral = scenario.booking_on(application.id, &slot);
    if let Some(email) = second_juror {
        oral = oral.second_juror(None, Some(&Email::parse(email).unwrap()));
    }
    oral.create(conn).await.unwrap().booking
}

/// A laureate of the May 2027 session, Camille Martin: registered, dossier complete, oral with
/// Sophie Lefèvre at `oral_start`, every competence acquired (each with a comment, and an
/// overall comment), submitted by the coach 100 minutes after the start and due for
/// publication `publish_delay` later; the application is `interviewed`.
pub struct Laureate {
    pub session: CertificationSession,
    pub application: Application,
    pub evaluation: schema::models::Evaluation,
    pub submitted_at: DateTime<Utc>,
}

pub async fn submitted_laureate(
    conn: &mut AsyncPgConnection,
    oral_start: DateTime<Utc>,
    publish_delay: TimeDelta,
) -> Laureate {
    let registered = Scenario::at("2027-05-05T08:00:00Z".parse().unwrap());
    let session = registered.session(2027, 5).create(conn).await.unwrap();
    let candidate = registered
        .candidate("camille@administration.example", "Camille Martin")
        .verified()
        .create(conn)
        .await
        .unwrap();
    let application = registered
        .application(candidate.id, session.id)
        .startup("Startup de Camille Martin")
        .incubator("Incubateur ministériel")
        .link(LinkKind::StartupSite, "https://startup.example")
        .state(ApplicationState::Submitted)
        .create(conn)
        .await
        .unwrap();
    complete_dossier(conn, &application, &session, registered.now()).await;
    let coach = coach(
        conn,
        "sophie@coachs.example",
        "Sophie Lefèvre",
        registered.now(),
    )
    .await;
    let application = move_to(
        conn,
        &application,
        ApplicationState::Booked,
        registered.now(),
    )
    .await;
    let oral = registered
        .oral(&application, coach.id, oral_start)
        .create(conn)
        .await
        .unwrap();
    let submitted_at = oral_start + TimeDelta::minutes(100);
    let evaluation = Scenario::at(submitted_at)
        .evaluation(&oral)
        .comments(|competence, _| format!("{} : démontrée.", competence.name))
        .overall("Un oral remarquable.")
        .publish_due_at(submitted_at + publish_delay)
        .submit(conn)
        .await
        .unwrap();
    let application = Application::find(conn, application.id)
        .await
        .unwrap()
        .unwrap();
    Laureate {
        session,
        application,
        evaluation,
        submitted_at,
    }
}
