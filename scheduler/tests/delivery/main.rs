//! The scheduler against a real PostgreSQL and a real SMTP server on loopback: the daemon's
//! ticks, the outbox delivered through faults and refusals, SMTP over TLS, chat posts to a loopback webhook, and a simulated
//! year of the session cycle and reminders, results and letters with their PDF attachments.
//! Messages are read back with independent parsers (mail-parser, lopdf for the PDFs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attachments;
mod chat;
mod daemon;
mod faults;
mod letters;
mod messages;
mod refusals;
mod results;
mod support;
mod tls;
mod year;
