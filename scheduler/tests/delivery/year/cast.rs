//! The people of the simulated year, made through the schema's models as the API would: a
//! candidate's registration and dossier moves, the équipe animation completing a dossier (with
//! the booking link and its email), a coach's slot and a booking with a second juror.

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncPgConnection;
use schema::domain::{ApplicationState, BookingId, Email, Role};
use schema::models::{
    Actor, Application, Booking, BookingLink, Candidate, CertificationSession, CoachProfile,
    DossierLink, LinkKind, MessageKind, NewApplication, NewUser, OutboxMessage, Slot, User,
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
            employer_type: "state",
            employer_name: "DINUM".to_owned(),
            agent_status: "fonctionnaire",
            joined_programme: true,
            startup_name: format!("Startup de {name}"),
            incubator: "Incubateur ministériel".to_owned(),
            product_sheet_url: "https://beta.gouv.fr/startups/aides-jeunes.html".to_owned(),
            intrapreneur_start: "2025-01-06".parse().unwrap(),
            intrapreneur_end: None,
            full_time: true,
            acceleration_reached: true,
            prior_certification: "none",
            hr_contact_name: None,
            hr_contact_email: Some("rh@administration.example".to_owned()),
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
        .unwrap_or_else(|refusal| panic!("{} → {to:?}: {refusal:?}", application.state))
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
    OutboxMessage::enqueue(
        conn,
        MessageKind::BookingInvitation,
        &Email::parse(&candidate.email).unwrap(),
        json!({
            "display_name": candidate.display_name,
            "session_label": session.label(),
            "application_id": application.id,
            "booking_link": format!("https://certif.example/reservation/{}", token.expose()),
            "orals_end_at": session.orals_end_at,
        }),
        now,
    )
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
        &["video"],
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
        "video",
        now,
    )
    .await
    .unwrap();
    match second_juror {
        Some(email) => Booking::set_second_juror(conn, booking.id, None, Some(email), now)
            .await
            .unwrap()
            .unwrap(),
        None => booking,
    }
}
