//! certif's shared core: the database tables and their models, the domain types and rules,
//! the connection pool, the embedded migrations and the way to find (or start) PostgreSQL.
//!
//! `api` and `scheduler` both depend on this crate and never on each other.

pub mod calendar;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod messages;
pub mod models;
pub mod scenario;
pub mod security;
pub mod storage;
pub mod workflows;
#[rustfmt::skip] // Generated: see the header of schema.rs.
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;
