//! A sample of each kind, with every field filled the way certif fills it: for the template
//! tests (every kind renders, and its templates use only fields its type has) and for tests
//! that queue messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::calendar::{Attendee, Method, OralEvent};
use crate::domain::{ApplicationId, BookingId, PublicUrl};

/// The address of the samples' links.
pub fn site() -> PublicUrl {
    PublicUrl::new("https://certif.example")
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    rfc3339.parse().expect("an RFC 3339 instant")
}

fn day(date: &str) -> NaiveDate {
    date.parse().expect("a date")
}

/// The oral of the samples: Tuesday 25 May 2027, 9:00 to 10:30 in Paris, by video.
pub fn oral_facts() -> OralFacts {
    OralFacts {
        starts_at: at("2027-05-25T07:00:00Z"),
        ends_at: at("2027-05-25T08:30:00Z"),
        mode: "video".to_owned(),
        video_link: Some("https://visio.example/oral".to_owned()),
        phone: None,
        coach_name: "Sophie Lefèvre".to_owned(),
        candidate_name: "Camille Martin".to_owned(),
        startup_name: "Aides Jeunes".to_owned(),
        second_juror_email: Some("juree@beta.gouv.fr".to_owned()),
    }
}

/// An oral message of the sample oral, at `sequence` under `method`.
pub fn oral_message(sequence: u32, method: Method) -> OralMessage {
    let facts = oral_facts();
    let cancelled = method == Method::Cancel;
    let event = OralEvent {
        uid: "b7a1@certif.example".to_owned(),
        sequence,
        cancelled,
        starts_at: facts.starts_at,
        ends_at: facts.ends_at,
        summary: "Oral de certification — Camille Martin (Aides Jeunes)".to_owned(),
        description: "Oral de certification beta.gouv.fr de Camille Martin, pour la startup d'État Aides Jeunes ; coach : Sophie Lefèvre.".to_owned(),
        location: facts.video_link.clone(),
        organizer_email: String::new(),
        attendees: vec![
            Attendee { name: "Camille Martin".to_owned(), email: "camille@administration.example".to_owned() },
            Attendee { name: "Sophie Lefèvre".to_owned(), email: "sophie@coachs.example".to_owned() },
            Attendee { name: "juree@beta.gouv.fr".to_owned(), email: "juree@beta.gouv.fr".to_owned() },
        ],
    };
    OralMessage {
        oral: facts,
        booking_id: BookingId(uuid::Uuid::from_u128(0xb7a1)),
        ical_uid: event.uid.clone(),
        sequence,
        method,
        coach_email: "sophie@coachs.example".to_owned(),
        candidate_email: "camille@administration.example".to_owned(),
        cancel_reason: cancelled.then(|| "Empêchement du coach".to_owned()),
        booking_link: cancelled.then(|| site().booking("abc")),
        event,
    }
}

/// The certificate of the samples.
pub fn certificate() -> CertificateSnapshot {
    CertificateSnapshot {
        number: "CERT-2027-05-7F3K9Q".to_owned(),
        holder_name: "Camille Martin".to_owned(),
        title: "Intrapreneur·e de beta.gouv.fr".to_owned(),
        session_label: "Session de mai 2027".to_owned(),
        issued_on: day("2027-06-10"),
        competences: vec![
            "Piloter une startup".to_owned(),
            "Mesurer l'impact".to_owned(),
        ],
        verify_url: site().verify("CERT-2027-05-7F3K9Q"),
    }
}

/// A sample of `kind`: every optional field filled, but those that only some messages of the
/// kind carry (a sign-in link's `purpose`).
pub fn sample(kind: MessageKind) -> Message {
    let camille = "Camille <Martin>".to_owned();
    let may = "Session de mai 2027".to_owned();
    match kind {
        MessageKind::UserInvitation => Message::UserInvitation(UserInvitation {
            display_name: camille,
            invited_by: "Dominique".to_owned(),
            roles: vec!["coach certificateur".to_owned()],
            link: format!("{}?x=1&y=2", site().invitation("abc")),
            expires_at: at("2026-12-03T13:05:00Z"),
        }),
        MessageKind::PasswordReset => Message::PasswordReset(PasswordReset {
            display_name: camille,
            link: format!("{}?x=1&y=2", site().password("abc")),
            expires_at: at("2026-12-03T13:05:00Z"),
        }),
        MessageKind::CandidateSignIn => Message::CandidateSignIn(CandidateSignIn {
            display_name: camille,
            link: format!("{}?x=1&y=2", site().sign_in("abc")),
            expires_at: at("2026-12-03T13:05:00Z"),
            purpose: None,
            session_label: None,
        }),
        MessageKind::RegistrationReceived => Message::RegistrationReceived(RegistrationReceived {
            display_name: "Camille".to_owned(),
            session_label: may,
            eligible: false,
            reasons: vec!["Il faut 6 mois.".to_owned()],
            dossier_deadline_at: at("2027-05-19T22:00:00Z"),
        }),
        MessageKind::WaitingListJoined => Message::WaitingListJoined(WaitingListJoined {
            unsubscribe_link: site().unsubscribe("abc"),
        }),
        MessageKind::BookingInvitation => Message::BookingInvitation(BookingInvitation {
            display_name: "Camille".to_owned(),
            session_label: may,
            application_id: ApplicationId(uuid::Uuid::from_u128(0xa)),
            booking_link: site().booking("abc"),
            orals_end_at: at("2027-06-02T22:00:00Z"),
        }),
        MessageKind::OralConfirmed => Message::OralConfirmed(oral_message(0, Method::Request)),
        MessageKind::OralMoved => Message::OralMoved(oral_message(1, Method::Request)),
        MessageKind::OralCancelled => Message::OralCancelled(oral_message(2, Method::Cancel)),
        MessageKind::OralRemoved => Message::OralRemoved(OralRemoval {
            message: oral_message(1, Method::Cancel),
            removed_as: RemovedAs::SecondJuror,
        }),
        MessageKind::RegistrationOpened => Message::RegistrationOpened(RegistrationOpened {
            session_label: may,
            registration_opens_at: at("2027-05-03T07:00:00Z"),
            registration_closes_at: at("2027-05-12T22:00:00Z"),
            dossier_deadline_at: at("2027-05-19T22:00:00Z"),
            registration_link: site().registration(),
            unsubscribe_link: site().unsubscribe("abc"),
        }),
        MessageKind::ChatAnnouncement => Message::ChatAnnouncement(ChatAnnouncement {
            session_label: "Session de décembre 2026".to_owned(),
            registration_closes_at: at("2026-12-16T23:00:00Z"),
            dossier_deadline_at: at("2026-12-23T23:00:00Z"),
            orals_start_at: at("2026-12-23T23:00:00Z"),
            orals_end_at: at("2027-01-06T23:00:00Z"),
            registration_link: site().registration(),
        }),
        MessageKind::DossierDeadlineReminder => {
            Message::DossierDeadlineReminder(DossierDeadlineReminder {
                display_name: "Camille".to_owned(),
                session_label: may,
                deadline_at: at("2027-05-19T22:00:00Z"),
                days_before: 7,
                days_left: 7,
                returned: true,
                missing: vec!["la présentation du service".to_owned()],
                space_link: site().sign_in_page(),
            })
        }
        MessageKind::BookingReminder => Message::BookingReminder(BookingReminder {
            display_name: "Camille".to_owned(),
            session_label: may,
            booking_link: site().booking("abc"),
            link_sent_at: at("2027-05-21T08:00:00Z"),
            orals_end_at: at("2027-06-02T22:00:00Z"),
        }),
        MessageKind::OralReminderCandidate => {
            Message::OralReminderCandidate(OralReminderCandidate::new(oral_facts()))
        }
        MessageKind::OralReminderJury => Message::OralReminderJury(oral_facts()),
        MessageKind::ResultPublished => Message::ResultPublished(ResultPublished {
            display_name: "Camille Martin".to_owned(),
            session_label: may,
            decision: "laureate".to_owned(),
            decision_label: "Lauréat·e".to_owned(),
            overall_comment: "Un oral solide.".to_owned(),
            competences: vec![CompetenceFeedback {
                name: "Piloter une startup".to_owned(),
                acquired: Some(true),
                comment: "Clair.".to_owned(),
            }],
            certificate: Some(certificate()),
            carries_over: false,
        }),
        MessageKind::AdministrationLetter => {
            let certificate = certificate();
            Message::AdministrationLetter(AdministrationLetterMessage {
                recipient_role: "hr".to_owned(),
                recipient_name: Some("Hélène Rh".to_owned()),
                holder_name: certificate.holder_name.clone(),
                title: certificate.title.clone(),
                session_label: certificate.session_label.clone(),
                certificate_number: certificate.number.clone(),
                verify_url: certificate.verify_url.clone(),
                letter: LetterSnapshot {
                    holder_name: certificate.holder_name,
                    administration: "Ministère de l'Exemple".to_owned(),
                    recipients: vec![
                        "Hélène Rh".to_owned(),
                        "Direction des ressources humaines".to_owned(),
                    ],
                    startup_name: "Aides Jeunes".to_owned(),
                    title: certificate.title,
                    session_label: certificate.session_label,
                    issued_on: certificate.issued_on,
                    written_on: day("2027-06-11"),
                    certificate_number: certificate.number,
                    verify_url: certificate.verify_url,
                    competences: certificate.competences,
                },
            })
        }
    }
}
