//! Finding the database certif runs on, in this order: `DATABASE_URL` when set; otherwise a
//! PostgreSQL server answering on the local socket (the `certif` database is created if
//! missing); otherwise a private cluster under `CERTIF_DATA_DIR/postgres`, started here.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use secrecy::ExposeSecret;

use super::cluster::{ClusterError, PrivateCluster};
use crate::config::DatabaseConfig;

/// The name of the database certif creates on a local server or private cluster.
pub const DATABASE_NAME: &str = "certif";

/// Where the database came from: logged at start, and decides what happens at exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseOrigin {
    /// `DATABASE_URL`.
    Configured,
    /// A server that was already answering on this socket directory.
    LocalServer { socket_dir: PathBuf, user: String },
    /// The private cluster in this directory.
    PrivateCluster { dir: PathBuf, started_here: bool },
}

impl std::fmt::Display for DatabaseOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Configured => write!(f, "DATABASE_URL"),
            Self::LocalServer { socket_dir, user } => write!(
                f,
                "the PostgreSQL server on the local socket in {} (as {user})",
                socket_dir.display()
            ),
            Self::PrivateCluster { dir, started_here } => write!(
                f,
                "the private cluster in {}{}",
                dir.display(),
                if *started_here {
                    ", started by this process"
                } else {
                    ", already running"
                }
            ),
        }
    }
}

/// The database to use, and the private cluster to stop at exit if this process started it.
#[derive(Debug)]
pub struct Database {
    url: String,
    pub origin: DatabaseOrigin,
    cluster: Option<PrivateCluster>,
}

impl Database {
    /// The connection URL; it may hold a password: never log it (see [`redact_url`]).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the private cluster if this process started it; a no-op otherwise.
    pub async fn shutdown(mut self) {
        if let Some(cluster) = self.cluster.take() {
            cluster.stop().await;
        }
    }

    /// Leaves the private cluster running after this value is dropped (the test harness shares
    /// one cluster between test processes).
    pub fn keep_running(mut self) -> String {
        if let Some(cluster) = self.cluster.take() {
            cluster.keep_running();
        }
        std::mem::take(&mut self.url)
    }
}

/// Why no database could be found or started.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    #[error(
        "no PostgreSQL server answers on the local socket (looked in {looked_in}) and none could be started: {cause}. Install PostgreSQL (for example `apt install postgresql`) or set DATABASE_URL"
    )]
    NothingAvailable {
        looked_in: String,
        cause: ClusterError,
    },
    #[error("the database {DATABASE_NAME:?} could not be created on {origin}: {reason}")]
    CreateDatabase { origin: String, reason: String },
}

/// Finds (or starts) the database as the module documentation says.
pub async fn locate(config: &DatabaseConfig) -> Result<Database, LocateError> {
    if let Some(url) = &config.url {
        return Ok(Database {
            url: url.expose_secret().to_owned(),
            origin: DatabaseOrigin::Configured,
            cluster: None,
        });
    }
    if let Some((socket_dir, port, user)) = find_local_server(&config.socket_dirs).await {
        let origin = DatabaseOrigin::LocalServer {
            socket_dir: socket_dir.clone(),
            user: user.clone(),
        };
        let url = socket_url(&socket_dir, port, &user, DATABASE_NAME);
        ensure_database(&socket_url(&socket_dir, port, &user, "postgres"), &origin).await?;
        return Ok(Database {
            url,
            origin,
            cluster: None,
        });
    }
    let cluster = PrivateCluster::start(&config.private_cluster_dir)
        .await
        .map_err(|cause| LocateError::NothingAvailable {
            looked_in: config
                .socket_dirs
                .iter()
                .map(|dir| dir.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            cause,
        })?;
    let origin = DatabaseOrigin::PrivateCluster {
        dir: config.private_cluster_dir.clone(),
        started_here: cluster.started_here(),
    };
    ensure_database(&cluster.url("postgres"), &origin).await?;
    Ok(Database {
        url: cluster.url(DATABASE_NAME),
        origin,
        cluster: Some(cluster),
    })
}

/// A URL reaching `database` through the Unix socket in `socket_dir`.
pub fn socket_url(socket_dir: &Path, port: u16, user: &str, database: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("host", &socket_dir.display().to_string())
        .append_pair("port", &port.to_string())
        .append_pair("user", user)
        .finish();
    format!("postgresql:///{database}?{query}")
}

/// The same URL with `database` instead of its database.
pub fn with_database(url: &str, database: &str) -> Option<String> {
    let mut parsed = url::Url::parse(url).ok()?;
    parsed.set_path(database);
    Some(parsed.to_string())
}

/// Checks that a URL is one the PostgreSQL driver understands; the reason otherwise.
pub fn check_url(url: &str) -> Result<(), String> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err("it must start with postgres:// or postgresql://".to_owned());
    }
    tokio_postgres::Config::from_str(url)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(an unparseable URL)".to_owned(),
    }
}

/// The first socket directory where a server accepts one of the candidate user names.
async fn find_local_server(socket_dirs: &[PathBuf]) -> Option<(PathBuf, u16, String)> {
    for dir in socket_dirs {
        for port in socket_ports(dir) {
            for user in candidate_users() {
                let url = socket_url(dir, port, &user, "postgres");
                match super::connect(&url).await {
                    Ok(_) => return Some((dir.clone(), port, user)),
                    Err(error) => {
                        tracing::debug!(socket_dir = %dir.display(), port, user, %error, "The local PostgreSQL server refused this user.");
                    }
                }
            }
        }
    }
    None
}

/// The ports of the PostgreSQL sockets (`.s.PGSQL.<port>`) in a directory.
fn socket_ports(dir: &Path) -> Vec<u16> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ports: Vec<u16> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_prefix(".s.PGSQL.")?.parse().ok()
        })
        .collect();
    ports.sort_unstable_by_key(|port| (*port != 5432, *port));
    ports
}

/// The user names worth trying on a local server: PGUSER, the login name, then postgres.
fn candidate_users() -> Vec<String> {
    let mut users = Vec::new();
    for user in [
        crate::config::read_var("PGUSER"),
        crate::config::read_var("USER"),
        Some("postgres".to_owned()),
    ]
    .into_iter()
    .flatten()
    {
        if !users.contains(&user) {
            users.push(user);
        }
    }
    users
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    datname: String,
}

/// Creates the `certif` database through `admin_url` unless it exists.
async fn ensure_database(admin_url: &str, origin: &DatabaseOrigin) -> Result<(), LocateError> {
    let failed = |reason: String| LocateError::CreateDatabase {
        origin: origin.to_string(),
        reason,
    };
    let mut conn = super::connect(admin_url)
        .await
        .map_err(|error| failed(error.to_string()))?;
    create_database_if_missing(&mut conn, DATABASE_NAME, None)
        .await
        .map_err(|error| failed(error.to_string()))
}

/// `CREATE DATABASE name [TEMPLATE template]` unless it exists; a concurrent creation is fine.
pub async fn create_database_if_missing(
    conn: &mut AsyncPgConnection,
    name: &str,
    template: Option<&str>,
) -> QueryResult<()> {
    let existing: Vec<Found> =
        diesel::sql_query("SELECT datname::text AS datname FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(name)
            .load(conn)
            .await?;
    if !existing.is_empty() {
        return Ok(());
    }
    let template = template
        .map(|template| format!(" TEMPLATE {}", quote_identifier(template)))
        .unwrap_or_default();
    match diesel::sql_query(format!(
        "CREATE DATABASE {}{template}",
        quote_identifier(name)
    ))
    .execute(conn)
    .await
    {
        Ok(_) => Ok(()),
        // Another process created it between our check and our statement.
        Err(diesel::result::Error::DatabaseError(kind, info))
            if matches!(kind, diesel::result::DatabaseErrorKind::UniqueViolation)
                || info.message().contains("already exists") =>
        {
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// Quotes an SQL identifier (database names are not bindable parameters).
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
