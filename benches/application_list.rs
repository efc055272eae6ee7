//! Listing a session's applications, pages of 50, from a session of 2,000 applications, as the
//! équipe animation does: p50/p99 latency of one page (walking the pages with the cursor), and
//! pages per second with 8 clients at once, against the `certif api` program.
//!
//! Run: `cargo bench --bench application_list` (needs PostgreSQL like the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use support::summary;

use std::time::{Duration, Instant};

use diesel_async::RunQueryDsl;
use schema::models::SessionOwner;
use schema::scenario::Scenario;
use schema::testing::TestDatabase;

const APPLICATIONS: usize = 2000;
const CLIENTS: usize = 8;

fn query(session: &str, after: Option<&str>) -> serde_json::Value {
    let after = after
        .map(|cursor| format!(", after: \"{cursor}\""))
        .unwrap_or_default();
    serde_json::json!({ "query": format!(
        "{{ applications(sessionId: \"{session}\", first: 50{after}) {{ rows {{ application {{ id state startupName eligible }} candidate {{ displayName email }} dossier {{ itemsProvided complete }} }} endCursor hasNextPage countsByState {{ state count }} }} }}"
    ) })
}

/// Fetches one page; returns the next cursor (None at the end).
async fn page(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    session: &str,
    after: Option<String>,
) -> Option<String> {
    let body: serde_json::Value = client
        .post(url)
        .bearer_auth(token)
        .json(&query(session, after.as_deref()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page = &body["data"]["applications"];
    assert!(
        page["rows"].as_array().is_some_and(|rows| !rows.is_empty()),
        "{body}"
    );
    (page["hasNextPage"] == true).then(|| page["endCursor"].as_str().unwrap().to_owned())
}

#[tokio::main]
async fn main() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let scenario = Scenario::at(chrono::Utc::now());
    let session = scenario.session(2027, 5).create(&mut conn).await.unwrap();
    diesel::sql_query(format!(
        "INSERT INTO candidates (email, display_name) SELECT 'candidat' || i || '@administration.example', 'Candidat ' || i FROM generate_series(1, {APPLICATIONS}) i"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO applications (candidate_id, session_id, state, employer_type, employer_name, agent_status, joined_programme, startup_name, incubator, product_sheet_url, intrapreneur_start, full_time, acceleration_reached, prior_certification, letter_consent, eligible, created_at, updated_at) \
         SELECT c.id, '{}', (ARRAY['eligible','dossier_in_progress','submitted','complete'])[1 + (row_number() OVER ()) % 4], 'state', 'DINUM', 'fonctionnaire', true, 'Startup ' || c.display_name, 'DINUM', 'https://beta.gouv.fr/startups/x.html', '2025-01-06', true, true, 'none', false, true, now() - (row_number() OVER ()) * interval '1 minute', now() FROM candidates c",
        session.id
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query("INSERT INTO dossier_links (application_id, kind, url, updated_at) SELECT id, 'startup_site', 'https://a.example', now() FROM applications WHERE state <> 'eligible'")
        .execute(&mut conn)
        .await
        .unwrap();
    diesel::sql_query("ANALYZE")
        .execute(&mut conn)
        .await
        .unwrap();
    let admin = scenario
        .admin("admin@beta.gouv.fr", "Admin")
        .create(&mut conn)
        .await
        .unwrap();
    let (_, token) = scenario
        .signed_in(
            &mut conn,
            SessionOwner::User(admin.id),
            chrono::Duration::hours(12),
        )
        .await
        .unwrap();

    let api = support::Api::start(db.url(), &[]).await;
    let client = support::http_client();
    let base = api.base.clone();
    let url = format!("{base}/graphql");
    let session_id = session.id.to_string();
    let token = token.expose().to_owned();

    // Latency: walk every page of the session, five times.
    let mut latencies = Vec::new();
    for _ in 0..5 {
        let mut after = None;
        loop {
            let started = Instant::now();
            after = page(&client, &url, &token, &session_id, after).await;
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            if after.is_none() {
                break;
            }
        }
    }
    summary(
        &format!("one page of 50 of {APPLICATIONS} applications"),
        latencies,
    );

    // Throughput: CLIENTS clients walking pages for 10 seconds.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut workers = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url, token, session_id) = (
            client.clone(),
            url.clone(),
            token.clone(),
            session_id.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut pages = 0_u64;
            let mut after = None;
            while Instant::now() < deadline {
                after = page(&client, &url, &token, &session_id, after).await;
                pages += 1;
            }
            pages
        }));
    }
    let mut pages = 0;
    for worker in workers {
        pages += worker.await.unwrap();
    }
    println!(
        "{CLIENTS} clients for 10 s: {pages} pages, {:.0} pages per second",
        pages as f64 / 10.0
    );

    drop(api);
}
