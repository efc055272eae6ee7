//! A private PostgreSQL cluster under `CERTIF_DATA_DIR/postgres`, for machines with the
//! PostgreSQL binaries but no running server. It listens only on a Unix socket inside its own
//! folder, so it never collides with another server. PostgreSQL refuses to run as root: as
//! root, every command runs as the `postgres` system user.
//!
//! Layout: `data/` (the cluster), `run/` (the socket), `postgres.log`, `.lock` (serialises
//! starts between processes).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The superuser of the private cluster (trust authentication on its private socket).
pub const SUPERUSER: &str = "postgres";
/// The socket's port number (no TCP port is opened).
pub const PORT: u16 = 5432;
/// The system user that runs PostgreSQL when certif runs as root.
const SYSTEM_USER: &str = "postgres";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "the PostgreSQL server programs (initdb, pg_ctl) are not on PATH nor under /usr/lib/postgresql/*/bin"
    )]
    BinariesNotFound,
    #[error(
        "certif runs as root, PostgreSQL refuses to, and there is no `{SYSTEM_USER}` system user to run it as"
    )]
    NoSystemUser,
    #[error("the folder {0} cannot be prepared for the private cluster: {1}")]
    Folder(PathBuf, String),
    #[error("`{command}` failed: {detail}")]
    Command { command: String, detail: String },
}

/// A cluster found running or started by this process.
#[derive(Debug)]
pub struct PrivateCluster {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    pg_ctl: PathBuf,
    run_as: Option<&'static str>,
    /// Whether this process started the server (and so must stop it).
    started_here: bool,
}

impl PrivateCluster {
    /// Starts the cluster in `root`, creating it first if needed; reuses it if it already runs.
    pub async fn start(root: &Path) -> Result<Self, ClusterError> {
        let root = root.to_owned();
        tokio::task::spawn_blocking(move || Self::start_blocking(&root))
            .await
            .map_err(|error| ClusterError::Command {
                command: "start the private cluster".to_owned(),
                detail: error.to_string(),
            })?
    }

    fn start_blocking(root: &Path) -> Result<Self, ClusterError> {
        let (initdb, pg_ctl) = find_binaries().ok_or(ClusterError::BinariesNotFound)?;
        let run_as = if running_as_root() {
            if !system_user_exists(SYSTEM_USER) {
                return Err(ClusterError::NoSystemUser);
            }
            Some(SYSTEM_USER)
        } else {
            None
        };
        let root = absolute(root)?;
        let data_dir = root.join("data");
        let socket_dir = root.join("run");
        for dir in [&root, &socket_dir] {
            std::fs::create_dir_all(dir)
                .map_err(|error| ClusterError::Folder(dir.clone(), error.to_string()))?;
            if let Some(user) = run_as {
                run(Command::new("chown").arg(format!("{user}:")).arg(dir))?;
            }
        }
        if let Some(user) = run_as {
            let reachable = Command::new("runuser")
                .args(["-u", user, "--", "test", "-w"])
                .arg(&root)
                .status()
                .is_ok_and(|status| status.success());
            if !reachable {
                return Err(ClusterError::Folder(
                    root,
                    format!(
                        "the `{user}` system user cannot write there (a parent folder may be private); set CERTIF_DATA_DIR to a folder it can reach, or set DATABASE_URL"
                    ),
                ));
            }
        }
        let lock_path = root.join(".lock");
        let lock = std::fs::File::create(&lock_path)
            .map_err(|error| ClusterError::Folder(lock_path.clone(), error.to_string()))?;
        lock.lock()
            .map_err(|error| ClusterError::Folder(lock_path.clone(), error.to_string()))?;

        let mut cluster = Self {
            data_dir,
            socket_dir,
            pg_ctl,
            run_as,
            started_here: false,
        };
        if !cluster.data_dir.join("PG_VERSION").exists() {
            tracing::info!(dir = %cluster.data_dir.display(), "Creating a private PostgreSQL cluster.");
            let mut initdb = cluster.command(&initdb);
            initdb
                .arg("--pgdata")
                .arg(&cluster.data_dir)
                .args([
                    "--username",
                    SUPERUSER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                ])
                .args(["--locale", "C", "--no-instructions"]);
            run(&mut initdb)?;
        }
        if !cluster.is_running() {
            tracing::info!(dir = %cluster.data_dir.display(), "Starting the private PostgreSQL cluster.");
            let options = format!(
                "-c listen_addresses='' -p {PORT} -k '{}'",
                cluster.socket_dir.display()
            );
            let mut start = cluster.command(&cluster.pg_ctl);
            start
                .arg("start")
                .arg("--pgdata")
                .arg(&cluster.data_dir)
                .arg("--log")
                .arg(root.join("postgres.log"))
                .args(["--wait", "--timeout", "60", "--silent", "-o", &options]);
            run(&mut start)?;
            cluster.started_here = true;
        }
        drop(lock);
        Ok(cluster)
    }

    /// A URL to `database` on this cluster.
    pub fn url(&self, database: &str) -> String {
        super::locate::socket_url(&self.socket_dir, PORT, SUPERUSER, database)
    }

    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// Stops the server if this process started it (fast mode: open sessions are closed).
    pub async fn stop(mut self) {
        let cluster = std::mem::replace(&mut self.started_here, false);
        if !cluster {
            return;
        }
        let data_dir = self.data_dir.clone();
        let mut stop = self.stop_command();
        let outcome = tokio::task::spawn_blocking(move || run(&mut stop)).await;
        match outcome {
            Ok(Ok(_)) => {
                tracing::info!(dir = %data_dir.display(), "Stopped the private PostgreSQL cluster.")
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "The private PostgreSQL cluster did not stop cleanly.")
            }
            Err(error) => {
                tracing::warn!(%error, "The private PostgreSQL cluster stop task failed.")
            }
        }
    }

    /// Leaves the server running when this value is dropped.
    pub fn keep_running(mut self) {
        self.started_here = false;
    }

    fn is_running(&self) -> bool {
        self.command(&self.pg_ctl)
            .arg("status")
            .arg("--pgdata")
            .arg(&self.data_dir)
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false)
    }

    fn stop_command(&self) -> Command {
        let mut stop = self.command(&self.pg_ctl);
        stop.arg("stop")
            .arg("--pgdata")
            .arg(&self.data_dir)
            .args(["--mode", "fast", "--wait", "--silent"]);
        stop
    }

    /// A command running `program`, as the PostgreSQL system user when we are root.
    fn command(&self, program: &Path) -> Command {
        match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if self.started_here
            && let Err(error) = run(&mut self.stop_command())
        {
            tracing::warn!(%error, "The private PostgreSQL cluster did not stop cleanly.");
        }
    }
}

fn run(command: &mut Command) -> Result<Output, ClusterError> {
    let described = format!("{command:?}").replace('"', "");
    let output = command.output().map_err(|error| ClusterError::Command {
        command: described.clone(),
        detail: error.to_string(),
    })?;
    if output.status.success() {
        Ok(output)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let detail = [stderr.trim(), stdout.trim()]
            .into_iter()
            .find(|text| !text.is_empty())
            .unwrap_or("no output")
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        Err(ClusterError::Command {
            command: described,
            detail: format!("{} ({detail})", output.status),
        })
    }
}

fn absolute(path: &Path) -> Result<PathBuf, ClusterError> {
    std::path::absolute(path)
        .map_err(|error| ClusterError::Folder(path.to_owned(), error.to_string()))
}

/// `initdb` and `pg_ctl`: from one PostgreSQL installation directory when possible.
fn find_binaries() -> Option<(PathBuf, PathBuf)> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versioned.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    dirs.extend(versioned.into_iter().map(|(_, dir)| dir));
    dirs.push(PathBuf::from("/usr/local/pgsql/bin"));
    dirs.into_iter().find_map(|dir| {
        let initdb = dir.join("initdb");
        let pg_ctl = dir.join("pg_ctl");
        (is_executable(&initdb) && is_executable(&pg_ctl)).then_some((initdb, pg_ctl))
    })
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|metadata| metadata.is_file() && metadata.mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|metadata| metadata.uid() == 0)
        .unwrap_or(false)
}

fn system_user_exists(name: &str) -> bool {
    Command::new("id")
        .arg("-u")
        .arg(name)
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}
