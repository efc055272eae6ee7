//! The rendered calendars read back with an independent parser (the `ical` crate), property by
//! property, on both daylight-saving changes, with long French text and escaped characters.

use std::io::BufReader;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Paris;
use ical::IcalParser;
use ical::parser::ical::component::IcalCalendar;
use ical::property::Property as Parsed;
use uuid::Uuid;

use super::*;
use crate::domain::{
    ApplicationId, BookingId, BookingState, Email, OralMode, SessionId, SlotId, SlotState, UserId,
};
use crate::models::{Booking, Slot};

const ORGANIZER: &str = "certification@beta.gouv.fr";
const CANDIDATE_EMAIL: &str = "camille.martin@administration.example";
const UID: &str = "0b1c5e2a-7d3f-4c8e-9a61-2f4b8d0c6e13@certif.beta.gouv.fr";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

/// An oral as `Booking::orals` returns it.
fn details(
    starts_at: &str,
    minutes: i64,
    mode: OralMode,
    cancelled: bool,
    sequence: i32,
) -> OralDetails {
    let starts_at = at(starts_at);
    let created = at("2026-09-01T10:00:00Z");
    OralDetails {
        booking: Booking {
            id: BookingId(Uuid::from_u128(1)),
            application_id: ApplicationId(Uuid::from_u128(2)),
            slot_id: SlotId(Uuid::from_u128(3)),
            ical_uid: UID.to_owned(),
            sequence,
            state: if cancelled {
                BookingState::Cancelled
            } else {
                BookingState::Confirmed
            },
            mode,
            second_juror_user_id: None,
            second_juror_email: None,
            cancel_reason: cancelled.then(|| "Empêchement".to_owned()),
            cancelled_at: cancelled.then_some(created),
            created_at: created,
            updated_at: created,
        },
        slot: Slot {
            id: SlotId(Uuid::from_u128(3)),
            coach_id: UserId(Uuid::from_u128(4)),
            session_id: SessionId(Uuid::from_u128(5)),
            starts_at,
            ends_at: starts_at + Duration::minutes(minutes),
            modes: vec![OralMode::Video, OralMode::Phone],
            state: SlotState::Open,
            created_at: created,
        },
        coach_name: "Claire Coach".to_owned(),
        coach_email: email("claire@coachs.example"),
        candidate_name: "Camille Martin".to_owned(),
        candidate_email: email(CANDIDATE_EMAIL),
        startup_name: "Aides Jeunes".to_owned(),
        video_link: Some("https://webinaire.numerique.gouv.fr/meet/oral-42".to_owned()),
        phone: Some("+33 1 23 45 67 89".to_owned()),
    }
}

/// Reads exactly one calendar.
fn parse(text: &str) -> IcalCalendar {
    let mut parser = IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .expect("a calendar")
        .expect("a well-formed calendar");
    assert!(parser.next().is_none(), "one calendar only");
    calendar
}

fn all<'a>(properties: &'a [Parsed], name: &str) -> Vec<&'a Parsed> {
    properties
        .iter()
        .filter(|property| property.name == name)
        .collect()
}

fn one<'a>(properties: &'a [Parsed], name: &str) -> &'a Parsed {
    let found = all(properties, name);
    assert_eq!(found.len(), 1, "exactly one {name}: {properties:?}");
    found[0]
}

/// The unescaped value of the only `name` property.
fn value(properties: &[Parsed], name: &str) -> String {
    unescape(one(properties, name).value.as_deref().unwrap_or_default())
}

fn param(property: &Parsed, key: &str) -> Option<Vec<String>> {
    property
        .params
        .as_ref()?
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, values)| values.clone())
}

/// RFC 5545 §3.3.11, written here rather than borrowed from the crate under test.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other @ ('\\' | ',' | ';')) => out.push(other),
            other => panic!("bad escape \\{other:?} in {raw:?}"),
        }
    }
    out
}

/// CRLF after every line and nowhere else, at most 75 octets a line, never a UTF-8 character
/// split across a fold.
fn assert_wire_format(text: &str) {
    assert!(text.ends_with("\r\n"), "ends with CRLF");
    let bytes = text.as_bytes();
    for (index, byte) in bytes.iter().enumerate() {
        if *byte == b'\n' {
            assert!(index > 0 && bytes[index - 1] == b'\r', "bare LF at {index}");
        }
        if *byte == b'\r' {
            assert_eq!(bytes.get(index + 1), Some(&b'\n'), "bare CR at {index}");
        }
    }
    for line in bytes.split(|byte| *byte == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "a folded line splits a character: {line:?}"
        );
    }
}

fn invitation_of(details: &OralDetails, method: Method) -> String {
    invitation(
        &oral_event(details, ORGANIZER, true),
        method,
        at("2027-03-01T12:00:00Z"),
    )
}

#[test]
fn an_invitation_carries_every_property_of_an_itip_request() {
    let mut oral = details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0);
    oral.booking.second_juror_email = Some(email("juror@ailleurs.example"));
    let text = invitation_of(&oral, Method::Request);
    assert_wire_format(&text);
    let calendar = parse(&text);
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "PRODID"), PRODID);
    assert_eq!(value(&calendar.properties, "METHOD"), "REQUEST");
    assert!(calendar.timezones.is_empty(), "UTC only: no VTIMEZONE");
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0].properties;
    assert_eq!(value(event, "UID"), UID);
    assert_eq!(value(event, "DTSTAMP"), "20270301T120000Z");
    assert_eq!(value(event, "DTSTART"), "20270328T070000Z");
    assert_eq!(value(event, "DTEND"), "20270328T083000Z");
    for name in ["DTSTART", "DTEND", "DTSTAMP"] {
        assert!(one(event, name).params.is_none(), "{name} has no TZID");
    }
    assert_eq!(
        value(event, "SUMMARY"),
        "Oral de certification — Camille Martin (Aides Jeunes)"
    );
    let description = value(event, "DESCRIPTION");
    assert!(
        description.contains("Date : dimanche 28 mars 2027, de 09:00 à 10:30 (heure de Paris)."),
        "{description}"
    );
    assert!(description.contains("Durée : 90 minutes."), "{description}");
    assert!(
        description.contains("Coach : Claire Coach."),
        "{description}"
    );
    assert!(
        description
            .contains("En visioconférence : https://webinaire.numerique.gouv.fr/meet/oral-42"),
        "{description}"
    );
    assert_eq!(
        value(event, "LOCATION"),
        "https://webinaire.numerique.gouv.fr/meet/oral-42"
    );
    let organizer = one(event, "ORGANIZER");
    assert_eq!(
        organizer.value.as_deref(),
        Some("mailto:certification@beta.gouv.fr")
    );
    assert!(organizer.params.is_none(), "a bare mailto: organizer");
    let attendees = all(event, "ATTENDEE");
    let emails: Vec<&str> = attendees
        .iter()
        .map(|attendee| attendee.value.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        emails,
        [
            "mailto:camille.martin@administration.example",
            "mailto:claire@coachs.example",
            "mailto:juror@ailleurs.example"
        ]
    );
    let names: Vec<Vec<String>> = attendees
        .iter()
        .map(|attendee| param(attendee, "CN").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            vec!["Camille Martin"],
            vec!["Claire Coach"],
            vec!["juror@ailleurs.example"]
        ]
    );
    for attendee in attendees {
        assert_eq!(param(attendee, "ROLE").unwrap(), ["REQ-PARTICIPANT"]);
        assert_eq!(param(attendee, "PARTSTAT").unwrap(), ["NEEDS-ACTION"]);
        assert_eq!(
            param(attendee, "RSVP").unwrap(),
            ["FALSE"],
            "nothing reads replies: none is asked for"
        );
    }
    assert_eq!(value(event, "SEQUENCE"), "0");
    assert_eq!(value(event, "STATUS"), "CONFIRMED");
}

#[test]
fn a_cancellation_has_method_cancel_status_cancelled_and_the_raised_sequence() {
    let text = invitation_of(
        &details("2027-03-28T07:00:00Z", 90, OralMode::Video, true, 1),
        Method::Cancel,
    );
    assert_wire_format(&text);
    let calendar = parse(&text);
    assert_eq!(value(&calendar.properties, "METHOD"), "CANCEL");
    let event = &calendar.events[0].properties;
    assert_eq!(value(event, "UID"), UID);
    assert_eq!(value(event, "SEQUENCE"), "1");
    assert_eq!(value(event, "STATUS"), "CANCELLED");
    assert!(value(event, "SUMMARY").starts_with("Annulé : Oral de certification"));
    assert!(value(event, "DESCRIPTION").starts_with("Cet oral est annulé.\n"));

    // METHOD:CANCEL always says CANCELLED, whatever the event says.
    let text = invitation_of(
        &details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 3),
        Method::Cancel,
    );
    let event = &parse(&text).events[0].properties;
    assert_eq!(value(event, "STATUS"), "CANCELLED");
    assert_eq!(value(event, "SEQUENCE"), "3");
}

#[test]
fn times_are_utc_on_both_daylight_saving_changes() {
    // Summer time starts on 2027-03-28 (UTC+2) and ends on 2026-10-25 (UTC+1): 09:00 in Paris both days.
    for (starts_at, minutes, dtstart, dtend, paris) in [
        (
            "2027-03-28T07:00:00Z",
            90,
            "20270328T070000Z",
            "20270328T083000Z",
            "dimanche 28 mars 2027, de 09:00 à 10:30",
        ),
        (
            "2026-10-25T08:00:00Z",
            60,
            "20261025T080000Z",
            "20261025T090000Z",
            "dimanche 25 octobre 2026, de 09:00 à 10:00",
        ),
    ] {
        let text = invitation_of(
            &details(starts_at, minutes, OralMode::Video, false, 0),
            Method::Request,
        );
        let calendar = parse(&text);
        assert!(calendar.timezones.is_empty());
        assert!(!text.contains("TZID"), "{text}");
        let event = &calendar.events[0].properties;
        assert_eq!(value(event, "DTSTART"), dtstart);
        assert_eq!(value(event, "DTEND"), dtend);
        let start =
            chrono::NaiveDateTime::parse_from_str(&value(event, "DTSTART"), "%Y%m%dT%H%M%SZ")
                .unwrap()
                .and_utc();
        assert_eq!(
            start.with_timezone(&Paris).format("%H:%M").to_string(),
            "09:00"
        );
        let description = value(event, "DESCRIPTION");
        assert!(description.contains(paris), "{description}");
        assert!(
            description.contains(&format!("Durée : {minutes} minutes.")),
            "{description}"
        );
    }
}

#[test]
fn the_feed_has_no_method_no_attendee_and_keeps_cancelled_orals() {
    let confirmed = oral_event(
        &details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0),
        ORGANIZER,
        false,
    );
    let mut cancelled = oral_event(
        &details("2026-10-25T08:00:00Z", 60, OralMode::Phone, true, 1),
        ORGANIZER,
        false,
    );
    cancelled.uid = "second@certif.beta.gouv.fr".to_owned();
    let name = "Oraux de certification — Claire Coach, jury; équipe";
    let entries = [
        FeedEvent {
            event: confirmed,
            revised_at: at("2027-03-01T12:00:00Z"),
        },
        FeedEvent {
            event: cancelled,
            revised_at: at("2026-10-20T09:30:15Z"),
        },
    ];
    let text = feed(name, &entries);
    assert_wire_format(&text);
    assert!(
        text.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nX-PUBLISHED-TTL:PT1H\r\n"), "{text}");
    assert!(
        !text.contains(CANDIDATE_EMAIL),
        "no candidate address in a feed"
    );
    let calendar = parse(&text);
    assert!(
        all(&calendar.properties, "METHOD").is_empty(),
        "no METHOD in a feed"
    );
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "NAME"), name);
    // X-WR-CALNAME as ical.js and python-icalendar read it: raw, nothing to unescape.
    assert_eq!(
        one(&calendar.properties, "X-WR-CALNAME").value.as_deref(),
        Some("Oraux de certification — Claire Coach\u{201A} jury\u{FF1B} équipe")
    );
    let refresh = one(&calendar.properties, "REFRESH-INTERVAL");
    assert_eq!(param(refresh, "VALUE").unwrap(), ["DURATION"]);
    assert_eq!(refresh.value.as_deref(), Some("PT1H"));
    assert_eq!(calendar.events.len(), 2);
    for event in &calendar.events {
        assert!(
            all(&event.properties, "ATTENDEE").is_empty(),
            "no ATTENDEE in a feed"
        );
        assert_eq!(
            value(&event.properties, "ORGANIZER"),
            "mailto:certification@beta.gouv.fr"
        );
    }
    // Each event keeps its own DTSTAMP: the last change of its booking.
    assert_eq!(
        value(&calendar.events[0].properties, "DTSTAMP"),
        "20270301T120000Z"
    );
    assert_eq!(
        value(&calendar.events[1].properties, "DTSTAMP"),
        "20261020T093015Z"
    );
    let first = &calendar.events[0].properties;
    assert_eq!(value(first, "UID"), UID);
    assert_eq!(value(first, "STATUS"), "CONFIRMED");
    assert_eq!(value(first, "SEQUENCE"), "0");
    let second = &calendar.events[1].properties;
    assert_eq!(value(second, "UID"), "second@certif.beta.gouv.fr");
    assert_eq!(value(second, "STATUS"), "CANCELLED");
    assert_eq!(value(second, "SEQUENCE"), "1");
    assert_eq!(value(second, "LOCATION"), "Téléphone : +33 1 23 45 67 89");
    assert!(
        value(second, "DESCRIPTION")
            .contains("Par téléphone, au numéro du coach : +33 1 23 45 67 89.")
    );
    assert_eq!(value(second, "DTSTART"), "20261025T080000Z");
}

#[test]
fn a_feed_event_holds_no_candidate_address_at_all() {
    let event = oral_event(
        &details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0),
        ORGANIZER,
        false,
    );
    assert!(!format!("{event:?}").contains(CANDIDATE_EMAIL));
    assert_eq!(
        event.attendees,
        [Attendee {
            name: "Claire Coach".to_owned(),
            email: "claire@coachs.example".to_owned()
        }]
    );
    assert!(
        !invitation(&event, Method::Request, at("2027-03-01T12:00:00Z")).contains(CANDIDATE_EMAIL)
    );
}

#[test]
fn long_french_text_is_folded_at_75_octets_without_splitting_a_character() {
    let mut event = oral_event(
        &details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0),
        ORGANIZER,
        true,
    );
    event.description = "Évaluation des compétences « produit » : l'équipe décrit le problème, les usagers, \
                         l'impact mesuré et la trajectoire d'accélération — 😀 déjà évoqués à l'écrit.\n"
        .repeat(6);
    let text = invitation(&event, Method::Request, at("2027-03-01T12:00:00Z"));
    assert_wire_format(&text);
    assert!(
        text.lines().filter(|line| line.starts_with(' ')).count() >= 10,
        "{text}"
    );
    let calendar = parse(&text);
    assert_eq!(
        value(&calendar.events[0].properties, "DESCRIPTION"),
        event.description
    );
}

#[test]
fn folding_holds_for_every_length() {
    // Lengths around each multiple of 74 and 75, with two-, three- and four-octet characters and
    // spaces at every position: the last piece of a folded line must not reach 76 octets.
    let pattern = ['a', 'é', ' ', '€', 'b', '😀', 'c', ' ', 'd'];
    for length in 0..400 {
        let text: String = pattern.iter().cycle().take(length).collect();
        let mut event = oral_event(
            &details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0),
            ORGANIZER,
            true,
        );
        event.summary = format!("x{text}x");
        event.description = "y".repeat(length);
        let rendered = invitation(&event, Method::Request, at("2027-03-01T12:00:00Z"));
        assert_wire_format(&rendered);
        let event_properties = &parse(&rendered).events[0].properties;
        assert_eq!(
            value(event_properties, "SUMMARY"),
            format!("x{text}x"),
            "length {length}"
        );
        assert_eq!(
            value(event_properties, "DESCRIPTION"),
            "y".repeat(length),
            "length {length}"
        );
    }
}

#[test]
fn commas_semicolons_backslashes_and_line_breaks_round_trip() {
    let mut event = oral_event(
        &details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0),
        ORGANIZER,
        true,
    );
    event.summary = "Startup « A, B ; C » \\ fin".to_owned();
    event.description =
        "ligne 1\nligne 2\r\nligne 3, avec ; et \\ et \"guillemets\"\rfin".to_owned();
    event.location = Some("Salle 1, bâtiment B; étage 2 \\n".to_owned());
    event.attendees[0].name = "Martin, Camille \"Cam\"; dite:\nla candidate".to_owned();
    let text = invitation(&event, Method::Request, at("2027-03-01T12:00:00Z"));
    assert_wire_format(&text);
    assert!(
        text.contains("SUMMARY:Startup « A\\, B \\; C » \\\\ fin\r\n"),
        "{text}"
    );
    let event_properties = &parse(&text).events[0].properties;
    assert_eq!(
        value(event_properties, "SUMMARY"),
        "Startup « A, B ; C » \\ fin"
    );
    assert_eq!(
        value(event_properties, "DESCRIPTION"),
        "ligne 1\nligne 2\nligne 3, avec ; et \\ et \"guillemets\"\nfin"
    );
    assert_eq!(
        value(event_properties, "LOCATION"),
        "Salle 1, bâtiment B; étage 2 \\n"
    );
    let attendee = all(event_properties, "ATTENDEE")[0];
    assert_eq!(
        param(attendee, "CN").unwrap(),
        ["Martin, Camille 'Cam'; dite: la candidate"]
    );
    assert_eq!(
        attendee.value.as_deref(),
        Some("mailto:camille.martin@administration.example")
    );
}

#[test]
fn the_feed_changes_only_with_the_content() {
    let oral = details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 0);
    let entry = feed_event(&oral, ORGANIZER);
    assert_eq!(entry.revised_at, oral.booking.updated_at);
    assert!(
        entry
            .event
            .attendees
            .iter()
            .all(|attendee| attendee.email != CANDIDATE_EMAIL)
    );
    let first = feed("Oraux", std::slice::from_ref(&entry));
    assert_eq!(first, feed("Oraux", std::slice::from_ref(&entry)));
    let mut moved = oral.clone();
    moved.booking.sequence = 1;
    moved.booking.updated_at = at("2027-03-02T08:00:00Z");
    let moved = feed_event(&moved, ORGANIZER);
    assert_ne!(first, feed("Oraux", std::slice::from_ref(&moved)));
    // A change of one booking moves its own DTSTAMP only.
    let mut other = oral.clone();
    other.booking.ical_uid = "other@certif.beta.gouv.fr".to_owned();
    let other = feed_event(&other, ORGANIZER);
    let both = parse(&feed("Oraux", &[moved, other]));
    let stamps: Vec<String> = both
        .events
        .iter()
        .map(|event| value(&event.properties, "DTSTAMP"))
        .collect();
    assert_eq!(stamps, ["20270302T080000Z", "20260901T100000Z"]);
    // An empty feed is still a valid calendar.
    let empty = feed("Oraux", &[]);
    assert_wire_format(&empty);
    assert!(parse(&empty).events.is_empty());
}

#[test]
fn calendar_names_read_the_same_raw_or_unescaped() {
    for (name, raw) in [
        ("Claire Coach", "Claire Coach"),
        (
            "Dupont, Jean; coach \\ jury",
            "Dupont\u{201A} Jean\u{FF1B} coach \u{FF3C} jury",
        ),
        ("ligne\nsuivante \"cité\"", "ligne suivante 'cité'"),
    ] {
        assert_eq!(raw_calendar_name(name), raw);
        let text = feed(name, &[]);
        assert_wire_format(&text);
        let calendar = parse(&text);
        let written = one(&calendar.properties, "X-WR-CALNAME")
            .value
            .clone()
            .unwrap_or_default();
        assert_eq!(written, raw);
        assert_eq!(
            unescape(&written),
            written,
            "nothing a reader must unescape"
        );
        // NAME is TEXT, escaped as such: an unescaping reader gets the name itself.
        assert_eq!(value(&calendar.properties, "NAME"), name);
    }
}

#[test]
fn a_person_taken_off_an_oral_gets_a_cancel_naming_only_them() {
    let mut before = details("2027-03-28T07:00:00Z", 90, OralMode::Video, false, 1);
    before.booking.second_juror_email = Some(email("juror@ailleurs.example"));
    let mut after = before.clone();
    after.booking.sequence = 2;
    after.booking.second_juror_email = Some(email("other@ailleurs.example"));
    let was = oral_event(&before, ORGANIZER, true);
    let is = oral_event(&after, ORGANIZER, true);
    let removed = removed_attendees(&was, &is);
    assert_eq!(
        removed,
        [Attendee {
            name: "juror@ailleurs.example".to_owned(),
            email: "juror@ailleurs.example".to_owned()
        }]
    );
    let text = invitation(
        &removal_event(&was, is.sequence, &removed[0]),
        Method::Cancel,
        at("2027-03-01T12:00:00Z"),
    );
    assert_wire_format(&text);
    let calendar = parse(&text);
    assert_eq!(value(&calendar.properties, "METHOD"), "CANCEL");
    let event = &calendar.events[0].properties;
    assert_eq!(value(event, "UID"), UID);
    assert_eq!(value(event, "SEQUENCE"), "2");
    assert_eq!(value(event, "STATUS"), "CANCELLED");
    assert_eq!(value(event, "DTSTART"), "20270328T070000Z");
    let attendees: Vec<&str> = all(event, "ATTENDEE")
        .iter()
        .map(|attendee| attendee.value.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(attendees, ["mailto:juror@ailleurs.example"]);
    assert!(value(event, "SUMMARY").starts_with("Vous ne participez plus : Oral de certification"));
    assert!(value(event, "DESCRIPTION").starts_with("Vous ne participez plus à cet oral"));

    // The same address in another case is the same person; a coach named second juror is
    // invited once.
    let mut upper = after.clone();
    upper.booking.second_juror_email = Some(email("JUROR@ailleurs.example"));
    assert!(removed_attendees(&was, &oral_event(&upper, ORGANIZER, true)).is_empty());
    let mut twice = before.clone();
    twice.booking.second_juror_email = Some(twice.coach_email.clone());
    assert_eq!(oral_event(&twice, ORGANIZER, true).attendees.len(), 2);
}

#[test]
fn a_whole_invitation_matches_its_snapshot() {
    let text = invitation_of(
        &details("2026-10-25T08:00:00Z", 90, OralMode::Video, false, 2),
        Method::Request,
    );
    let expected = concat!(
        "BEGIN:VCALENDAR\r\n",
        "VERSION:2.0\r\n",
        "PRODID:-//beta.gouv.fr//certif//FR\r\n",
        "CALSCALE:GREGORIAN\r\n",
        "METHOD:REQUEST\r\n",
        "BEGIN:VEVENT\r\n",
        "DESCRIPTION:Oral de certification beta.gouv.fr de Camille Martin pour la st\r\n",
        " artup d'État Aides Jeunes.\\nDate : dimanche 25 octobre 2026\\, de 09:0\r\n",
        " 0 à 10:30 (heure de Paris).\\nDurée : 90 minutes.\\nCoach : Claire Coach.\r\n",
        " \\nEn visioconférence : https://webinaire.numerique.gouv.fr/meet/oral-42\r\n",
        "DTEND:20261025T093000Z\r\n",
        "DTSTAMP:20270301T120000Z\r\n",
        "DTSTART:20261025T080000Z\r\n",
        "LOCATION:https://webinaire.numerique.gouv.fr/meet/oral-42\r\n",
        "ORGANIZER:mailto:certification@beta.gouv.fr\r\n",
        "SEQUENCE:2\r\n",
        "STATUS:CONFIRMED\r\n",
        "SUMMARY:Oral de certification — Camille Martin (Aides Jeunes)\r\n",
        "UID:0b1c5e2a-7d3f-4c8e-9a61-2f4b8d0c6e13@certif.beta.gouv.fr\r\n",
        "ATTENDEE;CN=Camille Martin;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=\r\n",
        " FALSE:mailto:camille.martin@administration.example\r\n",
        "ATTENDEE;CN=Claire Coach;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=FA\r\n",
        " LSE:mailto:claire@coachs.example\r\n",
        "END:VEVENT\r\n",
        "END:VCALENDAR\r\n",
    );
    assert_eq!(text, expected, "rendered:\n{text}");
}

/// The whole calendar as the crate renders it in one piece (what `feed` wrote before it was
/// split in pieces a cache can keep).
fn feed_in_one_piece(name: &str, events: &[FeedEvent]) -> String {
    let mut calendar = calendar_head();
    calendar.append_property(Property::new("NAME", escape_text(&clean_text(name))));
    calendar.append_property(Property::new("X-WR-CALNAME", raw_calendar_name(name)));
    calendar.append_property(
        Property::new("REFRESH-INTERVAL", REFRESH_INTERVAL)
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    calendar.append_property(Property::new("X-PUBLISHED-TTL", REFRESH_INTERVAL));
    for entry in events {
        calendar.push(vevent(
            &entry.event,
            entry.revised_at,
            entry.event.cancelled,
            false,
        ));
    }
    render(&calendar)
}

#[test]
fn the_feed_joined_from_its_pieces_is_the_calendar_rendered_in_one_piece() {
    let mut entries = Vec::new();
    for (index, (starts_at, mode, cancelled)) in [
        ("2027-03-28T07:00:00Z", OralMode::Video, false),
        ("2026-10-25T08:00:00Z", OralMode::Phone, true),
        ("2027-05-20T12:30:00Z", OralMode::Video, false),
    ]
    .into_iter()
    .enumerate()
    {
        let mut oral = details(
            starts_at,
            60 + 15 * index as i64,
            mode,
            cancelled,
            index as i32,
        );
        oral.booking.ical_uid = format!("{index}-{UID}");
        oral.candidate_name = "Éloïse « Zoé » d'Aubigné, dite ; \\ la candidate".repeat(index + 1);
        oral.startup_name = "Aides Jeunes 😀 — simulateur".to_owned();
        entries.push(feed_event(&oral, ORGANIZER));
    }
    for name in [
        "Oraux de certification — Claire Coach",
        "Dupont, Jean; coach \\ jury",
        "",
    ] {
        for count in 0..=entries.len() {
            let joined = feed(name, &entries[..count]);
            assert_eq!(joined, feed_in_one_piece(name, &entries[..count]));
            assert_wire_format(&joined);
            assert_eq!(parse(&joined).events.len(), count);
        }
    }
    assert!(feed_head("Oraux").starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(!feed_head("Oraux").contains("END:VCALENDAR"));
    let event = feed_vevent(&entries[0]);
    assert!(event.starts_with("BEGIN:VEVENT\r\n") && event.ends_with("END:VEVENT\r\n"));
}
