//! Running the daemon: register the jobs, start the cron scheduler and the outbox dispatcher,
//! and on shutdown stop firing new ticks and claiming messages, and wait for the work in flight.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use schema::clock::SharedClock;
use schema::db::Pool;
use tokio::sync::Semaphore;
use tokio_cron_scheduler::{Job, JobScheduler};
use tokio_util::sync::CancellationToken;

use crate::config::SchedulerConfig;
use crate::jobs::{self, JobContext};
use crate::outbox::{Dispatcher, DispatcherError};

/// How long in-flight jobs and sends may take to finish once shutdown starts; past it, the
/// messages still being sent stay claimed until their lease expires, then are sent again.
const GRACE_PERIOD: Duration = Duration::from_secs(30);
/// Most jobs running at once in this instance (each holds a permit while it works).
const MAX_RUNNING_JOBS: u32 = 16;

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("the job scheduler failed: {0}")]
    Cron(#[from] tokio_cron_scheduler::JobSchedulerError),
    #[error("the outbox dispatcher cannot start: {0}")]
    Dispatcher(#[from] DispatcherError),
}

/// Runs the scheduler until `shutdown` completes.
pub async fn run(
    pool: Pool,
    clock: SharedClock,
    config: SchedulerConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), SchedulerError> {
    let dispatcher = Dispatcher::new(
        pool.clone(),
        clock.clone(),
        &config.instance,
        config.mail.clone(),
        config.chat.clone(),
        config.outbox.clone(),
    )
    .await?;
    let context = JobContext {
        pool,
        clock,
        instance: config.instance.clone(),
        settings: config.jobs.clone(),
    };
    let running = Arc::new(Semaphore::new(MAX_RUNNING_JOBS as usize));
    let mut scheduler = JobScheduler::new().await?;
    let schedule = Schedule {
        scheduler: &scheduler,
        context: &context,
        running: &running,
    };
    schedule
        .add("heartbeat", &config.heartbeat_cron, jobs::heartbeat)
        .await?;
    schedule
        .add(
            "session_cycle",
            &config.session_cycle_cron,
            jobs::session_cycle,
        )
        .await?;
    schedule
        .add("reminders", &config.reminders_cron, jobs::reminders)
        .await?;
    schedule
        .add("results", &config.results_cron, jobs::publish_results)
        .await?;
    schedule
        .add("letters", &config.letters_cron, jobs::letters)
        .await?;

    scheduler.start().await?;
    let stop_dispatching = CancellationToken::new();
    let mut dispatching = tokio::spawn(dispatcher.run(stop_dispatching.clone()));
    tracing::info!(instance = %config.instance, "The scheduler is running.");
    shutdown.await;
    tracing::info!("The scheduler is stopping; waiting for running jobs and sends.");
    stop_dispatching.cancel();
    scheduler.shutdown().await?;
    // Wait until every job permit is back (no job is left half-done) and the dispatcher has
    // recorded the sends in flight.
    let drained = tokio::time::timeout(GRACE_PERIOD, async {
        let _ = running.acquire_many(MAX_RUNNING_JOBS).await;
        let _ = (&mut dispatching).await;
    })
    .await;
    match drained {
        Ok(()) => tracing::info!("The scheduler stopped."),
        Err(_) => {
            dispatching.abort();
            tracing::warn!("The scheduler stopped with work still running after the grace period.")
        }
    }
    running.close();
    Ok(())
}

/// Registers jobs on the cron scheduler: each firing takes a permit (none once shutting down),
/// then runs its work through `jobs::run_claimed`, so that one instance does each tick. Cron
/// expressions are read in UTC.
struct Schedule<'a> {
    scheduler: &'a JobScheduler,
    context: &'a JobContext,
    running: &'a Arc<Semaphore>,
}

impl Schedule<'_> {
    async fn add<F, Fut>(
        &self,
        name: &'static str,
        cron: &str,
        work: F,
    ) -> Result<(), tokio_cron_scheduler::JobSchedulerError>
    where
        F: Fn(JobContext) -> Fut + Copy + Send + Sync + 'static,
        Fut: Future<Output = Result<(), jobs::JobError>> + Send + 'static,
    {
        let context = self.context.clone();
        let running = self.running.clone();
        let job = Job::new_async(cron, move |_, _| {
            let context = context.clone();
            let running = running.clone();
            Box::pin(async move {
                let Ok(_permit) = running.acquire_owned().await else {
                    return; // Shutting down: no new work.
                };
                let tick = jobs::tick_of(context.clock.now());
                jobs::run_claimed(&context, name, tick, work).await;
            })
        })?;
        self.scheduler.add(job).await?;
        tracing::debug!(job = name, cron, "Scheduled a job.");
        Ok(())
    }
}
