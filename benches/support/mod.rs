//! What the API benchmarks share: the `certif api` program started on a free port against a
//! database, stopped with SIGTERM when dropped, and latency summaries.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `certif api`.
pub struct Api {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

impl Api {
    /// Starts `certif api` on `database_url` with extra settings, and waits for `/readyz`.
    pub async fn start(database_url: &str, settings: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_certif"));
        command
            .arg("api")
            .env("DATABASE_URL", database_url)
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (name, value) in settings {
            command.env(name, value);
        }
        let api = Self {
            child: command.spawn().unwrap(),
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = http_client();
        while client
            .get(format!("{}/readyz", api.base))
            .send()
            .await
            .map(|r| r.status() != 200)
            .unwrap_or(true)
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        api
    }
}

impl Api {
    /// The process's peak resident memory so far (`VmHWM`), in KiB; 0 where `/proc` is not.
    #[allow(dead_code)] // Each bench compiles this module; not every one reads it.
    pub fn peak_memory_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// Prints n, p50, p99 and max of latencies in milliseconds.
pub fn summary(label: &str, mut millis: Vec<f64>) {
    millis.sort_by(f64::total_cmp);
    let at = |p: f64| millis[((millis.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{label:<52} n {:>4}  p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
        millis.len(),
        at(0.5),
        at(0.99),
        millis[millis.len() - 1]
    );
}

/// An HTTP client for the benchmarks. The workspace builds reqwest with rustls and no default
/// crypto provider (the scheduler configures ring itself): install ring as the default first.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}
