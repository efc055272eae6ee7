//! The registration messages: a registration counted, the waiting list joined, registration to
//! a session opened (to each address on the waiting list).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `registration_received`: a registration counts (its address confirmed), with the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationReceived {
    pub display_name: String,
    pub session_label: String,
    pub eligible: bool,
    /// Every reason of the verdict, as sentences.
    pub reasons: Vec<String>,
    pub dossier_deadline_at: DateTime<Utc>,
}

/// `waiting_list_joined`: someone joined the waiting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingListJoined {
    /// `PublicUrl::unsubscribe`.
    pub unsubscribe_link: String,
}

/// `registration_opened`: registration to a session opened, to an address on the waiting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationOpened {
    pub session_label: String,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub dossier_deadline_at: DateTime<Utc>,
    /// `PublicUrl::registration`.
    pub registration_link: String,
    /// A new unsubscribe link (`PublicUrl::unsubscribe`): the previous one stops working.
    pub unsubscribe_link: String,
}
