//! Who is asking: resolved once per request from the session cookie or the Bearer header.

use chrono::{DateTime, Utc};
use schema::domain::{AuthSessionId, Role};
use schema::models::{AuthSession, Candidate, LiveOwner, SessionOwner, User};
use schema::security::TokenSecret;

use crate::error::ApiResult;
use crate::session_cache::SessionTimes;
use crate::state::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "certif_session";

#[derive(Debug, Clone)]
pub enum Viewer {
    Anonymous,
    User {
        user: Box<User>,
        session: AuthSessionId,
    },
    Candidate {
        candidate: Box<Candidate>,
        session: AuthSessionId,
    },
}

/// Where the request came from, for throttling and the audit log.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub addr: Option<String>,
    pub user_agent: Option<String>,
}

impl Viewer {
    pub fn has_role(&self, role: Role) -> bool {
        matches!(self, Self::User { user, .. } if user.has_role(role))
    }

    pub fn user(&self) -> Option<&User> {
        match self {
            Self::User { user, .. } => Some(user),
            _ => None,
        }
    }

    pub fn candidate(&self) -> Option<&Candidate> {
        match self {
            Self::Candidate { candidate, .. } => Some(candidate),
            _ => None,
        }
    }

    pub fn session(&self) -> Option<AuthSessionId> {
        match self {
            Self::User { session, .. } | Self::Candidate { session, .. } => Some(*session),
            Self::Anonymous => None,
        }
    }

    pub fn owner(&self) -> Option<SessionOwner> {
        match self {
            Self::User { user, .. } => Some(SessionOwner::User(user.id)),
            Self::Candidate { candidate, .. } => Some(SessionOwner::Candidate(candidate.id)),
            Self::Anonymous => None,
        }
    }

    /// The viewer holding `token`, or anonymous when the token is unknown, expired, idle,
    /// revoked, or its account deactivated. Only reads are needed: `last_seen_at` is refreshed
    /// when it is a minute old (`TOUCH_INTERVAL`), and a refresh that cannot be written (a
    /// read-only database) does not stop the request, which may only want to read. A viewer
    /// read a moment ago is served from [`crate::session_cache`] without a statement.
    pub async fn resolve(
        state: &AppState,
        token: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<Self> {
        let Some(token) = token.and_then(TokenSecret::parse) else {
            return Ok(Self::Anonymous);
        };
        let hash = token.sha256();
        let idle_timeout = state.config.session_idle_timeout;
        if let Some(viewer) = state.sessions.get(&hash, now, idle_timeout) {
            return Ok(viewer);
        }
        let generation = state.sessions.generation();
        let mut conn = state.db().await?;
        let Some(mut live) = AuthSession::find_live(&mut conn, &hash, now, idle_timeout).await?
        else {
            return Ok(Self::Anonymous);
        };
        if live.read_only {
            schema::db::pool::saw_read_only(&mut conn);
        }
        if live.session.needs_touch(now) && !live.read_only {
            match AuthSession::touch(&mut conn, live.session.id, now).await {
                Ok(()) => live.session.last_seen_at = now,
                Err(error) => {
                    let Some(fault) = schema::db::faults::classify(&error) else {
                        return Err(error.into());
                    };
                    tracing::warn!(
                        fault = fault.describe(),
                        "A session's last use could not be recorded; going on without."
                    );
                }
            }
        }
        let viewer = match live.owner {
            Some(LiveOwner::User(user)) if user.active => Self::User {
                user: Box::new(user),
                session: live.session.id,
            },
            Some(LiveOwner::Candidate(candidate)) => Self::Candidate {
                candidate: Box::new(candidate),
                session: live.session.id,
            },
            _ => Self::Anonymous,
        };
        if !matches!(viewer, Self::Anonymous) {
            state.sessions.put(
                &hash,
                &viewer,
                SessionTimes::from(&live.session),
                generation,
            );
        }
        Ok(viewer)
    }
}
