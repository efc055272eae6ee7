//! The reminders the scheduler's job queues: the dossier's deadline, the booking not made, the
//! oral tomorrow (to the candidate, and to the jury).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::oral::OralFacts;

/// `dossier_deadline_reminder`: the dossier is due soon and not submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierDeadlineReminder {
    pub display_name: String,
    pub session_label: String,
    pub deadline_at: DateTime<Utc>,
    /// The step that fired: 7 or 1 (days before the deadline).
    pub days_before: u64,
    /// The Paris days actually left (a dossier first seen 3 days before is told 3, not 7).
    pub days_left: i64,
    /// The équipe animation sent the dossier back.
    pub returned: bool,
    /// What the dossier still lacks, as French labels.
    pub missing: Vec<String>,
    /// `PublicUrl::sign_in_page`.
    pub space_link: String,
}

/// `booking_reminder`: the booking link was sent days ago and no oral is booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingReminder {
    pub display_name: String,
    pub session_label: String,
    /// A new booking link (`PublicUrl::booking`).
    pub booking_link: String,
    pub link_sent_at: DateTime<Utc>,
    pub orals_end_at: DateTime<Utc>,
}

/// A revision video recalled to the candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    pub title: String,
    pub url: String,
}

/// `oral_reminder_candidate`: the oral is tomorrow, with the revision videos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OralReminderCandidate {
    #[serde(flatten)]
    pub oral: OralFacts,
    pub videos: Vec<Video>,
}

impl OralReminderCandidate {
    /// The reminder of `oral`, with `domain::reminders::REVISION_VIDEOS`.
    pub fn new(oral: OralFacts) -> Self {
        Self {
            oral,
            videos: crate::domain::reminders::REVISION_VIDEOS
                .iter()
                .map(|(title, url)| Video {
                    title: (*title).to_owned(),
                    url: (*url).to_owned(),
                })
                .collect(),
        }
    }
}
