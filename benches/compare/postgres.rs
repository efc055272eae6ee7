//! The PostgreSQL side of the comparison: a private cluster of the bench's own (so that it can
//! read the server's log), the seeded database, the statements certif sends for one request
//! (read back from the log with `log_statement = all`), and pgbench running them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use schema::db::cluster::PrivateCluster;
use schema::domain::UserId;
use schema::models::{CalendarFeed, SessionOwner};
use schema::scenario::Scenario;
use schema::security::TokenSecret;

/// The database the servers and pgbench share.
pub const DATABASE: &str = "certif_compare";
/// Marks the start and the end of one request in the server's log.
const MARK: &str = "certif-compare-mark";

/// A private PostgreSQL cluster started for this run (`schema::db::cluster`: `data/`, the
/// socket in `run/`, the log in `postgres.log`), stopped when dropped.
pub struct Cluster {
    _cluster: PrivateCluster,
    pub socket_dir: PathBuf,
    pub port: u16,
    log: PathBuf,
}

impl Cluster {
    pub async fn start(root: &Path) -> Self {
        let cluster = PrivateCluster::start(root)
            .await
            .unwrap_or_else(|error| panic!("the bench's PostgreSQL cluster: {error}"));
        assert!(
            cluster.started_here(),
            "a PostgreSQL cluster already runs in {}",
            root.display()
        );
        Self {
            _cluster: cluster,
            socket_dir: root.join("run"),
            port: schema::db::cluster::PORT,
            log: root.join("postgres.log"),
        }
    }

    /// The URL of `database` (through the socket, as the superuser who owns everything).
    pub fn url(&self, database: &str) -> String {
        schema::db::locate::socket_url(
            &self.socket_dir,
            self.port,
            schema::db::cluster::SUPERUSER,
            database,
        )
    }

    pub async fn connect(&self) -> AsyncPgConnection {
        schema::db::connect(&self.url(DATABASE))
            .await
            .unwrap_or_else(|error| panic!("{error}"))
    }
}

/// The identifiers and secrets the requests need.
pub struct Seeded {
    pub session_id: String,
    /// An application with three files and a link, in state `complete`, not booked: its
    /// dossier is read by id and its booking link lists the bookable slots.
    pub application_id: String,
    pub admin_token: String,
    pub feed_token: String,
    pub booking_link: String,
    /// Now + 48 hours: bookable slots start from there.
    pub bookable_from: DateTime<Utc>,
}

#[derive(diesel::QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    value: String,
}

async fn text(conn: &mut AsyncPgConnection, query: &str) -> String {
    diesel::sql_query(query)
        .get_result::<TextRow>(conn)
        .await
        .unwrap_or_else(|error| panic!("{query}: {error}"))
        .value
}

/// Creates the database, migrates it and seeds it (`seed.sql`), then writes the secrets.
pub async fn seed(cluster: &Cluster) -> Seeded {
    let mut server = schema::db::connect(&cluster.url("postgres")).await.unwrap();
    server
        .batch_execute(&format!("CREATE DATABASE {DATABASE}"))
        .await
        .unwrap();
    drop(server);
    schema::db::migrations::run_pending(&cluster.url(DATABASE))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let mut conn = cluster.connect().await;
    let now = Utc::now();
    let scenario = Scenario::at(now);
    let session = scenario.session(2027, 5).create(&mut conn).await.unwrap();
    conn.batch_execute(include_str!("seed.sql"))
        .await
        .unwrap_or_else(|error| panic!("seed.sql: {error}"));

    let admin: UserId = text(
        &mut conn,
        "SELECT id::text AS value FROM users WHERE email = 'admin@beta.gouv.fr'",
    )
    .await
    .parse()
    .unwrap();
    let (_, admin_token) = scenario
        .signed_in(&mut conn, SessionOwner::User(admin), Duration::hours(12))
        .await
        .unwrap();
    let coach: UserId = text(
        &mut conn,
        "SELECT id::text AS value FROM users WHERE email = 'occupe@coachs.example'",
    )
    .await
    .parse()
    .unwrap();
    let feed_token = TokenSecret::generate().unwrap();
    CalendarFeed::rotate(&mut conn, coach, feed_token.sha256(), now)
        .await
        .unwrap();
    // Application 503: `complete`, no booking (see seed.sql).
    let application_id = text(
        &mut conn,
        "SELECT a.id::text AS value FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = 'candidat503@administration.example'",
    )
    .await;
    let booking_link = scenario
        .booking_link(
            &mut conn,
            application_id.parse().unwrap(),
            now + Duration::days(180),
        )
        .await
        .unwrap();
    conn.batch_execute("ANALYZE").await.unwrap();
    Seeded {
        session_id: session.id.to_string(),
        application_id,
        admin_token: admin_token.expose().to_owned(),
        feed_token: feed_token.expose().to_owned(),
        booking_link: booking_link.expose().to_owned(),
        bookable_from: now + Duration::hours(48),
    }
}

/// While alive, every new connection to the database logs each statement it runs; `mark`
/// writes a marker in the log between requests.
pub struct StatementLog {
    conn: AsyncPgConnection,
    log: PathBuf,
}

impl StatementLog {
    /// Turns statement logging on for the connections opened from now on (so start the
    /// server to capture after this).
    pub async fn start(cluster: &Cluster) -> Self {
        let mut conn = cluster.connect().await;
        conn.batch_execute(&format!(
            "ALTER DATABASE {DATABASE} SET log_statement = 'all'"
        ))
        .await
        .unwrap();
        // This connection predates the setting: it logs its markers explicitly.
        conn.batch_execute("SET log_statement = 'all'")
            .await
            .unwrap();
        Self {
            conn,
            log: cluster.log.clone(),
        }
    }

    pub async fn mark(&mut self, what: &str) {
        self.conn
            .batch_execute(&format!("SELECT '{MARK} {what}'"))
            .await
            .unwrap();
    }

    /// Turns statement logging off again (for connections opened from now on) and returns
    /// the statements found between `begin <name>` and `end <name>` marks, with their
    /// parameters written in, for each name marked.
    pub async fn finish(mut self) -> HashMap<String, Vec<String>> {
        self.conn
            .batch_execute(&format!("ALTER DATABASE {DATABASE} RESET log_statement"))
            .await
            .unwrap();
        let log = std::fs::read_to_string(&self.log)
            .unwrap_or_else(|error| panic!("the server log {}: {error}", self.log.display()));
        statements_by_mark(&log)
    }
}

/// One message of the server's log: `<time> [<pid>] <LEVEL>:  <text>` (the default
/// `log_line_prefix`, `%m [%p] `), continued on the lines that do not start that way.
struct Message<'a> {
    pid: &'a str,
    level: &'a str,
    text: String,
}

fn message_start(line: &str) -> Option<(&str, &str, &str)> {
    if !line.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (_, rest) = line.split_once(" [")?;
    let (pid, rest) = rest.split_once("] ")?;
    let (level, text) = rest.split_once(":  ")?;
    (pid.bytes().all(|b| b.is_ascii_digit()) && level.bytes().all(|b| b.is_ascii_uppercase()))
        .then_some((pid, level, text))
}

fn messages(log: &str) -> Vec<Message<'_>> {
    let mut messages: Vec<Message<'_>> = Vec::new();
    for line in log.lines() {
        match message_start(line) {
            Some((pid, level, text)) => messages.push(Message {
                pid,
                level,
                text: text.to_owned(),
            }),
            None => {
                if let Some(last) = messages.last_mut() {
                    last.text.push('\n');
                    last.text.push_str(line);
                }
            }
        }
    }
    messages
}

/// The statement of a `LOG:  statement: …` or `LOG:  execute <name>: …` message.
fn statement_text(message: &Message<'_>) -> Option<String> {
    if message.level != "LOG" {
        return None;
    }
    if let Some(text) = message.text.strip_prefix("statement: ") {
        return Some(text.to_owned());
    }
    let rest = message.text.strip_prefix("execute ")?;
    let (_, text) = rest.split_once(": ")?;
    Some(text.to_owned())
}

/// `$1 = '…', $2 = NULL` into the literals, by number (quotes inside are already doubled).
fn parameters(detail: &str) -> HashMap<usize, String> {
    let mut values = HashMap::new();
    let mut rest = detail;
    while let Some(after) = rest.strip_prefix('$') {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(number) = after[..digits].parse::<usize>() else {
            break;
        };
        let Some(value) = after[digits..].strip_prefix(" = ") else {
            break;
        };
        let (literal, tail) = if let Some(tail) = value.strip_prefix("NULL") {
            ("NULL".to_owned(), tail)
        } else if value.starts_with('\'') {
            // Up to the closing quote: a quote followed by anything but another quote.
            let bytes = value.as_bytes();
            let mut end = 1;
            loop {
                match bytes.get(end) {
                    None => break,
                    Some(b'\'') if bytes.get(end + 1) == Some(&b'\'') => end += 2,
                    Some(b'\'') => {
                        end += 1;
                        break;
                    }
                    Some(_) => end += 1,
                }
            }
            (value[..end].to_owned(), &value[end..])
        } else {
            break;
        };
        values.insert(number, literal);
        rest = tail.strip_prefix(", ").unwrap_or(tail);
    }
    values
}

/// `statement` with each `$n` outside quotes replaced by its literal.
fn substitute(statement: &str, values: &HashMap<usize, String>) -> String {
    let mut out = String::with_capacity(statement.len());
    let mut quote: Option<char> = None;
    let mut chars = statement.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '$') => {
                let digits: String = statement[at + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Some(value) = digits.parse().ok().and_then(|n: usize| values.get(&n)) {
                    out.push_str(value);
                    for _ in 0..digits.len() {
                        chars.next();
                    }
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

fn statements_by_mark(log: &str) -> HashMap<String, Vec<String>> {
    let messages = messages(log);
    let mut found: HashMap<String, Vec<String>> = HashMap::new();
    let mut current: Option<String> = None;
    // The last statement of each process, waiting for its parameters (a DETAIL next).
    let mut pending: HashMap<&str, (String, String)> = HashMap::new();
    let flush = |pending: &mut HashMap<&str, (String, String)>,
                 found: &mut HashMap<String, Vec<String>>,
                 pid: &str| {
        if let Some((name, statement)) = pending.remove(pid) {
            found.entry(name).or_default().push(statement);
        }
    };
    for message in &messages {
        if message.level == "DETAIL"
            && let Some(detail) = message.text.strip_prefix("parameters: ")
        {
            if let Some((name, statement)) = pending.remove(message.pid) {
                let statement = substitute(&statement, &parameters(detail));
                found.entry(name).or_default().push(statement);
            }
            continue;
        }
        let Some(statement) = statement_text(message) else {
            continue;
        };
        flush(&mut pending, &mut found, message.pid);
        if let Some(mark) = statement
            .strip_prefix(&format!("SELECT '{MARK} "))
            .and_then(|rest| rest.strip_suffix('\''))
        {
            // Statements still waiting belong to the request before this mark.
            let pids: Vec<&str> = pending.keys().copied().collect();
            for pid in pids {
                flush(&mut pending, &mut found, pid);
            }
            current = match mark.split_once(' ') {
                Some(("begin", name)) => {
                    found.entry(name.to_owned()).or_default();
                    Some(name.to_owned())
                }
                _ => None,
            };
            continue;
        }
        if let Some(name) = &current {
            pending.insert(message.pid, (name.clone(), statement));
        }
    }
    let pids: Vec<&str> = pending.keys().copied().collect();
    for pid in pids {
        flush(&mut pending, &mut found, pid);
    }
    found
}

/// pgbench, found on PATH or beside the server programs.
pub fn pgbench_program() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    let mut versioned: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .collect();
    versioned.sort();
    dirs.extend(versioned.into_iter().rev());
    dirs.into_iter()
        .map(|dir| dir.join("pgbench"))
        .find(|path| path.is_file())
}

/// Writes `statements` as a pgbench script: one transaction of pgbench is one request.
pub fn write_script(path: &Path, statements: &[String]) {
    let mut text = String::new();
    for statement in statements {
        text.push_str(statement.trim().trim_end_matches(';'));
        text.push_str(";\n");
    }
    std::fs::write(path, text).unwrap();
}

/// Transactions per second of pgbench running `script` (prepared statements, 8 clients,
/// 2 threads, `seconds`), or why it could not.
pub fn pgbench(
    program: &Path,
    cluster: &Cluster,
    script: &Path,
    seconds: u64,
) -> Result<f64, String> {
    let run = |extra: &[&str]| {
        Command::new(program)
            .arg("-h")
            .arg(&cluster.socket_dir)
            .args(["-p", &cluster.port.to_string()])
            .args(["-U", schema::db::cluster::SUPERUSER])
            .args(["-n", "-M", "prepared"])
            .args(extra)
            .arg("-f")
            .arg(script)
            .arg(DATABASE)
            .output()
            .map_err(|error| format!("pgbench did not start: {error}"))
    };
    // Once first, so that a statement PostgreSQL refuses is reported, not measured.
    let once = run(&["-t", "1"])?;
    let failed = |output: &std::process::Output| {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        !output.status.success()
            || stderr.contains("ERROR")
            || stdout.lines().any(|line| {
                line.starts_with("number of failed transactions: ") && !line.contains(": 0 ")
            })
    };
    if failed(&once) {
        return Err(format!(
            "pgbench refused the captured SQL ({}): {}",
            script.display(),
            String::from_utf8_lossy(&once.stderr).trim()
        ));
    }
    let seconds = seconds.to_string();
    let timed = run(&["-c", "8", "-j", "2", "-T", &seconds])?;
    if failed(&timed) {
        return Err(format!(
            "pgbench failed: {}",
            String::from_utf8_lossy(&timed.stderr).trim()
        ));
    }
    String::from_utf8_lossy(&timed.stdout)
        .lines()
        .find_map(|line| {
            line.strip_prefix("tps = ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .ok_or_else(|| "no tps line in pgbench's output".to_owned())
}

/// Checks of the log parsing, run at the start of each bench run (cheap, and a parsing
/// mistake would otherwise turn into a wrong pgbench figure).
pub fn check_parsing() {
    let log = "2026-12-01 11:40:00.123 UTC [7] LOG:  statement: SELECT 'certif-compare-mark begin x'\n\
               2026-12-01 11:40:00.124 UTC [9] LOG:  execute s1: SELECT a FROM t WHERE b = $1 AND c = $2 AND d = '$1'\n\
               2026-12-01 11:40:00.124 UTC [9] DETAIL:  parameters: $1 = 'it''s, $2 = x', $2 = NULL\n\
               2026-12-01 11:40:00.125 UTC [9] LOG:  statement: BEGIN\n\
               2026-12-01 11:40:00.126 UTC [9] LOG:  execute <unnamed>: SELECT 1\n\
               \tFROM u\n\
               2026-12-01 11:40:00.127 UTC [7] LOG:  statement: SELECT 'certif-compare-mark end x'\n\
               2026-12-01 11:40:00.128 UTC [9] LOG:  statement: SELECT 2\n";
    let found = statements_by_mark(log);
    assert_eq!(
        found["x"],
        [
            "SELECT a FROM t WHERE b = 'it''s, $2 = x' AND c = NULL AND d = '$1'",
            "BEGIN",
            "SELECT 1\n\tFROM u",
        ],
        "the parsing of the server log"
    );
    assert_eq!(found.len(), 1);
}
