//! The connection pool, where every wait on the database is bounded:
//!
//! - a checkout (a free connection, its health check, or a new one) takes at most
//!   `checkout_timeout`, opening a connection `connect_timeout`, the health check
//!   `recycle_timeout`;
//! - each connection runs with PostgreSQL's `statement_timeout`, `lock_timeout` and
//!   `idle_in_transaction_session_timeout`, set when it opens;
//! - a watchdog gives up a connection whose statement has had no answer for
//!   `statement_timeout` + [`RESPONSE_GRACE`](crate::config::RESPONSE_GRACE): a server that is
//!   frozen (stopped processes, a host gone) cannot time out by itself. Closing the connection
//!   fails the statement (a fault, `Unreachable`), and a transaction whose `COMMIT` was not sent
//!   yet is rolled back by the server when it sees the connection closed;
//! - TCP keepalives (unless `DATABASE_URL` sets its own) notice a vanished server on idle
//!   connections.
//!
//! A connection leaves the pool when it is broken, when a statement on it failed of a fault
//! that a new connection cures ([`Fault::discards_connection`]: lost, or read-only), when its
//! health check at checkout fails, or when that check finds it read-only (see
//! [`READ_ONLY_RENEWAL`]): diesel-async reports the errors of statements that return rows
//! (`SELECT`, `RETURNING`) to the caller only, not to the connection's instrumentation.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use deadpool::managed::{Hook, HookError, TimeoutType};
use diesel::ConnectionResult;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::ConnectionError;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;

use super::DbError;
use super::faults::{self, Fault};
use crate::config::PoolConfig;

type Inner = diesel_async::pooled_connection::deadpool::Pool<AsyncPgConnection>;
/// A connection borrowed from the pool.
pub type PooledConnection = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;
/// Why no connection could be borrowed ([`faults::classify_pool`] says which fault it is).
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// A pool of async PostgreSQL connections; cheap to clone.
#[derive(Clone)]
pub struct Pool {
    inner: Inner,
    checkout_timeout: Duration,
    statements: Arc<StatementCount>,
}

/// How many statements the connections of one pool have sent, and how many of them had to be
/// prepared (parsed) by the server because diesel had not cached them yet. Health checks are
/// not counted. Tests read it to keep the statement cost of each request in check; it is per
/// pool, so tests running at once do not count each other's statements.
///
/// It also keeps when the pool last opened a connection that accepts writes: a pooled
/// connection still read-only and opened before that is stale (its session kept a read-only
/// setting since lifted) and is renewed at its next checkout, whatever its age.
#[derive(Debug, Default)]
pub struct StatementCount {
    sent: AtomicU64,
    prepared: AtomicU64,
    /// Milliseconds after [`epoch`] when the last writable connection opened (0: none yet).
    writable_opened_ms: AtomicU64,
}

/// The instant the pools' clocks count from (the first use in this process).
fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// A reading of [`StatementCount`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Statements {
    pub sent: u64,
    pub prepared: u64,
}

impl std::ops::Sub for Statements {
    type Output = Self;

    fn sub(self, earlier: Self) -> Self {
        Self {
            sent: self.sent - earlier.sent,
            prepared: self.prepared - earlier.prepared,
        }
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("status", &self.inner.status())
            .field("checkout_timeout", &self.checkout_timeout)
            .finish()
    }
}

impl Pool {
    /// A connection, within the checkout timeout. deadpool bounds each step (waiting for a
    /// slot, each health check, opening a connection) but not their sum, so the sum is bounded
    /// here.
    pub async fn get(&self) -> Result<PooledConnection, PoolError> {
        match tokio::time::timeout(self.checkout_timeout, self.inner.get()).await {
            Ok(result) => result,
            Err(_) => Err(PoolError::Timeout(TimeoutType::Wait)),
        }
    }

    /// Closes the pool: waiting and later checkouts fail.
    pub fn close(&self) {
        self.inner.close();
    }

    /// The bound of [`Self::get`].
    pub fn checkout_timeout(&self) -> Duration {
        self.checkout_timeout
    }

    /// How many connections are open and free.
    pub fn status(&self) -> deadpool::managed::Status {
        self.inner.status()
    }

    /// The statements sent so far through this pool's connections (health checks aside).
    pub fn statements(&self) -> Statements {
        Statements {
            sent: self.statements.sent.load(Ordering::SeqCst),
            prepared: self.statements.prepared.load(Ordering::SeqCst),
        }
    }
}

/// Builds the connection pool. Connections open lazily, so open one with [`super::connect`]
/// (or run the migrations) first to fail early with a clear message.
pub fn build_pool(url: &str, config: &PoolConfig) -> Result<Pool, DbError> {
    let settings = Arc::new(config.clone());
    let statements = Arc::new(StatementCount::default());
    let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
    let counter = Arc::clone(&statements);
    manager_config.custom_setup = Box::new(move |url| {
        let settings = Arc::clone(&settings);
        let counter = Arc::clone(&counter);
        let url = url.to_owned();
        async move { establish(&url, &settings, counter).await }.boxed()
    });
    manager_config.recycling_method = if config.verify_on_checkout {
        RecyclingMethod::CustomFunction(Box::new(|conn| check_on_checkout(conn).boxed()))
    } else {
        RecyclingMethod::Fast
    };
    let manager = AsyncDieselConnectionManager::new_with_config(url, manager_config);
    let inner = Inner::builder(manager)
        .max_size(config.size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(config.checkout_timeout))
        .create_timeout(Some(config.connect_timeout))
        .recycle_timeout(Some(config.recycle_timeout))
        .pre_recycle(Hook::sync_fn(|conn: &mut AsyncPgConnection, _| {
            match watch_of(conn) {
                Some(watch) if watch.discarded.load(Ordering::SeqCst) => Err(HookError::message(
                    "the connection saw a fault that a new connection cures",
                )),
                Some(watch) => {
                    // Whatever a dropped request left unanswered is no longer waited for
                    // by anyone: the watchdog measures the next borrower's statements.
                    watch.in_flight.store(0, Ordering::SeqCst);
                    Ok(())
                }
                None => Ok(()),
            }
        }))
        .build()
        .map_err(|error| DbError::Pool(error.to_string()))?;
    Ok(Pool {
        inner,
        checkout_timeout: config.checkout_timeout,
        statements,
    })
}

/// A read-only connection older than this is replaced when it is handed out: it may be stuck
/// read-only (a session on a demoted server, or under a setting since lifted) while a new
/// connection would be writable. Younger ones are kept, so that a database read-only for a
/// while costs at most one new connection per pooled connection and per second — unless the
/// pool has since opened a writable connection, which shows they are stale: they are renewed
/// at once.
pub const READ_ONLY_RENEWAL: Duration = Duration::from_secs(1);

/// A connection whose last statement was answered this recently is handed out without a
/// health check: under load no checkout costs a round trip, while a connection that sat idle
/// (when a lost server or a failover is likely to have gone unnoticed) is checked first. A
/// fault on a connection handed out unchecked still discards it ([`Fault::discards_connection`]).
pub const FRESH_CONNECTION: Duration = Duration::from_secs(2);

/// The health check of a pooled connection before it is handed out, in the one round trip
/// deadpool's usual `SELECT 1` costs: it answers, and it is not stuck read-only. Skipped for a
/// connection answered within [`FRESH_CONNECTION`].
async fn check_on_checkout(conn: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    use diesel::sql_types::Bool;
    use diesel_async::RunQueryDsl;

    let Some(watch) = watch_of(conn) else {
        return Ok(());
    };
    if watch.answered_within(FRESH_CONNECTION)
        && !AtomicBool::load(&watch.read_only, Ordering::SeqCst)
    {
        return Ok(());
    }
    watch.checking.store(true, Ordering::SeqCst);
    let read_only = diesel::select(diesel::dsl::sql::<Bool>(
        "current_setting('transaction_read_only')::boolean",
    ))
    .get_result::<bool>(conn)
    .await;
    watch.checking.store(false, Ordering::SeqCst);
    let read_only = read_only?;
    watch.read_only.store(read_only, Ordering::SeqCst);
    let stale =
        watch.opened_ms < AtomicU64::load(&watch.statements.writable_opened_ms, Ordering::SeqCst);
    if read_only && (stale || watch.origin.elapsed() >= READ_ONLY_RENEWAL) {
        return Err(diesel::result::Error::QueryBuilderError(
            "a read-only connection is renewed".into(),
        ));
    }
    Ok(())
}

/// Whether a connection borrowed a moment ago may serve another statement of the same request
/// without going back through the pool: it saw no fault that discards it, and no transaction
/// was left half-done on it (a cancelled request).
pub fn still_usable(conn: &mut PooledConnection) -> bool {
    use diesel_async::pooled_connection::PoolableConnection;

    let conn: &mut AsyncPgConnection = conn;
    !conn.is_broken() && watch_of(conn).is_none_or(|watch| !watch.discarded.load(Ordering::SeqCst))
}

/// Records that `conn` was found read-only (by a statement that read `transaction_read_only`):
/// it is health-checked at every checkout from now on, and renewed once writes are accepted.
pub fn saw_read_only(conn: &mut AsyncPgConnection) {
    if let Some(watch) = watch_of(conn) {
        watch.read_only.store(true, Ordering::SeqCst);
    }
}

/// Takes a connection out of the pool for good (it closes when dropped), for a caller that
/// found it unfit, e.g. read-only.
pub fn discard(conn: PooledConnection) {
    drop(deadpool::managed::Object::take(conn));
}

/// TCP keepalives, unless `DATABASE_URL` sets its own: probe an idle connection after 30 s,
/// then every 10 s, and give it up after 3 unanswered probes; give up a connection whose sent
/// data is not acknowledged within 30 s.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
const KEEPALIVE_RETRIES: u32 = 3;
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);
/// tokio-postgres's default keepalive idle time, which means « not set in the URL ».
const LIBRARY_KEEPALIVE_IDLE: Duration = Duration::from_secs(2 * 60 * 60);

/// Opens a connection with the bounds of `settings` and its watchdog.
async fn establish(
    url: &str,
    settings: &PoolConfig,
    statements: Arc<StatementCount>,
) -> ConnectionResult<AsyncPgConnection> {
    let mut config: tokio_postgres::Config =
        url.parse().map_err(|error: tokio_postgres::Error| {
            ConnectionError::InvalidConnectionUrl(error.to_string())
        })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(settings.connect_timeout);
    }
    if config.get_keepalives() && config.get_keepalives_idle() == LIBRARY_KEEPALIVE_IDLE {
        config.keepalives_idle(KEEPALIVE_IDLE);
    }
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(KEEPALIVE_INTERVAL);
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(KEEPALIVE_RETRIES);
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(TCP_USER_TIMEOUT);
    }
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .map_err(|error| ConnectionError::BadConnection(error.to_string()))?;
    let watch = Arc::new(Watch::new(statements));
    tokio::spawn(drive(
        connection,
        Arc::clone(&watch),
        settings.response_timeout(),
    ));
    let mut conn = AsyncPgConnection::try_from(client).await?;
    // The set-up statements are not counted, like health checks.
    watch.checking.store(true, Ordering::SeqCst);
    conn.set_instrumentation(Watcher(Arc::clone(&watch)));
    conn.batch_execute(&format!(
        "SET statement_timeout = {}; SET lock_timeout = {}; SET idle_in_transaction_session_timeout = {}",
        settings.statement_timeout.as_millis(),
        settings.lock_timeout.as_millis(),
        settings.idle_in_transaction_timeout.as_millis(),
    ))
    .await
    .map_err(ConnectionError::CouldntSetupConfiguration)?;
    // A connection opened read-only (a standby, a read-only database) is checked at every
    // checkout, so that it is renewed as soon as writes are accepted again.
    let read_only = {
        use diesel_async::RunQueryDsl;
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "current_setting('transaction_read_only')::boolean",
        ))
        .get_result::<bool>(&mut conn)
        .await
        .map_err(ConnectionError::CouldntSetupConfiguration)?
    };
    watch.read_only.store(read_only, Ordering::SeqCst);
    if !read_only {
        watch
            .statements
            .writable_opened_ms
            .fetch_max(watch.opened_ms, Ordering::SeqCst);
    }
    watch.checking.store(false, Ordering::SeqCst);
    Ok(conn)
}

/// What the watchdog of one connection knows: statements without an answer yet, and since when
/// the connection made no progress.
#[derive(Debug)]
struct Watch {
    origin: Instant,
    /// `origin`, in milliseconds after [`epoch`] (at least 1).
    opened_ms: u64,
    in_flight: AtomicUsize,
    /// Milliseconds after `origin` of the last statement sent or answered.
    progress_ms: AtomicU64,
    /// The connection saw a fault that a new connection cures: close it, never hand it out.
    discarded: AtomicBool,
    close: tokio::sync::Notify,
    /// The health check or the connection's set-up runs: its statements are not counted.
    checking: AtomicBool,
    /// The connection was found read-only (when it opened, or since): it is checked at every
    /// checkout, however recently it answered.
    read_only: AtomicBool,
    /// Milliseconds after `origin` of the last answer (none yet: `u64::MAX`).
    answered_ms: AtomicU64,
    statements: Arc<StatementCount>,
}

impl Watch {
    fn new(statements: Arc<StatementCount>) -> Self {
        let origin = Instant::now();
        Self {
            origin,
            opened_ms: (origin.duration_since(epoch()).as_millis() as u64).max(1),
            in_flight: AtomicUsize::new(0),
            progress_ms: AtomicU64::new(0),
            discarded: AtomicBool::new(false),
            close: tokio::sync::Notify::new(),
            checking: AtomicBool::new(false),
            read_only: AtomicBool::new(false),
            answered_ms: AtomicU64::new(u64::MAX),
            statements,
        }
    }

    /// Whether a statement was answered without error within `window`, none being in flight.
    fn answered_within(&self, window: Duration) -> bool {
        let answered = self.answered_ms.load(Ordering::SeqCst);
        answered != u64::MAX
            && self.in_flight.load(Ordering::SeqCst) == 0
            && self
                .origin
                .elapsed()
                .saturating_sub(Duration::from_millis(answered))
                < window
    }

    fn progress(&self) {
        self.progress_ms
            .store(self.origin.elapsed().as_millis() as u64, Ordering::SeqCst);
    }

    fn started(&self) {
        if !self.checking.load(Ordering::SeqCst) {
            self.statements.sent.fetch_add(1, Ordering::SeqCst);
        }
        if self.in_flight.fetch_add(1, Ordering::SeqCst) == 0 {
            self.progress();
        }
    }

    fn prepared(&self) {
        if !self.checking.load(Ordering::SeqCst) {
            self.statements.prepared.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn finished(&self, error: Option<&diesel::result::Error>) {
        let _ = self
            .in_flight
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |count| {
                Some(count.saturating_sub(1))
            });
        self.progress();
        if error.is_none() {
            self.answered_ms
                .store(self.origin.elapsed().as_millis() as u64, Ordering::SeqCst);
        }
        if let Some(fault) = error.and_then(faults::classify)
            && fault.discards_connection()
        {
            self.discard(fault);
        }
    }

    fn discard(&self, fault: Fault) {
        if !self.discarded.swap(true, Ordering::SeqCst) {
            tracing::info!(
                fault = fault.describe(),
                "A database connection saw a fault; it leaves the pool."
            );
            self.close.notify_one();
        }
    }

    /// How long statements have waited without any answer, when some do.
    fn stalled_for(&self) -> Option<Duration> {
        if self.in_flight.load(Ordering::SeqCst) == 0 {
            return None;
        }
        // Progress is kept to the millisecond, truncated: count from the end of that millisecond
        // so that a statement is never given up before its bound.
        let since = Duration::from_millis(self.progress_ms.load(Ordering::SeqCst) + 1);
        Some(self.origin.elapsed().saturating_sub(since))
    }
}

/// The diesel instrumentation that tells the watchdog when statements start and end.
struct Watcher(Arc<Watch>);

impl Instrumentation for Watcher {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => self.0.started(),
            InstrumentationEvent::FinishQuery { error, .. } => self.0.finished(error),
            InstrumentationEvent::CacheQuery { .. } => self.0.prepared(),
            _ => {}
        }
    }
}

/// The watch of a pooled connection opened by [`establish`].
fn watch_of(conn: &mut AsyncPgConnection) -> Option<Arc<Watch>> {
    conn.instrumentation()
        .downcast_ref::<Watcher>()
        .map(|watcher| Arc::clone(&watcher.0))
}

/// Drives a connection's socket until it ends, its connection is dropped, it saw a fault that
/// discards it, or a statement stayed unanswered for `response_timeout`.
async fn drive(
    connection: tokio_postgres::Connection<
        tokio_postgres::Socket,
        tokio_postgres::tls::NoTlsStream,
    >,
    watch: Arc<Watch>,
    response_timeout: Duration,
) {
    let mut connection = pin!(connection);
    let mut ticks = tokio::time::interval(
        (response_timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(1)),
    );
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            outcome = &mut connection => {
                if let Err(error) = outcome {
                    tracing::debug!(%error, "A database connection ended.");
                }
                // Ended by the server (a terminated backend, a restart): never hand it out
                // again, even unchecked as a recently used connection.
                watch.discarded.store(true, Ordering::SeqCst);
                return;
            }
            () = watch.close.notified() => return,
            _ = ticks.tick() => {
                // Only this task holds the watch: the connection was dropped.
                if Arc::strong_count(&watch) == 1 {
                    return;
                }
                if let Some(stalled) = watch.stalled_for()
                    && stalled >= response_timeout
                {
                    tracing::warn!(
                        waited_ms = stalled.as_millis() as u64,
                        "The database did not answer a statement in time; closing its connection."
                    );
                    watch.discarded.store(true, Ordering::SeqCst);
                    return;
                }
            }
        }
    }
}

/// Whether the database accepts writes: not a standby, and new transactions are not read-only.
pub async fn accepts_writes(conn: &mut AsyncPgConnection) -> diesel::QueryResult<bool> {
    use diesel::sql_types::Bool;
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Writable {
        #[diesel(sql_type = Bool)]
        writable: bool,
    }
    let row: Writable = diesel::sql_query(
        "SELECT NOT (pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean) AS writable",
    )
    .get_result(conn)
    .await?;
    Ok(row.writable)
}
