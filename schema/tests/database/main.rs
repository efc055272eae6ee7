//! Tests of the data layer against a real PostgreSQL: migrations, the generated schema file,
//! the constraints that guard invariants, and the models' queries.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly.

mod constraints;
mod dossier_counts;
mod faults;
mod feed_versions;
mod migrations;
mod scenario;
mod schema_rs;
mod stored_values;
