//! The coaches' subscribed calendar over HTTP: rotating its address, reading it back with an
//! independent iCalendar parser, ETag revalidation, and the bare 404 of unknown addresses.

use std::io::BufReader;

use api::ApiConfig;
use chrono::{DateTime, Duration, Utc};
use ical::IcalParser;
use ical::parser::ical::component::IcalCalendar;
use ical::property::Property;
use schema::config::Environment;
use schema::domain::{ApplicationState, Role, UserId};
use schema::models::{Booking, SessionOwner};
use serde_json::json;

use super::{Harness, TestServer, error_codes, serve};

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
        public_url: schema::domain::PublicUrl::new(PUBLIC_URL),
        ..ApiConfig::default()
    };
    let harness =
        Harness::with_config(Environment::Development, at("2027-05-10T08:00:00Z"), config).await;
    let scenario = harness.scenario();
    let mut conn = harness.db.connection().await;
    let coach = scenario
        .coach("claire@coachs.example", "Claire Coach")
        .video("https://webinaire.numerique.gouv.fr/meet/claire")
        .create(&mut conn)
        .await
        .unwrap()
        .id;
    let other_coach = scenario
        .coach("dominique@coachs.example", "Dominique Coach")
        .create(&mut conn)
        .await
        .unwrap()
        .id;
    let admin = scenario
        .admin("admin@beta.gouv.fr", "Admin")
        .create(&mut conn)
        .await
        .unwrap()
        .id;
    let session = harness.may_session().await;

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
        let candidate = scenario
            .candidate(&email, &format!("Candidat {index}"))
            .create(&mut conn)
            .await
            .unwrap();
        candidate_emails.push(email);
        let application = scenario
            .application(candidate.id, session.id)
            .state(ApplicationState::Eligible)
            .create(&mut conn)
            .await
            .unwrap();
        let booking = scenario
            .oral(&application, coach, at(starts_at))
            .create(&mut conn)
            .await
            .unwrap()
            .booking;
        if index == 1 {
            let cancelled = Booking::cancel(
                &mut conn,
                booking.id,
                "Empêchement du candidat",
                scenario.now(),
            )
            .await
            .unwrap()
            .unwrap();
            assert_eq!(cancelled.sequence, 1);
        }
        uids.push(booking.ical_uid);
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
        Some(&schema::domain::Email::parse("claire@coachs.example").unwrap()),
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
        Some(&schema::domain::Email::parse("eve@coachs.example").unwrap()),
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
    let henri_uid = world
        .harness
        .scenario()
        .oral(&application, both.id, at("2027-05-28T07:00:00Z"))
        .minutes(60)
        .create(&mut conn)
        .await
        .unwrap()
        .booking
        .ical_uid;
    let other = booking_of(&world, &world.other_uid).await;
    Booking::set_second_juror(
        &mut conn,
        other.id,
        Some(both.id),
        Some(&schema::domain::Email::parse("henri@beta.gouv.fr").unwrap()),
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
        Some(&schema::domain::Email::parse("juree@ailleurs.example").unwrap()),
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

/// The https path's token, hashed as the database keeps it.
fn token_hash(path: &str) -> Vec<u8> {
    let token = path
        .strip_prefix("/calendar/")
        .and_then(|rest| rest.split(".ics").next())
        .unwrap();
    schema::security::TokenSecret::parse(token)
        .unwrap()
        .sha256()
}

fn etag_of(headers: &reqwest::header::HeaderMap) -> String {
    headers["etag"].to_str().unwrap().to_owned()
}

/// The event of `uid` in a feed body: each property's value by name.
fn event_of(body: &str, uid: &str) -> std::collections::BTreeMap<String, String> {
    parse(body)
        .events
        .into_iter()
        .find(|event| value(&event.properties, "UID") == uid)
        .unwrap()
        .properties
        .into_iter()
        .map(|property| (property.name, property.value.unwrap_or_default()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_made_through_the_api_change_the_etag_and_the_body_of_exactly_the_feeds_that_show_them()
 {
    let world = world().await;
    let server = world.harness.serve().await;
    let (admin, _) = world
        .harness
        .signed_in(SessionOwner::User(world.admin))
        .await;
    let booking = booking_of(&world, &world.confirmed_uid).await;
    // The world books with the models directly: its application goes to `booked` as
    // `bookOral` would have moved it, so that staff may cancel it (no feed shows the state).
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE applications SET state = 'booked' WHERE id = '{}'",
            booking.application_id
        )),
        &mut world.harness.db.connection().await,
    )
    .await
    .unwrap();
    let (claire, _) = rotate(&world, &server, world.coach).await;
    let (dominique, _) = rotate(&world, &server, world.other_coach).await;
    let (everyone, _) = rotate(&world, &server, world.admin).await;
    let (_, headers, body) = get(&server, &claire, None).await;
    let mut etag = etag_of(&headers);
    let mut previous = body;
    let (_, headers, _) = get(&server, &dominique, None).await;
    let dominique_etag = etag_of(&headers);
    let (_, headers, _) = get(&server, &everyone, None).await;
    let mut everyone_etag = etag_of(&headers);

    // A free slot of Claire's to move the oral to.
    let slot = {
        let oral = Booking::orals(
            &mut world.harness.db.connection().await,
            None,
            Some(booking.id),
        )
        .await
        .unwrap()
        .remove(0);
        world
            .harness
            .scenario()
            .slot(
                world.coach,
                oral.slot.session_id,
                at("2027-05-28T07:00:00Z"),
            )
            .minutes(60)
            .modes(&[
                schema::domain::OralMode::Video,
                schema::domain::OralMode::Phone,
            ])
            .create(&mut world.harness.db.connection().await)
            .await
            .unwrap()
    };
    let changes = [
        (
            "a second juror",
            format!(
                "mutation {{ setSecondJuror(bookingId: \"{}\", email: \"juree@ailleurs.example\") {{ sequence }} }}",
                booking.id
            ),
        ),
        (
            "a move",
            format!(
                "mutation {{ moveOral(bookingId: \"{}\", slotId: \"{}\") {{ sequence }} }}",
                booking.id, slot.id
            ),
        ),
        (
            "the coach's video link",
            format!(
                "mutation {{ setCoachProfile(coachId: \"{}\", input: {{ videoLink: \"https://webinaire.numerique.gouv.fr/meet/claire-2\" }}) {{ videoLink }} }}",
                world.coach
            ),
        ),
        (
            "a cancellation",
            format!(
                "mutation {{ cancelOralAsStaff(bookingId: \"{}\", reason: \"Empêchement du coach\") {{ sequence }} }}",
                booking.id
            ),
        ),
    ];
    let mut seen = vec![etag.clone()];
    for (what, mutation) in &changes {
        world.harness.clock.advance(Duration::minutes(10));
        let response = world.harness.run_as(admin.clone(), mutation).await;
        assert!(response["errors"].is_null(), "{what}: {response}");
        let (status, headers, body) = get(&server, &claire, Some(&etag)).await;
        assert_eq!(status, 200, "{what} changes Claire's feed");
        etag = etag_of(&headers);
        assert!(!seen.contains(&etag), "{what}: a new ETag");
        seen.push(etag.clone());
        assert_ne!(body, previous, "{what}");
        let event = event_of(&body, &world.confirmed_uid);
        match *what {
            "a second juror" => assert_eq!(event["SEQUENCE"], "1"),
            "a move" => {
                assert_eq!(event["SEQUENCE"], "2");
                assert_eq!(event["DTSTART"], "20270528T070000Z");
            }
            "the coach's video link" => assert_eq!(
                event["LOCATION"],
                "https://webinaire.numerique.gouv.fr/meet/claire-2"
            ),
            _ => {
                assert_eq!(event["STATUS"], "CANCELLED");
                assert_eq!(event["SEQUENCE"], "3");
            }
        }
        // Unchanged since: 304 on the new tag.
        assert_eq!(get(&server, &claire, Some(&etag)).await.0, 304, "{what}");
        // Every oral's calendar changes too; Dominique's, which does not show it, keeps its tag.
        let (status, headers, _) = get(&server, &everyone, Some(&everyone_etag)).await;
        assert_eq!(status, 200, "{what} changes the calendar of every oral");
        everyone_etag = etag_of(&headers);
        assert_eq!(
            get(&server, &dominique, Some(&dominique_etag)).await.0,
            304,
            "{what} is not in Dominique's feed"
        );
        previous = body;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unchanged_feed_keeps_its_etag_across_requests_and_a_restart() {
    let world = world().await;
    let server = world.harness.serve().await;
    let (path, _) = rotate(&world, &server, world.coach).await;
    let (status, headers, body) = get(&server, &path, None).await;
    assert_eq!(status, 200);
    let etag = etag_of(&headers);
    for _ in 0..3 {
        let (status, headers, again) = get(&server, &path, None).await;
        assert_eq!(status, 200);
        assert_eq!(etag_of(&headers), etag);
        assert_eq!(again, body);
    }
    for if_none_match in [etag.clone(), format!("\"autre\", W/{etag}"), "*".to_owned()] {
        let (status, headers, empty) = get(&server, &path, Some(&if_none_match)).await;
        assert_eq!(status, 304, "{if_none_match}");
        assert_eq!(etag_of(&headers), etag);
        assert_eq!(headers["cache-control"], "private, no-cache");
        assert!(empty.is_empty());
    }
    drop(server);

    // A new process over the same database: nothing rendered yet, the same tag answered 304
    // without rendering, then the same bytes.
    let restarted = api::AppState::new(
        world.harness.db.pool(),
        std::sync::Arc::new(world.harness.clock.clone()),
        Environment::Development,
        (*world.harness.state.config).clone(),
    )
    .unwrap();
    let feeds = restarted.feeds.clone();
    let server = serve(restarted).await;
    let (status, headers, _) = get(&server, &path, Some(&etag)).await;
    assert_eq!(status, 304);
    assert_eq!(etag_of(&headers), etag);
    assert_eq!(feeds.usage().bodies, 0, "a 304 renders nothing");
    let (status, headers, again) = get(&server, &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(etag_of(&headers), etag);
    assert_eq!(again, body);
    assert_eq!(feeds.usage().bodies, 1);
    assert_eq!(feeds.usage().events, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kept_calendar_is_refused_at_once_when_its_token_is_revoked_or_rotated_or_its_owner_deactivated()
 {
    let world = world().await;
    let server = world.harness.serve().await;
    let (admin, _) = world
        .harness
        .signed_in(SessionOwner::User(world.admin))
        .await;
    let (viewer, _) = world
        .harness
        .signed_in(SessionOwner::User(world.coach))
        .await;
    let warm = |path: String| {
        let server = &server;
        async move {
            let (status, headers, _) = get(server, &path, None).await;
            assert_eq!(status, 200);
            let etag = etag_of(&headers);
            assert_eq!(get(server, &path, Some(&etag)).await.0, 304);
            etag
        }
    };
    let refused = |path: String, etag: String| {
        let server = &server;
        async move {
            for if_none_match in [None, Some(etag.as_str())] {
                let (status, headers, body) = get(server, &path, if_none_match).await;
                assert_bare_not_found(status, &headers, &body);
            }
        }
    };

    let (path, _) = rotate(&world, &server, world.coach).await;
    let etag = warm(path.clone()).await;
    let response = world
        .harness
        .run_as(viewer.clone(), "mutation { revokeCalendarFeed }")
        .await;
    assert_eq!(response["data"]["revokeCalendarFeed"], true, "{response}");
    refused(path, etag).await;

    let (old, _) = rotate(&world, &server, world.coach).await;
    let etag = warm(old.clone()).await;
    let (new, _) = rotate(&world, &server, world.coach).await;
    refused(old, etag.clone()).await;
    assert_eq!(
        get(&server, &new, Some(&etag)).await.0,
        304,
        "the same calendar"
    );

    let response = world
        .harness
        .run_as(
            admin,
            &format!(
                "mutation {{ setUserActive(userId: \"{}\", active: false) {{ active }} }}",
                world.coach
            ),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    refused(new, etag).await;
}

/// Counts the statements sent on the one connection it is installed on.
#[derive(Clone, Default)]
struct StatementCount(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl StatementCount {
    fn take(&self) -> usize {
        self.0.swap(0, std::sync::atomic::Ordering::SeqCst)
    }
}

impl diesel::connection::Instrumentation for StatementCount {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// What `answer` gives on `conn`: status, ETag and body.
async fn ask(
    conn: &mut diesel_async::AsyncPgConnection,
    feeds: &api::workflows::calendar_feed::FeedCache,
    hash: &[u8],
    headers: poem::http::HeaderMap,
) -> (u16, String, String) {
    let response = api::http::calendar_feed::answer(conn, feeds, &headers, hash, None)
        .await
        .unwrap()
        .unwrap();
    let status = response.status().as_u16();
    let etag = response.headers()[poem::http::header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().into_string().await.unwrap();
    (status, etag, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_304_and_a_200_of_an_unchanged_calendar_each_cost_one_statement() {
    use diesel_async::AsyncConnection;
    use poem::http::{HeaderMap, HeaderValue, header};

    let world = world().await;
    let server = world.harness.serve().await;
    let (path, _) = rotate(&world, &server, world.coach).await;
    let hash = token_hash(&path);
    let feeds =
        api::workflows::calendar_feed::FeedCache::new(&world.harness.state.config.organizer_email);
    let mut conn = world.harness.db.connection().await;
    let count = StatementCount::default();
    conn.set_instrumentation(count.clone());
    // Rendered: the lookup, then the calendar read in one snapshot (BEGIN, the owner and
    // version, the orals, COMMIT).
    let (status, etag, body) = ask(&mut conn, &feeds, &hash, HeaderMap::new()).await;
    assert_eq!((status, count.take()), (200, 5));
    // The same bytes as the HTTP server's, under the same tag.
    let (_, headers, served) = get(&server, &path, None).await;
    assert_eq!((etag_of(&headers), served), (etag.clone(), body.clone()));

    // Kept: one statement for a 200, one for a 304.
    for _ in 0..3 {
        assert_eq!(
            ask(&mut conn, &feeds, &hash, HeaderMap::new()).await,
            (200, etag.clone(), body.clone())
        );
        assert_eq!(count.take(), 1, "a 200 of an unchanged calendar");
    }
    let mut revalidate = HeaderMap::new();
    revalidate.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
    for _ in 0..3 {
        let (status, tag, empty) = ask(&mut conn, &feeds, &hash, revalidate.clone()).await;
        assert_eq!(
            (status, tag.as_str(), empty.as_str()),
            (304, etag.as_str(), "")
        );
        assert_eq!(count.take(), 1, "a 304");
    }

    // Changed: rendered again (the other event from its kept text), then one statement again.
    let booking = booking_of(&world, &world.confirmed_uid).await;
    Booking::cancel(
        &mut world.harness.db.connection().await,
        booking.id,
        "Empêchement",
        world.harness.clock_now(),
    )
    .await
    .unwrap()
    .unwrap();
    let (status, changed, body) = ask(&mut conn, &feeds, &hash, revalidate.clone()).await;
    assert_eq!((status, count.take()), (200, 5));
    assert_ne!(changed, etag);
    assert_eq!(event_of(&body, &world.confirmed_uid)["STATUS"], "CANCELLED");
    let (status, _, _) = ask(&mut conn, &feeds, &hash, revalidate).await;
    assert_eq!((status, count.take()), (200, 1));
    assert_eq!(feeds.usage().events, 2);
}
