//! What every request handler may reach: the pool, the clock and the settings.

use std::sync::Arc;

use schema::clock::SharedClock;
use schema::config::Environment;
use schema::db::Pool;

/// Shared by all requests; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: SharedClock,
    pub environment: Environment,
    /// The migration versions this binary expects to find applied (for `/readyz`).
    pub expected_migrations: Arc<Vec<String>>,
}

impl AppState {
    pub fn new(pool: Pool, clock: SharedClock, environment: Environment) -> Self {
        Self {
            pool,
            clock,
            environment,
            expected_migrations: Arc::new(schema::db::migrations::embedded_versions()),
        }
    }
}
