//! The jobs and the tick-claiming wrapper every job runs through: the heartbeat, the session
//! cycle (sessions created ahead, registration openings announced), the reminders, the
//! results published once their delay is over, and the letters to laureates' administrations.

mod heartbeat;
mod letters;
mod reminders;
mod results;
mod session_cycle;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use schema::clock::SharedClock;
use schema::db::Pool;
use schema::models::CronTick;

pub use heartbeat::heartbeat;
pub use letters::{letters, run_letters};
pub use reminders::{RemindersReport, reminders, run_reminders};
pub use results::{ResultsReport, publish_results, run_publish_results};
pub use session_cycle::{CycleReport, SESSIONS_AHEAD, run_session_cycle, session_cycle};

use crate::config::JobSettings;

/// Why a cron expression is refused.
#[derive(Debug, thiserror::Error)]
pub enum CronError {
    #[error("expected 6 fields (seconds first), found {0}")]
    Fields(usize),
    #[error(transparent)]
    Invalid(#[from] tokio_cron_scheduler::JobSchedulerError),
}

/// Checks a six-field cron expression (seconds first), as tokio-cron-scheduler reads it.
pub fn check_cron(expression: &str) -> Result<(), CronError> {
    let fields = expression.split_whitespace().count();
    if fields != 6 {
        return Err(CronError::Fields(fields));
    }
    tokio_cron_scheduler::Job::new_async(expression, |_, _| Box::pin(async {}))?;
    Ok(())
}

/// What a job needs to run.
#[derive(Clone)]
pub struct JobContext {
    pub pool: Pool,
    pub clock: SharedClock,
    pub instance: String,
    pub settings: JobSettings,
}

/// Why a session cycle or reminders run stopped (what it did before stays done: each step is
/// its own transaction and is idempotent, so the next tick finishes the work).
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no database connection: {0}")]
    Pool(#[from] schema::db::PoolError),
    #[error("a query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Random(#[from] schema::security::token::RandomError),
}

/// The tick a firing at `now` belongs to: cron fires on whole seconds, but a late wake-up may
/// land a little after; ticks are identified to the second, in UTC.
pub fn tick_of(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(TimeDelta::seconds(1)).unwrap_or(now)
}

/// Claims the tick of `job` at `scheduled_for`, runs `work` if this instance got it, and marks
/// the tick finished. Returns whether the work ran here.
pub async fn run_claimed<F, Fut>(
    context: &JobContext,
    job: &str,
    scheduled_for: DateTime<Utc>,
    work: F,
) -> bool
where
    F: FnOnce(JobContext) -> Fut,
    Fut: Future<Output = Result<(), JobError>>,
{
    let claimed = match context.pool.get().await {
        Ok(mut conn) => CronTick::claim(&mut conn, job, scheduled_for, &context.instance).await,
        Err(error) => {
            tracing::warn!(job, %error, "Skipping a tick: the database is unreachable.");
            return false;
        }
    };
    match claimed {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!(job, %scheduled_for, "Another instance claimed this tick.");
            return false;
        }
        Err(error) => {
            tracing::warn!(job, %error, "Skipping a tick: it could not be claimed.");
            return false;
        }
    }
    if let Err(error) = work(context.clone()).await {
        tracing::error!(job, %scheduled_for, %error, "A scheduled job failed.");
    }
    if let Ok(mut conn) = context.pool.get().await
        && let Err(error) =
            CronTick::finish(&mut conn, job, scheduled_for, context.clock.now()).await
    {
        tracing::warn!(job, %error, "A finished tick could not be recorded.");
    }
    true
}
