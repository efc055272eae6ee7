//! iCalendar (RFC 5545) rendering of orals, shared by the emailed invitations (iTIP RFC 5546,
//! built by the scheduler) and the coaches' subscribed feed (served by the API).
//!
//! The rules of STANDARDS.md hold for both: times in UTC (`…Z`), a UID stable for the life of the
//! booking, its SEQUENCE from the database, STATUS, CRLF line endings, lines folded at 75 octets
//! and text escaped. The `icalendar` crate builds the components; folding is redone here because
//! the crate lets the last piece of a folded line reach 76 octets.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Paris;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::domain::{BookingState, OralMode};
use crate::models::OralDetails;

/// Who made the calendar data (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//beta.gouv.fr//certif//FR";

/// How often subscribed calendars should come back for changes.
const REFRESH_INTERVAL: &str = "PT1H";

/// The longest line allowed, in octets, without its CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// One person invited to an oral.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attendee {
    pub name: String,
    pub email: String,
}

/// One oral as a calendar event: what an invitation and a feed entry show. The API stores it
/// (as JSON) in the outbox row of an oral message, so the invitation shows the oral as it was
/// when the change happened; the organizer is the sender's business and is not stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OralEvent {
    /// The booking's UID, the same in every invitation, update, cancellation and feed.
    pub uid: String,
    /// The booking's SEQUENCE, raised on every move or cancellation.
    pub sequence: u32,
    pub cancelled: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    /// The video link, or the phone number.
    pub location: Option<String>,
    /// The sending address (`MAIL_FROM`); set by whoever sends or serves the event.
    #[serde(skip)]
    pub organizer_email: String,
    /// Written in invitations only; a feed never lists attendees.
    pub attendees: Vec<Attendee>,
}

/// The iTIP method of an invitation message (stored as `REQUEST` or `CANCEL` in an oral
/// message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// A new or changed oral.
    Request,
    /// A cancelled oral.
    Cancel,
}

impl Method {
    /// The `METHOD` property, and the `method` parameter of the `text/calendar` MIME part.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }
}

/// The event of one oral. `include_candidate` lists the candidate among the attendees (for
/// invitations); without it the event holds no candidate email address at all (for feeds).
pub fn oral_event(
    details: &OralDetails,
    organizer_email: &str,
    include_candidate: bool,
) -> OralEvent {
    let booking = &details.booking;
    let slot = &details.slot;
    let cancelled = booking.state == BookingState::Cancelled;
    let title = format!(
        "Oral de certification — {} ({})",
        details.candidate_name, details.startup_name
    );
    let summary = if cancelled {
        format!("Annulé : {title}")
    } else {
        title
    };

    let (location, access) = match booking.mode {
        OralMode::Phone => match &details.phone {
            Some(phone) => (
                Some(format!("Téléphone : {phone}")),
                format!("Par téléphone, au numéro du coach : {phone}."),
            ),
            None => (
                None,
                "Par téléphone : le coach communiquera son numéro.".to_owned(),
            ),
        },
        OralMode::Video => match &details.video_link {
            Some(link) => (Some(link.clone()), format!("En visioconférence : {link}")),
            None => (
                None,
                "En visioconférence : le coach communiquera le lien.".to_owned(),
            ),
        },
    };
    let minutes = (slot.ends_at - slot.starts_at).num_minutes();
    let mut lines = Vec::new();
    if cancelled {
        lines.push("Cet oral est annulé.".to_owned());
    }
    lines.push(format!(
        "Oral de certification beta.gouv.fr de {} pour la startup d'État {}.",
        details.candidate_name, details.startup_name
    ));
    lines.push(format!(
        "Date : {} (heure de Paris).",
        paris_span(slot.starts_at, slot.ends_at)
    ));
    lines.push(format!("Durée : {minutes} minutes."));
    lines.push(format!("Coach : {}.", details.coach_name));
    lines.push(access);

    let mut attendees = Vec::new();
    if include_candidate {
        attendees.push(Attendee {
            name: details.candidate_name.clone(),
            email: details.candidate_email.to_string(),
        });
    }
    attendees.push(Attendee {
        name: details.coach_name.clone(),
        email: details.coach_email.to_string(),
    });
    if let Some(juror) = &booking.second_juror_email {
        attendees.push(Attendee {
            name: juror.to_string(),
            email: juror.to_string(),
        });
    }
    // The same person named twice (a second juror who is also the coach) is invited once.
    let mut seen = Vec::new();
    attendees.retain(|attendee: &Attendee| {
        let key = attendee.email.to_lowercase();
        let first = !seen.contains(&key);
        seen.push(key);
        first
    });

    OralEvent {
        uid: booking.ical_uid.clone(),
        sequence: u32::try_from(booking.sequence).unwrap_or_default(),
        cancelled,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        summary,
        description: lines.join("\n"),
        location,
        organizer_email: organizer_email.to_owned(),
        attendees,
    }
}

/// The attendees of `before` who are not attendees of `after` (by address, whatever the case):
/// the people a move or a jury change takes off the oral.
pub fn removed_attendees(before: &OralEvent, after: &OralEvent) -> Vec<Attendee> {
    before
        .attendees
        .iter()
        .filter(|gone| {
            !after
                .attendees
                .iter()
                .any(|kept| kept.email.eq_ignore_ascii_case(&gone.email))
        })
        .cloned()
        .collect()
}

/// What a person taken off an oral receives with `METHOD:CANCEL` (RFC 5546 §3.2.5): the event
/// as they knew it, with the raised `sequence`, `STATUS:CANCELLED` and themselves as the only
/// ATTENDEE, so that their calendar drops it while the others keep it.
pub fn removal_event(before: &OralEvent, sequence: u32, removed: &Attendee) -> OralEvent {
    OralEvent {
        sequence,
        cancelled: true,
        summary: format!("Vous ne participez plus : {}", before.summary),
        description: format!(
            "Vous ne participez plus à cet oral : il est retiré de votre agenda.\n{}",
            before.description
        ),
        attendees: vec![removed.clone()],
        ..before.clone()
    }
}

/// « dimanche 28 mars 2027, de 09:00 à 10:30 » in Europe/Paris.
fn paris_span(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> String {
    let start = starts_at.with_timezone(&Paris);
    let end = ends_at.with_timezone(&Paris);
    format!(
        "{} {} {} {}, de {} à {}",
        french::weekday_name(start.weekday()),
        start.day(),
        french::month_name(start.month()),
        start.year(),
        start.format("%H:%M"),
        end.format("%H:%M"),
    )
}

/// An invitation (`METHOD:REQUEST`) or a cancellation (`METHOD:CANCEL`, `STATUS:CANCELLED`) for
/// one oral, sent at `dtstamp`.
pub fn invitation(event: &OralEvent, method: Method, dtstamp: DateTime<Utc>) -> String {
    let mut calendar = calendar_head();
    calendar.append_property(Property::new("METHOD", method.as_str()));
    let cancelled = event.cancelled || method == Method::Cancel;
    calendar.push(vevent(event, dtstamp, cancelled, true));
    render(&calendar)
}

/// One event of a subscribed calendar, with its own DTSTAMP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Without attendees' addresses: a feed lists none.
    pub event: OralEvent,
    /// The event's DTSTAMP: when its booking last changed (RFC 5545 §3.8.7.2, for a calendar
    /// without METHOD: the last revision of the event in the store).
    pub revised_at: DateTime<Utc>,
}

/// The feed event of one oral: no candidate address, and DTSTAMP the booking's `updated_at`
/// (raised by every move, jury change and cancellation), so that an unchanged oral renders
/// the same bytes on every request.
pub fn feed_event(details: &OralDetails, organizer_email: &str) -> FeedEvent {
    FeedEvent {
        event: oral_event(details, organizer_email, false),
        revised_at: details.booking.updated_at,
    }
}

/// A subscribed calendar: no METHOD, a name, a refresh interval, every oral (cancelled ones kept
/// with `STATUS:CANCELLED` and their raised SEQUENCE), an ORGANIZER but no ATTENDEE. Every
/// event keeps its own DTSTAMP, so the body changes only with the content.
///
/// The body is [`feed_head`], then [`feed_vevent`] of each event, then [`FEED_TAIL`]: a cache
/// may keep each event's text and join them again.
pub fn feed(name: &str, events: &[FeedEvent]) -> String {
    let head = feed_head(name);
    let events: Vec<String> = events.iter().map(feed_vevent).collect();
    let mut out = String::with_capacity(
        head.len() + events.iter().map(String::len).sum::<usize>() + FEED_TAIL.len(),
    );
    out.push_str(&head);
    for event in &events {
        out.push_str(event);
    }
    out.push_str(FEED_TAIL);
    out
}

/// The end of a subscribed calendar, after its last event.
pub const FEED_TAIL: &str = "END:VCALENDAR\r\n";

/// The start of a subscribed calendar, up to its first event: VERSION, PRODID, CALSCALE, the
/// name (NAME and X-WR-CALNAME) and the refresh interval.
pub fn feed_head(name: &str) -> String {
    let mut calendar = calendar_head();
    // NAME (RFC 7986) is TEXT: escaped here, as the crate does not know it.
    calendar.append_property(Property::new("NAME", escape_text(&clean_text(name))));
    // X-WR-CALNAME is read raw by ical.js and python-icalendar: written with no character
    // that TEXT escapes, so every reader shows the same name.
    calendar.append_property(Property::new("X-WR-CALNAME", raw_calendar_name(name)));
    calendar.append_property(
        Property::new("REFRESH-INTERVAL", REFRESH_INTERVAL)
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    calendar.append_property(Property::new("X-PUBLISHED-TTL", REFRESH_INTERVAL));
    let whole = render(&calendar);
    match whole.strip_suffix(FEED_TAIL) {
        Some(head) => head.to_owned(),
        None => whole,
    }
}

/// One event of a subscribed calendar (`BEGIN:VEVENT` to `END:VEVENT`, folded, CRLF), exactly
/// as it reads inside [`feed`]: folding works line by line, so an event's text does not depend
/// on its neighbours.
pub fn feed_vevent(entry: &FeedEvent) -> String {
    let event = vevent(&entry.event, entry.revised_at, entry.event.cancelled, false);
    refold(&Component::to_string(&event))
}

/// A calendar name with nothing to escape: `,` `;` `\` become look-alikes that TEXT leaves
/// alone (U+201A, U+FF1B, U+FF3C), line breaks and other controls become spaces.
pub fn raw_calendar_name(name: &str) -> String {
    clean_parameter(name)
        .chars()
        .map(|c| match c {
            ',' => '\u{201A}',
            ';' => '\u{FF1B}',
            '\\' => '\u{FF3C}',
            other => other,
        })
        .collect()
}

fn calendar_head() -> Calendar {
    let mut calendar = Calendar::empty();
    calendar.append_property(Property::new("VERSION", "2.0"));
    calendar.append_property(Property::new("PRODID", PRODID));
    calendar.append_property(Property::new("CALSCALE", "GREGORIAN"));
    calendar
}

fn vevent(
    event: &OralEvent,
    dtstamp: DateTime<Utc>,
    cancelled: bool,
    with_attendees: bool,
) -> Event {
    let mut vevent = Event::new();
    // UID and DTSTAMP are always set: the crate invents random ones otherwise.
    vevent
        .uid(&clean_text(&event.uid))
        .timestamp(dtstamp)
        .starts(event.starts_at)
        .ends(event.ends_at)
        .summary(&clean_text(&event.summary))
        .description(&clean_text(&event.description))
        .sequence(event.sequence)
        .status(if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(location) = &event.location {
        vevent.location(&clean_text(location));
    }
    vevent.append_property(Property::new(
        "ORGANIZER",
        format!("mailto:{}", event.organizer_email),
    ));
    if with_attendees {
        // certif reads no mailbox, so a reply would go unread: no invitation asks for one.
        for attendee in &event.attendees {
            vevent.append_multi_property(
                Property::new("ATTENDEE", format!("mailto:{}", attendee.email))
                    .add_parameter("CN", &clean_parameter(&attendee.name))
                    .add_parameter("ROLE", "REQ-PARTICIPANT")
                    .add_parameter("PARTSTAT", "NEEDS-ACTION")
                    .add_parameter("RSVP", "FALSE")
                    .done(),
            );
        }
    }
    vevent.done()
}

/// Text as iCalendar can carry it: line breaks become `\n` (escaped by the crate), other
/// control characters go.
fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// A parameter value (a CN): no line break and no double quote, which parameters cannot hold.
fn clean_parameter(text: &str) -> String {
    clean_text(text)
        .replace(['\n', '\t'], " ")
        .replace('"', "'")
}

/// TEXT escaping (RFC 5545 §3.3.11), for the properties the crate does not escape.
fn escape_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

/// The calendar's text with CRLF line endings and lines folded at 75 octets.
fn render(calendar: &Calendar) -> String {
    refold(&calendar.to_string())
}

/// `rendered` (the crate's text) with CRLF line endings and lines folded at 75 octets.
fn refold(rendered: &str) -> String {
    // Unfold what the crate folded (a CRLF followed by one space), then fold again.
    let mut lines: Vec<String> = Vec::new();
    for physical in rendered.split("\r\n") {
        match (physical.strip_prefix(' '), lines.last_mut()) {
            (Some(continuation), Some(line)) => line.push_str(continuation),
            _ if physical.is_empty() => {}
            _ => lines.push(physical.to_owned()),
        }
    }
    let mut out = String::with_capacity(rendered.len() + rendered.len() / 20);
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

/// Writes one content line folded at 75 octets: never inside a UTF-8 character, and where
/// possible not next to a space or a tab (some readers trim the pieces of folded lines) nor
/// inside an escape sequence.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let cut = fold_point(rest, room);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // Continuation lines start with the space of the fold.
        room = MAX_LINE_OCTETS - 1;
    }
}

/// Where to cut `text` (longer than `room` octets) so that the first piece fits in `room`.
fn fold_point(text: &str, room: usize) -> usize {
    let bytes = text.as_bytes();
    let boundary = |at: usize| text.is_char_boundary(at);
    let blank = |at: usize| matches!(bytes[at], b' ' | b'\t');
    let lowest = room.saturating_sub(16).max(1);
    (lowest..=room)
        .rev()
        .find(|&at| boundary(at) && !blank(at - 1) && !blank(at) && bytes[at - 1] != b'\\')
        .or_else(|| (1..=room).rev().find(|&at| boundary(at)))
        .unwrap_or(room)
}

#[cfg(test)]
mod tests;
