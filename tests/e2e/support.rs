//! Starting and stopping the `certif` program for a test.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Variables of the test runner's environment that must not leak into the program.
const CONFIG_VARS: [&str; 28] = [
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
    "DATABASE_CHECKOUT_TIMEOUT_MS",
    "DATABASE_CONNECT_TIMEOUT_MS",
    "DATABASE_RECYCLE_TIMEOUT_MS",
    "DATABASE_STATEMENT_TIMEOUT_MS",
    "DATABASE_LOCK_TIMEOUT_MS",
    "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    "CERTIF_ENV",
    "CERTIF_DATA_DIR",
    "CERTIF_PG_SOCKET_DIRS",
    "LISTEN_ADDR",
    "PUBLIC_URL",
    "LOG_FORMAT",
    "GRAPHQL_MAX_DEPTH",
    "GRAPHQL_MAX_COMPLEXITY",
    "SCHEDULER_INSTANCE",
    "SCHEDULER_HEARTBEAT_CRON",
    "SESSION_MONTHS",
    "SMTP_URL",
    "SMTP_TIMEOUT_SECONDS",
    "MAIL_FROM",
    "MAIL_REPLY_TO",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_BATCH_SIZE",
    "OUTBOX_CONCURRENCY",
    "OUTBOX_POLL_MILLIS",
    "OUTBOX_LEASE_SECONDS",
];

/// A fresh folder for one test, under the system's temporary folder, which the `postgres`
/// system user can reach even when the clone itself sits in a private folder.
pub fn scratch_dir(name: &str) -> PathBuf {
    let parent = std::env::temp_dir().join("certif-tests");
    let dir = parent.join(format!("{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for folder in [&parent, &dir] {
        let _ = std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755));
    }
    dir
}

/// The program with a clean configuration: nothing set but what the test sets.
pub fn certif() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certif"));
    for var in CONFIG_VARS {
        command.env_remove(var);
    }
    command
        .env("RUST_LOG", "info")
        .env("CERTIF_DATA_DIR", scratch_dir("data"));
    command
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `certif`, stopped (SIGTERM) when dropped.
pub struct Running {
    child: Child,
    pub base: String,
    log: PathBuf,
}

impl Running {
    /// Starts `command` on a free port and waits until `/readyz` answers 200.
    pub async fn start(mut command: Command) -> Self {
        let port = free_port();
        let log = scratch_dir("log").join("certif.log");
        let child = command
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut running = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let started = Instant::now();
        loop {
            if let Some(status) = running.child.try_wait().unwrap() {
                panic!(
                    "certif exited ({status}) before it was ready:\n{}",
                    running.log()
                );
            }
            if let Ok(response) = crate::support::get(format!("{}/readyz", running.base)).await
                && response.status() == 200
            {
                return running;
            }
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "certif was not ready in 90 s:\n{}",
                running.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the program logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!(
                    "certif did not stop within 30 s of SIGTERM:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Posts a GraphQL query as JSON; returns the status and the JSON body.
    pub async fn graphql(&self, query: &str) -> (u16, serde_json::Value) {
        let response = http_client()
            .post(format!("{}/graphql", self.base))
            .json(&serde_json::json!({ "query": query }))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.terminate();
        }
        // Keep the log of a failed test for reading; forget the others.
        if !std::thread::panicking()
            && let Some(dir) = self.log.parent()
        {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs the program to completion with `RUST_LOG=off`; returns the status and stderr.
pub fn run_to_end(mut command: Command) -> (ExitStatus, String) {
    let output = command.env("RUST_LOG", "off").output().unwrap();
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// An HTTP client for the tests. The workspace builds reqwest with rustls and no default
/// crypto provider (the scheduler configures ring itself): install ring as the default first.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// `GET url` with [`http_client`].
pub async fn get(url: String) -> reqwest::Result<reqwest::Response> {
    http_client().get(url).send().await
}
