//! The people of the simulated year, made through the schema's models as the API would: a
//! candidate's registration and dossier moves, the équipe animation completing a dossier (with
//! the booking link and its email), a coach's slot and a booking with a second juror.

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncPgConnection;
use schema::domain::{ApplicationState, BookingId, Email, PublicUrl, Role};
use schema::messages::{BookingInvitation, Message};
use schema::models::{
    Actor, Application, Booking, BookingLink, Candidate, CertificationSession, CoachProfile,
    DossierLink, LinkKind, NewApplication, NewUser, OutboxMessage, Slot, User,
};
use schema::security::TokenSecret;
use serde_json::json;

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
    let candidate = Candidate::create(conn, &Email::parse(email).unwrap(), name)
        .await
        .unwrap();
    Candidate::mark_email_verified(conn, candidate.id, now)
        .await
        .unwrap();
    let application = Application::create(
        conn,
        NewApplication {
            candidate_id: candidate.id,
            session_id: session.id,
            employer_type: schema::domain::eligibility::EmployerType::State,
            employer_name: "DINUM".to_owned(),
            agent_status: schema::domain::eligibility::AgentStatus::Fonctionnaire,
            joined_programme: true,
            startup_name: format!("Startup de {name}"),
            incubator: "Incubateur ministériel".to_owned(),
            product_sheet_url: "https://beta.gouv.fr/startups/aides-jeunes.html".to_owned(),
            intrapreneur_start: "2025-01-06".parse().unwrap(),
            intrapreneur_end: None,
            full_time: true,
            acceleration_reached: true,
            prior_certification: schema::domain::eligibility::PriorCertification::None,
            hr_contact_name: None,
            hr_contact_email: schema::domain::Email::parse("rh@administration.example").ok(),
            manager_contact_name: None,
            manager_contact_email: None,
            letter_consent: true,
            eligible: true,
            eligibility_reasons: json!([]),
            created_at: now,
            updated_at: now,
        },
        Actor::Candidate(candidate.id),
    )
    .await
    .unwrap();
    move_to(conn, &application, ApplicationState::Eligible, now).await;
    DossierLink::set(
        conn,
        application.id,
        LinkKind::StartupSite,
        "https://startup.example",
        now,
    )
    .await
    .unwrap();
    move_to(conn, &application, ApplicationState::DossierInProgress, now).await
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
    let token = TokenSecret::generate().unwrap();
    BookingLink::create(
        conn,
        application.id,
        token.sha256(),
        now,
        session.orals_end_at,
    )
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
    let user = User::create(
        conn,
        NewUser {
            email: &Email::parse(email).unwrap(),
            display_name: name,
            roles: &[Role::Coach],
            password_hash: None,
        },
    )
    .await
    .unwrap();
    CoachProfile::upsert(
        conn,
        user.id,
        "Europe/Paris",
        Some("https://visio.example/sophie"),
        None,
        None,
        3,
        15,
        now,
    )
    .await
    .unwrap();
    user
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
    let slot = Slot::create(
        conn,
        coach.id,
        application.session_id,
        starts_at,
        starts_at + TimeDelta::minutes(90),
        &[schema::domain::OralMode::Video],
        now,
    )
    .await
    .unwrap();
    move_to(conn, application, ApplicationState::Booked, now).await;
    let id = BookingId(uuid::Uuid::new_v4());
    let booking = Booking::create(
        conn,
        id,
        application.id,
        slot.id,
        &format!("{id}@beta.gouv.fr"),
        schema::domain::OralMode::Video,
        now,
    )
    .await
    .unwrap();
    match second_juror {
        Some(email) => {
            let email = Email::parse(email).unwrap();
            Booking::set_second_juror(conn, booking.id, None, Some(&email), now)
                .await
                .unwrap()
                .unwrap()
        }
        None => booking,
    }
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
    use schema::models::{CompetenceGrid, DraftChanges, Evaluation, MarkChange};
    let registered: DateTime<Utc> = "2027-05-05T08:00:00Z".parse().unwrap();
    let month = schema::domain::SessionMonth::new(2027, 5).unwrap();
    let session = CertificationSession::create(
        conn,
        month,
        &schema::domain::SessionCalendar::default_for(month, &Default::default()),
    )
    .await
    .unwrap();
    let application = candidate_starts_a_dossier(
        conn,
        "camille@administration.example",
        "Camille Martin",
        &session,
        registered,
    )
    .await;
    move_to(conn, &application, ApplicationState::Submitted, registered).await;
    complete_dossier(conn, &application, &session, registered).await;
    let coach = coach(conn, "sophie@coachs.example", "Sophie Lefèvre", registered).await;
    let booking = book_oral(conn, &application, &coach, oral_start, None, registered).await;
    let submitted_at = oral_start + TimeDelta::minutes(100);
    let evaluation = Evaluation::open(conn, booking.id, application.id, session.id, submitted_at)
        .await
        .unwrap();
    let competences = CompetenceGrid::competences(conn, evaluation.grid_id)
        .await
        .unwrap();
    let changes = DraftChanges {
        marks: competences
            .iter()
            .map(|competence| MarkChange {
                competence: competence.id,
                acquired: Some(Some(true)),
                comment: Some(format!("{} : démontrée.", competence.name)),
            })
            .collect(),
        overall_comment: Some("Un oral remarquable.".to_owned()),
        decision: Some(Some(schema::domain::Decision::Laureate)),
        decision_reason: None,
    };
    Evaluation::save_draft(conn, evaluation.id, &changes, submitted_at)
        .await
        .unwrap()
        .unwrap();
    let evaluation = Evaluation::submit(
        conn,
        evaluation.id,
        coach.id,
        1,
        submitted_at + publish_delay,
        submitted_at,
    )
    .await
    .unwrap()
    .unwrap();
    let application = move_to(
        conn,
        &application,
        ApplicationState::Interviewed,
        submitted_at,
    )
    .await;
    Laureate {
        session,
        application,
        evaluation,
        submitted_at,
    }
}
