//! certif side by side with PostGraphile 5 and with pgbench of certif's own SQL, on the same
//! database (issue 12): one run prints the table with the ratios and the acceptance criteria.
//!
//! The bench starts a private PostgreSQL cluster of its own and seeds it (2,000 applications
//! with 6,000 dossier files in one session, 1,460 slots of which 1,010 bookable, a coach with
//! 500 orals), then:
//! - captures the statements certif sends for one request of each kind: a first `certif api`
//!   runs with `log_statement = all` (set on the database for its connections only), and the
//!   statements between two markers are read back from the server's log, parameters written in;
//! - starts the release `certif api` and PostGraphile 5 (amber preset with the connection
//!   filter plugin, on Node 22, as the database owner without authentication: which favours
//!   it), each timed from spawn to its first answer, and a static-file server in this process
//!   serving the feed's bytes from disk;
//! - checks every response once (status, number of rows), loads each with wrk at 8 and 32
//!   connections, checks them again, reads each server's peak memory (`VmHWM`);
//! - runs pgbench on the captured statements of each certif row (8 clients, prepared).
//!
//! Run: `cargo bench --bench compare` (needs the PostgreSQL server programs, wrk, pgbench, and
//! npm access the first time). `COMPARE_SECONDS` sets each load's duration (default 10);
//! `COMPARE_HOLD=<file>` seeds, writes the database's URL and secrets to `file`, and waits there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "compare/load.rs"]
mod load;
#[path = "compare/postgres.rs"]
mod postgres;
#[path = "compare/servers.rs"]
mod servers;
#[allow(dead_code)] // `Api` and `summary` are for the other benches.
mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use load::{Rate, Request};
use postgres::Seeded;
use serde_json::Value;

const CONNECTIONS: [u32; 2] = [8, 32];
const APPLICATIONS: usize = 2000;
const BOOKABLE_SLOTS: usize = 1010;
const ORALS: usize = 500;
const DOSSIER_FILES: usize = 3;

/// The folder of this run, removed at the end (after the cluster in it has stopped).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("certif-bench-compare-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The requests to certif, by the name their statements are captured under.
struct CertifRequests {
    applications: Request,
    dossier: Request,
    slots: Request,
    feed: Request,
    feed_304: Request,
    typename: Request,
    /// Who the admin token signs in (checked once).
    viewer: Request,
}

impl CertifRequests {
    fn new(base: &str, seeded: &Seeded, etag: &str) -> Self {
        let admin = format!("Bearer {}", seeded.admin_token);
        let feed = Request::get(format!("{base}/calendar/{}.ics", seeded.feed_token));
        Self {
            applications: Request::graphql(
                base,
                &format!(
                    "{{ applications(sessionId: \"{}\", first: 50) {{ rows {{ application {{ id state startupName eligible }} candidate {{ id displayName email emailVerifiedAt }} dossier {{ itemsProvided files complete }} }} endCursor hasNextPage countsByState {{ state count }} }} }}",
                    seeded.session_id
                ),
            )
            .header("Authorization", &admin),
            dossier: Request::graphql(
                base,
                &format!(
                    "{{ dossier(applicationId: \"{}\") {{ application {{ id state reviewMessage dossierDeadlineExtendedTo }} editable startupSiteUrl productSheetUrl fileSets {{ kind files {{ id kind fileName sizeBytes mediaType uploadedAt downloadUrl }} }} deadlineAt }} }}",
                    seeded.application_id
                ),
            )
            .header("Authorization", &admin),
            // The booking link is the candidate's credential: no session.
            slots: Request::graphql(
                base,
                &format!(
                    "{{ bookableSlots(token: \"{}\") {{ date slots {{ id startsAt endsAt modes state coachName }} }} }}",
                    seeded.booking_link
                ),
            ),
            feed_304: feed.clone().header("If-None-Match", etag),
            feed,
            typename: Request::graphql(base, "{ __typename }").header("Authorization", &admin),
            viewer: Request::graphql(base, "{ viewer { signedIn user { email } } }")
                .header("Authorization", &admin),
        }
    }

    /// The requests whose statements are captured and replayed by pgbench.
    fn captured(&self) -> [(&'static str, &Request); 6] {
        [
            ("applications", &self.applications),
            ("dossier", &self.dossier),
            ("slots", &self.slots),
            ("feed", &self.feed),
            ("feed-304", &self.feed_304),
            ("typename", &self.typename),
        ]
    }
}

/// The same rows from PostGraphile's generated schema (amber preset: `rowId` is the column
/// `id`, `id` the global node id).
struct PostGraphileRequests {
    /// certif's page also gives the counts per state of the whole selection; PostGraphile has
    /// no grouping without another plugin: its `totalCount` stands for them. Its dossier
    /// summary is the files' count and kinds and the links' kinds (certif derives items
    /// provided and completeness from the same rows).
    applications: Request,
    /// The application, its session's deadline, its links and its files with their size and
    /// media type: what certif's `dossier` reads (certif adds computed fields from the same
    /// rows: labels, editability, download URLs).
    dossier: Request,
    /// Open slots of the session from 48 hours ahead, of an active coach, without a confirmed
    /// booking (`none` over the bookings: a NOT EXISTS), ordered like certif's. certif also
    /// leaves out coaches of the candidate's incubator (none here: no coach has a profile)
    /// after reading the rows, and groups them by day: it returns the same 1,010 slots.
    slots: Request,
    typename: Request,
}

impl PostGraphileRequests {
    fn new(base: &str, seeded: &Seeded) -> Self {
        let session = &seeded.session_id;
        Self {
            applications: Request::graphql(
                base,
                &format!(
                    "{{ allApplications(first: 50, condition: {{ sessionId: \"{session}\" }}, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {{ totalCount pageInfo {{ endCursor hasNextPage }} nodes {{ rowId state startupName eligible candidateByCandidateId {{ rowId displayName email emailVerifiedAt }} dossierFilesByApplicationId {{ totalCount nodes {{ kind }} }} dossierLinksByApplicationId {{ nodes {{ kind }} }} }} }} }}"
                ),
            ),
            dossier: Request::graphql(
                base,
                &format!(
                    "{{ applicationByRowId(rowId: \"{}\") {{ rowId state reviewMessage dossierDeadlineAt productSheetUrl certificationSessionBySessionId {{ dossierDeadlineAt }} dossierLinksByApplicationId {{ nodes {{ kind url }} }} dossierFilesByApplicationId(orderBy: [KIND_ASC, UPLOADED_AT_ASC]) {{ nodes {{ rowId kind fileName uploadedAt storedFileBySha256 {{ sizeBytes mediaType }} }} }} }} }}",
                    seeded.application_id
                ),
            ),
            slots: Request::graphql(
                base,
                &format!(
                    "{{ allAvailabilitySlots(condition: {{ sessionId: \"{session}\", state: \"open\" }}, filter: {{ startsAt: {{ greaterThanOrEqualTo: \"{}\" }}, bookingsBySlotId: {{ none: {{ state: {{ equalTo: \"confirmed\" }} }} }}, userByCoachId: {{ active: {{ equalTo: true }} }} }}, orderBy: [STARTS_AT_ASC, ROW_ID_ASC]) {{ nodes {{ rowId startsAt endsAt modes state userByCoachId {{ displayName }} }} }} }}",
                    seeded.bookable_from.to_rfc3339()
                ),
            ),
            typename: Request::graphql(base, "{ __typename }"),
        }
    }
}

/// The `data` of a GraphQL answer, after checking the status and the absence of errors.
async fn data(client: &reqwest::Client, what: &str, request: &Request) -> Value {
    let (status, _, body) = request.send(client).await;
    let body: Value = serde_json::from_slice(&body).unwrap_or_else(|error| {
        panic!(
            "{what}: not JSON ({error}): {}",
            String::from_utf8_lossy(&body)
        )
    });
    assert!(
        status == 200 && body["errors"].is_null(),
        "{what}: status {status}, {body}"
    );
    body["data"].clone()
}

fn count(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

/// Checks every request once: status and number of rows; returns the feed's bytes.
async fn verify(
    client: &reqwest::Client,
    certif: &CertifRequests,
    postgraphile: &PostGraphileRequests,
    static_feed: Option<&Request>,
) -> Vec<u8> {
    let page = data(client, "certif applications", &certif.applications).await;
    let page = &page["applications"];
    let counted: u64 = page["countsByState"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|state| state["count"].as_u64())
        .sum();
    assert!(
        count(&page["rows"]) == 50 && counted == APPLICATIONS as u64,
        "certif applications: {page}"
    );
    let page = data(
        client,
        "PostGraphile applications",
        &postgraphile.applications,
    )
    .await;
    let page = &page["allApplications"];
    assert!(
        count(&page["nodes"]) == 50 && page["totalCount"] == APPLICATIONS,
        "PostGraphile applications: {page}"
    );

    let dossier = data(client, "certif dossier", &certif.dossier).await;
    let files: usize = dossier["dossier"]["fileSets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|set| count(&set["files"]))
        .sum();
    assert_eq!(files, DOSSIER_FILES, "certif dossier: {dossier}");
    let dossier = data(client, "PostGraphile dossier", &postgraphile.dossier).await;
    assert_eq!(
        count(&dossier["applicationByRowId"]["dossierFilesByApplicationId"]["nodes"]),
        DOSSIER_FILES,
        "PostGraphile dossier: {dossier}"
    );

    let days = data(client, "certif bookable slots", &certif.slots).await;
    let slots: usize = days["bookableSlots"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|day| count(&day["slots"]))
        .sum();
    assert_eq!(slots, BOOKABLE_SLOTS, "certif bookable slots");
    let slots = data(client, "PostGraphile slots", &postgraphile.slots).await;
    assert_eq!(
        count(&slots["allAvailabilitySlots"]["nodes"]),
        BOOKABLE_SLOTS,
        "PostGraphile slots"
    );

    let viewer = data(client, "certif viewer", &certif.viewer).await;
    assert_eq!(
        viewer["viewer"]["user"]["email"], "admin@beta.gouv.fr",
        "the admin token signs in: {viewer}"
    );
    let typename = data(client, "certif typename", &certif.typename).await;
    assert_eq!(typename["__typename"], "QueryRoot");
    let typename = data(client, "PostGraphile typename", &postgraphile.typename).await;
    assert_eq!(typename["__typename"], "Query");

    let (status, headers, feed) = certif.feed.send(client).await;
    let events = String::from_utf8_lossy(&feed)
        .matches("BEGIN:VEVENT")
        .count();
    assert!(
        status == 200 && events == ORALS && headers.contains_key("etag"),
        "certif feed: status {status}, {events} events"
    );
    let (status, _, _) = certif.feed_304.send(client).await;
    assert_eq!(status, 304, "certif feed with If-None-Match");
    if let Some(request) = static_feed {
        let (status, _, bytes) = request.send(client).await;
        assert!(
            status == 200 && bytes == feed,
            "static feed: status {status}"
        );
    }
    feed
}

fn seconds_from_env() -> u64 {
    match std::env::var("COMPARE_SECONDS") {
        Ok(value) => value
            .parse()
            .ok()
            .filter(|seconds| *seconds > 0)
            .unwrap_or_else(|| {
                panic!("COMPARE_SECONDS must be a whole number of seconds, not {value:?}")
            }),
        Err(_) => 10,
    }
}

/// `12,345` style.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Rates at 8 and 32 connections.
type Rates = [Rate; 2];

fn best(rates: &Rates) -> f64 {
    rates.iter().map(|rate| rate.per_second).fold(0.0, f64::max)
}

fn rates_cell(rates: &Rates) -> String {
    let cells: Vec<String> = rates
        .iter()
        .map(|rate| {
            let failed = if rate.failed > 0 {
                format!(" ({} failed)", rate.failed)
            } else {
                String::new()
            };
            format!("{}{failed}", thousands(rate.per_second))
        })
        .collect();
    cells.join(" / ")
}

fn load_all(script: &Path, dir: &Path, request: &Request, seconds: u64) -> Rates {
    CONNECTIONS.map(|connections| load::wrk(script, dir, request, connections, seconds))
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".to_owned(), |kib| {
        format!("{:.1} MiB", kib as f64 / 1024.0)
    })
}

/// The 1-minute load average of the machine.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**not met**" }
}

/// `COMPARE_HOLD=<file>`: writes the seeded database's URL and the requests' secrets and ids
/// to `file` (JSON), then keeps the cluster up until the bench is stopped — to profile one
/// request at leisure (`valgrind --tool=callgrind`, `perf`) against the bench's data.
fn hold(file: &Path, database_url: &str, seeded: &Seeded) -> ! {
    let facts = serde_json::json!({
        "database_url": database_url,
        "session_id": seeded.session_id,
        "application_id": seeded.application_id,
        "admin_token": seeded.admin_token,
        "feed_token": seeded.feed_token,
        "booking_link": seeded.booking_link,
    });
    std::fs::write(file, facts.to_string()).unwrap();
    println!(
        "holding the seeded database (facts in {}); stop with Ctrl-C",
        file.display()
    );
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

#[tokio::main]
async fn main() {
    let seconds = seconds_from_env();
    let run_started = Instant::now();
    let load_before = load_average();
    postgres::check_parsing();
    load::ensure_wrk();
    let pgbench = postgres::pgbench_program();
    let (postgraphile_dir, node) = servers::install_postgraphile();
    let scratch = Scratch::new();
    let cluster = postgres::Cluster::start(&scratch.0.join("pg")).await;
    let started = Instant::now();
    let seeded = postgres::seed(&cluster).await;
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    let client = support::http_client();
    let database_url = cluster.url(postgres::DATABASE);
    if let Some(file) = std::env::var_os("COMPARE_HOLD") {
        hold(Path::new(&file), &database_url, &seeded);
    }

    // The statements of one request of each kind, from a certif of its own that logs them.
    let mut statement_log = postgres::StatementLog::start(&cluster).await;
    let capturing = servers::certif(&database_url, &scratch.0, "certif-capture");
    let (_, headers, _) = Request::get(format!(
        "{}/calendar/{}.ics",
        capturing.base, seeded.feed_token
    ))
    .send(&client)
    .await;
    let etag = headers
        .get("etag")
        .and_then(|value| value.to_str().ok())
        .expect("the feed has an ETag")
        .to_owned();
    let requests = CertifRequests::new(&capturing.base, &seeded, &etag);
    for (name, request) in requests.captured() {
        // Warm: the connections' one-time lookups (types, prepared statements) are not
        // part of a request.
        for _ in 0..3 {
            request.send(&client).await;
        }
        statement_log.mark(&format!("begin {name}")).await;
        request.send(&client).await;
        statement_log.mark(&format!("end {name}")).await;
    }
    drop(capturing);
    let captured = statement_log.finish().await;
    for (name, _) in requests.captured() {
        // A signed-in `{ __typename }` may cost no statement at all (the sign-in cache).
        assert!(
            name == "typename"
                || captured
                    .get(name)
                    .is_some_and(|statements| !statements.is_empty()),
            "no statement of certif was found in the server log for `{name}`"
        );
    }

    let certif = servers::certif(&database_url, &scratch.0, "certif");
    let postgraphile = servers::postgraphile(
        &postgraphile_dir,
        &node,
        &cluster.socket_dir,
        cluster.port,
        postgres::DATABASE,
        &scratch.0,
    );
    let ours = CertifRequests::new(&certif.base, &seeded, &etag);
    let theirs = PostGraphileRequests::new(&postgraphile.base, &seeded);
    let feed = verify(&client, &ours, &theirs, None).await;
    let feed_file = scratch.0.join("feed.ics");
    std::fs::write(&feed_file, &feed).unwrap();
    let (static_base, _stop_static) = servers::static_file(feed_file, &client).await;
    let static_feed = Request::get(format!("{static_base}/feed.ics"));
    verify(&client, &ours, &theirs, Some(&static_feed)).await;

    let script = load::script(&scratch.0);
    let load = |request: &Request| load_all(&script, &scratch.0, request, seconds);
    println!(
        "loading with wrk, {seconds} s at {} connections per figure…",
        CONNECTIONS.map(|c| c.to_string()).join(" and ")
    );
    let graphql_rows: Vec<(&str, &str, Rates, Rates)> = vec![
        (
            "a page of 50 applications with candidate and dossier summary (admin)",
            "applications",
            load(&ours.applications),
            load(&theirs.applications),
        ),
        (
            "one dossier by id with its files",
            "dossier",
            load(&ours.dossier),
            load(&theirs.dossier),
        ),
        (
            "bookable slots of a session (1,010 slots)",
            "slots",
            load(&ours.slots),
            load(&theirs.slots),
        ),
    ];
    let typename = (load(&ours.typename), load(&theirs.typename));
    let static_rates = load(&static_feed);
    let feed_rows: Vec<(&str, &str, Rates)> = vec![
        (
            "a coach's calendar feed of 500 orals",
            "feed",
            load(&ours.feed),
        ),
        (
            "the same feed answered 304",
            "feed-304",
            load(&ours.feed_304),
        ),
    ];
    // Still the same answers after the load.
    verify(&client, &ours, &theirs, Some(&static_feed)).await;
    let certif_memory = certif.process.peak_memory_kib();
    let postgraphile_memory = postgraphile.process.peak_memory_kib();
    let (certif_ready, postgraphile_ready) = (certif.ready_after, postgraphile.ready_after);
    drop(certif);
    drop(postgraphile);

    // The captured SQL stays for reading: one pgbench script per request.
    let sql_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compare-sql");
    std::fs::create_dir_all(&sql_dir).unwrap();
    for (name, _) in ours.captured() {
        postgres::write_script(&sql_dir.join(format!("{name}.sql")), &captured[name]);
    }
    println!("certif's SQL for each request: {}/", sql_dir.display());
    let mut pgbench_tps: HashMap<&str, Result<f64, String>> = HashMap::new();
    // The GraphQL rows and the feed (the table); the 304's statements are counted.
    for name in ["applications", "dossier", "slots", "feed"] {
        let result = match &pgbench {
            Some(program) => postgres::pgbench(
                program,
                &cluster,
                &sql_dir.join(format!("{name}.sql")),
                seconds,
            ),
            None => Err("pgbench is not installed".to_owned()),
        };
        if let Err(error) = &result {
            println!("pgbench of `{name}`: {error}");
        }
        pgbench_tps.insert(name, result);
    }
    let pgbench_cell = |name: &str| match pgbench_tps.get(name) {
        Some(Ok(tps)) => thousands(*tps),
        _ => "—".to_owned(),
    };
    let pgbench_ratio = |name: &str, rate: f64| match pgbench_tps.get(name) {
        Some(Ok(tps)) => Some(rate / tps),
        _ => None,
    };
    let ratio_cell =
        |ratio: Option<f64>| ratio.map_or("—".to_owned(), |ratio| format!("{ratio:.2}"));
    let statements = |name: &str| captured[name].len();

    println!();
    println!(
        "| request | certif rps (8 / 32 conns) | PostGraphile 5 rps (8 / 32) | certif ÷ PostGraphile | pgbench of certif's SQL (tps, 8 clients) | certif ÷ pgbench | statements per request |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut criteria: Vec<String> = Vec::new();
    for (label, name, ours, theirs) in &graphql_rows {
        let versus = best(ours) / best(theirs);
        let floor = pgbench_ratio(name, best(ours));
        println!(
            "| {label} | {} | {} | {versus:.2} | {} | {} | {} |",
            rates_cell(ours),
            rates_cell(theirs),
            pgbench_cell(name),
            ratio_cell(floor),
            statements(name)
        );
        criteria.push(format!(
            "- {label}: certif ≥ 3 × PostGraphile: {versus:.2} — {}",
            verdict(versus >= 3.0)
        ));
        criteria.push(format!(
            "- {label}: certif ≥ 0.6 × pgbench of its own SQL: {} — {}",
            ratio_cell(floor),
            verdict(floor.is_some_and(|ratio| ratio >= 0.6))
        ));
    }
    let (ours_typename, theirs_typename) = &typename;
    let typename_ratio = best(ours_typename) / best(theirs_typename);
    println!(
        "| `{{ __typename }}` signed in (PostGraphile: no auth) | {} | {} | {typename_ratio:.2} | — | — | {} |",
        rates_cell(ours_typename),
        rates_cell(theirs_typename),
        statements("typename")
    );
    criteria.push(format!(
        "- signed-in `{{ __typename }}` ≥ PostGraphile's unauthenticated one: {typename_ratio:.2} — {}",
        verdict(typename_ratio >= 1.0)
    ));

    println!();
    println!(
        "| request | certif rps (8 / 32 conns) | the same bytes as a static file (8 / 32) | certif ÷ static | pgbench of certif's SQL (tps, 8 clients) | certif ÷ pgbench | statements per request |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (label, name, ours) in &feed_rows {
        let versus = best(ours) / best(&static_rates);
        println!(
            "| {label} | {} | {} | {versus:.2} | {} | {} | {} |",
            rates_cell(ours),
            rates_cell(&static_rates),
            pgbench_cell(name),
            ratio_cell(pgbench_ratio(name, best(ours))),
            statements(name)
        );
        let (wanted, what) = if *name == "feed" {
            (
                0.3,
                "the feed of 500 orals answered 200 ≥ 30 % of the static file",
            )
        } else {
            (0.5, "the feed answered 304 ≥ 50 % of the static file")
        };
        criteria.push(format!(
            "- {what}: {:.0} % — {}",
            versus * 100.0,
            verdict(versus >= wanted)
        ));
    }

    println!();
    println!("| server | ready after | peak memory (VmHWM, after the load) |");
    println!("|---|---|---|");
    for (server, ready, memory) in [
        ("certif", certif_ready, certif_memory),
        ("PostGraphile 5", postgraphile_ready, postgraphile_memory),
    ] {
        println!(
            "| {server} | {:.0} ms | {} |",
            ready.as_secs_f64() * 1000.0,
            mib(memory)
        );
    }
    criteria.push(format!(
        "- certif's peak memory under this load ≤ 50 MiB: {} — {}",
        mib(certif_memory),
        verdict(certif_memory.is_some_and(|kib| kib <= 50 * 1024))
    ));

    println!();
    println!(
        "Acceptance criteria of issue 12 (outbox delivery: `cargo bench --bench outbox_delivery`):"
    );
    for line in criteria {
        println!("{line}");
    }
    println!();
    // Other work on the machine takes CPU from the servers, differently for each.
    println!(
        "run in {:.0} s (each load {seconds} s; COMPARE_SECONDS changes it); load average before {load_before}, after {}",
        run_started.elapsed().as_secs_f64(),
        load_average()
    );
}
