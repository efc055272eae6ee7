//! A real SMTP server on loopback for the tests and benchmarks (feature `testing`): it speaks
//! enough of RFC 5321 for lettre (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps
//! every message it accepts, and can be told to refuse a share of the transactions, to refuse
//! given recipients, or to be down.
//! Only for tests: failures panic with a message saying what went wrong. The chat webhook's
//! counterpart is `webhook::WebhookReceiver`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod webhook;

pub use webhook::{WebhookReceiver, WebhookRequest};

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent after DATA, dot-stuffing undone.
    pub data: Vec<u8>,
    /// The client authenticated (AUTH) on this connection.
    pub authenticated: bool,
    /// The message came over TLS (STARTTLS or implicit).
    pub encrypted: bool,
}

impl Received {
    /// The value of the message's first `Message-ID` header, read naively (the tests check
    /// headers with an independent parser; this is for counting).
    pub fn message_id(&self) -> Option<String> {
        let text = String::from_utf8_lossy(&self.data);
        text.split("\r\n")
            .take_while(|line| !line.is_empty())
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("message-id")
                    .then(|| value.trim().to_owned())
            })
    }
}

#[derive(Debug, Default)]
struct Shared {
    accepted: Mutex<Vec<Received>>,
    /// Percentage of transactions refused.
    refuse_percent: AtomicU32,
    /// The reply code of a refusal (4xx: try again later, 5xx: permanent).
    refuse_code: AtomicU32,
    transactions: AtomicU64,
    refused: AtomicU64,
    /// Wait before answering the end of DATA (a slow server), in microseconds.
    reply_delay_micros: AtomicU64,
    /// Recipients refused at RCPT, and with which code.
    refused_recipients: Mutex<HashMap<String, u32>>,
}

/// The server; it stops when dropped.
pub struct SmtpReceiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    down: watch::Sender<bool>,
    accepting: tokio::task::JoinHandle<()>,
    tls: Option<(TestTls, TestAuthority)>,
}

/// How a TLS test server protects its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestTls {
    /// Plain at first, `STARTTLS` offered (`smtp://`).
    Starttls,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

impl SmtpReceiver {
    /// Listens on a free port of 127.0.0.1, plain SMTP.
    pub async fn start() -> Self {
        Self::listen(None).await
    }

    /// Listens on a free port of 127.0.0.1 with TLS, under a certificate for `localhost`
    /// issued by a certificate authority made for this server (`ca_der`).
    pub async fn start_tls(mode: TestTls) -> Self {
        let authority = TestAuthority::new();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![authority.leaf.clone()], authority.key.clone_key())
        .expect("the test certificate and key");
        let tls = ServerTls {
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            implicit: mode == TestTls::Implicit,
        };
        let mut receiver = Self::listen(Some(tls)).await;
        receiver.tls = Some((mode, authority));
        receiver
    }

    async fn listen(tls: Option<ServerTls>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test SMTP server");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            refuse_code: AtomicU32::new(451),
            ..Shared::default()
        });
        let (down, down_changes) = watch::channel(false);
        let accepting = tokio::spawn(serve(listener, addr, shared.clone(), down_changes, tls));
        Self {
            addr,
            shared,
            down,
            accepting,
            tls: None,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `SMTP_URL` of this server: plain SMTP (`?tls=none`, loopback only), or, for a TLS
    /// server, `smtp://` (STARTTLS required) or `smtps://` to `localhost`, the certificate's name.
    pub fn url(&self) -> String {
        match &self.tls {
            None => format!("smtp://{}?tls=none", self.addr),
            Some((TestTls::Starttls, _)) => format!("smtp://localhost:{}", self.addr.port()),
            Some((TestTls::Implicit, _)) => format!("smtps://localhost:{}", self.addr.port()),
        }
    }

    /// The certificate authority (DER) that issued a TLS server's certificate.
    pub fn ca_der(&self) -> Option<&[u8]> {
        self.tls
            .as_ref()
            .map(|(_, authority)| authority.ca.as_ref())
    }

    /// Refuses `percent` % of the transactions from now on with `code` (451, or 554 for a
    /// permanent refusal), at MAIL, RCPT or the end of DATA in turn. The choice is a fixed
    /// function of the transaction's number, so runs repeat.
    pub fn refuse(&self, percent: u32, code: u32) {
        self.shared.refuse_code.store(code, Ordering::SeqCst);
        self.shared
            .refuse_percent
            .store(percent.min(100), Ordering::SeqCst);
    }

    /// Refuses `address` at RCPT with `code` from now on (550 for a mailbox that does not
    /// exist, 452 or 450 to try again later); `None` accepts it again.
    pub fn refuse_recipient(&self, address: &str, code: Option<u32>) {
        let mut refused = self.shared.refused_recipients.lock().unwrap();
        match code {
            Some(code) => refused.insert(address.to_ascii_lowercase(), code),
            None => refused.remove(&address.to_ascii_lowercase()),
        };
    }

    /// Waits `delay` before answering each message's DATA: a slow server.
    pub fn set_reply_delay(&self, delay: Duration) {
        self.shared
            .reply_delay_micros
            .store(delay.as_micros() as u64, Ordering::SeqCst);
    }

    /// Takes the server down (connections refused, open ones cut) or back up on the same port.
    pub fn set_down(&self, down: bool) {
        self.down.send_replace(down);
    }

    /// Every message accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.shared.accepted.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.shared.accepted.lock().unwrap().len()
    }

    /// Transactions started (MAIL commands), refused ones included.
    pub fn transactions(&self) -> u64 {
        self.shared.transactions.load(Ordering::SeqCst)
    }

    pub fn refused(&self) -> u64 {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// Waits until at least `count` messages were accepted; `false` after `timeout`.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.count() < count {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn serve(
    mut listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
    mut down: watch::Receiver<bool>,
    tls: Option<ServerTls>,
) {
    loop {
        // Connections live in this set: going down drops it, which cuts them all.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        connections.spawn(connection(stream, shared.clone(), tls.clone()));
                    }
                }
                changed = down.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    if *down.borrow_and_update() {
                        break;
                    }
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        drop(listener);
        connections.abort_all();
        drop(connections);
        if down.wait_for(|down| !*down).await.is_err() {
            return;
        }
        listener = rebind(addr).await;
    }
}

/// Binds the same address again (the port is free: this server held it).
async fn rebind(addr: SocketAddr) -> TcpListener {
    for _ in 0..200 {
        if let Ok(listener) = TcpListener::bind(addr).await {
            return listener;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the test SMTP server could not listen on {addr} again");
}

/// Whether transaction `number` is refused, and where.
fn refusal(shared: &Shared, number: u64) -> Option<(Stage, u32)> {
    let percent = u64::from(shared.refuse_percent.load(Ordering::SeqCst));
    // A fixed scrambling of the number, so that refusals spread evenly but repeat run to run.
    let scrambled = number.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) % 100;
    (scrambled < percent).then(|| {
        let stage = match number % 3 {
            0 => Stage::Mail,
            1 => Stage::Rcpt,
            _ => Stage::Data,
        };
        (stage, shared.refuse_code.load(Ordering::SeqCst))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Mail,
    Rcpt,
    Data,
}

/// A mail transaction under way: MAIL accepted, recipients so far, and whether (and where)
/// it is to be refused.
struct Transaction {
    from: String,
    recipients: Vec<String>,
    refused: Option<(Stage, u32)>,
}

fn refusal_text(code: u32) -> String {
    if code >= 500 {
        format!("{code} 5.7.1 Refused by the test server\r\n")
    } else {
        format!("{code} 4.3.0 Try again later (test server)\r\n")
    }
}

fn recipient_refusal_text(code: u32, address: &str) -> String {
    if code >= 500 {
        format!("{code} 5.1.1 <{address}>: no such mailbox here (test server)\r\n")
    } else {
        format!("{code} 4.2.2 <{address}>: mailbox full, try again later (test server)\r\n")
    }
}

/// The address of a `MAIL FROM:<…>` or `RCPT TO:<…>` command, without its brackets.
fn path_of(command: &str) -> String {
    let rest = command
        .split_once(':')
        .map(|(_, rest)| rest.trim())
        .unwrap_or_default();
    let path = rest.split_whitespace().next().unwrap_or_default();
    path.trim_start_matches('<')
        .trim_end_matches('>')
        .to_ascii_lowercase()
}

/// One SMTP session on `stream`: greets (unless it follows STARTTLS), then answers commands
/// until QUIT or the end of the stream. Returns the stream when the client asked for STARTTLS
/// (offered only when `offer_starttls`), for the caller to upgrade.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    shared: Arc<Shared>,
    greet: bool,
    offer_starttls: bool,
    encrypted: bool,
) -> Option<S> {
    let mut stream = BufReader::new(stream);
    if greet && !say(&mut stream, b"220 localhost certif test ESMTP\r\n").await {
        return None;
    }
    let mut authenticated = false;
    let mut transaction: Option<Transaction> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        match stream.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: String = match verb.as_str() {
            "EHLO" if offer_starttls => {
                "250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n".into()
            }
            "EHLO" => {
                "250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN\r\n".into()
            }
            "STARTTLS" if offer_starttls => {
                if !say(&mut stream, b"220 2.0.0 Ready to start TLS\r\n").await {
                    return None;
                }
                return Some(stream.into_inner());
            }
            "HELO" => "250 localhost\r\n".into(),
            "AUTH" => {
                authenticated = true;
                "235 2.7.0 Authentication successful\r\n".into()
            }
            "NOOP" => "250 2.0.0 OK\r\n".into(),
            "RSET" => {
                transaction = None;
                "250 2.0.0 OK\r\n".into()
            }
            "QUIT" => {
                say(&mut stream, b"221 2.0.0 Bye\r\n").await;
                return None;
            }
            "MAIL" => {
                let number = shared.transactions.fetch_add(1, Ordering::SeqCst);
                let refused = refusal(&shared, number);
                if let Some((Stage::Mail, code)) = refused {
                    shared.refused.fetch_add(1, Ordering::SeqCst);
                    refusal_text(code)
                } else {
                    let from = command
                        .split_once(':')
                        .map(|(_, rest)| rest.trim().to_owned())
                        .unwrap_or_default();
                    transaction = Some(Transaction {
                        from,
                        recipients: Vec::new(),
                        refused,
                    });
                    "250 2.1.0 OK\r\n".into()
                }
            }
            "RCPT" => {
                let address = path_of(&command);
                let refused_here = shared
                    .refused_recipients
                    .lock()
                    .unwrap()
                    .get(&address)
                    .copied();
                match (&mut transaction, refused_here) {
                    (None, _) => "503 5.5.1 MAIL first\r\n".into(),
                    (
                        Some(Transaction {
                            refused: Some((Stage::Rcpt, code)),
                            ..
                        }),
                        _,
                    ) => {
                        let code = *code;
                        shared.refused.fetch_add(1, Ordering::SeqCst);
                        transaction = None;
                        refusal_text(code)
                    }
                    // This recipient is refused; the transaction goes on without it.
                    (Some(_), Some(code)) => {
                        shared.refused.fetch_add(1, Ordering::SeqCst);
                        recipient_refusal_text(code, &address)
                    }
                    (Some(Transaction { recipients, .. }), None) => {
                        recipients.push(
                            command
                                .split_once(':')
                                .map(|(_, rest)| rest.trim().to_owned())
                                .unwrap_or_default(),
                        );
                        "250 2.1.5 OK\r\n".into()
                    }
                }
            }
            "DATA" => {
                let Some(Transaction {
                    from,
                    recipients,
                    refused,
                }) = transaction.take()
                else {
                    if !say(&mut stream, b"503 5.5.1 RCPT first\r\n").await {
                        return None;
                    }
                    continue;
                };
                if recipients.is_empty() {
                    "554 5.5.1 No valid recipients\r\n".into()
                } else {
                    if !say(&mut stream, b"354 End data with <CR><LF>.<CR><LF>\r\n").await {
                        return None;
                    }
                    let data = read_data(&mut stream).await?;
                    let delay = shared.reply_delay_micros.load(Ordering::SeqCst);
                    if delay > 0 {
                        tokio::time::sleep(Duration::from_micros(delay)).await;
                    }
                    if let Some((Stage::Data, code)) = refused {
                        shared.refused.fetch_add(1, Ordering::SeqCst);
                        refusal_text(code)
                    } else {
                        shared.accepted.lock().unwrap().push(Received {
                            mail_from: from,
                            rcpt_to: recipients,
                            data,
                            authenticated,
                            encrypted,
                        });
                        "250 2.0.0 OK queued\r\n".into()
                    }
                }
            }
            _ => "500 5.5.2 Command not recognized\r\n".into(),
        };
        if !say(&mut stream, reply.as_bytes()).await {
            return None;
        }
    }
}

/// Writes `bytes` and flushes them (a TLS stream sends on flush); `false` if the client is gone.
async fn say<S: AsyncWrite + Unpin>(stream: &mut S, bytes: &[u8]) -> bool {
    stream.write_all(bytes).await.is_ok() && stream.flush().await.is_ok()
}

/// The TLS the server speaks, if any.
#[derive(Clone)]
struct ServerTls {
    acceptor: tokio_rustls::TlsAcceptor,
    implicit: bool,
}

/// One client connection: plain, TLS from the first byte, or upgraded by STARTTLS.
async fn connection(stream: TcpStream, shared: Arc<Shared>, tls: Option<ServerTls>) {
    match tls {
        None => {
            session(stream, shared, true, false, false).await;
        }
        Some(ServerTls {
            acceptor,
            implicit: true,
        }) => {
            if let Ok(stream) = acceptor.accept(stream).await {
                session(stream, shared, true, false, true).await;
            }
        }
        Some(ServerTls {
            acceptor,
            implicit: false,
        }) => {
            if let Some(stream) = session(stream, shared.clone(), true, true, false).await
                && let Ok(stream) = acceptor.accept(stream).await
            {
                session(stream, shared, false, false, true).await;
            }
        }
    }
}

/// Reads the lines after DATA up to the lone dot, undoing dot-stuffing.
async fn read_data<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        if line == b".\r\n" || line == b".\n" {
            return Some(data);
        }
        let unstuffed = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(unstuffed);
    }
}

/// A certificate authority and a certificate for `localhost` it issued, made with the
/// `openssl` command in a scratch folder (P-256 keys, valid two days).
struct TestAuthority {
    ca: CertificateDer<'static>,
    leaf: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

impl TestAuthority {
    fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("certif-test-tls-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let openssl = |args: &[&str]| {
            let output = std::process::Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("run openssl to make the test certificates");
            assert!(
                output.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        openssl(
            &[
                &["req", "-x509"][..],
                &ec,
                &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
                &["-subj", "/CN=certif test authority"],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req"][..],
                &ec,
                &[
                    "-keyout",
                    "leaf.key",
                    "-out",
                    "leaf.csr",
                    "-subj",
                    "/CN=localhost",
                ],
            ]
            .concat(),
        );
        std::fs::write(
            dir.join("leaf.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
        ]);
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
        let authority = Self {
            ca: CertificateDer::from_pem_slice(&read("ca.pem")).unwrap(),
            leaf: CertificateDer::from_pem_slice(&read("leaf.pem")).unwrap(),
            key: PrivateKeyDer::from_pem_slice(&read("leaf.key")).unwrap(),
        };
        let _ = std::fs::remove_dir_all(&dir);
        authority
    }
}
