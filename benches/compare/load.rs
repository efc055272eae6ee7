//! The requests compared, and wrk sending them (`request.lua` reads each request from the
//! environment).

use std::path::{Path, PathBuf};
use std::process::Command;

/// One HTTP request: a GET, or a POST of a JSON body.
#[derive(Clone)]
pub struct Request {
    pub url: String,
    /// The JSON body of a POST; `None` for a GET.
    pub body: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn get(url: String) -> Self {
        Self {
            url,
            body: None,
            headers: Vec::new(),
        }
    }

    /// A GraphQL POST of `query`.
    pub fn graphql(base: &str, query: &str) -> Self {
        Self {
            url: format!("{base}/graphql"),
            body: Some(serde_json::json!({ "query": query }).to_string()),
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends it once: the status, the headers and the body.
    pub async fn send(
        &self,
        client: &reqwest::Client,
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let mut builder = match &self.body {
            Some(body) => client
                .post(&self.url)
                .header("Content-Type", "application/json")
                .body(body.clone()),
            None => client.get(&self.url),
        };
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let response = builder
            .send()
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", self.url));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.bytes().await.unwrap().to_vec())
    }
}

/// Requests per second under wrk, and the requests that failed.
#[derive(Clone, Copy)]
pub struct Rate {
    pub per_second: f64,
    pub failed: u64,
}

/// Checks that wrk is there; tries `apt-get install -y wrk` otherwise.
pub fn ensure_wrk() {
    let present = || Command::new("wrk").arg("--version").output().is_ok();
    if present() {
        return;
    }
    println!("wrk is missing: trying `apt-get install -y wrk`");
    let installed = Command::new("apt-get")
        .args(["install", "-y", "wrk"])
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        installed && present(),
        "this benchmark needs wrk (the Debian package `wrk`), which is not installed, and `apt-get install -y wrk` did not install it"
    );
}

/// Writes the wrk script into `dir` once.
pub fn script(dir: &Path) -> PathBuf {
    let path = dir.join("request.lua");
    std::fs::write(&path, include_str!("request.lua")).unwrap();
    path
}

/// Runs wrk for `seconds` with `connections` (two threads) on `request`.
pub fn wrk(script: &Path, dir: &Path, request: &Request, connections: u32, seconds: u64) -> Rate {
    let mut command = Command::new("wrk");
    command
        .args(["-t", if connections > 1 { "2" } else { "1" }])
        .args(["-c", &connections.to_string()])
        .args(["-d", &format!("{seconds}s")])
        .args(["--timeout", "10s"])
        .arg("-s")
        .arg(script)
        .arg(&request.url);
    let body_file = dir.join("body.json");
    match &request.body {
        Some(body) => {
            std::fs::write(&body_file, body).unwrap();
            command.env("COMPARE_BODY_FILE", &body_file);
        }
        None => {
            command.env_remove("COMPARE_BODY_FILE");
        }
    }
    let headers: Vec<String> = request
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    command.env("COMPARE_HEADERS", headers.join("\n"));
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<u64> = stdout
        .lines()
        .find_map(|line| line.strip_prefix("compare-summary "))
        .unwrap_or_else(|| {
            panic!(
                "wrk on {} printed no summary: {}{}",
                request.url,
                stdout,
                String::from_utf8_lossy(&output.stderr)
            )
        })
        .split_whitespace()
        .map(|field| field.parse().unwrap())
        .collect();
    let (requests, micros) = (fields[0], fields[1]);
    Rate {
        per_second: requests as f64 / (micros as f64 / 1e6),
        failed: fields[2..].iter().sum(),
    }
}
