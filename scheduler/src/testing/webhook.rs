//! A chat webhook on loopback for the tests (feature `testing`): a small HTTP/1.1 server that
//! takes `POST`s with a `Content-Length` body, answers `200 ok` as Mattermost does, keeps each
//! post it accepted, and can be told to fail the next requests. Only for tests: failures panic
//! with a message saying what went wrong.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A request the server answered.
#[derive(Debug, Clone)]
pub struct WebhookRequest {
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The status it was answered with.
    pub status: u16,
}

impl WebhookRequest {
    /// The `text` of a JSON `{"text": …}` body.
    pub fn text(&self) -> Option<String> {
        let value: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        value.get("text")?.as_str().map(str::to_owned)
    }
}

#[derive(Debug, Default)]
struct Shared {
    requests: Mutex<Vec<WebhookRequest>>,
    /// How many of the next requests fail, and with which status.
    failures_left: AtomicU32,
    failure_status: AtomicU32,
}

/// The server; it stops when dropped.
pub struct WebhookReceiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accepting: tokio::task::JoinHandle<()>,
}

/// The path of the webhook, as a real one holds its key.
pub const WEBHOOK_PATH: &str = "/hooks/cle-secrete-du-test";

impl WebhookReceiver {
    /// Listens on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test webhook server");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared::default());
        let serving = shared.clone();
        let accepting = tokio::spawn(async move {
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(answer(stream, serving.clone()));
                }
            }
        });
        Self {
            addr,
            shared,
            accepting,
        }
    }

    /// The `CHAT_WEBHOOK_URL` of this server (plain http: loopback only).
    pub fn url(&self) -> String {
        format!("http://{}{WEBHOOK_PATH}", self.addr)
    }

    /// Answers the next `count` requests with `status` (e.g. 500, or 404 for a deleted hook).
    pub fn fail_next(&self, count: u32, status: u16) {
        self.shared
            .failure_status
            .store(u32::from(status), Ordering::SeqCst);
        self.shared.failures_left.store(count, Ordering::SeqCst);
    }

    /// Every request answered so far, failed ones included, in order.
    pub fn requests(&self) -> Vec<WebhookRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The posts answered with success, in order.
    pub fn accepted(&self) -> Vec<WebhookRequest> {
        self.requests()
            .into_iter()
            .filter(|request| request.status == 200)
            .collect()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn answer(stream: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut length = 0_usize;
    let mut content_type = None;
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().expect("a numeric Content-Length");
            } else if name.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.to_owned());
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).await.is_err() {
        return;
    }
    let failing = shared
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            left.checked_sub(1)
        })
        .is_ok();
    let status = if failing {
        u16::try_from(shared.failure_status.load(Ordering::SeqCst)).unwrap_or(500)
    } else if method != "POST" || path != WEBHOOK_PATH {
        404
    } else {
        200
    };
    shared.requests.lock().unwrap().push(WebhookRequest {
        method,
        path,
        content_type,
        body,
        status,
    });
    let text = if status == 200 { "ok" } else { "failed" };
    let response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        if status == 200 { "OK" } else { "Error" },
        text.len()
    );
    let _ = write.write_all(response.as_bytes()).await;
    let _ = write.shutdown().await;
}
