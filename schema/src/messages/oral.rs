//! The oral's messages: the invitation to book, and the iTIP messages of a booking (confirmed,
//! moved, cancelled, someone taken off it). What they say about the oral is built here, once,
//! from the booking (`OralFacts::of`), for them and for the reminders (`reminders.rs`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Method, OralEvent};
use crate::domain::{ApplicationId, BookingId};
use crate::models::OralDetails;

/// `booking_invitation`: the dossier is complete, the candidate may book their oral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingInvitation {
    pub display_name: String,
    pub session_label: String,
    pub application_id: ApplicationId,
    /// `PublicUrl::booking`.
    pub booking_link: String,
    pub orals_end_at: DateTime<Utc>,
}

/// What every message about an oral shows of it: when, how, and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OralFacts {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `video` or `phone`.
    pub mode: String,
    pub video_link: Option<String>,
    pub phone: Option<String>,
    pub coach_name: String,
    pub candidate_name: String,
    pub startup_name: String,
    pub second_juror_email: Option<String>,
}

impl OralFacts {
    /// The oral as it is now.
    pub fn of(oral: &OralDetails) -> Self {
        Self {
            starts_at: oral.slot.starts_at,
            ends_at: oral.slot.ends_at,
            mode: oral.booking.mode.as_str().to_owned(),
            video_link: oral.video_link.clone(),
            phone: oral.phone.clone(),
            coach_name: oral.coach_name.to_string(),
            candidate_name: oral.candidate_name.to_string(),
            startup_name: oral.startup_name.to_string(),
            second_juror_email: oral
                .booking
                .second_juror_email
                .as_ref()
                .map(ToString::to_string),
        }
    }
}

/// `oral_confirmed`, `oral_moved`, `oral_cancelled`: the oral, and the invitation's `event` and
/// `method` (the scheduler renders the `text/calendar` part from them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OralMessage {
    #[serde(flatten)]
    pub oral: OralFacts,
    pub booking_id: BookingId,
    pub ical_uid: String,
    pub sequence: u32,
    pub method: Method,
    pub coach_email: String,
    pub candidate_email: String,
    pub cancel_reason: Option<String>,
    /// A new booking link (`PublicUrl::booking`): on the candidate's cancellation only.
    pub booking_link: Option<String>,
    /// The invitation; its organizer is set by the scheduler (the sending address).
    pub event: OralEvent,
}

impl OralMessage {
    /// The message about `oral` carrying `event` (the oral's, or a removal's) under `method`.
    pub fn new(
        oral: &OralDetails,
        method: Method,
        event: &OralEvent,
        booking_link: Option<&str>,
    ) -> Self {
        Self {
            oral: OralFacts::of(oral),
            booking_id: oral.booking.id,
            ical_uid: oral.booking.ical_uid.to_string(),
            sequence: event.sequence,
            method,
            coach_email: oral.coach_email.to_string(),
            candidate_email: oral.candidate_email.to_string(),
            cancel_reason: oral.booking.cancel_reason.clone(),
            booking_link: booking_link.map(str::to_owned),
            event: event.clone(),
        }
    }
}

/// What someone taken off an oral was on it (for the wording of the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovedAs {
    Coach,
    SecondJuror,
    Candidate,
}

impl RemovedAs {
    /// What `email` was on `oral`.
    pub fn of(oral: &OralDetails, email: &str) -> Self {
        if oral.coach_email.as_str().eq_ignore_ascii_case(email) {
            Self::Coach
        } else if oral
            .booking
            .second_juror_email
            .as_ref()
            .is_some_and(|juror| juror.as_str().eq_ignore_ascii_case(email))
        {
            Self::SecondJuror
        } else {
            Self::Candidate
        }
    }
}

/// `oral_removed`: a CANCEL naming only the person taken off the oral (the oral as they knew it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OralRemoval {
    #[serde(flatten)]
    pub message: OralMessage,
    pub removed_as: RemovedAs,
}
