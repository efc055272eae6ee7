//! What every request handler may reach: the pool, the clock, the password hasher and the
//! settings.

use std::sync::Arc;

use schema::clock::SharedClock;
use schema::config::Environment;
use schema::db::{Pool, PoolError};
use schema::security::{PasswordError, PasswordHasher};

use crate::config::ApiConfig;
use crate::request_connection::Db;
use crate::session_cache::SessionCache;
use crate::workflows::calendar_feed::FeedCache;

/// Shared by all requests; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: SharedClock,
    pub environment: Environment,
    pub config: Arc<ApiConfig>,
    pub hasher: PasswordHasher,
    /// The migration versions this binary expects to find applied (for `/readyz`).
    pub expected_migrations: Arc<Vec<String>>,
    /// Signed-in viewers read a moment ago.
    pub sessions: Arc<SessionCache>,
    /// The calendar feeds rendered, per version.
    pub feeds: Arc<FeedCache>,
}

impl AppState {
    pub fn new(
        pool: Pool,
        clock: SharedClock,
        environment: Environment,
        config: ApiConfig,
    ) -> Result<Self, PasswordError> {
        Ok(Self {
            pool,
            clock,
            environment,
            hasher: PasswordHasher::new(config.password_hash_concurrency)?,
            sessions: Arc::new(SessionCache::new(config.session_cache)),
            feeds: Arc::new(FeedCache::new(&config.organizer_email)),
            config: Arc::new(config),
            expected_migrations: Arc::new(schema::db::migrations::embedded_versions()),
        })
    }

    /// A database connection for the current request: the one the request already holds when
    /// it is free, else one from the pool (see [`crate::request_connection`]).
    pub async fn db(&self) -> Result<Db, PoolError> {
        Db::borrow(&self.pool).await
    }
}
