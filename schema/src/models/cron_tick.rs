//! Claims on scheduler ticks: the first instance to insert (job, scheduled time) does the work.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::cron_ticks;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = cron_ticks, check_for_backend(diesel::pg::Pg))]
pub struct CronTick {
    pub job: String,
    pub scheduled_for: DateTime<Utc>,
    pub claimed_by: String,
    pub claimed_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl CronTick {
    /// Claims the tick; `true` when this instance got it, `false` when another one had it.
    pub async fn claim(
        conn: &mut AsyncPgConnection,
        job: &str,
        scheduled_for: DateTime<Utc>,
        instance: &str,
    ) -> QueryResult<bool> {
        let inserted = diesel::insert_into(cron_ticks::table)
            .values((
                cron_ticks::job.eq(job),
                cron_ticks::scheduled_for.eq(scheduled_for),
                cron_ticks::claimed_by.eq(instance),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }

    /// Records that the claimed tick's work is done.
    pub async fn finish(
        conn: &mut AsyncPgConnection,
        job: &str,
        scheduled_for: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(cron_ticks::table.find((job, scheduled_for)))
            .set(cron_ticks::finished_at.eq(now))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Forgets finished ticks older than `before`.
    pub async fn prune(conn: &mut AsyncPgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
        diesel::delete(cron_ticks::table)
            .filter(cron_ticks::scheduled_for.lt(before))
            .filter(cron_ticks::finished_at.is_not_null())
            .execute(conn)
            .await
    }
}
