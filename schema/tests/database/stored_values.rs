//! The domain types stored as `text` (`domain::stored_text`, `Email`): every value is written
//! as exactly the string it always was and read back as itself, and a stored value no variant
//! names is an error of the query that reads it, never a silent default.

use chrono::Utc;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::{Array, Text};
use diesel_async::RunQueryDsl;
use schema::domain::eligibility::{AgentStatus, EmployerType, PriorCertification};
use schema::domain::{
    ApplicationState, BookingState, Decision, Email, EvaluationState, OralMode, Role, SlotState,
};
use schema::models::{ApplicationEvent, Candidate, FileKind, LetterRole, LinkKind, TokenPurpose};
use schema::scenario::Scenario;
use schema::testing::TestDatabase;

/// Writes `$value` as a bound parameter and reads it back twice: as text (the stored string
/// `$stored`) and as its own type.
macro_rules! round_trip {
    ($conn:expr, $value:expr, $stored:expr) => {{
        let (value, stored) = ($value, $stored);
        let text: String = diesel::select(value.clone().into_sql::<Text>())
            .get_result($conn)
            .await
            .unwrap();
        assert_eq!(text, stored, "{value:?} is stored as {stored:?}");
        let back = diesel::select(stored.into_sql::<Text>())
            .get_result($conn)
            .await
            .unwrap();
        assert_eq!(typed_as(&value, back), value);
    }};
}

/// `back`, typed as `value` is (what the macros read back takes the type of what they wrote).
fn typed_as<T>(_value: &T, back: T) -> T {
    back
}

/// An error's message followed by its causes' (diesel names the field, its cause the value).
fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        message.push_str(": ");
        message.push_str(&error.to_string());
        cause = error.source();
    }
    message
}

/// Reads the text `$stored` as a `$type`: the message of the deserialisation error it must be.
macro_rules! unknown {
    ($conn:expr, $type:ty, $stored:expr) => {{
        let stored: &str = $stored;
        match diesel::select(stored.into_sql::<Text>())
            .get_result::<$type>($conn)
            .await
        {
            Err(Error::DeserializationError(error)) => with_causes(&*error),
            other => panic!("{stored:?} read as {other:?}"),
        }
    }};
}

#[tokio::test(flavor = "multi_thread")]
async fn every_value_is_stored_as_its_string_and_read_back_as_itself() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let conn = &mut conn;
    for state in ApplicationState::ALL {
        round_trip!(conn, state, state.as_str());
    }
    for kind in EmployerType::ALL {
        round_trip!(conn, kind, kind.as_str());
    }
    for status in AgentStatus::ALL {
        round_trip!(conn, status, status.as_str());
    }
    for prior in PriorCertification::ALL {
        round_trip!(conn, prior, prior.as_str());
    }
    for decision in Decision::ALL {
        round_trip!(conn, decision, decision.as_str());
    }
    for state in EvaluationState::ALL {
        round_trip!(conn, state, state.as_str());
    }
    for (mode, stored) in [(OralMode::Video, "video"), (OralMode::Phone, "phone")] {
        round_trip!(conn, mode, stored);
    }
    for (state, stored) in [
        (SlotState::Open, "open"),
        (SlotState::Blocked, "blocked"),
        (SlotState::Withdrawn, "withdrawn"),
    ] {
        round_trip!(conn, state, stored);
    }
    for (state, stored) in [
        (BookingState::Confirmed, "confirmed"),
        (BookingState::Cancelled, "cancelled"),
    ] {
        round_trip!(conn, state, stored);
    }
    for (role, stored) in [(Role::Admin, "admin"), (Role::Coach, "coach")] {
        round_trip!(conn, role, stored);
    }
    for (purpose, stored) in [
        (TokenPurpose::Invitation, "invitation"),
        (TokenPurpose::PasswordReset, "password_reset"),
        (TokenPurpose::SignIn, "sign_in"),
        (TokenPurpose::Booking, "booking"),
    ] {
        round_trip!(conn, purpose, stored);
    }
    for (role, stored) in [(LetterRole::Hr, "hr"), (LetterRole::Manager, "manager")] {
        round_trip!(conn, role, stored);
    }
    for (kind, stored) in [
        (LinkKind::StartupSite, "startup_site"),
        (LinkKind::ProductSheet, "product_sheet"),
    ] {
        round_trip!(conn, kind, stored);
    }
    for (kind, stored) in [
        (FileKind::UserInterviews, "user_interviews"),
        (FileKind::Mockups, "mockups"),
        (FileKind::InvestmentTable, "investment_table"),
        (FileKind::Presentation, "presentation"),
    ] {
        round_trip!(conn, kind, stored);
    }
    let email = Email::parse(" Camille.Martin@Beta.Gouv.FR ").unwrap();
    round_trip!(conn, email, "camille.martin@beta.gouv.fr");

    // Arrays (`users.roles`, `availability_slots.modes`) hold the same strings.
    let roles: Vec<String> =
        diesel::select(vec![Role::Coach, Role::Admin].into_sql::<Array<Text>>())
            .get_result(conn)
            .await
            .unwrap();
    assert_eq!(roles, ["coach", "admin"]);
    let modes: Vec<OralMode> = diesel::select(sql::<Array<Text>>("ARRAY['phone', 'video']"))
        .get_result(conn)
        .await
        .unwrap();
    assert_eq!(modes, [OralMode::Phone, OralMode::Video]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_value_no_variant_names_is_a_read_error() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let conn = &mut conn;
    // The stored strings are exact: no other case, no spaces, no unknown word.
    assert!(unknown!(conn, ApplicationState, "archived").contains("archived"));
    unknown!(conn, ApplicationState, "Registered");
    unknown!(conn, ApplicationState, " registered");
    unknown!(conn, EmployerType, "company");
    unknown!(conn, AgentStatus, "intern");
    unknown!(conn, PriorCertification, "other");
    unknown!(conn, Decision, "deferred");
    unknown!(conn, EvaluationState, "archived");
    unknown!(conn, OralMode, "in_person");
    unknown!(conn, SlotState, "closed");
    unknown!(conn, BookingState, "pending");
    unknown!(conn, Role, "root");
    unknown!(conn, TokenPurpose, "unsubscribe");
    unknown!(conn, LetterRole, "ceo");
    unknown!(conn, LinkKind, "repository");
    unknown!(conn, FileKind, "video");
    // An address must be valid and stored normalised: parsing it must not change it.
    for stored in [
        "camille",
        "camille@beta",
        "Camille@beta.gouv.fr",
        " camille@beta.gouv.fr",
    ] {
        unknown!(conn, Email, stored);
    }
    // One unknown element spoils an array.
    let roles = diesel::select(sql::<Array<Text>>("ARRAY['admin', 'root']"))
        .get_result::<Vec<Role>>(conn)
        .await;
    assert!(
        matches!(roles, Err(Error::DeserializationError(_))),
        "{roles:?}"
    );
}

/// Most enum columns have a CHECK naming their values, so a bad value cannot even be stored.
#[tokio::test(flavor = "multi_thread")]
async fn the_checks_refuse_an_unknown_value_on_write() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let error = diesel::sql_query(
        "INSERT INTO users (email, display_name, roles) \
         VALUES ('root@beta.gouv.fr', 'Root', ARRAY['root'])",
    )
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
        ),
        "{error:?}"
    );
}

/// Where no CHECK guards the column, a row holding a value no variant names cannot be read:
/// the query fails instead of showing some default.
#[tokio::test(flavor = "multi_thread")]
async fn a_stored_unknown_value_fails_the_query_that_reads_it() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;

    // `candidates.email` is only checked for `_@_` and lower case.
    diesel::sql_query(
        "INSERT INTO candidates (email, display_name) VALUES ('camille@beta', 'Camille Martin')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let read = schema::schema::candidates::table
        .select(Candidate::as_select())
        .load::<Candidate>(&mut conn)
        .await;
    assert!(
        matches!(read, Err(Error::DeserializationError(_))),
        "{read:?}"
    );
    diesel::sql_query("DELETE FROM candidates")
        .execute(&mut conn)
        .await
        .unwrap();

    // `application_events.to_state` has no CHECK at all.
    let scenario = Scenario::at(Utc::now());
    let session = scenario.session(2027, 5).create(&mut conn).await.unwrap();
    let candidate = scenario
        .candidate("camille.martin@beta.gouv.fr", "Camille Martin")
        .create(&mut conn)
        .await
        .unwrap();
    let application = scenario
        .application(candidate.id, session.id)
        .create(&mut conn)
        .await
        .unwrap();
    let events = ApplicationEvent::of_applications(&mut conn, &[application.id])
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].from_state, None);
    assert_eq!(events[0].to_state, ApplicationState::Registered);
    diesel::sql_query(format!(
        "INSERT INTO application_events (application_id, from_state, to_state, occurred_at) \
         VALUES ('{}', 'registered', 'archived', now())",
        application.id
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let read = ApplicationEvent::of_applications(&mut conn, &[application.id]).await;
    match read {
        Err(Error::DeserializationError(error)) => {
            let message = with_causes(&*error);
            assert!(
                message.contains("to_state") && message.contains("archived"),
                "{message}"
            );
        }
        other => panic!("an unknown state was read as {other:?}"),
    }
}
