//! certif's scheduler daemon: cron jobs driven by tokio-cron-scheduler (heartbeat, session
//! cycle, reminders), and the outbox dispatcher that delivers the emails and chat posts. Every tick first claims a unique (job, scheduled time)
//! row, and every message is claimed with `FOR UPDATE SKIP LOCKED`, so that several instances
//! against one database do each piece of work once.

pub mod chat;
pub mod config;
pub mod daemon;
pub mod jobs;
pub mod mail;
pub mod outbox;
#[cfg(feature = "testing")]
pub mod testing;

pub use config::SchedulerConfig;
pub use daemon::{SchedulerError, run};
pub use outbox::Dispatcher;
