//! What a candidate sees of their oral: the booking page's context from the link, and the
//! oral in their space, with the 48-hour rule decided by the API and a calendar file.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use schema::config::Environment;
use schema::domain::CandidateId;
use schema::models::SessionOwner;
use schema::schema::applications;

use super::Harness;
use super::booking::{book, complete_candidates, now, slots};

#[tokio::test(flavor = "multi_thread")]
async fn a_booking_link_shows_its_oral_and_whether_it_can_still_move() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 1).await;
    let slots = slots(&harness, session, 2, None).await;
    let token = &tokens[0];
    let query = format!(
        "{{ bookingLink(token: \"{token}\") {{ candidateName session {{ label }} application {{ state }} \
         oral {{ startsAt coachName mode videoLink canReschedule changeableUntil calendarFile }} }} }}"
    );

    let before = harness.run(&query).await;
    assert_eq!(before["errors"], serde_json::Value::Null, "{before}");
    let link = &before["data"]["bookingLink"];
    assert_eq!(link["candidateName"], "Candidat 000");
    assert_eq!(link["application"]["state"], "COMPLETE");
    assert_eq!(link["oral"], serde_json::Value::Null);
    assert!(
        link["session"]["label"]
            .as_str()
            .unwrap()
            .starts_with("Session de")
    );

    let booked = harness
        .run(book(token, &slots[0])["query"].as_str().unwrap())
        .await;
    assert_eq!(booked["errors"], serde_json::Value::Null, "{booked}");
    let after = harness.run(&query).await;
    let oral = &after["data"]["bookingLink"]["oral"];
    assert_eq!(
        oral["startsAt"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        slots[0].starts_at,
        "{after}"
    );
    assert_eq!(oral["coachName"], "Coach");
    assert_eq!(oral["mode"], "VIDEO");
    assert_eq!(oral["videoLink"], "https://visio.example/oral");
    assert_eq!(oral["canReschedule"], true);
    let ics = oral["calendarFile"].as_str().unwrap();
    let parsed = ical::IcalParser::new(ics.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    let event = &parsed.events[0];
    let property = |name: &str| {
        event
            .properties
            .iter()
            .find(|property| property.name == name)
            .and_then(|property| property.value.clone())
    };
    assert!(property("UID").unwrap().contains('@'));
    assert_eq!(
        property("DTSTART").unwrap(),
        slots[0].starts_at.format("%Y%m%dT%H%M%SZ").to_string()
    );
    assert!(
        event
            .properties
            .iter()
            .all(|property| property.name != "ATTENDEE"),
        "no attendee in a personal file"
    );

    // Within 48 hours of the oral the API says it can no longer be moved with the link.
    harness
        .clock
        .set(slots[0].starts_at - chrono::Duration::hours(47));
    let late = harness.run(&query).await;
    assert_eq!(
        late["data"]["bookingLink"]["oral"]["canReschedule"], false,
        "{late}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_candidate_space_shows_the_oral_the_session_and_the_idle_limit() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 1).await;
    let slots = slots(&harness, session, 1, None).await;
    let booked = harness
        .run(book(&tokens[0], &slots[0])["query"].as_str().unwrap())
        .await;
    assert_eq!(booked["errors"], serde_json::Value::Null, "{booked}");
    let mut conn = harness.db.connection().await;
    let candidate: CandidateId = applications::table
        .filter(applications::session_id.eq(session))
        .select(applications::candidate_id)
        .first(&mut conn)
        .await
        .unwrap();
    let (viewer, _) = harness.signed_in(SessionOwner::Candidate(candidate)).await;
    let answer = harness
        .run_as(
            viewer,
            "{ viewer { idleTimeoutMinutes } myApplications { session { label } oral { coachName canReschedule } administrationLetters { recipient } } }",
        )
        .await;
    assert_eq!(answer["errors"], serde_json::Value::Null, "{answer}");
    assert_eq!(answer["data"]["viewer"]["idleTimeoutMinutes"], 120);
    let mine = &answer["data"]["myApplications"][0];
    assert_eq!(mine["oral"]["coachName"], "Coach");
    assert_eq!(mine["administrationLetters"], serde_json::json!([]));
    let anonymous = harness.run("{ viewer { idleTimeoutMinutes } }").await;
    assert_eq!(
        anonymous["data"]["viewer"]["idleTimeoutMinutes"],
        serde_json::Value::Null
    );
}
