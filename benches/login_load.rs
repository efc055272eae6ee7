//! Password hashing cost and its effect on reads.
//!
//! 1. The time of one Argon2id hash (m = 19 MiB, t = 2, p = 1) on this machine.
//! 2. GraphQL read latency (p50/p99) of the `certif api` program at 50 reads per second, alone
//!    and while 50 logins per second are being hashed (open loop: requests leave on schedule
//!    whether or not earlier ones have answered).
//!
//! Run: `cargo bench --bench login_load` (needs PostgreSQL like the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use support::summary;

use std::sync::Arc;
use std::time::{Duration, Instant};

use schema::scenario::{PASSWORD, Scenario};
use schema::security::PasswordHasher;
use schema::testing::TestDatabase;
use secrecy::SecretString;

const RATE: u64 = 50;
const SECONDS: u64 = 10;

async fn post(client: &reqwest::Client, url: &str, query: String) -> (f64, bool) {
    let started = Instant::now();
    let response = client
        .post(url)
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    (
        started.elapsed().as_secs_f64() * 1000.0,
        body["errors"].is_null(),
    )
}

/// Fires `query()` RATE times a second for SECONDS seconds; returns latencies and failures.
async fn open_loop(
    client: reqwest::Client,
    url: Arc<String>,
    query: fn(u64) -> String,
) -> (Vec<f64>, usize) {
    let mut ticker = tokio::time::interval(Duration::from_millis(1000 / RATE));
    let mut tasks = Vec::new();
    for index in 0..RATE * SECONDS {
        ticker.tick().await;
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            post(&client, &url, query(index)).await
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (millis, ok) = task.await.unwrap();
        latencies.push(millis);
        failures += usize::from(!ok);
    }
    (latencies, failures)
}

fn read(_: u64) -> String {
    "{ certificationSessions { id label phase } }".to_owned()
}

fn login(_: u64) -> String {
    format!(
        "mutation {{ login(email: \"admin@beta.gouv.fr\", password: \"{PASSWORD}\") {{ token }} }}"
    )
}

#[tokio::main]
async fn main() {
    let hasher = PasswordHasher::new(1).unwrap();
    let password = SecretString::from(PASSWORD.to_owned());
    let hash = hasher.hash(&password).await.unwrap();
    let mut hashes = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        hasher.verify(&password, Some(&hash)).await.unwrap();
        hashes.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    summary("one Argon2id verification (m=19MiB,t=2,p=1)", hashes);

    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    Scenario::at(chrono::Utc::now())
        .admin("admin@beta.gouv.fr", "Admin")
        .with_password()
        .create(&mut conn)
        .await
        .unwrap();
    let api = support::Api::start(
        db.url(),
        &[
            ("THROTTLE_PER_ACCOUNT", "1000000"),
            ("THROTTLE_PER_ADDRESS", "1000000"),
        ],
    )
    .await;
    let client = support::http_client();
    let base = api.base.clone();
    let url = Arc::new(format!("{base}/graphql"));
    // Warm up connections and caches.
    open_loop_short(&client, &url).await;

    let (alone, failed) = open_loop(client.clone(), url.clone(), read).await;
    assert_eq!(failed, 0);
    summary(&format!("reads at {RATE}/s, no logins"), alone);

    let logins = tokio::spawn(open_loop(client.clone(), url.clone(), login));
    let (loaded, failed) = open_loop(client.clone(), url.clone(), read).await;
    assert_eq!(failed, 0);
    summary(&format!("reads at {RATE}/s, with {RATE} logins/s"), loaded);
    let (login_latencies, login_failures) = logins.await.unwrap();
    summary(&format!("the {RATE} logins/s themselves"), login_latencies);
    println!(
        "login failures: {login_failures}; password hash concurrency: {}",
        PasswordHasher::default_concurrency()
    );

    drop(api);
}

async fn open_loop_short(client: &reqwest::Client, url: &str) {
    for _ in 0..50 {
        post(client, url, read(0)).await;
    }
}
