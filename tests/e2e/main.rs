//! End-to-end tests: the real `certif` program, started as a process on a free port, with a
//! real PostgreSQL, queried over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly.

mod admin;
mod bad_config;
mod database_faults;
mod demo;
mod embedded_database;
mod mail;
mod server;
mod support;
