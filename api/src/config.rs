//! The API's settings, read from the environment (documented in the README's table).

use std::net::SocketAddr;

use schema::config::{ConfigError, parse_var};

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `LISTEN_ADDR`: where the HTTP server listens.
    pub listen_addr: SocketAddr,
    /// `GRAPHQL_MAX_DEPTH`: deepest selection a query may nest.
    pub max_depth: usize,
    /// `GRAPHQL_MAX_COMPLEXITY`: most fields a query may select, counted by async-graphql.
    pub max_complexity: usize,
}

pub const DEFAULT_LISTEN_ADDR: &str = "127.0.0.1:8080";

impl ApiConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self {
            listen_addr: parse_var("LISTEN_ADDR", default_listen_addr())?,
            max_depth: parse_var("GRAPHQL_MAX_DEPTH", 12)?,
            max_complexity: parse_var("GRAPHQL_MAX_COMPLEXITY", 500)?,
        })
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            listen_addr: default_listen_addr(),
            max_depth: 12,
            max_complexity: 500,
        }
    }
}

fn default_listen_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
