//! The heartbeat job: proves the daemon runs, and forgets what is no longer needed.

use chrono::TimeDelta;
use schema::models::{CronTick, ThrottleBucket, Token};

use super::{JobContext, JobError};

/// The heartbeat: proves the daemon runs, and forgets what is no longer needed: finished
/// ticks older than a week, tokens expired for a day, rate-limit windows older than a day.
pub async fn heartbeat(context: JobContext) -> Result<(), JobError> {
    let now = context.clock.now();
    let mut conn = context.pool.get().await?;
    let ticks = CronTick::prune(&mut conn, now - TimeDelta::days(7)).await?;
    let tokens = Token::prune_expired(&mut conn, now - TimeDelta::days(1)).await?;
    let windows = ThrottleBucket::prune(&mut conn, now - TimeDelta::days(1)).await?;
    tracing::info!(instance = %context.instance, ticks, tokens, windows, "The scheduler is alive.");
    Ok(())
}
