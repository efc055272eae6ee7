//! The scheduler against a real PostgreSQL and a real SMTP server on loopback: the daemon's
//! ticks, and the outbox delivered through faults. Messages are read back with an independent
//! parser (mail-parser).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod daemon;
mod faults;
mod messages;
mod support;
