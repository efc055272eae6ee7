//! The messages themselves, read back with independent parsers (`mail-parser`, `ical`): the
//! account messages over SMTP and as `.eml` files, with the headers, the MIME structure and the
//! French texts; the oral's messages with their iTIP invitation.

use chrono::{TimeZone, Utc};
use mail_parser::{Message, MessageParser, MimeHeaders};
use schema::calendar::Method;
use schema::domain::Email;
use schema::messages::testing::oral_message;
use schema::messages::{Message as Queued, MessageKind, OralMessage};
use schema::models::OutboxMessage;
use serde_json::json;

use crate::support::{ScratchDir, Setup, data, expected_id, fast, file_mail, link_of, smtp_mail};

/// Checks one message as a mail client would see it.
fn check(parsed: &Message<'_>, row: &OutboxMessage) {
    let kind: MessageKind = row.kind.parse().unwrap();
    let index: usize = row
        .recipient
        .trim_start_matches("personne")
        .split('@')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let link = link_of(&data(kind, index));

    assert_eq!(parsed.message_id(), Some(expected_id(row).as_str()));
    assert_eq!(
        parsed.date().unwrap().to_timestamp(),
        row.created_at.timestamp(),
        "Date is the time the message was queued"
    );
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("certification@beta.gouv.fr"));
    assert_eq!(from.name(), Some("Certification beta.gouv.fr"));
    let reply_to = parsed.reply_to().unwrap().first().unwrap();
    assert_eq!(reply_to.address(), Some("contact@beta.gouv.fr"));
    assert_eq!(
        parsed.to().unwrap().first().unwrap().address(),
        Some(row.recipient.as_str())
    );

    let subject = parsed.subject().unwrap();
    let expected_subject = match kind {
        MessageKind::UserInvitation => {
            "Votre accès à la certification des intrapreneurs de beta.gouv.fr"
        }
        MessageKind::PasswordReset => "Choisir un nouveau mot de passe",
        MessageKind::CandidateSignIn => {
            "Votre lien de connexion à la certification des intrapreneurs"
        }
        other => unreachable!("not an account message: {other:?}"),
    };
    assert_eq!(subject, expected_subject);

    // multipart/alternative with a text part, then an HTML part.
    let root = parsed.root_part();
    let content_type = root.content_type().unwrap();
    assert_eq!(content_type.ctype(), "multipart");
    assert_eq!(content_type.subtype(), Some("alternative"));
    assert_eq!(parsed.text_body.len(), 1);
    assert_eq!(parsed.html_body.len(), 1);
    assert_eq!(
        parsed.parts.len(),
        3,
        "the container and its two alternatives"
    );

    let text = parsed.body_text(0).unwrap();
    let html = parsed.body_html(0).unwrap();
    let name = format!("Bonjour Personne {index},");
    assert!(text.contains(&name), "{text}");
    assert!(text.contains(&link), "{text}");
    assert!(html.contains(&name), "{html}");
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    let expiry = match kind {
        // 1 December 2026, 08:00 UTC + 7 days, in Paris (UTC+1).
        MessageKind::UserInvitation => "mardi 8 décembre 2026 à 9 h 00",
        MessageKind::PasswordReset | MessageKind::CandidateSignIn => {
            "mardi 1er décembre 2026 à 9 h 30"
        }
        other => unreachable!("not an account message: {other:?}"),
    };
    assert!(text.contains(expiry), "{text}");
    assert!(html.contains(expiry), "{html}");
    if kind == MessageKind::UserInvitation {
        assert!(text.contains("Dominique Admin vous invite"), "{text}");
        assert!(text.contains("en tant que coach certificateur"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_three_kinds_are_delivered_over_smtp_as_a_mail_client_reads_them() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    // Credentials go over plain SMTP only to a server on this machine.
    let url = setup
        .smtp
        .url()
        .replace("smtp://", "smtp://certif:secret%20phrase@");
    let dispatcher = setup.dispatcher_with(smtp_mail(&url), fast()).await;

    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent), (3, 3));

    let received = setup.smtp.received();
    assert_eq!(received.len(), 3);
    for message in &received {
        assert!(message.authenticated, "the client authenticated");
        assert_eq!(message.mail_from, "<certification@beta.gouv.fr>");
        let parsed = MessageParser::default().parse(&message.data).unwrap();
        let row = queued
            .iter()
            .find(|row| Some(expected_id(row).as_str()) == parsed.message_id())
            .expect("a Message-ID of a queued row");
        assert_eq!(message.rcpt_to, vec![format!("<{}>", row.recipient)]);
        check(&parsed, row);
    }
    for row in &queued {
        let after = setup.message(row.id).await;
        assert_eq!(after.state, "sent");
        assert_eq!(after.attempts, 1);
        assert_eq!(after.sent_at, Some(crate::support::start()));
        assert!(
            after.data.get("link").is_none(),
            "the link is forgotten once delivered"
        );
        assert!(after.data.get("display_name").is_some());
        assert_eq!(after.claimed_by.as_deref(), Some(dispatcher.claimer()));
        assert_eq!(after.locked_until, None);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_smtp_url_messages_are_written_as_eml_files_a_newcomer_can_open() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    let folder = ScratchDir::new();
    let dir = folder.0.join("mail");
    let dispatcher = setup.dispatcher_with(file_mail(dir.clone()), fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!(batch.sent, 3);

    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = queued
        .iter()
        .map(|row| format!("20261201T080000.000000Z-{}-{}.eml", row.kind, row.id))
        .collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "one readable file per message, nothing else"
    );
    for row in &queued {
        let name = format!("20261201T080000.000000Z-{}-{}.eml", row.kind, row.id);
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let parsed = MessageParser::default().parse(&bytes).unwrap();
        check(&parsed, row);
    }
    assert_eq!(setup.smtp.count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_that_cannot_be_read_back_is_parked_as_dead_with_a_clear_error() {
    use diesel_async::RunQueryDsl;
    let setup = Setup::new().await;
    let good = setup.queue(2).await;
    let mut conn = setup.db.connection().await;
    diesel::sql_query(
        "INSERT INTO outbox_messages (kind, recipient, data, next_attempt_at, created_at) VALUES \
         ('carrier_pigeon', 'a@example.org', '{}', $1, $1), \
         ('password_reset', 'b@example.org', '{\"display_name\": \"B\"}', $1, $1)",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(crate::support::start())
    .execute(&mut conn)
    .await
    .unwrap();
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent, batch.dead), (4, 2, 2));
    assert_eq!(setup.smtp.count(), 2);

    let dead = OutboxMessage::list_dead(&mut conn, 10, 0).await.unwrap();
    assert_eq!(dead.len(), 2);
    let error_of = |kind: &str| {
        dead.iter()
            .find(|message| message.kind == kind)
            .unwrap()
            .last_error
            .clone()
            .unwrap()
    };
    assert_eq!(
        error_of("carrier_pigeon"),
        "unknown message kind \"carrier_pigeon\": no templates"
    );
    // Stored by an older version, or broken by hand: its data is not a password reset.
    assert_eq!(
        error_of("password_reset"),
        "the stored data of this password_reset message does not parse: missing field `link`"
    );
    assert!(dead.iter().all(|message| message.attempts == 1));
    for row in good {
        assert_eq!(setup.message(row.id).await.state, "sent");
    }
}

/// The message the API queues for an oral (see `schema::messages::oral`), with its event, at
/// `starts_at` for 90 minutes.
fn oral_data(
    sequence: u32,
    method: Method,
    starts_at: chrono::DateTime<chrono::Utc>,
) -> OralMessage {
    let ends_at = starts_at + chrono::TimeDelta::minutes(90);
    let mut message = oral_message(sequence, method);
    message.oral.starts_at = starts_at;
    message.oral.ends_at = ends_at;
    message.event.starts_at = starts_at;
    message.event.ends_at = ends_at;
    message.booking_link = None;
    message
}

/// A property's parameters: each name with its values.
type Params = Vec<(String, Vec<String>)>;
/// A property: name, parameters, value.
type ParsedProperty = (String, Params, String);

/// The one VEVENT of a calendar part, as the `ical` crate reads it.
struct ParsedInvitation {
    method: String,
    properties: Vec<ParsedProperty>,
}

impl ParsedInvitation {
    fn parse(ics: &str) -> Self {
        let mut calendars = ical::IcalParser::new(ics.as_bytes());
        let calendar = calendars
            .next()
            .expect("one calendar")
            .expect("a valid calendar");
        assert!(calendars.next().is_none());
        let head = |name: &str| {
            calendar
                .properties
                .iter()
                .find(|property| property.name == name)
                .and_then(|property| property.value.clone())
                .unwrap_or_default()
        };
        assert_eq!(head("VERSION"), "2.0");
        assert!(!head("PRODID").is_empty());
        assert_eq!(calendar.events.len(), 1);
        let properties = calendar.events[0]
            .properties
            .iter()
            .map(|property| {
                (
                    property.name.clone(),
                    property.params.clone().unwrap_or_default(),
                    property.value.clone().unwrap_or_default(),
                )
            })
            .collect();
        Self {
            method: head("METHOD"),
            properties,
        }
    }

    fn value(&self, name: &str) -> &str {
        let found: Vec<_> = self
            .properties
            .iter()
            .filter(|(n, _, _)| n == name)
            .collect();
        assert_eq!(found.len(), 1, "exactly one {name}");
        &found[0].2
    }

    fn all(&self, name: &str) -> Vec<&ParsedProperty> {
        self.properties
            .iter()
            .filter(|(n, _, _)| n == name)
            .collect()
    }
}

fn param<'a>(params: &'a [(String, Vec<String>)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

#[tokio::test(flavor = "multi_thread")]
async fn oral_messages_carry_the_itip_invitation_calendar_apps_read() {
    let setup = Setup::new().await;
    let first = Utc.with_ymd_and_hms(2027, 3, 26, 8, 0, 0).unwrap(); // Friday 09:00 in Paris
    let moved = Utc.with_ymd_and_hms(2027, 3, 29, 7, 0, 0).unwrap(); // Monday 09:00, summer time
    let recipient = Email::parse("camille@administration.example").unwrap();
    let mut rows = Vec::new();
    type Kind = fn(OralMessage) -> Queued;
    let kinds: [(Kind, _, _, _); 3] = [
        (Queued::OralConfirmed, 0, Method::Request, first),
        (Queued::OralMoved, 1, Method::Request, moved),
        (Queued::OralCancelled, 2, Method::Cancel, moved),
    ];
    for (kind, sequence, method, at) in kinds {
        let mut conn = setup.db.connection().await;
        rows.push(
            OutboxMessage::enqueue(
                &mut conn,
                &recipient,
                &kind(oral_data(sequence, method, at)),
                setup.clock_now(),
            )
            .await
            .unwrap(),
        );
        setup.clock.advance(chrono::TimeDelta::seconds(60));
    }
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.sent), (3, 3));

    for received in setup.smtp.received() {
        let parsed = MessageParser::default().parse(&received.data).unwrap();
        let row = rows
            .iter()
            .find(|row| Some(expected_id(row).as_str()) == parsed.message_id())
            .unwrap();
        let (sequence, method, at) = match row.kind.parse::<MessageKind>().unwrap() {
            MessageKind::OralConfirmed => ("0", "REQUEST", first),
            MessageKind::OralMoved => ("1", "REQUEST", moved),
            _ => ("2", "CANCEL", moved),
        };
        // multipart/alternative: text, HTML, then the invitation.
        let root = parsed.root_part().content_type().unwrap();
        assert_eq!(
            (root.ctype(), root.subtype()),
            ("multipart", Some("alternative"))
        );
        assert_eq!(
            parsed.parts.len(),
            4,
            "the container and its three alternatives"
        );
        let calendar_part = &parsed.parts[3];
        let content_type = calendar_part.content_type().unwrap();
        assert_eq!(
            (content_type.ctype(), content_type.subtype()),
            ("text", Some("calendar"))
        );
        assert_eq!(content_type.attribute("method"), Some(method));
        assert_eq!(
            content_type
                .attribute("charset")
                .map(str::to_ascii_uppercase)
                .as_deref(),
            Some("UTF-8")
        );
        let ics = calendar_part.text_contents().expect("a text part");
        assert!(
            ics.contains("\r\n"),
            "CRLF line endings survive the transfer encoding"
        );
        assert!(
            ics.lines()
                .all(|line| line.trim_end_matches('\r').len() <= 75),
            "folded at 75 octets"
        );

        let invitation = ParsedInvitation::parse(ics);
        assert_eq!(invitation.method, method);
        assert_eq!(invitation.value("UID"), "b7a1@certif.example");
        assert_eq!(invitation.value("SEQUENCE"), sequence);
        assert_eq!(
            invitation.value("DTSTART"),
            at.format("%Y%m%dT%H%M%SZ").to_string()
        );
        assert_eq!(
            invitation.value("DTEND"),
            (at + chrono::TimeDelta::minutes(90))
                .format("%Y%m%dT%H%M%SZ")
                .to_string()
        );
        assert_eq!(
            invitation.value("DTSTAMP"),
            row.created_at.format("%Y%m%dT%H%M%SZ").to_string(),
            "DTSTAMP is the time of the change, the same on every attempt"
        );
        assert_eq!(
            invitation.value("STATUS"),
            if method == "CANCEL" {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        );
        // The organizer is the sending address.
        let from = parsed
            .from()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_owned();
        assert_eq!(
            invitation.value("ORGANIZER").to_ascii_lowercase(),
            format!("mailto:{from}")
        );
        let attendees = invitation.all("ATTENDEE");
        let mut addresses: Vec<String> = attendees
            .iter()
            .map(|(_, _, value)| value.to_ascii_lowercase())
            .collect();
        addresses.sort();
        assert_eq!(
            addresses,
            [
                "mailto:camille@administration.example",
                "mailto:juree@beta.gouv.fr",
                "mailto:sophie@coachs.example"
            ]
        );
        for (_, params, _) in &attendees {
            assert_eq!(param(params, "PARTSTAT"), Some("NEEDS-ACTION"));
            assert_eq!(param(params, "RSVP"), Some("FALSE"), "no reply asked for");
            assert!(param(params, "ROLE").is_some());
        }
        assert_eq!(invitation.value("LOCATION"), "https://visio.example/oral");
        // The body shows Paris time on both sides of the change to summer time.
        let text = parsed.body_text(0).unwrap();
        let local = if at == first {
            "vendredi 26 mars 2027 à 9 h 00"
        } else {
            "lundi 29 mars 2027 à 9 h 00"
        };
        assert!(text.contains(local), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oral_message_with_a_broken_invitation_is_parked_with_a_clear_error() {
    let setup = Setup::new().await;
    let start = crate::support::start();
    let stored = || serde_json::to_value(oral_data(0, Method::Request, start)).unwrap();
    let mut broken_method = stored();
    broken_method["method"] = json!("PUBLISH");
    let mut broken_event = stored();
    broken_event["event"] = json!({ "uid": 3 });
    let mut conn = setup.db.connection().await;
    for data in [broken_method, broken_event] {
        schema::testing::enqueue_raw(
            &mut conn,
            MessageKind::OralConfirmed.as_str(),
            "camille@administration.example",
            data,
            start,
        )
        .await;
    }
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.dead), (2, 2));
    let dead = OutboxMessage::list_dead(&mut conn, 10, 0).await.unwrap();
    let errors: Vec<String> = dead
        .into_iter()
        .filter_map(|message| message.last_error)
        .collect();
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|error| error.contains("oral_confirmed message does not parse")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|error| error.contains("PUBLISH")),
        "{errors:?}"
    );
    assert_eq!(setup.smtp.count(), 0);
}
