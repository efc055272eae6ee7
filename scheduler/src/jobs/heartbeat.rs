//! The heartbeat job: proves the daemon runs, and forgets what is no longer needed.

use chrono::TimeDelta;
use schema::models::{CronTick, ThrottleBucket, Token};

use super::JobContext;

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
