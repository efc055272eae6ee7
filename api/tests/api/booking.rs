//! Booking the oral: the database refuses every double booking, under contention too, and
//! each bad request gets its own code.

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use schema::config::Environment;
use schema::domain::{Role, SessionId};
use schema::models::Slot;
use schema::scenario::Scenario;

use super::{Harness, error_codes};

pub(super) fn now() -> DateTime<Utc> {
    "2027-05-12T08:00:00Z".parse().unwrap()
}

/// 09:00 Paris on 24 May 2027, plus `hours`.
fn at(hours: i64) -> DateTime<Utc> {
    "2027-05-24T07:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::hours(hours)
}

/// `count` candidates whose dossiers are complete, each with a booking link.
pub(super) async fn complete_candidates(
    harness: &Harness,
    count: usize,
) -> (SessionId, Vec<String>) {
    let mut tokens = Vec::new();
    let mut session = None;
    for index in 0..count {
        let candidate = harness
            .candidate(
                &format!("candidat{index:03}@administration.example"),
                &format!("Candidat {index:03}"),
            )
            .await;
        let (application, token) = harness.complete_with_booking_link(candidate.id).await;
        session = Some(application.session_id);
        tokens.push(token);
    }
    (session.unwrap(), tokens)
}

pub(super) async fn slots(
    harness: &Harness,
    session: SessionId,
    count: usize,
    incubator: Option<&str>,
) -> Vec<Slot> {
    let scenario = Scenario::at(now());
    let mut conn = harness.db.connection().await;
    let coach = scenario
        .coach(
            &format!("coach{}@coachs.example", uuid::Uuid::new_v4().simple()),
            "Coach",
        )
        .with_password()
        .profile(
            scenario
                .coach_profile()
                .video("https://visio.example/oral")
                .incubator(incubator)
                .max_orals_per_day(10),
        )
        .create(&mut conn)
        .await
        .unwrap();
    let mut created = Vec::new();
    for index in 0..count as i64 {
        created.push(
            scenario
                .slot(coach.id, session, at(index * 2))
                .create(&mut conn)
                .await
                .unwrap(),
        );
    }
    created
}

pub(super) fn book(token: &str, slot: &Slot) -> serde_json::Value {
    serde_json::json!({ "query": format!("mutation {{ bookOral(token: \"{token}\", slotId: \"{}\") {{ id icalUid sequence state }} }}", slot.id) })
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(harness: &Harness, sql: &str) -> i64 {
    let mut conn = harness.db.connection().await;
    diesel_async::RunQueryDsl::get_result::<Count>(diesel::sql_query(sql), &mut conn)
        .await
        .unwrap()
        .n
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_candidates_racing_for_twenty_slots_get_exactly_twenty_bookings() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 200).await;
    let slots = slots(&harness, session, 20, None).await;
    let server = harness.serve().await;
    let answers = join_all(
        tokens
            .iter()
            .enumerate()
            .map(|(index, token)| server.post_json_owned(book(token, &slots[index % 20]))),
    )
    .await;
    let mut booked = 0;
    let mut taken = 0;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "never a 500: {body}");
        match error_codes(body).as_slice() {
            [] => booked += 1,
            [code] if code == "SLOT_TAKEN" => taken += 1,
            other => panic!("unexpected answer {other:?}: {body}"),
        }
    }
    assert_eq!((booked, taken), (20, 180));
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM bookings WHERE state = 'confirmed'"
        )
        .await,
        20
    );
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM applications WHERE state = 'booked'"
        )
        .await,
        20,
        "no half-written booking"
    );
    assert_eq!(
        count(&harness, "SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.slot_id = b.slot_id AND a.id < b.id WHERE a.state = 'confirmed' AND b.state = 'confirmed'").await,
        0
    );
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM outbox_messages WHERE kind = 'oral_confirmed'"
        )
        .await,
        40,
        "candidate and coach, per booking"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_reschedules_onto_one_slot_move_exactly_one_booking() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 50).await;
    let slots = slots(&harness, session, 51, None).await;
    let server = harness.serve().await;
    for (index, token) in tokens.iter().enumerate() {
        let (_, body) = server.post_json_owned(book(token, &slots[index])).await;
        assert_eq!(body["errors"], serde_json::Value::Null, "{body}");
    }
    let target = &slots[50];
    let answers = join_all(tokens.iter().map(|token| {
        server.post_json_owned(serde_json::json!({ "query": format!("mutation {{ rescheduleOral(token: \"{token}\", slotId: \"{}\") {{ sequence }} }}", target.id) }))
    }))
    .await;
    let moved: Vec<_> = answers
        .iter()
        .filter(|(_, body)| body["errors"].is_null())
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(
        moved[0].1["data"]["rescheduleOral"]["sequence"], 1,
        "same UID, SEQUENCE + 1"
    );
    assert!(answers.iter().all(|(status, body)| *status == 200
        && (body["errors"].is_null() || error_codes(body) == ["SLOT_TAKEN"])));
    assert_eq!(
        count(
            &harness,
            &format!(
                "SELECT count(*) AS n FROM bookings WHERE state = 'confirmed' AND slot_id = '{}'",
                target.id
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM bookings WHERE state = 'confirmed'"
        )
        .await,
        50,
        "nobody lost their oral"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_bad_booking_gets_its_own_code() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 2).await;
    let good = slots(&harness, session, 3, None).await;
    let conflicted = slots(&harness, session, 1, Some("dinum")).await; // the candidates' incubator is « DINUM »
    let mut conn = harness.db.connection().await;
    let scenario = Scenario::at(now());
    let other = scenario.session(2027, 12).create(&mut conn).await.unwrap();
    let coach = harness
        .user("autre@coachs.example", "Autre", &[Role::Coach], None)
        .await;
    let elsewhere = scenario
        .slot(coach.id, other.id, other.orals_start_at + Duration::days(1))
        .minutes(60)
        .create(&mut conn)
        .await
        .unwrap();
    let soon = scenario
        .slot(coach.id, session, now() + Duration::hours(24))
        .minutes(60)
        .create(&mut conn)
        .await
        .unwrap();
    let run = |body: serde_json::Value| {
        let harness = &harness;
        async move { harness.run(body["query"].as_str().unwrap()).await }
    };

    let listed = harness
        .run(&format!(
            "{{ bookableSlots(token: \"{}\") {{ date label slots {{ id coachName }} }} }}",
            tokens[0]
        ))
        .await;
    let listed_ids: Vec<String> = listed["data"]["bookableSlots"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|day| {
            day["slots"]
                .as_array()
                .unwrap()
                .iter()
                .map(|slot| slot["id"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        listed_ids.len(),
        3,
        "neither the conflicted coach, the other session nor the slot under 48 h: {listed}"
    );
    assert_eq!(
        listed["data"]["bookableSlots"][0]["label"],
        "lundi 24 mai 2027"
    );

    assert_eq!(
        error_codes(&run(book(&tokens[0], &conflicted[0])).await),
        vec!["SLOT_UNAVAILABLE"]
    );
    assert_eq!(
        error_codes(&run(book(&tokens[0], &elsewhere)).await),
        vec!["SLOT_UNAVAILABLE"]
    );
    let too_soon = run(book(&tokens[0], &soon)).await;
    assert_eq!(error_codes(&too_soon), vec!["SLOT_UNAVAILABLE"]);
    assert_eq!(
        too_soon["errors"][0]["message"],
        "Ce créneau n'est pas réservable : il faut réserver au moins 48 heures à l'avance."
    );
    assert_eq!(
        error_codes(&run(book(&"0".repeat(64), &good[0])).await),
        vec!["TOKEN_INVALID"]
    );
    assert_eq!(
        error_codes(&run(book("pas un jeton", &good[0])).await),
        vec!["TOKEN_INVALID"]
    );

    let booked = run(book(&tokens[0], &good[0])).await;
    assert_eq!(booked["data"]["bookOral"]["sequence"], 0, "{booked}");
    assert!(
        booked["data"]["bookOral"]["icalUid"]
            .as_str()
            .unwrap()
            .ends_with("@127.0.0.1")
    );
    assert_eq!(
        error_codes(&run(book(&tokens[0], &good[1])).await),
        vec!["ALREADY_BOOKED"]
    );
    assert_eq!(
        error_codes(&run(book(&tokens[1], &good[0])).await),
        vec!["SLOT_TAKEN"]
    );

    // The past: the clock moves to the day before the oral.
    harness.clock.set(good[0].starts_at - Duration::hours(20));
    let late = harness
        .run(&format!(
            "mutation {{ rescheduleOral(token: \"{}\", slotId: \"{}\") {{ id }} }}",
            tokens[0], good[2].id
        ))
        .await;
    assert_eq!(error_codes(&late), vec!["TOO_LATE"]);
    harness.clock.set(good[2].ends_at + Duration::hours(1));
    assert_eq!(
        error_codes(&run(book(&tokens[1], &good[1])).await),
        vec!["SLOT_UNAVAILABLE"],
        "a past slot"
    );
    harness.clock.set(now() + Duration::days(60));
    assert_eq!(
        error_codes(&run(book(&tokens[1], &good[1])).await),
        vec!["TOKEN_INVALID"],
        "the link expired with the oral window"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moving_and_cancelling_keep_the_uid_and_raise_the_sequence() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 1).await;
    let good = slots(&harness, session, 2, None).await;
    let booked = harness
        .run(book(&tokens[0], &good[0])["query"].as_str().unwrap())
        .await;
    let uid = booked["data"]["bookOral"]["icalUid"]
        .as_str()
        .unwrap()
        .to_owned();
    let moved = harness.run(&format!("mutation {{ rescheduleOral(token: \"{}\", slotId: \"{}\") {{ icalUid sequence slotId }} }}", tokens[0], good[1].id)).await;
    assert_eq!(moved["data"]["rescheduleOral"]["icalUid"], uid.as_str());
    assert_eq!(moved["data"]["rescheduleOral"]["sequence"], 1);
    let no_reason = harness
        .run(&format!(
            "mutation {{ cancelOral(token: \"{}\", reason: \"\") {{ state }} }}",
            tokens[0]
        ))
        .await;
    assert_eq!(error_codes(&no_reason), vec!["BAD_USER_INPUT"]);
    let cancelled = harness.run(&format!("mutation {{ cancelOral(token: \"{}\", reason: \"Empêchement\") {{ icalUid sequence state }} }}", tokens[0])).await;
    assert_eq!(
        cancelled["data"]["cancelOral"],
        serde_json::json!({ "icalUid": uid, "sequence": 2, "state": "cancelled" })
    );
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM applications WHERE state = 'complete'"
        )
        .await,
        1,
        "back to complete: it may book again"
    );
    let kinds = count(&harness, "SELECT count(DISTINCT kind) AS n FROM outbox_messages WHERE kind IN ('oral_confirmed', 'oral_moved', 'oral_cancelled')").await;
    assert_eq!(kinds, 3);
    // Each message carries the invitation's event as it was at the change: same UID, the
    // sequence of the change, the candidate and the coach invited, cancelled only at the end.
    for (kind, sequence, method, cancelled) in [
        ("oral_confirmed", 0, "REQUEST", false),
        ("oral_moved", 1, "REQUEST", false),
        ("oral_cancelled", 2, "CANCEL", true),
    ] {
        let matching = count(&harness, &format!(
            "SELECT count(*) AS n FROM outbox_messages WHERE kind = '{kind}' \
             AND data->>'method' = '{method}' AND data->'event'->>'uid' = '{uid}' \
             AND (data->'event'->>'sequence')::int = {sequence} \
             AND (data->'event'->>'cancelled')::boolean = {cancelled} \
             AND jsonb_array_length(data->'event'->'attendees') = 2 \
             AND data->'event'->>'starts_at' IS NOT NULL AND data->'event' ? 'organizer_email' = false"
        ))
        .await;
        assert_eq!(matching, 2, "{kind}: to the candidate and to the coach");
    }
    let links = count(&harness, "SELECT count(*) AS n FROM outbox_messages WHERE kind = 'oral_cancelled' AND data->>'booking_link' IS NOT NULL AND recipient NOT LIKE 'candidat%'").await;
    assert_eq!(
        links, 0,
        "the candidate's booking link never goes to the jury"
    );
    let candidate_links = count(&harness, "SELECT count(*) AS n FROM outbox_messages WHERE kind = 'oral_cancelled' AND data->>'booking_link' IS NOT NULL").await;
    assert_eq!(
        candidate_links, 1,
        "the candidate gets a link to choose another date"
    );
    let again = harness
        .run(book(&tokens[0], &good[0])["query"].as_str().unwrap())
        .await;
    assert_eq!(
        again["data"]["bookOral"]["sequence"], 0,
        "a new booking, a new UID: {again}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn coaches_publish_slots_that_never_overlap_and_stay_inside_the_oral_window() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, _) = complete_candidates(&harness, 1).await;
    let coach = harness.coach("coach@coachs.example", "Coach").await;
    let (viewer, _) = harness
        .signed_in(schema::models::SessionOwner::User(coach.id))
        .await;
    let publish = |starts: DateTime<Utc>, minutes: i64| {
        format!(
            "mutation {{ publishSlot(sessionId: \"{session}\", startsAt: \"{}\", durationMinutes: {minutes}, modes: [VIDEO, PHONE]) {{ id modes }} }}",
            starts.to_rfc3339()
        )
    };
    let first = harness.run_as(viewer.clone(), &publish(at(0), 90)).await;
    assert_eq!(
        first["data"]["publishSlot"]["modes"],
        serde_json::json!(["PHONE", "VIDEO"]),
        "{first}"
    );
    assert_eq!(
        error_codes(&harness.run_as(viewer.clone(), &publish(at(1), 60)).await),
        vec!["SLOT_OVERLAP"]
    );
    assert_eq!(
        error_codes(&harness.run_as(viewer.clone(), &publish(at(3), 45)).await),
        vec!["BAD_USER_INPUT"]
    );
    assert_eq!(
        error_codes(
            &harness
                .run_as(viewer.clone(), &publish(at(24 * 30), 60))
                .await
        ),
        vec!["BAD_USER_INPUT"],
        "outside the oral window"
    );
    assert_eq!(
        error_codes(
            &harness
                .run_as(viewer.clone(), &publish(now() - Duration::days(1), 60))
                .await
        ),
        vec!["BAD_USER_INPUT"]
    );
    let id = first["data"]["publishSlot"]["id"].as_str().unwrap();
    let withdrawn = harness
        .run_as(
            viewer.clone(),
            &format!("mutation {{ withdrawSlot(slotId: \"{id}\") {{ state }} }}"),
        )
        .await;
    assert_eq!(withdrawn["data"]["withdrawSlot"]["state"], "withdrawn");
    assert!(
        harness.run_as(viewer, &publish(at(1), 60)).await["errors"].is_null(),
        "a withdrawn slot no longer blocks"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_weekly_window_becomes_slots_in_the_coach_time_with_buffer_and_daily_maximum() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, _) = complete_candidates(&harness, 1).await;
    let coach = harness.coach("coach@coachs.example", "Coach").await;
    let (viewer, _) = harness
        .signed_in(schema::models::SessionOwner::User(coach.id))
        .await;
    let profile = harness.run_as(viewer.clone(), "mutation { setCoachProfile(input: { maxOralsPerDay: 2, bufferMinutes: 15 }) { maxOralsPerDay } }").await;
    assert_eq!(
        profile["data"]["setCoachProfile"]["maxOralsPerDay"], 2,
        "{profile}"
    );
    // Tuesdays 09:00–13:00, 60 minutes: 09:00, 10:15, 11:30 fit, the daily maximum keeps two.
    let published = harness.run_as(viewer.clone(), &format!("mutation {{ publishWeeklyAvailability(sessionId: \"{session}\", weekday: 2, start: \"09:00:00\", end: \"13:00:00\", durationMinutes: 60) {{ startsAt endsAt }} }}")).await;
    let slots = published["data"]["publishWeeklyAvailability"]
        .as_array()
        .unwrap();
    // The May 2027 oral window (20 May – 3 June) has two Tuesdays: 25 May and 1 June.
    let starts: Vec<&str> = slots
        .iter()
        .map(|slot| slot["startsAt"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2027-05-25T07:00:00+00:00",
            "2027-05-25T08:15:00+00:00",
            "2027-06-01T07:00:00+00:00",
            "2027-06-01T08:15:00+00:00"
        ],
        "{published}"
    );
    let again = harness.run_as(viewer.clone(), &format!("mutation {{ publishWeeklyAvailability(sessionId: \"{session}\", weekday: 2, start: \"09:00:00\", end: \"13:00:00\", durationMinutes: 60) {{ startsAt }} }}")).await;
    assert_eq!(
        again["data"]["publishWeeklyAvailability"],
        serde_json::json!([]),
        "publishing twice adds nothing"
    );
    let bad = harness.run_as(viewer, &format!("mutation {{ publishWeeklyAvailability(sessionId: \"{session}\", weekday: 8, start: \"09:00:00\", end: \"13:00:00\") {{ startsAt }} }}")).await;
    assert_eq!(error_codes(&bad), vec!["BAD_USER_INPUT"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bookable_slots_cost_the_same_statements_for_one_coach_or_forty() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 1).await;
    let query = format!(
        "{{ bookableSlots(token: \"{}\") {{ date slots {{ id coachName }} }} }}",
        tokens[0]
    );
    slots(&harness, session, 30, None).await;
    harness.run(&query).await; // warm the pool
    let before = harness.statements();
    harness.run(&query).await;
    let one_coach = harness.statements() - before;
    for _ in 0..39 {
        slots(&harness, session, 30, None).await;
    }
    let before = harness.statements();
    let listed = harness.run(&query).await;
    let forty_coaches = harness.statements() - before;
    let count: usize = listed["data"]["bookableSlots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|day| day["slots"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, 1200, "40 coaches × 30 slots");
    assert_eq!(
        one_coach, forty_coaches,
        "statements for 30 slots and for 1,200"
    );
    assert_eq!(
        forty_coaches, 2,
        "the link with its application and session, then the slots"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn withdrawing_a_booked_application_cancels_its_oral() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, tokens) = complete_candidates(&harness, 1).await;
    let good = slots(&harness, session, 1, None).await;
    assert!(
        harness
            .run(book(&tokens[0], &good[0])["query"].as_str().unwrap())
            .await["errors"]
            .is_null()
    );
    let candidate = schema::models::Candidate::find_by_email(
        &mut harness.db.connection().await,
        &schema::domain::Email::parse("candidat000@administration.example").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let application =
        schema::models::Application::of_candidate(&mut harness.db.connection().await, candidate.id)
            .await
            .unwrap()
            .remove(0);
    let (viewer, _) = harness
        .signed_in(schema::models::SessionOwner::Candidate(candidate.id))
        .await;
    let withdrawn = harness.run_as(viewer, &format!("mutation {{ withdrawApplication(applicationId: \"{}\", reason: \"Mutation\") {{ state }} }}", application.id)).await;
    assert_eq!(
        withdrawn["data"]["withdrawApplication"]["state"], "WITHDRAWN",
        "{withdrawn}"
    );
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM bookings WHERE state = 'confirmed'"
        )
        .await,
        0,
        "the slot is free again"
    );
    assert_eq!(
        count(
            &harness,
            "SELECT count(*) AS n FROM outbox_messages WHERE kind = 'oral_cancelled'"
        )
        .await,
        2,
        "candidate and coach are told"
    );
}
