//! Fixed-window counters behind rate limits, shared by every API replica.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::throttle_buckets;

pub struct ThrottleBucket;

impl ThrottleBucket {
    /// Counts one hit on `key` in the window starting at `window_start`; returns the hits so
    /// far in that window, this one included. One statement, safe under concurrency.
    pub async fn hit(
        conn: &mut AsyncPgConnection,
        key: &str,
        window_start: DateTime<Utc>,
    ) -> QueryResult<i32> {
        diesel::insert_into(throttle_buckets::table)
            .values((
                throttle_buckets::key.eq(key),
                throttle_buckets::window_start.eq(window_start),
                throttle_buckets::hits.eq(1),
            ))
            .on_conflict((throttle_buckets::key, throttle_buckets::window_start))
            .do_update()
            .set(throttle_buckets::hits.eq(throttle_buckets::hits + 1))
            .returning(throttle_buckets::hits)
            .get_result(conn)
            .await
    }

    /// Forgets windows that started before `before`.
    pub async fn prune(conn: &mut AsyncPgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
        diesel::delete(throttle_buckets::table.filter(throttle_buckets::window_start.lt(before)))
            .execute(conn)
            .await
    }
}
