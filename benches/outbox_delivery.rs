//! Outbox delivery throughput and the daemon's memory.
//!
//! Queues 10,000 messages (the three kinds in turn) in a fresh database, starts the real daemon
//! (`certif scheduler`, a child process, default settings) with `SMTP_URL` pointing at a
//! loopback SMTP server run by this benchmark, and measures:
//! - messages per second, from the first message the server accepts to the last (the daemon's
//!   start and migrations excluded), and from the daemon's start;
//! - the daemon's peak resident memory (`VmHWM` of the child in /proc, read before it stops)
//!   and the CPU time it used (user + system, from /proc).
//!
//! It then checks that every message arrived exactly once (distinct Message-IDs) and that the
//! outbox holds 10,000 `sent` rows.
//!
//! Run: `cargo bench --bench outbox_delivery` (needs PostgreSQL like the tests). Settings may
//! be varied through the daemon's variables, e.g. `OUTBOX_CONCURRENCY=8 cargo bench …`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use scheduler::testing::SmtpReceiver;
use schema::testing::TestDatabase;

const MESSAGES: usize = 10_000;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}

/// User + system CPU seconds of a process (fields 14 and 15 of /proc/PID/stat, in the
/// kernel's 100 ticks a second).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: count fields after its closing parenthesis.
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

async fn count_sent(conn: &mut diesel_async::AsyncPgConnection) -> i64 {
    let sent: Count =
        diesel::sql_query("SELECT count(*) AS count FROM outbox_messages WHERE state = 'sent'")
            .get_result(conn)
            .await
            .unwrap();
    sent.count
}

#[tokio::main]
async fn main() {
    let db = TestDatabase::new().await;
    let smtp = SmtpReceiver::start().await;
    let mut conn = db.connection().await;
    // The data the API writes for each kind (api/src/accounts.rs), queued in one statement.
    diesel::sql_query(format!(
        "INSERT INTO outbox_messages (kind, recipient, data, next_attempt_at, created_at) \
         SELECT (ARRAY['user_invitation', 'password_reset', 'candidate_sign_in'])[1 + i % 3], \
                'personne' || i || '@example.org', \
                jsonb_build_object('display_name', 'Personne ' || i, 'invited_by', 'Dominique Admin', \
                    'roles', jsonb_build_array('coach certificateur'), \
                    'link', 'https://certif.example/lien/' || md5(i::text), \
                    'expires_at', to_char((now() + interval '7 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')), \
                now(), now() \
         FROM generate_series(1, {MESSAGES}) AS i"
    ))
    .execute(&mut conn)
    .await
    .unwrap();

    let data_dir = std::env::temp_dir().join(format!(
        "certif-bench-outbox-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let started = Instant::now();
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_certif"))
        .arg("scheduler")
        .env("DATABASE_URL", db.url())
        .env("SMTP_URL", smtp.url())
        .env("CERTIF_DATA_DIR", &data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start certif scheduler");
    let pid = daemon.id();

    let deadline = Instant::now() + Duration::from_secs(600);
    let mut first = None;
    while smtp.count() < MESSAGES {
        assert!(
            Instant::now() < deadline,
            "not delivered in 10 minutes: {}",
            smtp.count()
        );
        if let Some(status) = daemon.try_wait().unwrap() {
            panic!("the daemon stopped early ({status}): see its output above");
        }
        if first.is_none() && smtp.count() > 0 {
            first = Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let last = Instant::now();
    // Wait for the last outcomes to be recorded, then read the peak before the daemon stops.
    while count_sent(&mut conn).await < MESSAGES as i64 {
        assert!(Instant::now() < deadline, "the sends were not all recorded");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let peak = vm_hwm_kib(pid).expect("the daemon's /proc status");
    let cpu = cpu_seconds(pid).expect("the daemon's /proc stat");
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let status = daemon.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);

    let received = smtp.received();
    let distinct: HashSet<String> = received
        .iter()
        .filter_map(|message| message.message_id())
        .collect();
    let sent = count_sent(&mut conn).await;
    let first = first.unwrap_or(started);
    let steady = (last - first).as_secs_f64();
    let total = (last - started).as_secs_f64();
    println!(
        "outbox delivery: {MESSAGES} messages to a loopback SMTP server through `certif scheduler`"
    );
    let defaults = scheduler::config::OutboxConfig::default();
    println!(
        "  settings: OUTBOX_BATCH_SIZE={} OUTBOX_CONCURRENCY={}",
        std::env::var("OUTBOX_BATCH_SIZE")
            .unwrap_or_else(|_| format!("{} (default)", defaults.batch_size)),
        std::env::var("OUTBOX_CONCURRENCY")
            .unwrap_or_else(|_| format!("{} (default)", defaults.concurrency))
    );
    println!(
        "  throughput: {:.0} messages/s (first to last message, {steady:.2} s); {:.0} messages/s from the daemon's start ({total:.2} s)",
        MESSAGES as f64 / steady,
        MESSAGES as f64 / total
    );
    println!(
        "  daemon peak memory (VmHWM of the child process): {:.1} MiB; daemon CPU time: {cpu:.2} s ({:.0} µs a message)",
        peak as f64 / 1024.0,
        cpu * 1e6 / MESSAGES as f64
    );
    println!(
        "  received {} messages, {} distinct Message-IDs; {sent} rows sent; daemon exit: {status}",
        received.len(),
        distinct.len(),
    );
    assert_eq!(distinct.len(), MESSAGES, "every message arrived");
    assert_eq!(received.len(), MESSAGES, "no message arrived twice");
    assert_eq!(sent, MESSAGES as i64);
    assert!(status.success(), "the daemon stopped cleanly");
}
