//! Running the daemon: register the jobs, start the cron scheduler, and on shutdown stop firing
//! new ticks and wait for the ones in flight.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use schema::clock::SharedClock;
use schema::db::Pool;
use tokio::sync::Semaphore;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::config::SchedulerConfig;
use crate::jobs::{self, JobContext};

/// How long in-flight jobs may take to finish once shutdown starts.
const GRACE_PERIOD: Duration = Duration::from_secs(30);
/// Most jobs running at once in this instance (each holds a permit while it works).
const MAX_RUNNING_JOBS: u32 = 16;

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("the job scheduler failed: {0}")]
    Cron(#[from] tokio_cron_scheduler::JobSchedulerError),
}

/// Runs the scheduler until `shutdown` completes.
pub async fn run(
    pool: Pool,
    clock: SharedClock,
    config: SchedulerConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), SchedulerError> {
    let context = JobContext {
        pool,
        clock,
        instance: config.instance.clone(),
    };
    let running = Arc::new(Semaphore::new(MAX_RUNNING_JOBS as usize));
    let mut scheduler = JobScheduler::new().await?;

    let heartbeat_context = context.clone();
    let heartbeat_running = running.clone();
    scheduler
        .add(Job::new_async(
            config.heartbeat_cron.as_str(),
            move |_, _| {
                let context = heartbeat_context.clone();
                let running = heartbeat_running.clone();
                Box::pin(async move {
                    let Ok(_permit) = running.acquire_owned().await else {
                        return; // Shutting down: no new work.
                    };
                    let tick = jobs::tick_of(context.clock.now());
                    jobs::run_claimed(&context, "heartbeat", tick, jobs::heartbeat).await;
                })
            },
        )?)
        .await?;

    scheduler.start().await?;
    tracing::info!(instance = %config.instance, "The scheduler is running.");
    shutdown.await;
    tracing::info!("The scheduler is stopping; waiting for running jobs.");
    scheduler.shutdown().await?;
    // Close the gate, then wait until every permit is back: no job is left half-done.
    match tokio::time::timeout(GRACE_PERIOD, running.acquire_many(MAX_RUNNING_JOBS)).await {
        Ok(_) => tracing::info!("The scheduler stopped."),
        Err(_) => {
            tracing::warn!("The scheduler stopped with jobs still running after the grace period.")
        }
    }
    running.close();
    Ok(())
}
