//! Tests of the GraphQL schema executed directly (no HTTP), against a real PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly.

mod errors;
mod schema_file;
mod sessions;

use std::sync::Arc;

use api::graphql::{CertifSchema, build_schema};
use api::{ApiConfig, AppState};
use chrono::{DateTime, Utc};
use schema::clock::ManualClock;
use schema::config::Environment;
use schema::testing::TestDatabase;

/// A schema over a fresh database, with a clock the test sets.
pub struct Harness {
    pub db: TestDatabase,
    pub schema: CertifSchema,
    pub clock: ManualClock,
}

impl Harness {
    pub async fn new(environment: Environment, now: DateTime<Utc>) -> Self {
        let db = TestDatabase::new().await;
        let clock = ManualClock::starting_at(now);
        let state = AppState::new(db.pool(), Arc::new(clock.clone()), environment);
        let schema = build_schema(state, &ApiConfig::default());
        Self { db, schema, clock }
    }

    /// Runs a query and returns the response as JSON.
    pub async fn run(&self, query: &str) -> serde_json::Value {
        let response = self.schema.execute(query).await;
        serde_json::to_value(&response).unwrap()
    }
}

/// The `extensions.code` of each error of a response.
pub fn error_codes(response: &serde_json::Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    error["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}
