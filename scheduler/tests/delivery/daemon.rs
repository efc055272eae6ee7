//! The daemon as `certif scheduler` runs it: several instances at once do each tick once and
//! send each message once, and shutdown waits for the work in flight.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use scheduler::SchedulerConfig;
use scheduler::config::ChatConfig;
use scheduler::testing::SmtpReceiver;
use schema::clock::{Clock, SystemClock};
use schema::domain::Email;
use schema::models::OutboxMessage;
use schema::testing::TestDatabase;

use crate::support::{ScratchDir, data, deliveries, expected_id, fast, smtp_mail};

#[derive(QueryableByName)]
struct Claims {
    #[diesel(sql_type = BigInt)]
    ticks: i64,
    #[diesel(sql_type = BigInt)]
    instances: i64,
    #[diesel(sql_type = BigInt)]
    unfinished: i64,
}

#[derive(QueryableByName)]
struct Sessions {
    #[diesel(sql_type = BigInt)]
    sessions: i64,
    #[diesel(sql_type = BigInt)]
    months: i64,
    #[diesel(sql_type = BigInt)]
    unfinished: i64,
}

#[derive(QueryableByName)]
struct Instance {
    #[diesel(sql_type = Text)]
    claimed_by: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn three_instances_do_each_tick_once_send_each_message_once_and_stop_cleanly() {
    let db = TestDatabase::new().await;
    let smtp = SmtpReceiver::start().await;
    smtp.set_reply_delay(Duration::from_millis(2));
    let mut queued = Vec::new();
    {
        let mut conn = db.connection().await;
        for index in 0..150 {
            let kind = crate::support::ACCOUNT_KINDS[index % 3];
            let recipient = Email::parse(&format!("personne{index}@example.org")).unwrap();
            queued.push(
                OutboxMessage::enqueue(
                    &mut conn,
                    &recipient,
                    &data(kind, index),
                    SystemClock.now(),
                )
                .await
                .unwrap(),
            );
        }
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let chat_dir = ScratchDir::new();
    let mut daemons = Vec::new();
    for index in 0..3 {
        // Every job every second, on the real clock: the session cycle creates the next two
        // sessions (once, whatever the number of instances).
        let config = SchedulerConfig {
            instance: format!("instance-{index}"),
            heartbeat_cron: "* * * * * *".to_owned(),
            session_cycle_cron: "* * * * * *".to_owned(),
            reminders_cron: "* * * * * *".to_owned(),
            mail: smtp_mail(&smtp.url()),
            chat: ChatConfig::Files {
                dir: chat_dir.0.clone(),
            },
            outbox: fast(),
            ..SchedulerConfig::default()
        };
        let mut stopped = stopped.clone();
        let shutdown = async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        daemons.push(tokio::spawn(scheduler::run(
            db.pool(),
            Arc::new(SystemClock),
            config,
            shutdown,
        )));
    }
    // Until every message is delivered, two heartbeat ticks have finished and the session cycle
    // has created its sessions: what the assertions below look at.
    wait_until_worked(&db, &smtp, 150).await;
    stop.send(true).unwrap();
    for daemon in daemons {
        tokio::time::timeout(Duration::from_secs(35), daemon)
            .await
            .expect("stops in time")
            .unwrap()
            .unwrap();
    }

    let counts = deliveries(&smtp.received());
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        queued.iter().map(expected_id).collect::<BTreeSet<_>>()
    );
    assert!(
        counts.values().all(|&times| times == 1),
        "each message sent once"
    );
    let states = crate::support::states(&db).await;
    // A chat post, if a session created on the real clock is open for registration today.
    let posts = std::fs::read_dir(&chat_dir.0).map_or(0, |dir| dir.count()) as i64;
    assert_eq!(states.get("sent"), Some(&(150 + posts)), "{states:?}");
    assert_eq!(states.len(), 1, "nothing left to send: {states:?}");

    let mut conn = db.connection().await;
    let claims: Claims = diesel::sql_query(
        "SELECT count(*) AS ticks, count(DISTINCT claimed_by) AS instances, count(*) FILTER (WHERE finished_at IS NULL) AS unfinished \
         FROM cron_ticks WHERE job = 'heartbeat'",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    // One row per second; the primary key makes a second claim of the same tick impossible.
    assert!(
        (2..=5).contains(&claims.ticks),
        "about one tick a second: {}",
        claims.ticks
    );
    assert_eq!(
        claims.unfinished, 0,
        "every claimed tick finished before shutdown"
    );
    let instances: Vec<Instance> = diesel::sql_query(
        "SELECT DISTINCT claimed_by FROM cron_ticks UNION SELECT DISTINCT claimed_by FROM outbox_messages",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(
        instances
            .iter()
            .all(|instance| instance.claimed_by.starts_with("instance-"))
    );
    assert!(claims.instances >= 1);

    let sessions: Sessions = diesel::sql_query(
        "SELECT count(*) AS sessions, count(DISTINCT (year, month)) AS months, \
         (SELECT count(*) FROM cron_ticks WHERE finished_at IS NULL) AS unfinished \
         FROM certification_sessions",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        (sessions.sessions, sessions.months, sessions.unfinished),
        (2, 2, 0),
        "the next two sessions, created once; every tick of every job finished"
    );
}

#[derive(QueryableByName)]
struct Progress {
    #[diesel(sql_type = BigInt)]
    heartbeats: i64,
    #[diesel(sql_type = BigInt)]
    sessions: i64,
}

/// Waits (30 s at most) until `messages` mails have arrived, two heartbeat ticks have finished
/// and the next two sessions exist.
async fn wait_until_worked(db: &TestDatabase, smtp: &SmtpReceiver, messages: usize) {
    assert!(smtp.wait_for(messages, Duration::from_secs(30)).await);
    let mut conn = db.connection().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let progress: Progress = diesel::sql_query(
            "SELECT (SELECT count(*) FROM cron_ticks WHERE job = 'heartbeat' AND finished_at IS NOT NULL) AS heartbeats, \
             (SELECT count(*) FROM certification_sessions) AS sessions",
        )
        .get_result(&mut conn)
        .await
        .unwrap();
        if progress.heartbeats >= 2 && progress.sessions >= 2 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the daemons did not work in 30 s: {} heartbeats, {} sessions",
            progress.heartbeats,
            progress.sessions
        );
        // Polling a condition, not waiting for a guessed time.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
