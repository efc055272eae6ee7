//! The scheduler against a real PostgreSQL and a real SMTP server on loopback: the daemon's
//! ticks, the outbox delivered through faults, chat posts to a loopback webhook, and a simulated
//! year of the session cycle and reminders. Messages are read back with an independent parser
//! (mail-parser).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chat;
mod daemon;
mod faults;
mod messages;
mod results;
mod support;
mod year;
