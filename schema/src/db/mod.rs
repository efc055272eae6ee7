//! The database layer: finding PostgreSQL, applying the embedded migrations, pooling
//! connections with every wait bounded, and telling database faults from bugs. Queries live
//! with their models in `crate::models`.

pub mod cluster;
pub mod faults;
pub mod locate;
pub mod migrations;
pub mod pool;
pub mod prebuilt;

use std::time::Duration;

use diesel_async::AsyncPgConnection;

pub use faults::Fault;
pub use locate::{Database, DatabaseOrigin, locate};
pub use pool::{Pool, PoolError, PooledConnection, Statements, build_pool, still_usable};
pub use prebuilt::{Prebuilt, PrebuiltDsl};

/// How long opening a single connection (outside the pool: migrations, finding the server)
/// may take.
const POOL_TIMEOUT: Duration = Duration::from_secs(10);

/// Failures of the database layer that are not query failures.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database at {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("the database at {target} did not answer within {seconds} seconds")]
    Timeout { target: String, seconds: u64 },
    #[error("applying the database migrations failed: {0}")]
    Migration(String),
    #[error("the database connection pool could not be built: {0}")]
    Pool(String),
    #[error("a database query failed: {0}")]
    Query(#[from] diesel::result::Error),
}

/// Opens one connection, with a timeout, and explains the failure in one sentence.
pub async fn connect(url: &str) -> Result<AsyncPgConnection, DbError> {
    use diesel_async::AsyncConnection;
    let target = locate::redact_url(url);
    match tokio::time::timeout(POOL_TIMEOUT, AsyncPgConnection::establish(url)).await {
        Err(_) => Err(DbError::Timeout {
            target,
            seconds: POOL_TIMEOUT.as_secs(),
        }),
        Ok(Err(error)) => Err(DbError::Connect {
            target,
            reason: error.to_string().trim().to_owned(),
        }),
        Ok(Ok(connection)) => Ok(connection),
    }
}
