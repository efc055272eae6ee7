//! The account messages: an invitation to set a first password, a password reset, a
//! candidate's sign-in link. Each carries a `link` the outbox forgets once the message is sent
//! (`OutboxMessage::mark_sent`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `user_invitation`: an admin invited a coach or an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInvitation {
    pub display_name: String,
    /// The admin who invited them.
    pub invited_by: String,
    /// The roles given, as French labels (`Role::label`).
    pub roles: Vec<String>,
    /// The set-password link (`PublicUrl::invitation`).
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// `password_reset`: a user asked to choose a new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub display_name: String,
    /// The set-password link (`PublicUrl::password`).
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a sign-in link was sent, when it was for more than signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInPurpose {
    /// Registration to a session: the link also confirms the address.
    Registration,
}

/// `candidate_sign_in`: a candidate's sign-in link (asked for, or to confirm a registration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateSignIn {
    pub display_name: String,
    /// The sign-in link (`PublicUrl::sign_in`).
    pub link: String,
    pub expires_at: DateTime<Utc>,
    /// `registration` when the link confirms a registration (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<SignInPurpose>,
    /// The session registered to, with `purpose`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_label: Option<String>,
}
