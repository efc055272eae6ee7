//! The SQL migrations of `migrations/`, embedded in the binary and applied through diesel's
//! synchronous harness on top of the async connection (no libpq), off the async runtime.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// Serialises migrations between processes that start at the same time (several replicas).
const MIGRATION_LOCK_KEY: i64 = 0x6365_7274_6966; // "certif"

/// Applies every pending migration; returns the versions applied.
pub async fn run_pending(url: &str) -> Result<Vec<String>, DbError> {
    with_harness(url, |harness| {
        harness
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Reverts every applied migration, newest first; returns the versions reverted.
pub async fn revert_all(url: &str) -> Result<Vec<String>, DbError> {
    with_harness(url, |harness| {
        harness
            .revert_all_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
    })
    .await
}

/// The versions of the migrations built into this binary, oldest first.
pub fn embedded_versions() -> Vec<String> {
    let mut versions: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .map(|migrations| {
            migrations
                .iter()
                .map(|migration| migration.name().version().to_string())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
}

use diesel::migration::MigrationSource;

diesel::table! {
    __diesel_schema_migrations (version) {
        version -> VarChar,
        run_on -> Timestamp,
    }
}

/// Whether every embedded migration has been applied to the database behind `conn`.
pub async fn is_up_to_date(conn: &mut AsyncPgConnection, expected: &[String]) -> QueryResult<bool> {
    let applied: Vec<String> = __diesel_schema_migrations::table
        .select(__diesel_schema_migrations::version)
        .load(conn)
        .await?;
    Ok(expected.iter().all(|version| applied.contains(version)))
}

type Harness = AsyncConnectionWrapper<AsyncPgConnection>;
type HarnessResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn with_harness<T, F>(url: &str, work: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: FnOnce(&mut Harness) -> HarnessResult<T> + Send + 'static,
{
    // Connect asynchronously first, so that connection failures get the usual clear message.
    let connection = super::connect(url).await?;
    tokio::task::spawn_blocking(move || {
        let mut harness = Harness::from(connection);
        harness
            .batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
            .map_err(|error| DbError::Migration(error.to_string()))?;
        let outcome = work(&mut harness).map_err(|error| DbError::Migration(error.to_string()));
        let unlocked = harness
            .batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
            .map_err(|error| DbError::Migration(error.to_string()));
        let value = outcome?;
        unlocked?;
        Ok(value)
    })
    .await
    .map_err(|error| DbError::Migration(format!("the migration task stopped: {error}")))?
}
