//! The posts to the community chat (sent to `CHAT_WEBHOOK_URL`, not by mail).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `chat_announcement`: registration to a session opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatAnnouncement {
    pub session_label: String,
    pub registration_closes_at: DateTime<Utc>,
    pub dossier_deadline_at: DateTime<Utc>,
    pub orals_start_at: DateTime<Utc>,
    pub orals_end_at: DateTime<Utc>,
    /// `PublicUrl::registration`.
    pub registration_link: String,
}
