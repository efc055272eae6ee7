use chrono::Duration;
use schema::config::Environment;
use schema::domain::{CalendarDefaults, SessionCalendar, SessionMonth};

use super::{Harness, error_codes};

#[tokio::test(flavor = "multi_thread")]
async fn sessions_are_listed_with_their_phase_at_the_current_date() {
    let may = SessionMonth::new(2027, 5).unwrap();
    let may_calendar = SessionCalendar::default_for(may, &CalendarDefaults::default());
    let harness = Harness::new(
        Environment::Development,
        may_calendar.registration_opens_at + Duration::hours(1),
    )
    .await;
    let mut conn = harness.db.connection().await;
    let scenario = harness.scenario();
    scenario.session(2026, 12).create(&mut conn).await.unwrap();
    let created = scenario
        .session(2027, 5)
        .calendar(may_calendar)
        .create(&mut conn)
        .await
        .unwrap();

    let response = harness
        .run("{ certificationSessions { id label year month phase phaseLabel registrationOpensAt lettersAt } }")
        .await;
    assert_eq!(response["errors"], serde_json::Value::Null, "{response}");
    let sessions = response["data"]["certificationSessions"]
        .as_array()
        .unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["id"], created.id.to_string());
    assert_eq!(sessions[0]["label"], "Session de mai 2027");
    assert_eq!(sessions[0]["phase"], "REGISTRATION_OPEN");
    assert_eq!(sessions[0]["phaseLabel"], "inscriptions ouvertes");
    assert_eq!(
        sessions[0]["registrationOpensAt"],
        "2027-05-03T07:00:00+00:00"
    );
    assert_eq!(sessions[1]["label"], "Session de décembre 2026");
    assert_eq!(sessions[1]["phase"], "CLOSED");

    // The phase follows the clock.
    harness.clock.set(may_calendar.orals_start_at);
    let response = harness
        .run(&format!(
            "{{ certificationSession(id: \"{}\") {{ phase }} }}",
            created.id
        ))
        .await;
    assert_eq!(response["data"]["certificationSession"]["phase"], "ORALS");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_session_is_null_and_a_malformed_id_is_bad_input() {
    let harness = Harness::new(Environment::Development, chrono::Utc::now()).await;
    let response = harness
        .run("{ certificationSession(id: \"7f1d3c4e-8a4b-4c1e-9f3a-2b6d5e4c3a21\") { id } }")
        .await;
    assert_eq!(
        response["data"]["certificationSession"],
        serde_json::Value::Null
    );
    assert_eq!(response["errors"], serde_json::Value::Null);

    let response = harness
        .run("{ certificationSession(id: \"42\") { id } }")
        .await;
    assert_eq!(error_codes(&response), vec!["BAD_USER_INPUT"]);
    assert_eq!(
        response["errors"][0]["message"],
        "« 42 » n'est pas un identifiant de session valide."
    );
}
