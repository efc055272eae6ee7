//! Cold start of `certif` until `/readyz` answers 200, in three situations:
//! a private cluster created from nothing (initdb), a private cluster already on disk (restart),
//! and a PostgreSQL server already answering on the local socket.
//!
//! Run: `cargo bench --bench cold_start` (prints one line per situation).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certif-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(data_dir: &Path, socket_dirs: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_certif"))
        .env_remove("DATABASE_URL")
        .env("CERTIF_DATA_DIR", data_dir)
        .env("CERTIF_PG_SOCKET_DIRS", socket_dirs)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn ready(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

/// Seconds from spawn to the first 200 on /readyz; then SIGTERM and wait for the exit.
fn measure(data_dir: &Path, socket_dirs: &str) -> f64 {
    let port = free_port();
    let started = Instant::now();
    let mut child = spawn(data_dir, socket_dirs, port);
    while !ready(port) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "certif exited before it was ready"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "not ready in 120 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed().as_secs_f64();
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    elapsed
}

fn report(situation: &str, mut seconds: Vec<f64>) {
    seconds.sort_by(f64::total_cmp);
    println!(
        "{situation:<45} runs {:>2}  min {:>6.0} ms  median {:>6.0} ms  max {:>6.0} ms",
        seconds.len(),
        seconds[0] * 1000.0,
        seconds[seconds.len() / 2] * 1000.0,
        seconds[seconds.len() - 1] * 1000.0
    );
}

fn main() {
    let nowhere = "/nonexistent-socket-dir";
    // 1. A private cluster from nothing: initdb, start, create the database, migrate.
    let fresh: Vec<f64> = (0..RUNS)
        .map(|run| {
            let dir = scratch(&format!("fresh-{run}"));
            let seconds = measure(&dir, nowhere);
            let _ = std::fs::remove_dir_all(&dir);
            seconds
        })
        .collect();
    report("private cluster, created (initdb)", fresh);

    // 2. The same cluster already on disk: start it, nothing to migrate.
    let dir = scratch("existing");
    measure(&dir, nowhere);
    report(
        "private cluster, already on disk",
        (0..RUNS).map(|_| measure(&dir, nowhere)).collect(),
    );
    let _ = std::fs::remove_dir_all(&dir);

    // 3. A server already answering on the local socket (the machine's own, if there is one).
    let dir = scratch("local");
    let sockets = schema::config::DEFAULT_SOCKET_DIRS;
    measure(&dir, sockets);
    if dir.join("postgres").exists() {
        println!(
            "no PostgreSQL server answers on {sockets}: the local-server case was not measured"
        );
    } else {
        report(
            "server on the local socket",
            (0..RUNS).map(|_| measure(&dir, sockets)).collect(),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
