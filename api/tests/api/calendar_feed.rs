//! The coaches' subscribed calendar over HTTP: rotating its address, reading it back with an
//! independent iCalendar parser, ETag revalidation, and the bare 404 of unknown addresses.

use std::io::BufReader;

use api::ApiConfig;
use chrono::{DateTime, Duration, Utc};
use ical::IcalParser;
use ical::parser::ical::component::IcalCalendar;
use ical::property::Property;
use schema::config::Environment;
use schema::domain::{BookingId, Role, UserId};
use schema::models::{Booking, CoachProfile, SessionOwner, Slot};
use serde_json::json;

use super::{Harness, TestServer, error_codes};

const PUBLIC_URL: &str = "https://certif.beta.gouv.fr";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Three orals: two with the coach (the second cancelled), one with the other coach.
struct World {
    harness: Harness,
    coach: UserId,
    other_coach: UserId,
    admin: UserId,
    confirmed_uid: String,
    cancelled_uid: String,
    other_uid: String,
    candidate_emails: Vec<String>,
}

async fn world() -> World {
    let config = ApiConfig {
        public_url: PUBLIC_URL.to_owned(),
        ..ApiConfig::default()
    };
    let harness =
        Harness::with_config(Environment::Development, at("2027-05-10T08:00:00Z"), config).await;
    let now = harness.clock_now();
    let coach = harness
        .user(
            "claire@coachs.example",
            "Claire Coach",
            &[Role::Coach],
            None,
        )
        .await
        .id;
    let other_coach = harness
        .user(
            "dominique@coachs.example",
            "Dominique Coach",
            &[Role::Coach],
            None,
        )
        .await
        .id;
    let admin = harness
        .user("admin@beta.gouv.fr", "Admin", &[Role::Admin], None)
        .await
        .id;
    let mut conn = harness.db.connection().await;
    CoachProfile::upsert(
        &mut conn,
        coach,
        "Europe/Paris",
        Some("https://webinaire.numerique.gouv.fr/meet/claire"),
        None,
        None,
        3,
        15,
        now,
    )
    .await
    .unwrap();
    drop(conn);

    let mut uids = Vec::new();
    let mut candidate_emails = Vec::new();
    for (index, (coach, starts_at)) in [
        (coach, "2027-05-25T07:00:00Z"),
        (coach, "2027-05-26T12:00:00Z"),
        (other_coach, "2027-05-27T08:00:00Z"),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("candidate{index}@administration.example");
        let candidate = harness
            .candidate(&email, &format!("Candidat {index}"))
            .await;
        candidate_emails.push(email);
        let application = harness.eligible_application(candidate.id).await;
        let mut conn = harness.db.connection().await;
        let starts_at = at(starts_at);
        let slot = Slot::create(
            &mut conn,
            coach,
            application.session_id,
            starts_at,
            starts_at + Duration::minutes(90),
            &["video"],
            now,
        )
        .await
        .unwrap();
        let id = BookingId(uuid::Uuid::new_v4());
        let uid = format!("{id}@certif.beta.gouv.fr");
        Booking::create(&mut conn, id, application.id, slot.id, &uid, "video", now)
            .await
            .unwrap();
        if index == 1 {
            let cancelled = Booking::cancel(&mut conn, id, "Empêchement du candidat", now)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(cancelled.sequence, 1);
        }
        uids.push(uid);
    }
    let [confirmed_uid, cancelled_uid, other_uid] = <[String; 3]>::try_from(uids).unwrap();
    World {
        harness,
        coach,
        other_coach,
        admin,
        confirmed_uid,
        cancelled_uid,
        other_uid,
        candidate_emails,
    }
}

/// Rotates the user's feed over HTTP; returns the https address, path only, and the webcal one.
async fn rotate(world: &World, server: &TestServer, user: UserId) -> (String, String) {
    let (_, token) = world.harness.signed_in(SessionOwner::User(user)).await;
    let bearer = format!("Bearer {}", token.expose());
    let (status, _, body) = server
        .post_json(
            &json!({ "query": "mutation { rotateCalendarFeed { httpsUrl webcalUrl } }" }),
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let https = body["data"]["rotateCalendarFeed"]["httpsUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let webcal = body["data"]["rotateCalendarFeed"]["webcalUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = https
        .strip_prefix(PUBLIC_URL)
        .expect("built on PUBLIC_URL")
        .to_owned();
    assert!(
        path.starts_with("/calendar/") && path.ends_with(".ics"),
        "{path}"
    );
    assert_eq!(path.len(), "/calendar/".len() + 64 + ".ics".len());
    assert_eq!(
        webcal,
        format!("webcal://{}", https.strip_prefix("https://").unwrap())
    );
    (path, webcal)
}

async fn get(
    server: &TestServer,
    path: &str,
    if_none_match: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = server.http.get(format!("{}{path}", server.base));
    if let Some(etag) = if_none_match {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

fn parse(text: &str) -> IcalCalendar {
    let mut parser = IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .expect("a calendar")
        .expect("a well-formed calendar");
    assert!(parser.next().is_none());
    calendar
}

fn values<'a>(properties: &'a [Property], name: &str) -> Vec<&'a str> {
    properties
        .iter()
        .filter(|property| property.name == name)
        .map(|property| property.value.as_deref().unwrap_or_default())
        .collect()
}

fn value<'a>(properties: &'a [Property], name: &str) -> &'a str {
    let found = values(properties, name);
    assert_eq!(found.len(), 1, "exactly one {name}");
    found[0]
}

/// The UIDs of a feed, with each event's STATUS and SEQUENCE.
fn entries(calendar: &IcalCalendar) -> Vec<(String, String, String)> {
    let mut entries: Vec<_> = calendar
        .events
        .iter()
        .map(|event| {
            (
                value(&event.properties, "UID").to_owned(),
                value(&event.properties, "STATUS").to_owned(),
                value(&event.properties, "SEQUENCE").to_owned(),
            )
        })
        .collect();
    entries.sort();
    entries
}

fn assert_bare_not_found(status: u16, headers: &reqwest::header::HeaderMap, body: &str) {
    assert_eq!(status, 404);
    assert!(body.is_empty(), "{body}");
    assert!(headers.get("content-type").is_none(), "{headers:?}");
    assert!(headers.get("etag").is_none(), "{headers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coach_subscribes_to_their_orals_cancelled_ones_included() {
    let world = world().await;
    let server = world.harness.serve().await;
    let (path, _) = rotate(&world, &server, world.coach).await;

    let (status, headers, body) = get(&server, &path, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["content-type"], "text/calendar; charset=utf-8");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag: {etag}"
    );
    assert!(body.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    for email in &world.candidate_emails {
        assert!(!body.contains(email.as_str()), "no candidate address");
    }

    let calendar = parse(&body);
    assert!(
        values(&calendar.properties, "METHOD").is_empty(),
        "no METHOD"
    );
    assert_eq!(
        value(&calendar.properties, "X-WR-CALNAME"),
        "Oraux de certification — Claire Coach"
    );
    assert_eq!(value(&calendar.properties, "X-PUBLISHED-TTL"), "PT1H");
    let mut expected = vec![
        (
            world.confirmed_uid.clone(),
            "CONFIRMED".to_owned(),
            "0".to_owned(),
        ),
        (
            world.cancelled_uid.clone(),
            "CANCELLED".to_owned(),
            "1".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(entries(&calendar), expected);
    for event in &calendar.events {
        assert!(
            values(&event.properties, "ATTENDEE").is_empty(),
            "no ATTENDEE"
        );
        assert_eq!(
            value(&event.properties, "ORGANIZER"),
            "mailto:certification@beta.gouv.fr"
        );
        assert!(value(&event.properties, "DTSTART").ends_with('Z'));
    }
    let confirmed = calendar
        .events
        .iter()
        .find(|event| value(&event.properties, "UID") == world.confirmed_uid)
        .unwrap();
    assert_eq!(value(&confirmed.properties, "DTSTART"), "20270525T070000Z");
    assert_eq!(value(&confirmed.properties, "DTEND"), "20270525T083000Z");
    assert_eq!(
        value(&confirmed.properties, "LOCATION"),
        "https://webinaire.numerique.gouv.fr/meet/claire"
    );

    // Unchanged: 304 with the same ETag and no body; a stale ETag gets the body.
    let (status, headers, body) = get(&server, &path, Some(&etag)).await;
    assert_eq!(status, 304);
    assert_eq!(headers["etag"].to_str().unwrap(), etag);
    assert!(body.is_empty());
    let (status, _, body) = get(&server, &path, Some("\"stale\"")).await;
    assert_eq!(status, 200);
    assert!(!body.is_empty());

    // A cancellation changes the feed, so its ETag.
    let mut conn = world.harness.db.connection().await;
    let booking = Booking::orals(&mut conn, Some(world.coach), None)
        .await
        .unwrap()
        .into_iter()
        .find(|oral| oral.booking.ical_uid == world.confirmed_uid)
        .unwrap()
        .booking;
    Booking::cancel(
        &mut conn,
        booking.id,
        "Empêchement du coach",
        world.harness.clock_now(),
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);
    let (status, headers, body) = get(&server, &path, Some(&etag)).await;
    assert_eq!(status, 200);
    assert_ne!(headers["etag"].to_str().unwrap(), etag);
    let confirmed = entries(&parse(&body))
        .into_iter()
        .find(|(uid, _, _)| *uid == world.confirmed_uid)
        .unwrap();
    assert_eq!(confirmed.1, "CANCELLED");
    assert_eq!(confirmed.2, "1");
}

#[tokio::test(flavor = "multi_thread")]
async fn rotating_stops_the_old_address_and_unknown_addresses_are_bare_404s() {
    let world = world().await;
    let server = world.harness.serve().await;
    let (old, _) = rotate(&world, &server, world.coach).await;
    assert_eq!(get(&server, &old, None).await.0, 200);
    let (new, _) = rotate(&world, &server, world.coach).await;
    assert_ne!(old, new);
    let (status, headers, body) = get(&server, &old, None).await;
    assert_bare_not_found(status, &headers, &body);
    assert_eq!(get(&server, &new, None).await.0, 200);

    let random = schema::security::TokenSecret::generate().unwrap();
    let token = random.expose();
    for path in [
        format!("/calendar/{token}.ics"),
        format!("/calendar/{token}"),
        format!(
            "/calendar/{}.ics",
            &new["/calendar/".len()..new.len() - 4].to_uppercase()
        ),
        "/calendar/abc.ics".to_owned(),
        "/calendar/.ics".to_owned(),
    ] {
        let (status, headers, body) = get(&server, &path, None).await;
        assert_bare_not_found(status, &headers, &body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coach_sees_only_their_orals_and_an_admin_all() {
    let world = world().await;
    let server = world.harness.serve().await;
    let uids = |body: &str| -> Vec<String> {
        let mut uids: Vec<String> = entries(&parse(body))
            .into_iter()
            .map(|(uid, _, _)| uid)
            .collect();
        uids.sort();
        uids
    };
    let sorted = |mut list: Vec<String>| {
        list.sort();
        list
    };

    let (other, _) = rotate(&world, &server, world.other_coach).await;
    let (_, _, body) = get(&server, &other, None).await;
    assert_eq!(uids(&body), std::slice::from_ref(&world.other_uid));
    assert!(body.contains("X-WR-CALNAME:Oraux de certification — Dominique Coach"));

    let (admin, _) = rotate(&world, &server, world.admin).await;
    let (_, _, body) = get(&server, &admin, None).await;
    assert_eq!(
        uids(&body),
        sorted(vec![
            world.confirmed_uid.clone(),
            world.cancelled_uid.clone(),
            world.other_uid.clone()
        ])
    );
    assert!(body.contains("X-WR-CALNAME:Oraux de certification — tous les coachs"));
    for email in &world.candidate_emails {
        assert!(!body.contains(email.as_str()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn only_coaches_and_admins_have_a_feed_and_it_can_be_revoked() {
    let world = world().await;
    let server = world.harness.serve().await;
    let candidate = world
        .harness
        .candidate("eve@administration.example", "Ève")
        .await;
    let (viewer, _) = world
        .harness
        .signed_in(SessionOwner::Candidate(candidate.id))
        .await;
    let response = world
        .harness
        .run_as(viewer, "mutation { rotateCalendarFeed { httpsUrl } }")
        .await;
    assert_eq!(error_codes(&response), ["FORBIDDEN"]);
    let nobody = world
        .harness
        .user("sans.role@beta.gouv.fr", "Sans rôle", &[], None)
        .await;
    let (viewer, _) = world.harness.signed_in(SessionOwner::User(nobody.id)).await;
    let response = world
        .harness
        .run_as(viewer, "mutation { rotateCalendarFeed { httpsUrl } }")
        .await;
    assert_eq!(error_codes(&response), ["FORBIDDEN"]);
    let response = world
        .harness
        .run("mutation { rotateCalendarFeed { httpsUrl } }")
        .await;
    assert_eq!(error_codes(&response), ["UNAUTHENTICATED"]);

    let (path, _) = rotate(&world, &server, world.coach).await;
    let (viewer, _) = world
        .harness
        .signed_in(SessionOwner::User(world.coach))
        .await;
    let response = world
        .harness
        .run_as(viewer.clone(), "mutation { revokeCalendarFeed }")
        .await;
    assert_eq!(response["data"]["revokeCalendarFeed"], true, "{response}");
    let (status, headers, body) = get(&server, &path, None).await;
    assert_bare_not_found(status, &headers, &body);
    let response = world
        .harness
        .run_as(viewer, "mutation { revokeCalendarFeed }")
        .await;
    assert_eq!(response["data"]["revokeCalendarFeed"], false, "{response}");
}

/// Rotates the user's feed and returns each calendar it opens: scope, name, https path.
async fn calendars(
    world: &World,
    server: &TestServer,
    user: UserId,
) -> Vec<(String, String, String)> {
    let (_, token) = world.harness.signed_in(SessionOwner::User(user)).await;
    let bearer = format!("Bearer {}", token.expose());
    let (status, _, body) = server
        .post_json(
            &json!({ "query": "mutation { rotateCalendarFeed { httpsUrl calendars { scope name httpsUrl webcalUrl } } }" }),
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    let feed = &body["data"]["rotateCalendarFeed"];
    let list: Vec<_> = feed["calendars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|calendar| {
            let https = calendar["httpsUrl"].as_str().unwrap();
            assert_eq!(
                calendar["webcalUrl"].as_str().unwrap(),
                format!("webcal://{}", https.strip_prefix("https://").unwrap())
            );
            assert!(
                https.starts_with(feed["httpsUrl"].as_str().unwrap()),
                "one secret address"
            );
            (
                calendar["scope"].as_str().unwrap().to_owned(),
                calendar["name"].as_str().unwrap().to_owned(),
                https.strip_prefix(PUBLIC_URL).unwrap().to_owned(),
            )
        })
        .collect();
    list
}

/// The sorted UIDs of a feed body.
fn uids(body: &str) -> Vec<String> {
    let mut uids: Vec<String> = entries(&parse(body))
        .into_iter()
        .map(|(uid, _, _)| uid)
        .collect();
    uids.sort();
    uids
}

fn sorted(list: &[&String]) -> Vec<String> {
    let mut list: Vec<String> = list.iter().map(|uid| (*uid).clone()).collect();
    list.sort();
    list
}

async fn booking_of(world: &World, uid: &str) -> Booking {
    let mut conn = world.harness.db.connection().await;
    Booking::orals(&mut conn, None, None)
        .await
        .unwrap()
        .into_iter()
        .find(|oral| oral.booking.ical_uid == uid)
        .unwrap()
        .booking
}

#[tokio::test(flavor = "multi_thread")]
async fn second_jurors_see_their_orals_by_account_or_by_address() {
    let world = world().await;
    let server = world.harness.serve().await;
    // Claire sits as second juror on Dominique's oral (by account); Ève, a coach, on
    // Claire's confirmed oral by her address only (as an admin types it).
    let eve = world
        .harness
        .user("eve@coachs.example", "Ève Coach", &[Role::Coach], None)
        .await;
    let mut conn = world.harness.db.connection().await;
    let now = world.harness.clock_now();
    let other = booking_of(&world, &world.other_uid).await;
    Booking::set_second_juror(
        &mut conn,
        other.id,
        Some(world.coach),
        Some("claire@coachs.example"),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let confirmed = booking_of(&world, &world.confirmed_uid).await;
    Booking::set_second_juror(
        &mut conn,
        confirmed.id,
        None,
        Some("eve@coachs.example"),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);

    let (claire, _) = rotate(&world, &server, world.coach).await;
    let (_, _, body) = get(&server, &claire, None).await;
    assert_eq!(
        uids(&body),
        sorted(&[&world.confirmed_uid, &world.cancelled_uid, &world.other_uid]),
        "her own orals and the one she sits on as second juror"
    );
    let (dominique, _) = rotate(&world, &server, world.other_coach).await;
    let (_, _, body) = get(&server, &dominique, None).await;
    assert_eq!(uids(&body), std::slice::from_ref(&world.other_uid));
    let (eve_feed, _) = rotate(&world, &server, eve.id).await;
    let (_, _, body) = get(&server, &eve_feed, None).await;
    assert_eq!(uids(&body), std::slice::from_ref(&world.confirmed_uid));
    for email in &world.candidate_emails {
        assert!(!body.contains(email.as_str()));
    }
    assert!(!body.contains("ATTENDEE"), "still no attendee in a feed");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_who_coaches_subscribes_to_their_own_orals_and_to_everyone_s() {
    let world = world().await;
    let server = world.harness.serve().await;
    let both = world
        .harness
        .user(
            "henri@beta.gouv.fr",
            "Henri Admin",
            &[Role::Admin, Role::Coach],
            None,
        )
        .await;
    // Henri holds one oral as coach and sits on Dominique's as second juror.
    let candidate = world
        .harness
        .candidate("candidate9@administration.example", "Candidat 9")
        .await;
    let application = world.harness.eligible_application(candidate.id).await;
    let now = world.harness.clock_now();
    let mut conn = world.harness.db.connection().await;
    let starts_at = at("2027-05-28T07:00:00Z");
    let slot = Slot::create(
        &mut conn,
        both.id,
        application.session_id,
        starts_at,
        starts_at + Duration::minutes(60),
        &["video"],
        now,
    )
    .await
    .unwrap();
    let id = BookingId(uuid::Uuid::new_v4());
    let henri_uid = format!("{id}@certif.beta.gouv.fr");
    Booking::create(
        &mut conn,
        id,
        application.id,
        slot.id,
        &henri_uid,
        "video",
        now,
    )
    .await
    .unwrap();
    let other = booking_of(&world, &world.other_uid).await;
    Booking::set_second_juror(
        &mut conn,
        other.id,
        Some(both.id),
        Some("henri@beta.gouv.fr"),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);
    let everyone = sorted(&[
        &world.confirmed_uid,
        &world.cancelled_uid,
        &world.other_uid,
        &henri_uid,
    ]);
    let own = sorted(&[&world.other_uid, &henri_uid]);

    let list = calendars(&world, &server, both.id).await;
    assert_eq!(list.len(), 2, "{list:?}");
    let (all_scope, all_name, all_path) = &list[0];
    let (mine_scope, mine_name, mine_path) = &list[1];
    assert_eq!(
        (all_scope.as_str(), all_name.as_str()),
        ("ALL", "Oraux de certification — tous les coachs")
    );
    assert_eq!(
        (mine_scope.as_str(), mine_name.as_str()),
        ("MINE", "Oraux de certification — Henri Admin")
    );
    assert!(
        all_path.ends_with(".ics?scope=all") && mine_path.ends_with(".ics?scope=mine"),
        "{list:?}"
    );

    let (status, _, body) = get(&server, mine_path, None).await;
    assert_eq!(status, 200);
    assert_eq!(uids(&body), own);
    assert_eq!(
        value(&parse(&body).properties, "X-WR-CALNAME"),
        "Oraux de certification — Henri Admin"
    );
    let (_, _, body) = get(&server, all_path, None).await;
    assert_eq!(uids(&body), everyone);
    assert_eq!(
        value(&parse(&body).properties, "X-WR-CALNAME"),
        "Oraux de certification — tous les coachs"
    );
    // The address without scope is the main calendar: every oral, as before.
    let main = all_path.trim_end_matches("?scope=all");
    let (_, _, body) = get(&server, main, None).await;
    assert_eq!(uids(&body), everyone);
    // Each calendar has its own ETag.
    let etag = |path: &str| {
        let server = &server;
        let path = path.to_owned();
        async move {
            get(server, &path, None).await.1["etag"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_ne!(etag(mine_path).await, etag(all_path).await);
    assert_eq!(etag(main).await, etag(all_path).await);

    // A coach opens their own calendar only; an unknown or repeated scope is a bare 404.
    let list = calendars(&world, &server, world.coach).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].0, "MINE");
    let base = list[0].2.trim_end_matches("?scope=mine").to_owned();
    assert_eq!(get(&server, &base, None).await.0, 200);
    for path in [
        format!("{base}?scope=all"),
        format!("{base}?scope=tout"),
        format!("{base}?scope="),
        format!("{base}?scope=mine&scope=mine"),
        format!("{main}?scope=everything"),
    ] {
        let (status, headers, body) = get(&server, &path, None).await;
        assert_bare_not_found(status, &headers, &body);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_event_keeps_its_own_dtstamp_and_the_etag_follows_the_bytes() {
    let world = world().await;
    let server = world.harness.serve().await;
    let (path, _) = rotate(&world, &server, world.admin).await;
    let stamps = |body: &str| -> std::collections::BTreeMap<String, String> {
        parse(body)
            .events
            .iter()
            .map(|event| {
                (
                    value(&event.properties, "UID").to_owned(),
                    value(&event.properties, "DTSTAMP").to_owned(),
                )
            })
            .collect()
    };
    let created = world
        .harness
        .clock_now()
        .format("%Y%m%dT%H%M%SZ")
        .to_string();
    let (_, headers, first) = get(&server, &path, None).await;
    let first_etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(
        stamps(&first).values().all(|stamp| *stamp == created),
        "{first}"
    );

    // Time passes, nothing changes: the same bytes, the same ETag.
    world.harness.clock.advance(Duration::hours(5));
    let (status, _, _) = get(&server, &path, Some(&first_etag)).await;
    assert_eq!(status, 304);

    // One oral moves to another juror two days later: its DTSTAMP moves, the others' stay.
    world.harness.clock.advance(Duration::days(2));
    let changed_at = world.harness.clock_now();
    let other = booking_of(&world, &world.other_uid).await;
    let mut conn = world.harness.db.connection().await;
    Booking::set_second_juror(
        &mut conn,
        other.id,
        None,
        Some("juree@ailleurs.example"),
        changed_at,
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);
    let (status, headers, second) = get(&server, &path, Some(&first_etag)).await;
    assert_eq!(status, 200);
    let second_etag = headers["etag"].to_str().unwrap().to_owned();
    assert_ne!(second_etag, first_etag);
    let after = stamps(&second);
    assert_eq!(
        after[&world.other_uid],
        changed_at.format("%Y%m%dT%H%M%SZ").to_string()
    );
    assert_eq!(after[&world.confirmed_uid], created);
    assert_eq!(after[&world.cancelled_uid], created);
    // The ETag names the calendar's version: asked again, the same bytes under the same tag;
    // and the bytes differ only in that event.
    let moved = |body: &str| {
        body.split("BEGIN:VEVENT")
            .filter(|event| !event.contains(&world.other_uid))
            .collect::<Vec<_>>()
            .join("BEGIN:VEVENT")
    };
    assert_eq!(moved(&second), moved(&first));
    let (_, headers, again) = get(&server, &path, None).await;
    assert_eq!(again, second);
    assert_eq!(headers["etag"].to_str().unwrap(), second_etag);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_calendar_name_with_commas_semicolons_and_backslashes_reads_the_same_everywhere() {
    let world = world().await;
    let server = world.harness.serve().await;
    let odd = world
        .harness
        .user(
            "dupont@coachs.example",
            "Dupont, Jean; coach \\ jury",
            &[Role::Coach],
            None,
        )
        .await;
    let list = calendars(&world, &server, odd.id).await;
    assert_eq!(
        list[0].1,
        "Oraux de certification — Dupont, Jean; coach \\ jury"
    );
    let (status, _, body) = get(&server, &list[0].2, None).await;
    assert_eq!(status, 200);
    // As ical.js and python-icalendar read it (raw), and as the `ical` crate gives it: no
    // backslash, the separators shown by look-alikes.
    let calendar = parse(&body);
    let raw = value(&calendar.properties, "X-WR-CALNAME");
    assert_eq!(
        raw,
        "Oraux de certification — Dupont\u{201A} Jean\u{FF1B} coach \u{FF3C} jury"
    );
    assert!(!raw.contains('\\'));
    assert!(body.contains(&format!("\r\nX-WR-CALNAME:{raw}\r\n")));
    // NAME is TEXT, properly escaped: a reader that unescapes it gets the name itself.
    assert_eq!(
        value(&calendar.properties, "NAME"),
        "Oraux de certification — Dupont\\, Jean\\; coach \\\\ jury"
    );
}
