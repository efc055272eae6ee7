//! The whole configuration, read once from the environment at start. Each part owns its
//! settings (`schema::config`, `api::config`, `scheduler::config`); the README's table lists
//! every variable with its default.

use api::ApiConfig;
use scheduler::SchedulerConfig;
use schema::config::{
    ConfigError, DatabaseConfig, Environment, data_dir_from_env, parse_var, read_var,
};

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database: DatabaseConfig,
    pub api: ApiConfig,
    pub scheduler: SchedulerConfig,
    /// `LOG_FORMAT=json`: one JSON object per log line (production); text otherwise.
    pub log_json: bool,
    /// `CERTIF_CLOCK_OFFSET_FILE`: a file whose number of seconds is added to the clock at every
    /// read (browser tests move time with it); refused in production.
    pub clock_offset_file: Option<std::path::PathBuf>,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let environment = parse_var("CERTIF_ENV", Environment::Development)?;
        let data_dir = data_dir_from_env();
        let api = ApiConfig::from_env()?;
        let log_json = match read_var("LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(ConfigError {
                    name: "LOG_FORMAT",
                    value: other.to_owned(),
                    reason: "expected text or json".to_owned(),
                });
            }
        };
        let clock_offset_file = read_var("CERTIF_CLOCK_OFFSET_FILE").map(std::path::PathBuf::from);
        if let Some(file) = &clock_offset_file
            && environment.is_production()
        {
            return Err(ConfigError {
                name: "CERTIF_CLOCK_OFFSET_FILE",
                value: file.display().to_string(),
                reason: "a moved clock is for tests only, never with CERTIF_ENV=production"
                    .to_owned(),
            });
        }
        Ok(Self {
            environment,
            clock_offset_file,
            database: DatabaseConfig::from_env(&data_dir)?,
            api,
            scheduler: SchedulerConfig::from_env()?,
            log_json,
        })
    }
}
