//! Database faults provoked for real on a test database: each is classified as the table in
//! `schema::db::faults` says, the pool bounds every wait, and a connection that saw a fault a
//! new connection cures leaves the pool.

use std::time::{Duration, Instant};

use diesel::result::Error;
use diesel::sql_types::{Integer, Text};
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use schema::config::PoolConfig;
use schema::db::faults::{classify, classify_pool};
use schema::db::{Fault, Pool, build_pool};
use schema::testing::TestDatabase;

#[derive(diesel::QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

fn pool(db: &TestDatabase, adjust: impl FnOnce(&mut PoolConfig)) -> Pool {
    let mut config = PoolConfig {
        size: 2,
        ..Default::default()
    };
    adjust(&mut config);
    build_pool(db.url(), &config).unwrap()
}

async fn backend_pid(conn: &mut diesel_async::AsyncPgConnection) -> i32 {
    diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(conn)
        .await
        .unwrap()
        .pid
}

async fn setup_table(db: &TestDatabase) {
    let mut conn = db.connection().await;
    conn.batch_execute(
        "CREATE TABLE fault_probe (id integer PRIMARY KEY, n integer NOT NULL); INSERT INTO fault_probe VALUES (1, 0), (2, 0);",
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_connection_carries_the_configured_timeouts() {
    let db = TestDatabase::new().await;
    let pool = pool(&db, |config| {
        config.statement_timeout = Duration::from_millis(1500);
        config.lock_timeout = Duration::from_millis(700);
        config.idle_in_transaction_timeout = Duration::from_millis(9000);
    });
    let mut conn = pool.get().await.unwrap();
    let show = |name: &'static str| {
        diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
    };
    let value = |setting: Setting| setting.value;
    assert_eq!(
        value(
            show("statement_timeout")
                .get_result(&mut conn)
                .await
                .unwrap()
        ),
        "1500ms"
    );
    assert_eq!(
        value(show("lock_timeout").get_result(&mut conn).await.unwrap()),
        "700ms"
    );
    assert_eq!(
        value(
            show("idle_in_transaction_session_timeout")
                .get_result(&mut conn)
                .await
                .unwrap()
        ),
        "9s"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_past_its_timeout_is_a_timeout_and_the_connection_stays() {
    let db = TestDatabase::new().await;
    let pool = pool(&db, |config| {
        config.statement_timeout = Duration::from_millis(300);
        config.size = 1;
    });
    let mut conn = pool.get().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    let started = Instant::now();
    let error = diesel::sql_query("SELECT pg_sleep(3)")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(classify(&error), Some(Fault::Timeout), "{error:?}");
    drop(conn);
    let mut again = pool.get().await.unwrap();
    assert_eq!(
        backend_pid(&mut again).await,
        pid,
        "a timeout keeps the connection"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lock_wait_past_its_timeout_is_a_timeout() {
    let db = TestDatabase::new().await;
    setup_table(&db).await;
    let mut holder = db.connection().await;
    holder
        .batch_execute("BEGIN; SELECT * FROM fault_probe WHERE id = 1 FOR UPDATE;")
        .await
        .unwrap();
    let pool = pool(&db, |config| {
        config.lock_timeout = Duration::from_millis(200)
    });
    let mut conn = pool.get().await.unwrap();
    let started = Instant::now();
    let error = diesel::sql_query("UPDATE fault_probe SET n = n + 1 WHERE id = 1")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(classify(&error), Some(Fault::Timeout), "{error:?}");
    holder.batch_execute("ROLLBACK").await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn serialization_failures_and_deadlocks_are_contention() {
    let db = TestDatabase::new().await;
    setup_table(&db).await;
    let mut first = db.connection().await;
    let mut second = db.connection().await;

    // 40001: a repeatable-read transaction updates a row changed since its snapshot.
    first
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT * FROM fault_probe;")
        .await
        .unwrap();
    second
        .batch_execute("UPDATE fault_probe SET n = n + 1 WHERE id = 1")
        .await
        .unwrap();
    let error = first
        .batch_execute("UPDATE fault_probe SET n = n + 1 WHERE id = 1")
        .await
        .unwrap_err();
    assert_eq!(classify(&error), Some(Fault::Contention), "{error:?}");
    first.batch_execute("ROLLBACK").await.unwrap();

    // 40P01: two transactions lock two rows in opposite orders.
    first
        .batch_execute("BEGIN; UPDATE fault_probe SET n = n + 1 WHERE id = 1;")
        .await
        .unwrap();
    second
        .batch_execute("BEGIN; UPDATE fault_probe SET n = n + 1 WHERE id = 2;")
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        first.batch_execute("UPDATE fault_probe SET n = n + 1 WHERE id = 2"),
        second.batch_execute("UPDATE fault_probe SET n = n + 1 WHERE id = 1"),
    );
    let error = match (a, b) {
        (Err(error), Ok(())) | (Ok(()), Err(error)) => error,
        other => panic!("one side of the deadlock must fail: {other:?}"),
    };
    assert_eq!(classify(&error), Some(Fault::Contention), "{error:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_write_is_read_only_and_its_connection_leaves_the_pool() {
    let db = TestDatabase::new().await;
    setup_table(&db).await;
    let pool = pool(&db, |config| config.size = 1);
    let mut conn = pool.get().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    // As a session opened on a standby, or under a setting lifted since, would be.
    conn.batch_execute("SET default_transaction_read_only = on")
        .await
        .unwrap();
    let error = diesel::sql_query("UPDATE fault_probe SET n = n + 1")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert_eq!(classify(&error), Some(Fault::ReadOnly), "{error:?}");
    drop(conn);
    let mut again = pool.get().await.unwrap();
    assert_ne!(
        backend_pid(&mut again).await,
        pid,
        "the read-only connection was replaced"
    );
    diesel::sql_query("UPDATE fault_probe SET n = n + 1")
        .execute(&mut again)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ended_by_the_server_is_unreachable_and_replaced() {
    let db = TestDatabase::new().await;
    let pool = pool(&db, |config| config.size = 1);
    let mut conn = pool.get().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    let mut admin = db.connection().await;
    let sleeping = diesel::sql_query("SELECT pg_sleep(5)").execute(&mut conn);
    let terminate = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        diesel::sql_query(format!("SELECT pg_terminate_backend({pid})"))
            .execute(&mut admin)
            .await
            .unwrap();
    };
    let (error, ()) = tokio::join!(sleeping, terminate);
    let error = error.unwrap_err();
    assert_eq!(classify(&error), Some(Fault::Unreachable), "{error:?}");
    drop(conn);
    let mut again = pool.get().await.unwrap();
    assert_ne!(backend_pid(&mut again).await, pid);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_left_unanswered_is_given_up_by_the_watchdog() {
    let db = TestDatabase::new().await;
    let pool = pool(&db, |config| {
        config.statement_timeout = Duration::from_millis(300);
        config.size = 1;
    });
    let mut conn = pool.get().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    // The server no longer bounds this statement, as a frozen server would not.
    conn.batch_execute("SET statement_timeout = 0")
        .await
        .unwrap();
    let started = Instant::now();
    let error = diesel::sql_query("SELECT pg_sleep(10)")
        .execute(&mut conn)
        .await
        .unwrap_err();
    let waited = started.elapsed();
    let bound = Duration::from_millis(300) + schema::config::RESPONSE_GRACE;
    assert!(
        waited >= bound && waited < bound + Duration::from_secs(1),
        "given up after {waited:?}, the bound is {bound:?}"
    );
    assert_eq!(classify(&error), Some(Fault::Unreachable), "{error:?}");
    drop(conn);
    let mut again = pool.get().await.unwrap();
    assert_ne!(backend_pid(&mut again).await, pid);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checkout_waits_at_most_its_timeout() {
    let db = TestDatabase::new().await;
    let pool = pool(&db, |config| {
        config.size = 1;
        config.checkout_timeout = Duration::from_millis(300);
    });
    let _held = pool.get().await.unwrap();
    let started = Instant::now();
    let Err(error) = pool.get().await else {
        panic!("no connection was expected")
    };
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(classify_pool(&error), Some(Fault::Unreachable), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_is_not_there_is_unreachable_at_once() {
    let missing = std::env::temp_dir().join(format!("no-server-{}", uuid::Uuid::new_v4()));
    let url = schema::db::locate::socket_url(&missing, 5432, "postgres", "certif");
    let pool = build_pool(&url, &PoolConfig::default()).unwrap();
    let started = Instant::now();
    let Err(error) = pool.get().await else {
        panic!("no connection was expected")
    };
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(classify_pool(&error), Some(Fault::Unreachable), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn other_errors_are_not_faults() {
    let db = TestDatabase::new().await;
    setup_table(&db).await;
    let pool = pool(&db, |_| {});
    let mut conn = pool.get().await.unwrap();
    let duplicate = diesel::sql_query("INSERT INTO fault_probe VALUES (1, 0)")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert_eq!(classify(&duplicate), None, "{duplicate:?}");
    let syntax = diesel::sql_query("SELEC 1")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert_eq!(classify(&syntax), None, "{syntax:?}");
    assert_eq!(classify(&Error::NotFound), None);
    // A transaction failing on a bug leaves a healthy connection in the pool.
    let pid = backend_pid(&mut conn).await;
    let failed = conn
        .transaction::<(), Error, _>(async |conn| {
            diesel::sql_query("INSERT INTO fault_probe VALUES (2, 0)")
                .execute(conn)
                .await?;
            Ok(())
        })
        .await;
    assert!(failed.is_err());
    drop(conn);
    let mut again = pool.get().await.unwrap();
    assert_eq!(backend_pid(&mut again).await, pid);
}
