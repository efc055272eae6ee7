//! What each subcommand does: find the database, migrate it, then run the parts asked for.

use std::sync::Arc;

use api::AppState;
use schema::clock::{OffsetFileClock, SharedClock, SystemClock};
use schema::db::locate::LocateError;
use schema::db::{self, Database, DbError, Pool, migrations};

use crate::config::Config;
use crate::demo;
use crate::shutdown::Shutdown;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Locate(#[from] LocateError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Server(#[from] api::ServerError),
    #[error(transparent)]
    Scheduler(#[from] scheduler::SchedulerError),
    #[error("a part of certif stopped unexpectedly: {0}")]
    Task(String),
    #[error("the password hasher could not start: {0}")]
    Hasher(#[from] schema::security::PasswordError),
    #[error(transparent)]
    Admin(#[from] crate::admin::AdminError),
}

/// The system clock, or the clock moved by `CERTIF_CLOCK_OFFSET_FILE` (tests only).
fn clock(config: &Config) -> SharedClock {
    match &config.clock_offset_file {
        Some(file) => Arc::new(OffsetFileClock::new(file.clone())),
        None => Arc::new(SystemClock),
    }
}

/// Finds the database, applies pending migrations and opens the pool.
async fn prepare(config: &Config) -> Result<(Database, Pool), CommandError> {
    let database = db::locate(&config.database).await?;
    tracing::info!(origin = %database.origin, "Using this database.");
    let applied = migrations::run_pending(database.url()).await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "Applied the pending migrations.");
    }
    let pool = db::build_pool(database.url(), &config.database.pool)?;
    Ok((database, pool))
}

/// Runs the API and/or the scheduler until SIGINT or SIGTERM (or until one of them fails).
pub async fn up(config: &Config, run_api: bool, run_scheduler: bool) -> Result<(), CommandError> {
    let (database, pool) = prepare(config).await?;
    // Bind before anything runs, so that a taken port fails the start with a clear message.
    let bound = if run_api {
        Some(api::bind(&config.api).await?)
    } else {
        None
    };
    let shutdown = Shutdown::on_signals();
    let clock = clock(config);
    let mut tasks = tokio::task::JoinSet::new();
    if let Some(bound) = bound {
        let state = AppState::new(
            pool.clone(),
            clock.clone(),
            config.environment,
            config.api.clone(),
        )?;
        tracing::info!(
            "certif is ready at {url} (GraphiQL: {url}/graphql, readiness: {url}/readyz).",
            url = config.api.public_url
        );
        let stop = shutdown.clone();
        tasks.spawn(async move {
            bound
                .serve(state, stop.wait())
                .await
                .map_err(CommandError::from)
        });
    }
    if run_scheduler {
        let (pool, clock, settings, stop) = (
            pool.clone(),
            clock.clone(),
            config.scheduler.clone(),
            shutdown.clone(),
        );
        tasks.spawn(async move {
            scheduler::run(pool, clock, settings, stop.wait())
                .await
                .map_err(CommandError::from)
        });
    }
    let mut outcome = Ok(());
    while let Some(finished) = tasks.join_next().await {
        let result = finished.unwrap_or_else(|error| Err(CommandError::Task(error.to_string())));
        if let Err(error) = result {
            tracing::error!(%error, "A part of certif failed; stopping the others.");
            shutdown.trigger();
            if outcome.is_ok() {
                outcome = Err(error);
            }
        }
    }
    pool.close();
    database.shutdown().await;
    outcome
}

/// Applies the pending migrations and exits.
pub async fn migrate(config: &Config) -> Result<(), CommandError> {
    let database = db::locate(&config.database).await?;
    let applied = migrations::run_pending(database.url()).await;
    database.shutdown().await;
    let applied = applied?;
    if applied.is_empty() {
        tracing::info!("The database is up to date.");
    } else {
        tracing::info!(?applied, "Applied the pending migrations.");
    }
    Ok(())
}

/// Loads the demo data set.
pub async fn demo(config: &Config) -> Result<(), CommandError> {
    let (database, pool) = prepare(config).await?;
    let loaded = demo::load(&pool, &config.api.public_url, clock(config).now()).await;
    pool.close();
    database.shutdown().await;
    let summary = loaded?;
    tracing::info!(
        sessions_created = summary.sessions_created,
        users_created = summary.users_created,
        applications_created = summary.applications_created,
        "Loaded the demo data set."
    );
    Ok(())
}

/// Creates an admin account from the command line.
pub async fn create_admin(config: &Config, email: &str, name: &str) -> Result<(), CommandError> {
    // Read the password before touching the database, so a mistyped one costs nothing.
    let password = crate::admin::read_password()?;
    let (database, pool) = prepare(config).await?;
    let created = crate::admin::create_admin(&pool, email, name, password).await;
    pool.close();
    database.shutdown().await;
    let user = created?;
    tracing::info!(user = %user.id, "Created the admin account.");
    Ok(())
}
