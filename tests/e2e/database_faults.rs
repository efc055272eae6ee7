//! The program under load while its database fails: the test's own PostgreSQL cluster (in a
//! scratch folder, on a private socket) is restarted, crashed, stopped, frozen and made
//! read-only. Meanwhile every answer is either right or a `SERVICE_UNAVAILABLE` (503 with
//! `Retry-After`, in French) — for anonymous and signed-in clients alike —, reads keep
//! working while the database is read-only, no request waits past the configured bound,
//! service is back within 5 s of the database, and every write answered OK is in the database.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use schema::db::cluster::PrivateCluster;
use serde_json::{Value, json};

use crate::support::{Running, certif, http_client, scratch_dir};

// The bounds the program runs with in this test (milliseconds).
const CHECKOUT_MS: u64 = 2000;
const STATEMENT_MS: u64 = 2000;
const CONNECT_MS: u64 = 2000;
const RECYCLE_MS: u64 = 500;
/// How long the database stays stopped, frozen and read-only.
const OUTAGE: Duration = Duration::from_secs(3);
const FREEZE: Duration = Duration::from_secs(10);
const READ_ONLY: Duration = Duration::from_secs(4);
/// How soon after the database is back service must be.
const RECOVERY_BOUND: Duration = Duration::from_secs(5);
/// How long the load runs without a fault after service is back.
const STABLE: Duration = Duration::from_millis(1500);

const PASSWORD: &str = "le jury siège mardi à dix heures";
const UNAVAILABLE_MESSAGE: &str =
    "Le service est momentanément indisponible : réessayez dans quelques secondes.";

/// The longest any request may wait: a connection (checkout), then one statement left
/// unanswered until the watchdog gives it up (statement timeout, grace, one watchdog tick).
fn request_bound() -> Duration {
    let statement = Duration::from_millis(STATEMENT_MS) + schema::config::RESPONSE_GRACE;
    Duration::from_millis(CHECKOUT_MS) + statement + statement / 4 + Duration::from_millis(500)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    AnonymousRead,
    SignedInRead,
    Write,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Unavailable,
    Wrong(String),
}

#[derive(Debug, Clone)]
struct Record {
    kind: Kind,
    started: Instant,
    elapsed: Duration,
    outcome: Outcome,
    email: Option<String>,
}

/// What one fault did, for the report.
#[derive(Debug)]
struct Phase {
    name: &'static str,
    fault_at: Instant,
    back_at: Instant,
    serving_at: Instant,
    end: Instant,
}

struct Cluster {
    root: PathBuf,
    running: Option<PrivateCluster>,
}

impl Cluster {
    async fn start(root: &Path) -> Self {
        let running = PrivateCluster::start(root).await.unwrap();
        Self {
            root: root.to_owned(),
            running: Some(running),
        }
    }

    fn url(&self, database: &str) -> String {
        self.running.as_ref().unwrap().url(database)
    }

    /// Fast shutdown (open sessions are ended), waiting for the server to exit.
    async fn stop(&mut self) {
        self.running.take().unwrap().stop().await;
    }

    async fn restart(&mut self) {
        self.running = Some(PrivateCluster::start(&self.root).await.unwrap());
    }

    fn postmaster(&self) -> u32 {
        let pid = std::fs::read_to_string(self.root.join("data/postmaster.pid")).unwrap();
        pid.lines().next().unwrap().trim().parse().unwrap()
    }

    /// The postmaster's children: the backends and the auxiliary processes.
    fn children(&self) -> Vec<(u32, String)> {
        let postmaster = self.postmaster();
        let mut children = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid …`: the command may hold spaces, the ppid follows `)`.
            let Some(after) = stat.rsplit_once(')').map(|(_, after)| after) else {
                continue;
            };
            let ppid: Option<u32> = after.split_whitespace().nth(1).and_then(|p| p.parse().ok());
            if ppid == Some(postmaster) {
                let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
                children.push((pid, String::from_utf8_lossy(&cmdline).replace('\0', " ")));
            }
        }
        children
    }

    fn signal(pids: impl IntoIterator<Item = u32>, signal: &str) {
        let pids: Vec<String> = pids.into_iter().map(|pid| pid.to_string()).collect();
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .args(&pids)
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} {pids:?}");
    }

    /// Stops (SIGSTOP) the postmaster and every server process, until the guard drops.
    fn freeze(&self) -> Frozen {
        let mut pids = vec![self.postmaster()];
        pids.extend(self.children().into_iter().map(|(pid, _)| pid));
        Self::signal(pids.iter().copied(), "STOP");
        Frozen(pids)
    }

    /// Kills one backend of the `certif` database: the postmaster ends every other session
    /// and recovers, as after a crash.
    fn crash_a_backend(&self) {
        let backend = self
            .children()
            .into_iter()
            .find(|(_, cmdline)| cmdline.contains(" certif "))
            .map(|(pid, _)| pid)
            .expect("a backend of the certif database");
        Self::signal([backend], "KILL");
    }

    /// Waits until the server accepts a connection again.
    async fn wait_until_accepting(&self) {
        let started = Instant::now();
        loop {
            if let Ok(mut conn) = schema::db::connect(&self.url("postgres")).await
                && conn.batch_execute("SELECT 1").await.is_ok()
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the cluster did not come back"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A connection to the `postgres` database that is never read-only itself.
    async fn admin(&self) -> AsyncPgConnection {
        let mut conn = schema::db::connect(&self.url("postgres")).await.unwrap();
        conn.batch_execute("SET default_transaction_read_only = off")
            .await
            .unwrap();
        conn
    }
}

/// Frozen server processes, resumed (SIGCONT) when dropped, even by a failing test.
struct Frozen(Vec<u32>);

impl Drop for Frozen {
    fn drop(&mut self) {
        Cluster::signal(self.0.iter().copied(), "CONT");
    }
}

/// One request of `kind`; `None` from the transport is a failure of its own.
async fn request(
    client: &reqwest::Client,
    base: &str,
    kind: Kind,
    cookie: &str,
    email: &str,
) -> Outcome {
    let (query, expected): (String, fn(&Value) -> bool) = match kind {
        Kind::AnonymousRead => ("{ currentSessions { id } }".to_owned(), |data| {
            data["currentSessions"].is_array()
        }),
        Kind::SignedInRead => ("{ viewer { user { roles } } }".to_owned(), |data| {
            data["viewer"]["user"]["roles"] == json!(["ADMIN"])
        }),
        Kind::Write => (
            format!("mutation {{ joinWaitingList(email: \"{email}\") }}"),
            |data| data["joinWaitingList"] == json!(true),
        ),
    };
    let mut builder = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query }));
    if kind == Kind::SignedInRead {
        builder = builder.header("cookie", cookie);
    }
    let response = match builder.send().await {
        Ok(response) => response,
        Err(error) => return Outcome::Wrong(format!("no answer: {error}")),
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body: Value = match response.json().await {
        Ok(body) => body,
        Err(error) => return Outcome::Wrong(format!("{status} without JSON: {error}")),
    };
    if status == 200 && body["errors"].is_null() && expected(&body["data"]) {
        return Outcome::Ok;
    }
    let error = &body["errors"][0];
    if status == 503
        && retry_after.as_deref() == Some("2")
        && error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        && error["message"] == UNAVAILABLE_MESSAGE
    {
        return Outcome::Unavailable;
    }
    Outcome::Wrong(format!("{status} (Retry-After {retry_after:?}): {body}"))
}

/// Clients sending each kind of request in a loop until `stop`.
fn start_load(
    base: &str,
    cookie: &str,
    records: &Arc<Mutex<Vec<Record>>>,
    stop: &Arc<std::sync::atomic::AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for (index, kind) in [
        Kind::AnonymousRead,
        Kind::SignedInRead,
        Kind::Write,
        Kind::AnonymousRead,
        Kind::SignedInRead,
        Kind::Write,
    ]
    .into_iter()
    .enumerate()
    {
        let (base, cookie, records, stop) = (
            base.to_owned(),
            cookie.to_owned(),
            Arc::clone(records),
            Arc::clone(stop),
        );
        tasks.push(tokio::spawn(async move {
            let client = http_client();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                n += 1;
                let email = format!("charge-{index}-{n}@example.org");
                let started = Instant::now();
                let outcome = request(&client, &base, kind, &cookie, &email).await;
                records.lock().unwrap().push(Record {
                    kind,
                    started,
                    elapsed: started.elapsed(),
                    outcome,
                    email: (kind == Kind::Write).then_some(email),
                });
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
        }));
    }
    tasks
}

/// Waits until a write and a signed-in read both succeed; when they did.
async fn wait_until_serving(
    base: &str,
    cookie: &str,
    back_at: Instant,
    probe: &mut u32,
) -> Instant {
    let client = http_client();
    loop {
        *probe += 1;
        let email = format!("sonde-{probe}@example.org");
        if request(&client, base, Kind::Write, cookie, &email).await == Outcome::Ok
            && request(&client, base, Kind::SignedInRead, cookie, "").await == Outcome::Ok
        {
            return Instant::now();
        }
        assert!(
            back_at.elapsed() < RECOVERY_BOUND + Duration::from_secs(5),
            "service did not come back after the database"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn readyz(base: &str) -> (u16, Value) {
    let response = crate::support::get(format!("{base}/readyz")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn create_admin(url: &str) {
    let mut command = certif();
    command
        .args([
            "admin",
            "create",
            "--email",
            "claire@beta.gouv.fr",
            "--name",
            "Claire Dubois",
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Signs the admin in; the session cookie.
async fn sign_in(base: &str) -> String {
    let response = http_client()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": format!("mutation {{ login(email: \"claire@beta.gouv.fr\", password: \"{PASSWORD}\") {{ viewer {{ signedIn }} }} }}") }))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("certif_session="))
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["login"]["viewer"]["signedIn"], true, "{body}");
    cookie
}

#[derive(diesel::QueryableByName)]
struct Email {
    #[diesel(sql_type = Text)]
    email: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn database_faults_are_answered_service_unavailable_and_service_comes_back() {
    let root = scratch_dir("faults-postgres");
    let mut cluster = Cluster::start(&root).await;
    {
        let mut admin = cluster.admin().await;
        schema::db::locate::create_database_if_missing(&mut admin, "certif", None)
            .await
            .unwrap();
    }
    let url = cluster.url("certif");
    create_admin(&url);
    let mut command = certif();
    command
        .env("DATABASE_URL", &url)
        .env("DATABASE_POOL_SIZE", "8")
        .env("DATABASE_CHECKOUT_TIMEOUT_MS", CHECKOUT_MS.to_string())
        .env("DATABASE_STATEMENT_TIMEOUT_MS", STATEMENT_MS.to_string())
        .env("DATABASE_CONNECT_TIMEOUT_MS", CONNECT_MS.to_string())
        .env("DATABASE_RECYCLE_TIMEOUT_MS", RECYCLE_MS.to_string())
        .env("THROTTLE_PER_ADDRESS", "1000000")
        .env("THROTTLE_PER_ACCOUNT", "1000000");
    let mut server = Running::start(command).await;
    let base = server.base.clone();
    let cookie = sign_in(&base).await;

    let records = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = start_load(&base, &cookie, &records, &stop);
    let mut probe = 0;
    let mut phases = Vec::new();
    tokio::time::sleep(STABLE).await;

    // A fast restart: every session is ended, the server is back at once.
    let fault_at = Instant::now();
    cluster.stop().await;
    cluster.restart().await;
    let back_at = Instant::now();
    let serving_at = wait_until_serving(&base, &cookie, back_at, &mut probe).await;
    tokio::time::sleep(STABLE).await;
    phases.push(Phase {
        name: "fast restart",
        fault_at,
        back_at,
        serving_at,
        end: Instant::now(),
    });

    // A crash: a backend killed, the server ends every session and recovers.
    let fault_at = Instant::now();
    cluster.crash_a_backend();
    tokio::time::sleep(Duration::from_millis(200)).await;
    cluster.wait_until_accepting().await;
    let back_at = Instant::now();
    let serving_at = wait_until_serving(&base, &cookie, back_at, &mut probe).await;
    tokio::time::sleep(STABLE).await;
    phases.push(Phase {
        name: "crash",
        fault_at,
        back_at,
        serving_at,
        end: Instant::now(),
    });

    // An outage: the server is stopped for a while.
    let fault_at = Instant::now();
    cluster.stop().await;
    tokio::time::sleep(OUTAGE / 2).await;
    let (status, body) = readyz(&base).await;
    assert_eq!(
        (status, &body["reason"]),
        (503, &json!("database unreachable")),
        "{body}"
    );
    tokio::time::sleep(OUTAGE / 2).await;
    cluster.restart().await;
    let back_at = Instant::now();
    let serving_at = wait_until_serving(&base, &cookie, back_at, &mut probe).await;
    tokio::time::sleep(STABLE).await;
    phases.push(Phase {
        name: "stopped",
        fault_at,
        back_at,
        serving_at,
        end: Instant::now(),
    });

    // A freeze: every server process stopped (SIGSTOP), sockets open, nothing answers.
    let fault_at = Instant::now();
    let frozen = cluster.freeze();
    tokio::time::sleep(FREEZE / 2).await;
    let asked = Instant::now();
    let (status, _) = readyz(&base).await;
    assert_eq!(status, 503);
    assert!(
        asked.elapsed() < Duration::from_millis(CHECKOUT_MS + 500),
        "/readyz answered in {:?}",
        asked.elapsed()
    );
    tokio::time::sleep(FREEZE / 2).await;
    drop(frozen);
    let back_at = Instant::now();
    let serving_at = wait_until_serving(&base, &cookie, back_at, &mut probe).await;
    tokio::time::sleep(STABLE).await;
    phases.push(Phase {
        name: "frozen",
        fault_at,
        back_at,
        serving_at,
        end: Instant::now(),
    });

    // Read-only: new transactions are read-only (as on a standby), and sessions opened
    // meanwhile stay read-only by the database's own setting after it is lifted.
    let mut admin = cluster.admin().await;
    // The session's last use is old enough to be refreshed: reads must not need that write.
    {
        let mut certif_db = schema::db::connect(&url).await.unwrap();
        certif_db
            .batch_execute("UPDATE auth_sessions SET last_seen_at = now() - interval '5 minutes'")
            .await
            .unwrap();
    }
    let fault_at = Instant::now();
    for statement in [
        "ALTER DATABASE certif SET default_transaction_read_only = on",
        "ALTER SYSTEM SET default_transaction_read_only = on",
        "SELECT pg_reload_conf()",
    ] {
        admin.batch_execute(statement).await.unwrap();
    }
    tokio::time::sleep(READ_ONLY / 2).await;
    let (status, body) = readyz(&base).await;
    assert_eq!(
        (status, &body["reason"]),
        (503, &json!("database read-only")),
        "{body}"
    );
    tokio::time::sleep(READ_ONLY / 2).await;
    for statement in [
        "ALTER SYSTEM RESET default_transaction_read_only",
        "SELECT pg_reload_conf()",
        "ALTER DATABASE certif RESET default_transaction_read_only",
    ] {
        admin.batch_execute(statement).await.unwrap();
    }
    let back_at = Instant::now();
    let serving_at = wait_until_serving(&base, &cookie, back_at, &mut probe).await;
    tokio::time::sleep(STABLE).await;
    phases.push(Phase {
        name: "read-only",
        fault_at,
        back_at,
        serving_at,
        end: Instant::now(),
    });

    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    let (status, _) = readyz(&base).await;
    assert_eq!(status, 200, "ready again");
    let records = records.lock().unwrap().clone();

    // Every answer is right or a proper SERVICE_UNAVAILABLE.
    let wrong: Vec<&Record> = records
        .iter()
        .filter(|record| matches!(record.outcome, Outcome::Wrong(_)))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} wrong answers, e.g. {:?}\n{}",
        wrong.len(),
        &wrong[..wrong.len().min(5)],
        server.log()
    );

    // No request waits past its bound.
    let slowest = records.iter().map(|record| record.elapsed).max().unwrap();
    assert!(
        slowest < request_bound(),
        "a request waited {slowest:?}, the bound is {:?}",
        request_bound()
    );

    let mut report = Vec::new();
    for phase in &phases {
        let during: Vec<&Record> = records
            .iter()
            .filter(|record| record.started >= phase.fault_at && record.started < phase.end)
            .collect();
        let unavailable = |kind: Kind| {
            during
                .iter()
                .filter(|record| record.kind == kind && record.outcome == Outcome::Unavailable)
                .count()
        };
        // Service is back within the bound, and stays back.
        let recovery = phase.serving_at.duration_since(phase.back_at);
        assert!(
            recovery <= RECOVERY_BOUND,
            "{}: service came back {recovery:?} after the database",
            phase.name
        );
        // A request still running when the next fault begins may fail of that one.
        let last_failure = during
            .iter()
            .filter(|record| record.outcome != Outcome::Ok)
            .map(|record| record.started + record.elapsed)
            .filter(|ended| *ended < phase.end)
            .max();
        if let Some(last_failure) = last_failure {
            let after_back = last_failure.saturating_duration_since(phase.back_at);
            assert!(
                after_back <= RECOVERY_BOUND,
                "{}: a request failed {after_back:?} after the database was back",
                phase.name
            );
            assert!(
                last_failure < phase.end - STABLE / 2,
                "{}: requests still failed at the end of the stable period: {:?}",
                phase.name,
                during
                    .iter()
                    .filter(|record| record.outcome != Outcome::Ok && record.started > phase.back_at)
                    .map(|record| (record.kind, record.started.duration_since(phase.back_at), record.elapsed))
                    .collect::<Vec<_>>()
            );
        }
        if phase.name == "read-only" {
            // Reads need no write: they kept working while the database was read-only.
            for kind in [Kind::AnonymousRead, Kind::SignedInRead] {
                assert_eq!(unavailable(kind), 0, "read-only: {kind:?} failed");
            }
            assert!(
                unavailable(Kind::Write) > 0,
                "read-only: writes were refused"
            );
        } else {
            // Everyone is told the same: anonymous and signed-in clients got 503s.
            for kind in [Kind::AnonymousRead, Kind::SignedInRead, Kind::Write] {
                assert!(
                    unavailable(kind) > 0 || !matches!(phase.name, "stopped" | "frozen"),
                    "{}: no SERVICE_UNAVAILABLE for {kind:?}",
                    phase.name
                );
            }
        }
        let slowest = during
            .iter()
            .max_by_key(|record| record.elapsed)
            .map(|record| {
                format!(
                    "{:?} for a {:?} sent {:?} after the fault",
                    record.elapsed,
                    record.kind,
                    record.started.duration_since(phase.fault_at)
                )
            })
            .unwrap_or_default();
        report.push(format!(
            "{}: fault {:?}, recovery {recovery:?}, requests {} ({} unavailable: anonymous {}, signed in {}, writes {}), slowest {slowest}",
            phase.name,
            phase.back_at.duration_since(phase.fault_at),
            during.len(),
            during.iter().filter(|record| record.outcome == Outcome::Unavailable).count(),
            unavailable(Kind::AnonymousRead),
            unavailable(Kind::SignedInRead),
            unavailable(Kind::Write),
        ));
    }

    // Nothing answered OK was lost.
    use diesel_async::RunQueryDsl;
    let mut conn = schema::db::connect(&url).await.unwrap();
    let stored: BTreeSet<String> = diesel::sql_query("SELECT email FROM waiting_list")
        .load::<Email>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.email)
        .collect();
    let answered_ok: Vec<&String> = records
        .iter()
        .filter(|record| record.outcome == Outcome::Ok)
        .filter_map(|record| record.email.as_ref())
        .collect();
    let lost: Vec<&&String> = answered_ok
        .iter()
        .filter(|email| !stored.contains(email.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} writes answered OK were lost: {lost:?}",
        lost.len()
    );
    let refused_but_stored = records
        .iter()
        .filter(|record| record.outcome == Outcome::Unavailable)
        .filter_map(|record| record.email.as_ref())
        .filter(|email| stored.contains(email.as_str()))
        .count();
    eprintln!(
        "{} requests, slowest {slowest:?} (bound {:?}); {} writes answered OK, all stored; {refused_but_stored} answered unavailable yet committed\n{}",
        records.len(),
        request_bound(),
        answered_ok.len(),
        report.join("\n")
    );

    assert!(server.terminate().success(), "{}", server.log());
    drop(conn);
    cluster.stop().await;
    let _ = std::fs::remove_dir_all(&root);
}
