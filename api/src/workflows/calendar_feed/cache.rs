//! The rendered calendars, kept per version in the API process.
//!
//! A calendar's version is kept exact by the database (see `schema::models::calendar_feed`),
//! so its ETag is derived from the version alone and the bytes rendered for a version stay
//! right as long as it lasts: a 304 costs the lookup of the versions, a 200 with the bytes
//! here the same lookup and writing them. Both caches are bounded in bytes and drop the least
//! recently used entries first:
//! - the bodies, per (calendar, version);
//! - the text of each event, per booking, with the event it was rendered from: when a
//!   calendar's version moves, only the events whose content changed are rendered again.

use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use poem::http::HeaderValue;
use schema::calendar::{self, FeedEvent};
use schema::domain::{BookingId, UserId};
use schema::models::{CalendarFeed, FeedContents, FeedOrals};
use sha2::{Digest, Sha256};

use super::Scope;
use crate::error::{ApiError, ApiResult};
use crate::weighted_lru::WeightedLru;

/// Changes whenever the rendering changes the bytes of an unchanged calendar, so that the
/// ETags of the previous release stop matching.
const FORMAT_REVISION: &str = "certif-feed-1";

/// How many bytes of rendered calendars, and of rendered events, the process keeps at most.
pub const BODY_BUDGET: usize = 8 << 20;
pub const EVENT_BUDGET: usize = 8 << 20;

/// What a cached event costs beyond its strings (the map entries, the order index).
const ENTRY_OVERHEAD: usize = 160;

/// One calendar in one version: the key of a rendered body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKey {
    /// A holder's own orals (`scope=mine`).
    Mine { user: UserId, version: i64 },
    /// Every oral (`scope=all`), the same for every admin.
    All { version: i64 },
}

impl FeedKey {
    pub fn new(scope: Scope, user: UserId, mine: i64, all: i64) -> Self {
        match scope {
            Scope::Mine => Self::Mine {
                user,
                version: mine,
            },
            Scope::All => Self::All { version: all },
        }
    }

    fn with_version(self, version: i64) -> Self {
        match self {
            Self::Mine { user, .. } => Self::Mine { user, version },
            Self::All { .. } => Self::All { version },
        }
    }

    /// The calendar whatever its version: renders of one calendar wait for each other.
    fn calendar(self) -> Self {
        self.with_version(0)
    }
}

/// A calendar rendered in one version.
#[derive(Debug, Clone)]
pub struct RenderedFeed {
    pub etag: HeaderValue,
    pub body: Bytes,
}

/// One event's text, with the event it was rendered from.
struct RenderedEvent {
    event: FeedEvent,
    text: Arc<str>,
}

impl RenderedEvent {
    fn weight(&self) -> usize {
        let event = &self.event.event;
        ENTRY_OVERHEAD
            + self.text.len()
            + event.uid.len()
            + event.summary.len()
            + event.description.len()
            + event.location.as_ref().map_or(0, String::len)
            + event.organizer_email.len()
            + event
                .attendees
                .iter()
                .map(|attendee| attendee.name.len() + attendee.email.len())
                .sum::<usize>()
    }
}

/// How many locks the renders share: renders of one calendar wait for each other (the second
/// finds the bytes of the first), renders of different calendars seldom do.
const RENDER_LOCKS: usize = 16;

/// The rendered calendars of the process; shared by all requests.
pub struct FeedCache {
    /// The SHA-256 state after the format revision and the organizer: what the ETags hash
    /// besides the calendar and its version.
    salt: Sha256,
    organizer_email: String,
    bodies: Mutex<WeightedLru<FeedKey, RenderedFeed>>,
    events: Mutex<WeightedLru<BookingId, Arc<RenderedEvent>>>,
    renders: [tokio::sync::Mutex<()>; RENDER_LOCKS],
    hasher: std::collections::hash_map::RandomState,
}

impl std::fmt::Debug for FeedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bodies = lock(&self.bodies);
        let events = lock(&self.events);
        f.debug_struct("FeedCache")
            .field("bodies", &bodies.len())
            .field("body_bytes", &bodies.weight())
            .field("events", &events.len())
            .field("event_bytes", &events.weight())
            .finish()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves a consistent map (every update is one call).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FeedCache {
    /// Empty caches for calendars whose ORGANIZER is `organizer_email`.
    pub fn new(organizer_email: &str) -> Self {
        Self::with_budgets(organizer_email, BODY_BUDGET, EVENT_BUDGET)
    }

    pub fn with_budgets(organizer_email: &str, body_budget: usize, event_budget: usize) -> Self {
        let mut salt = Sha256::new();
        for part in [FORMAT_REVISION, organizer_email] {
            salt.update(part.len().to_be_bytes());
            salt.update(part.as_bytes());
        }
        Self {
            salt,
            organizer_email: organizer_email.to_owned(),
            bodies: Mutex::new(WeightedLru::new(body_budget)),
            events: Mutex::new(WeightedLru::new(event_budget)),
            renders: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The strong ETag of a calendar in a version: the same in every process and after a
    /// restart, different for every calendar and version (versions come from one sequence).
    pub fn etag(&self, key: FeedKey) -> String {
        let mut digest = self.salt.clone();
        match key {
            FeedKey::Mine { user, version } => {
                digest.update(b"mine");
                digest.update(user.0.as_bytes());
                digest.update(version.to_be_bytes());
            }
            FeedKey::All { version } => {
                digest.update(b"all");
                digest.update(version.to_be_bytes());
            }
        }
        let digest = digest.finalize();
        let mut tag = String::with_capacity(34);
        tag.push('"');
        for byte in &digest[..16] {
            tag.push(char::from(HEX[usize::from(byte >> 4)]));
            tag.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        tag.push('"');
        tag
    }

    /// The bytes of a calendar in a version, when kept.
    pub fn body(&self, key: FeedKey) -> Option<RenderedFeed> {
        lock(&self.bodies).get(&key).cloned()
    }

    /// The calendar `key` names, or a later version of it: the bytes kept, or rendered from
    /// one snapshot of the database (only the events that changed are rendered again).
    /// `None` when the feed is gone meanwhile.
    pub async fn render(
        &self,
        conn: &mut diesel_async::AsyncPgConnection,
        user: UserId,
        key: FeedKey,
        name: impl Fn(&schema::models::User) -> String,
    ) -> ApiResult<Option<RenderedFeed>> {
        let stripe = usize::try_from(self.hasher.hash_one(key.calendar()) % RENDER_LOCKS as u64)
            .unwrap_or_default();
        let _turn = self.renders[stripe].lock().await;
        if let Some(kept) = self.body(key) {
            return Ok(Some(kept));
        }
        let orals = match key {
            FeedKey::Mine { .. } => FeedOrals::OwnersOwn,
            FeedKey::All { .. } => FeedOrals::Everyone,
        };
        let Some(FeedContents {
            version,
            owner,
            orals,
        }) = CalendarFeed::contents(conn, user, orals).await?
        else {
            return Ok(None);
        };
        let key = key.with_version(version);
        if let Some(kept) = self.body(key) {
            return Ok(Some(kept));
        }
        let head = calendar::feed_head(&name(&owner));
        let texts: Vec<Arc<str>> = orals
            .iter()
            .map(|oral| {
                self.event_text(
                    oral.booking.id,
                    calendar::feed_event(oral, &self.organizer_email),
                )
            })
            .collect();
        let mut body = Vec::with_capacity(
            head.len()
                + texts.iter().map(|text| text.len()).sum::<usize>()
                + calendar::FEED_TAIL.len(),
        );
        body.extend_from_slice(head.as_bytes());
        for text in &texts {
            body.extend_from_slice(text.as_bytes());
        }
        body.extend_from_slice(calendar::FEED_TAIL.as_bytes());
        let etag = HeaderValue::from_str(&self.etag(key))
            .map_err(|error| ApiError::Internal(format!("an ETag: {error}")))?;
        let rendered = RenderedFeed {
            etag,
            body: Bytes::from(body),
        };
        let weight = rendered.body.len();
        lock(&self.bodies).insert(key, rendered.clone(), weight);
        Ok(Some(rendered))
    }

    /// The text of one event: kept when the booking's event is unchanged, rendered otherwise.
    fn event_text(&self, booking: BookingId, event: FeedEvent) -> Arc<str> {
        if let Some(kept) = lock(&self.events).get(&booking)
            && kept.event == event
        {
            return Arc::clone(&kept.text);
        }
        let text: Arc<str> = calendar::feed_vevent(&event).into();
        let rendered = Arc::new(RenderedEvent {
            event,
            text: Arc::clone(&text),
        });
        let weight = rendered.weight();
        lock(&self.events).insert(booking, rendered, weight);
        text
    }

    /// How many bodies and events are kept, and their bytes (for tests and figures).
    pub fn usage(&self) -> CacheUsage {
        let bodies = lock(&self.bodies);
        let events = lock(&self.events);
        CacheUsage {
            bodies: bodies.len(),
            body_bytes: bodies.weight(),
            events: events.len(),
            event_bytes: events.weight(),
        }
    }
}

/// What the caches hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheUsage {
    pub bodies: usize,
    pub body_bytes: usize,
    pub events: usize,
    pub event_bytes: usize,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_differ_by_calendar_version_and_organizer_and_last_across_processes() {
        let cache = FeedCache::new("certification@beta.gouv.fr");
        let user = UserId(uuid::Uuid::from_u128(7));
        let other = UserId(uuid::Uuid::from_u128(8));
        let tags = [
            cache.etag(FeedKey::Mine { user, version: 1 }),
            cache.etag(FeedKey::Mine { user, version: 2 }),
            cache.etag(FeedKey::Mine {
                user: other,
                version: 1,
            }),
            cache.etag(FeedKey::All { version: 1 }),
            FeedCache::new("autre@beta.gouv.fr").etag(FeedKey::Mine { user, version: 1 }),
        ];
        for (index, tag) in tags.iter().enumerate() {
            assert_eq!(tag.len(), 34);
            assert!(tag.starts_with('"') && tag.ends_with('"'));
            assert!(!tags[..index].contains(tag), "{tags:?}");
        }
        assert_eq!(
            FeedCache::new("certification@beta.gouv.fr").etag(FeedKey::Mine { user, version: 1 }),
            tags[0],
            "another process derives the same tag"
        );
    }
}
