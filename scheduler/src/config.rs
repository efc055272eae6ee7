//! The scheduler's settings, read from the environment (documented in the README's table).

use schema::config::{ConfigError, read_var};

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// `SCHEDULER_INSTANCE`: the name this instance writes on the ticks it claims
    /// (default: host name and process id).
    pub instance: String,
    /// `SCHEDULER_HEARTBEAT_CRON`: when the heartbeat job runs (six fields, UTC).
    pub heartbeat_cron: String,
}

impl SchedulerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let heartbeat_cron =
            read_var("SCHEDULER_HEARTBEAT_CRON").unwrap_or_else(|| "0 * * * * *".to_owned());
        crate::jobs::check_cron(&heartbeat_cron).map_err(|reason| ConfigError {
            name: "SCHEDULER_HEARTBEAT_CRON",
            value: heartbeat_cron.clone(),
            reason,
        })?;
        Ok(Self {
            instance: read_var("SCHEDULER_INSTANCE").unwrap_or_else(default_instance),
            heartbeat_cron,
        })
    }
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            instance: default_instance(),
            heartbeat_cron: "0 * * * * *".to_owned(),
        }
    }
}

fn default_instance() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_owned())
        .unwrap_or_else(|_| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}
