//! The oral's invitations end to end: the API changes an oral over HTTP (a booking, a juror
//! added, replaced and removed, a move by an admin and a candidate's reschedule, both onto
//! another coach's slot), the real outbox dispatcher delivers every message to a loopback SMTP
//! server, and each attendee's mailbox is read back with independent parsers (`mail-parser`,
//! the `ical` crate): everyone taken off the oral holds a CANCEL with the raised SEQUENCE, and
//! a calendar applying each mailbox's messages in order keeps the oral only for those on it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use scheduler::Dispatcher;
use scheduler::config::{
    ChatConfig, MailConfig, MailTransportConfig, OutboxConfig, parse_smtp_url,
};
use scheduler::testing::SmtpReceiver;
use schema::config::Environment;
use schema::domain::{Role, SessionId, UserId};
use schema::models::{SessionOwner, Slot};
use schema::scenario::Scenario;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::{Harness, TestServer};

const CANDIDATE: &str = "camille@administration.example";
const ANNE: &str = "anne@coachs.example";
const BRUNO: &str = "bruno@coachs.example";
const CHLOE: &str = "chloe@coachs.example";
/// A coach of certif, named second juror first.
const JULES: &str = "jules@coachs.example";
/// An outside second juror, without an account.
const OUTSIDE: &str = "externe@ailleurs.example";

fn now() -> DateTime<Utc> {
    "2027-05-12T08:00:00Z".parse().unwrap()
}

async fn coach_with_slot(
    harness: &Harness,
    email: &str,
    name: &str,
    session: schema::domain::SessionId,
    starts_at: DateTime<Utc>,
) -> (UserId, Slot) {
    let scenario = Scenario::at(now());
    let mut conn = harness.db.connection().await;
    let coach = scenario
        .coach(email, name)
        .video(&format!(
            "https://visio.example/{}",
            email.split('@').next().unwrap()
        ))
        .create(&mut conn)
        .await
        .unwrap();
    let slot = scenario
        .slot(coach.id, session, starts_at)
        .create(&mut conn)
        .await
        .unwrap();
    (coach.id, slot)
}

/// Runs one operation over HTTP (with the bearer when given) and returns its data.
async fn call(server: &TestServer, bearer: Option<&str>, query: &str) -> serde_json::Value {
    let headers: Vec<(&str, &str)> = bearer.map(|b| ("authorization", b)).into_iter().collect();
    let (status, _, body) = server.post_json(&json!({ "query": query }), &headers).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

/// One message as its recipient's mail client and calendar see it.
#[derive(Debug)]
struct Delivered {
    subject: String,
    text: String,
    /// The `method` parameter of the `text/calendar` part.
    part_method: String,
    method: String,
    uid: String,
    sequence: u32,
    status: String,
    dtstart: String,
    /// The ATTENDEE addresses, lowercased and sorted.
    attendees: Vec<String>,
}

fn read(data: &[u8]) -> Delivered {
    let parsed = MessageParser::default()
        .parse(data)
        .expect("a parseable message");
    let part = parsed
        .parts
        .iter()
        .find(|part| {
            part.content_type()
                .is_some_and(|ct| ct.ctype() == "text" && ct.subtype() == Some("calendar"))
        })
        .expect("a text/calendar part");
    let part_method = part
        .content_type()
        .and_then(|ct| ct.attribute("method"))
        .unwrap_or_default()
        .to_owned();
    let ics = part.text_contents().expect("a text part");
    let mut calendars = ical::IcalParser::new(ics.as_bytes());
    let calendar = calendars.next().expect("a calendar").expect("a valid one");
    assert!(calendars.next().is_none());
    assert_eq!(calendar.events.len(), 1);
    let head = |name: &str| {
        calendar
            .properties
            .iter()
            .find(|property| property.name == name)
            .and_then(|property| property.value.clone())
            .unwrap_or_default()
    };
    let properties = &calendar.events[0].properties;
    let one = |name: &str| {
        let found: Vec<_> = properties
            .iter()
            .filter(|property| property.name == name)
            .collect();
        assert_eq!(found.len(), 1, "exactly one {name}");
        found[0].value.clone().unwrap_or_default()
    };
    let mut attendees: Vec<String> = properties
        .iter()
        .filter(|property| property.name == "ATTENDEE")
        .map(|property| {
            property
                .value
                .clone()
                .unwrap_or_default()
                .to_lowercase()
                .trim_start_matches("mailto:")
                .to_owned()
        })
        .collect();
    attendees.sort();
    Delivered {
        subject: parsed.subject().unwrap_or_default().to_owned(),
        text: parsed.body_text(0).unwrap_or_default().into_owned(),
        part_method,
        method: head("METHOD"),
        uid: one("UID"),
        sequence: one("SEQUENCE").parse().unwrap(),
        status: one("STATUS"),
        dtstart: one("DTSTART"),
        attendees,
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut list: Vec<String> = list.iter().map(|email| (*email).to_owned()).collect();
    list.sort();
    list
}

/// The candidate's complete application, and its booking link's token.
async fn complete_candidate(harness: &Harness) -> (SessionId, String) {
    let candidate = harness.candidate(CANDIDATE, "Camille Martin").await;
    let (application, token) = harness.complete_with_booking_link(candidate.id).await;
    (application.session_id, token)
}

#[tokio::test(flavor = "multi_thread")]
async fn everyone_taken_off_an_oral_holds_a_cancel_with_the_raised_sequence() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, token) = complete_candidate(&harness).await;
    // Tuesday 25, Wednesday 26 and Thursday 27 May 2027, 09:00 in Paris.
    let (_, anne_slot) = coach_with_slot(
        &harness,
        ANNE,
        "Anne Coach",
        session,
        "2027-05-25T07:00:00Z".parse().unwrap(),
    )
    .await;
    let (_, bruno_slot) = coach_with_slot(
        &harness,
        BRUNO,
        "Bruno Coach",
        session,
        "2027-05-26T07:00:00Z".parse().unwrap(),
    )
    .await;
    let (_, chloe_slot) = coach_with_slot(
        &harness,
        CHLOE,
        "Chloé Coach",
        session,
        "2027-05-27T07:00:00Z".parse().unwrap(),
    )
    .await;
    harness
        .user(JULES, "Jules Juré", &[Role::Coach], None)
        .await;
    let admin = harness
        .user("admin@beta.gouv.fr", "Admin", &[Role::Admin], None)
        .await;
    let (_, admin_token) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let admin = format!("Bearer {}", admin_token.expose());
    let admin = Some(admin.as_str());
    let server = harness.serve().await;

    // The walk: each step raises the SEQUENCE by one.
    let booked = call(
        &server,
        None,
        &format!(
            "mutation {{ bookOral(token: \"{token}\", slotId: \"{}\") {{ id icalUid sequence }} }}",
            anne_slot.id
        ),
    )
    .await;
    let booking = booked["bookOral"]["id"].as_str().unwrap().to_owned();
    let uid = booked["bookOral"]["icalUid"].as_str().unwrap().to_owned();
    let mut sequence = 0;
    assert_eq!(booked["bookOral"]["sequence"], sequence);
    let juror = |email: &str| {
        format!(
            "mutation {{ setSecondJuror(bookingId: \"{booking}\", email: {email}) {{ sequence }} }}"
        )
    };
    let steps = [
        ("setSecondJuror", admin, juror(&format!("\"{JULES}\""))),
        ("setSecondJuror", admin, juror(&format!("\"{OUTSIDE}\""))),
        (
            "moveOral",
            admin,
            format!(
                "mutation {{ moveOral(bookingId: \"{booking}\", slotId: \"{}\") {{ sequence }} }}",
                bruno_slot.id
            ),
        ),
        (
            "rescheduleOral",
            None,
            format!(
                "mutation {{ rescheduleOral(token: \"{token}\", slotId: \"{}\") {{ sequence }} }}",
                chloe_slot.id
            ),
        ),
        ("setSecondJuror", admin, juror("null")),
    ];
    for (field, bearer, query) in steps {
        harness.clock.advance(Duration::minutes(1));
        sequence += 1;
        let data = call(&server, bearer, &query).await;
        assert_eq!(data[field]["sequence"], sequence, "{field}");
    }

    // The real dispatcher delivers everything the walk queued.
    let smtp = SmtpReceiver::start().await;
    let scratch =
        std::env::temp_dir().join(format!("certif-itip-{}", uuid::Uuid::new_v4().simple()));
    let dispatcher = Dispatcher::new(
        harness.db.pool(),
        Arc::new(harness.clock.clone()),
        "itip",
        MailConfig {
            transport: MailTransportConfig::Smtp(parse_smtp_url(&smtp.url()).unwrap()),
            send_timeout: StdDuration::from_secs(5),
            ..MailConfig::default()
        },
        ChatConfig::Files { dir: scratch },
        OutboxConfig {
            poll_interval: StdDuration::from_millis(20),
            ..OutboxConfig::default()
        },
    )
    .await
    .unwrap();
    let stop = CancellationToken::new();
    let dispatcher_passes = dispatcher.passes();
    let running = tokio::spawn(dispatcher.run(stop.clone()));
    // 2 at the booking, then 3, 4, 4, 4 and 3: everyone on the oral, and whoever left it.
    let expected = 2 + 3 + 4 + 4 + 4 + 3;
    assert!(
        smtp.wait_for(expected, StdDuration::from_secs(30)).await,
        "{} of {expected} messages arrived",
        smtp.count()
    );
    // Two more passes, so that one has looked at the outbox after the last send: anything more
    // it would wrongly send is in `received` by then.
    let mut passes = dispatcher_passes;
    let seen = *passes.borrow_and_update();
    passes.wait_for(|&passes| passes >= seen + 2).await.unwrap();
    stop.cancel();
    running.await.unwrap();
    let received = smtp.received();
    assert_eq!(received.len(), expected, "nothing more");

    // Each attendee's mailbox, in SEQUENCE order.
    let mut mailboxes: BTreeMap<String, Vec<Delivered>> = BTreeMap::new();
    for message in &received {
        assert_eq!(message.rcpt_to.len(), 1);
        let to = message.rcpt_to[0].trim_matches(['<', '>']).to_owned();
        mailboxes.entry(to).or_default().push(read(&message.data));
    }
    for mailbox in mailboxes.values_mut() {
        mailbox.sort_by_key(|delivered| delivered.sequence);
    }
    let held: BTreeMap<&str, Vec<(&str, u32)>> = mailboxes
        .iter()
        .map(|(to, mailbox)| {
            (
                to.as_str(),
                mailbox
                    .iter()
                    .map(|delivered| (delivered.method.as_str(), delivered.sequence))
                    .collect(),
            )
        })
        .collect();
    let request = |sequence| ("REQUEST", sequence);
    let cancel = |sequence| ("CANCEL", sequence);
    assert_eq!(
        held,
        BTreeMap::from([
            (ANNE, vec![request(0), request(1), request(2), cancel(3)]),
            (BRUNO, vec![request(3), cancel(4)]),
            (CANDIDATE, (0..=5).map(request).collect()),
            (CHLOE, vec![request(4), request(5)]),
            (OUTSIDE, vec![request(2), request(3), request(4), cancel(5)]),
            (JULES, vec![request(1), cancel(2)]),
        ])
    );

    // Who each REQUEST invites, by SEQUENCE: the people on the oral after that change.
    let on_the_oral = BTreeMap::from([
        (0, sorted(&[CANDIDATE, ANNE])),
        (1, sorted(&[CANDIDATE, ANNE, JULES])),
        (2, sorted(&[CANDIDATE, ANNE, OUTSIDE])),
        (3, sorted(&[CANDIDATE, BRUNO, OUTSIDE])),
        (4, sorted(&[CANDIDATE, CHLOE, OUTSIDE])),
        (5, sorted(&[CANDIDATE, CHLOE])),
    ]);
    let slot_at = BTreeMap::from([
        (0, &anne_slot),
        (1, &anne_slot),
        (2, &anne_slot),
        (3, &bruno_slot),
        (4, &chloe_slot),
        (5, &chloe_slot),
    ]);
    for (to, mailbox) in &mailboxes {
        for (index, delivered) in mailbox.iter().enumerate() {
            assert_eq!(delivered.uid, uid, "one UID for the life of the booking");
            assert_eq!(delivered.part_method, delivered.method);
            if delivered.method == "REQUEST" {
                assert_eq!(delivered.status, "CONFIRMED");
                assert_eq!(
                    delivered.attendees, on_the_oral[&delivered.sequence],
                    "{to}"
                );
                assert_eq!(
                    delivered.dtstart,
                    stamp(slot_at[&delivered.sequence].starts_at)
                );
                // A newcomer is told the oral is confirmed; the others that it changed.
                let newcomer = index == 0 && to != CANDIDATE && to != ANNE;
                let expected_subject = if delivered.sequence == 0 || newcomer {
                    "Oral de certification confirmé"
                } else {
                    "Oral de certification modifié"
                };
                assert!(
                    delivered.subject.starts_with(expected_subject),
                    "{to}: {}",
                    delivered.subject
                );
                continue;
            }
            // The CANCEL to the person taken off: the raised SEQUENCE, STATUS:CANCELLED, only
            // them as ATTENDEE, the oral as they knew it, and a French text saying so.
            assert_eq!(delivered.method, "CANCEL", "{to}");
            assert_eq!(delivered.status, "CANCELLED");
            assert_eq!(delivered.attendees, std::slice::from_ref(to));
            let previous = &mailbox[index - 1];
            assert_eq!(delivered.sequence, previous.sequence + 1, "{to}");
            assert_eq!(
                delivered.dtstart, previous.dtstart,
                "{to}: the time they knew"
            );
            assert!(
                delivered
                    .subject
                    .starts_with("Vous ne participez plus à l’oral de certification du"),
                "{}",
                delivered.subject
            );
            assert!(
                delivered.text.contains("vous n’y participez plus"),
                "{}",
                delivered.text
            );
            assert!(
                delivered
                    .text
                    .contains("L’annulation jointe le retire de votre agenda"),
                "{}",
                delivered.text
            );
            let why = if to == ANNE || to == BRUNO {
                "a été déplacé sur le créneau d’un autre coach"
            } else {
                "en tant que second juré"
            };
            assert!(delivered.text.contains(why), "{to}: {}", delivered.text);
            assert!(
                !delivered.text.contains("/reservation/"),
                "no booking link for the jury"
            );
        }
    }

    // A calendar applying each mailbox's messages (RFC 5546: a message counts when its
    // SEQUENCE is not below the one held) keeps the oral for those on it only.
    for (to, mailbox) in &mailboxes {
        let mut held: Option<(u32, &str, &str)> = None;
        for delivered in mailbox {
            if held.is_none_or(|(sequence, _, _)| delivered.sequence >= sequence) {
                let status = if delivered.method == "CANCEL" {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                };
                held = Some((delivered.sequence, status, delivered.dtstart.as_str()));
            }
        }
        let (_, status, dtstart) = held.unwrap();
        if to == CANDIDATE || to == CHLOE {
            assert_eq!(status, "CONFIRMED", "{to}");
            assert_eq!(dtstart, stamp(chloe_slot.starts_at), "{to}");
        } else {
            assert_eq!(status, "CANCELLED", "{to}: no phantom oral");
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Removal {
    #[diesel(sql_type = diesel::sql_types::Text)]
    recipient: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    sequence: i32,
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_jury_changes_each_cancel_the_juror_they_replace() {
    let harness = Harness::new(Environment::Development, now()).await;
    let (session, token) = complete_candidate(&harness).await;
    let (_, slot) = coach_with_slot(
        &harness,
        ANNE,
        "Anne Coach",
        session,
        "2027-05-25T07:00:00Z".parse().unwrap(),
    )
    .await;
    let booked = harness
        .run(&format!(
            "mutation {{ bookOral(token: \"{token}\", slotId: \"{}\") {{ id }} }}",
            slot.id
        ))
        .await;
    let booking = booked["data"]["bookOral"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = harness
        .user("admin@beta.gouv.fr", "Admin", &[Role::Admin], None)
        .await;
    let (viewer, _) = harness.signed_in(SessionOwner::User(admin.id)).await;
    let set = |email: String| {
        let harness = &harness;
        let viewer = viewer.clone();
        let query = format!(
            "mutation {{ setSecondJuror(bookingId: \"{booking}\", email: \"{email}\") {{ sequence }} }}"
        );
        async move { harness.run_as(viewer, &query).await }
    };
    assert!(set(JULES.to_owned()).await["errors"].is_null());
    // Ten admins name ten jurors at once: the changes queue one after the other.
    let jurors: Vec<String> = (0..10)
        .map(|index| format!("jure{index}@ailleurs.example"))
        .collect();
    let answers = futures_util::future::join_all(jurors.iter().cloned().map(set)).await;
    let mut sequences: Vec<i64> = answers
        .iter()
        .map(|answer| {
            assert!(answer["errors"].is_null(), "{answer}");
            answer["data"]["setSecondJuror"]["sequence"]
                .as_i64()
                .unwrap()
        })
        .collect();
    sequences.sort();
    assert_eq!(sequences, (2..=11).collect::<Vec<_>>());

    let mut conn = harness.db.connection().await;
    let removals: Vec<Removal> = diesel_async::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT recipient, (data->'event'->>'sequence')::int AS sequence FROM outbox_messages \
             WHERE kind = 'oral_removed' AND data->>'method' = 'CANCEL' ORDER BY 2",
        ),
        &mut conn,
    )
    .await
    .unwrap();
    let final_juror =
        schema::models::Booking::orals(&mut conn, None, Some(booking.parse().unwrap()))
            .await
            .unwrap()
            .remove(0)
            .booking
            .second_juror_email
            .unwrap()
            .to_string();
    // Every juror but the last was replaced once, and got exactly one CANCEL, at the
    // SEQUENCE of the change that replaced them.
    let mut removed: Vec<String> = removals.iter().map(|row| row.recipient.clone()).collect();
    removed.sort();
    let mut expected: Vec<String> = std::iter::once(JULES.to_owned())
        .chain(jurors.iter().cloned())
        .filter(|juror| *juror != final_juror)
        .collect();
    expected.sort();
    assert_eq!(removed, expected);
    assert_eq!(
        removals.iter().map(|row| row.sequence).collect::<Vec<_>>(),
        (2..=11).collect::<Vec<_>>()
    );
}
