//! Where "now" comes from. Production reads the system clock; tests move a simulated one.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// A source of the current instant, shared by the API and the scheduler.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock moved by a number of seconds read from a file at every call: lets an
/// outside test (the browser tests) run the real binary days ahead, e.g. past an oral. Set by
/// `CERTIF_CLOCK_OFFSET_FILE` outside production only; a missing or unreadable file means no
/// offset.
#[derive(Debug, Clone)]
pub struct OffsetFileClock {
    file: std::path::PathBuf,
}

impl OffsetFileClock {
    pub fn new(file: std::path::PathBuf) -> Self {
        Self { file }
    }

    fn offset(&self) -> Duration {
        std::fs::read_to_string(&self.file)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .and_then(Duration::try_seconds)
            .unwrap_or_default()
    }
}

impl Clock for OffsetFileClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset()
    }
}

/// A clock that only moves when told to: for tests and simulations.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    pub fn starting_at(now: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(Mutex::new(now)),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The clock handle passed around the application.
pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_file_moves_the_system_clock_by_its_seconds() {
        let dir = std::env::temp_dir().join(format!("certif-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("offset");
        let clock = OffsetFileClock::new(file.clone());
        let drift = (clock.now() - Utc::now()).num_seconds().abs();
        assert!(drift <= 1, "no file means no offset, drifted {drift} s");
        std::fs::write(&file, "86400\n").unwrap();
        let ahead = (clock.now() - Utc::now()).num_seconds();
        assert!((86_399..=86_401).contains(&ahead), "{ahead}");
        std::fs::write(&file, "not a number").unwrap();
        assert!((clock.now() - Utc::now()).num_seconds().abs() <= 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
