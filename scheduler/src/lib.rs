//! certif's scheduler daemon: cron jobs driven by tokio-cron-scheduler. Every tick first claims
//! a unique (job, scheduled time) row, so that several instances against one database do each
//! tick's work once. Later issues add the outbox dispatcher, invitations and the session cycle.

pub mod config;
pub mod daemon;
pub mod jobs;

pub use config::SchedulerConfig;
pub use daemon::{SchedulerError, run};
