//! The database layer: finding PostgreSQL, applying the embedded migrations and pooling
//! connections. Queries live with their models in `crate::models`.

pub mod cluster;
pub mod locate;
pub mod migrations;

use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;

pub use locate::{Database, DatabaseOrigin, locate};

/// A pool of async PostgreSQL connections.
pub type Pool = diesel_async::pooled_connection::deadpool::Pool<AsyncPgConnection>;
/// A connection borrowed from the pool.
pub type PooledConnection = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;

/// How long a request waits for a free connection, or for a new one to open.
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

/// Builds the connection pool. Connections open lazily, so call [`check_connection`] (or run
/// the migrations) first to fail early with a clear message.
pub fn build_pool(url: &str, size: usize) -> Result<Pool, DbError> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Pool::builder(manager)
        .max_size(size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(POOL_TIMEOUT))
        .create_timeout(Some(POOL_TIMEOUT))
        .build()
        .map_err(|error| DbError::Pool(error.to_string()))
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
