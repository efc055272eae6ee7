//! Signed-in viewers recently read from the database, by the SHA-256 of their token, so that a
//! busy client does not cost a statement per request.
//!
//! An entry serves for at most `SESSION_CACHE_MILLIS` (2 s by default) and only while the rules
//! [`crate::viewer::Viewer::resolve`] applies still hold at the request's time: the session has
//! not expired, is not idle, and its last use need not be recorded yet (then the database is
//! read, and written, again). Any mutation run by this process empties the cache (`graphql::request_checks`) (a sign-out, a
//! revoked session, a deactivated account or changed roles take effect at once); a change made
//! by another process (a second `certif api`) takes effect within the entry's lifetime.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use schema::models::AuthSession;

use crate::viewer::Viewer;

/// More entries than this and the cache starts afresh (a bound on memory, never reached by the
/// signed-in people of a session).
const MAX_ENTRIES: usize = 10_000;

/// Read before a database read, given back with what it found: an entry read before a
/// mutation ended is never stored as current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

#[derive(Debug)]
struct Entry {
    viewer: Viewer,
    session: SessionTimes,
    read_at: Instant,
    generation: Generation,
}

/// The times of a session that decide whether it is still live.
#[derive(Debug, Clone, Copy)]
pub struct SessionTimes {
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl SessionTimes {
    /// Whether a request at `now` may use the session without reading or writing its row.
    fn serve_at(&self, now: DateTime<Utc>, idle_timeout: chrono::Duration) -> bool {
        now < self.expires_at
            && self.last_seen_at > now - idle_timeout
            && self.last_seen_at >= now - schema::models::auth_session::TOUCH_INTERVAL
    }
}

impl From<&AuthSession> for SessionTimes {
    fn from(session: &AuthSession) -> Self {
        Self {
            last_seen_at: session.last_seen_at,
            expires_at: session.expires_at,
        }
    }
}

/// See the module's comment.
#[derive(Debug)]
pub struct SessionCache {
    lifetime: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<Vec<u8>, Entry>>,
}

impl SessionCache {
    /// A cache whose entries serve for `lifetime`; zero turns it off.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The current generation, to read before the database is.
    pub fn generation(&self) -> Generation {
        Generation(self.generation.load(Ordering::SeqCst))
    }

    /// The viewer of `token_hash` when a fresh entry still serves at `now`.
    pub fn get(
        &self,
        token_hash: &[u8],
        now: DateTime<Utc>,
        idle_timeout: chrono::Duration,
    ) -> Option<Viewer> {
        if self.lifetime.is_zero() {
            return None;
        }
        let current = self.generation();
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(token_hash)?;
        (entry.generation == current
            && entry.read_at.elapsed() < self.lifetime
            && entry.session.serve_at(now, idle_timeout))
        .then(|| entry.viewer.clone())
    }

    /// Keeps what the database said of `token_hash`, read at `generation`.
    pub fn put(
        &self,
        token_hash: &[u8],
        viewer: &Viewer,
        session: SessionTimes,
        generation: Generation,
    ) {
        if self.lifetime.is_zero() || generation != self.generation() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            token_hash.to_vec(),
            Entry {
                viewer: viewer.clone(),
                session,
                read_at: Instant::now(),
                generation,
            },
        );
    }

    /// Forgets every entry: something may have changed who is signed in, or as whom.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
