//! One model per file; each file holds the queries about its table as methods returning
//! diesel's `QueryResult`.

pub mod audit_log;
pub mod certification_session;
pub mod cron_tick;
pub mod user;

pub use audit_log::{AuditEntry, NewAuditEntry};
pub use certification_session::CertificationSession;
pub use cron_tick::CronTick;
pub use user::{NewUser, User};
