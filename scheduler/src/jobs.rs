//! The jobs and the tick-claiming wrapper every job runs through.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use schema::clock::SharedClock;
use schema::db::Pool;
use schema::models::{CronTick, ThrottleBucket, Token};

/// Checks a six-field cron expression (seconds first), as tokio-cron-scheduler reads it.
pub fn check_cron(expression: &str) -> Result<(), String> {
    let fields = expression.split_whitespace().count();
    if fields != 6 {
        return Err(format!("expected 6 fields (seconds first), found {fields}"));
    }
    tokio_cron_scheduler::Job::new_async(expression, |_, _| Box::pin(async {}))
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// What a job needs to run.
#[derive(Clone)]
pub struct JobContext {
    pub pool: Pool,
    pub clock: SharedClock,
    pub instance: String,
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
    Fut: Future<Output = Result<(), String>>,
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

/// The heartbeat: proves the daemon runs, and forgets what is no longer needed: finished
/// ticks older than a week, tokens expired for a day, rate-limit windows older than a day.
pub async fn heartbeat(context: JobContext) -> Result<(), String> {
    let now = context.clock.now();
    let failed = |error: diesel::result::Error| error.to_string();
    let mut conn = context
        .pool
        .get()
        .await
        .map_err(|error| error.to_string())?;
    let ticks = CronTick::prune(&mut conn, now - TimeDelta::days(7))
        .await
        .map_err(failed)?;
    let tokens = Token::prune_expired(&mut conn, now - TimeDelta::days(1))
        .await
        .map_err(failed)?;
    let windows = ThrottleBucket::prune(&mut conn, now - TimeDelta::days(1))
        .await
        .map_err(failed)?;
    tracing::info!(instance = %context.instance, ticks, tokens, windows, "The scheduler is alive.");
    Ok(())
}
