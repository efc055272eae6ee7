//! Booking figures against the `certif api` program, on a session of 40 coaches × 30 slots:
//! the bookable-slots query (p50/p99 and requests per second), a coach's calendar feed of 500
//! orals (p50/p99, requests per second answered 200 and answered 304, against the same bytes
//! served as a static file by poem, and the API's peak memory), and bookings per second when
//! 200 candidates race for 20 slots.
//!
//! Run: `cargo bench --bench booking` (needs PostgreSQL like the tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use support::summary;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use schema::models::CalendarFeed;
use schema::scenario::Scenario;
use schema::security::TokenSecret;
use schema::testing::TestDatabase;

const CLIENTS: usize = 8;

async fn sql(conn: &mut diesel_async::AsyncPgConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).await.unwrap();
}

/// Runs `request` from CLIENTS clients for 10 s; returns requests per second.
async fn throughput<F, Fut>(request: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut done = 0_u64;
                while Instant::now() < deadline {
                    request().await;
                    done += 1;
                }
                done
            })
        })
        .collect();
    let mut total = 0;
    for worker in workers {
        total += worker.await.unwrap();
    }
    total as f64 / 10.0
}

#[tokio::main]
async fn main() {
    let db = TestDatabase::new().await;
    let mut conn = db.connection().await;
    let scenario = Scenario::at(Utc::now());
    let session = scenario.session(2027, 5).create(&mut conn).await.unwrap();
    let s = session.id;
    // 40 coaches with 30 slots each over the oral window (20 May – 3 June 2027).
    sql(&mut conn, "INSERT INTO users (email, display_name, roles) SELECT 'coach' || i || '@coachs.example', 'Coach ' || i, '{coach}' FROM generate_series(1, 40) i").await;
    sql(&mut conn, &format!("INSERT INTO availability_slots (coach_id, session_id, starts_at, ends_at, modes, created_at) SELECT u.id, '{s}', ts, ts + interval '90 minutes', '{{video}}', now() FROM users u, generate_series(timestamptz '2027-05-20 07:00Z', timestamptz '2027-05-20 07:00Z' + interval '29 days 6 hours', interval '1 day 6 hours') ts WHERE u.email LIKE 'coach%@coachs.example'")).await;
    // 200 candidates with complete dossiers and booking links (the first one lists slots).
    sql(&mut conn, "INSERT INTO candidates (email, display_name) SELECT 'candidat' || i || '@administration.example', 'Candidat ' || i FROM generate_series(1, 700) i").await;
    sql(&mut conn, &format!("INSERT INTO applications (candidate_id, session_id, state, employer_type, employer_name, agent_status, joined_programme, startup_name, incubator, product_sheet_url, intrapreneur_start, full_time, acceleration_reached, prior_certification, letter_consent, eligible, created_at, updated_at) SELECT id, '{s}', 'complete', 'state', 'DINUM', 'fonctionnaire', true, 'Startup', 'Incubateur ' || display_name, 'https://beta.gouv.fr/startups/x.html', '2025-01-06', true, true, 'none', false, true, now(), now() FROM candidates")).await;
    let applications: Vec<String> = {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Text)]
            id: String,
        }
        diesel::sql_query("SELECT a.id::text AS id FROM applications a JOIN candidates c ON c.id = a.candidate_id ORDER BY c.email").load::<Id>(&mut conn).await.unwrap().into_iter().map(|row| row.id).collect()
    };
    let mut links = Vec::new();
    for application in applications.iter().take(200) {
        let token = TokenSecret::generate().unwrap();
        let hash: String = token
            .sha256()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        sql(&mut conn, &format!("INSERT INTO tokens (token_sha256, purpose, application_id, created_at, expires_at) VALUES ('\\x{hash}', 'booking', '{application}', now(), '2027-06-03Z')")).await;
        links.push(token.expose().to_owned());
    }
    // A coach with 500 orals (some cancelled) for the feed; slots every two hours.
    let busy = scenario
        .coach("occupe@coachs.example", "Coach très occupé")
        .create(&mut conn)
        .await
        .unwrap();
    sql(&mut conn, &format!("INSERT INTO availability_slots (coach_id, session_id, starts_at, ends_at, modes, created_at) SELECT '{}', '{s}', timestamptz '2027-05-20 07:00Z' + i * interval '2 hours', timestamptz '2027-05-20 08:00Z' + i * interval '2 hours', '{{video}}', now() FROM generate_series(0, 499) i", busy.id)).await;
    sql(&mut conn, &format!("WITH slot AS (SELECT id, row_number() OVER (ORDER BY starts_at) AS n FROM availability_slots WHERE coach_id = '{}'), app AS (SELECT a.id, row_number() OVER (ORDER BY c.email DESC) AS n FROM applications a JOIN candidates c ON c.id = a.candidate_id) INSERT INTO bookings (application_id, slot_id, ical_uid, sequence, state, mode, cancel_reason, cancelled_at, created_at, updated_at) SELECT app.id, slot.id, gen_random_uuid() || '@certif.beta.gouv.fr', CASE WHEN slot.n % 10 = 0 THEN 1 ELSE 0 END, CASE WHEN slot.n % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END, 'video', CASE WHEN slot.n % 10 = 0 THEN 'Empêchement' END, CASE WHEN slot.n % 10 = 0 THEN now() END, now(), now() FROM slot JOIN app ON app.n = slot.n", busy.id)).await;
    let feed_token = TokenSecret::generate().unwrap();
    CalendarFeed::rotate(&mut conn, busy.id, feed_token.sha256(), Utc::now())
        .await
        .unwrap();
    sql(&mut conn, "ANALYZE").await;

    let api = support::Api::start(db.url(), &[]).await;
    let client = support::http_client();
    let base = api.base.clone();
    let graphql = Arc::new(format!("{base}/graphql"));

    // Bookable slots: the clock of the server is real time, so the whole 2027 window is ahead.
    let list = Arc::new(
        serde_json::json!({ "query": format!("{{ bookableSlots(token: \"{}\") {{ date slots {{ id startsAt coachName }} }} }}", links[0]) }),
    );
    let mut latencies = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let body: serde_json::Value = client
            .post(graphql.as_str())
            .json(&*list)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(body["errors"].is_null(), "{body}");
    }
    summary("bookable slots (40 coaches × 30 slots)", latencies);
    let (c, u, l) = (client.clone(), graphql.clone(), list.clone());
    let rps = throughput(move || {
        let (c, u, l) = (c.clone(), u.clone(), l.clone());
        async move {
            c.post(u.as_str())
                .json(&*l)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
        }
    })
    .await;
    println!("bookable slots, {CLIENTS} clients: {rps:.0} requests per second");

    // The feed of 500 orals: answered 200, answered 304, and the same bytes as a static file.
    let feed = Arc::new(format!("{base}/calendar/{}.ics", feed_token.expose()));
    let mut latencies = Vec::new();
    let mut body = bytes::Bytes::new();
    let mut etag = String::new();
    for _ in 0..100 {
        let started = Instant::now();
        let response = client.get(feed.as_str()).send().await.unwrap();
        assert_eq!(response.status(), 200);
        etag = response.headers()["etag"].to_str().unwrap().to_owned();
        body = response.bytes().await.unwrap();
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    summary(
        &format!("coach feed of 500 orals ({} KB)", body.len() / 1024),
        latencies,
    );
    let feed_200 = get_rps(&client, &feed, None, 200).await;
    println!("coach feed 200, {CLIENTS} clients: {feed_200:.0} requests per second");
    let feed_304 = get_rps(&client, &feed, Some(&etag), 304).await;
    println!(
        "coach feed 304 (If-None-Match), {CLIENTS} clients: {feed_304:.0} requests per second"
    );
    let static_file = StaticFile::serve(&body);
    let response = client.get(static_file.url.as_str()).send().await.unwrap();
    let static_etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(response.bytes().await.unwrap(), body, "the same bytes");
    let static_200 = get_rps(&client, &static_file.url, None, 200).await;
    println!(
        "the same bytes as a static file (poem's static files), 200: {static_200:.0} requests per second"
    );
    let static_304 = get_rps(&client, &static_file.url, Some(&static_etag), 304).await;
    println!(
        "the same bytes as a static file (poem's static files), 304: {static_304:.0} requests per second"
    );
    let memory_200 = get_rps(&client, &static_file.in_memory_url, None, 200).await;
    println!(
        "the same bytes from memory (a bare poem handler), 200: {memory_200:.0} requests per second"
    );
    // The same four with wrk when it is installed (what issue 12 measured with), which costs
    // less on the client's side than reqwest.
    let with_wrk = [
        ("coach feed 200", feed.as_str(), None),
        ("coach feed 304", feed.as_str(), Some(etag.as_str())),
        ("static file 200", static_file.url.as_str(), None),
        ("from memory 200", static_file.in_memory_url.as_str(), None),
    ]
    .map(|(label, url, tag)| (label, wrk_rps(url, tag)));
    if let [
        (_, Some(feed_200)),
        (_, Some(feed_304)),
        (_, Some(static_200)),
        (_, Some(memory_200)),
    ] = with_wrk
    {
        for (label, rps) in &with_wrk {
            println!(
                "wrk, {CLIENTS} connections, {label}: {:.0} requests per second",
                rps.unwrap_or_default()
            );
        }
        println!(
            "wrk: feed ÷ static file 200: 200 {:.0} %, 304 {:.0} %; ÷ from memory: 200 {:.0} %, 304 {:.0} %",
            100.0 * feed_200 / static_200,
            100.0 * feed_304 / static_200,
            100.0 * feed_200 / memory_200,
            100.0 * feed_304 / memory_200
        );
    } else {
        println!("(wrk is not installed: no wrk figures)");
    }
    drop(static_file);
    println!(
        "feed ÷ static file 200: 200 {:.0} %, 304 {:.0} % (feed 304 ÷ static 304: {:.0} %)",
        100.0 * feed_200 / static_200,
        100.0 * feed_304 / static_200,
        100.0 * feed_304 / static_304
    );
    println!(
        "feed ÷ the same bytes from memory: 200 {:.0} %, 304 {:.0} %",
        100.0 * feed_200 / memory_200,
        100.0 * feed_304 / memory_200
    );
    println!(
        "API peak memory (VmHWM) after the feed load: {:.1} MiB",
        api.peak_memory_kib() as f64 / 1024.0
    );

    // Contention: 200 candidates race for the first 20 slots of the first coach.
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let targets: Vec<String> = diesel::sql_query("SELECT s.id::text AS id FROM availability_slots s JOIN users u ON u.id = s.coach_id WHERE u.email = 'coach1@coachs.example' ORDER BY s.starts_at LIMIT 20")
        .load::<Id>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect();
    let started = Instant::now();
    let answers = join_all(links.iter().enumerate().map(|(index, link)| {
        let body = serde_json::json!({ "query": format!("mutation {{ bookOral(token: \"{link}\", slotId: \"{}\") {{ id }} }}", targets[index % 20]) });
        let (client, url) = (client.clone(), graphql.clone());
        async move { client.post(url.as_str()).json(&body).send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    }))
    .await;
    let elapsed = started.elapsed().as_secs_f64();
    let booked = answers
        .iter()
        .filter(|body| body["errors"].is_null())
        .count();
    println!(
        "200 candidates racing for 20 slots: {booked} booked, {} refused, in {:.0} ms ({:.0} answered requests per second)",
        answers.len() - booked,
        elapsed * 1000.0,
        answers.len() as f64 / elapsed
    );

    println!(
        "API peak memory (VmHWM) at the end: {:.1} MiB",
        api.peak_memory_kib() as f64 / 1024.0
    );
    drop(api);
}

/// Runs GETs of `url` (with `If-None-Match` when given) from CLIENTS clients for 10 s, each
/// answered `status`; returns requests per second.
async fn get_rps(
    client: &reqwest::Client,
    url: &Arc<String>,
    if_none_match: Option<&str>,
    status: u16,
) -> f64 {
    let (client, url) = (client.clone(), url.clone());
    let if_none_match = if_none_match.map(str::to_owned);
    throughput(move || {
        let (client, url, if_none_match) = (client.clone(), url.clone(), if_none_match.clone());
        async move {
            let mut request = client.get(url.as_str());
            if let Some(tag) = &if_none_match {
                request = request.header("if-none-match", tag);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status().as_u16(), status);
            response.bytes().await.unwrap();
        }
    })
    .await
}

/// Requests per second of `wrk` (2 threads, CLIENTS connections, 10 s) on `url`, with
/// `If-None-Match` when given; `None` without wrk.
fn wrk_rps(url: &str, if_none_match: Option<&str>) -> Option<f64> {
    let mut command = std::process::Command::new("wrk");
    command.args(["-t2", &format!("-c{CLIENTS}"), "-d10s"]);
    if let Some(tag) = if_none_match {
        command.args(["-H", &format!("If-None-Match: {tag}")]);
    }
    let output = command.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        !text.contains("Non-2xx or 3xx"),
        "wrk saw errors on {url}: {text}"
    );
    text.lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|value| value.trim().parse().ok())
}

/// A file served by poem's static files endpoint on its own runtime (two worker threads, as
/// the API's on this machine), until dropped.
struct StaticFile {
    /// Read from the file by poem's static files endpoint (with its ETag).
    url: Arc<String>,
    /// The same bytes kept in memory, answered by a bare handler: what serving them costs.
    in_memory_url: Arc<String>,
    path: std::path::PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticFile {
    fn serve(bytes: &[u8]) -> Self {
        let path =
            std::env::temp_dir().join(format!("certif-bench-feed-{}.ics", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, listening) = std::sync::mpsc::channel();
        let file = path.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let kept = bytes::Bytes::from(std::fs::read(&file).unwrap());
                let app = poem::Route::new()
                    .at("/feed.ics", poem::endpoint::StaticFileEndpoint::new(file))
                    .at(
                        "/bytes.ics",
                        poem::endpoint::make_sync(move |_| {
                            poem::Response::builder()
                                .content_type("text/calendar; charset=utf-8")
                                .body(kept.clone())
                        }),
                    );
                let listener = poem::listener::TcpListener::bind(format!("127.0.0.1:{port}"));
                let acceptor = NoDelay(
                    poem::listener::Listener::into_acceptor(listener)
                        .await
                        .unwrap(),
                );
                ready.send(()).unwrap();
                poem::Server::new_with_acceptor(acceptor)
                    .run_with_graceful_shutdown(
                        app,
                        async move {
                            let _ = stopped.await;
                        },
                        None,
                    )
                    .await
                    .unwrap();
            });
        });
        listening.recv().unwrap();
        Self {
            url: Arc::new(format!("http://127.0.0.1:{port}/feed.ics")),
            in_memory_url: Arc::new(format!("http://127.0.0.1:{port}/bytes.ics")),
            path,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

/// Accepted connections with TCP_NODELAY: poem streams a file in pieces, and without it each
/// response's last piece waits for the client's delayed ACK (about 40 ms).
struct NoDelay(poem::listener::TcpAcceptor);

impl poem::listener::Acceptor for NoDelay {
    type Io = tokio::net::TcpStream;

    fn local_addr(&self) -> Vec<poem::web::LocalAddr> {
        self.0.local_addr()
    }

    async fn accept(
        &mut self,
    ) -> std::io::Result<(
        Self::Io,
        poem::web::LocalAddr,
        poem::web::RemoteAddr,
        poem::http::uri::Scheme,
    )> {
        let accepted = self.0.accept().await?;
        accepted.0.set_nodelay(true)?;
        Ok(accepted)
    }
}

impl Drop for StaticFile {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}
