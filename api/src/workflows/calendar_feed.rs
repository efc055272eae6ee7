//! The subscribed calendars of orals, and their secret address (created or replaced here).
//!
//! One secret token per coach or admin opens two calendars:
//! - `GET /calendar/<token>.ics?scope=mine`: the orals the holder sits on, as the slot's coach
//!   or as second juror (by user id, or by the address of their account);
//! - `GET /calendar/<token>.ics?scope=all`: every oral, for an admin only.
//!
//! Without `scope`, the address serves the holder's main calendar: every oral for an admin,
//! their own for anyone else — so an admin who is also a coach subscribes to both, and sees
//! their own orals apart from everyone's.
//!
//! The feed itself is served by `http::calendar_feed`. A request costs one indexed statement when nothing changed: the token's hash gives the
//! owner (active, with their roles) and the versions of both calendars, which the database
//! keeps exact; the ETag derives from the calendar and its version, so `If-None-Match` is
//! answered at once, and a 200 writes the bytes kept for that version ([`cache`]). A changed
//! calendar is read in one snapshot and only its changed events are rendered again.

pub mod cache;

use diesel_async::AsyncConnection;
use schema::domain::{Role, UserId};
use schema::models::{CalendarFeed, NewAuditEntry, User};
use schema::security::TokenSecret;
use serde_json::json;

pub use cache::{FeedCache, FeedKey};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::viewer::{Client, Viewer};

/// The two addresses of a feed: for a browser or a manual import, and for a subscription; and
/// the calendars the token opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUrls {
    /// The main calendar (no `scope`).
    pub https_url: String,
    pub webcal_url: String,
    /// Each calendar the holder may subscribe to, the main one first.
    pub calendars: Vec<FeedCalendar>,
}

/// One calendar a feed token opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedCalendar {
    pub scope: Scope,
    /// The calendar's name, as calendar apps show it.
    pub name: String,
    pub https_url: String,
    pub webcal_url: String,
}

/// Which orals a calendar holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The orals the holder sits on (coach or second juror).
    Mine,
    /// Every oral (admins).
    All,
}

impl Scope {
    /// The value of the `scope` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mine => "mine",
            Self::All => "all",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Mine, Self::All]
            .into_iter()
            .find(|scope| scope.as_str() == value)
    }

    /// The calendars `owner` may read, the main one first; empty when the account may not
    /// have a feed.
    fn allowed(owner: &User) -> &'static [Self] {
        Self::allowed_to(&owner.roles)
    }

    /// The calendars an account with these roles may read, the main one first.
    pub fn allowed_to(roles: &[Role]) -> &'static [Self] {
        let has = |role: Role| roles.contains(&role);
        match (has(Role::Admin), has(Role::Coach)) {
            (true, _) => &[Self::All, Self::Mine],
            (false, true) => &[Self::Mine],
            (false, false) => &[],
        }
    }

    /// The calendar's name. X-WR-CALNAME is written without `,` `;` `\` (see
    /// `schema::calendar::raw_calendar_name`), so a display name holding them reads the same
    /// in every calendar app.
    pub fn name(self, owner: &User) -> String {
        match self {
            Self::All => "Oraux de certification — tous les coachs".to_owned(),
            Self::Mine => format!("Oraux de certification — {}", owner.display_name),
        }
    }
}

/// Creates or replaces the viewer's feed token (the old address stops at once) and returns the
/// new addresses; only coaches and admins have a feed.
pub async fn rotate(state: &AppState, viewer: &Viewer, client: &Client) -> ApiResult<FeedUrls> {
    let owner = feed_holder(viewer)?;
    let user = owner.id;
    let token = TokenSecret::generate()?;
    let now = state.clock.now();
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        CalendarFeed::rotate(conn, user, token.sha256(), now).await?;
        audit(user, "calendar_feed.rotated", client)
            .append(conn)
            .await?;
        Ok(())
    })
    .await?;
    let https_url = state.config.public_url.calendar_feed(token.expose());
    let calendars = Scope::allowed(owner)
        .iter()
        .copied()
        .map(|scope| {
            let https_url = format!("{https_url}?scope={}", scope.as_str());
            FeedCalendar {
                scope,
                name: scope.name(owner),
                webcal_url: webcal(&https_url),
                https_url,
            }
        })
        .collect();
    Ok(FeedUrls {
        webcal_url: webcal(&https_url),
        https_url,
        calendars,
    })
}

/// The `webcal://` form of an `https://` address, which calendar apps open as a subscription.
fn webcal(https_url: &str) -> String {
    match https_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https_url.to_owned(),
    }
}

/// Removes the viewer's feed; `true` when there was one.
pub async fn revoke(state: &AppState, viewer: &Viewer, client: &Client) -> ApiResult<bool> {
    let user = feed_holder(viewer)?.id;
    let mut conn = state.pool.get().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        let revoked = CalendarFeed::revoke(conn, user).await?;
        if revoked {
            audit(user, "calendar_feed.revoked", client)
                .append(conn)
                .await?;
        }
        Ok(revoked)
    })
    .await
}

/// The viewer, if they may have a feed: coaches and admins.
fn feed_holder(viewer: &Viewer) -> ApiResult<&User> {
    match viewer.user() {
        Some(user) if !Scope::allowed(user).is_empty() => Ok(user),
        _ => Err(ApiError::Forbidden),
    }
}

fn audit<'a>(user: UserId, action: &'a str, client: &'a Client) -> NewAuditEntry<'a> {
    NewAuditEntry {
        actor_user_id: Some(user),
        action,
        subject_type: Some("user"),
        subject_id: Some(user.to_string()),
        client_addr: client.addr.as_deref(),
        details: json!({}),
    }
}
