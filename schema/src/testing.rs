//! The test harness: each test gets its own freshly migrated database, cloned from a template
//! that is migrated once per set of migrations, and dropped when the test ends.
//!
//! The server is found like the program finds it (`DATABASE_URL`, a server on the local socket,
//! or a private cluster under `target/test-postgres` that is left running for the next tests).
//! Only for tests: failures panic with a message saying what went wrong.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::config::{DEFAULT_SOCKET_DIRS, DatabaseConfig};
use crate::db::locate::{create_database_if_missing, quote_identifier, with_database};
use crate::db::{self, Pool, migrations};

/// The workspace's root folder.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default()
}

/// A database of its own for one test; dropped (with its connections) when this value drops.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    server_url: String,
    name: String,
}

static SERVER: OnceCell<String> = OnceCell::const_new();

/// A URL to the `postgres` database of the server the tests use (found once per process).
pub async fn server_url() -> String {
    SERVER
        .get_or_init(|| async {
            let config = DatabaseConfig {
                url: crate::config::read_var("DATABASE_URL").map(Into::into),
                socket_dirs: crate::config::read_var("CERTIF_PG_SOCKET_DIRS")
                    .unwrap_or_else(|| DEFAULT_SOCKET_DIRS.to_owned())
                    .split(':')
                    .map(PathBuf::from)
                    .collect(),
                private_cluster_dir: test_cluster_dir(),
                pool: crate::config::PoolConfig {
                    size: 4,
                    ..Default::default()
                },
            };
            let database = db::locate(&config)
                .await
                .unwrap_or_else(|error| panic!("no PostgreSQL for the tests: {error}"));
            let url = database.keep_running();
            with_database(&url, "postgres").expect("the database URL is a URL")
        })
        .await
        .clone()
}

/// Where the tests' private cluster lives when no server answers: under the system's temporary
/// folder (the `postgres` system user may not reach a clone in a private folder), one per
/// workspace.
fn test_cluster_dir() -> PathBuf {
    let workspace = workspace_dir();
    let digest = Sha256::digest(workspace.to_string_lossy().as_bytes());
    let suffix: String = digest
        .iter()
        .take(4)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    std::env::temp_dir().join(format!("certif-test-postgres-{suffix}"))
}

/// A test's commits do not wait for the WAL to reach the disk (`synchronous_commit = off`):
/// what a crash of the server would lose, no test looks at, and the scheduler's simulated year
/// commits tens of thousands of times. Every other guarantee (atomicity, isolation, locks) is
/// the same.
async fn relax_durability(conn: &mut diesel_async::AsyncPgConnection, name: &str) {
    diesel::sql_query(format!(
        "ALTER DATABASE {} SET synchronous_commit = off",
        quote_identifier(name)
    ))
    .execute(conn)
    .await
    .expect("set the test database's commit mode");
}

impl TestDatabase {
    /// Creates an empty, fully migrated database for this test.
    pub async fn new() -> Self {
        let server_url = server_url().await;
        let template = ensure_template(&server_url).await;
        let name = format!("certif_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = db::connect(&server_url)
            .await
            .expect("connect to the test server");
        diesel::sql_query(format!(
            "CREATE DATABASE {} TEMPLATE {}",
            quote_identifier(&name),
            quote_identifier(&template)
        ))
        .execute(&mut conn)
        .await
        .expect("create the test database from the template");
        relax_durability(&mut conn, &name).await;
        let url = with_database(&server_url, &name).expect("test database URL");
        Self {
            url,
            server_url,
            name,
        }
    }

    /// Creates an empty database without any migration (for migration tests).
    pub async fn empty() -> Self {
        let server_url = server_url().await;
        let name = format!("certif_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = db::connect(&server_url)
            .await
            .expect("connect to the test server");
        create_database_if_missing(&mut conn, &name, None)
            .await
            .expect("create an empty test database");
        relax_durability(&mut conn, &name).await;
        let url = with_database(&server_url, &name).expect("test database URL");
        Self {
            url,
            server_url,
            name,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> Pool {
        db::build_pool(
            &self.url,
            &crate::config::PoolConfig {
                size: 8,
                ..Default::default()
            },
        )
        .expect("build the test pool")
    }

    pub async fn connection(&self) -> diesel_async::AsyncPgConnection {
        db::connect(&self.url)
            .await
            .expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        // Drop may run inside a runtime: do the async work on a thread with its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for dropping the test database");
            runtime.block_on(async move {
                let mut conn = db::connect(&server_url).await?;
                diesel::sql_query(format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    quote_identifier(&name)
                ))
                .execute(&mut conn)
                .await?;
                Ok::<_, db::DbError>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop the test database {}: {error}", self.name);
        }
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The template database for the current migrations, created and migrated once (under an
/// advisory lock, so parallel test processes wait for the first one).
async fn ensure_template(server_url: &str) -> String {
    // Templates are per workspace, so that two checkouts sharing a server never drop each
    // other's template when their migrations differ.
    let prefix = format!("certif_template_{}_", workspace_fingerprint());
    let template = format!("{prefix}{}", migrations_fingerprint());
    let mut conn = db::connect(server_url)
        .await
        .expect("connect to the test server");
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(0x7465_6d70_6c74_i64)
        .execute(&mut conn)
        .await
        .expect("take the template lock");
    let existing: Vec<Name> = diesel::sql_query(
        "SELECT datname::text AS name FROM pg_database WHERE starts_with(datname, $1)",
    )
    .bind::<Text, _>(&prefix)
    .load(&mut conn)
    .await
    .expect("list templates");
    if !existing.iter().any(|found| found.name == template) {
        // Templates of older migrations are of no use any more.
        for stale in existing {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_identifier(&stale.name)
            ))
            .execute(&mut conn)
            .await;
        }
        let building = format!("{template}_building");
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_identifier(&building)
        ))
        .execute(&mut conn)
        .await;
        create_database_if_missing(&mut conn, &building, None)
            .await
            .expect("create the template database");
        let building_url = with_database(server_url, &building).expect("template URL");
        migrations::run_pending(&building_url)
            .await
            .unwrap_or_else(|error| panic!("migrating the template failed: {error}"));
        diesel::sql_query(format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_identifier(&building),
            quote_identifier(&template)
        ))
        .execute(&mut conn)
        .await
        .expect("publish the template");
    }
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(0x7465_6d70_6c74_i64)
        .execute(&mut conn)
        .await
        .expect("release the template lock");
    template
}

/// A short hash of the workspace's path.
fn workspace_fingerprint() -> String {
    let digest = Sha256::digest(workspace_dir().to_string_lossy().as_bytes());
    digest
        .iter()
        .take(3)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A short hash of every migration file, so a changed migration gets a new template.
fn migrations_fingerprint() -> String {
    let mut files = Vec::new();
    collect_files(&workspace_dir().join("migrations"), &mut files);
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).unwrap_or_default());
    }
    let digest = hasher.finalize();
    digest
        .iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// Writes an outbox row as it is, kind and data unchecked: for tests of what the dispatcher
/// does with a row written by an older version, or broken by hand (production code queues
/// typed messages with `OutboxMessage::enqueue`).
pub async fn enqueue_raw(
    conn: &mut diesel_async::AsyncPgConnection,
    kind: &str,
    recipient: &str,
    data: serde_json::Value,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::models::OutboxMessage {
    use crate::schema::outbox_messages;
    diesel::insert_into(outbox_messages::table)
        .values((
            outbox_messages::kind.eq(kind),
            outbox_messages::recipient.eq(recipient),
            outbox_messages::data.eq(data),
            outbox_messages::next_attempt_at.eq(now),
            outbox_messages::created_at.eq(now),
        ))
        .returning(crate::models::OutboxMessage::as_returning())
        .get_result(conn)
        .await
        .expect("an outbox row")
}
