//! The SMTP client: lettre's `AsyncSmtpConnection` (greeting, EHLO, STARTTLS, AUTH and the
//! mail transaction) driven over TCP streams this module opens itself, with `TCP_NODELAY`,
//! kept open between messages in a small pool.
//!
//! Why not lettre's `AsyncSmtpTransport`: lettre 0.11 writes a message's body and the final
//! `\r\n.\r\n` in two writes and never sets `TCP_NODELAY`, so Nagle's algorithm holds the
//! second write until the server acknowledges the first, and the server, which has nothing to
//! answer before the final dot, delays that acknowledgement (40 ms on Linux): every message
//! waited 40 ms, whatever the server (71–86 messages/s on loopback). lettre's transport offers
//! no way to hand it a socket, but its connection takes any stream
//! (`AsyncSmtpConnection::connect_with_transport`), so the TCP (and implicit TLS) part is
//! opened here and the SMTP conversation stays lettre's. Its pool also sent a `NOOP` before
//! every message; here a connection is checked with one only after it sat idle.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters, TlsParametersBuilder,
};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::ServerName;

/// Ports when the URL names none (as lettre): SMTP, submission with STARTTLS, implicit TLS.
const SMTP_PORT: u16 = 25;
const SUBMISSION_PORT: u16 = 587;
const SUBMISSIONS_PORT: u16 = 465;
/// A connection idle this long is closed rather than reused (servers close theirs after a
/// few minutes; RFC 5321 asks them to wait at least 5).
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A connection idle this long is checked with a `NOOP` before a message; one used more
/// recently is trusted (a busy dispatcher never pays the round trip).
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(2);

/// Why the client cannot be built from the URL (at start).
#[derive(Debug, thiserror::Error)]
pub enum SmtpSetupError {
    #[error("the URL is not understood: {0}")]
    Url(String),
    #[error("the TLS settings cannot be built: {0}")]
    Starttls(#[source] lettre::transport::smtp::Error),
    #[error("the TLS settings cannot be built: {0}")]
    Tls(#[from] rustls::Error),
    #[error("the host is not a valid name for TLS: {0}")]
    ServerName(#[from] rustls::pki_types::InvalidDnsNameError),
}

/// Why a message was not sent. Only a refusal of the mail transaction with a 5xx reply is
/// permanent: trying again would get the same answer.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// The server could not be reached, or the TCP or TLS connection failed.
    #[error("cannot connect to the mail server: {0}")]
    Connect(#[source] io::Error),
    /// The session could not be set up: greeting, EHLO, STARTTLS or authentication.
    #[error("the session with the mail server could not be set up: {0}")]
    Session(#[source] lettre::transport::smtp::Error),
    /// The mail transaction (MAIL, RCPT, DATA, the message) failed or was refused.
    #[error("{0}")]
    Transaction(#[source] lettre::transport::smtp::Error),
}

impl SmtpError {
    /// A 5xx answer to the transaction: the server will not take this message.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Transaction(error) if error.is_permanent())
    }
}

/// How the connection is protected, from the URL.
#[derive(Clone)]
enum Security {
    /// `smtp://…` with `tls=none` (plain, loopback or no credentials: checked by the config).
    None,
    /// `smtp://…?tls=opportunistic`: STARTTLS when the server offers it.
    Opportunistic(TlsParameters),
    /// `smtp://…?tls=required` (the default): STARTTLS, or no session.
    Required(TlsParameters),
    /// `smtps://…`: TLS from the first byte.
    Implicit {
        connector: TlsConnector,
        name: ServerName<'static>,
    },
}

/// A connection waiting for its next message.
struct Idle {
    connection: AsyncSmtpConnection,
    since: Instant,
}

/// Sends messages through one server, over at most `max_idle` kept connections. Cheap to
/// clone; clones share the connections.
#[derive(Clone)]
pub struct SmtpClient {
    inner: Arc<Inner>,
}

struct Inner {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    connect_timeout: Duration,
    max_idle: usize,
    idle: Mutex<Vec<Idle>>,
}

impl SmtpClient {
    /// Reads a URL in lettre's form (as `config::parse_smtp_url` writes it); `connect_timeout`
    /// bounds opening the TCP connection, `max_idle` the connections kept between messages.
    pub fn from_url(
        url: &str,
        connect_timeout: Duration,
        max_idle: usize,
    ) -> Result<Self, SmtpSetupError> {
        Self::build(url, connect_timeout, max_idle, None)
    }

    /// `from_url`, also trusting the certificate authority `root` (DER): for the tests' TLS
    /// server on loopback.
    #[cfg(feature = "testing")]
    pub fn from_url_trusting(
        url: &str,
        connect_timeout: Duration,
        max_idle: usize,
        root: &[u8],
    ) -> Result<Self, SmtpSetupError> {
        Self::build(url, connect_timeout, max_idle, Some(root))
    }

    fn build(
        url: &str,
        connect_timeout: Duration,
        max_idle: usize,
        extra_root: Option<&[u8]>,
    ) -> Result<Self, SmtpSetupError> {
        let url = url::Url::parse(url).map_err(|error| SmtpSetupError::Url(error.to_string()))?;
        let host = url
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| SmtpSetupError::Url("the URL names no host".to_owned()))?
            .trim_matches(['[', ']'])
            .to_owned();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let starttls = || {
            let mut parameters = TlsParametersBuilder::new(host.clone());
            if let Some(root) = extra_root {
                let root =
                    Certificate::from_der(root.to_vec()).map_err(SmtpSetupError::Starttls)?;
                parameters = parameters.add_root_certificate(root);
            }
            parameters.build().map_err(SmtpSetupError::Starttls)
        };
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::None, SMTP_PORT),
            ("smtp", Some("required")) => (Security::Required(starttls()?), SUBMISSION_PORT),
            ("smtp", Some("opportunistic")) => {
                (Security::Opportunistic(starttls()?), SUBMISSION_PORT)
            }
            ("smtps", _) => {
                let name = ServerName::try_from(host.clone())?;
                let mut config = tls_client_config()?;
                if let Some(root) = extra_root {
                    let mut roots = rustls::RootCertStore {
                        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                    };
                    roots.add(rustls::pki_types::CertificateDer::from(root.to_vec()))?;
                    config = tls_client_config_with(roots)?;
                }
                let connector = TlsConnector::from(Arc::new(config));
                (Security::Implicit { connector, name }, SUBMISSIONS_PORT)
            }
            (scheme, tls) => {
                return Err(SmtpSetupError::Url(format!(
                    "unknown scheme {scheme:?} or tls parameter {tls:?}"
                )));
            }
        };
        // As lettre: the URL's path, if any, is the name given in EHLO.
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        let decode = |part: &str| {
            percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .map(|decoded| decoded.into_owned())
                .map_err(|_| SmtpSetupError::Url("the credentials are not UTF-8".to_owned()))
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                port: url.port().unwrap_or(default_port),
                host,
                security,
                credentials,
                hello,
                connect_timeout,
                max_idle: max_idle.max(1),
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Sends one message (`bytes`, as formatted) to the envelope's recipients, on a kept
    /// connection or a new one. A connection that failed is dropped; one that succeeded is
    /// kept for the next message. Bound the call with a timeout: dropping it mid-way drops
    /// the connection too.
    pub async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), SmtpError> {
        let mut connection = match self.reuse().await {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let sent = connection.send(envelope, bytes).await;
        match sent {
            Ok(_) => {
                self.keep(connection);
                Ok(())
            }
            Err(error) => {
                // lettre has already said QUIT and closed it on an error answer.
                if !connection.has_broken() {
                    connection.abort().await;
                }
                Err(SmtpError::Transaction(error))
            }
        }
    }

    /// A kept connection that still works, if any.
    async fn reuse(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let idle = {
                let mut idle = self.lock_idle();
                idle.retain(|connection| connection.since.elapsed() < IDLE_TIMEOUT);
                idle.pop()?
            };
            let mut connection = idle.connection;
            if idle.since.elapsed() < CHECK_AFTER_IDLE || connection.test_connected().await {
                return Some(connection);
            }
            connection.abort().await;
        }
    }

    fn keep(&self, connection: AsyncSmtpConnection) {
        let mut idle = self.lock_idle();
        if idle.len() < self.inner.max_idle {
            idle.push(Idle {
                connection,
                since: Instant::now(),
            });
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        // The lock is never held across an await or a panic-prone call: a poisoned lock
        // still holds a valid list.
        self.inner
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Opens a connection: TCP with `TCP_NODELAY`, TLS when implicit, then lettre's greeting
    /// and EHLO, STARTTLS as configured, and authentication when credentials are given.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let inner = &self.inner;
        let tcp = tokio::time::timeout(inner.connect_timeout, open_tcp(&inner.host, inner.port))
            .await
            .map_err(|_| {
                SmtpError::Connect(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection timed out",
                ))
            })?
            .map_err(SmtpError::Connect)?;
        let stream: Box<dyn AsyncTokioStream> = match &inner.security {
            Security::Implicit { connector, name } => Box::new(ImplicitTls(
                connector
                    .connect(name.clone(), tcp)
                    .await
                    .map_err(SmtpError::Connect)?,
            )),
            _ => Box::new(tcp),
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &inner.hello)
            .await
            .map_err(SmtpError::Session)?;
        match &inner.security {
            Security::Required(tls) => connection.starttls(tls.clone(), &inner.hello).await,
            Security::Opportunistic(tls) if connection.can_starttls() => {
                connection.starttls(tls.clone(), &inner.hello).await
            }
            _ => Ok(()),
        }
        .map_err(SmtpError::Session)?;
        if let Some(credentials) = &inner.credentials {
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(SmtpError::Session)?;
        }
        Ok(connection)
    }
}

/// Connects to the first address of `host` that answers, with `TCP_NODELAY`: SMTP is a
/// conversation of short writes each waiting for an answer, which Nagle's algorithm only delays.
async fn open_tcp(host: &str, port: u16) -> io::Result<TcpStream> {
    let mut last = None;
    for addr in tokio::net::lookup_host((host, port)).await? {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("{host} resolves to no address"),
        )
    }))
}

/// The TLS settings of implicit TLS, those lettre uses for STARTTLS: rustls with the ring
/// provider, TLS 1.2 or 1.3, the webpki roots. Shared with the chat webhook's client.
pub(crate) fn tls_client_config() -> Result<rustls::ClientConfig, rustls::Error> {
    tls_client_config_with(rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    })
}

fn tls_client_config_with(
    roots: rustls::RootCertStore,
) -> Result<rustls::ClientConfig, rustls::Error> {
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth())
}

/// A TLS stream lettre can talk over (its trait wants the peer's address).
#[derive(Debug)]
struct ImplicitTls(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for ImplicitTls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
